import type { Origin, SourceLocation } from './location.js';
import type { Maybe } from './unknown.js';

/**
 * The clouds gatewarden models, and `openapi` for an API described by an OpenAPI document alone,
 * whichever gateway serves it.
 */
export const PROVIDERS = ['aws', 'azure', 'gcp', 'openapi'] as const;
/** A cloud gatewarden models (or `openapi`). */
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
 * `api-key`, `subscription-key` and `basic` (HTTP basic authentication: a user name and password the
 * gateway compares with fixed values) are static shared credentials, not caller identity.
 */
export const AUTH_KINDS = ['none', 'iam', 'jwt', 'lambda', 'cognito', 'oauth2', 'mtls', 'api-key', 'subscription-key', 'basic'] as const;
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

/**
 * Which layer set a route's authentication. `policy` is an APIM policy element in the effective chain
 * (global, product, API, operation); `subscription` is an APIM subscription requirement.
 */
export const AUTH_SOURCES = ['method', 'route', 'openapi-operation', 'openapi-default', 'connect-route', 'default', 'policy', 'subscription'] as const;
/** One of {@link AUTH_SOURCES}. */
export type AuthSource = (typeof AUTH_SOURCES)[number];

/** Which layer set a rate limit. */
export const RATE_LIMIT_SOURCES = ['stage', 'method-settings', 'route-settings', 'usage-plan', 'policy', 'openapi'] as const;
/** One of {@link RATE_LIMIT_SOURCES}. */
export type RateLimitSource = (typeof RATE_LIMIT_SOURCES)[number];

/** The kinds of entity in an inventory. */
export const ENTITY_KIND_NAMES = ['gateway', 'route', 'stage', 'authorizer', 'cors', 'api-key', 'usage-plan', 'domain', 'secret', 'backend'] as const;
/** One of {@link ENTITY_KIND_NAMES}. */
export type EntityKind = (typeof ENTITY_KIND_NAMES)[number];

/** An accepted finding, written next to the resource: which policy, why, and until when. */
export interface Suppression {
  readonly policyId: string;
  /** Why the risk is accepted. A suppression without one still applies, with a warning. */
  readonly reason?: string;
  /** ISO date (`2027-03-31`) after which the suppression no longer applies. */
  readonly until?: string;
  /** Where the suppression is written. */
  readonly location: SourceLocation;
  /** Set when the suppression as written cannot apply (no policy id, say): it is reported, never used. */
  readonly invalid?: string;
}

/**
 * Why an entity stands for things the scan does not show, so that a setting is checked where it is
 * written: `routes-outside-scan` is an API-wide route (or an API's own CORS) of an API whose routes
 * are defined elsewhere (another stack, a spec imported later, the portal); `api-outside-scan` is a
 * stage or deployment whose API is not in the scanned configuration; `apis-outside-scan` is an API
 * Management service none of whose APIs is in the scanned configuration (they are imported later,
 * deployed from another repository or made in the portal), so that its service-wide settings (TLS
 * protocols, network exposure) are checked where they are written.
 */
export const STAND_IN_KINDS = ['routes-outside-scan', 'api-outside-scan', 'apis-outside-scan'] as const;
/** One of {@link STAND_IN_KINDS}. */
export type StandIn = (typeof STAND_IN_KINDS)[number];

/** What a report says of an entity that stands in (see {@link StandIn}). */
export const STAND_IN_NOTES: Readonly<Record<StandIn, string>> = {
  'routes-outside-scan': "stands for the API's routes, which are not in the scanned configuration",
  'api-outside-scan': 'its API is not in the scanned configuration',
  'apis-outside-scan': "stands for the service's APIs, none of which is in the scanned configuration",
};

/** Another place that bears on a finding: where the value at fault is passed on, say. */
export interface RelatedLocation {
  readonly location: SourceLocation;
  /** What the place is, e.g. `passed to module "api" here`. */
  readonly message: string;
}

/**
 * An owner of fields that is not an entity of the inventory (see {@link EntityBase.fieldOwnerEntities}):
 * what a finding on it says of it. It is of the kind of the entities that name it.
 */
