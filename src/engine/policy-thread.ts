import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EntityKind } from '../model/entities.js';
import type { Decision, PolicyRun } from './decide.js';
import type { Policy, PolicyDefinition } from './policy.js';

// The user's policies run on a worker thread, so that a policy that takes too long or too much memory
// can be stopped: a CEL evaluation cannot be interrupted from the thread that runs it (the library has
// no cost limit, and a single comprehension inside a comprehension can run for minutes), but a thread
// can be ended from outside, and its heap is bounded by resourceLimits. The built-in policies stay on
// the main thread: they are reviewed, bounded by the size of one entity, and a scan of a thousand
// files would otherwise pay for a copy of its model.

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

/** What the thread is given when it starts. */
export interface PolicyThreadData {
  /**
   * Two Int32s the thread writes: at {@link DECIDING}, the index of the entity it is deciding, so a
   * stopped policy can name it; at {@link ANSWERED}, 1 once it has posted its answer to the current
   * request.
   */
  readonly progress: SharedArrayBuffer;
}

/** Where the thread writes the index of the entity it is deciding. */
export const DECIDING = 0;
/** Where the thread writes 1 once its answer to the current request is posted. */
export const ANSWERED = 1;

/** A user policy as sent to the thread: the texts it compiles again. */
export type PolicyTexts = Pick<PolicyDefinition, 'severity' | 'match' | 'assert' | 'message' | 'variants'>;

/** Messages to the thread. */
export type ToPolicyThread =
  | { readonly type: 'init'; readonly policies: readonly PolicyTexts[]; readonly contexts: Readonly<Partial<Record<EntityKind, ReadonlyArray<Record<string, unknown>>>>> }
  | { readonly type: 'run'; readonly policy: number; readonly timeMs: number };

/** Messages from the thread. */
export type FromPolicyThread =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly policy: number; readonly run: PolicyRun }
  | { readonly type: 'failed'; readonly policy?: number; readonly reason: string };

/** The budget of the user's policies: `policy-time` (ms, per policy) and `policy-memory` (bytes, the thread's heap). */
export interface PolicyBudget {
  readonly timeMs: number;
  readonly memoryBytes: number;
}

// The thread checks the time itself between two entities; the main thread ends it only a little
// later, for a policy stuck on one entity, so that a stop between entities does not cost a new thread.
const GRACE_MS = 50;
// Starting the thread and copying the model to it is gatewarden's work, not the policy's: it is not
// counted in policy-time, but it cannot hang the run either.
const START_TIMEOUT_MS = 60_000;
const MiB = 1024 * 1024;

/**
 * The compiled thread entry: next to this module in the built package; from the TypeScript sources
 * (the tests), the one `npm run build` wrote to dist/. Undefined when there is none.
 */
