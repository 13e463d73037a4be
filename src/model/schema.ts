import {
  ACCESS_LOG_FIELDS,
  AZURE_LOG_DESTINATIONS,
  AZURE_LOGGED_CONTENT,
  API_KEY_VALUE_SOURCES,
  AUTH_KINDS,
  AUTH_SOURCES,
  CORS_SOURCES,
  ENDPOINT_TYPES,
  ENTITY_KIND_NAMES,
  EXECUTION_LOG_LEVELS,
  GATEWAY_PROTOCOLS,
  GCP_KEY_APPLICATION_RESTRICTIONS,
  IMPLICIT_STAGES,
  INTEGRATION_KINDS,
  PROVIDERS,
  SECRET_SETTING_KINDS,
  RATE_LIMIT_FIELDS,
  RATE_LIMIT_SOURCES,
  RESOURCE_POLICY_ACCESS,
  ROUTE_METHODS,
  STAND_IN_KINDS,
} from './entities.js';
import type {
  ApiKey,
  Backend,
  Authorizer,
  AwsGatewayDetails,
  AwsRouteDetails,
  AzureGatewayDetails,
  AzureRouteDetails,
  GcpApiKeyDetails,
  GcpGatewayDetails,
  GcpRouteDetails,
  Cors,
  Secret,
  Domain,
  EntityKind,
  Gateway,
  Quota,
  RateLimit,
  RequestValidation,
  Route,
  RouteCache,
  RouteAuth,
  Stage,
  UsagePlan,
} from './entities.js';

/**
 * The model as CEL sees it. Policies are type-checked against these declarations when they load, so
 * `route.auth.knd` or `route.auth.kind == 1` is a load error naming the policy, not a silent false.
 *
 * Every JSON number is a CEL `double` (CEL `int` is a BigInt in the evaluator). Each schema is tied to
 * its TypeScript interface with `satisfies`, so adding a model field without exposing it here (or the
 * reverse) fails to compile.
 */
export type CelFieldType = 'string' | 'bool' | 'double' | 'list<string>' | CelSchema;

/** A CEL object schema: field name to type. */
export interface CelSchema {
  readonly [field: string]: CelFieldType;
}

/** Engine bookkeeping that policies do not read (tags name owners for reports, see src/report/owners.ts). */
type Internal = 'id' | 'origin' | 'parentId' | 'location' | 'fieldLocations' | 'fieldRelated' | 'fieldOwners' | 'fieldOwnerEntities' | 'construct' | 'suppressions' | 'tags';

type SchemaOf<T> = { readonly [K in Exclude<keyof T, Internal>]-?: CelFieldType };

const common = { kind: 'string', provider: 'string', address: 'string', modulePath: 'string', standIn: 'string' } as const;

const rateLimitSchema = {
  rateLimit: 'double',
  burstLimit: 'double',
  source: 'string',
  stage: 'string',
  unsetFields: 'list<string>',
  quota: { limit: 'double', period: 'string' } satisfies SchemaOf<Quota>,
} as const satisfies SchemaOf<RateLimit>;

const awsGatewaySchema = {
  apiKeySource: 'string',
  disableExecuteApiEndpoint: 'bool',
  hasResourcePolicy: 'bool',
  customDomains: 'list<string>',
} as const satisfies SchemaOf<AwsGatewayDetails>;

const azureGatewaySchema = {
  service: 'string',
  protocols: 'list<string>',
  subscriptionRequired: 'bool',
  serviceUrl: 'string',
  sku: 'string',
  publicNetworkAccess: 'bool',
  virtualNetworkType: 'string',
  minimumClientTls: 'string',
  minimumBackendTls: 'string',
  weakCiphersEnabled: 'bool',
  logDestinations: 'list<string>',
  loggedContent: 'list<string>',
  inboundRestricted: 'bool',
  errorDetailsReturned: 'bool',
  disclosureHeadersKept: 'list<string>',
  clientCertificateNegotiated: 'bool',
  clientCertificateChecked: 'bool',
} as const satisfies SchemaOf<AzureGatewayDetails>;