export interface FieldOwner {
  /** The address a person uses to find it (the service's Terraform address, its resource id). */
  readonly address: string;
  readonly name?: string;
  /** Its block or object: suppressions written on it accept its findings. */
  readonly location: SourceLocation;
  readonly modulePath: string;
  /** Findings accepted in the source for it (inline suppressions on its block). */
  readonly suppressions?: readonly Suppression[];
}

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
  /** For resources generated by a CDK, the construct path that produced them (`stack/api/resource`). */
  readonly construct?: string;
  /** Findings accepted in the source for this entity, with their reasons (inline suppressions). */
  readonly suppressions?: readonly Suppression[];
  /** The block or object that defines the entity. */
  readonly location: SourceLocation;
  /**
   * Where individual fields were set, keyed by model field name (`auth`, `rateLimit`, `allowOrigins`),
   * and a field of the provider's details by its path (`aws.resourcePolicy`, `azure.minimumClientTls`).
   * A finding points at its policy's field here and falls back to {@link location} when absent.
   */
  readonly fieldLocations: Readonly<Record<string, SourceLocation>>;
  /**
   * Other places that bear on a field, keyed like {@link fieldLocations}: when a literal is written in
   * a module's caller and read in the module, the field's location is the literal and the module line
   * is related.
   */
  readonly fieldRelated?: Readonly<Record<string, readonly RelatedLocation[]>>;
  /**
   * Which entity owns the value of a field, keyed like {@link fieldLocations}, when that is not the
   * entity itself: a route whose rate limit is its stage's stage-wide setting (or its absence) names
   * the stage. A policy that groups by setting (`group: { by: setting }`) reports the routes that
   * share an owner as one finding on it. Absent when the route's own setting decides (a per-method
   * override) or when the owner is not certain: such findings stay one per route.
   */
  readonly fieldOwners?: Readonly<Record<string, string>>;
  /**
   * The owners named in {@link fieldOwners} that are not entities of the inventory, by id: what a
   * grouped finding needs to stand on one. An APIM API (a gateway) names its service, whose
   * protocols and network settings every API of the service inherits; the service is no entity of
   * its own when some of its APIs are in the scan, and its id is that of the stand-in made for it
   * when none is (`apis-outside-scan`), so that its findings keep one identity either way.
   */
  readonly fieldOwnerEntities?: Readonly<Record<string, FieldOwner>>;
  /** Set when the entity stands for routes or an API the scan does not show (see {@link StandIn}). */
  readonly standIn?: StandIn;
  /**
   * The resource's tags (AWS, Azure) or labels (GCP) whose values are known, as written or as the
   * cloud returns them. Owners are read from them (`owners.tag` of the config file); policies do not
   * read them. Absent when the resource has none or the source cannot carry them.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An API: AWS REST/HTTP/WebSocket API, APIM API, GCP API. */
export interface Gateway extends EntityBase<'gateway'> {
  readonly name: Maybe<string>;
  readonly protocol: GatewayProtocol;
  readonly endpointType: Maybe<EndpointType>;
  /** True when the API's routes come (at least partly) from an OpenAPI document. */
  readonly definedByOpenApi: boolean;
  readonly aws?: AwsGatewayDetails;
  readonly azure?: AzureGatewayDetails;
  readonly gcp?: GcpGatewayDetails;
}

/** GCP API Gateway and Cloud Endpoints settings of an API. */
export interface GcpGatewayDetails {
  /** `api-gateway` (an API, its configs and gateways) or `endpoints` (a Cloud Endpoints service). */
  readonly product: 'api-gateway' | 'endpoints';
  /** The API id (`google_api_gateway_api.api_id`) or the Endpoints service name. */
  readonly service: Maybe<string>;
  /** Whether `x-google-endpoints` lets CORS preflights through to the backend (`allowCors`). */
  readonly allowCors: Maybe<boolean>;
  /** Gateways (`google_api_gateway_gateway.gateway_id`) serving the API's configs. */
  readonly gateways: readonly string[];
}

/**
 * Where API Management diagnostics send an API's request logs: `application-insights` (the
 * `applicationinsights` diagnostic) or `azure-monitor` (the `azuremonitor` diagnostic, or a
 * diagnostic setting of the service that sends its gateway logs to Log Analytics, a storage account
 * or an event hub).
 */
