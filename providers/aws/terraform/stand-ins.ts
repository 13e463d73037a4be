import type { RateLimit, StandIn } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { weakerRateLimit } from '../semantics.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { ROUTES_ONLY_IN_SOURCE, type GatewayDraft, type LocatedLimit, type RouteDraft, type StageDraft, type StageIndex } from './drafts.js';

/**
 * Stand-in routes: a setting is checked where it is written, even when the routes it applies to are
 * not in the scan. Throttling is written on stages but checked on routes (a route's effective limit
 * combines the stage default, per-route settings and usage plans), so a stage none of whose routes
 * is in the scan gets one route that stands for them all, `* /* (stage prod)`, carrying the limit an
 * unseen route of that stage would have. That happens when
 *
 * - the stage's API is not in the scan (a stack of stages for an API another stack owns; its
 *   `rest_api_id` is a variable, a data source, a parameter or an import): `api-outside-scan`;
 * - the API is in the scan but none of its routes is (a module that defines the API and its stages,
 *   the routes being added by each service's stack): `routes-outside-scan`.
 *
 * Authentication is written on each method or route, never on a stage or an API, so a stand-in's is
 * unknown; route-requires-auth does not apply to it (its `where` says why). A WebSocket API without
 * routes has its implicit `$connect` route instead (see http-routes.ts), and a live account shows
 * every route an API has, so neither gets one.
 */
export function standInRoutes(ctx: TerraformContext, gateways: ReadonlyMap<string, GatewayDraft>, routes: readonly RouteDraft[], stages: StageIndex): RouteDraft[] {
  const withRoutes = new Set<string>();
  for (const draft of routes) {
    const group = draft.route.parentId ?? draft.outsideApi;
    if (group !== undefined) withRoutes.add(group);
  }
  const byId = new Map([...gateways.values()].map((gateway) => [gateway.id, gateway]));
  const out: RouteDraft[] = [];
  for (const [group, groupStages] of stages.byGateway) {
    if (withRoutes.has(group)) continue;
    const gateway = byId.get(group);
    if (gateway && !routesMayBeOutside(gateway)) continue;
    for (const stage of groupStages) out.push(standInRoute(ctx, stage, gateway, stages.unresolved.get(group)));
  }
  return out;
}

/** Whether an API in the scan without routes in it may have routes elsewhere (see {@link standInRoutes}). */
function routesMayBeOutside(gateway: GatewayDraft): boolean {
  if (gateway.resource.format === 'live') return false;
  // A SAM API without a definition has the routes of its template's events, and no others.
  if (gateway.resource.values[ROUTES_ONLY_IN_SOURCE] === true) return false;
  // An OpenAPI body that could not be read is already an error that makes the scan incomplete: its
  // routes are unread, not elsewhere.
  const body = gateway.resource.values.body;
  return gateway.openApi !== undefined || body === undefined || body === null;
}

/**
 * Whether a REST API is known to have no route at all, so that its stages serve nothing: none is in
 * the input, and none can be elsewhere. A live API qualifies only when its resources were read (the
 * root resource is always there): a listing that failed leaves it undecided. An OpenAPI body that
 * could not be read holds routes unread, not none.
 */
export function routesKnownAbsent(gateway: GatewayDraft, routes: readonly RouteDraft[]): boolean {
  if (gateway.protocol !== 'rest' || routesMayBeOutside(gateway)) return false;
  if (routes.some((draft) => draft.route.parentId === gateway.id)) return false;
  const values = gateway.resource.values;
  if (gateway.resource.format === 'live') return typeof values.root_resource_id === 'string' && values.root_resource_id !== '';
  return values.body === undefined || values.body === null || gateway.openApi !== undefined;
}

