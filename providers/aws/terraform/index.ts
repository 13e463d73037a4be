import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity, Route } from '../../../src/model/entities.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { emitAuthorizers, httpAuthorizerIds, restAuthorizerInfo } from './authorizers.js';
import { TerraformContext } from '../../shared/terraform-context.js';
import { emitCors } from './cors.js';
import { collectGateways } from './gateways.js';
import { collectHttpRoutes } from './http-routes.js';
import { emitApiKeys, emitDomains } from './keys-domains.js';
import { collectRestRoutes } from './rest-routes.js';
import { applyRateLimits, collectStages } from './stages.js';
import { standInRoutes } from './stand-ins.js';
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

/**
 * Turns Terraform resources for AWS API Gateway (REST v1, HTTP and WebSocket v2) into the common
 * model, computing effective authentication, rate limits and CORS per route. Pure: no I/O.
 */
export function adaptAwsTerraform(resources: readonly ResourceView[], idPrefix = ''): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const ctx = new TerraformContext(resources, idPrefix);
  const gateways = collectGateways(ctx);
  const restAuthorizers = restAuthorizerInfo(ctx);
  const httpAuthorizers = httpAuthorizerIds(ctx);
  const rest = collectRestRoutes(ctx, gateways, restAuthorizers);
  const routes = [...rest.routes, ...collectHttpRoutes(ctx, gateways, httpAuthorizers)];
  const stages = collectStages(ctx, gateways);
  applyRateLimits(routes, stages);
  pushAll(routes, standInRoutes(ctx, gateways, routes, stages));

  for (const draft of routes) {
    const route: Route = {
      ...draft.route,
      fieldLocations: draft.fieldLocations,
      ...(draft.fieldRelated !== undefined ? { fieldRelated: draft.fieldRelated } : {}),
      ...(draft.rateLimit !== undefined ? { rateLimit: draft.rateLimit } : {}),
      ...(draft.unthrottledStage !== undefined ? { unthrottledStage: draft.unthrottledStage } : {}),
      ...(draft.unthrottledStageImplicit !== undefined ? { unthrottledStageImplicit: draft.unthrottledStageImplicit } : {}),
      ...(draft.fieldOwners !== undefined ? { fieldOwners: draft.fieldOwners } : {}),
    };
    ctx.add(route);
  }
  const used = new Set(routes.map((draft) => draft.route.auth.authorizerId).filter((id): id is string => id !== undefined));
  emitAuthorizers(ctx, gateways, used);
  emitCors(ctx, gateways, routes, rest.routeIdByMethodKey);
  emitApiKeys(ctx);
  emitDomains(ctx);
  return { entities: ctx.entities, diagnostics: ctx.diagnostics };
}