export const AZURE_LOG_DESTINATIONS = ['application-insights', 'azure-monitor'] as const;
/** One of {@link AZURE_LOG_DESTINATIONS}. */
export type AzureLogDestination = (typeof AZURE_LOG_DESTINATIONS)[number];

/**
 * What of a call's content an API's diagnostics write to logs beyond its metadata: `request-body`
 * and `response-body` (bytes of the frontend or backend bodies), `credential-headers` (a header that
 * carries a credential, such as Authorization or Ocp-Apim-Subscription-Key, logged unmasked).
 */
export const AZURE_LOGGED_CONTENT = ['request-body', 'response-body', 'credential-headers'] as const;
/** One of {@link AZURE_LOGGED_CONTENT}. */
export type AzureLoggedContent = (typeof AZURE_LOGGED_CONTENT)[number];

/** Azure API Management settings of an API and of the service it runs on. */
export interface AzureGatewayDetails {
  /** The API Management service's name. */
  readonly service: Maybe<string>;
  /** Protocols the API accepts (`http`, `https`, `ws`, `wss`). */
  readonly protocols: Maybe<readonly string[]>;
  /** Whether calls need a subscription key (azurerm and APIM default to true). */
  readonly subscriptionRequired: Maybe<boolean>;
  /** The backend the API forwards to (`service_url`), when set. */
  readonly serviceUrl?: Maybe<string>;
  /** The service's pricing tier (`Developer_1`, `Consumption_0`...). */
  readonly sku?: Maybe<string>;
  /** Whether the service's gateway is reachable from the internet. */
  readonly publicNetworkAccess?: Maybe<boolean>;
  /** `None`, `External` or `Internal` virtual network integration. */
  readonly virtualNetworkType?: Maybe<string>;
  /** The lowest TLS version clients may use (`1.0`, `1.1`, `1.2`), from the service's protocol settings. */
  readonly minimumClientTls?: Maybe<string>;
  /** The lowest TLS version the gateway uses towards backends. */
  readonly minimumBackendTls?: Maybe<string>;
  /** Whether weak ciphers (Triple DES and the CBC/RSA suites APIM lists) are enabled. */
  readonly weakCiphersEnabled?: Maybe<boolean>;
  /**
   * Where the API's requests are logged: the destinations of its effective diagnostics (an API's
   * own diagnostic replaces the service-wide one of the same kind) that sample more than 0% of
   * calls, and a service diagnostic setting sending gateway logs to Azure Monitor. Empty: nothing
   * logs the API's calls. Unknown when the service is not in the input and the API has no
   * diagnostic of its own, or when a sampling rate is not known.
   */
  readonly logDestinations?: Maybe<readonly AzureLogDestination[]>;
  /** What call content the API's effective diagnostics log (see {@link AzureLoggedContent}); empty when none. */
  readonly loggedContent?: Maybe<readonly AzureLoggedContent[]>;
  /**
   * Whether the effective inbound policy of every operation (with and without each product) admits
   * only some callers: an `ip-filter` allowing listed addresses, or a `check-header` of Front Door's
   * `X-Azure-FDID`.
   */
  readonly inboundRestricted?: Maybe<boolean>;
  /**
   * Whether some operation's effective `outbound` or `on-error` section writes `context.LastError`
   * details (message, source, reason...) into the response the caller gets.
   */
  readonly errorDetailsReturned?: Maybe<boolean>;
  /**
   * Backend headers naming its software and version (`X-Powered-By`, `X-AspNet-Version`) that some
   * operation's effective `outbound` section does not remove (`set-header exists-action="delete"`).
   */
  readonly disclosureHeadersKept?: Maybe<readonly string[]>;
  /**
   * Whether the service asks callers for a client certificate during the TLS handshake, without
   * which `context.Request.Certificate` is always null: on the Consumption tier the service's
   * `client_certificate_enabled` (`enableClientCertificate`), on the other tiers
   * `negotiate_client_certificate` (`negotiateClientCertificate`) of a gateway hostname. Both
   * default to off.
   */
  readonly clientCertificateNegotiated?: Maybe<boolean>;
  /**
   * Whether a policy that runs for the API's calls (global, product, API, operation or a fragment
   * they include) checks the caller's certificate: `validate-client-certificate`, or an expression
   * reading `context.Request.Certificate`. Unknown when one of those documents cannot be read.
   */
  readonly clientCertificateChecked?: Maybe<boolean>;
}

