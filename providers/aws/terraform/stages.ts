import type { RateLimit, RateLimitField, RateLimitSource, Stage, UsagePlan } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { readBlocks, readBool, refersToResource, readNumber, readString } from '../../shared/values.js';
import { stricterRateLimit, weakerRateLimit } from '../semantics.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { EXECUTION_LOG_LEVELS, type AccessLogField, type ExecutionLogLevel, type GatewayProtocol, type ImplicitStage } from '../../../src/model/entities.js';
import { accessLogRecords } from '../access-log-format.js';
import { IMPLICIT_STAGE, type CacheSetting, type GatewayDraft, type LocatedLimit, type LocatedLogLevel, type RouteDraft, type StageDraft, type StageIndex, type ThrottleSelector } from './drafts.js';
import { outsideApiKey } from './outside-api.js';

/**
 * Reads a pair of throttling settings. In `aws_api_gateway_method_settings` an unset value is -1
 * ("throttling disabled", the provider default); elsewhere an unset value means "not set here".
 */
function readLimit(
  block: ValueObject,
  rateKey: string,
  burstKey: string,
  source: RateLimitSource,
  unsetIsUnlimited: boolean,
): Maybe<RateLimit> | undefined {
  const rate = readNumber(block[rateKey]);
  const burst = readNumber(block[burstKey]);
  if (!unsetIsUnlimited && rate === undefined && burst === undefined) return undefined;
  // Which values were left out is kept, so that a message says the setting sets none rather than
  // quoting a -1 the user never wrote (CloudFormation has no such value in its documentation at all).
  const unsetFields: RateLimitField[] = [...(rate === undefined ? (['rateLimit'] as const) : []), ...(burst === undefined ? (['burstLimit'] as const) : [])];
  return { rateLimit: rate ?? -1, burstLimit: burst ?? -1, source, ...(unsetFields.length > 0 ? { unsetFields } : {}) };
}

/**
 * The limit field a finding about a throttling block points at: a written negative value (throttling
 * off), the rate before the burst; else the written one. A block that writes `rate = 10, burst = -1`
 * is at fault at its burst line.
 */
function limitField(block: ValueObject, rateKey: string, burstKey: string): string {
  const negative = [rateKey, burstKey].find((key) => {
    const value = readNumber(block[key]);
    return typeof value === 'number' && value < 0;
  });
  return negative ?? (block[rateKey] === undefined && block[burstKey] !== undefined ? burstKey : rateKey);
}

function stageKey(gatewayId: string, name: Maybe<string> | undefined): string | undefined {
  return typeof name === 'string' ? `${gatewayId}|${name}` : undefined;
}

/** `users/{id}/GET`, `*\/*`, `/users/GET` or `~1users/GET`: resource path and method of a method path. */
function splitMethodPath(methodPath: string): { resourcePath: string; method: string } {
  const normalized = methodPath.replace(/~1/g, '/').replace(/^\/+/, '');
  const slash = normalized.lastIndexOf('/');
  if (slash < 0) return { resourcePath: '', method: normalized.toUpperCase() };
  return { resourcePath: normalized.slice(0, slash), method: normalized.slice(slash + 1).toUpperCase() };
}

/** Whether a method setting's `method_path` (`orders/GET`, `*\/*`) selects a route. */
export function methodPathMatcher(methodPath: string): (selector: ThrottleSelector) => boolean {
  const { resourcePath, method } = splitMethodPath(methodPath);
  return (selector) => {
    if (selector.kind !== 'method-path') return false;
    if (selector.resourcePath instanceof Unknown || selector.method instanceof Unknown) return false;
    return (resourcePath === '*' || resourcePath === selector.resourcePath) && (method === '*' || method === selector.method);
  };
}

/** How specific an override is: an exact method path beats a wildcard. */
export function specificity(methodPath: string): number {
  const { resourcePath, method } = splitMethodPath(methodPath);
  return (resourcePath === '*' ? 0 : 2) + (method === '*' ? 0 : 1);
}

