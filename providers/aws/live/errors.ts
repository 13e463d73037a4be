// What went wrong in a call to AWS, in classes a person can act on: the network (nothing reached
// AWS), the credentials (AWS answered and refused them), the permissions, throttling, or a limit of
// gatewarden's own. The SDK gives service errors a `name` and Node's network errors a `code`; the
// same symptom ("the request failed") has very different fixes depending on which it is.

/** The classes of failure, each with its own advice. */
export type AwsErrorClass =
  /** Nothing reached the endpoint: connection refused or reset, a name that does not resolve, no route. */
  | 'network'
  /** The endpoint did not answer, or not completely, in time. */
  | 'timeout'
  /** The TLS handshake failed: a certificate not trusted, or plain HTTP where HTTPS was expected. */
  | 'tls'
  /** The SDK's chain found no credentials at all. */
  | 'no-credentials'
  /** The credentials were valid once: a session token or SSO session that has expired. */
  | 'expired-credentials'
  /** AWS does not know the access key, or the signature (secret key) is wrong. */
  | 'invalid-credentials'
  /** The identity is known but not allowed (IAM policy, role trust policy, SCP). */
  | 'access-denied'
  /** Still throttled after every retry. */
  | 'throttled'
  /** A response larger than the `audit-response-size` limit. */
  | 'too-large'
  /** The audit was stopped (its `--timeout`, Ctrl-C) while the call was under way. */
  | 'stopped'
  /** Any other answer of the service. */
  | 'service';

/** A failed call, classified. */
export interface AwsFailure {
  readonly errorClass: AwsErrorClass;
  /** The service's error name (`AccessDeniedException`), or Node's error code (`ECONNREFUSED`). */
  readonly error: string;
  readonly message: string;
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the DNS lookup failed (temporarily)',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EADDRNOTAVAIL: 'the address is not available',
};

// Node's TLS errors carry OpenSSL's codes; EPROTO is what a TLS client gets from a plain-HTTP server.
const TLS_CODE = /^(EPROTO|ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|ERR_OSSL_)/;

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'IncompleteSignature', 'InvalidAccessKeyId', 'AuthFailure', 'MissingAuthenticationToken']);

