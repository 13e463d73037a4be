import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityKind } from '../model/entities.js';
import type { Decision, PolicyRun } from './decide.js';
import type { Policy, PolicyDefinition } from './policy.js';

// The user's policies run in a child process, so that a policy that takes too long or too much memory
// can be stopped: a CEL evaluation cannot be interrupted from the thread that runs it (the library has
// no cost limit, and a single comprehension inside a comprehension can run for minutes), but a process
// can be ended from outside, and its heap is bounded by --max-old-space-size.
//
// A process, not a worker thread: a worker's resourceLimits are best effort. On Node.js 24 a CEL
// `.map()` inside `.map()` filling a worker's heap aborts the whole process ("FATAL ERROR: Reached
// heap limit", exit 134) instead of ending the worker, and Node.js 20 and 22 do the same for some
// allocation shapes (nodejs/node#47224); the scan's report was lost with it. A child that runs out of
// memory aborts alone, and the scan reports the policy.
//
// The built-in policies stay in the main process: they are reviewed, bounded by the size of one
// entity, and a scan of a thousand files would otherwise pay for a copy of its model.

/**
 * How one policy's evaluation ended. A stopped one says the index of the entity it was deciding
 * when it went over the limit (`at`, -1 when none) and how many entities it had decided.
 */
export type PolicyOutcome =
  | { readonly decisions: readonly Decision[] }
  | { readonly stopped: 'policy-time' | 'policy-memory'; readonly at: number; readonly decided: number }
  | { readonly failed: string };

/** The outcome of a policy its own time check stopped: the entity decided last took it over. */
export function stoppedBetween(run: { readonly stoppedAfter: number }): PolicyOutcome {
  return { stopped: 'policy-time', at: run.stoppedAfter - 1, decided: run.stoppedAfter };
}

/** The outcome of a policy stopped from outside while it decided the entity at `at`. */
function stoppedOn(limit: 'policy-time' | 'policy-memory', at: number): PolicyOutcome {
  return { stopped: limit, at, decided: Math.max(0, at) };
}

/**
 * The file descriptor, in the child, of the progress file: two Int32s (little-endian) the child
 * writes in place. At byte {@link DECIDING}, the index of the entity it is deciding, so that a
 * stopped policy can name it; at byte {@link ANSWERED}, 1 once it has sent its answer to the current
 * request. A file rather than messages because the child's event loop is blocked while it decides,
 * and the parent reads it only when a policy is stopped.
 */
export const PROGRESS_FD = 3;
/** Where the child writes the index of the entity it is deciding (a byte offset). */
export const DECIDING = 0;
/** Where the child writes 1 once its answer to the current request is sent (a byte offset). */
export const ANSWERED = 4;

/** A user policy as sent to the child: the texts it compiles again. */
export type PolicyTexts = Pick<PolicyDefinition, 'severity' | 'match' | 'assert' | 'message' | 'variants' | 'group' | 'parameters'> & Pick<Policy, 'params'>;

/** Messages to the child. */
export type ToPolicyProcess =
  | { readonly type: 'init'; readonly policies: readonly PolicyTexts[]; readonly contexts: Readonly<Partial<Record<EntityKind, ReadonlyArray<Record<string, unknown>>>>> }
  | { readonly type: 'run'; readonly policy: number; readonly timeMs: number };

/** Messages from the child. */
export type FromPolicyProcess =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly policy: number; readonly run: PolicyRun }
  | { readonly type: 'failed'; readonly policy?: number; readonly reason: string };

/** The budget of the user's policies: `policy-time` (ms, per policy) and `policy-memory` (bytes, the child's heap). */
export interface PolicyBudget {
  readonly timeMs: number;
  readonly memoryBytes: number;
}

// The child checks the time itself between two entities; the parent ends it only a little later,
// for a policy stuck on one entity, so that a stop between entities does not cost a new process.
const GRACE_MS = 50;
// Starting the child and copying the model to it is gatewarden's work, not the policy's: it is not
// counted in policy-time, but it cannot hang the run either.
const START_TIMEOUT_MS = 60_000;
const MiB = 1024 * 1024;
// What V8 prints when a heap is full, whatever the allocation that filled it.
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/;

