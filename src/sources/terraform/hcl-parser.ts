import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { RawObject } from './files.js';

/** The outcome of parsing one file: its body, or hcl2json's error message. */
export type HclResult = { readonly body: RawObject } | { readonly error: string };

/**
 * Parses HCL text into `@cdktf/hcl2json`'s JSON shape. The promise never rejects (a syntax error is a
 * result), so many parses can be in flight before any is awaited.
 */
export interface HclParser {
  parse(file: string, text: string): Promise<HclResult>;
  /** Releases the worker thread, if there is one. */
  close(): Promise<void>;
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;

/**
 * Opens a parser. Where the compiled worker exists (the built CLI), hcl2json runs on a worker thread
 * so parsing overlaps with reading, position indexing and module bookkeeping on the main thread; from
 * TypeScript sources (tests) it runs in-process. Both import hcl2json lazily: its WASM starts loading at import.
 */
export async function openHclParser(): Promise<HclParser> {
  const started = warm;
  warm = undefined;
  return started ?? createHclParser();
}

let warm: Promise<HclParser> | undefined;

/**
 * Starts a parser ahead of time (the CLI calls it before loading the rest of the scan), so that the
 * worker's WASM start-up overlaps with module loading. The next {@link openHclParser} takes it.
 */
export function warmUpHclParser(): void {
  warm ??= createHclParser();
}

async function createHclParser(): Promise<HclParser> {
  const workerFile = fileURLToPath(new URL('./hcl-worker.js', import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(workerFile)) return openWorkerParser(workerFile);
  const { parse } = (await import('@cdktf/hcl2json')) as { parse: Hcl2Json };
  return {
    parse: (file, text) =>
      parse(file, text).then(
        (body) => ({ body: body as RawObject }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      ),
    close: async () => {},
  };
}

async function openWorkerParser(workerFile: string): Promise<HclParser> {
  const { Worker } = await import('node:worker_threads');
  const worker: Worker = new Worker(workerFile);
  const pending = new Map<number, (result: HclResult) => void>();
  const settled = (): void => {
    if (pending.size === 0) worker.unref();
  };
  let nextId = 0;
  let failure: string | undefined;
  const failAll = (message: string): void => {
    failure = message;
    for (const settle of pending.values()) settle({ error: message });
    pending.clear();
    worker.unref();
  };
  worker.on('message', (message: { id: number; json?: string; body?: RawObject; error?: string }) => {
    const settle = pending.get(message.id);
    if (!settle) return;
    pending.delete(message.id);
    settled();
    if (message.error !== undefined) settle({ error: message.error });
    else settle({ body: message.json !== undefined ? (JSON.parse(message.json) as RawObject) : (message.body ?? {}) });
  });
  worker.on('error', (error) => failAll(`the HCL parser thread failed: ${error.message}`));
  worker.on('exit', (code) => {
    if (pending.size > 0) failAll(`the HCL parser thread stopped (exit code ${code})`);
  });
  // The worker keeps the process alive only while a parse is pending: never on its own (a scan that
  // stopped early, say), but always while the main thread awaits it. Set after the listeners: adding a
  // 'message' listener refs the worker's port again, and a port left ref'd kept
  // `gatewarden scan <missing path>` running forever.
  worker.unref();
  return {
    parse(file, text) {
      if (failure !== undefined) return Promise.resolve({ error: failure });
      const id = nextId++;
      return new Promise((resolve) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, resolve);
        worker.postMessage({ id, file, text });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