/** Collects stages, their throttling layers and usage plans, and emits stage and usage-plan entities. */
export function collectStages(ctx: TerraformContext, gateways: ReadonlyMap<string, GatewayDraft>, routeless: ReadonlySet<string> = new Set()): StageIndex {
  const byGateway = new Map<string, StageDraft[]>();
  const byKey = new Map<string, StageDraft>();
  const add = (draft: StageDraft): void => {
    byGateway.set(draft.gatewayId, [...(byGateway.get(draft.gatewayId) ?? []), draft]);
    const key = stageKey(draft.gatewayId, draft.name);
    if (key && !byKey.has(key)) byKey.set(key, draft);
  };
  // A stage, deployment or setting whose API is not in the scan is still read, grouped with the others
  // that name the same API: what it sets itself is checked on it (see stand-ins.ts).
  const apiOf = (value: ValueObject[string] | undefined, type: string, owner: ResourceView): { id: string; outside: boolean } => {
    const gateway = gateways.get(ctx.target(value, type)?.address ?? '');
    return gateway ? { id: gateway.id, outside: false } : { id: outsideApiKey(ctx, value, owner, type === 'aws_apigatewayv2_api' ? 'v2' : 'v1'), outside: true };
  };
  const stageResources = new Map<string, StageDraft>();

  for (const resource of ctx.ofType('aws_api_gateway_stage')) {
    const api = apiOf(resource.values.rest_api_id, 'aws_api_gateway_rest_api', resource);
    const draft = newStage(ctx.idOf(resource.address), api, 'v1', readString(resource.values.stage_name) ?? new Unknown('stage_name is not set'), resource, true);
    // Only a CloudFormation Deployment's StageDescription writes DataTraceEnabled on the stage itself.
    noteDataTrace(draft, readBool(resource.values.data_trace_enabled), () => resource.locate(['data_trace_enabled']));
    // Likewise LoggingLevel: a StageDescription's is the stage-wide level.
    noteLogLevel(draft, 'default', resource.values.logging_level, () => resource.locate(['logging_level']));
    stageResources.set(resource.address, draft);
    add(draft);
  }
  // A deployment with stage_name creates that stage implicitly (deprecated, still common).
  for (const resource of ctx.ofType('aws_api_gateway_deployment')) {
    const name = readString(resource.values.stage_name);
    if (name === undefined || name === '') continue;
    // A CloudFormation StageDescription is read as a stage of its own (`<Deployment>/Stage`).
    if (stageResources.has(`${resource.address}/Stage`)) continue;
    const api = apiOf(resource.values.rest_api_id, 'aws_api_gateway_rest_api', resource);
    const key = stageKey(api.id, name);
    if (key && byKey.has(key)) continue;
    const implicit = resource.values[IMPLICIT_STAGE] === 'sam-stage' ? { implicit: 'sam-stage' as const } : {};
    add({ ...newStage(ctx.idOf(`${resource.address}/stage`), api, 'v1', name, resource, false), ...implicit });
  }
  for (const resource of ctx.ofType('aws_apigatewayv2_stage')) {
    const api = apiOf(resource.values.api_id, 'aws_apigatewayv2_api', resource);
    const draft = newStage(ctx.idOf(resource.address), api, 'v2', readString(resource.values.name) ?? new Unknown('name is not set'), resource, true);
    const defaults = readBlocks(resource.values.default_route_settings);
    if (defaults instanceof Unknown) {
      draft.defaultLimit = { limit: defaults, location: resource.locate(['default_route_settings']) };
    } else if (defaults[0]) {
      noteDataTrace(draft, readBool(defaults[0].data_trace_enabled), () => resource.locate(['default_route_settings', 0, 'data_trace_enabled']));
      noteLogLevel(draft, 'default', defaults[0].logging_level, () => resource.locate(['default_route_settings', 0, 'logging_level']));
      const limit = readLimit(defaults[0], 'throttling_rate_limit', 'throttling_burst_limit', 'stage', false);
      if (limit) draft.defaultLimit = { limit, location: resource.locate(['default_route_settings', 0, limitField(defaults[0], 'throttling_rate_limit', 'throttling_burst_limit')]) };
    }
    const routeSettings = readBlocks(resource.values.route_settings);
    if (!(routeSettings instanceof Unknown)) {
      routeSettings.forEach((settings, index) => {
        const routeKey = readString(settings.route_key);
        if (typeof routeKey === 'string' && HTTP_ROUTE_KEY.test(routeKey)) draft.namesHttpRoutes = true;
        noteDataTrace(draft, readBool(settings.data_trace_enabled), () => resource.locate(['route_settings', index, 'data_trace_enabled']));
        noteLogLevel(draft, 'override', settings.logging_level, () => resource.locate(['route_settings', index, 'logging_level']));
        const limit = readLimit(settings, 'throttling_rate_limit', 'throttling_burst_limit', 'route-settings', false);
        if (typeof routeKey !== 'string' || !limit) return;
        draft.overrides.push({
          limit,
          location: resource.locate(['route_settings', index]),
          matches: (selector) => selector.kind === 'route-key' && selector.routeKey === routeKey,
          rank: 3,
        });
      });
    }
    stageResources.set(resource.address, draft);
    add(draft);
  }
  // Quick-create HTTP APIs get an auto-deployed $default stage without throttling.
  for (const gateway of gateways.values()) {
    const target = gateway.resource.values.target;
    if (gateway.protocol === 'http' && target !== undefined && target !== null && !byKey.has(`${gateway.id}|$default`)) {
      add(newStage(`${gateway.id}/$default-stage`, { id: gateway.id, outside: false }, 'v2', '$default', gateway.resource, false, gateway.resource.locate(['target'])));
    }
  }

  const unresolvedSettings = new Map<string, Unknown>();
  for (const resource of ctx.ofType('aws_api_gateway_method_settings')) {
    const gateway = apiOf(resource.values.rest_api_id, 'aws_api_gateway_rest_api', resource);
    const name = readString(resource.values.stage_name);
    // Settings can only target an existing stage: one named here but defined elsewhere still exists.
    if (typeof name === 'string' && !byKey.has(stageKey(gateway.id, name)!)) add(newStage(ctx.idOf(`${resource.address}/stage`), gateway, 'v1', name, resource, false));
    const stage = byKey.get(stageKey(gateway.id, name) ?? '');
    const methodPath = readString(resource.values.method_path);
    const settings = readBlocks(resource.values.settings);
    if (!stage || typeof methodPath !== 'string' || settings instanceof Unknown) {
      // Settings that cannot be placed make every limit of this API uncertain rather than absent.
      unresolvedSettings.set(gateway.id, new Unknown(`${resource.address} could not be matched to a stage and method (its stage_name or method_path is unknown)`));
      continue;
    }
    const block = settings[0] ?? {};
    stage.cacheSettings.push({
      methodPath,
      caching: readBool(block.caching_enabled),
      encrypted: readBool(block.cache_data_encrypted),
      location: resource.locate(settings[0] ? ['settings', 0, ...(block.cache_data_encrypted === undefined ? (block.caching_enabled === undefined ? [] : ['caching_enabled']) : ['cache_data_encrypted'])] : []),
    });
    noteDataTrace(stage, readBool(block.data_trace_enabled), () => resource.locate(['settings', 0, 'data_trace_enabled']));
    noteLogLevel(stage, methodPath === '*/*' ? 'default' : 'override', block.logging_level, () => resource.locate(['settings', 0, 'logging_level']));
    const limit = readLimit(block, 'throttling_rate_limit', 'throttling_burst_limit', 'method-settings', true)!;
    const location = resource.locate(settings[0] ? ['settings', 0, limitField(block, 'throttling_rate_limit', 'throttling_burst_limit')] : []);
    if (methodPath === '*/*') {
      stage.defaultLimit = { limit: limit instanceof Unknown ? limit : { ...limit, source: 'stage' }, location };
    } else {
      stage.overrides.push({ limit, location, matches: methodPathMatcher(methodPath), rank: specificity(methodPath) });
    }
  }

  for (const resource of ctx.ofType('aws_api_gateway_usage_plan')) {
    emitUsagePlan(ctx, resource, (value) => apiOf(value, 'aws_api_gateway_rest_api', resource).id, byKey);
  }
  noteWebAcls(ctx, stageResources, byGateway);

  // Gateways are keyed by address; stages name theirs by entity id.
  const protocols = new Map([...gateways.values()].map((gateway) => [gateway.id, gateway.protocol]));
  for (const drafts of byGateway.values()) for (const draft of drafts) emitStage(ctx, draft, protocols.get(draft.gatewayId), !draft.apiOutsideScan && routeless.has(draft.gatewayId));
  return { byGateway, unresolved: unresolvedSettings };
}

