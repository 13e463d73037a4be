import type { Origin, SourceLocation } from './location.js';
import type { Maybe } from './unknown.js';

/** The clouds gatewarden models. */
export const PROVIDERS = ['aws', 'azure', 'gcp'] as const;
/** A cloud gatewarden models. */
export type Provider = (typeof PROVIDERS)[number];

/** Every HTTP method gatewarden accepts, in the order gateways document them; `ANY` matches all. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
/** An HTTP method as API gateways name it. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Route methods: the HTTP methods, and `WEBSOCKET` for a WebSocket route key such as `$connect`. */
export const ROUTE_METHODS = [...HTTP_METHODS, 'WEBSOCKET'] as const;
/** A route's method. */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/**
 * How a caller is authenticated on a route, after every default and inheritance rule is applied.
 * `api-key` and `subscription-key` are static shared secrets, not caller identity.
 */
export const AUTH_KINDS = ['none', 'iam', 'jwt', 'lambda', 'cognito', 'oauth2', 'mtls', 'api-key', 'subscription-key'] as const;
/** One of {@link AUTH_KINDS}. */
export type AuthKind = (typeof AUTH_KINDS)[number];

/** The API styles gatewarden knows: AWS REST (v1), HTTP and WebSocket (v2), and their peers elsewhere. */
export const GATEWAY_PROTOCOLS = ['rest', 'http', 'websocket'] as const;
/** One of {@link GATEWAY_PROTOCOLS}. */
export type GatewayProtocol = (typeof GATEWAY_PROTOCOLS)[number];

/** Where a gateway is reachable from. */
export const ENDPOINT_TYPES = ['edge', 'regional', 'private'] as const;
/** One of {@link ENDPOINT_TYPES}. */
export type EndpointType = (typeof ENDPOINT_TYPES)[number];

/** What a route forwards to. `mock` answers from the gateway itself and reaches no backend. */
export const INTEGRATION_KINDS = ['mock', 'http', 'http-proxy', 'lambda', 'aws-service', 'none'] as const;
/** One of {@link INTEGRATION_KINDS}. */
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** Which layer set a route's authentication. */
export const AUTH_SOURCES = ['method', 'route', 'openapi-operation', 'openapi-default', 'connect-route', 'default'] as const;
/** One of {@link AUTH_SOURCES}. */
export type AuthSource = (typeof AUTH_SOURCES)[number];

/** Which layer set a rate limit. */
export const RATE_LIMIT_SOURCES = ['stage', 'method-settings', 'route-settings', 'usage-plan', 'policy', 'openapi'] as const;
/** One of {@link RATE_LIMIT_SOURCES}. */
export type RateLimitSource = (typeof RATE_LIMIT_SOURCES)[number];

/** The kinds of entity in an inventory. */
export const ENTITY_KIND_NAMES = ['gateway', 'route', 'stage', 'authorizer', 'cors', 'api-key', 'usage-plan', 'domain'] as const;
/** One of {@link ENTITY_KIND_NAMES}. */
export type EntityKind = (typeof ENTITY_KIND_NAMES)[number];

/** Fields every entity has, whatever its kind and wherever it came from. */
export interface EntityBase<K extends EntityKind> {
  readonly kind: K;
  /** Unique within an inventory; stable across runs for the same input. */
  readonly id: string;
  readonly provider: Provider;
  readonly origin: Origin;
  /** The containing entity's id, or null when the parent is not part of the input. */
  readonly parentId: string | null;
  /** The address a person uses to find the thing: a Terraform address, an ARN, a resource id. */
  readonly address: string;
  /** Module path of the address (`module.api`), empty at the root or where modules do not apply. */
  readonly modulePath: string;
  /** The block or object that defines the entity. */
  readonly location: SourceLocation;
  /**
   * Where individual fields were set, keyed by model field name (`auth`, `rateLimit`, `allowOrigins`).
   * A finding points at its policy's field here and falls back to {@link location} when absent.
   */
  readonly fieldLocations: Readonly<Record<string, SourceLocation>>;
}

/** An API: AWS REST/HTTP/WebSocket API, APIM API, GCP API. */
export interface Gateway extends EntityBase<'gateway'> {
  readonly name: Maybe<string>;
  readonly protocol: GatewayProtocol;
  readonly endpointType: Maybe<EndpointType>;
  /** True when the API's routes come (at least partly) from an OpenAPI document. */
  readonly definedByOpenApi: boolean;
  readonly aws?: AwsGatewayDetails;
}

/** AWS-only gateway settings. */
export interface AwsGatewayDetails {
  /** Where REST API keys are read from. */
  readonly apiKeySource?: Maybe<'header' | 'authorizer'>;
  /** Whether the default `execute-api` endpoint is turned off (it bypasses custom-domain controls). */
  readonly disableExecuteApiEndpoint: Maybe<boolean>;
  /** Whether a resource policy is attached. */
  readonly hasResourcePolicy: Maybe<boolean>;
}

/** The effective authentication of a route. */
export interface RouteAuth {
  readonly kind: Maybe<AuthKind>;
  /** Whether an API key must be presented as well (AWS `api_key_required`). */
  readonly apiKeyRequired: Maybe<boolean>;
  readonly source: AuthSource;
  /** The authorizer entity enforcing it, when there is one and it is in the input. */
  readonly authorizerId?: string;
  readonly scopes?: Maybe<readonly string[]>;
}

