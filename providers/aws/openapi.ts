import type { AuthKind, GatewayProtocol, HttpMethod, IntegrationKind } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { flag, isData, listOperations, securitySchemes, text, texts, type Data, type DocPath, type EffectiveSecurity, type IgnoreExtension, type LocatedProblem, type SchemeKind } from '../openapi/reader.js';
import { cacheKeyedOnCredential } from '../shared/identity-source.js';
import { readOperationValidation, type OperationValidation } from './openapi-validation.js';
import { authorizerKind, corsFromResponseParameters, httpBackendOf, integrationKind, isProxyIntegration, type HeaderCors } from './semantics.js';

export type { DocPath } from '../openapi/reader.js';

/** API Gateway's catch-all method key. */
const ANY_METHOD: Readonly<Record<string, HttpMethod>> = { 'x-amazon-apigateway-any-method': 'ANY' };

/** One operation of an OpenAPI body, with its effective AWS semantics. */
export interface OpenApiOperation {
  readonly method: HttpMethod;
  readonly path: string;
  readonly authKind: Maybe<AuthKind>;
  readonly apiKeyRequired: Maybe<boolean>;
  /** `openapi-operation` when the operation has its own `security`, `openapi-default` otherwise. */
  readonly authSource: 'openapi-operation' | 'openapi-default';
  readonly authorizerName?: string;
  readonly scopes: Maybe<string[]>;
  readonly integration: Maybe<IntegrationKind>;
  /** The HTTP backend an http or http_proxy integration calls (see `httpBackendOf`). */
  readonly backend: { readonly backendUrl?: Maybe<string>; readonly backendPrivate?: Maybe<boolean> };
  /** CORS headers a mock OPTIONS integration (or any other non-proxy integration) answers with. */
  readonly responseCors?: HeaderCors;
  /** Where the `Access-Control-Allow-Origin` mapping of {@link responseCors} is written. */
  readonly responseCorsPointer?: DocPath;
  readonly pointer: DocPath;
  readonly authPointer: DocPath;
  /** `x-gatewarden-ignore` extensions that apply to the operation. */
  readonly ignore: readonly IgnoreExtension[];
  /** What API Gateway validates of the operation's requests (REST APIs). */
  readonly validation: OperationValidation;
  /** The integration's `cacheKeyParameters` (REST APIs); empty when it names none. */
  readonly cacheKeyParameters: Maybe<string[]>;
}

/** An authorizer declared as a security scheme with `x-amazon-apigateway-authorizer`. */
export interface OpenApiAuthorizer {
  readonly name: string;
  readonly type: Maybe<AuthKind>;
  readonly identitySources: Maybe<string[]>;
  readonly resultTtlSeconds?: Maybe<number>;
  /** Whether the cached answer is keyed on the caller's credential (see `Authorizer.cacheKeyedOnCredential`). */
  readonly cacheKeyedOnCredential: Maybe<boolean>;
  readonly jwtIssuer?: Maybe<string>;
  readonly jwtAudiences?: Maybe<string[]>;
  readonly pointer: DocPath;
}

/** API-level CORS from `x-amazon-apigateway-cors` (HTTP APIs). */
export interface OpenApiCors {
  readonly allowOrigins: Maybe<string[]>;
  readonly allowMethods: Maybe<string[]>;
  readonly allowHeaders: Maybe<string[]>;
  readonly allowCredentials: Maybe<boolean>;
  readonly pointer: DocPath;
}

/** What an OpenAPI body defines for an API Gateway API. */
export interface AwsOpenApi {
  readonly operations: readonly OpenApiOperation[];
  readonly authorizers: readonly OpenApiAuthorizer[];
  readonly cors?: OpenApiCors;
  readonly gatewayResponseCors: ReadonlyArray<{ readonly responseType: string; readonly cors: HeaderCors; readonly pointer: DocPath }>;
  readonly apiKeySource?: Maybe<'header' | 'authorizer'>;
  readonly disableExecuteApiEndpoint?: Maybe<boolean>;
  readonly endpointTypes?: Maybe<string[]>;
  readonly hasPolicy: boolean;
  readonly problems: readonly string[];
  /** Problems with a place in the document (a malformed `security`), reported at their line. */
  readonly locatedProblems: readonly LocatedProblem[];
}

