import type { AuthKind, GatewayProtocol, HttpMethod, IntegrationKind } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { authorizerKind, corsFromResponseParameters, integrationKind, type HeaderCors } from './semantics.js';

/** A path inside the OpenAPI document, for pointing findings at the right line. */
export type DocPath = ReadonlyArray<string | number>;

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

const METHOD_KEYS: Readonly<Record<string, HttpMethod>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

function text(value: unknown): Maybe<string> | undefined {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function flag(value: unknown): Maybe<boolean> | undefined {
  if (value instanceof Unknown || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function texts(value: unknown): Maybe<string[]> | undefined {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter(Boolean);
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const entry = text(item);
    if (entry instanceof Unknown) return entry;
    if (entry !== undefined) out.push(entry);
  }
  return out;
}

/** How a security scheme authenticates, per API Gateway's OpenAPI extensions. */
interface Scheme {
  readonly kind: Maybe<AuthKind>;
  readonly isApiKey: boolean;
}

function readScheme(name: string, scheme: unknown, protocol: GatewayProtocol): Scheme {
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

/**
 * Evaluates an OpenAPI `security` requirement list. The alternatives are OR-ed, so a caller can pick
 * the weakest: an empty requirement (`{}`) or `[]` means no authentication; an alternative with only
 * an API key is key-only.
 */
function effectiveSecurity(
  requirements: unknown,
  schemes: Data,
  protocol: GatewayProtocol,
): { kind: Maybe<AuthKind>; apiKeyRequired: Maybe<boolean>; authorizerName?: string; scopes: Maybe<string[]> } {
  if (requirements instanceof Unknown) return { kind: requirements, apiKeyRequired: requirements, scopes: requirements };
  if (!Array.isArray(requirements) || requirements.length === 0) return { kind: 'none', apiKeyRequired: false, scopes: [] };
  const alternatives = requirements.map((requirement) => {
    if (!isData(requirement)) return { kind: new Unknown('a security requirement is unknown') as Maybe<AuthKind>, apiKey: false, name: undefined as string | undefined, scopes: [] as Maybe<string[]> };
    let kind: Maybe<AuthKind> = 'none';
    let apiKey = false;
    let authorizerName: string | undefined;
    let scopes: Maybe<string[]> = [];
    for (const [name, requested] of Object.entries(requirement)) {
      const scheme = readScheme(name, schemes[name], protocol);
      if (scheme.isApiKey) {
        apiKey = true;
        continue;
      }
      if (kind === 'none' || kind === 'api-key') {
        kind = scheme.kind;
        authorizerName = name;
        scopes = texts(requested) ?? [];
      }
    }
    if (kind === 'none' && apiKey) kind = 'api-key';
    return { kind, apiKey, name: authorizerName, scopes };
  });
  const rank = (kind: Maybe<AuthKind>): number => (kind === 'none' ? 0 : kind === 'api-key' ? 1 : kind instanceof Unknown ? 2 : 3);
  const weakest = alternatives.reduce((a, b) => (rank(b.kind) < rank(a.kind) ? b : a));
  return {
    kind: weakest.kind,
    apiKeyRequired: weakest.apiKey,
    ...(weakest.name !== undefined ? { authorizerName: weakest.name } : {}),
    scopes: weakest.scopes,
  };
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
  const problems: string[] = [];
  if (!isData(doc)) {
    return { operations: [], authorizers: [], gatewayResponseCors: [], hasPolicy: false, problems: ['the OpenAPI body is not an object'] };
  }
  if (doc.openapi === undefined && doc.swagger === undefined) problems.push('the body has neither an "openapi" nor a "swagger" version field');
  const components = isData(doc.components) ? doc.components : {};
  const schemes: Data = isData(components.securitySchemes) ? components.securitySchemes : isData(doc.securityDefinitions) ? doc.securityDefinitions : {};
  const schemesPointer: DocPath = isData(components.securitySchemes) ? ['components', 'securitySchemes'] : ['securityDefinitions'];

  const operations: OpenApiOperation[] = [];
  const paths = isData(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isData(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const method = METHOD_KEYS[key.toLowerCase()];
      if (!method || !isData(operation)) continue;
      const hasOwn = Object.hasOwn(operation, 'security');
      const security = effectiveSecurity(hasOwn ? operation.security : doc.security, schemes, protocol);
      const integration = readIntegration(operation);
      operations.push({
        method,
        path,
        authKind: security.kind,
        apiKeyRequired: security.apiKeyRequired,
        authSource: hasOwn ? 'openapi-operation' : 'openapi-default',
        ...(security.authorizerName !== undefined ? { authorizerName: security.authorizerName } : {}),
        scopes: security.scopes,
        integration: integration.kind,
        ...(integration.cors ? { responseCors: integration.cors } : {}),
        pointer: ['paths', path, key],
        authPointer: hasOwn ? ['paths', path, key, 'security'] : Object.hasOwn(doc, 'security') ? ['security'] : ['paths', path, key],
      });
    }
  }

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
