import { withRequiredArguments } from './required.js';
import { refusedGateways, withoutRefused } from './refused.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity, RelatedLocation, Route } from '../../../src/model/entities.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { emitAuthorizers, httpAuthorizerIds, restAuthorizerInfo } from './authorizers.js';
import { TerraformContext } from '../../shared/terraform-context.js';
import { emitCors } from './cors.js';
import { collectGateways } from './gateways.js';
import { collectHttpRoutes } from './http-routes.js';
import { emitApiKeys, emitDomains } from './keys-domains.js';
import { emitSecrets } from './secrets.js';
import { collectRestRoutes } from './rest-routes.js';
import { applyRateLimits, collectStages } from './stages.js';
import { applyRouteCaching } from './route-cache.js';
import { routeResourcePolicy, type RouteResourcePolicy } from './resource-policies.js';
import type { RouteDraft } from './drafts.js';
import { routesKnownAbsent, standInRoutes } from './stand-ins.js';
import { backendCertificateOf } from './backend-certificates.js';
import { pushAll } from '../../../src/arrays.js';

export { AWS_COMPUTED_ATTRIBUTES } from './computed.js';

/** The Terraform resource types this adapter reads; everything else is ignored before evaluation. */
export function isAwsGatewayResourceType(type: string): boolean {
  return (
    type.startsWith('aws_api_gateway_') ||
    type.startsWith('aws_apigatewayv2_') ||
    type === 'aws_wafv2_web_acl_association' ||
    type === 'aws_wafregional_web_acl_association'
  );
}

/** The route's related locations, plus the resource policy statement that lets callers reach it. */
function fieldRelatedWithPolicy(draft: RouteDraft, policy: RouteResourcePolicy | undefined): { fieldRelated: Readonly<Record<string, readonly RelatedLocation[]>> } | undefined {
  const access = policy?.access;
  if (!policy || (access !== 'public' && access !== 'restricted-network')) return draft.fieldRelated !== undefined ? { fieldRelated: draft.fieldRelated } : undefined;
  const note: RelatedLocation = {
    location: policy.location,
    message: access === 'public' ? 'the resource policy lets everyone invoke the route here' : 'the resource policy limits who can reach the route to a network here',
  };
  return { fieldRelated: { ...draft.fieldRelated, auth: [...(draft.fieldRelated?.auth ?? []), note] } };
}

/**
 * Turns Terraform resources for AWS API Gateway (REST v1, HTTP and WebSocket v2) into the common
 * model, computing effective authentication, rate limits and CORS per route. Pure: no I/O.
 */
export function adaptAwsTerraform(allResources: readonly ResourceView[], idPrefix = ''): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const { kept: resources, diagnostics: rejected } = withRequiredArguments(allResources);
  const ctx = new TerraformContext(resources, idPrefix);
  const gateways = collectGateways(ctx);
  const restAuthorizers = restAuthorizerInfo(ctx);
  const httpAuthorizers = httpAuthorizerIds(ctx);
  const rest = collectRestRoutes(ctx, gateways, restAuthorizers);
  const routes = [...rest.routes, ...collectHttpRoutes(ctx, gateways, httpAuthorizers)];
  // Stages of a REST API known to have no method serve nothing (see routesKnownAbsent).
  const routeless = new Set([...gateways.values()].filter((gateway) => routesKnownAbsent(gateway, routes)).map((gateway) => gateway.id));
  const stages = collectStages(ctx, gateways, routeless);
  applyRateLimits(routes, stages);
  applyRouteCaching(routes, stages);
  pushAll(routes, standInRoutes(ctx, gateways, routes, stages));

  for (const draft of routes) {
    const policy = routeResourcePolicy(draft, stages);
    const certificate = backendCertificateOf(draft, stages);
    const aws = { ...(policy ? { resourcePolicy: policy.access } : {}), ...certificate?.details };
    const fieldLocations = { ...draft.fieldLocations, ...(policy ? { 'aws.resourcePolicy': policy.location } : {}), ...(certificate ? { 'aws.backendClientCertificate': certificate.location } : {}) };
    // The certificate is the stage's setting: the routes of one stage without it are one finding on it.
    const fieldOwners = certificate ? { ...draft.fieldOwners, 'aws.backendClientCertificate': certificate.stage.id } : draft.fieldOwners;
    const route: Route = {
      ...draft.route,
      ...(Object.keys(aws).length > 0 ? { aws } : {}),
      fieldLocations,
      ...(fieldRelatedWithPolicy(draft, policy) ?? {}),
      ...(draft.rateLimit !== undefined ? { rateLimit: draft.rateLimit } : {}),
      ...(draft.cache !== undefined ? { cache: draft.cache } : {}),
      ...(draft.unthrottledStage !== undefined ? { unthrottledStage: draft.unthrottledStage } : {}),
      ...(draft.unthrottledStageImplicit !== undefined ? { unthrottledStageImplicit: draft.unthrottledStageImplicit } : {}),
      // The API's resource policy decides for all its routes: findings about it group on the API.
      ...(fieldOwners !== undefined || (policy && draft.gateway) ? { fieldOwners: { ...fieldOwners, ...(policy && draft.gateway ? { 'aws.resourcePolicy': draft.gateway.id } : {}) } } : {}),
    };
    ctx.add(route);
  }
  const used = new Set(routes.map((draft) => draft.route.auth.authorizerId).filter((id): id is string => id !== undefined));
  emitAuthorizers(ctx, gateways, used);
  const refusedMappings = emitCors(ctx, gateways, routes, rest.routeIdByMethodKey);
  emitApiKeys(ctx);
  emitSecrets(ctx);
  emitDomains(ctx);
  const deployable = withoutRefused(ctx.entities, refusedGateways(gateways, refusedMappings));
  return { entities: deployable.entities, diagnostics: [...rejected, ...ctx.diagnostics, ...deployable.diagnostics] };
}