export function policyWorkerFile(): string | undefined {
  const here = fileURLToPath(new URL('./policy-worker.js', import.meta.url));
  if (import.meta.url.endsWith('.js')) return existsSync(here) ? here : undefined;
  const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/src/engine/policy-worker.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Evaluates user policies on a worker thread, one at a time, each within `budget`. The contexts are
 * those of the kinds the policies match, in the order decisions are returned. A policy over its time
 * is stopped (between two entities by the thread, or by ending the thread); a policy that fills the
 * thread's heap ends it; either way the next policy gets a new thread, and the outcome says which
 * limit stopped what. Never rejects.
 */
export async function evaluateOnThread(
  workerFile: string,
  policies: readonly Policy[],
  contexts: ReadonlyMap<EntityKind, ReadonlyArray<Record<string, unknown>>>,
  budget: PolicyBudget,
): Promise<PolicyOutcome[]> {
  const texts: PolicyTexts[] = policies.map(({ severity, match, assert, message, variants }) => ({ severity, match, assert, message, variants }));
  const kinds = new Set(policies.map((policy) => policy.match.kind));
  const sent = Object.fromEntries([...contexts].filter(([kind]) => kinds.has(kind)));
  const outcomes: PolicyOutcome[] = [];
  let thread: PolicyThread | undefined;
  try {
    for (let index = 0; index < policies.length; index++) {
      // A thread ended by the previous policy (over a limit, or failed) is replaced.
      if (thread?.ended) thread = undefined;
      if (!thread) {
        const started = await startThread(workerFile, { type: 'init', policies: texts, contexts: sent }, budget);
        if ('stopped' in started || 'failed' in started) {
          // The thread cannot even hold the model: no policy left can run, and each says why.
          while (outcomes.length < policies.length) outcomes.push(started);
          break;
        }
        thread = started;
      }
      outcomes.push(await thread.run(index, budget.timeMs));
    }
  } finally {
    await thread?.end();
  }
  return outcomes;
}

interface PolicyThread {
  /** True once the thread was ended (over a limit, or failed): the next policy needs a new one. */
  readonly ended: boolean;
  run(policy: number, timeMs: number): Promise<PolicyOutcome>;
  end(): Promise<void>;
}

type Settle = (outcome: PolicyOutcome | { readonly ready: true }) => void;

/**
 * Starts a thread and sends it the model. Synchronous until the model is sent, so that the thread
 * starts while the caller goes on (with the built-in policies).
 */
async function startThread(workerFile: string, init: ToPolicyThread, budget: PolicyBudget): Promise<PolicyThread | Exclude<PolicyOutcome, { decisions: readonly Decision[] }>> {
  const progressBuffer = new SharedArrayBuffer(8);
  const progress = new Int32Array(progressBuffer);
  let worker: Worker;
  try {
    worker = new Worker(workerFile, {
      workerData: { progress: progressBuffer } satisfies PolicyThreadData,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(1, Math.floor(budget.memoryBytes / MiB)) },
      // A policy cannot read the environment, but the thread has no use for the secrets CI puts there.
      env: {},
    });
  } catch (error) {
    return { failed: `the policy thread could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  let ended = false;
  let settle: Settle | undefined;
  const finish = (outcome: Parameters<Settle>[0]): void => {
    const current = settle;
    settle = undefined;
    current?.(outcome);
  };
  const end = async (): Promise<void> => {
    if (ended) return;
    ended = true;
    await worker.terminate();
  };
  worker.on('message', (message: FromPolicyThread) => {
    if (message.type === 'ready') finish({ ready: true });
    else if (message.type === 'result') finish('decisions' in message.run ? { decisions: message.run.decisions } : stoppedBetween(message.run));
    else finish({ failed: message.reason });
  });
  worker.on('error', (error: Error & { code?: string }) => {
    ended = true;
    finish(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? stoppedOn('policy-memory', Atomics.load(progress, DECIDING)) : { failed: `the policy thread failed: ${error.message}` });
  });
  worker.on('exit', (code) => {
    ended = true;
    finish({ failed: `the policy thread stopped (exit code ${code})` });
  });
  const request = (message: ToPolicyThread, timeoutMs: number, onTimeout: () => PolicyOutcome): Promise<Parameters<Settle>[0]> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        // The timer may fire late, after an answer that came in time, when this thread was busy
        // (the CLI scans several policy test cases at once): the answer is then on its way.
        if (Atomics.load(progress, ANSWERED) === 1) return;
        const outcome = onTimeout();
        void end();
        finish(outcome);
      }, timeoutMs);
      settle = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      Atomics.store(progress, ANSWERED, 0);
      try {
        worker.postMessage(message);
      } catch (error) {
        // A value of the model that cannot be copied between threads (none should be).
        void end();
        finish({ failed: `the entities could not be sent to the policy thread: ${error instanceof Error ? error.message : String(error)}` });
      }
    });

  Atomics.store(progress, DECIDING, -1);
  const started = await request(init, START_TIMEOUT_MS, () => ({ failed: `the policy thread did not start within ${START_TIMEOUT_MS / 1000} s` }));
  if (!('ready' in started)) {
    await end();
    return 'decisions' in started ? { failed: 'the policy thread answered out of turn' } : started;
  }
  return {
    get ended() {
      return ended;
    },
    async run(policy, timeMs) {
      if (ended) return { failed: 'the policy thread has ended' };
      Atomics.store(progress, DECIDING, -1);
      const outcome = await request({ type: 'run', policy, timeMs }, timeMs + GRACE_MS, () => stoppedOn('policy-time', Atomics.load(progress, DECIDING)));
      // A policy the thread stopped itself leaves it usable; one stopped from outside ended it.
      return 'ready' in outcome ? { failed: 'the policy thread answered out of turn' } : outcome;
    },
    end,
  };
}
