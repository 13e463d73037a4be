import type { AuthKind, IntegrationKind, RelatedLocation, RouteAuth, RouteMethod } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import { readBool, readString, readStringList } from '../../shared/values.js';
import { httpBackendOf, integrationKind, parseHttpMethod, restAuthorizationKind } from '../semantics.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import type { CacheKeyDraft, GatewayDraft, RouteDraft } from './drafts.js';
import { suppressionsFromExtensions } from '../../openapi/ignore.js';
import { pushAll } from '../../../src/arrays.js';
import { describeResource, describeType } from '../../shared/source-names.js';
import { outsideApiKey } from './outside-api.js';
import { methodRequestChecks } from './request-validation.js';
import { AUTHORIZATION_HEADER, identitySourcesOf } from './route-cache.js';

/**
 * Identifies a method from the `rest_api_id`/`resource_id`/`http_method` that methods, integrations and
 * their responses all repeat. Undefined when any part cannot be resolved to something in the input.
 */
export function methodKey(ctx: TerraformContext, values: Readonly<Record<string, Value>>): string | undefined {
  const resourceRef = ctx.reference(values.resource_id);
  const api = ctx.target(values.rest_api_id, 'aws_api_gateway_rest_api')?.address;
  const method = readString(values.http_method);
  // An HTTP method from a variable without a value is unknown, but the same variable on the same
  // resource is the same method (Terraform allows one method per HTTP method and resource).
  const methodPart = typeof method === 'string' ? method.toUpperCase() : method instanceof Unknown && method.ref ? `?${method.ref.address}#${method.ref.attribute}` : undefined;
  if (!api || !resourceRef || methodPart === undefined) return undefined;
  const resource = resourceRef.attribute === 'root_resource_id' ? `${resourceRef.address}#root` : resourceRef.address;
  return `${api}|${resource}|${methodPart}`;
}

/** Computes a REST resource's path from its parent chain (`/users/{id}`). */
export function restResourcePath(ctx: TerraformContext, resourceId: Value | undefined, depth = 0): Maybe<string> {
  const ref = ctx.reference(resourceId);
  if (!ref) return new Unknown('the resource is not in the scanned configuration');
  if (ref.attribute === 'root_resource_id') return '/';
  const resource = ctx.target(resourceId, 'aws_api_gateway_resource');
  if (!resource || depth > 64) return new Unknown(`${ref.address} is not an API Gateway resource in the scanned configuration`);
  const part = readString(resource.values.path_part);
  if (part === undefined) return new Unknown(`${resource.address} has no path_part`);
  if (part instanceof Unknown) return part;
  const parent = restResourcePath(ctx, resource.values.parent_id, depth + 1);
  if (parent instanceof Unknown) return parent;
  return parent === '/' ? `/${part}` : `${parent}/${part}`;
}

/** Information about a REST authorizer needed while computing route auth. */
export interface AuthorizerInfo {
  readonly id: string;
  readonly type: Maybe<string>;
}

/**
 * Integrations by method key, and by the address of the method whose `http_method` they read
 * (`http_method = aws_api_gateway_method.x.http_method`): a method whose HTTP method is unknown has
 * no key, but its integration still names it.
 */
function integrationsByMethod(ctx: TerraformContext): { byKey: Map<string, ResourceView>; byMethod: Map<string, ResourceView> } {
  const byKey = new Map<string, ResourceView>();
  const byMethod = new Map<string, ResourceView>();
  for (const integration of ctx.ofType('aws_api_gateway_integration')) {
    const key = methodKey(ctx, integration.values);
    if (key && !byKey.has(key)) byKey.set(key, integration);
    const method = ctx.target(integration.values.http_method, 'aws_api_gateway_method');
    if (method && !byMethod.has(method.address)) byMethod.set(method.address, integration);
  }
  return { byKey, byMethod };
}

/**
 * The preflight test: an OPTIONS route answered by a mock integration never reaches a backend. A
 * method whose HTTP method is unknown cannot be shown to be one, so it is not (route-requires-auth
 * then reports it when it has no authorization, saying why); a known OPTIONS method whose
 * integration is unknown stays unknown.
 */
export function preflightOf(method: Maybe<RouteMethod>, integration: Maybe<IntegrationKind>): Maybe<boolean> {
  if (method instanceof Unknown) return false;
  if (method !== 'OPTIONS') return false;
  if (integration instanceof Unknown) return integration;
  return integration === 'mock';
}