/** AWS-only gateway settings. */
export interface AwsGatewayDetails {
  /** Where REST API keys are read from. */
  readonly apiKeySource?: Maybe<'header' | 'authorizer'>;
  /** Whether the default `execute-api` endpoint is turned off (it bypasses custom-domain controls). */
  readonly disableExecuteApiEndpoint: Maybe<boolean>;
  /** Whether a resource policy is attached. */
  readonly hasResourcePolicy: Maybe<boolean>;
  /**
   * The custom domain names the API is served on (REST base path mappings, HTTP and WebSocket API
   * mappings) among the resources scanned; empty when none is; unknown while a mapping's API cannot
   * be resolved. Absent where the source cannot say (an OpenAPI document on its own).
   */
  readonly customDomains?: Maybe<readonly string[]>;
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

/**
 * Who an AWS REST API's resource policy lets invoke a route without signing in, as API Gateway
 * evaluates it (explicit deny wins; no matching allow is a deny): `public` (an Allow to everyone
 * without a condition that keeps internet callers out), `restricted-network` (only callers through a
 * VPC endpoint, a VPC or an IP range the policy names), `restricted-principal` (only AWS principals or
 * accounts it names, which must sign their requests), `denied` (nobody: no Allow covers the route, an
 * unconditional Deny to everyone does, or a PRIVATE API has no policy at all).
 */
export const RESOURCE_POLICY_ACCESS = ['public', 'restricted-network', 'restricted-principal', 'denied'] as const;
/** One of {@link RESOURCE_POLICY_ACCESS}. */
export type ResourcePolicyAccess = (typeof RESOURCE_POLICY_ACCESS)[number];

/**
 * What the gateway checks of a route's requests before the backend is called: the body against the
 * route's schema, and its parameters (path, query string, headers). On AWS REST APIs, the method's
 * request validator (a method without one checks neither); on Azure API Management, the
 * `validate-content` and `validate-parameters` elements of the effective inbound policy.
 */
export interface RequestValidation {
  readonly body: Maybe<boolean>;
  readonly parameters: Maybe<boolean>;
}

/**
 * A route whose responses the gateway caches: on which stage, and what the cache key holds besides
 * the path. A cached response is served to every caller whose request has the same key.
 */
export interface RouteCache {
  /** The stage whose cache holds the route's responses (the first, when several do). */
  readonly stage: Maybe<string>;
  /** The request parameters in the cache key (`method.request.header.Authorization`...). */
  readonly keyParameters: Maybe<readonly string[]>;
  /**
   * Whether the key holds what identifies the caller: the Authorization header, or the identity
   * sources of the route's authorizer. When it does not, one caller's response is served to another.
   */
  readonly keyIncludesCaller: Maybe<boolean>;
}

/** AWS-only settings of a route. */
export interface AwsRouteDetails {

