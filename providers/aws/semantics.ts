import type { AuthKind, HttpMethod, IntegrationKind, RateLimit, RouteMethod } from '../../src/model/entities.js';
import { HTTP_METHODS } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { knownParts } from '../../src/sources/view/partial-text.js';

/**
 * API Gateway semantics shared by every AWS source (Terraform, CloudFormation, live): how its own
 * names map onto the common model. One place, so that the adapters cannot drift apart.
 */

/** REST API method `authorization` (NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS) to an auth kind. */
export function restAuthorizationKind(authorization: string, authorizerType?: Maybe<string>): Maybe<AuthKind> {
  switch (authorization.toUpperCase()) {
    case 'NONE':
      return 'none';
    case 'AWS_IAM':
      return 'iam';
    case 'COGNITO_USER_POOLS':
      return 'cognito';
    case 'CUSTOM':
      if (authorizerType instanceof Unknown) return authorizerType;
      return authorizerType?.toUpperCase() === 'COGNITO_USER_POOLS' ? 'cognito' : 'lambda';
    default:
      return new Unknown(`authorization "${authorization}" is not a REST API authorization type`);
  }
}

/** HTTP/WebSocket API route `authorization_type` (NONE, AWS_IAM, JWT, CUSTOM) to an auth kind. */
export function routeAuthorizationKind(authorizationType: string): Maybe<AuthKind> {
  switch (authorizationType.toUpperCase()) {
    case 'NONE':
      return 'none';
    case 'AWS_IAM':
      return 'iam';
    case 'JWT':
      return 'jwt';
    case 'CUSTOM':
      return 'lambda';
    default:
      return new Unknown(`authorization_type "${authorizationType}" is not a route authorization type`);
  }
}

/** REST authorizer `type` (TOKEN, REQUEST, COGNITO_USER_POOLS) or HTTP API `authorizer_type` (JWT, REQUEST). */
export function authorizerKind(type: string): Maybe<AuthKind> {
  switch (type.toUpperCase()) {
    case 'TOKEN':
    case 'REQUEST':
      return 'lambda';
    case 'COGNITO_USER_POOLS':
      return 'cognito';
    case 'JWT':
      return 'jwt';
    default:
      return new Unknown(`authorizer type "${type}" is not known`);
  }
}

/**
 * Integration `type` to what the route reaches. AWS_PROXY and AWS integrations whose URI invokes a
 * Lambda function are Lambda; other AWS integrations call an AWS service directly.
 */
export function integrationKind(type: string, uri?: Maybe<string>): Maybe<IntegrationKind> {
  switch (type.toUpperCase()) {
    case 'MOCK':
      return 'mock';
    case 'HTTP':
      return 'http';
    case 'HTTP_PROXY':
      return 'http-proxy';
    case 'AWS_PROXY':
      return 'lambda';
    case 'AWS': {
      // A URI with an unknown part (`arn:aws:apigateway:${region}:lambda:path/...`) still says which service.
      const known = knownParts(uri);
      if (known) return /:lambda:path\//.test(known.text) ? 'lambda' : 'aws-service';
      if (uri instanceof Unknown) return 'aws-service';
      return uri && /:lambda:path\//.test(uri) ? 'lambda' : 'aws-service';
    }
    default:
      return new Unknown(`integration type "${type}" is not known`);
  }
}

/** Reads an HTTP method as API Gateway writes it; `*` and `ANY` both mean every method. */
export function parseHttpMethod(text: string): Maybe<HttpMethod> {
  const upper = text.toUpperCase();
  if (upper === '*') return 'ANY';
  return (HTTP_METHODS as readonly string[]).includes(upper) ? (upper as HttpMethod) : new Unknown(`"${text}" is not an HTTP method`);
}

/**
 * Splits an HTTP API route key (`GET /users/{id}`, `$default`, `ANY /{proxy+}`) or a WebSocket
 * route key (`$connect`, `sendMessage`) into method and path.
 */
export function parseRouteKey(routeKey: string, protocol: 'http' | 'websocket'): { method: Maybe<RouteMethod>; path: string } {
  if (protocol === 'websocket') return { method: 'WEBSOCKET', path: routeKey };
  if (routeKey === '$default') return { method: 'ANY', path: '$default' };
  const space = routeKey.indexOf(' ');
  if (space < 0) return { method: new Unknown(`route key "${routeKey}" has no method`), path: routeKey };
  return { method: parseHttpMethod(routeKey.slice(0, space)), path: routeKey.slice(space + 1) };
}

