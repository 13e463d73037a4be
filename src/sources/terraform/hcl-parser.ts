import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, type Limits } from '../../limits.js';
import { hclNesting, openersAtMost, valueNestingOverflow } from '../nesting.js';
import { lineStarts, positionAt } from '../text-position.js';
import { hclDepthError, hclTimeError, type RawObject } from './files.js';

/** The outcome of parsing one file: its body, or hcl2json's error message. */
export type HclResult = { readonly body: RawObject } | { readonly error: string };

/**
 * Parses HCL text into `@cdktf/hcl2json`'s JSON shape. The promise never rejects (a syntax error is a
 * result), so many parses can be in flight before any is awaited.
 */
export interface HclParser {
  /**
   * Parses one file. A body nested deeper than the `depth` limit is an error result (in the form
   * `hclErrorDiagnostics()` turns into a `limit` diagnostic): every walker of bodies recurses per level.
   * On the parser thread, a file that takes longer than `hcl-parse-time` is stopped the same way.
   */
  parse(file: string, text: string, limits?: HclParseLimits): Promise<HclResult>;
  /** Releases the worker thread, if there is one. */
  close(): Promise<void>;
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;

/** The limits one parse is held to. */
export type HclParseLimits = Partial<Pick<Limits, 'depth' | 'hcl-parse-time'>>;

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

/** How long a parser thread may take to start (compile and start the WASM module) before it is given up. */
const STARTUP_LIMIT_MS = 60_000;

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
    async parse(file, text, limits = {}) {
      // In process (from TypeScript sources) the parse cannot be interrupted: no time limit here.
      const depthLimit = limits.depth ?? DEFAULT_LIMITS.depth;
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

/** A file handed to the worker and not answered yet. */
interface WorkerJob {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly depthLimit: number;
  readonly timeLimit: number;
  readonly settle: (result: HclResult) => void;
  /** How many workers stopped while this file was the first unanswered one. */
  crashes: number;
}

async function openWorkerParser(workerFile: string): Promise<HclParser> {
  const { Worker } = await import('node:worker_threads');
  // Every file is handed to the worker as soon as it is read, so the worker never waits for the main
  // thread (which is busy evaluating the previous root). hcl2json survives one stack overflow but
  // aborts its Go runtime on the next, so a worker takes no file after an overflow (hcl-worker.ts):
  // the files it had not answered go, in order, to a fresh worker.
  const pending = new Map<number, WorkerJob>();
  let nextId = 0;
  let failure: string | undefined;
  let worker: Worker;
  // Whether the current worker has started: until then no file's time runs (its start-up is not the file's).
  let ready = false;
  let closing = false;
  // The worker keeps the process alive only while a parse is pending: never on its own (a scan that
  // stopped early, say), but always while the main thread awaits it. Adding a 'message' listener
  // refs a worker's port again, which once kept `gatewarden scan <missing path>` running forever.
  const holdProcess = (): void => {
    if (pending.size > 0) worker.ref();
    else worker.unref();
  };
  const send = (job: WorkerJob): void => worker.postMessage({ id: job.id, file: job.file, text: job.text });
  // The file the worker is on is the first unanswered one; it has `timeLimit` from when it got there.
  // hcl2json has inputs it takes quadratic time on (a heredoc of 40,000 lines: 15 s), so without a
  // deadline one file could hold the scan for hours.
  let deadline: NodeJS.Timeout | undefined;
  const watchHead = (): void => {
    clearTimeout(deadline);
    const [head] = pending.values();
    if (!head || !ready) return;
    deadline = setTimeout(() => {
      if (pending.get(head.id) !== head) return;
      pending.delete(head.id);
      head.settle({ error: hclTimeError(head.timeLimit) });
      replace(worker);
    }, head.timeLimit);
    deadline.unref();
  };
  const start = (): void => {
    const thread = new Worker(workerFile);
    worker = thread;
    ready = false;
    // Start-up has a bound of its own, far above what it takes, so that a thread that never starts
    // cannot hold the scan: every file waiting is then an error.
    const startup = setTimeout(() => {
      if (thread !== worker || ready || closing) return;
      failAll(`the HCL parser thread did not start within ${STARTUP_LIMIT_MS / 1000} s`);
      void thread.terminate();
    }, STARTUP_LIMIT_MS);
    startup.unref();
    thread.on('message', (message: { id: number; json?: string; body?: RawObject; error?: string; ready?: true }) => {
      if (message.ready === true) {
        clearTimeout(startup);
        if (thread !== worker) return;
        ready = true;
        watchHead();
        return;
      }
      const job = pending.get(message.id);
      if (thread !== worker || !job) return;
      pending.delete(message.id);
      if (message.error !== undefined && isStackOverflow(message.error)) replace(thread);
      watchHead();
      holdProcess();
      if (message.error !== undefined) job.settle({ error: message.error });
      else job.settle(withinDepth(message.json !== undefined ? (JSON.parse(message.json) as RawObject) : (message.body ?? {}), job.text, job.depthLimit));
    });
    thread.on('error', (error) => {
      if (thread === worker) failAll(`the HCL parser thread failed: ${error.message}`);
    });
    thread.on('exit', (code) => {
      // Stopped on purpose, replaced already, or unable to start at all: nothing to recover.
      if (thread !== worker || closing || failure !== undefined) return;
      // The first unanswered file is the one it stopped on: given up after it stopped two workers.
      const [first] = pending.values();
      if (first && ++first.crashes >= 2) {
        pending.delete(first.id);
        first.settle({ error: `the HCL parser thread stopped (exit code ${code}) while reading ${first.file}` });
      }
      replace(thread);
    });
    holdProcess();
  };
  /** A fresh worker, given every file the old one had not answered. */
  const replace = (old: Worker): void => {
    if (old !== worker) return;
    start();
    void old.terminate();
    for (const job of pending.values()) send(job);
    watchHead();
  };
  const failAll = (message: string): void => {
    failure = message;
    for (const job of pending.values()) job.settle({ error: message });
    pending.clear();
    clearTimeout(deadline);
    holdProcess();
  };
  start();
  return {
    parse(file, text, limits = {}) {
      const depthLimit = limits.depth ?? DEFAULT_LIMITS.depth;
      const tooDeep = textTooDeep(text, depthLimit);
      if (tooDeep) return Promise.resolve(tooDeep);
      if (failure !== undefined) return Promise.resolve({ error: failure });
      return new Promise((resolve) => {
        const job: WorkerJob = { id: nextId++, file, text, depthLimit, timeLimit: limits['hcl-parse-time'] ?? DEFAULT_LIMITS['hcl-parse-time'], settle: resolve, crashes: 0 };
        pending.set(job.id, job);
        if (pending.size === 1) watchHead();
        holdProcess();
        send(job);
      });
    },
    async close() {
      closing = true;
      clearTimeout(deadline);
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
  // Most files open fewer brackets in all than the limit, and so cannot nest deeper: counting them
  // natively spares the exact measure, a loop over every character, on the main thread.
  if (openersAtMost(text, limit)) return undefined;
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
  // A block opens two levels of the body (a list of objects) for its one brace, anything else one:
  // a text with at most (limit - 1) / 2 openers cannot make a body over the limit.
  if (openersAtMost(text, Math.floor((depthLimit - 1) / 2))) return { body };
  const tooDeep = valueNestingOverflow(body, depthLimit);
  if (!tooDeep) return { body };
  const { line, column } = positionAt(lineStarts(text), hclNesting(text, Number.POSITIVE_INFINITY).deepestAt);
  return { error: hclDepthError(depthLimit, tooDeep.depth, line, column) };
}

/** Whether hcl2json failed by overflowing the stack, which leaves its Go runtime unfit for another parse. */
function isStackOverflow(message: string): boolean {
  return message.includes('Maximum call stack size exceeded');
}
