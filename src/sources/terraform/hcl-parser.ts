import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS } from '../../limits.js';
import { hclNesting, valueNestingOverflow } from '../nesting.js';
import { lineStarts, positionAt } from '../text-position.js';
import { hclDepthError, type RawObject } from './files.js';

/** The outcome of parsing one file: its body, or hcl2json's error message. */
export type HclResult = { readonly body: RawObject } | { readonly error: string };

/**
 * Parses HCL text into `@cdktf/hcl2json`'s JSON shape. The promise never rejects (a syntax error is a
 * result), so many parses can be in flight before any is awaited.
 */
export interface HclParser {
  /**
   * Parses one file. A body nested deeper than `depthLimit` is an error result (in the form
   * `hclErrorDiagnostics()` turns into a `limit` diagnostic): every walker of bodies recurses per level.
   */
  parse(file: string, text: string, depthLimit?: number): Promise<HclResult>;
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
  // In-process (from TypeScript sources), a Go runtime that overflowed its stack cannot be replaced.
  let broken: string | undefined;
  return {
    async parse(file, text, depthLimit = DEFAULT_LIMITS.depth) {
      const tooDeep = textTooDeep(text, depthLimit);
      if (tooDeep) return tooDeep;
      if (broken !== undefined) return { error: broken };
      try {
        return withinDepth((await parse(file, text)) as RawObject, text, depthLimit);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (isStackOverflow(message)) broken = `the HCL parser cannot read more files after ${file} overflowed its stack`;
        return { error: message };
      }
    },
    close: async () => {},
  };
}

/** A file waiting for the worker or being parsed by it. */
interface WorkerJob {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly depthLimit: number;
  readonly settle: (result: HclResult) => void;
  /** How many workers stopped while parsing this file. */
  crashes: number;
}

async function openWorkerParser(workerFile: string): Promise<HclParser> {
  const { Worker } = await import('node:worker_threads');
  // One file at a time goes to the worker, the others wait here: hcl2json survives one stack
  // overflow but aborts its Go runtime on the next, so after an overflow the next file must go to a
  // fresh worker, not to one that has already started on it. Handing files over one by one costs a
  // message per file; the parse itself stays off the main thread.
  const waiting: WorkerJob[] = [];
  let current: WorkerJob | undefined;
  let nextId = 0;
  let failure: string | undefined;
  let worker: Worker;
  let closing = false;
  const pump = (): void => {
    if (current || failure !== undefined) return;
    current = waiting.shift();
    if (current) worker.postMessage({ id: current.id, file: current.file, text: current.text });
  };
  const start = (): void => {
    const thread = new Worker(workerFile);
    worker = thread;
    // The worker must never keep the process alive on its own (after an error, say).
    thread.unref();
    thread.on('message', (message: { id: number; json?: string; body?: RawObject; error?: string }) => {
      const job = current;
      if (thread !== worker || !job || job.id !== message.id) return;
      current = undefined;
      if (message.error !== undefined && isStackOverflow(message.error)) replace(thread);
      // The next file goes to the worker before this result is read, so that both run at once.
      pump();
      if (message.error !== undefined) job.settle({ error: message.error });
      else job.settle(withinDepth(message.json !== undefined ? (JSON.parse(message.json) as RawObject) : (message.body ?? {}), job.text, job.depthLimit));
    });
    thread.on('error', (error) => {
      if (thread === worker) failAll(`the HCL parser thread failed: ${error.message}`);
    });
    thread.on('exit', (code) => {
      // Stopped on purpose, replaced already, or unable to start at all: nothing to recover.
      if (thread !== worker || closing || failure !== undefined) return;
      const job = current;
      current = undefined;
      // A file that stopped two workers is given up; the others are read by a new one.
      if (job && ++job.crashes >= 2) job.settle({ error: `the HCL parser thread stopped (exit code ${code}) while reading ${job.file}` });
      else if (job) waiting.unshift(job);
      replace(thread);
      pump();
    });
  };
  const replace = (old: Worker): void => {
    if (old !== worker) return;
    start();
    void old.terminate();
  };
  const failAll = (message: string): void => {
    failure = message;
    for (const job of [...(current ? [current] : []), ...waiting]) job.settle({ error: message });
    current = undefined;
    waiting.length = 0;
  };
  start();
  return {
    parse(file, text, depthLimit = DEFAULT_LIMITS.depth) {
      const tooDeep = textTooDeep(text, depthLimit);
      if (tooDeep) return Promise.resolve(tooDeep);
      if (failure !== undefined) return Promise.resolve({ error: failure });
      return new Promise((resolve) => {
        waiting.push({ id: nextId++, file, text, depthLimit, settle: resolve, crashes: 0 });
        pump();
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}

/**
 * hcl2json's parser recurses per level and overflows the call stack a few thousand levels down; a
 * second overflow in the same thread aborts the Go runtime (and the thread or process with it). So
 * text that nests deeper than this is never handed to it, whatever the configured limit.
 */
export const HCL2JSON_MAX_DEPTH = 1_000;

/** The error for text nested over the limit (or over what hcl2json survives), or undefined. */
function textTooDeep(text: string, depthLimit: number): HclResult | undefined {
  const limit = Math.min(depthLimit, HCL2JSON_MAX_DEPTH);
  const nesting = hclNesting(text, limit);
  if (nesting.overAt === undefined) return undefined;
  const { line, column } = positionAt(lineStarts(text), nesting.overAt);
  return { error: hclDepthError(limit, nesting.depth, line, column) };
}

/**
 * The body, or an error when it nests deeper than the limit (a body can nest deeper than its text's
 * brackets: blocks become lists of objects). The place named is where the text nests deepest:
 * hcl2json's output has no positions.
 */
function withinDepth(body: RawObject, text: string, depthLimit: number): HclResult {
  const tooDeep = valueNestingOverflow(body, depthLimit);
  if (!tooDeep) return { body };
  const { line, column } = positionAt(lineStarts(text), hclNesting(text, Number.POSITIVE_INFINITY).deepestAt);
  return { error: hclDepthError(depthLimit, tooDeep.depth, line, column) };
}

/** Whether hcl2json failed by overflowing the stack, which leaves its Go runtime unfit for another parse. */
function isStackOverflow(message: string): boolean {
  return message.includes('Maximum call stack size exceeded');
}
