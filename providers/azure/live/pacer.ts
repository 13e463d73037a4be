/** Resource Manager's read limit of one subscription: a token bucket. */
export interface ReadLimit {
  /** Requests that may be sent at once after a pause. */
  readonly bucket: number;
  /** Tokens added back per second. */
  readonly perSecond: number;
}

/**
 * Resource Manager's documented read limit per subscription and principal (token bucket of 250,
 * refilled at 25 a second).
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 */
export const ARM_READ_LIMIT: ReadLimit = { bucket: 250, perSecond: 25 };

/** Paces the reads of each subscription to its read limit. */
export interface ReadPacer {
  /** Waits until a read of the subscription fits the limit, and counts it; rejects when `stop` fires. */
  take(subscriptionId: string, stop: AbortSignal): Promise<void>;
  /** Takes in the reads left that Resource Manager reports (`x-ms-ratelimit-remaining-subscription-reads`). */
  observe(subscriptionId: string, remaining: number): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A client-side copy of each subscription's token bucket. Beyond the limit Resource Manager answers
 * 429 with a `Retry-After` of whole seconds: every call in flight then waits a second or more and
 * the bucket refills unused, so an audit that ran into the limit would take longer than the limit
 * requires. Waiting for the next token here sends each call when it will be accepted. The bucket
 * starts full, as the subscription's does when nothing else used it; when Resource Manager reports
 * fewer reads left (other clients share the limit) the copy takes the lower count. A 429 that still
 * comes is retried by the pipeline after its `Retry-After`.
 */
export function readPacer(limit: ReadLimit = ARM_READ_LIMIT, now: () => number = () => performance.now()): ReadPacer {
  const buckets = new Map<string, Bucket>();
  const bucketOf = (subscriptionId: string): Bucket => {
    const key = subscriptionId.toLowerCase();
    const at = now();
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: limit.bucket, at };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(limit.bucket, bucket.tokens + ((at - bucket.at) / 1000) * limit.perSecond);
    bucket.at = at;
    return bucket;
  };
  return {
    async take(subscriptionId, stop) {
      const bucket = bucketOf(subscriptionId);
      // The token is taken now (the count may go below zero): calls waiting are served in order.
      bucket.tokens -= 1;
      // Half a token more than needed: the server's bucket is counted a little later than ours.
      const waitMs = bucket.tokens < 0 ? ((-bucket.tokens + 0.5) / limit.perSecond) * 1000 : 0;
      if (waitMs > 0) await sleep(waitMs, stop);
    },
    observe(subscriptionId, remaining) {
      if (!Number.isFinite(remaining) || remaining < 0) return;
      const bucket = bucketOf(subscriptionId);
      bucket.tokens = Math.min(bucket.tokens, remaining);
    },
  };
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stop.aborted) return reject(stop.reason);
    const done = (): void => {
      stop.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(stop.reason);
    };
    stop.addEventListener('abort', abort, { once: true });
  });
}
