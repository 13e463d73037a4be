// What went wrong in a call to a Google API, in classes a person can act on. Over the REST transport
// the clients throw gaxios errors whose `status` is the HTTP status and whose body is Google's error
// object (`{error: {code, message, status, details: [{reason: 'SERVICE_DISABLED'}]}}`); the gRPC
// transport would throw numeric gRPC codes instead, so both are read.
// @see https://cloud.google.com/apis/design/errors

/** The classes of failure, each with its own advice. */
export type GcpErrorClass =
  /** The API is not enabled in the project (`SERVICE_DISABLED`, `accessNotConfigured`). */
  | 'disabled'
  /** The principal may not read it (IAM), or the project does not exist for it. */
  | 'denied'
  /** The credentials are missing, expired or rejected. */
  | 'unauthenticated'
  | 'not-found'
  /** Still throttled after every retry (429, `RESOURCE_EXHAUSTED`). */
  | 'throttled'
  /** Still failing after every retry (5xx, `UNAVAILABLE`). */
  | 'unavailable'
  /** Nothing reached the endpoint. */
  | 'network'
  /** No answer in time (the per-call timeout). */
  | 'timeout'
  /** An answer that is not the JSON it should be. */
  | 'malformed'
  /** The audit was stopped while the call was under way. */
  | 'stopped'
  | 'service';

/** A failed call, classified. */
export interface GcpFailure {
  readonly errorClass: GcpErrorClass;
  /** The HTTP status, when there was an answer. */
  readonly status?: number;
  /** Google's reason (`SERVICE_DISABLED`, `IAM_PERMISSION_DENIED`) or status (`PERMISSION_DENIED`), or Node's error code. */
  readonly error: string;
  readonly message: string;
}

/** Thrown by the per-call timeout. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
}

/** Thrown when an answer is not JSON. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}


/** Thrown when the audit's stop fires. */
export class AuditStoppedError extends Error {
  override readonly name = 'AuditStopped';
}

/** The longest message of an endpoint a diagnostic shows. */
const MESSAGE_CHARS = 300;

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_SOCKET']);
// gRPC codes, for errors that carry them instead of an HTTP status.
const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401 };

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

/** The HTTP status of a failed call: `status`, the response's status, or a gRPC code mapped to one. */
export function statusOf(error: unknown): number | undefined {
  const status = field(error, 'status') ?? field(field(error, 'response'), 'status');
  if (typeof status === 'number') return status;
  const code = field(error, 'code');
  if (typeof code === 'number') return code >= 100 ? code : GRPC_TO_HTTP[code];
  if (typeof code === 'string' && /^\d{3}$/.test(code)) return Number(code);
  return undefined;
}

/** Google's error object from a response body (text or parsed). */
function googleError(error: unknown): { message?: string; status?: string; reason?: string } {
  // The API Gateway client's errors carry the body as their message; the auth client's, as the response's data.
  let data: unknown = field(field(error, 'response'), 'data') ?? (error instanceof Error && error.message.trimStart().startsWith('{') ? error.message : undefined);
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      return {};
    }
  }
  const body = field(data, 'error');
  const details = field(body, 'details');
  const reasons = Array.isArray(details) ? details.map((detail) => field(detail, 'reason')).filter((reason): reason is string => typeof reason === 'string') : [];
  const message = field(body, 'message');
  const status = field(body, 'status');
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof status === 'string' ? { status } : {}),
    ...(reasons[0] !== undefined ? { reason: reasons[0] } : {}),
  };
}

/** Whether a failed call is worth another attempt: throttled, a server error, or a dropped connection. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 429 || status >= 500;
  const code = field(error, 'code') ?? field(field(error, 'cause'), 'code');
  return typeof code === 'string' && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET');
}

/** Classifies an error thrown by a call, after the retries. The message is one line. */
export function classifyGcpError(error: unknown): GcpFailure {
  const raw = error instanceof Error ? error.message : String(error);
  const body = googleError(error);
  const whole = (body.message ?? (raw.trimStart().startsWith('{') ? raw.slice(0, 200) : raw)).replace(/\s+/g, ' ').trim();
  // An endpoint's message is shown in a diagnostic: a long one (an HTML page, a hostile body) is cut.
  const message = whole.length > MESSAGE_CHARS ? `${whole.slice(0, MESSAGE_CHARS)}... (${whole.length} characters)` : whole;
  const status = statusOf(error);
  const failure = (errorClass: GcpErrorClass, shown: string): GcpFailure => ({ errorClass, ...(status !== undefined ? { status } : {}), error: shown, message });
  const name = error instanceof Error ? error.name : '';
  if (name === 'AuditStopped' || name === 'AbortError') return failure('stopped', name);
  if (error instanceof CallTimeoutError || name === 'TimeoutError') return failure('timeout', 'timeout');
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) return failure('malformed', 'malformed response');
  const shown = body.reason ?? body.status ?? (status !== undefined ? `HTTP ${status}` : undefined);
  if (status !== undefined) {
    if (body.reason === 'SERVICE_DISABLED' || body.reason === 'accessNotConfigured' || /has not been used in project|is disabled/i.test(message)) return failure('disabled', shown ?? 'SERVICE_DISABLED');
    if (status === 401) return failure('unauthenticated', shown!);
    if (status === 403) return failure('denied', shown!);
    if (status === 404) return failure('not-found', shown!);
    if (status === 429) return failure('throttled', shown!);
    if (status >= 500) return failure('unavailable', shown!);
    return failure('service', shown!);
  }
  const code = field(error, 'code') ?? field(field(error, 'cause'), 'code');
  if (typeof code === 'string' && NETWORK.has(code)) return failure('network', code);
  if (typeof code === 'string' && code === 'ETIMEDOUT') return failure('timeout', code);
  if (/default credentials|Could not load the default credentials|invalid_grant|Could not refresh access token/i.test(raw)) return failure('unauthenticated', 'credentials');
  return failure('service', name || 'Error');
}

/** What to do about a call that failed, by class; `api` is the Google API (`apigateway.googleapis.com`). */
export function adviceFor(failure: GcpFailure, api: string, project: string, permission: string): string {
  switch (failure.errorClass) {
    case 'disabled':
      return `the API ${api} is not enabled in project ${project}: nothing of it can exist there, or enable it (gcloud services enable ${api} --project ${project}) to audit it`;
    case 'denied':
      return `grant ${permission} on project ${project} to the audit's principal (docs/audit-gcp.md has the roles)`;
    case 'unauthenticated':
      return 'the credentials were rejected or expired; run gcloud auth application-default login, or check GOOGLE_APPLICATION_CREDENTIALS';
    case 'throttled':
      return `${api} kept throttling after retries; run the audit again, or with fewer projects at once`;
    case 'unavailable':
      return `${api} kept failing after retries; run the audit again later`;
    case 'network':
      return 'the endpoint could not be reached; check the network, a proxy, or --endpoint-url';
    case 'timeout':
      return 'the endpoint did not answer in time; check the network or --endpoint-url, and run the audit again';
    case 'malformed':
      return 'the answer was not the JSON of the Google API; check --endpoint-url, or a proxy on the way';
    default:
      return 'run the audit again; if it persists, check the credentials and the project';
  }
}