  /**
   * What the REST API's resource policy (or, for a PRIVATE API, its absence) leaves of the route's
   * exposure. Absent when the API has no resource policy and is not PRIVATE: nothing restricts it.
   */
  readonly resourcePolicy?: Maybe<ResourcePolicyAccess>;
  /**
   * For a REST or WebSocket API route whose HTTP backend is reached over the internet: whether every
   * stage it deploys to presents a client certificate to the backend (`client_certificate_id`), so
   * that the backend can refuse calls that bypass the gateway. Absent where the question does not
   * arise (no HTTP backend, a VPC link, HTTP APIs, which have no client certificates, no stage in the
   * scan).
   */
  readonly backendClientCertificate?: Maybe<boolean>;
  /** The name of the first stage without one, when {@link backendClientCertificate} is false. */
  readonly backendClientCertificateMissingOn?: string;
}

/** The two values of a rate limit, by model field name. */
export const RATE_LIMIT_FIELDS = ['rateLimit', 'burstLimit'] as const;
/** One of {@link RATE_LIMIT_FIELDS}. */
export type RateLimitField = (typeof RATE_LIMIT_FIELDS)[number];

/**
 * Stages a gateway creates without the configuration declaring them: `sam-stage` is the stage named
 * "Stage" that SAM adds to an `AWS::Serverless::Api` whose `OpenApiVersion` is not set.
 */
export const IMPLICIT_STAGES = ['sam-stage'] as const;
/** One of {@link IMPLICIT_STAGES}. */
export type ImplicitStage = (typeof IMPLICIT_STAGES)[number];

/** An explicit rate limit: requests per second, burst, and an optional quota. `-1` means unlimited. */
export interface RateLimit {
  readonly rateLimit: Maybe<number>;
  readonly burstLimit: Maybe<number>;
  readonly source: RateLimitSource;
  /**
   * The values the setting leaves out, which the gateway then treats as unlimited (-1): a Terraform
   * `aws_api_gateway_method_settings` block or a CloudFormation `MethodSettings` entry written for
   * logging only. Lets a message say "sets no throttling values" rather than quote a -1 nobody wrote.
   */
  readonly unsetFields?: readonly RateLimitField[];
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
   * The address of the HTTP backend the route calls, on every cloud: an AWS HTTP or HTTP_PROXY
   * integration's `uri`, APIM's `set-backend-service base-url` or the API's service URL, GCP's
   * `x-google-backend` address. Absent when the route calls no HTTP address the configuration
   * writes (Lambda, AWS services, mocks, an HTTP API private integration named by ARN, an APIM
   * backend entity). Unknown when a stage variable, named value or unresolved value is part of it.
   */
  readonly backendUrl?: Maybe<string>;
  /**
   * Whether the backend is reached over a private network link the gateway owns (an AWS VPC link):
   * set for AWS HTTP integrations only, where `connection_type` says so.
   */
  readonly backendPrivate?: Maybe<boolean>;
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
  /** When no layer limits the route on some stage, that stage's name (SAM's extra `Stage`, say). */
  readonly unthrottledStage?: string;
  readonly aws?: AwsRouteDetails;
  /**
   * What the gateway validates of the route's requests. Absent where the gateway has no request
   * validation (AWS HTTP and WebSocket APIs) or the source cannot say, and on routes a mock
   * integration answers (no request reaches a backend).
   */
  readonly requestValidation?: Maybe<RequestValidation>;
  /** Whether the route declares a schema for its request body (a REST request model, an OpenAPI requestBody schema). */
  readonly requestBodySchema?: Maybe<boolean>;
  /**
   * Whether the route declares that it takes a request body (an APIM request representation, an
   * OpenAPI requestBody or `in: body` parameter, an AWS REST method's `request_models`), with or
   * without a schema. Absent where the source declares no request contract at all.
   */
  readonly declaresRequestBody?: Maybe<boolean>;
  /** Whether the route declares a required request parameter (path, query string, header). */
  readonly requiredParameters?: Maybe<boolean>;
  /** Set when the gateway caches the route's responses (AWS REST stage caches); absent when none does. */
  readonly cache?: Maybe<RouteCache>;
  /** Set when {@link unthrottledStage} is a stage the gateway creates implicitly (see {@link ImplicitStage}). */
  readonly unthrottledStageImplicit?: ImplicitStage;
  readonly azure?: AzureRouteDetails;
  readonly gcp?: GcpRouteDetails;
}

/** Where a GCP operation is sent (`x-google-backend`) and what limits it. */
export interface GcpRouteDetails {
  /** The backend address; absent when the spec names none. */
  readonly backendAddress?: Maybe<string>;
  /** Whether the gateway leaves the backend call without a Google ID token (`disable_auth`). */
  readonly backendAuthDisabled: Maybe<boolean>;
  /** Quota metrics the operation's calls are counted against (`x-google-quota.metricCosts`). */
  readonly quotaMetrics: readonly string[];
}

/** What the effective APIM policy of an operation does beyond authentication, limits and CORS. */
export interface AzureRouteDetails {
  /** The backend the operation reaches: `set-backend-service base-url`, else the API's service URL. */
  readonly backendUrl?: Maybe<string>;
  /** Whether some scope's policy leaves out `<base/>`, dropping what the enclosing scopes enforce. */
  readonly dropsInheritedPolicy: boolean;
  /** Whether an `ip-filter` in the effective policy allows every address. */
  readonly ipFilterAllowsAll: Maybe<boolean>;
  /** Products whose policies apply to the operation (names), for a subscription to each. */
  readonly products: readonly string[];
}

/**
 * What an access log line can tell about a call, as far as an investigation needs: `request-id`
 * (`$context.requestId` or `$context.extendedRequestId`, to tie the line to execution logs and the
 * backend), `source-ip` (`$context.identity.sourceIp`), `caller` (who signed in: the IAM caller or
 * user ARN, the Cognito identity, an authorizer's principal or JWT subject).
 */
export const ACCESS_LOG_FIELDS = ['request-id', 'source-ip', 'caller'] as const;
/** One of {@link ACCESS_LOG_FIELDS}. */
export type AccessLogField = (typeof ACCESS_LOG_FIELDS)[number];

/**
 * How much an AWS stage writes to its CloudWatch execution log (REST method settings and WebSocket
 * route settings `loggingLevel`): `off` (nothing), `error` (failed calls only), `info` (every call).
 */
export const EXECUTION_LOG_LEVELS = ['off', 'error', 'info'] as const;
/** One of {@link EXECUTION_LOG_LEVELS}. */
export type ExecutionLogLevel = (typeof EXECUTION_LOG_LEVELS)[number];

/** A deployment stage (AWS stage, and its peers). */
export interface Stage extends EntityBase<'stage'> {
  readonly name: Maybe<string>;
  /** The stage-wide default rate limit, when one is set. */
  readonly throttle?: Maybe<RateLimit>;
  readonly accessLogging: Maybe<boolean>;
  /**
   * What each access log line records, read from the log format (`$context` variables): absent when
   * the stage writes no access log, unknown when the format is not known (a variable, or a
   * CloudFormation setting without `Format`).
   */
  readonly accessLogRecords?: Maybe<readonly AccessLogField[]>;
  /**
   * Whether AWS X-Ray traces the stage's calls. Absent where the stage cannot (HTTP and WebSocket
   * APIs have no X-Ray tracing).
   */
  readonly tracing?: Maybe<boolean>;
  /**
   * The execution log level of the stage's least logged method (REST) or route (WebSocket): the
   * stage-wide setting (off when none is written) lowered by any per-method or per-route setting
   * that writes a lower one. Absent where the stage has no execution log (HTTP APIs).
   */
  readonly executionLogLevel?: Maybe<ExecutionLogLevel>;
  /**
   * Whether some method (REST method settings) or route (WebSocket default or route settings) logs
   * full requests and responses to CloudWatch ("data trace"). Absent where the stage cannot (HTTP
   * APIs have no such setting, and write it as nothing).
   */
  readonly dataTrace?: Maybe<boolean>;
  readonly cacheEnabled: Maybe<boolean>;
  readonly cacheEncrypted: Maybe<boolean>;
  /**
   * Whether an AWS WAF web ACL is associated with the stage. Absent where a stage cannot take one
   * (HTTP and WebSocket APIs: only REST API stages can).
   */
  readonly wafAttached?: Maybe<boolean>;
  /**
   * Whether the stage sets a client certificate (`client_certificate_id`), which API Gateway presents
   * to the HTTP backends of REST and WebSocket APIs (HTTP APIs do not support one).
   */
  readonly clientCertificate: Maybe<boolean>;
  /**
   * True when the stage's REST API is known to have no method at all, so the stage serves nothing:
   * a live API whose resources (the root among them) hold no method, or a SAM API whose routes can
   * only be in its template and are not. Absent when the API has routes, or when they may be
   * defined outside the scan (an API module whose methods other stacks add): a stage is then
   * checked for what it would serve.
   */
  readonly apiHasNoRoutes?: boolean;
}

/** An authorizer definition, whether or not any route uses it. */
export interface Authorizer extends EntityBase<'authorizer'> {
  readonly name: Maybe<string>;
  readonly type: Maybe<AuthKind>;
  /** Whether at least one route in the input enforces it. */
  readonly attached: boolean;
  readonly identitySources: Maybe<readonly string[]>;
  /**
   * How long API Gateway caches the authorizer's answer (0: not cached). Absent where the authorizer
   * caches nothing (JWT authorizers, WebSocket authorizers) or the source does not say.
   */
  readonly resultTtlSeconds?: Maybe<number>;
  /**
   * Whether the cached answer is keyed on the caller's credential: a TOKEN or Cognito authorizer's
   * token, or a REQUEST authorizer identity source that carries one (Authorization, Cookie, a header
   * or query parameter named for a token, key or session). False means callers who send the same
   * identity source values share the cached policy of whoever called first. Set with
   * {@link resultTtlSeconds}.
   */
  readonly cacheKeyedOnCredential?: Maybe<boolean>;
  /**
   * Whose tokens are accepted: the issuer (`iss`) checked, several joined with `, `. For an API
   * Management `validate-jwt` without `<issuers>`, the provider whose signing keys it pins
   * (`openid-config`, `issuer-signing-keys`): only that provider's tokens verify. An issuer or
   * audience another resource computes at apply time (a Cognito user pool's id) is
   * `(known after apply)`: it is set, its value is not known.
   */
  readonly jwtIssuer?: Maybe<string>;
  readonly jwtAudiences?: Maybe<readonly string[]>;
  /** False when unsigned tokens are accepted (API Management `require-signed-tokens="false"`). Absent where a signature is always required. */
  readonly jwtRequiresSignature?: Maybe<boolean>;
}

/** Where a CORS configuration comes from. */
export const CORS_SOURCES = ['api-config', 'preflight-response', 'integration-response', 'gateway-response', 'openapi', 'policy'] as const;
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
  /**
   * Names what the configuration applies to when that is wider than one API (an APIM global or
   * product policy); such an entity has no parent gateway.
   */
  readonly scope?: string;
}