/**
 * The compiled child entry: next to this module in the built package; from the TypeScript sources
 * (the tests), the one `npm run build` wrote to dist/. Undefined when there is none.
 */
export function policyWorkerFile(): string | undefined {
  const here = fileURLToPath(new URL('./policy-worker.js', import.meta.url));
  if (import.meta.url.endsWith('.js')) return existsSync(here) ? here : undefined;
  const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/src/engine/policy-worker.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Evaluates user policies in a child process, one at a time, each within `budget`. The contexts are
 * those of the kinds the policies match, in the order decisions are returned. A policy over its time
 * is stopped (between two entities by the child, or by ending the child); a policy that fills the
 * child's heap ends it; either way the next policy gets a new child, and the outcome says which
 * limit stopped what. Never rejects.
 */
export async function evaluateInChild(
  workerFile: string,
  policies: readonly Policy[],
  contexts: ReadonlyMap<EntityKind, ReadonlyArray<Record<string, unknown>>>,
  budget: PolicyBudget,
): Promise<PolicyOutcome[]> {
  const texts: PolicyTexts[] = policies.map(({ severity, match, assert, message, variants, group, parameters, params }) => ({ severity, match, assert, message, variants, ...(group ? { group } : {}), ...(parameters ? { parameters } : {}), ...(params ? { params } : {}) }));
  const kinds = new Set(policies.map((policy) => policy.match.kind));
  const sent = Object.fromEntries([...contexts].filter(([kind]) => kinds.has(kind)));
  const outcomes: PolicyOutcome[] = [];
  let child: PolicyChild | undefined;
  try {
    for (let index = 0; index < policies.length; index++) {
      // A child ended by the previous policy (over a limit, or failed) is replaced.
      if (child?.ended) {
        await child.end();
        child = undefined;
      }
      if (!child) {
        const started = await startChild(workerFile, { type: 'init', policies: texts, contexts: sent }, budget);
        if ('stopped' in started || 'failed' in started) {
          // The child cannot even hold the model: no policy left can run, and each says why.
          while (outcomes.length < policies.length) outcomes.push(started);
          break;
        }
        child = started;
      }
      outcomes.push(await child.run(index, budget.timeMs));
    }
  } finally {
    await child?.end();
  }
  return outcomes;
}

interface PolicyChild {
  /** True once the child was ended (over a limit, or failed): the next policy needs a new one. */
  readonly ended: boolean;
  run(policy: number, timeMs: number): Promise<PolicyOutcome>;
  /** Ends the child (when still running) and removes its progress file. */
  end(): Promise<void>;
}

type Settle = (outcome: PolicyOutcome | { readonly ready: true }) => void;

/** The progress file: opened here and passed to the child; `remove` deletes its name (safe to call again). */
function progressFile(): { readonly fd: number; readonly remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-policy-'));
  const file = path.join(dir, 'progress');
  let fd: number;
  try {
    fd = openSync(file, 'w+', 0o600);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed = true;
    } catch {
      // An open file cannot be removed on Windows: tried again when the child has ended.
    }
  };
  return { fd, remove };
}

/**
 * Starts a child and sends it the model. Synchronous until the model is sent, so that the child
 * starts while the caller goes on (with the built-in policies).
 */