/**
 * How a security scheme authenticates on API Gateway. `unsupported` marks a scheme the import does not
 * turn into an authorizer (an API key on an HTTP API, a REST scheme without API Gateway's extensions):
 * beside an authorizer it changes nothing; alone, what it leaves the method with is unknown.
 */
interface AwsScheme extends SchemeKind {
  readonly unsupported?: boolean;
}

/** How a security scheme authenticates, per API Gateway's OpenAPI extensions. */
function readScheme(name: string, scheme: unknown, protocol: GatewayProtocol): AwsScheme {
  if (!isData(scheme)) return { kind: scheme instanceof Unknown ? scheme : new Unknown(`security scheme "${name}" is not defined`), isApiKey: false };
  const authType = text(scheme['x-amazon-apigateway-authtype']);
  const authorizer = scheme['x-amazon-apigateway-authorizer'];
  if (authType instanceof Unknown) return { kind: authType, isApiKey: false };
  if (authType?.toLowerCase() === 'awssigv4') return { kind: 'iam', isApiKey: false };
  if (isData(authorizer)) {
    const type = text(authorizer.type);
    if (type === undefined) return { kind: new Unknown(`authorizer "${name}" has no type`), isApiKey: false };
    return { kind: type instanceof Unknown ? type : authorizerKind(type), isApiKey: false };
  }
  if (authType?.toLowerCase() === 'cognito_user_pools') return { kind: 'cognito', isApiKey: false };
  const type = text(scheme.type);
  // A plain apiKey scheme is API Gateway's own API key (x-api-key) on REST APIs.
  if (type === 'apiKey') return protocol === 'rest' ? { kind: 'api-key', isApiKey: true } : { kind: new Unknown(`API keys are not supported on ${protocol} APIs`), isApiKey: false, unsupported: true };
  if (type === 'oauth2' || type === 'openIdConnect') return protocol === 'rest' ? { kind: new Unknown(`${type} needs an x-amazon-apigateway-authorizer on REST APIs`), isApiKey: false, unsupported: true } : { kind: 'jwt', isApiKey: false };
  return { kind: new Unknown(`security scheme "${name}" has no API Gateway authorizer`), isApiKey: false, unsupported: true };
}

/** Kinds that identify the caller: whichever of them a method gets, it is authenticated. */
const IDENTITY_KINDS: ReadonlySet<AuthKind> = new Set(['iam', 'jwt', 'lambda', 'cognito', 'oauth2', 'mtls']);

/**
 * How API Gateway turns an operation's `security` list into the settings of one method (REST) or
 * route (HTTP API). Its import does not read the list as OpenAPI's alternatives: a REST method has
 * one authorization type, one authorizer and an `apiKeyRequired` flag, an HTTP API route one
 * authorizer, and every requirement object of the list sets what it names. An API key scheme
 * anywhere in the list makes the key required, and the authorizer named is the method's. That is how
 * SAM writes an authorizer plus `ApiKeyRequired`, `[{CognitoAuth: []}, {api_key: []}]` (two
 * requirement objects, appended one after the other), and the method it deploys needs both. An empty
 * requirement (`{}`) names nothing and sets nothing, so it does not make an authorizer optional.
 *
 * A method takes one authorizer; which one the import keeps when the list names several is not
 * documented. When they all identify the caller the method is authenticated whichever it is, and the
 * first is read; when they differ in that (one of them is unknown), the method's authentication is
 * unknown. Either way the returned problem says so.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html (one authorizationType and authorizerId per method)
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/swagger/swagger.py (`_set_method_apikey_handling` appends `{api_key: []}` as its own requirement object; `set_path_default_authorizer` keeps a single authorizer entry)
 * @see https://github.com/amazon-archives/aws-apigateway-importer/blob/master/src/com/amazonaws/service/apigateway/importer/impl/sdk/ApiGatewaySdkSwaggerApiImporter.java (`isApiKeyRequired`: any requirement object naming the key)
 */