/**
 * Marks the stages a WAF web ACL association names. An association whose resource_arn cannot be
 * resolved (a variable without a value, an ARN built from unknown parts) may name any REST stage:
 * those without a web ACL of their own become unknown. One that references another resource (a load
 * balancer, an AppSync API) or a stage outside the scan changes nothing here.
 */
function noteWebAcls(ctx: TerraformContext, stageResources: ReadonlyMap<string, StageDraft>, byGateway: ReadonlyMap<string, readonly StageDraft[]>): void {
  let unresolved: Unknown | undefined;
  for (const association of [...ctx.ofType('aws_wafv2_web_acl_association'), ...ctx.ofType('aws_wafregional_web_acl_association')]) {
    const arn = association.values.resource_arn;
    const stage = stageResources.get(ctx.target(arn)?.address ?? '');
    if (stage) {
      stage.wafAttached = true;
      stage.wafLocation = association.location;
    } else if (arn instanceof Unknown && !refersToResource(arn)) {
      unresolved ??= new Unknown(`the resource_arn of ${association.address} is unknown (${arn.reason}), so it may associate a web ACL with this stage`);
    }
  }
  if (!unresolved) return;
  for (const drafts of byGateway.values()) for (const draft of drafts) if (draft.version === 'v1' && draft.wafAttached === false) draft.wafAttached = unresolved;
}