const gatewaySchema = {
  ...common,
  name: 'string',
  protocol: 'string',
  endpointType: 'string',
  definedByOpenApi: 'bool',
  aws: awsGatewaySchema,
  azure: azureGatewaySchema,
  gcp: {
    product: 'string',
    service: 'string',
    allowCors: 'bool',
    gateways: 'list<string>',
  } satisfies SchemaOf<GcpGatewayDetails>,
} as const satisfies SchemaOf<Gateway>;

const routeSchema = {
  ...common,
  method: 'string',
  path: 'string',
  key: 'string',
  auth: {
    kind: 'string',
    apiKeyRequired: 'bool',
    source: 'string',
    authorizerId: 'string',
    scopes: 'list<string>',
  } satisfies SchemaOf<RouteAuth>,
  integration: 'string',
  backendUrl: 'string',
  backendPrivate: 'bool',
  isCorsPreflight: 'bool',
  rateLimit: rateLimitSchema,
  unthrottledStage: 'string',
  aws: { resourcePolicy: 'string', backendClientCertificate: 'bool', backendClientCertificateMissingOn: 'string' } satisfies SchemaOf<AwsRouteDetails>,
  requestValidation: { body: 'bool', parameters: 'bool' } satisfies SchemaOf<RequestValidation>,
  requestBodySchema: 'bool',
  declaresRequestBody: 'bool',
  requiredParameters: 'bool',
  cache: { stage: 'string', keyParameters: 'list<string>', keyIncludesCaller: 'bool' } satisfies SchemaOf<RouteCache>,
  unthrottledStageImplicit: 'string',
  azure: {
    backendUrl: 'string',
    dropsInheritedPolicy: 'bool',
    ipFilterAllowsAll: 'bool',
    products: 'list<string>',
  } satisfies SchemaOf<AzureRouteDetails>,
  gcp: {
    backendAddress: 'string',
    backendAuthDisabled: 'bool',
    quotaMetrics: 'list<string>',
  } satisfies SchemaOf<GcpRouteDetails>,
} as const satisfies SchemaOf<Route>;

const stageSchema = {
  ...common,
  name: 'string',
  throttle: rateLimitSchema,
  accessLogging: 'bool',
  accessLogRecords: 'list<string>',
  tracing: 'bool',
  executionLogLevel: 'string',
  dataTrace: 'bool',
  cacheEnabled: 'bool',
  cacheEncrypted: 'bool',
  wafAttached: 'bool',
  clientCertificate: 'bool',
  apiHasNoRoutes: 'bool',
} as const satisfies SchemaOf<Stage>;

const authorizerSchema = {
  ...common,
  name: 'string',
  type: 'string',
  attached: 'bool',
  identitySources: 'list<string>',
  resultTtlSeconds: 'double',
  cacheKeyedOnCredential: 'bool',
  jwtIssuer: 'string',
  jwtAudiences: 'list<string>',
  jwtRequiresSignature: 'bool',
} as const satisfies SchemaOf<Authorizer>;

const corsSchema = {
  ...common,
  source: 'string',
  allowOrigins: 'list<string>',
  allowMethods: 'list<string>',
  allowHeaders: 'list<string>',
  allowCredentials: 'bool',
  routeKey: 'string',
  scope: 'string',
} as const satisfies SchemaOf<Cors>;

const apiKeySchema = {
  ...common,
  name: 'string',
  valueSource: 'string',
  enabled: 'bool',
  createdAt: 'string',
  gcp: { apiTargets: 'list<string>', applicationRestriction: 'string' } satisfies SchemaOf<GcpApiKeyDetails>,
} as const satisfies SchemaOf<ApiKey>;

const usagePlanSchema = {
  ...common,
  name: 'string',
  throttle: rateLimitSchema,
  quota: { limit: 'double', period: 'string' },
  stageIds: 'list<string>',
} as const satisfies SchemaOf<UsagePlan>;

