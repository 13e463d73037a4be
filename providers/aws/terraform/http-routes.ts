import type { AuthKind, IntegrationKind, RouteAuth } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { readBool, readString, readStringList } from '../../shared/values.js';
import { httpBackendOf, integrationKind, parseRouteKey, routeAuthorizationKind } from '../semantics.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import type { GatewayDraft, RouteDraft } from './drafts.js';
import { openApiRoutes } from './rest-routes.js';
import { pushAll } from '../../../src/arrays.js';
import { outsideApiKey } from './outside-api.js';

/** Routes of HTTP and WebSocket APIs: route resources, quick-create targets and OpenAPI bodies. */
export function collectHttpRoutes(ctx: TerraformContext, gateways: ReadonlyMap<string, GatewayDraft>, authorizerIds: ReadonlyMap<string, string>): RouteDraft[] {
  const routes: RouteDraft[] = [];
  for (const resource of ctx.ofType('aws_apigatewayv2_route')) {
    const values = resource.values;
    const gateway = gateways.get(ctx.target(values.api_id, 'aws_apigatewayv2_api')?.address ?? '');
    const protocol = gateway?.protocol === 'websocket' ? 'websocket' : 'http';
    const routeKey = readString(values.route_key);
    const parsed = typeof routeKey === 'string' ? parseRouteKey(routeKey, protocol) : undefined;
    const authorizationType = readString(values.authorization_type) ?? 'NONE';
    let kind: Maybe<AuthKind> = authorizationType instanceof Unknown ? authorizationType : routeAuthorizationKind(authorizationType);
    // API keys exist only on WebSocket APIs; HTTP APIs ignore the argument.
    const apiKeyRequired = protocol === 'websocket' ? (readBool(values.api_key_required) ?? false) : false;
    if (kind === 'none' && apiKeyRequired === true) kind = 'api-key';
    const authorizerAddress = ctx.target(values.authorizer_id, 'aws_apigatewayv2_authorizer')?.address;
    const auth: RouteAuth = {
      kind,
      apiKeyRequired,
      source: 'route',
      ...(authorizerAddress && authorizerIds.has(authorizerAddress) ? { authorizerId: authorizerIds.get(authorizerAddress)! } : {}),
      scopes: readStringList(values.authorization_scopes) ?? [],
    };
    const integrationResource = ctx.target(values.target, 'aws_apigatewayv2_integration');
    let integration: Maybe<IntegrationKind>;
    // WebSocket APIs call HTTP backends too (integration type HTTP or HTTP_PROXY).
    const backend = integrationResource ? httpBackendOf(readString(integrationResource.values.integration_type), readString(integrationResource.values.integration_uri), readString(integrationResource.values.connection_type)) : {};
    if (integrationResource) {
      const type = readString(integrationResource.values.integration_type);
      integration = type === undefined ? new Unknown('the integration has no type') : type instanceof Unknown ? type : integrationKind(type, readString(integrationResource.values.integration_uri));
    } else {
      integration = values.target === undefined ? 'none' : new Unknown(`the target of ${resource.address} is not an integration in the scanned configuration`);
    }
    const key = typeof routeKey === 'string' ? routeKey : '?';
    routes.push({
      route: {
        ...ctx.base('route', resource, { parentId: gateway?.id ?? null }),
        method: parsed ? parsed.method : routeKey instanceof Unknown ? routeKey : new Unknown('route_key is not set'),
        path: parsed ? parsed.path : routeKey instanceof Unknown ? routeKey : new Unknown('route_key is not set'),
        key,
        auth,
        integration,
        // HTTP APIs answer preflights themselves only through cors_configuration; an OPTIONS route reaches its target.
        isCorsPreflight: false,
        ...backend,
      },
      fieldLocations: {
        auth: resource.locate(values.authorization_type === undefined ? [] : ['authorization_type']),
        method: resource.locate(['route_key']),
        ...(integrationResource ? { integration: integrationResource.locate(['integration_type']), backendUrl: integrationResource.locate(['integration_uri']) } : {}),
      },
      ...(gateway ? { gateway } : { outsideApi: outsideApiKey(ctx, values.api_id, resource, 'v2') }),
      throttle: { kind: 'route-key', routeKey: key },
    });
  }

  for (const gateway of gateways.values()) {
    if (gateway.protocol === 'rest') continue;
    if (gateway.openApi) pushAll(routes, openApiRoutes(ctx, gateway));
    const quickCreate = quickCreateRoute(ctx, gateway);
    if (quickCreate) routes.push(quickCreate);
  }
  return inheritWebSocketConnectAuth(ctx, routes, gateways);
}