/**
 * Where an API key's value comes from. `literal` means a secret written in the configuration;
 * `deployed` is a key read from a live account, whose origin cannot be seen there.
 */
export const API_KEY_VALUE_SOURCES = ['literal', 'generated', 'reference', 'input', 'deployed'] as const;
/** One of {@link API_KEY_VALUE_SOURCES}. */
export type ApiKeyValueSource = (typeof API_KEY_VALUE_SOURCES)[number];

/**
 * Which applications may use a GCP API key: web sites by referrer, servers by IP address, Android or
 * iOS apps, or `none`: anyone who holds the key.
 */
export const GCP_KEY_APPLICATION_RESTRICTIONS = ['none', 'browser', 'server', 'android', 'ios'] as const;
/** One of {@link GCP_KEY_APPLICATION_RESTRICTIONS}. */
export type GcpKeyApplicationRestriction = (typeof GCP_KEY_APPLICATION_RESTRICTIONS)[number];

/** A GCP API key's restrictions (`google_apikeys_key.restrictions`, the API Keys API's `restrictions`). */
export interface GcpApiKeyDetails {
  /** The services the key may call (`api_targets`); empty: every API enabled in its project. */
  readonly apiTargets: Maybe<readonly string[]>;
  readonly applicationRestriction: Maybe<GcpKeyApplicationRestriction>;
}

