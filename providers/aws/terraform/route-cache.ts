import type { RouteCache } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readString } from '../../shared/values.js';
import type { CacheSetting, RouteDraft, StageDraft, StageIndex } from './drafts.js';
import { methodPathMatcher, specificity, stageCacheCluster } from './stages.js';

/** The request parameter that carries IAM signatures, Cognito and JWT tokens, and TOKEN authorizers' default. */
export const AUTHORIZATION_HEADER = 'method.request.header.Authorization';

/**
 * The request parameters a REST authorizer identifies the caller by: its `identity_source`
 * (comma-separated), `method.request.header.Authorization` when it sets none (the TOKEN and Cognito
 * default). Other sources (`context.`, `stageVariables.`) are not request parameters and cannot be
 * in a cache key.
 */
export function identitySourcesOf(authorizer: ResourceView): Maybe<string[]> {
  const source = readString(authorizer.values.identity_source);
  if (source instanceof Unknown) return source;
  const parts = (source ?? '').split(',').map((part) => part.trim()).filter((part) => part.startsWith('method.request.'));
  return parts.length > 0 ? parts : [AUTHORIZATION_HEADER];
}

/**
 * Whether a stage caches a route: its cache cluster is on, and the most specific method setting that
 * says so turns caching on for the route, else the stage-wide setting caches GET methods (API Gateway
 * caches only GET methods unless a method's own setting says otherwise, and not even those when the
 * stage-wide setting turns caching off).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 */
function stageCaches(stage: StageDraft, draft: RouteDraft): Maybe<boolean> {
  const cluster = stageCacheCluster(stage);
  if (cluster === false) return false;
  const selector = draft.throttle;
  if (selector.kind !== 'method-path') return false;
  if (selector.method instanceof Unknown) return cluster instanceof Unknown ? cluster : selector.method;
  const own = stage.cacheSettings
    .filter((setting): setting is CacheSetting & { caching: Maybe<boolean> } => setting.methodPath !== '*/*' && setting.caching !== undefined && methodPathMatcher(setting.methodPath)(selector))
    .sort((a, b) => specificity(b.methodPath) - specificity(a.methodPath))[0];
  const stageWide = stage.cacheSettings.find((setting) => setting.methodPath === '*/*')?.caching;
  const isGet = selector.method === 'GET' || selector.method === 'ANY';
  const caches: Maybe<boolean> = own ? own.caching : stageWide === false ? false : stageWide instanceof Unknown && isGet ? stageWide : isGet;
  if (caches === false) return false;
  if (cluster instanceof Unknown) return cluster;
  return caches;
}

/** Whether a key holds one of the caller's identity parameters (header names compare without case). */
function keyIncludesCaller(parameters: Maybe<string[]>, callers: Maybe<string[]>): Maybe<boolean> {
  if (parameters instanceof Unknown) return parameters;
  if (callers instanceof Unknown) return callers;
  const normal = (name: string): string => (name.startsWith('method.request.header.') ? name.toLowerCase() : name);
  const key = new Set(parameters.map(normal));
  return callers.some((caller) => key.has(normal(caller)));
}

/**
 * Sets each REST route's cache: the first stage of its API that caches it, with its cache key. A
 * route whose caching depends on a value gatewarden cannot resolve is unknown; one that no stage
 * caches has none.
 */
export function applyRouteCaching(routes: RouteDraft[], stages: StageIndex): void {
  for (const draft of routes) {
    if (!draft.cacheKey) continue;
    const gatewayId = draft.route.parentId ?? draft.outsideApi;
    let unknown: Unknown | undefined;
    for (const stage of gatewayId === undefined ? [] : (stages.byGateway.get(gatewayId) ?? [])) {
      const caches = stageCaches(stage, draft);
      if (caches instanceof Unknown) unknown ??= caches;
      if (caches !== true) continue;
      const cache: RouteCache = { stage: stage.name, keyParameters: draft.cacheKey.parameters, keyIncludesCaller: keyIncludesCaller(draft.cacheKey.parameters, draft.cacheKey.callerSources) };
      draft.cache = cache;
      break;
    }
    if (draft.cache === undefined && unknown) draft.cache = unknown;
    if (draft.cache !== undefined) draft.fieldLocations.cache = draft.cacheKey.location;
  }
}