function stringField(value: unknown, field: string): string | undefined {
  const found = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/**
 * Classifies an error thrown by an SDK call (after the SDK's own retries), by the service's error
 * name first, then Node's error code (also on a wrapped `cause`), then the SDK's error class names.
 */
export function classifyAwsError(error: unknown): AwsFailure {
  const name = stringField(error, 'name') ?? 'Error';
  // The SDK appends a hint for its own developers to errors met while reading a body; OpenSSL's
  // messages end with a newline. A diagnostic is one line.
  const message = (stringField(error, 'message') ?? String(error))
    .replace(/\s*Deserialization error: to see the raw response[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const cause = error !== null && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  const code = stringField(error, 'code') ?? stringField(cause, 'code');
  const failure = (errorClass: AwsErrorClass, shown = name): AwsFailure => ({ errorClass, error: shown, message });
  if (name === 'AbortError' || name === 'AuditStopped') return failure('stopped');
  if (name === 'ResponseTooLargeError') return failure('too-large');
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException' || code === 'ETIMEDOUT') return failure('timeout', code ?? name);
  if (code !== undefined && NETWORK_CODES[code] !== undefined) return failure('network', code);
  if (code !== undefined && TLS_CODE.test(code)) {
    // "write EPROTO 80...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/...": the reason is what helps.
    const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
    return { errorClass: 'tls', error: code, message: reason ?? message };
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    // An SSO profile whose login has lapsed is reported by the provider chain as a credentials error.
    return failure(/expired|refresh/i.test(message) ? 'expired-credentials' : 'no-credentials');
  }
  if (EXPIRED.has(name)) return failure('expired-credentials');
  if (INVALID.has(name)) return failure('invalid-credentials');
  if (/AccessDenied|Unauthorized|Forbidden|NotAuthorized/i.test(name)) return failure('access-denied');
  if (name === 'TooManyRequestsException' || name === 'Throttling' || name === 'ThrottlingException') return failure('throttled');
  return failure('service');
}

/** A short phrase for the failure, as it reads after "cannot reach X: ". */
function networkDetail(failure: AwsFailure): string {
  return NETWORK_CODES[failure.error] ?? failure.message;
}

/**
 * Why signing in (STS `GetCallerIdentity`, or `AssumeRole` for `role`) failed and what to do,
 * as one sentence; and whether it is about the network or the credentials. `endpoint` names where
 * STS was called (`--endpoint-url`), when not AWS's own.
 */
export function describeSignInFailure(
  failure: AwsFailure,
  context: { readonly role?: string; readonly endpoint?: string; readonly region: string },
): { readonly code: 'network' | 'credentials'; readonly message: string } {
  const sts = `AWS STS ${context.endpoint !== undefined ? `at ${context.endpoint}` : `in ${context.region}`}`;
  const as = context.role !== undefined ? ` as ${context.role}` : '';
  const endpointAdvice = context.endpoint !== undefined ? `check that ${context.endpoint} (--endpoint-url, AWS_ENDPOINT_URL) is right and listening` : 'check the network connection, a firewall or an HTTPS proxy on the way to AWS';
  switch (failure.errorClass) {
    case 'network':
      return { code: 'network', message: `cannot reach ${sts} to sign in${as}: ${networkDetail(failure)} (${failure.error}); ${endpointAdvice}. Nothing was audited, and no credentials were judged` };
    case 'timeout':
      return { code: 'network', message: `${sts} did not answer in time to sign in${as} (${failure.message}); ${endpointAdvice}, then run the audit again` };
    case 'tls':
      return { code: 'network', message: `the TLS connection to ${sts} failed to sign in${as} (${failure.error}: ${failure.message}); a proxy that inspects TLS needs its CA certificate in NODE_EXTRA_CA_CERTS, and an endpoint that speaks plain HTTP needs an http:// URL` };
    case 'no-credentials':
      return { code: 'credentials', message: `no AWS credentials were found (${failure.message}); set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available (GitHub Actions OIDC, an instance or container role); see docs/audit-aws.md#credentials` };
    case 'expired-credentials':
      return { code: 'credentials', message: `the AWS credentials have expired${as} (${failure.error}: ${failure.message}); get new ones (aws sso login --profile NAME, or fresh temporary credentials with their AWS_SESSION_TOKEN) and run the audit again` };
    case 'invalid-credentials':
      return { code: 'credentials', message: `AWS rejected the credentials${as} (${failure.error}: ${failure.message}); the access key does not exist, was deleted or belongs to another partition (aws-cn, aws-us-gov), or the secret key is wrong: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile's keys` };
    case 'access-denied':
      return {
        code: 'credentials',
        message: context.role !== undefined
          ? `not allowed to assume ${context.role} (${failure.error}: ${failure.message}); give the identity running gatewarden sts:AssumeRole on that role, and name that identity in the role's trust policy`
          : `AWS denied the sign-in (${failure.error}: ${failure.message}); a service control policy or permissions boundary may deny sts:GetCallerIdentity`,
      };
    default:
      return { code: 'credentials', message: `cannot sign in to AWS${as} (${failure.error}: ${failure.message}); check the credentials, --profile or --role-arn` };
  }
}

/** What to do about a call that failed while reading a region, by class. */
export function adviceFor(failure: AwsFailure, region: string, partition: string): string {
  switch (failure.errorClass) {
    case 'access-denied':
      return `grant apigateway:GET on arn:${partition}:apigateway:${region}::/* to the audit's role (docs/audit-aws.md has the policy)`;
    case 'invalid-credentials':
      return 'the region may not be enabled for the account, or the credentials are not valid there';
    case 'expired-credentials':
      return 'the credentials expired during the audit; get new ones (a longer session, or aws sso login) and run the audit again';
    case 'throttled':
      return 'API Gateway kept throttling after retries; run the audit again, or with fewer regions at once';
    case 'network':
      return `the endpoint could not be reached (${networkDetail(failure)}); check the network, a firewall or proxy, or --endpoint-url`;
    case 'timeout':
      return 'the endpoint did not answer completely in time; check the network or --endpoint-url, and run the audit again';
    case 'tls':
      return 'the TLS connection failed; a proxy that inspects TLS needs its CA certificate in NODE_EXTRA_CA_CERTS';
    default:
      return 'run the audit again; if it persists, check the credentials and the region';
  }
}
