import { Transform, type Readable } from 'node:stream';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ResponseTooLargeError } from '../../shared/response-limit.js';

// Why gatewarden wraps the SDK's Node handler instead of only configuring it (measured with
// @smithy/node-http-handler 4.14, see test/providers/aws/live.test.ts):
// - `connectionTimeout` covers the DNS lookup and TCP connect only: it is cleared on the socket's
//   `connect`, so neither a TLS handshake nor a server that accepts and stays silent is bounded by it.
// - `requestTimeout` runs until the response *headers*, and by default only logs a warning
//   (`throwOnRequestTimeout` makes it an error): a server that accepts and never answers hangs forever.
// - `socketTimeout` is an idle timeout: a server that sends headers and then one byte every few
//   seconds of the body is never idle long enough, and a call then never ends.
// - Nothing bounds the size of a response: the SDK collects the whole body in memory before parsing.
// So one deadline covers the whole call, from the request to the body's last byte, and the bytes of
// each response are counted as they stream (and checked against Content-Length before reading).

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;
type HandlerResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;
type RetryToken = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/** A call that did not end within its deadline. Named as the SDK names its own timeouts, so that it is retried like them. */
export class CallTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms (gatewarden's time limit for one call, headers and body)`);
  }
}

/** Thrown for every call once the audit is stopped (its overall `--timeout`, Ctrl-C, a limit). */
export class AuditStoppedError extends Error {
  override readonly name = 'AuditStopped';
  /** @param cause the failure of the last attempt, when the audit stopped while waiting to retry it. */
  constructor(cause?: unknown) {
    super('the audit was stopped before this call ended', cause === undefined ? undefined : { cause });
  }
}

/** How each call of an audit is bounded. */
export interface CallBounds {
  /** The whole call, from sending the request to the last byte of the response, in milliseconds. */
  readonly callTimeoutMs: number;
  /** The DNS lookup and TCP connect, in milliseconds (a dead host fails fast, before the call's deadline). */
  readonly connectionTimeoutMs: number;
  /** The largest response accepted, in bytes (the `audit-response-size` limit). */
  readonly maxResponseBytes: number;
  /** Aborts every call in flight and refuses new ones: the audit has stopped. */
  readonly stop?: AbortSignal;
}

/** Adds a listener to an SDK abort signal (a DOM `AbortSignal`, or an object with `onabort` only), returning its removal. */
function onAbort(signal: HandlerOptions['abortSignal'] | AbortSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => undefined;
  if (typeof (signal as AbortSignal).addEventListener === 'function') {
    (signal as AbortSignal).addEventListener('abort', listener, { once: true });
    return () => (signal as AbortSignal).removeEventListener('abort', listener);
  }
  const previous = signal.onabort;
  signal.onabort = () => listener();
  return () => {
    signal.onabort = previous;
  };
}

/**
 * The SDK's Node handler with every call bounded in time and size; given to the clients as their
 * `requestHandler`. Errors it raises keep the names the SDK's retry logic knows (`TimeoutError` is
 * retried; `ResponseTooLargeError` and `AbortError` are not).
 */