/**
 * Whether the stage's cache cluster is on (`cache_cluster_enabled`, off by default). A stage known
 * only from method settings that name it is defined elsewhere: its cache is set there (unknown).
 */
export function stageCacheCluster(draft: StageDraft): Maybe<boolean> {
  if (draft.isStageResource) return readBool(draft.resource.values.cache_cluster_enabled) ?? false;
  // Its own reason: STAGE_ELSEWHERE names access logging, which a reader of a cache check would not expect.
  return draft.resource.type === 'aws_api_gateway_method_settings' ? new Unknown(stageElsewhere('its cache cluster')) : false;
}

/**
 * Whether every method that caches on the stage encrypts what it caches, and where the first that
 * does not says so. API Gateway caches GET methods once the stage's cache cluster is on, unless a
 * setting turns caching off; other methods only where a setting turns it on
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 * Encryption is off unless a setting turns it on, so a stage without a stage-wide (`*\/*`) setting
 * that encrypts caches its GET methods in clear. Whether the cluster is on is the stage's own field
 * (`cacheEnabled`); this says nothing when no method caches.
 */
function cacheEncryptionOf(settings: readonly CacheSetting[]): { value: Maybe<boolean>; location?: SourceLocation } {
  let unknown: { value: Unknown; location: SourceLocation } | undefined;
  const stageWide = settings.find((setting) => setting.methodPath === '*/*');
  for (const setting of settings) {
    // The stage-wide setting caches (GET methods) unless it turns caching off; a method's own only when it turns it on.
    const caches: Maybe<boolean> = setting.methodPath === '*/*' ? (setting.caching instanceof Unknown ? setting.caching : setting.caching !== false) : (setting.caching ?? false);
    if (caches === false) continue;
    if (setting.encrypted === true) continue;
    if (caches instanceof Unknown || setting.encrypted instanceof Unknown) {
      unknown ??= { value: caches instanceof Unknown ? caches : (setting.encrypted as Unknown), location: setting.location };
      continue;
    }
    return { value: false, location: setting.location };
  }
  if (!stageWide) return { value: false };
  return unknown ?? { value: true };
}

/** Keeps the first setting that turns data trace on (or may: an unknown value) for the stage. */
function noteDataTrace(stage: StageDraft, value: Maybe<boolean> | undefined, locate: () => SourceLocation): void {
  if (value === undefined || value === false || stage.dataTrace?.value === true) return;
  if (value === true || !stage.dataTrace) stage.dataTrace = { value, location: locate() };
}

