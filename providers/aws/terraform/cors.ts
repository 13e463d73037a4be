import type { Cors, CorsSource } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readBlocks, readBool, readObject, readString, readStringList } from '../../shared/values.js';
import { corsFromResponseParameters, isProxyIntegration, type HeaderCors } from '../semantics.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import type { GatewayDraft, RouteDraft } from './drafts.js';
import { methodKey } from './rest-routes.js';
import { routesOutsideScan } from './stand-ins.js';
import { writtenElsewhere, type WrittenElsewhere } from '../../shared/written-at.js';
import { describeResource } from '../../shared/source-names.js';

function responseParameters(resource: ResourceView): Record<string, Maybe<string> | undefined> | Unknown | undefined {
  const parameters = readObject(resource.values.response_parameters);
  if (parameters === undefined || parameters instanceof Unknown) return parameters;
  const out: Record<string, Maybe<string> | undefined> = {};
  for (const [key, value] of Object.entries(parameters)) out[key] = readString(value);
  return out;
}

/**
 * Reports the response parameters API Gateway refuses (an unquoted `*`) where they are written: the
 * deployment of their API fails on them (see refused.ts), whose id is added to `refused`.
 */
function reportInvalid(ctx: TerraformContext, resource: ResourceView, cors: HeaderCors, gatewayId: string | null, refused: Set<string>): void {
  if (cors.invalid.length > 0 && gatewayId !== null) refused.add(gatewayId);
  for (const invalid of cors.invalid) {
    ctx.report({ severity: 'warning', code: 'invalid-value', message: `${describeResource(resource)}: ${invalid.message}`, location: resource.locate(['response_parameters', invalid.key]), address: resource.address });
  }
}

function headerCorsEntity(
  ctx: TerraformContext,
  resource: ResourceView,
  cors: HeaderCors,
  options: { id: string; parentId: string | null; source: CorsSource; location: SourceLocation; routeKey?: string },
): Cors {
  return {
    ...ctx.base('cors', resource, { id: options.id, parentId: options.parentId, location: options.location, fieldLocations: { allowOrigins: options.location, allowCredentials: options.location } }),
    source: options.source,
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods,
    allowHeaders: cors.allowHeaders,
    allowCredentials: cors.allowCredentials,
    ...(options.routeKey !== undefined ? { routeKey: options.routeKey } : {}),
  };
}

/**
 * Emits effective CORS configurations: HTTP API `cors_configuration` and `x-amazon-apigateway-cors`,
 * REST integration responses that set `Access-Control-Allow-*` (OPTIONS mock preflights above all; a
 * proxy integration's responses are never applied and are left out),
 * and gateway responses that add them to error responses.
 */
