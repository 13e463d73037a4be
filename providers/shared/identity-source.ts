import { Unknown, type Maybe } from '../../src/model/unknown.js';

/**
 * Names of request parameters that carry a caller's credential: the `Authorization` and `Cookie`
 * headers, and headers or query parameters whose name says token, key, session, secret, signature,
 * password, bearer or JWT (`X-Api-Key`, `access_token`, `X-Session-Id`). It leans towards treating a
 * parameter as a credential, so that a cache keyed on a custom token header is not reported.
 */
const CREDENTIAL_NAME = /auth|cookie|token|jwt|bearer|key|secret|session|signature|passw|credential/i;

/**
 * The request parameter an identity source names, for every syntax API Gateway accepts: REST
 * (`method.request.header.X`, `method.request.querystring.x`, `method.request.multivalueheader.X`),
 * HTTP (`$request.header.X`, `$request.querystring.x`), WebSocket (`route.request.header.X`). Context
 * and stage variables (`context.sourceIp`, `$stageVariables.x`) name no request parameter.
 */
function requestParameter(source: string): string | undefined {
  const match = /^\$?(?:method|route)?\.?request\.(?:multivalue)?(?:header|querystring)\.(.+)$/i.exec(source.trim());
  return match?.[1];
}

/**
 * Whether an identity source carries the caller's credential (see {@link CREDENTIAL_NAME}), or a
 * client certificate (`$context.identity.clientCert...`, mutual TLS).
 */
export function identitySourceCarriesCredential(source: string): boolean {
  if (/identity\.clientCert/i.test(source)) return true;
  const parameter = requestParameter(source);
  return parameter !== undefined && CREDENTIAL_NAME.test(parameter);
}

/**
 * Whether API Gateway keys a Lambda authorizer's cached result on the caller's credential. A TOKEN
 * authorizer's (and a Cognito authorizer's) key is the token itself; a REQUEST authorizer's key is the
 * values of all its identity sources, so it is keyed on the credential only when one of them carries
 * it: otherwise two callers who send the same path, stage variable or header value share the policy
 * the first caller's credential produced.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function cacheKeyedOnCredential(rawType: Maybe<string>, sources: Maybe<readonly string[]>): Maybe<boolean> {
  if (rawType instanceof Unknown) return rawType;
  const type = rawType.toUpperCase();
  if (type === 'TOKEN' || type === 'COGNITO_USER_POOLS' || type === 'JWT') return true;
  if (sources instanceof Unknown) return sources;
  // An OpenAPI `identitySource` of a REST API is one comma-separated string.
  return sources.flatMap((source) => source.split(',')).some(identitySourceCarriesCredential);
}