/** `OFF`, `ERROR` or `INFO` as API Gateway spells them; anything else is not a level it accepts. */
function readLogLevel(value: Value | undefined): Maybe<ExecutionLogLevel> | undefined {
  const text = readString(value);
  if (text === undefined || text instanceof Unknown) return text;
  const level = text.toLowerCase();
  return (EXECUTION_LOG_LEVELS as readonly string[]).includes(level) ? (level as ExecutionLogLevel) : new Unknown(`logging level "${text}" is not one API Gateway accepts (OFF, ERROR or INFO)`);
}

/** Records a stage-wide or per-method/route execution log level that the configuration writes. */
function noteLogLevel(stage: StageDraft, scope: 'default' | 'override', value: Value | undefined, locate: () => SourceLocation): void {
  const level = readLogLevel(value);
  if (level === undefined) return;
  if (scope === 'default') stage.logDefault = { value: level, location: locate() };
  else stage.logOverrides.push({ value: level, location: locate() });
}

/** An HTTP API route key (`GET /orders/{id}`, `ANY /{proxy+}`); WebSocket route keys have no method and path. */
export const HTTP_ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \//;

const LOG_LEVEL_RANK: Readonly<Record<ExecutionLogLevel, number>> = { off: 0, error: 1, info: 2 };

/**
 * The execution log level of the stage's least logged method or route, and where it is written:
 * the stage-wide level (off when not written, API Gateway's default) lowered by any per-method or
 * per-route level below it. A per-method setting that does not write a level does not lower it.
 * Absent for HTTP APIs, which have no execution log (and for a stage whose route settings name HTTP
 * route keys); unknown for a v2 stage whose API is not in the scan and that writes no level (it may
 * be an HTTP API), and for a stage known only from method
 * settings without a stage-wide one (its stage-wide level is set where the stage is defined).
 */
function stageLogLevel(draft: StageDraft, protocol: GatewayProtocol | undefined, definedElsewhere: boolean): LocatedLogLevel | undefined {
  const written = draft.logDefault !== undefined || draft.logOverrides.length > 0;
  if (draft.version === 'v2' && protocol !== 'websocket') {
    if (protocol === 'http' || (protocol === undefined && draft.namesHttpRoutes === true && !written)) return undefined;
    if (written) return weakestLevel(draft);
    return {
      value: new Unknown('the API of this stage is not in the scanned configuration: whether it is a WebSocket API (execution logs) or an HTTP API (none) is not known'),
      location: draft.location,
    };
  }
  if (definedElsewhere && draft.logDefault === undefined) {
    const known = weakestLevel(draft);
    if (known.value === 'off') return known;
    return { value: new Unknown(stageElsewhere('its stage-wide execution logging level')), location: draft.location };
  }
  return weakestLevel(draft);
}

function weakestLevel(draft: StageDraft): LocatedLogLevel {
  let weakest: LocatedLogLevel = draft.logDefault ?? { value: 'off', location: draft.location };
  let unknown: LocatedLogLevel | undefined = weakest.value instanceof Unknown ? weakest : undefined;
  for (const override of draft.logOverrides) {
    if (override.value instanceof Unknown) {
      unknown ??= override;
      continue;
    }
    if (weakest.value instanceof Unknown || LOG_LEVEL_RANK[override.value] < LOG_LEVEL_RANK[weakest.value]) weakest = override;
  }
  // An explicit off decides whatever else is unknown; otherwise an unknown level leaves it unknown.
  if (!(weakest.value instanceof Unknown) && weakest.value === 'off') return weakest;
  return unknown ?? weakest;
}

function newStage(
  id: string,
  api: { readonly id: string; readonly outside: boolean },
  version: StageDraft['version'],
  name: Maybe<string>,
  resource: ResourceView,
  isStageResource: boolean,
  location?: SourceLocation,
): StageDraft {
  return { id, gatewayId: api.id, apiOutsideScan: api.outside, version, name, location: location ?? resource.location, resource, isStageResource, overrides: [], usagePlanLimits: [], logOverrides: [], wafAttached: false, cacheSettings: [] };
}

