import type { Authorizer } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import { readBlocks, readNumber, readString, readStringList } from '../../shared/values.js';
import { authorizerKind } from '../semantics.js';
import { cacheKeyedOnCredential } from '../../shared/identity-source.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import type { GatewayDraft } from './drafts.js';
import type { AuthorizerInfo } from './rest-routes.js';

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/**
 * How a JWT authorizer's issuer or audience is written when another resource computes it at apply
 * time (a Cognito user pool's id in the issuer, an app client's id as audience): it will exist, so
 * the authorizer sets it, but its value is not known. jwt-issuer-audience asks only whether they
 * are set; an unknown from a variable without a value stays unknown.
 */
export const KNOWN_AFTER_APPLY = '(known after apply)';

function afterApply(value: Maybe<string> | undefined): Maybe<string> | undefined {
  return value instanceof Unknown && /is known only after apply/.test(value.reason) && !/has no value/.test(value.reason) ? KNOWN_AFTER_APPLY : value;
}

/** The audiences, with those computed at apply time written {@link KNOWN_AFTER_APPLY}. */
function readAudiences(value: Value | undefined): Maybe<string[]> {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      const text = afterApply(readString(item));
      if (text === undefined) continue;
      if (text instanceof Unknown) return text;
      out.push(text);
    }
    return out;
  }
  return readStringList(value) ?? [];
}

function splitList(text: Maybe<string> | undefined): Maybe<string[]> | undefined {
  if (text === undefined || text instanceof Unknown) return text;
  return text.split(',').map((part) => part.trim()).filter(Boolean);
}

/** REST authorizers by address, with the type route auth needs (TOKEN is the provider default). */
export function restAuthorizerInfo(ctx: TerraformContext): Map<string, AuthorizerInfo> {
  const info = new Map<string, AuthorizerInfo>();
  for (const resource of ctx.ofType('aws_api_gateway_authorizer')) {
    info.set(resource.address, { id: ctx.idOf(resource.address), type: readString(resource.values.type) ?? 'TOKEN' });
  }
  return info;
}

/** HTTP/WebSocket authorizer entity ids by address. */
export function httpAuthorizerIds(ctx: TerraformContext): Map<string, string> {
  return new Map(ctx.ofType('aws_apigatewayv2_authorizer').map((resource) => [resource.address, ctx.idOf(resource.address)]));
}

/**
 * Emits authorizer entities, marking which ones a route actually enforces: an authorizer that exists
 * but is attached to nothing protects nothing (a gap several scanners miss).
 */
export function emitAuthorizers(ctx: TerraformContext, gateways: ReadonlyMap<string, GatewayDraft>, usedIds: ReadonlySet<string>): void {
  const gatewayId = (resource: ResourceView, attribute: string, type: string): string | null =>
    gateways.get(ctx.target(resource.values[attribute], type)?.address ?? '')?.id ?? null;

  for (const resource of ctx.ofType('aws_api_gateway_authorizer')) {
    const values = resource.values;
    const type = readString(values.type) ?? 'TOKEN';
    // REST identity sources are one comma-separated string.
    const identitySources = splitList(readString(values.identity_source)) ?? ['method.request.header.Authorization'];
    const authorizer: Authorizer = {
      ...ctx.base('authorizer', resource, {
        parentId: gatewayId(resource, 'rest_api_id', 'aws_api_gateway_rest_api'),
        fieldLocations: { resultTtlSeconds: resource.locate(['authorizer_result_ttl_in_seconds']), identitySources: resource.locate(['identity_source']) },
      }),
      name: readString(values.name) ?? new Unknown('no name'),
      type: type instanceof Unknown ? type : authorizerKind(type),
      attached: usedIds.has(ctx.idOf(resource.address)),
      identitySources,
      // API Gateway caches a REST authorizer's answer for 300 seconds unless told otherwise.
      resultTtlSeconds: readNumber(values.authorizer_result_ttl_in_seconds) ?? 300,
      cacheKeyedOnCredential: cacheKeyedOnCredential(type, identitySources),
    };
    ctx.add(authorizer);
  }

  for (const resource of ctx.ofType('aws_apigatewayv2_authorizer')) {
    const values = resource.values;
    const type = readString(values.authorizer_type) ?? new Unknown('authorizer_type is not set');
    const jwt = readBlocks(values.jwt_configuration);
    const jwtBlock = jwt instanceof Unknown ? undefined : jwt[0];
    const identitySources = readStringList(values.identity_sources) ?? [];
    const parentId = gatewayId(resource, 'api_id', 'aws_apigatewayv2_api');
    // Only HTTP API Lambda authorizers cache their answer; a WebSocket authorizer runs once, on
    // $connect. A WebSocket API's identity sources read `route.request...`.
    const parentProtocol = [...gateways.values()].find((gateway) => gateway.id === parentId)?.protocol;
    const websocket = parentProtocol === 'websocket' || (!(identitySources instanceof Unknown) && identitySources.some((source) => source.startsWith('route.request.')));
    const caches = typeof type === 'string' && type.toUpperCase() === 'REQUEST' && !websocket;
    const authorizer: Authorizer = {
      ...ctx.base('authorizer', resource, {
        parentId,
        fieldLocations: {
          ...(jwtBlock ? { jwtIssuer: resource.locate(['jwt_configuration', 0, 'issuer']), jwtAudiences: resource.locate(['jwt_configuration', 0, 'audience']) } : {}),
          ...(caches ? { resultTtlSeconds: resource.locate(['authorizer_result_ttl_in_seconds']), identitySources: resource.locate(['identity_sources']) } : {}),
        },
      }),
      name: readString(values.name) ?? new Unknown('no name'),
      type: type instanceof Unknown ? type : authorizerKind(type),
      attached: usedIds.has(ctx.idOf(resource.address)),
      identitySources,
      // Without identity sources an HTTP API authorizer cannot cache (API Gateway requires one when
      // the TTL is above 0), so an unset TTL is off there; with them, the default is 300 seconds.
      ...(caches ? { resultTtlSeconds: readNumber(values.authorizer_result_ttl_in_seconds) ?? (Array.isArray(identitySources) && identitySources.length === 0 ? 0 : 300), cacheKeyedOnCredential: cacheKeyedOnCredential(type, identitySources) } : {}),
      // A missing issuer is missing, not unknown: jwt-issuer-audience reports it.
      ...(jwtBlock ? { ...optional('jwtIssuer', afterApply(readString(jwtBlock.issuer))), jwtAudiences: readAudiences(jwtBlock.audience) } : {}),
    };
    ctx.add(authorizer);
  }

  for (const gateway of gateways.values()) {
    if (!gateway.openApi) continue;
    for (const definition of gateway.openApi.api.authorizers) {
      const id = `${gateway.id}/authorizer/${definition.name}`;
      const authorizer: Authorizer = {
        ...ctx.base('authorizer', gateway.resource, { id, parentId: gateway.id, location: gateway.openApi.document.locate(definition.pointer) }),
        name: definition.name,
        type: definition.type,
        attached: usedIds.has(id),
        identitySources: definition.identitySources,
        ...(definition.resultTtlSeconds !== undefined ? { resultTtlSeconds: definition.resultTtlSeconds, cacheKeyedOnCredential: definition.cacheKeyedOnCredential } : {}),
        ...(definition.jwtIssuer !== undefined ? { jwtIssuer: definition.jwtIssuer } : {}),
        ...(definition.jwtAudiences !== undefined ? { jwtAudiences: definition.jwtAudiences } : {}),
      };
      ctx.add(authorizer);
    }
  }
}