const domainSchema = {
  ...common,
  name: 'string',
  securityPolicy: 'string',
  securityPolicyDefaulted: 'bool',
  mutualTls: 'bool',
  endpointType: 'string',
  gatewayIds: 'list<string>',
} as const satisfies SchemaOf<Domain>;

const secretSchema = {
  ...common,
  name: 'string',
  setting: 'string',
  valueSource: 'string',
  storedInGateway: 'bool',
} as const satisfies SchemaOf<Secret>;

const backendSchema = {
  ...common,
  name: 'string',
  url: 'string',
  calledByScannedRoutes: 'bool',
  azure: { service: 'string' },
} as const satisfies SchemaOf<Backend>;

/** Per entity kind: the CEL variable a policy uses for it, and its schema. */
export const ENTITY_SCHEMAS: Readonly<Record<EntityKind, { readonly variable: string; readonly schema: CelSchema }>> = {
  gateway: { variable: 'gateway', schema: gatewaySchema },
  route: { variable: 'route', schema: routeSchema },
  stage: { variable: 'stage', schema: stageSchema },
  authorizer: { variable: 'authorizer', schema: authorizerSchema },
  cors: { variable: 'cors', schema: corsSchema },
  'api-key': { variable: 'apiKey', schema: apiKeySchema },
  'usage-plan': { variable: 'usagePlan', schema: usagePlanSchema },
  domain: { variable: 'domain', schema: domainSchema },
  secret: { variable: 'secret', schema: secretSchema },
  backend: { variable: 'backend', schema: backendSchema },
};

/**
 * The values of string fields that hold a closed union, for documentation (docs/policies.md). Keyed
 * by field path without the variable; `*` means the field of every entity kind.
 */
export const FIELD_VALUES: Readonly<Record<string, readonly string[]>> = {
  '*.kind': ENTITY_KIND_NAMES,
  '*.provider': PROVIDERS,
  '*.standIn': STAND_IN_KINDS,
  'gateway.protocol': GATEWAY_PROTOCOLS,
  'gateway.endpointType': ENDPOINT_TYPES,
  'gateway.aws.apiKeySource': ['header', 'authorizer'],
  'gateway.gcp.product': ['api-gateway', 'endpoints'],
  'gateway.azure.logDestinations': AZURE_LOG_DESTINATIONS,
  'gateway.azure.loggedContent': AZURE_LOGGED_CONTENT,
  'route.method': ROUTE_METHODS,
  'route.auth.kind': AUTH_KINDS,
  'route.auth.source': AUTH_SOURCES,
  'route.integration': INTEGRATION_KINDS,
  'route.rateLimit.source': RATE_LIMIT_SOURCES,
  'route.aws.resourcePolicy': RESOURCE_POLICY_ACCESS,
  'route.rateLimit.unsetFields': RATE_LIMIT_FIELDS,
  'route.unthrottledStageImplicit': IMPLICIT_STAGES,
  'stage.accessLogRecords': ACCESS_LOG_FIELDS,
  'stage.executionLogLevel': EXECUTION_LOG_LEVELS,
  'stage.throttle.source': RATE_LIMIT_SOURCES,
  'stage.throttle.unsetFields': RATE_LIMIT_FIELDS,
  'usagePlan.throttle.source': RATE_LIMIT_SOURCES,
  'usagePlan.throttle.unsetFields': RATE_LIMIT_FIELDS,
  'authorizer.type': AUTH_KINDS,
  'cors.source': CORS_SOURCES,
  'apiKey.valueSource': API_KEY_VALUE_SOURCES,
  'apiKey.gcp.applicationRestriction': GCP_KEY_APPLICATION_RESTRICTIONS,
  'domain.endpointType': ENDPOINT_TYPES,
  'secret.setting': SECRET_SETTING_KINDS,
  'secret.valueSource': API_KEY_VALUE_SOURCES,
};

/** The entity kinds, in a stable order. */
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[];
