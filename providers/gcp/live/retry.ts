import { AuditStoppedError, CallTimeoutError, isRetryable, statusOf } from './errors.js';

/**
 * The pace of one project's calls, adapted to its throttling (additive increase, multiplicative
 * decrease): unbounded until the first 429, then 90 % of the rate that was refused, creeping back up
 * with each success. Google limits reads per project and per minute; without a pace, every worker
 * would back off exponentially on its own and the project would sit idle while its quota refills.
 */
export class AdaptiveRate {
  /** Requests per second; Infinity until the first 429. */
  private rate = Number.POSITIVE_INFINITY;
  /** When the next request may start. */
  private next = 0;
  /** Start times of the requests of the last second, to know the rate that was refused. */
  private recent: number[] = [];

  /** Waits for this call's turn. */
  async acquire(stop: AbortSignal | undefined): Promise<void> {
    if (Number.isFinite(this.rate)) {
      const now = Date.now();
      const at = Math.max(now, this.next);
      this.next = at + 1000 / this.rate;
      if (at > now) await sleep(at - now, stop);
    }
    const now = Date.now();
    this.recent = this.recent.filter((time) => now - time < 1000);
    this.recent.push(now);
  }

  /** A 429: slow down below the rate that was refused. */
  throttled(): void {
    const observed = Math.max(1, this.recent.length);
    this.rate = Math.max(0.5, Math.min(this.rate, observed) * 0.9);
  }

  /** A success: speed up a little, to find the limit again. */
  succeeded(): void {
    if (Number.isFinite(this.rate)) this.rate += 0.1;
  }
}

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
  /** The pace shared by the calls of one project; without it, 429s back off like 5xx. */
  readonly rate?: AdaptiveRate;
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
      await policy.rate?.acquire(policy.stop);
      const value = await attempt(task, policy);
      policy.rate?.succeeded();
      return { value, attempts: count };
    } catch (error) {
      if (policy.stop?.aborted) throw new AuditStoppedError('the audit stopped');
      if (count >= policy.attempts || !isRetryable(error)) throw error;
      // A 429 slows the project's pace, which spaces the retry; other failures back off.
      if (policy.rate && statusOf(error) === 429) {
        policy.rate.throttled();
        continue;
      }
      const backoff = Math.min(30_000, policy.delayMs * 2 ** (count - 1));
      await sleep(backoff / 2 + Math.random() * (backoff / 2), policy.stop);
    }
  }
}