/**
 * "Quick create": an HTTP API with `target` gets a route (`route_key`, default `$default`) with no
 * authorization, plus an auto-deployed `$default` stage. AWS creates them; the configuration does not show them.
 */
function quickCreateRoute(ctx: TerraformContext, gateway: GatewayDraft): RouteDraft | undefined {
  const values = gateway.resource.values;
  if (gateway.protocol !== 'http' || values.target === undefined || values.target === null) return undefined;
  const routeKey = readString(values.route_key) ?? '$default';
  const key = routeKey instanceof Unknown ? '?' : routeKey;
  const parsed = routeKey instanceof Unknown ? undefined : parseRouteKey(routeKey, 'http');
  const target = readString(values.target);
  const integration: Maybe<IntegrationKind> = target instanceof Unknown || target === undefined ? 'lambda' : /lambda/.test(target) ? 'lambda' : 'http-proxy';
  return {
    route: {
      ...ctx.base('route', gateway.resource, { id: `${gateway.id}/quick-create-route`, parentId: gateway.id, location: gateway.resource.locate(['target']) }),
      method: parsed ? parsed.method : new Unknown('route_key is unknown'),
      path: parsed ? parsed.path : new Unknown('route_key is unknown'),
      key,
      auth: { kind: 'none', apiKeyRequired: false, source: 'default' },
      integration,
      isCorsPreflight: false,
    },
    fieldLocations: { auth: gateway.resource.locate(['target']) },
    gateway,
    throttle: { kind: 'route-key', routeKey: key },
  };
}

/**
 * WebSocket APIs authenticate once, on `$connect`; every other route runs on that connection. So other
 * routes carry `$connect`'s auth, and an API without a `$connect` route accepts any connection: it gets
 * an implicit `$connect` route with no authentication, so the gap is reported once, on the API.
 */
function inheritWebSocketConnectAuth(ctx: TerraformContext, routes: RouteDraft[], gateways: ReadonlyMap<string, GatewayDraft>): RouteDraft[] {
  const out = [...routes];
  for (const gateway of gateways.values()) {
    if (gateway.protocol !== 'websocket') continue;
    const own = out.filter((draft) => draft.gateway === gateway);
    let connect = own.find((draft) => draft.route.key === '$connect');
    if (!connect) {
      // Without any route in the scan, the routes (and a $connect among them) may be defined
      // elsewhere: its authentication is that route's, unknown here, and like every AWS stand-in it is
      // checked where that route is written (a route-level setting), not here.
      const elsewhere = own.length === 0 && gateway.resource.format !== 'live';
      const unseen = new Unknown('no route of this WebSocket API is in the scanned configuration: its $connect, if any, is defined elsewhere');
      connect = {
        route: {
          ...ctx.base('route', gateway.resource, { id: `${gateway.id}/$connect`, parentId: gateway.id }),
          method: 'WEBSOCKET',
          path: '$connect',
          key: '$connect',
          auth: elsewhere ? { kind: unseen, apiKeyRequired: unseen, source: 'route' } : { kind: 'none', apiKeyRequired: false, source: 'default' },
          integration: 'none',
          isCorsPreflight: false,
          ...(elsewhere ? { standIn: 'routes-outside-scan' as const } : {}),
        },
        fieldLocations: {},
        gateway,
        throttle: { kind: 'route-key', routeKey: '$connect' },
      };
      out.push(connect);
    }
    for (const draft of own) {
      if (draft === connect) continue;
      const index = out.indexOf(draft);
      out[index] = {
        ...draft,
        route: { ...draft.route, auth: { ...connect.route.auth, source: 'connect-route' } },
        fieldLocations: { ...draft.fieldLocations, ...(connect.fieldLocations.auth ? { auth: connect.fieldLocations.auth } : {}) },
      };
    }
  }
  return out;
}