async function startChild(workerFile: string, init: ToPolicyProcess, budget: PolicyBudget): Promise<PolicyChild | Exclude<PolicyOutcome, { decisions: readonly Decision[] }>> {
  let progress: ReturnType<typeof progressFile>;
  let child: ChildProcess;
  try {
    progress = progressFile();
  } catch (error) {
    return { failed: `the progress file of the policy process could not be created in ${tmpdir()}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const word = Buffer.alloc(4);
  const read = (offset: number): number => {
    try {
      return readSync(progress.fd, word, 0, 4, offset) === 4 ? word.readInt32LE(0) : -1;
    } catch {
      return -1;
    }
  };
  try {
    child = fork(workerFile, [], {
      // Only the heap bound: not the parent's flags (a test runner's loaders), which the compiled entry does not need.
      execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(budget.memoryBytes / MiB))}`],
      // A policy cannot read the environment, but the child has no use for the secrets CI puts there.
      env: {},
      // stderr is kept for the message of a child that fails; the progress file is its fd 3.
      stdio: ['ignore', 'ignore', 'pipe', progress.fd, 'ipc'],
      // Maps, shared objects and Unknowns' fields cross as they do between threads (the V8 serializer).
      serialization: 'advanced',
    });
  } catch (error) {
    closeSync(progress.fd);
    progress.remove();
    return { failed: `the policy process could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  // Both processes hold the file open: its name is no longer needed, and a scan killed before it
  // ends leaves nothing behind in the temporary directory (where the system allows it).
  progress.remove();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 16_384) stderr += chunk;
  });
  let ended = false;
  let settle: Settle | undefined;
  const finish = (outcome: Parameters<Settle>[0]): void => {
    const current = settle;
    settle = undefined;
    current?.(outcome);
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A child that never started emits 'error' and no 'exit'.
    child.once('error', () => resolve());
  });
  let closed = false;
  const end = async (): Promise<void> => {
    ended = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (child.pid !== undefined) await exited;
    if (!closed) {
      closed = true;
      closeSync(progress.fd);
      progress.remove();
    }
  };
  child.on('message', (message: FromPolicyProcess) => {
    if (message.type === 'ready') finish({ ready: true });
    else if (message.type === 'result') finish('decisions' in message.run ? { decisions: message.run.decisions } : stoppedBetween(message.run));
    else finish({ failed: message.reason });
  });
  child.on('error', (error) => {
    ended = true;
    finish({ failed: `the policy process failed: ${error.message}` });
  });
  child.on('exit', (code, signal) => {
    ended = true;
    // stderr may still hold the last of V8's message: wait for the pipe to close before judging.
    const judge = (): void => {
      if (OUT_OF_MEMORY.test(stderr)) finish(stoppedOn('policy-memory', read(DECIDING)));
      else finish({ failed: `the policy process stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${firstLine(stderr)}` });
    };
    if (child.stderr && !child.stderr.readableEnded) child.stderr.once('close', judge);
    else judge();
  });
  const request = (message: ToPolicyProcess, timeoutMs: number, onTimeout: () => PolicyOutcome): Promise<Parameters<Settle>[0]> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        // The timer may fire late, after an answer that came in time, when this process was busy
        // (the CLI scans several policy test cases at once): the answer is then on its way.
        if (read(ANSWERED) === 1) return;
        const outcome = onTimeout();
        void end();
        finish(outcome);
      }, timeoutMs);
      settle = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      write(progress.fd, ANSWERED, 0);
      try {
        child.send(message, (error) => {
          if (error && !ended) {
            void end();
            finish({ failed: `the entities could not be sent to the policy process: ${error.message}` });
          }
        });
      } catch (error) {
        // A value of the model that cannot be serialised (none should be).
        void end();
        finish({ failed: `the entities could not be sent to the policy process: ${error instanceof Error ? error.message : String(error)}` });
      }
    });

  write(progress.fd, DECIDING, -1);
  const started = await request(init, START_TIMEOUT_MS, () => ({ failed: `the policy process did not start within ${START_TIMEOUT_MS / 1000} s` }));
  if (!('ready' in started)) {
    await end();
    return 'decisions' in started ? { failed: 'the policy process answered out of turn' } : started;
  }
  return {
    get ended() {
      return ended;
    },
    async run(policy, timeMs) {
      if (ended) return { failed: 'the policy process has ended' };
      write(progress.fd, DECIDING, -1);
      const outcome = await request({ type: 'run', policy, timeMs }, timeMs + GRACE_MS, () => stoppedOn('policy-time', read(DECIDING)));
      // A policy the child stopped itself leaves it usable; one stopped from outside ended it.
      return 'ready' in outcome ? { failed: 'the policy process answered out of turn' } : outcome;
    },
    end,
  };
}

const written = Buffer.alloc(4);

/** Writes one Int32 of the progress file in place (the parent and the child share the file). */
export function write(fd: number, offset: number, value: number): void {
  written.writeInt32LE(value, 0);
  try {
    writeSync(fd, written, 0, 4, offset);
  } catch {
    // Progress only names the entity a stopped policy was on: a failed write loses that name, nothing else.
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '');
  return line ? `: ${line.trim().slice(0, 300)}` : '';
}