/** A static API key (AWS API key, APIM subscription key, GCP API key). Never holds the value. */
export interface ApiKey extends EntityBase<'api-key'> {
  readonly name: Maybe<string>;
  readonly valueSource: Maybe<ApiKeyValueSource>;
  readonly enabled: Maybe<boolean>;
  /**
   * When the key was created (RFC 3339), where the source records it: a live account (AWS
   * `createdDate`, GCP `createTime`) or the prior state in a Terraform plan (`created_date`). Absent
   * in code, where a key's age is not written: policies on key age do not apply there.
   */
  readonly createdAt?: Maybe<string>;
  readonly gcp?: GcpApiKeyDetails;
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
  /**
   * The TLS security policy callers must meet, as the cloud names it: AWS `TLS_1_0`, `TLS_1_2` or an
   * enhanced `SecurityPolicy_TLS13_...`/`SecurityPolicy_TLS12_...` policy; APIM `TLS_<minimum client
   * version>` (`TLS_1_0`, `TLS_1_1`, `TLS_1_2`, `TLS_ssl3`).
   */
  readonly securityPolicy: Maybe<string>;
  /**
   * True when the configuration sets no security policy and {@link securityPolicy} is the service's
   * default for such a domain, so a message can say the setting is missing rather than quote a value
   * nobody wrote. Absent when the policy is written (or read from a live account).
   */
  readonly securityPolicyDefaulted?: boolean;
  readonly mutualTls: Maybe<boolean>;
  readonly endpointType: Maybe<EndpointType>;
  /**
   * Gateway entity ids served on this domain (REST base path mappings, HTTP/WebSocket API mappings),
   * among the gateways scanned.
   */
  readonly gatewayIds: readonly string[];
}