export function awsMethodSecurity(requirements: unknown, schemes: Data, protocol: GatewayProtocol, operation: string): { security: EffectiveSecurity; problem?: string } {
  if (requirements instanceof Unknown) return { security: { kind: requirements, apiKeyRequired: requirements, scopes: requirements } };
  if (!Array.isArray(requirements) || requirements.length === 0) return { security: { kind: 'none', apiKeyRequired: false, scopes: [] } };
  let apiKey = false;
  let unknownRequirement: Unknown | undefined;
  let unsupported: Unknown | undefined;
  const authorizers: Array<{ name: string; kind: Maybe<AuthKind>; scopes: Maybe<string[]> }> = [];
  for (const requirement of requirements) {
    if (!isData(requirement)) {
      unknownRequirement ??= requirement instanceof Unknown ? requirement : new Unknown('a security requirement is not an object');
      continue;
    }
    for (const [name, requested] of Object.entries(requirement)) {
      const scheme = readScheme(name, schemes[name], protocol);
      if (scheme.isApiKey) apiKey = true;
      else if (scheme.unsupported) unsupported ??= scheme.kind instanceof Unknown ? scheme.kind : new Unknown(`security scheme "${name}" is not supported`);
      else if (!authorizers.some((found) => found.name === name)) authorizers.push({ name, kind: scheme.kind, scopes: texts(requested) ?? [] });
    }
  }
  // What a requirement that cannot be read names is unknown: it may be a key or an authorizer.
  const apiKeyRequired: Maybe<boolean> = apiKey ? true : (unknownRequirement ?? false);
  const first = authorizers[0];
  if (unknownRequirement && !first) return { security: { kind: unknownRequirement, apiKeyRequired, scopes: unknownRequirement } };
  if (!first) {
    if (apiKey) return { security: { kind: 'api-key', apiKeyRequired: true, scopes: [] } };
    return { security: unsupported ? { kind: unsupported, apiKeyRequired: false, scopes: unsupported } : { kind: 'none', apiKeyRequired: false, scopes: [] } };
  }
  if (authorizers.length === 1) return { security: { kind: first.kind, apiKeyRequired, schemeName: first.name, scopes: first.scopes } };
  const names = authorizers.map((found) => `"${found.name}"`).join(', ');
  const allIdentify = authorizers.every((found) => typeof found.kind === 'string' && IDENTITY_KINDS.has(found.kind));
  if (allIdentify) {
    return {
      security: { kind: first.kind, apiKeyRequired, schemeName: first.name, scopes: first.scopes },
      problem: `${operation} names ${authorizers.length} authorizers (${names}); an API Gateway method takes one, and which one the import keeps is not documented. Each identifies the caller, so the method is authenticated either way; gatewarden reads the first. Keep one to make it explicit`,
    };
  }
  const unknown = new Unknown(`the security of ${operation} names ${authorizers.length} authorizers (${names}) and an API Gateway method takes one; which one the import keeps is not documented`);
  return {
    security: { kind: unknown, apiKeyRequired, scopes: unknown },
    problem: `${operation} names ${authorizers.length} authorizers (${names}); an API Gateway method takes one, and which one the import keeps is not documented, so its authentication is unknown. Keep one`,
  };
}

/**
 * Reads an operation's `x-amazon-apigateway-integration`: its kind, and the CORS headers its responses
 * answer with (the first response that sets `Access-Control-Allow-Origin`, with where that is
 * written). A response header value API Gateway refuses is a located `invalid-value` problem, whether
 * or not it is a CORS header: the deployment fails on it.
 */
