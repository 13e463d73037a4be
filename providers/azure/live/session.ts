import { ApiManagementClient } from '@azure/arm-apimanagement';
import { createDefaultHttpClient, createPipelineRequest, RestError, type HttpClient } from '@azure/core-rest-pipeline';
import type { AzureCloud } from './clouds.js';
import type { AzureTokenCredential } from './options.js';
import { readPacer, type ReadLimit } from './pacer.js';
import type { AzureErrorClass } from './raw.js';

/** The API Management REST API version every read uses: the client's own. */
export const APIM_API_VERSION = '2024-05-01';
/** The Resource Manager version of `GET /subscriptions`. */
export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

/** A call that did not give a JSON body: its status (when there was a response), code and class. */
export class ArmCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly errorClass: AzureErrorClass,
    readonly status?: number,
    /** Set when the response was larger than the `audit-response-size` limit: its size in bytes. */
    readonly tooLarge?: number,
  ) {
    super(message);
    this.name = 'ArmCallError';
  }
}

/** Thrown when the audit's stop fired during a call. */
export class ArmCallStopped extends Error {
  constructor() {
    super('the audit stopped');
    this.name = 'ArmCallStopped';
  }
}

/** How to open a session. */
export interface ArmSessionOptions {
  readonly cloud: AzureCloud;
  readonly endpointUrl?: string;
  readonly credential?: AzureTokenCredential;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly stop: AbortSignal;
  /** Each subscription's read limit, that calls are paced to (default Resource Manager's). */
  readonly readLimit?: ReadLimit;
}

/** Resource Manager, read through the API Management client's pipeline: GET only. */
export interface ArmSession {
  /** The endpoint resource ids are read under (`https://management.azure.com`). */
  readonly endpoint: string;
  /**
   * GETs a path (`/subscriptions/...`, with the query) or a `nextLink`, and returns its JSON body.
   * Throws {@link ArmCallError} for a response that is not a 2xx JSON body (after the pipeline's
   * retries), and {@link ArmCallStopped} when the audit's stop fired.
   */
  get(pathOrUrl: string): Promise<unknown>;
  /** Calls made so far, retries not counted. */
  readonly calls: number;
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/**
 * An http client that sends every request to a plain-http server on the loopback address. The
 * pipeline keeps seeing the https endpoint, so that its bearer policy (which refuses http) runs as
 * against Azure; nothing leaves the machine.
 */
function loopbackClient(target: URL): HttpClient {
  const inner = createDefaultHttpClient();
  const prefix = target.pathname.replace(/\/+$/, '');
  return {
    sendRequest: (request) => {
      const url = new URL(request.url);
      request.url = `${target.origin}${prefix}${url.pathname}${url.search}`;
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
}

/** Resource Manager's error body: `{ "error": { "code", "message" } }`. */
function armError(text: string | undefined): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text ?? '') as { error?: { code?: unknown; message?: unknown } };
    const error = body?.error;
    return { ...(typeof error?.code === 'string' ? { code: error.code } : {}), ...(typeof error?.message === 'string' ? { message: error.message } : {}) };
  } catch {
    return {};
  }
}

function classOfStatus(status: number): AzureErrorClass {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'other';
}

/**
 * Reads a streamed body, at most `maxResponseBytes` of it and within the call's time limit (a server
 * that sends its headers and then trickles the body is cut off).
 */
