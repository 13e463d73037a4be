import type { AuthKind, RateLimit } from '../../src/model/entities.js';
import { isData, type Data, type DocPath, type LocatedProblem } from '../openapi/reader.js';
import type { GoogleOpenApi, GoogleOperation } from './openapi.js';

// A service config (google.api.Service) as Service Management compiles it for an API Gateway API's
// managed service, read for the API configs that define gRPC services: the API config carries their
// descriptor set (binary) and service config YAML files, the compiled service config the methods and
// the rules that apply to each, as JSON. An OpenAPI config's service config is compiled from the
// document the API config already carries, so it is not read for those.
// @see https://cloud.google.com/service-infrastructure/docs/service-management/reference/rest/v1/services.configs#Service
// @see https://cloud.google.com/api-gateway/docs/grpc-service-config

function list(value: unknown): Data[] {
  return Array.isArray(value) ? value.filter(isData) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An int64 of the REST wire format (a string), or a number. */
function count(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/**
 * The rule of a list that applies to a method, by its `selector`: the method's full name
 * (`pkg.Service.Method`), a prefix ending in `.*`, or `*`. The most specific selector wins (the full
 * name, then the longest prefix), so that `*` sets a default and a named method overrides it, as
 * Google's samples write them; among equals, the last.
 * @see https://cloud.google.com/endpoints/docs/grpc-service-config/reference/rpc/google.api#google.api.UsageRule
 */
function ruleFor(rules: readonly Data[], method: string): { rule: Data; index: number } | undefined {
  let best: { rule: Data; index: number; weight: number } | undefined;
  rules.forEach((rule, index) => {
    const selector = text(rule.selector)?.trim();
    if (selector === undefined) return;
    const weight = selector === method ? Number.POSITIVE_INFINITY : selector === '*' ? 0 : selector.endsWith('.*') && method.startsWith(selector.slice(0, -1)) ? selector.length : -1;
    if (weight >= 0 && (!best || weight >= best.weight)) best = { rule, index, weight };
  });
  return best && { rule: best.rule, index: best.index };
}

/** The fully qualified methods of the service's APIs (`pkg.Service.Method`). */
function methodsOf(config: Data): string[] {
  return list(config.apis).flatMap((api) => {
    const name = text(api.name);
    return name === undefined ? [] : list(api.methods).map((method) => text(method.name)).filter((method): method is string => method !== undefined).map((method) => `${name}.${method}`);
  });
}

/** Per-minute quota limits by metric (`unit: 1/min/{project}`, `values.STANDARD`). */
function quotaLimits(config: Data, problems: LocatedProblem[]): Map<string, { perMinute: number; pointer: DocPath }> {
  const limits = new Map<string, { perMinute: number; pointer: DocPath }>();
  const quota = isData(config.quota) ? config.quota : {};
  list(quota.limits).forEach((limit, index) => {
    const metric = text(limit.metric);
    const pointer: DocPath = ['quota', 'limits', index];
    const standard = count(isData(limit.values) ? limit.values.STANDARD : undefined);
    if (metric === undefined || standard === undefined) return;
    if (!String(limit.unit ?? '').includes('/min/')) {
      problems.push({ message: `quota limit ${String(limit.name ?? index)} of the service config is not per minute (unit "${String(limit.unit)}"); it is not counted`, pointer: [...pointer, 'unit'] });
      return;
    }
    const known = limits.get(metric);
    if (!known || standard < known.perMinute) limits.set(metric, { perMinute: standard, pointer });
  });
  return limits;
}

/**
 * Reads a compiled service config as the proxy of an API Gateway gateway (ESPv2) enforces it, one
 * operation per method (`POST /pkg.Service/Method`, the path a gRPC call takes):
 * - a token is required when an authentication rule selects the method with requirements and does not
 *   `allowWithoutCredential`;
 * - an API key is required unless a usage rule allows unregistered calls (`allowUnregisteredCalls`),
 *   which is also ESPv2's default for a method no usage rule selects;
 * - the quota is the strictest per-minute limit the method's metric rule charges, counted only for
 *   calls with an API key (as for an OpenAPI document);
 * - the backend is the backend rule's address and `disableAuth`.
 * Pure. `pointer`s are paths in the service config.
 * @see https://cloud.google.com/endpoints/docs/grpc/restricting-api-access-with-api-keys
 */
export function readServiceConfig(config: unknown): GoogleOpenApi {
  if (!isData(config)) return { title: undefined, operations: [], allowCors: false, problems: [{ message: 'the service config is not an object', pointer: [] }], definesQuotaLimits: false };
  const problems: LocatedProblem[] = [];
  const authentication = isData(config.authentication) ? config.authentication : {};
  const providers = new Set(list(authentication.providers).map((provider) => text(provider.id)).filter((id): id is string => id !== undefined));
  const authRules = list(authentication.rules);
  const usageRules = list(isData(config.usage) ? config.usage.rules : undefined);
  const quota = isData(config.quota) ? config.quota : {};
  const metricRules = list(quota.metricRules);
  const limits = quotaLimits(config, problems);
  const backendRules = list(isData(config.backend) ? config.backend.rules : undefined);

  const operations = methodsOf(config).map((method): GoogleOperation => {
    const auth = ruleFor(authRules, method);
    const requirements = auth ? list(auth.rule.requirements).map((requirement) => text(requirement.providerId)).filter((id): id is string => id !== undefined) : [];
    const tokenRequired = requirements.length > 0 && auth!.rule.allowWithoutCredential !== true;
    for (const id of requirements) if (!providers.has(id)) problems.push({ message: `the authentication rule of ${method} names the provider "${id}", which the service config does not define`, pointer: ['authentication', 'rules', auth!.index] });
    const usage = ruleFor(usageRules, method);
    const apiKeyRequired = usage?.rule.allowUnregisteredCalls !== true;
    const kind: AuthKind = tokenRequired ? 'jwt' : apiKeyRequired ? 'api-key' : 'none';
    const costs = ruleFor(metricRules, method);
    const metricCosts = costs && isData(costs.rule.metricCosts) ? costs.rule.metricCosts : {};
    let rateLimit: { limit: RateLimit; pointer: DocPath } | undefined;
    for (const [metric, rawCost] of Object.entries(metricCosts)) {
      const limit = limits.get(metric);
      const cost = count(rawCost);
      if (!limit || cost === undefined || !(cost > 0)) continue;
      const perMinute = limit.perMinute / cost;
      if (!rateLimit || perMinute / 60 < (rateLimit.limit.rateLimit as number)) rateLimit = { limit: { rateLimit: perMinute / 60, burstLimit: perMinute, source: 'openapi', quota: { limit: perMinute, period: '1m' } }, pointer: limit.pointer };
    }
    const backend = ruleFor(backendRules, method);
    // The rule that decides the method's authentication is the one the finding points at.
    const authPointer: DocPath = tokenRequired ? ['authentication', 'rules', auth!.index] : usage ? ['usage', 'rules', usage.index] : ['usage'];
    const [service, name] = [method.slice(0, method.lastIndexOf('.')), method.slice(method.lastIndexOf('.') + 1)];
    return {
      method: 'POST',
      path: `/${service}/${name}`,
      pointer: ['apis'],
      security: { kind, apiKeyRequired, scopes: [], ...(tokenRequired ? { schemeName: requirements[0]! } : {}) },
      authSource: auth || usage ? 'route' : 'default',
      authPointer,
      backend: {
        ...(backend && text(backend.rule.address) !== undefined ? { address: text(backend.rule.address)! } : {}),
        disableAuth: backend?.rule.disableAuth === true,
        ...(backend ? { pointer: ['backend', 'rules', backend.index] } : {}),
      },
      // As for a document: quotas count calls by the consumer project an API key names.
      ...(rateLimit && apiKeyRequired ? { rateLimit } : {}),
      quotaMetrics: Object.keys(metricCosts),
      ignore: [],
    };
  });
  return { title: text(config.title), operations, allowCors: list(config.endpoints).some((endpoint) => endpoint.allowCors === true), problems, definesQuotaLimits: limits.size > 0 };
}