function readIntegration(operation: Data, pointer: DocPath, problems: LocatedProblem[]): { kind: Maybe<IntegrationKind>; backend: OpenApiOperation['backend']; cors?: HeaderCors; corsPointer?: DocPath } {
  const integration = operation['x-amazon-apigateway-integration'];
  if (integration instanceof Unknown) return { kind: integration, backend: {} };
  if (!isData(integration)) return { kind: new Unknown('the operation has no x-amazon-apigateway-integration'), backend: {} };
  const type = text(integration.type);
  const uri = text(integration.uri);
  const backend = httpBackendOf(type, uri, text(integration.connectionType));
  const kind = type === undefined ? new Unknown('the integration has no type') : type instanceof Unknown ? type : integrationKind(type, uri);
  // An AWS_PROXY integration calls a Lambda function or an AWS service by ARN; API Gateway refuses an
  // HTTP address there ("Invalid ARN specified in the request"): http_proxy is the type for one.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
  if (typeof type === 'string' && type.toLowerCase() === 'aws_proxy' && typeof uri === 'string' && /^https?:\/\//i.test(uri.trim())) {
    problems.push({
      message: `the aws_proxy integration's uri ${JSON.stringify(uri)} is not an ARN: an AWS_PROXY integration takes the ARN of a Lambda function or an AWS service, and API Gateway refuses an HTTP address ("Invalid ARN specified in the request"), so the deployment fails; use type http_proxy for an HTTP endpoint`,
      pointer: [...pointer, 'x-amazon-apigateway-integration', 'uri'],
      code: 'invalid-value',
      refusesDeployment: true,
    });
  }
  let cors: HeaderCors | undefined;
  let corsPointer: DocPath | undefined;
  // A proxy integration's `responses` are never applied (see isProxyIntegration): not CORS.
  const responses = typeof type === 'string' && isProxyIntegration(type) ? undefined : integration.responses;
  if (isData(responses)) {
    for (const [status, response] of Object.entries(responses)) {
      if (!isData(response) || !isData(response.responseParameters)) continue;
      const parametersPointer: DocPath = [...pointer, 'x-amazon-apigateway-integration', 'responses', status, 'responseParameters'];
      const parameters: Record<string, Maybe<string> | undefined> = {};
      for (const [key, value] of Object.entries(response.responseParameters)) parameters[key] = text(value);
      const found = corsFromResponseParameters(parameters);
      for (const invalid of found?.invalid ?? []) problems.push({ message: invalid.message, pointer: [...parametersPointer, invalid.key], code: 'invalid-value', refusesDeployment: true });
      if (found && !cors) {
        cors = found;
        corsPointer = [...parametersPointer, found.originKey];
      }
    }
  }
  return { kind, backend, ...(cors ? { cors } : {}), ...(corsPointer ? { corsPointer } : {}) };
}

/**
 * Whether an operation of a REST API inherits a root-level `security` from a Swagger 2.0 document,
 * which API Gateway's REST import may not apply; when it does, the unknown its security reads as and
 * the warning to give at the root `security`.
 *
 * No AWS documentation says what the REST import does with a root-level `security` (the
 * "x-amazon-apigateway-authorizer" and "Develop REST APIs using OpenAPI" pages only show it per
 * operation). What AWS people have said: an API Gateway engineer answered that "API Gateway doesn't
 * support the API level security field. You have to apply it per method"
 * (https://github.com/amazon-archives/aws-apigateway-importer/issues/204, 2017, on a Swagger 2.0
 * document), and SAM CLI, which emulates API Gateway, refuses root-level authorizers outside OpenAPI
 * 3.x ("Root level definition of default authorizers are only supported for API resources using an
 * OpenApi 3.x body", aws/aws-sam-cli#5060) while it accepts them for REST APIs in 3.x
 * (aws/aws-sam-cli#5182). So a 3.x root-level `security` is read as applied, as OpenAPI says; for a
 * Swagger 2.0 document neither "applied" nor "ignored" is documented, and reading either would be a
 * guess (a false alarm, or an open route passed as protected): the operation's authentication is
 * unknown and the warning says to write the requirement on each operation. An empty root list names
 * nothing, so it leaves the operation unauthenticated either way and is read as it is.
 */