async function readCapped(stream: NodeJS.ReadableStream, status: number, options: Pick<ArmSessionOptions, 'maxResponseBytes' | 'requestTimeoutMs' | 'stop'>): Promise<string> {
  const readable = stream as NodeJS.ReadableStream & { destroy(error?: Error): void };
  const chunks: Buffer[] = [];
  let size = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    readable.destroy();
  }, options.requestTimeoutMs);
  const stop = (): void => readable.destroy();
  options.stop.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of readable) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > options.maxResponseBytes) {
        readable.destroy();
        throw new ArmCallError('the response is over the audit-response-size limit', 'ResponseTooLarge', 'other', status, size);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof ArmCallError) throw error;
    if (options.stop.aborted) throw new ArmCallStopped();
    throw new ArmCallError(timedOut ? `the response body did not arrive within ${options.requestTimeoutMs} ms` : error instanceof Error ? error.message : String(error), timedOut ? 'ResponseTimeout' : 'ResponseAborted', 'network', status);
  } finally {
    clearTimeout(timer);
    options.stop.removeEventListener('abort', stop);
  }
  // A destroyed stream can end the loop without an error.
  if (timedOut) throw new ArmCallError(`the response body did not arrive within ${options.requestTimeoutMs} ms`, 'ResponseTimeout', 'network', status);
  if (options.stop.aborted) throw new ArmCallStopped();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Opens a Resource Manager session: the credential (`DefaultAzureCredential` of the cloud's authority
 * unless one is given, imported only now), and an `ApiManagementClient` whose pipeline every call
 * goes through: the bearer token for `<endpoint>/.default`, retries of 429 and 5xx that honour
 * `Retry-After`, and the per-attempt time limit. Reads are raw GETs on that pipeline because the
 * wire shape is the ARM shape the translation reads, and the client's `apiPolicy.get` loses the
 * policy text of `format=rawxml` (Azure/azure-sdk-for-js#31566).
 */
export async function openArmSession(options: ArmSessionOptions): Promise<ArmSession> {
  const { cloud } = options;
  const given = options.endpointUrl !== undefined ? new URL(options.endpointUrl) : undefined;
  // A loopback http server stands in for the cloud's endpoint; an https one replaces it.
  const endpoint = given && !isLoopbackHttp(given) ? options.endpointUrl!.replace(/\/+$/, '') : cloud.endpoint;
  const credential: AzureTokenCredential =
    options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential({ authorityHost: cloud.authorityHost });
  const client = new ApiManagementClient(credential, {
    endpoint,
    credentialScopes: [`${cloud.endpoint}/.default`],
    retryOptions: { maxRetries: options.maxRetries, retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: 60_000 },
    userAgentOptions: { userAgentPrefix: 'gatewarden' },
    ...(given && isLoopbackHttp(given) ? { httpClient: loopbackClient(given) } : {}),
  });
  const origin = new URL(endpoint).origin;
  const pacer = readPacer(options.readLimit);
  let calls = 0;
  return {
    endpoint,
    get calls() {
      return calls;
    },
    async get(pathOrUrl) {
      let url = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${endpoint}${pathOrUrl}`;
      // A local server given with --endpoint-url may page with its own address: the same server.
      if (given && isLoopbackHttp(given) && new URL(url).origin === given.origin) url = `${endpoint}${new URL(url).pathname}${new URL(url).search}`;
      // A nextLink elsewhere would take the bearer token to another host.
      if (new URL(url).origin !== origin) {
        const expected = given ? `${given.origin} (--endpoint-url)` : origin;
        throw new ArmCallError(`the response links to ${new URL(url).origin}, not to ${expected}; the link was not followed`, 'ForeignNextLink', 'malformed');
      }
      if (options.stop.aborted) throw new ArmCallStopped();
      // Subscription-scoped reads share the subscription's limit; listing the subscriptions is the tenant's.
      const subscriptionId = /^\/subscriptions\/([^/?]+)\//i.exec(new URL(url).pathname)?.[1];
      if (subscriptionId !== undefined) {
        try {
          await pacer.take(subscriptionId, options.stop);
        } catch {
          throw new ArmCallStopped();
        }
      }
      calls++;
      let response;
      try {
        // A 200 body is streamed, so that it is read within the size limit instead of whole into memory.
        response = await client.sendRequest(createPipelineRequest({ url, method: 'GET', timeout: options.requestTimeoutMs, abortSignal: options.stop, streamResponseStatusCodes: new Set([200]) }));
      } catch (error) {
        if (options.stop.aborted) throw new ArmCallStopped();
        // The client's pipeline parses a JSON body itself, and fails on one that is not JSON.
        if (error instanceof RestError && error.code === 'PARSE_ERROR') throw new ArmCallError(`the response is not JSON (${error.message.slice(0, 120)})`, 'MalformedResponse', 'malformed', error.statusCode);
        const code = error instanceof RestError ? (error.code ?? 'RestError') : error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        // The credential's failure (no sign-in found, a refused secret) surfaces here, from the bearer policy.
        const signIn = error instanceof Error && /Credential|Authentication/.test(error.name);
        throw new ArmCallError(message, code, signIn ? 'unauthenticated' : 'network');
      }
      const remaining = Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads') ?? Number.NaN);
      if (subscriptionId !== undefined && !Number.isNaN(remaining)) pacer.observe(subscriptionId, remaining);
      const text = response.readableStreamBody ? await readCapped(response.readableStreamBody, response.status, options) : (response.bodyAsText ?? '');
      if (Buffer.byteLength(text) > options.maxResponseBytes) throw new ArmCallError('the response is over the audit-response-size limit', 'ResponseTooLarge', 'other', response.status, Buffer.byteLength(text));
      if (response.status < 200 || response.status > 299) {
        const error = armError(text);
        throw new ArmCallError(error.message ?? `HTTP ${response.status}`, error.code ?? `HTTP${response.status}`, classOfStatus(response.status), response.status);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ArmCallError(`the response is not JSON (${text.length} characters starting ${JSON.stringify(text.slice(0, 20))})`, 'MalformedResponse', 'malformed', response.status);
      }
    },
  };
}
