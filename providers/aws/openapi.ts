import type { AuthKind, GatewayProtocol, HttpMethod, IntegrationKind } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { effectiveSecurity, flag, isData, listOperations, securitySchemes, text, texts, type Data, type DocPath, type IgnoreExtension, type SchemeKind } from '../openapi/reader.js';
import { authorizerKind, corsFromResponseParameters, integrationKind, type HeaderCors } from './semantics.js';

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
  /** CORS headers a mock OPTIONS integration (or any integration) answers with. */
  readonly responseCors?: HeaderCors;
  readonly pointer: DocPath;
  readonly authPointer: DocPath;
  /** `x-gatewarden-ignore` extensions that apply to the operation. */
  readonly ignore: readonly IgnoreExtension[];
}

/** An authorizer declared as a security scheme with `x-amazon-apigateway-authorizer`. */
export interface OpenApiAuthorizer {
  readonly name: string;
  readonly type: Maybe<AuthKind>;
  readonly identitySources: Maybe<string[]>;
  readonly resultTtlSeconds?: Maybe<number>;
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
}

/** How a security scheme authenticates, per API Gateway's OpenAPI extensions. */
function readScheme(name: string, scheme: unknown, protocol: GatewayProtocol): SchemeKind {
  if (!isData(scheme)) return { kind: new Unknown(`security scheme "${name}" is not defined`), isApiKey: false };
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
  if (type === 'apiKey') return protocol === 'rest' ? { kind: 'api-key', isApiKey: true } : { kind: new Unknown(`API keys are not supported on ${protocol} APIs`), isApiKey: false };
  if (type === 'oauth2' || type === 'openIdConnect') return { kind: protocol === 'rest' ? new Unknown(`${type} needs an x-amazon-apigateway-authorizer on REST APIs`) : 'jwt', isApiKey: false };
  return { kind: new Unknown(`security scheme "${name}" has no API Gateway authorizer`), isApiKey: false };
}

function readIntegration(operation: Data): { kind: Maybe<IntegrationKind>; cors?: HeaderCors } {
  const integration = operation['x-amazon-apigateway-integration'];
  if (integration instanceof Unknown) return { kind: integration };
  if (!isData(integration)) return { kind: new Unknown('the operation has no x-amazon-apigateway-integration') };
  const type = text(integration.type);
  const uri = text(integration.uri);
  const kind = type === undefined ? new Unknown('the integration has no type') : type instanceof Unknown ? type : integrationKind(type, uri);
  let cors: HeaderCors | undefined;
  const responses = integration.responses;
  if (isData(responses)) {
    for (const response of Object.values(responses)) {
      if (!isData(response) || !isData(response.responseParameters)) continue;
      const parameters: Record<string, Maybe<string> | undefined> = {};
      for (const [key, value] of Object.entries(response.responseParameters)) parameters[key] = text(value);
      cors ??= corsFromResponseParameters(parameters);
    }
  }
  return { kind, ...(cors ? { cors } : {}) };
}

/** Reads the API Gateway view of an OpenAPI 2.0/3.x document (values may hold Unknown leaves). */
export function readAwsOpenApi(doc: unknown, protocol: GatewayProtocol): AwsOpenApi {
  if (!isData(doc)) {
    return { operations: [], authorizers: [], gatewayResponseCors: [], hasPolicy: false, problems: ['the OpenAPI body is not an object'] };
  }
  const found = new Set<string>();
  if (doc.openapi === undefined && doc.swagger === undefined) found.add('the body has neither an "openapi" nor a "swagger" version field');
  const { schemes, pointer: schemesPointer } = securitySchemes(doc, found);

  const operations: OpenApiOperation[] = [];
  for (const view of listOperations(doc, found, ANY_METHOD)) {
    const security = effectiveSecurity(view.security, schemes, (name, scheme) => readScheme(name, scheme, protocol));
    const integration = readIntegration(view.operation);
    operations.push({
      method: view.method,
      path: view.path,
      authKind: security.kind,
      apiKeyRequired: security.apiKeyRequired,
      authSource: view.hasOwnSecurity ? 'openapi-operation' : 'openapi-default',
      ...(security.schemeName !== undefined ? { authorizerName: security.schemeName } : {}),
      scopes: security.scopes,
      integration: integration.kind,
      ...(integration.cors ? { responseCors: integration.cors } : {}),
      pointer: view.pointer,
      authPointer: view.securityPointer,
      ignore: view.ignore,
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
      ...(typeof ttl === 'number' || ttl instanceof Unknown ? { resultTtlSeconds: ttl } : {}),
      ...(jwt ? { jwtIssuer: text(jwt.issuer) ?? new Unknown('no issuer'), jwtAudiences: texts(jwt.audience) ?? [] } : {}),
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
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  if (isData(responses)) {
    for (const [responseType, response] of Object.entries(responses)) {
      if (!isData(response) || !isData(response.responseParameters)) continue;
      const parameters: Record<string, Maybe<string> | undefined> = {};
      for (const [key, value] of Object.entries(response.responseParameters)) parameters[key] = text(value);
      const found = corsFromResponseParameters(parameters);
      if (found) gatewayResponseCors.push({ responseType, cors: found, pointer: ['x-amazon-apigateway-gateway-responses', responseType] });
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
  };
}