function emitUsagePlan(ctx: TerraformContext, resource: ResourceView, apiOf: (value: Value | undefined) => string, stages: ReadonlyMap<string, StageDraft>): void {
  const values = resource.values;
  const throttleBlocks = readBlocks(values.throttle_settings);
  const planLimit =
    throttleBlocks instanceof Unknown ? throttleBlocks : throttleBlocks[0] ? readLimit(throttleBlocks[0], 'rate_limit', 'burst_limit', 'usage-plan', false) : undefined;
  const quotaBlocks = readBlocks(values.quota_settings);
  const quota = quotaBlocks instanceof Unknown ? quotaBlocks : quotaBlocks[0] ? { limit: readNumber(quotaBlocks[0].limit) ?? new Unknown('no limit'), period: readString(quotaBlocks[0].period) ?? new Unknown('no period') } : undefined;
  const stageIds: string[] = [];
  const apiStages = readBlocks(values.api_stages);
  if (!(apiStages instanceof Unknown)) {
    apiStages.forEach((apiStage, index) => {
      const stage = stages.get(stageKey(apiOf(apiStage.api_id), readString(apiStage.stage)) ?? '');
      if (!stage) return;
      stageIds.push(stage.id);
      if (planLimit) stage.usagePlanLimits.push({ limit: planLimit, location: resource.locate(['throttle_settings', 0]) });
      const perMethod = readBlocks(apiStage.throttle);
      if (perMethod instanceof Unknown) return;
      perMethod.forEach((throttle, throttleIndex) => {
        const path = readString(throttle.path);
        const limit = readLimit(throttle, 'rate_limit', 'burst_limit', 'usage-plan', false);
        if (typeof path === 'string' && limit) stage.usagePlanLimits.push({ limit, location: resource.locate(['api_stages', index, 'throttle', throttleIndex]), path });
      });
    });
  }
  const plan: UsagePlan = {
    ...ctx.base('usage-plan', resource, { fieldLocations: { throttle: resource.locate(['throttle_settings']), quota: resource.locate(['quota_settings']) } }),
    name: readString(values.name) ?? new Unknown('no name'),
    ...(planLimit !== undefined ? { throttle: planLimit } : {}),
    ...(quota !== undefined ? { quota } : {}),
    stageIds,
  };
  ctx.add(plan);
}

/** Why a setting of a stage known only from method settings that name it is unknown. */
function stageElsewhere(setting: string): string {
  return `the stage is defined outside the scanned configuration (only its method settings are here); ${setting} is set where it is defined`;
}
const STAGE_ELSEWHERE = stageElsewhere('its access logging');

/**
 * What the stage's access log lines record: absent without access logging, unknown when the format
 * is (a variable without a value, or a CloudFormation setting without `Format`, whose lines API
 * Gateway does not document).
 */
function readAccessLogRecords(blocks: Maybe<ValueObject[]>): Maybe<AccessLogField[]> | undefined {
  if (blocks instanceof Unknown) return blocks;
  const block = blocks[0];
  if (!block) return undefined;
  const format = readString(block.format);
  if (format === undefined) return new Unknown('the access log settings give no format, so what each line records is not known');
  if (format instanceof Unknown) return format;
  return accessLogRecords(format);
}