/** An explicit rate limit: requests per second, burst, and an optional quota. `-1` means unlimited. */
export interface RateLimit {
  readonly rateLimit: Maybe<number>;
  readonly burstLimit: Maybe<number>;
  readonly source: RateLimitSource;
  /** The stage the limit was computed for, when routes deploy to several. */
  readonly stage?: string;
  readonly quota?: Quota;
}

/** A request quota over a period. */
export interface Quota {
  readonly limit: Maybe<number>;
  readonly period: Maybe<string>;
}

/** One route: a method on a resource path, an HTTP API route key, a WebSocket route, an APIM operation. */
export interface Route extends EntityBase<'route'> {
  readonly method: Maybe<RouteMethod>;
  readonly path: Maybe<string>;
  /** Display key, e.g. `GET /users` or `$connect`. */
  readonly key: string;
  readonly auth: RouteAuth;
  readonly integration: Maybe<IntegrationKind>;
  /**
   * True for a CORS preflight answered by the gateway itself (an OPTIONS route with a mock
   * integration); such routes need no authentication. An OPTIONS route reaching a backend is not one.
   */
  readonly isCorsPreflight: Maybe<boolean>;
  /**
   * The effective rate limit. Absent when no layer sets one; when the route deploys to several
   * stages it is the weakest of them, with `stage` naming which.
   */
  readonly rateLimit?: Maybe<RateLimit>;
}

/** A deployment stage (AWS stage, and its peers). */
export interface Stage extends EntityBase<'stage'> {
  readonly name: Maybe<string>;
  /** The stage-wide default rate limit, when one is set. */
  readonly throttle?: Maybe<RateLimit>;
  readonly accessLogging: Maybe<boolean>;
  readonly tracing: Maybe<boolean>;
  readonly cacheEnabled: Maybe<boolean>;
  readonly cacheEncrypted: Maybe<boolean>;
  readonly wafAttached: Maybe<boolean>;
  readonly clientCertificate: Maybe<boolean>;
}

/** An authorizer definition, whether or not any route uses it. */
export interface Authorizer extends EntityBase<'authorizer'> {
  readonly name: Maybe<string>;
  readonly type: Maybe<AuthKind>;
  /** Whether at least one route in the input enforces it. */
  readonly attached: boolean;
  readonly identitySources: Maybe<readonly string[]>;
  readonly resultTtlSeconds?: Maybe<number>;
  readonly jwtIssuer?: Maybe<string>;
  readonly jwtAudiences?: Maybe<readonly string[]>;
}

/** Where a CORS configuration comes from. */
export const CORS_SOURCES = ['api-config', 'preflight-response', 'integration-response', 'gateway-response', 'openapi'] as const;
/** One of {@link CORS_SOURCES}. */
export type CorsSource = (typeof CORS_SOURCES)[number];

/** An effective CORS configuration, for a whole API or one route. */
export interface Cors extends EntityBase<'cors'> {
  readonly source: CorsSource;
  readonly allowOrigins: Maybe<readonly string[]>;
  readonly allowMethods: Maybe<readonly string[]>;
  readonly allowHeaders: Maybe<readonly string[]>;
  readonly allowCredentials: Maybe<boolean>;
  /** The route this applies to, for per-route CORS; absent when API-wide. */
  readonly routeKey?: string;
}

/** Where an API key's value comes from. `literal` means a secret written in the configuration. */
export const API_KEY_VALUE_SOURCES = ['literal', 'generated', 'reference', 'input'] as const;
/** One of {@link API_KEY_VALUE_SOURCES}. */
export type ApiKeyValueSource = (typeof API_KEY_VALUE_SOURCES)[number];

/** A static API key (AWS API key, APIM subscription key, GCP API key). Never holds the value. */
export interface ApiKey extends EntityBase<'api-key'> {
  readonly name: Maybe<string>;
  readonly valueSource: Maybe<ApiKeyValueSource>;
  readonly enabled: Maybe<boolean>;
}

/** An AWS usage plan: limits applied to callers identified by API key. */
export interface UsagePlan extends EntityBase<'usage-plan'> {
  readonly name: Maybe<string>;
  readonly throttle?: Maybe<RateLimit>;
  readonly quota?: Maybe<Quota>;
  /** Stage entity ids the plan applies to. */
  readonly stageIds: readonly string[];
}

/** A custom domain name in front of one or more APIs. */
export interface Domain extends EntityBase<'domain'> {
  readonly name: Maybe<string>;
  /** Minimum TLS version, e.g. `TLS_1_2`. */
  readonly securityPolicy: Maybe<string>;
  readonly mutualTls: Maybe<boolean>;
  readonly endpointType: Maybe<EndpointType>;
}

/** Any entity of the common model. */
export type Entity = Gateway | Route | Stage | Authorizer | Cors | ApiKey | UsagePlan | Domain;

/** Looks up the entity type for a kind. */
export type EntityOfKind<K extends EntityKind> = Extract<Entity, { kind: K }>;