export function emitCors(
  ctx: TerraformContext,
  gateways: ReadonlyMap<string, GatewayDraft>,
  routes: readonly RouteDraft[],
  routeIdByMethodKey: ReadonlyMap<string, string>,
): ReadonlySet<string> {
  const refused = new Set<string>();
  const routesById = new Map(routes.map((draft) => [draft.route.id, draft]));

  for (const gateway of gateways.values()) {
    const resource = gateway.resource;
    const blocks = readBlocks(resource.values.cors_configuration);
    const block = blocks instanceof Unknown ? undefined : blocks[0];
    // The API's own CORS is checked on the API whether or not its routes are in the scan; when none
    // is, the entity stands for them (they get these headers wherever they are defined).
    const standIn = routesOutsideScan(gateway, routes);
    if (blocks instanceof Unknown || block) {
      // A value passed into a module (an object variable expanded by a dynamic block, say) is
      // reported where it is written, the block's attribute being related.
      const elsewhere = (key: string): WrittenElsewhere | undefined => (blocks instanceof Unknown ? undefined : writtenElsewhere(resource, ['cors_configuration', 0, key]));
      const origins = elsewhere('allow_origins');
      const credentials = elsewhere('allow_credentials');
      const at = (key: string): SourceLocation => resource.locate(['cors_configuration', 0, key]);
      ctx.add({
        ...ctx.base('cors', resource, {
          id: `${gateway.id}/cors`,
          parentId: gateway.id,
          location: resource.locate(['cors_configuration', 0]),
          fieldLocations: {
            allowOrigins: origins?.location ?? at('allow_origins'),
            allowCredentials: credentials?.location ?? at('allow_credentials'),
            allowMethods: at('allow_methods'),
            allowHeaders: at('allow_headers'),
          },
          fieldRelated: { allowOrigins: origins?.related, allowCredentials: credentials?.related },
        }),
        source: 'api-config',
        ...(blocks instanceof Unknown
          ? { allowOrigins: blocks, allowMethods: blocks, allowHeaders: blocks, allowCredentials: blocks }
          : {
              allowOrigins: readStringList(block!.allow_origins) ?? [],
              allowMethods: readStringList(block!.allow_methods) ?? [],
              allowHeaders: readStringList(block!.allow_headers) ?? [],
              allowCredentials: readBool(block!.allow_credentials) ?? false,
            }),
        ...(standIn ? { standIn } : {}),
      });
    }
    const openApi = gateway.openApi;
    if (openApi?.api.cors) {
      const cors = openApi.api.cors;
      const location = openApi.document.locate(cors.pointer);
      ctx.add({
        ...ctx.base('cors', resource, {
          id: `${gateway.id}/openapi-cors`,
          parentId: gateway.id,
          location,
          fieldLocations: { allowOrigins: openApi.document.locate([...cors.pointer, 'allowOrigins']), allowCredentials: openApi.document.locate([...cors.pointer, 'allowCredentials']) },
        }),
        source: 'openapi',
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        allowCredentials: cors.allowCredentials,
        ...(standIn ? { standIn } : {}),
      });
    }
    for (const response of openApi?.api.gatewayResponseCors ?? []) {
      const location = openApi!.document.locate(response.pointer);
      ctx.add(headerCorsEntity(ctx, resource, response.cors, { id: `${gateway.id}/gateway-response/${response.responseType}`, parentId: gateway.id, source: 'gateway-response', location }));
    }
    for (const operation of openApi?.api.operations ?? []) {
      if (!operation.responseCors) continue;
      const key = `${operation.method} ${operation.path}`;
      // The finding points at the Access-Control-Allow-Origin value, not the integration around it.
      const location = openApi!.document.locate(operation.responseCorsPointer ?? [...operation.pointer, 'x-amazon-apigateway-integration']);
      const source: CorsSource = operation.method === 'OPTIONS' ? 'preflight-response' : 'integration-response';
      ctx.add(headerCorsEntity(ctx, resource, operation.responseCors, { id: `${gateway.id}/${key}/cors`, parentId: `${gateway.id}/${key}`, source, location, routeKey: key }));
    }
  }

  // A proxy integration's responses are never applied (see isProxyIntegration): the backend answers.
  const proxied = new Set<string>();
  for (const integration of ctx.ofType('aws_api_gateway_integration')) {
    const type = readString(integration.values.type);
    const key = methodKey(ctx, integration.values);
    if (key && typeof type === 'string' && isProxyIntegration(type)) proxied.add(key);
  }
  // Several status codes of one method usually repeat the same headers: report each method once.
  const seenMethods = new Set<string>();
  for (const resource of ctx.ofType('aws_api_gateway_integration_response')) {
    const parameters = responseParameters(resource);
    if (parameters === undefined || parameters instanceof Unknown) continue;
    const cors = corsFromResponseParameters(parameters);
    if (!cors) continue;
    const gatewayId = gateways.get(ctx.target(resource.values.rest_api_id, 'aws_api_gateway_rest_api')?.address ?? '')?.id ?? null;
    reportInvalid(ctx, resource, cors, gatewayId, refused);
    const key = methodKey(ctx, resource.values);
    if (key && proxied.has(key)) continue;
    if (key && seenMethods.has(key)) continue;
    if (key) seenMethods.add(key);
    const routeId = key ? routeIdByMethodKey.get(key) : undefined;
    const route = routeId ? routesById.get(routeId) : undefined;
    ctx.add(
      headerCorsEntity(ctx, resource, cors, {
        id: ctx.idOf(resource.address),
        parentId: route?.route.id ?? gatewayId,
        source: route?.route.method === 'OPTIONS' ? 'preflight-response' : 'integration-response',
        location: resource.locate(['response_parameters', cors.originKey]),
        ...(route ? { routeKey: route.route.key } : {}),
      }),
    );
  }

  for (const resource of ctx.ofType('aws_api_gateway_gateway_response')) {
    const parameters = responseParameters(resource);
    if (parameters === undefined || parameters instanceof Unknown) continue;
    const cors = corsFromResponseParameters(parameters);
    if (!cors) continue;
    const gatewayId = gateways.get(ctx.target(resource.values.rest_api_id, 'aws_api_gateway_rest_api')?.address ?? '')?.id ?? null;
    reportInvalid(ctx, resource, cors, gatewayId, refused);
    ctx.add(headerCorsEntity(ctx, resource, cors, { id: ctx.idOf(resource.address), parentId: gatewayId, source: 'gateway-response', location: resource.locate(['response_parameters', cors.originKey]) }));
  }
  return refused;
}