/**
 * A header value as an API Gateway response mapping reads it: a literal, a value known only when a
 * request is served, or text that is no mapping expression at all.
 */
export type HeaderMapping = { readonly literal: string } | { readonly unknown: Unknown } | { readonly invalid: string };

// The sources a REST response header can be mapped from, besides a quoted literal: the integration's
// response (integration responses), the method request (gateway responses), stage and context
// variables.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-parameter-mapping-sources.html
const MAPPING_SOURCE =
  /^(?:integration\.response\.(?:header|multivalueheader)\.\S+|integration\.response\.body(?:\.\S+)?|method\.request\.(?:header|multivalueheader|querystring|multivaluequerystring|path)\.\S+|stagevariables\.\S+|context\.\S+)$/i;

/**
 * Reads a response header mapping (`method.response.header.X: VALUE`, `gatewayresponse.header.X:
 * VALUE`) as API Gateway does. A static value is written between single quotes (`'*'`). A mapping
 * from the request's `Origin` header reflects the caller's own origin, which allows any origin, so it
 * reads as `*`; any other mapping source is decided per request (unknown). Anything else, such as an
 * unquoted `*`, is no mapping expression: API Gateway refuses it ("Invalid mapping expression
 * specified") and the deployment fails, so it is invalid, never read as the literal it would have
 * meant.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-parameter-mapping-sources.html
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html ("'www.example.com'" is correct whereas "www.example.com" is wrong)
 */
export function readHeaderMapping(expression: string): HeaderMapping {
  const trimmed = expression.trim();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) return { literal: trimmed.slice(1, -1) };
  if (/^method\.request\.header\.origin$/i.test(trimmed)) return { literal: '*' };
  if (MAPPING_SOURCE.test(trimmed)) return { unknown: new Unknown(`the header is mapped from ${trimmed}, known only when a request is served`) };
  return {
    invalid: `${JSON.stringify(trimmed)} is not an API Gateway mapping expression: a static header value is written between single quotes (${JSON.stringify(`'${trimmed}'`)}), and API Gateway refuses this one ("Invalid mapping expression specified"), so the deployment fails`,
  };
}

/** CORS settings read from response header mappings (integration or gateway responses). */
export interface HeaderCors {
  readonly allowOrigins: Maybe<string[]>;
  readonly allowMethods: Maybe<string[]>;
  readonly allowHeaders: Maybe<string[]>;
  readonly allowCredentials: Maybe<boolean>;
  /** The parameter key that set the origin, for pointing a finding at it. */
  readonly originKey: string;
  /**
   * Parameters of the map whose value API Gateway refuses (see {@link readHeaderMapping}), by key, with
   * why: to be reported as `invalid-value` where they are written. What they set is unknown.
   */
  readonly invalid: ReadonlyArray<{ readonly key: string; readonly message: string }>;
}

/**
 * Whether a REST integration type is a proxy (`AWS_PROXY`, `HTTP_PROXY`): API Gateway passes the
 * backend's response through, and the method's integration responses are not applied ("a proxy
 * integration doesn't return an integration response"), so their `Access-Control-Allow-*` headers
 * are never sent: the backend decides CORS.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html#apigateway-enable-cors-proxy
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
 */
export function isProxyIntegration(type: string): boolean {
  const upper = type.toUpperCase();
  return upper === 'AWS_PROXY' || upper === 'HTTP_PROXY';
}

/**
 * Extracts CORS headers from a response parameter map whose keys end in the header name, e.g.
 * `method.response.header.Access-Control-Allow-Origin` or `gatewayresponse.header.Access-Control-Allow-Origin`.
 * Returns undefined when no Access-Control-Allow-Origin is set.
 */