function emitStage(ctx: TerraformContext, draft: StageDraft, protocol: GatewayProtocol | undefined, apiHasNoRoutes: boolean): void {
  const values = draft.resource.values;
  const { isStageResource } = draft;
  const accessLogs = isStageResource ? readBlocks(values.access_log_settings) : [];
  // A stage known only from method settings that name it is defined elsewhere (another stack, the
  // console): its logging is set there, so it is unknown, never assumed off.
  const definedElsewhere = !isStageResource && draft.resource.type === 'aws_api_gateway_method_settings';
  const records = definedElsewhere ? new Unknown(STAGE_ELSEWHERE) : readAccessLogRecords(accessLogs);
  const logLocation = isStageResource && !(accessLogs instanceof Unknown) && accessLogs.length > 0 ? draft.resource.locate(['access_log_settings']) : undefined;
  const logLevel = stageLogLevel(draft, protocol, definedElsewhere);
  const formatLocation = logLocation && accessLogs instanceof Array && accessLogs[0]?.format !== undefined ? draft.resource.locate(['access_log_settings', 0, 'format']) : logLocation;
  const cacheCluster = stageCacheCluster(draft);
  const cacheEncryption = cacheEncryptionOf(draft.cacheSettings);
  const stage: Stage = {
    ...ctx.base('stage', draft.resource, {
      id: draft.id,
      parentId: draft.apiOutsideScan ? null : draft.gatewayId,
      location: draft.location,
      fieldLocations: {
        ...(draft.defaultLimit ? { throttle: draft.defaultLimit.location } : {}),
        ...(logLocation ? { accessLogging: logLocation } : {}),
        ...(formatLocation ? { accessLogRecords: formatLocation } : {}),
        ...(draft.dataTrace ? { dataTrace: draft.dataTrace.location } : {}),
        ...(draft.wafLocation ? { wafAttached: draft.wafLocation } : {}),
        ...(isStageResource && values.cache_cluster_enabled !== undefined ? { cacheEnabled: draft.resource.locate(['cache_cluster_enabled']) } : {}),
        ...(cacheEncryption.location ? { cacheEncrypted: cacheEncryption.location } : isStageResource && values.cache_cluster_enabled !== undefined ? { cacheEncrypted: draft.resource.locate(['cache_cluster_enabled']) } : {}),
        ...(logLevel && logLevel.location !== draft.location ? { executionLogLevel: logLevel.location } : {}),
        ...(isStageResource && values.xray_tracing_enabled !== undefined ? { tracing: draft.resource.locate(['xray_tracing_enabled']) } : {}),
      },
    }),
    name: draft.name,
    ...(draft.defaultLimit ? { throttle: draft.defaultLimit.limit } : {}),
    accessLogging: definedElsewhere ? new Unknown(STAGE_ELSEWHERE) : accessLogs instanceof Unknown ? accessLogs : accessLogs.length > 0,
    ...(records !== undefined ? { accessLogRecords: records } : {}),
    // HTTP API stages have no data trace setting; REST and WebSocket stages default to off.
    ...(draft.version === 'v1' || draft.dataTrace ? { dataTrace: draft.dataTrace?.value ?? false } : {}),
    ...(logLevel ? { executionLogLevel: logLevel.value } : {}),
    // Only REST APIs have X-Ray tracing. A stage known only from method settings is traced or not
    // where it is defined; a stage a deployment creates, or SAM's implicit one, is not traced.
    ...(draft.version === 'v1' ? { tracing: definedElsewhere ? new Unknown(stageElsewhere('its X-Ray tracing')) : isStageResource ? (readBool(values.xray_tracing_enabled) ?? false) : false } : {}),
    cacheEnabled: cacheCluster,
    cacheEncrypted: cacheEncryption.value,
    // HTTP and WebSocket APIs cannot take a web ACL (only REST stages can): absent there.
    // A stage known only from method settings is defined elsewhere, and its web ACL association is
    // written with it: unknown, never reported as missing.
    ...(draft.version === 'v1' ? { wafAttached: definedElsewhere && draft.wafAttached !== true ? new Unknown(stageElsewhere('its web ACL association')) : draft.wafAttached } : {}),
    // A plan or state writes an unset client_certificate_id as "".
    clientCertificate: isStageResource ? values.client_certificate_id !== undefined && values.client_certificate_id !== null && values.client_certificate_id !== '' : false,
    ...(draft.apiOutsideScan ? { standIn: 'api-outside-scan' as const } : {}),
    ...(apiHasNoRoutes ? { apiHasNoRoutes: true } : {}),
  };
  ctx.add(stage);
}

/**
 * Computes each route's effective rate limit: per stage, the most specific override or else the
 * stage default, tightened by usage plans for methods that require an API key; across stages, the
 * weakest (the one an attacker would use). A route whose API has no stage in the input is unknown.
 */