function rootSecurityOfSwagger2(doc: Data, protocol: GatewayProtocol, hasOwnSecurity: boolean): { unknown: Unknown; problem: LocatedProblem } | undefined {
  if (protocol !== 'rest' || hasOwnSecurity || doc.swagger === undefined || doc.openapi !== undefined) return undefined;
  if (!Array.isArray(doc.security) || doc.security.length === 0) return undefined;
  return {
    unknown: new Unknown('the operation inherits the root-level security of a Swagger 2.0 document, and whether API Gateway\'s REST import applies it is not documented'),
    problem: {
      message:
        'root-level security in a Swagger 2.0 document: whether API Gateway\'s REST import applies it to the operations without their own is not documented (an AWS engineer said it does not, aws-apigateway-importer#204, and SAM CLI refuses it outside OpenAPI 3.x), so their authentication is unknown. Write the security requirement on each operation, or use OpenAPI 3.0',
      pointer: ['security'],
    },
  };
}

/** Reads the API Gateway view of an OpenAPI 2.0/3.x document (values may hold Unknown leaves). */
export function readAwsOpenApi(doc: unknown, protocol: GatewayProtocol): AwsOpenApi {
  if (!isData(doc)) {
    return { operations: [], authorizers: [], gatewayResponseCors: [], hasPolicy: false, problems: ['the OpenAPI body is not an object'], locatedProblems: [] };
  }
  const found = new Set<string>();
  if (doc.openapi === undefined && doc.swagger === undefined) found.add('the body has neither an "openapi" nor a "swagger" version field');
  const { schemes, pointer: schemesPointer } = securitySchemes(doc, found);

  const operations: OpenApiOperation[] = [];
  const locatedProblems: LocatedProblem[] = [];
  for (const view of listOperations(doc, found, ANY_METHOD)) {
    // A document-wide `security` applies to every operation: its shape is reported once.
    const invalid = view.securityProblem;
    if (invalid && !locatedProblems.some((problem) => problem.pointer.join('/') === invalid.pointer.join('/'))) locatedProblems.push(invalid);
    const inherited = rootSecurityOfSwagger2(doc, protocol, view.hasOwnSecurity);
    if (inherited && !locatedProblems.some((problem) => problem.pointer.join('/') === 'security')) locatedProblems.push(inherited.problem);
    const { security, problem } = awsMethodSecurity(inherited ? inherited.unknown : view.security, schemes, protocol, `${view.method} ${view.path}`);
    if (problem) found.add(problem);
    const integration = readIntegration(view.operation, view.pointer, locatedProblems);
    operations.push({
      method: view.method,
      path: view.path,
      authKind: security.kind,
      apiKeyRequired: security.apiKeyRequired,
      authSource: view.hasOwnSecurity ? 'openapi-operation' : 'openapi-default',
      ...(security.schemeName !== undefined ? { authorizerName: security.schemeName } : {}),
      scopes: security.scopes,
      integration: integration.kind,
      backend: integration.backend,
      ...(integration.cors ? { responseCors: integration.cors } : {}),
      ...(integration.corsPointer ? { responseCorsPointer: integration.corsPointer } : {}),
      pointer: view.pointer,
      authPointer: view.securityPointer,
      ignore: view.ignore,
      validation: readOperationValidation(doc, view, found),
      cacheKeyParameters: isData(view.operation['x-amazon-apigateway-integration']) ? (texts(view.operation['x-amazon-apigateway-integration'].cacheKeyParameters) ?? []) : [],
    });
  }
  const problems = [...found];

  const authorizers: OpenApiAuthorizer[] = [];
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isData(scheme) || !isData(scheme['x-amazon-apigateway-authorizer'])) continue;
    const authorizer = scheme['x-amazon-apigateway-authorizer'];
    const type = text(authorizer.type);
    const jwt = isData(authorizer.jwtConfiguration) ? authorizer.jwtConfiguration : undefined;
    const identity = texts(authorizer.identitySource) ?? (typeof scheme.name === 'string' ? [`method.request.header.${scheme.name}`] : []);
    const ttl = authorizer.authorizerResultTtlInSeconds;
    authorizers.push({
      name,
      type: type === undefined ? new Unknown('no type') : type instanceof Unknown ? type : authorizerKind(type),
      identitySources: identity,
      // A REST API caches a Lambda or Cognito authorizer's answer for 300 seconds unless told otherwise.
      ...(typeof ttl === 'number' || ttl instanceof Unknown ? { resultTtlSeconds: ttl } : protocol === 'rest' && typeof type === 'string' && /^(token|request|cognito_user_pools)$/i.test(type) ? { resultTtlSeconds: 300 } : {}),
      cacheKeyedOnCredential: cacheKeyedOnCredential(type ?? new Unknown('no type'), identity),
      ...(jwt ? { ...(text(jwt.issuer) !== undefined ? { jwtIssuer: text(jwt.issuer)! } : {}), jwtAudiences: texts(jwt.audience) ?? [] } : {}),
      pointer: [...schemesPointer, name],
    });
  }

  const corsData = doc['x-amazon-apigateway-cors'];
  let cors: OpenApiCors | undefined;
  if (isData(corsData)) {
    cors = {
      allowOrigins: texts(corsData.allowOrigins) ?? [],
      allowMethods: texts(corsData.allowMethods) ?? [],
      allowHeaders: texts(corsData.allowHeaders) ?? [],
      allowCredentials: flag(corsData.allowCredentials) ?? false,
      pointer: ['x-amazon-apigateway-cors'],
    };
  }

  const gatewayResponseCors: Array<{ responseType: string; cors: HeaderCors; pointer: DocPath }> = [];
  // Their pointer is the `Access-Control-Allow-Origin` value, where a finding points.
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  if (isData(responses)) {
    for (const [responseType, response] of Object.entries(responses)) {
      if (!isData(response) || !isData(response.responseParameters)) continue;
      const parameters: Record<string, Maybe<string> | undefined> = {};
      for (const [key, value] of Object.entries(response.responseParameters)) parameters[key] = text(value);
      const found = corsFromResponseParameters(parameters);
      const parametersPointer: DocPath = ['x-amazon-apigateway-gateway-responses', responseType, 'responseParameters'];
      for (const invalid of found?.invalid ?? []) locatedProblems.push({ message: invalid.message, pointer: [...parametersPointer, invalid.key], code: 'invalid-value', refusesDeployment: true });
      if (found) gatewayResponseCors.push({ responseType, cors: found, pointer: [...parametersPointer, found.originKey] });
    }
  }

  const endpoint = doc['x-amazon-apigateway-endpoint-configuration'];
  const source = text(doc['x-amazon-apigateway-api-key-source']);
  const disable = isData(endpoint) ? flag(endpoint.disableExecuteApiEndpoint) : undefined;
  const types = isData(endpoint) ? texts(endpoint.types) : undefined;
  return {
    operations,
    authorizers,
    ...(cors ? { cors } : {}),
    gatewayResponseCors,
    ...(source !== undefined ? { apiKeySource: source instanceof Unknown ? source : source.toUpperCase() === 'AUTHORIZER' ? 'authorizer' : 'header' } : {}),
    ...(disable !== undefined ? { disableExecuteApiEndpoint: disable } : {}),
    ...(types !== undefined ? { endpointTypes: types } : {}),
    hasPolicy: doc['x-amazon-apigateway-policy'] !== undefined,
    problems,
    locatedProblems,
  };
}