export function corsFromResponseParameters(parameters: Readonly<Record<string, Maybe<string> | undefined>>): HeaderCors | undefined {
  const find = (header: string): [string, Maybe<string>] | undefined => {
    for (const [key, value] of Object.entries(parameters)) {
      if (value !== undefined && key.toLowerCase().endsWith(`header.${header}`)) return [key, value];
    }
    return undefined;
  };
  const origin = find('access-control-allow-origin');
  if (!origin) return undefined;
  const invalid: Array<{ key: string; message: string }> = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (typeof value !== 'string') continue;
    const mapping = readHeaderMapping(value);
    if ('invalid' in mapping) invalid.push({ key, message: `${key}: ${mapping.invalid}` });
  }
  const read = (entry: [string, Maybe<string>]): { literal: string } | { unknown: Unknown } => {
    const [key, value] = entry;
    if (value instanceof Unknown) return { unknown: value };
    const mapping = readHeaderMapping(value);
    if ('invalid' in mapping) return { unknown: new Unknown(`${key} is invalid: ${mapping.invalid}`) };
    return mapping;
  };
  const list = (entry: [string, Maybe<string>] | undefined): Maybe<string[]> => {
    if (!entry) return [];
    const mapping = read(entry);
    if ('unknown' in mapping) return mapping.unknown;
    return mapping.literal
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  };
  const credentials = find('access-control-allow-credentials');
  const credentialMapping = credentials ? read(credentials) : undefined;
  return {
    allowOrigins: list(origin),
    allowMethods: list(find('access-control-allow-methods')),
    allowHeaders: list(find('access-control-allow-headers')),
    allowCredentials: credentialMapping === undefined ? false : 'unknown' in credentialMapping ? credentialMapping.unknown : credentialMapping.literal.toLowerCase() === 'true',
    originKey: origin[0],
    invalid,
  };
}

/**
 * Orders rate limits from weakest to strongest, for picking the one an attacker would face at the
 * most exposed stage: absent, then unlimited (-1), then the highest rate.
 */
export function weakerRateLimit(a: Maybe<RateLimit> | undefined, b: Maybe<RateLimit> | undefined): Maybe<RateLimit> | undefined {
  return strength(a) <= strength(b) ? a : b;
}

// An unknown limit ranks above "none" and "unlimited" but below any known rate: a known gap is never
// hidden behind it, and a known limit never hides a stage whose limit is unknown.
const UNLIMITED = -1e15;
const UNKNOWN_LIMIT = -1e14;

function strength(limit: Maybe<RateLimit> | undefined): number {
  if (limit === undefined) return -Infinity;
  if (limit instanceof Unknown) return UNKNOWN_LIMIT;
  const { rateLimit, burstLimit } = limit;
  if ((!(rateLimit instanceof Unknown) && rateLimit < 0) || (!(burstLimit instanceof Unknown) && burstLimit < 0)) return UNLIMITED;
  if (rateLimit instanceof Unknown || burstLimit instanceof Unknown) return UNKNOWN_LIMIT;
  return -rateLimit;
}

/** Combines two limits that both apply to the same request (stage settings and a usage plan): the stricter wins. */
export function stricterRateLimit(a: RateLimit | undefined, b: RateLimit | undefined): RateLimit | undefined {
  if (!a) return b;
  if (!b) return a;
  const effective = (limit: RateLimit): number => {
    if (limit.rateLimit instanceof Unknown || limit.burstLimit instanceof Unknown) return Infinity;
    return limit.rateLimit < 0 || limit.burstLimit < 0 ? Infinity : limit.rateLimit;
  };
  return effective(a) <= effective(b) ? a : b;
}

/**
 * What an integration tells of the HTTP backend it calls: its address for HTTP and HTTP_PROXY
 * integrations (REST and HTTP APIs), whether a VPC link carries the call, nothing for the other
 * types. An address whose scheme is not written (`${stageVariables.backend}/orders`) or that is
 * not resolved (a variable or parameter without a value anywhere in it) is unknown: only the scheme matters to the policies that read it. An HTTP API private
 * integration names a listener or Cloud Map service by ARN, not an address: nothing to read there.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html
 */
export function httpBackendOf(type: Maybe<string> | undefined, uri: Maybe<string> | undefined, connectionType: Maybe<string> | undefined): { backendUrl?: Maybe<string>; backendPrivate?: Maybe<boolean> } {
  if (typeof type !== 'string' || !/^http(_proxy)?$/i.test(type)) return {};
  const backendPrivate = connectionType === undefined ? false : connectionType instanceof Unknown ? connectionType : connectionType.toUpperCase() === 'VPC_LINK';
  if (uri === undefined) return {};
  if (uri instanceof Unknown) return { backendUrl: uri, backendPrivate };
  const trimmed = uri.trim();
  if (/^arn:/i.test(trimmed)) return {};
  if (/^https?:\/\//i.test(trimmed)) return { backendUrl: trimmed, backendPrivate };
  return { backendUrl: new Unknown(`the backend address ${JSON.stringify(trimmed.slice(0, 80))} does not say its scheme (a stage variable supplies it)`), backendPrivate };
}