/** Routes of REST APIs: `aws_api_gateway_method` resources and operations of OpenAPI bodies. */
export function collectRestRoutes(
  ctx: TerraformContext,
  gateways: ReadonlyMap<string, GatewayDraft>,
  authorizers: ReadonlyMap<string, AuthorizerInfo>,
): { routes: RouteDraft[]; routeIdByMethodKey: Map<string, string> } {
  const routes: RouteDraft[] = [];
  const routeIdByMethodKey = new Map<string, string>();
  const integrations = integrationsByMethod(ctx);

  for (const resource of ctx.ofType('aws_api_gateway_method')) {
    const values = resource.values;
    const gateway = gateways.get(ctx.target(values.rest_api_id, 'aws_api_gateway_rest_api')?.address ?? '');
    const methodText = readString(values.http_method);
    const method: Maybe<RouteMethod> = methodText === undefined ? new Unknown('http_method is not set') : methodText instanceof Unknown ? methodText : parseHttpMethod(methodText);
    const path = restResourcePath(ctx, values.resource_id);
    const key = methodKey(ctx, values);
    if (key) routeIdByMethodKey.set(key, ctx.idOf(resource.address));
    const integrationResource = (key ? integrations.byKey.get(key) : undefined) ?? integrations.byMethod.get(resource.address);
    let integration: Maybe<IntegrationKind>;
    const backend = integrationResource ? httpBackendOf(readString(integrationResource.values.type), readString(integrationResource.values.uri), readString(integrationResource.values.connection_type)) : {};
    if (integrationResource) {
      const type = readString(integrationResource.values.type);
      integration = type === undefined ? new Unknown('the integration has no type') : type instanceof Unknown ? type : integrationKind(type, readString(integrationResource.values.uri));
    } else {
      integration = new Unknown(`no ${describeType(resource, 'aws_api_gateway_integration')} for ${describeResource(resource)} is in the scanned configuration`);
    }

    const authorizer = authorizers.get(ctx.target(values.authorizer_id, 'aws_api_gateway_authorizer')?.address ?? '');
    const authorization = readString(values.authorization);
    let kind: Maybe<AuthKind> =
      authorization === undefined ? new Unknown('authorization is not set') : authorization instanceof Unknown ? authorization : restAuthorizationKind(authorization, authorizer?.type);
    const apiKeyRequired = readBool(values.api_key_required) ?? false;
    if (kind === 'none') {
      if (apiKeyRequired === true) kind = 'api-key';
      else if (apiKeyRequired instanceof Unknown) kind = apiKeyRequired;
    }
    const auth: RouteAuth = {
      kind,
      apiKeyRequired,
      source: 'method',
      ...(authorizer ? { authorizerId: authorizer.id } : {}),
      scopes: readStringList(values.authorization_scopes) ?? [],
    };
    const checks = methodRequestChecks(ctx, resource);
    const authorizerResource = ctx.target(values.authorizer_id, 'aws_api_gateway_authorizer');
    const cacheKey: CacheKeyDraft = {
      parameters: integrationResource
        ? (readStringList(integrationResource.values.cache_key_parameters) ?? [])
        : new Unknown(`no ${describeType(resource, 'aws_api_gateway_integration')} for ${describeResource(resource)} is in the scanned configuration`),
      callerSources: authorizerResource ? identitySourcesOf(authorizerResource) : [AUTHORIZATION_HEADER],
      location: integrationResource ? integrationResource.locate(integrationResource.values.cache_key_parameters === undefined ? [] : ['cache_key_parameters']) : resource.location,
    };
    const routeKey = `${methodText instanceof Unknown || methodText === undefined ? '?' : methodText.toUpperCase()} ${path instanceof Unknown ? '?' : path}`;
    routes.push({
      route: {
        ...ctx.base('route', resource, { parentId: gateway?.id ?? null }),
        method,
        path,
        key: routeKey,
        auth,
        integration,
        isCorsPreflight: preflightOf(method, integration),
        // A mock integration answers from the gateway: no request reaches a backend to be protected.
        ...(integration === 'mock' ? {} : checks.details),
        // What the method declares of its body is its contract, as for an OpenAPI operation below.
        declaresRequestBody: checks.declaresRequestBody,
        ...backend,
      },
      fieldLocations: {
        auth: resource.locate(values.authorization === undefined ? [] : ['authorization']),
        requestValidation: checks.location,
        ...(checks.bodyLocation ? { declaresRequestBody: checks.bodyLocation } : {}),
        method: resource.locate(['http_method']),
        ...(integrationResource ? { integration: integrationResource.locate(['type']), backendUrl: integrationResource.locate(['uri']) } : {}),
      },
      ...(method instanceof Unknown ? { fieldRelated: { auth: [unknownMethodNote(resource, method)] } } : {}),
      ...(gateway ? { gateway } : { outsideApi: outsideApiKey(ctx, values.rest_api_id, resource, 'v1') }),
      throttle: { kind: 'method-path', resourcePath: path instanceof Unknown ? path : path.replace(/^\//, ''), method },
      cacheKey,
    });
  }

  for (const gateway of gateways.values()) {
    if (gateway.protocol !== 'rest' || !gateway.openApi) continue;
    pushAll(routes, openApiRoutes(ctx, gateway));
  }
  return { routes, routeIdByMethodKey };
}

/** Says why a method whose HTTP method is unknown is not exempt as a preflight, at its `http_method`. */
function unknownMethodNote(resource: ResourceView, method: Unknown): RelatedLocation {
  return {
    location: resource.locate(['http_method']),
    message: `the HTTP method is unknown (${method.reason}); only an OPTIONS preflight answered by a mock integration needs no authentication, and nothing shows that this method can only be one`,
  };
}

/** Routes defined by an API's OpenAPI body, for REST and HTTP APIs alike. */
export function openApiRoutes(ctx: TerraformContext, gateway: GatewayDraft): RouteDraft[] {
  const { api, document } = gateway.openApi!;
  const resource = gateway.resource;
  return api.operations.map((operation) => {
    // An HTTP API's catch-all route is written `/$default` with x-amazon-apigateway-any-method (how
    // API Gateway exports it, `isDefaultRoute: true`); imported, it is the route `$default`.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
    const isDefault = gateway.protocol === 'http' && operation.path === '/$default' && operation.method === 'ANY';
    const key = isDefault ? '$default' : `${operation.method} ${operation.path}`;
    const location = document.locate(operation.pointer);
    return {
      route: {
        ...ctx.base('route', resource, { id: `${gateway.id}/${key}`, parentId: gateway.id, location, suppressions: suppressionsFromExtensions(operation.ignore, document.locate) }),
        method: operation.method,
        path: isDefault ? '$default' : operation.path,
        key,
        auth: {
          kind: operation.authKind,
          apiKeyRequired: operation.apiKeyRequired,
          source: operation.authSource,
          ...(operation.authorizerName !== undefined && api.authorizers.some((a) => a.name === operation.authorizerName)
            ? { authorizerId: `${gateway.id}/authorizer/${operation.authorizerName}` }
            : {}),
          scopes: operation.scopes,
        },
        integration: operation.integration,
        // HTTP APIs have no mock integrations: their OPTIONS routes always reach a backend.
        isCorsPreflight: gateway.protocol === 'rest' ? preflightOf(operation.method, operation.integration) : false,
        // HTTP APIs have no request validators.
        ...(gateway.protocol === 'rest' && operation.integration !== 'mock'
          ? { requestValidation: operation.validation.requestValidation, requestBodySchema: operation.validation.requestBodySchema, requiredParameters: operation.validation.requiredParameters }
          : {}),
        ...operation.backend,
        // What the document declares of the body holds for every protocol: it is the API's contract.
        declaresRequestBody: operation.validation.requestBody.declaresBody,
        ...(gateway.protocol === 'rest' && operation.integration !== 'mock' ? {} : { requestBodySchema: operation.validation.requestBody.bodySchema }),
      },
      fieldLocations: {
        auth: document.locate(operation.authPointer),
        method: location,
        integration: document.locate([...operation.pointer, 'x-amazon-apigateway-integration']),
        requestValidation: document.locate(operation.validation.pointer ?? operation.pointer),
        backendUrl: document.locate([...operation.pointer, 'x-amazon-apigateway-integration', 'uri']),
        ...(operation.validation.requestBody.pointer ? { declaresRequestBody: document.locate(operation.validation.requestBody.pointer) } : {}),
      },
      gateway,
      ...(gateway.protocol === 'rest'
        ? {
            cacheKey: {
              parameters: operation.cacheKeyParameters,
              callerSources: api.authorizers.find((a) => a.name === operation.authorizerName)?.identitySources ?? [AUTHORIZATION_HEADER],
              location: document.locate([...operation.pointer, 'x-amazon-apigateway-integration']),
            },
          }
        : {}),
      throttle:
        gateway.protocol === 'rest'
          ? { kind: 'method-path', resourcePath: operation.path.replace(/^\//, ''), method: operation.method }
          : { kind: 'route-key', routeKey: key },
    } satisfies RouteDraft;
  });
}