/**
 * Settings of a gateway that can hold a credential besides API keys: `stage-variable` (AWS stage
 * variables), `integration-parameter` (a static header or query parameter an AWS integration sends
 * to the backend), `backend-credential` (an API Management backend's credentials: a header, a query
 * parameter or the authorization parameter).
 */
export const SECRET_SETTING_KINDS = ['stage-variable', 'integration-parameter', 'backend-credential'] as const;
/** One of {@link SECRET_SETTING_KINDS}. */
export type SecretSettingKind = (typeof SECRET_SETTING_KINDS)[number];

/**
 * A setting that holds a credential (by its name, such as an `Authorization` header or a
 * `db_password` stage variable, or by the shape of its value, see `looksLikeSecret`), with where
 * its value comes from. Never holds the value: a report names the setting and points at where the
 * value is written. Settings whose value is read from elsewhere at run time (a stage variable
 * reference, a request parameter, an API Management named value `{{name}}`) are secrets with a
 * `reference` source.
 */
export interface Secret extends EntityBase<'secret'> {
  /** The setting as a person finds it: `stage variable db_password`, `integration header Authorization`. */
  readonly name: string;
  readonly setting: SecretSettingKind;
  /** Where the value comes from: `literal` is a credential written in the configuration (or, live, stored in it). */
  readonly valueSource: Maybe<ApiKeyValueSource>;
  /**
   * Whether the deployed gateway's configuration holds the credential's value, returned in clear
   * text to every reader of its settings: true for a literal, and also for a value that deployment
   * copies in (a CloudFormation dynamic reference `{{resolve:...}}`, a secret store's attribute, a
   * Terraform variable), as the gateway stores whatever the setting resolves to; false for a value
   * the gateway reads at run time (`${stageVariables.x}`, a request value, an API Management named
   * value `{{name}}`); unknown when the value cannot be resolved at all.
   */
  readonly storedInGateway: Maybe<boolean>;
}

/**
 * A backend defined apart from the routes that call it, which routes name to send calls there: an
 * API Management backend entity (`azurerm_api_management_backend`, ARM `service/backends`, a live
 * service's backends), named by `set-backend-service backend-id`. Its URL is written on it, so a
 * finding about the URL points there. A route that sends calls to it carries the URL as
 * `route.backendUrl`; the backend itself is what is left to check when no route in the scan does.
 */
export interface Backend extends EntityBase<'backend'> {
  readonly name: Maybe<string>;
  /** The address calls are sent to. Never quoted in a message: it may carry credentials. */
  readonly url: Maybe<string>;
  /**
   * Whether a route in the scan sends calls to it (a policy the route runs names it), and so carries
   * its URL as `route.backendUrl`. A route whose policy names its backend through an expression
   * calls no backend known here.
   */
  readonly calledByScannedRoutes: boolean;
  /** API Management only: the service the backend belongs to. */
  readonly azure?: { readonly service: Maybe<string> };
}

/** Any entity of the common model. */
export type Entity = Gateway | Route | Stage | Authorizer | Cors | ApiKey | UsagePlan | Domain | Secret | Backend;

/** Looks up the entity type for a kind. */
export type EntityOfKind<K extends EntityKind> = Extract<Entity, { kind: K }>;