export class BoundedHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: NodeHttpHandler;

  constructor(private readonly bounds: CallBounds) {
    // The handler's own request timeout stays off: the deadline below covers more of the call.
    this.inner = new NodeHttpHandler({ connectionTimeout: bounds.connectionTimeoutMs });
  }

  /** Sends one request; the response's body is a stream that fails when the deadline or the size limit is passed. */
  async handle(request: HttpRequest, options: HandlerOptions = {}): Promise<HandlerResult> {
    const { stop } = this.bounds;
    if (stop?.aborted || options.abortSignal?.aborted) throw new AuditStoppedError();
    const controller = new AbortController();
    let body: Readable | undefined;
    let failure: Error | undefined;
    const fail = (error: Error): void => {
      failure ??= error;
      controller.abort(error);
      body?.destroy(error);
    };
    const timer = setTimeout(() => fail(new CallTimeoutError(this.bounds.callTimeoutMs)), this.bounds.callTimeoutMs);
    // A pending deadline must not keep the process alive on its own: the socket it guards does.
    timer.unref();
    const removeStop = onAbort(stop, () => fail(new AuditStoppedError()));
    const removeCaller = onAbort(options.abortSignal, () => fail(new AuditStoppedError()));
    const settle = (): void => {
      clearTimeout(timer);
      removeStop();
      removeCaller();
    };
    let result: HandlerResult;
    try {
      result = await this.inner.handle(request, { abortSignal: controller.signal });
    } catch (error) {
      settle();
      throw failure ?? error;
    }
    const { response } = result;
    const source = response.body as Readable;
    const announced = Number(response.headers['content-length']);
    if (Number.isFinite(announced) && announced > this.bounds.maxResponseBytes) {
      settle();
      source.destroy();
      throw new ResponseTooLargeError(this.bounds.maxResponseBytes, announced, true);
    }
    let read = 0;
    const limit = this.bounds.maxResponseBytes;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        // A chunked response has no Content-Length: its bytes are counted as they come.
        if (read > limit) done(new ResponseTooLargeError(limit, read, false));
        else done(null, chunk);
      },
    });
    body = counted;
    source.on('error', (error) => counted.destroy(failure ?? error));
    counted.on('close', () => {
      settle();
      source.destroy();
    });
    source.pipe(counted);
    response.body = counted;
    return { response };
  }

  /** Passes the SDK's configuration changes on to the Node handler. */
  updateHttpClientConfig(key: Parameters<NodeHttpHandler['updateHttpClientConfig']>[0], value: Parameters<NodeHttpHandler['updateHttpClientConfig']>[1]): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  /** The Node handler's configuration. */
  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  /** Closes the Node handler's sockets. */
  destroy(): void {
    this.inner.destroy();
  }
}

/**
 * The SDK's standard retry strategy (attempts, retry quota, which errors are retried), with its
 * backoff waited here instead of inside the strategy: the SDK's own wait is a plain timer that an
 * aborted audit cannot cancel, so a stopped audit would linger up to 25 s (20 s backoff, Retry-After
 * up to 5 s more) before the process could exit. This wait ends the moment the audit stops.
 */
export class StoppableRetryStrategy {
  readonly mode = 'standard';
  private readonly inner: StandardRetryStrategy;

  constructor(
    readonly maxAttempts: number,
    private readonly stop?: AbortSignal,
  ) {
    // The inner strategy computes no delay (and is given no Retry-After): refreshRetryTokenForRetry waits.
    this.inner = new StandardRetryStrategy({ maxAttempts, backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined } });
  }

  /** The first attempt's token. */
  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  /**
   * Decides with the standard strategy whether to retry, then waits as it would: full jitter over
   * an exponential backoff (base 50 ms, 1 s when throttled, at most 20 s), at least as long as a
   * Retry-After header asks, up to 5 s more. Throws when there is no retry, or the audit stops.
   */
  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    // The last attempt's failure goes with the stop: "connection refused" says more than "stopped".
    if (this.stop?.aborted) throw new AuditStoppedError(errorInfo.error);
    const { retryAfterHint, ...rest } = errorInfo;
    const next = await this.inner.refreshRetryTokenForRetry(token, rest);
    const base = errorInfo.errorType === 'THROTTLING' ? 1000 : 50;
    const backoff = Math.floor(Math.random() * Math.min(base * 2 ** token.getRetryCount(), 20_000));
    const delay = retryAfterHint instanceof Date ? Math.max(backoff, Math.min(retryAfterHint.getTime() - Date.now(), backoff + 5000)) : backoff;
    await new Promise<void>((resolve, reject) => {
      const stopped = (): void => {
        clearTimeout(timer);
        reject(new AuditStoppedError(errorInfo.error));
      };
      const timer = setTimeout(() => {
        this.stop?.removeEventListener('abort', stopped);
        resolve();
      }, delay);
      this.stop?.addEventListener('abort', stopped, { once: true });
    });
    return next;
  }

  /** Gives back retry quota after a success. */
  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}
