import { AuditStoppedError, CallTimeoutError, isRetryable } from './errors.js';

/** How patiently one call is made. */
export interface CallPolicy {
  /** Attempts in all, for 429, 5xx and dropped connections. */
  readonly attempts: number;
  /** The first retry's delay; doubled at each attempt, with jitter, at most 30 s. */
  readonly delayMs: number;
  /** The time limit of one attempt. */
  readonly timeoutMs: number;
  /** Stops the call at once, in flight or waiting for the next attempt. */
  readonly stop?: AbortSignal;
}

/** Waits, unless the stop fires first. */
function sleep(ms: number, stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stop?.aborted) return reject(new AuditStoppedError('the audit stopped'));
    const onStop = (): void => {
      clearTimeout(timer);
      reject(new AuditStoppedError('the audit stopped'));
    };
    const timer = setTimeout(() => {
      stop?.removeEventListener('abort', onStop);
      resolve();
    }, ms);
    stop?.addEventListener('abort', onStop, { once: true });
  });
}

/** One attempt, abandoned when its time limit passes or the stop fires (its own signal is aborted too). */
async function attempt<T>(task: (signal: AbortSignal) => Promise<T>, policy: CallPolicy): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const bounds = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallTimeoutError(`no answer within ${policy.timeoutMs} ms`));
    }, policy.timeoutMs);
    onStop = () => {
      controller.abort();
      reject(new AuditStoppedError('the audit stopped'));
    };
    if (policy.stop?.aborted) onStop();
    else policy.stop?.addEventListener('abort', onStop, { once: true });
  });
  bounds.catch(() => undefined);
  try {
    return await Promise.race([task(controller.signal), bounds]);
  } finally {
    clearTimeout(timer);
    if (onStop) policy.stop?.removeEventListener('abort', onStop);
  }
}

/**
 * Makes a call, retrying 429, 5xx and dropped connections with exponential backoff and jitter. Our
 * own because google-gax 5's REST transport retries nothing: its read RPCs are configured
 * `non_idempotent`, and its errors carry the HTTP status where its retry codes expect gRPC codes
 * (googleapis/gax-nodejs#1803, fixed only in gax 6, which needs Node 22). Timeouts are not retried:
 * a call that took its whole time limit would likely take it again.
 */
export async function callWithRetry<T>(task: (signal: AbortSignal) => Promise<T>, policy: CallPolicy): Promise<{ value: T; attempts: number }> {
  for (let count = 1; ; count++) {
    try {
      return { value: await attempt(task, policy), attempts: count };
    } catch (error) {
      if (policy.stop?.aborted) throw new AuditStoppedError('the audit stopped');
      if (count >= policy.attempts || !isRetryable(error)) throw error;
      const backoff = Math.min(30_000, policy.delayMs * 2 ** (count - 1));
      await sleep(backoff / 2 + Math.random() * (backoff / 2), policy.stop);
    }
  }
}