/** Marks what stands for an API's routes when none of them is in the scan (its own CORS, say). */
export function routesOutsideScan(gateway: GatewayDraft, routes: readonly RouteDraft[]): StandIn | undefined {
  if (!routesMayBeOutside(gateway)) return undefined;
  return routes.some((draft) => draft.route.parentId === gateway.id && draft.route.standIn === undefined) ? undefined : 'routes-outside-scan';
}

function standInRoute(ctx: TerraformContext, stage: StageDraft, gateway: GatewayDraft | undefined, unresolved: Unknown | undefined): RouteDraft {
  const standIn: StandIn = stage.apiOutsideScan ? 'api-outside-scan' : 'routes-outside-scan';
  const unseen =
    standIn === 'api-outside-scan'
      ? 'the API of this stage is not in the scanned configuration'
      : `no ${stage.version === 'v1' ? 'method' : 'route'} of this API is in the scanned configuration`;
  const authUnknown = new Unknown(`authentication is set on each ${stage.version === 'v1' ? 'method' : 'route'}, and ${unseen}`);
  const chosen = standInLimit(stage, unresolved);
  const name = typeof stage.name === 'string' ? stage.name : '?';
  return {
    route: {
      ...ctx.base('route', stage.resource, { id: `${stage.id}/routes`, parentId: gateway?.id ?? null, location: stage.location }),
      method: 'ANY',
      path: '/*',
      key: `* /* (stage ${name})`,
      auth: { kind: authUnknown, apiKeyRequired: authUnknown, source: stage.version === 'v1' ? 'method' : 'route' },
      integration: new Unknown(`integrations are set on each ${stage.version === 'v1' ? 'method' : 'route'}, and ${unseen}`),
      isCorsPreflight: false,
      standIn,
    },
    fieldLocations: { auth: stage.location, rateLimit: chosen.location },
    ...(gateway ? { gateway } : {}),
    throttle: { kind: 'route-key', routeKey: '*' },
    ...(chosen.limit === undefined
      ? typeof stage.name === 'string'
        ? { unthrottledStage: stage.name, ...(stage.implicit !== undefined ? { unthrottledStageImplicit: stage.implicit } : {}) }
        : {}
      : { rateLimit: chosen.limit instanceof Unknown || typeof stage.name !== 'string' ? chosen.limit : { ...chosen.limit, stage: stage.name } }),
  };
}

/**
 * The limit of the weakest unseen route of a stage: the stage default, or a per-route setting that is
 * weaker. Usage plans limit only the methods that require an API key, and whether the unseen methods
 * do is not known: when a plan would be all that limits them, the limit is unknown, with the reason.
 */
function standInLimit(stage: StageDraft, unresolved: Unknown | undefined): { limit: Maybe<RateLimit> | undefined; location: SourceLocation } {
  let chosen: { limit: Maybe<RateLimit> | undefined; location: SourceLocation } = stage.defaultLimit ?? { limit: undefined, location: stage.location };
  for (const override of stage.overrides) {
    if (weakerRateLimit(chosen.limit, override.limit) !== chosen.limit) chosen = override;
  }
  if (chosen.limit === undefined && unresolved) return { limit: unresolved, location: chosen.location };
  const plan = stage.usagePlanLimits.find((candidate: LocatedLimit) => !(candidate.limit instanceof Unknown));
  if (plan && isUnlimited(chosen.limit)) {
    return {
      limit: new Unknown(
        `usage plan throttling (${plan.location.file}:${plan.location.startLine}) applies only to methods that require an API key, and whether the methods of stage ${String(typeof stage.name === 'string' ? stage.name : '?')} require one is not in the scanned configuration; set stage-wide throttling, which applies to every method`,
      ),
      location: chosen.location,
    };
  }
  return chosen;
}

function isUnlimited(limit: Maybe<RateLimit> | undefined): boolean {
  if (limit === undefined) return true;
  if (limit instanceof Unknown) return false;
  return (typeof limit.rateLimit === 'number' && limit.rateLimit < 0) || (typeof limit.burstLimit === 'number' && limit.burstLimit < 0);
}
