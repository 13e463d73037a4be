import { ApiGatewayServiceClient } from '@google-cloud/api-gateway';
import { GoogleAuth, type AuthClient } from 'google-auth-library';
import * as gaxFallback from 'google-gax/fallback';
import { ResponseTooLargeError } from '../../shared/response-limit.js';
import { MalformedResponseError } from './errors.js';

/** The Google APIs the audit calls, by their default base URLs. */
export const GOOGLE_APIS = {
  apigateway: 'https://apigateway.googleapis.com',
  servicemanagement: 'https://servicemanagement.googleapis.com',
  apikeys: 'https://apikeys.googleapis.com',
  cloudresourcemanager: 'https://cloudresourcemanager.googleapis.com',
} as const;

/** One of {@link GOOGLE_APIS}. */
export type GoogleApi = keyof typeof GOOGLE_APIS;

/** The clients of an audit: API Gateway's own, and GETs on the other APIs through the same credentials. */
export interface GcpSession {
  readonly apigateway: ApiGatewayServiceClient;
  /** A GET on a Google API (`/v1/services?...`), its JSON body parsed; throws gaxios errors as the client does. */
  get(api: GoogleApi, pathAndQuery: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Opens the clients. Credentials are Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * gcloud's ADC file, workload identity federation, the metadata server), read-only scope, unless a
 * client is given. The API Gateway client uses its REST transport (`fallback`): with `endpointUrl`
 * every call goes there, plain http included, which the gRPC transport cannot do. Service Management,
 * API Keys and Resource Manager have no client installed; their GETs go through the auth client.
 */
export async function openGcpSession(options: { readonly authClient?: unknown; readonly endpointUrl?: string; readonly maxResponseBytes: number }): Promise<GcpSession> {
  const authClient = (options.authClient as AuthClient | undefined) ?? (await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform.read-only'] }).getClient());
  boundResponses(authClient, options.maxResponseBytes);
  const endpoint = options.endpointUrl !== undefined ? new URL(options.endpointUrl) : undefined;
  const apigateway = new ApiGatewayServiceClient(
    {
      fallback: true,
      authClient,
      ...(endpoint
        ? { apiEndpoint: endpoint.hostname, port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)), protocol: endpoint.protocol.replace(':', '') }
        : {}),
    },
    gaxFallback,
  );
  const base = (api: GoogleApi): string => (endpoint ? endpoint.origin + endpoint.pathname.replace(/\/$/, '') : GOOGLE_APIS[api]);
  return {
    apigateway,
    async get(api, pathAndQuery, { signal, timeoutMs }) {
      // Through fetch, as the API Gateway client calls: the same bound on the response's size. Our
      // retry, not gaxios's: one policy for every call (callWithRetry).
      // `stream`: gaxios leaves the body unread, for the bound (boundResponses) to read.
      const response = (await authClient.fetch({ url: base(api) + pathAndQuery, method: 'GET', retry: false, timeout: timeoutMs, signal, responseType: 'stream' })) as unknown as Response;
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new MalformedResponseError(`the answer of GET ${pathAndQuery} is not JSON`);
      }
    },
    close: () => apigateway.close(),
  };
}

/**
 * Bounds the size of every response the auth client fetches, the API Gateway client's included (its
 * REST transport calls `authClient.fetch`): a larger Content-Length is refused before the body is
 * read, and a body without one is read up to the limit, then abandoned. gaxios's own
 * `maxContentLength` only checks the announced length.
 */
function boundResponses(authClient: AuthClient, maxBytes: number): void {
  const original = authClient.fetch.bind(authClient);
  const bounded = async (...args: Parameters<AuthClient['fetch']>): Promise<Response> => {
    // The adapter goes in the second argument: gaxios merges it under a request object given first.
    const [input, init] = args as unknown as [unknown, Record<string, unknown> | undefined];
    const response = (await (original as unknown as (input: unknown, init: unknown) => Promise<unknown>)(input, { ...init, adapter: cutErrorBodies })) as unknown as Response;
    // gaxios hands the body over as a Node stream; fetch's own is a web stream: both iterate.
    const body = response.body as unknown as (AsyncIterable<Uint8Array> & { destroy?: () => void; cancel?: () => Promise<void> }) | null;
    const abandon = (): void => {
      if (typeof body?.destroy === 'function') body.destroy();
      else void body?.cancel?.().catch(() => undefined);
    };
    const announced = Number(response.headers.get('content-length') ?? Number.NaN);
    if (announced > maxBytes) {
      abandon();
      throw new ResponseTooLargeError(maxBytes, announced, true);
    }
    if (!body) return response;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        abandon();
        throw new ResponseTooLargeError(maxBytes, size, false);
      }
      chunks.push(chunk);
    }
    return new ReadResponse(response, Buffer.concat(chunks)) as unknown as Response;
  };
  authClient.fetch = bounded as unknown as AuthClient['fetch'];
}

/**
 * A response whose body is read already (within the bound), with what the API Gateway client's REST
 * transport and {@link GcpSession.get} use of a Response: `ok`, `status`, `headers`, `arrayBuffer()`,
 * `text()`. A web Response built around the bytes again would cost a web stream per response, a
 * tenth of the audit's CPU in the bench's GCP case.
 */
class ReadResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** Read already: the transport uses `body` only for streaming calls, which the audit does not make. */
  readonly body = null;
  constructor(
    response: Response,
    private readonly bytes: Buffer,
  ) {
    this.ok = response.ok;
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.byteLength) as ArrayBuffer;
  }
  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString('utf8')) as unknown;
  }
}

/** What is kept of the body of an error response: Google's error objects are a few KiB at most. */
export const ERROR_BODY_BYTES = 64 * 1024;

/** A streamed body, as gaxios hands it over (a web stream from fetch, or a Node stream). */
type Body = AsyncIterable<Uint8Array | string>;

function isBody(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && typeof (value as Body)[Symbol.asyncIterator] === 'function';
}

/** The first `maxBytes` of a body; leaving the loop early cancels the stream, which closes the connection. */
async function* upTo(body: Body, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (size + bytes.byteLength >= maxBytes) {
      yield bytes.subarray(0, maxBytes - size);
      return;
    }
    size += bytes.byteLength;
    yield bytes;
  }
}

/**
 * A gaxios adapter that cuts the body of an error response to {@link ERROR_BODY_BYTES}. gaxios reads
 * the whole body of a response whose status it rejects, to build its error, before the bound of
 * {@link boundResponses} can see it: a hostile endpoint (`--endpoint-url`) could answer a 403 with a
 * gigabyte. With `responseType: 'stream'` (every call here asks for it) the body is still unread when
 * the adapter returns, so what gaxios reads is the cut stream. The error keeps its status and, for
 * Google's own small error objects, its whole body.
 */
async function cutErrorBodies(options: { validateStatus?: (status: number) => boolean }, next: (options: unknown) => Promise<{ status: number; data: unknown }>): Promise<unknown> {
  const response = await next(options);
  const accepted = options.validateStatus ? options.validateStatus(response.status) : response.status >= 200 && response.status < 300;
  if (!accepted && isBody(response.data)) response.data = upTo(response.data, ERROR_BODY_BYTES);
  return response;
}