export function applyRateLimits(routes: RouteDraft[], stages: StageIndex): void {
  for (const draft of routes) {
    // A route whose API is outside the scan takes the limits of the stages that name the same API.
    const gatewayId = draft.route.parentId ?? draft.outsideApi;
    const gatewayStages = gatewayId === undefined ? [] : (stages.byGateway.get(gatewayId) ?? []);
    if (gatewayId === undefined || (draft.route.parentId === null && gatewayStages.length === 0)) {
      draft.rateLimit = new Unknown(
        'the API of this route is not in the scanned configuration, and no stage in it names the same API (throttling is set per stage); scan the stack that deploys its stages with it',
      );
      continue;
    }
    if (gatewayStages.length === 0) {
      draft.rateLimit = new Unknown('no stage of this API is in the scanned configuration; throttling is set per stage');
      continue;
    }
    let weakest: StageLimit | undefined;
    for (const stage of gatewayStages) {
      const candidate = stageLimitFor(draft, stage);
      if (!weakest) {
        weakest = candidate;
        continue;
      }
      const weaker = weakerRateLimit(candidate.limit, weakest.limit) === candidate.limit;
      const tie = weaker && weakerRateLimit(weakest.limit, candidate.limit) === weakest.limit;
      // Between stages as weak as each other, the one with fewer protections is reported: a stage
      // behind no WAF web ACL before one behind a WAF (whose rate-based rules gatewarden does not
      // read, and which may be the only way in), then a stage the configuration declares before SAM's
      // implicit "Stage" (removing that would leave the declared one as open).
      if (tie && candidate.waf !== weakest.waf) {
        if (!candidate.waf) weakest = candidate;
        continue;
      }
      if (tie && candidate.implicit !== undefined && weakest.implicit === undefined) continue;
      if (weaker) weakest = candidate;
    }
    const unresolved = stages.unresolved.get(gatewayId);
    if (weakest?.limit !== undefined) {
      draft.rateLimit = weakest.limit;
    } else if (unresolved) {
      draft.rateLimit = unresolved;
    }
    if (weakest) draft.fieldLocations.rateLimit = weakest.location;
    // Settings that could not all be placed make the owner as uncertain as the limit.
    if (weakest?.owner !== undefined && !(weakest.limit === undefined && unresolved)) draft.fieldOwners = { ...draft.fieldOwners, rateLimit: weakest.owner };
    if (weakest && weakest.limit === undefined && typeof weakest.stage === 'string') {
      draft.unthrottledStage = weakest.stage;
      if (weakest.implicit !== undefined) draft.unthrottledStageImplicit = weakest.implicit;
    }
  }
}

/** A route's limit on one stage, where it is set, and the stage when the limit is the stage's own. */
interface StageLimit {
  readonly limit: Maybe<RateLimit> | undefined;
  readonly location: SourceLocation;
  readonly stage: Maybe<string>;
  /**
   * The stage's id when the limit is its stage-wide setting, or its lack of one: every route of the
   * stage without an override of its own shares it, so one finding on the stage says it (see
   * `EntityBase.fieldOwners`). Absent for a per-method override or a usage plan's limit.
   */
  readonly owner?: string;
  readonly implicit?: ImplicitStage;
  /** Whether a WAF web ACL is associated with the stage. */
  readonly waf: boolean;
}

function stageLimitFor(draft: RouteDraft, stage: StageDraft): StageLimit {
  const override = stage.overrides.filter((candidate) => candidate.matches(draft.throttle)).sort((a, b) => b.rank - a.rank)[0];
  const chosen: LocatedLimit | undefined = override ?? stage.defaultLimit;
  let limit = chosen?.limit;
  let location = chosen?.location ?? stage.location;
  let owner: string | undefined = override === undefined ? stage.id : undefined;
  if (draft.route.auth.apiKeyRequired === true && !(limit instanceof Unknown)) {
    const routePath = draft.throttle.kind === 'method-path' && typeof draft.throttle.resourcePath === 'string' ? `/${draft.throttle.resourcePath}/${String(draft.throttle.method)}` : undefined;
    const plans = stage.usagePlanLimits.filter((plan) => plan.path === undefined || plan.path.replace(/^\/+/, '/') === routePath);
    for (const plan of plans) {
      if (plan.limit instanceof Unknown) continue;
      const stricter = stricterRateLimit(limit, plan.limit);
      if (stricter === plan.limit) {
        location = plan.location;
        owner = undefined;
      }
      limit = stricter;
    }
  }
  const named = limit === undefined || limit instanceof Unknown ? limit : { ...limit, ...(typeof stage.name === 'string' ? { stage: stage.name } : {}) };
  return { limit: named, location, stage: stage.name, ...(owner !== undefined ? { owner } : {}), ...(stage.implicit !== undefined ? { implicit: stage.implicit } : {}), waf: stage.wafAttached === true };
}
