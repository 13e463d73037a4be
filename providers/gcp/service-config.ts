import type { AuthKind, RateLimit } from '../../src/model/entities.js';
import { isData, type Data, type DocPath, type LocatedProblem } from '../openapi/reader.js';
import type { GoogleOpenApi, GoogleOperation } from './openapi.js';

// A service config (google.api.Service) as Service Management compiles it for an API Gateway API's
// managed service, read for the API configs that define gRPC services: the API config carries their
// descriptor set (binary) and service config YAML files, the compiled service config the methods and
// the rules that apply to each, as JSON. An OpenAPI config's service config is compiled from the
// document the API config already carries, so it is not read for those.
// @see https://cloud.google.com/service-infrastructure/docs/service-management/reference/rest/v1/services.configs#Service
// The same reading serves a Cloud Endpoints gRPC service's compiled config (live), and the service
// config YAML a Terraform configuration deploys with a descriptor set (`grpc_config` of
// `google_endpoints_service`): that YAML writes fields in snake_case (`allow_unregistered_calls`) as
// often as in the JSON names, and its methods are in the descriptor set, not in `apis`.
// @see https://cloud.google.com/api-gateway/docs/grpc-service-config
// @see https://cloud.google.com/endpoints/docs/grpc/grpc-service-config

/** A repeated field: a list, or one object written without the list (as YAML service configs do). */
function list(value: unknown): Data[] {
  return Array.isArray(value) ? value.filter(isData) : isData(value) ? [value] : [];
}

/** A field by its JSON name (`allowUnregisteredCalls`), or its proto name (`allow_unregistered_calls`). */
function field(data: Data, name: string): unknown {
  return data[name] ?? data[name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
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

/** The fully qualified methods the service's APIs list (`pkg.Service.Method`), as a compiled config has them. */
function methodsOf(config: Data): string[] {
  return list(config.apis).flatMap((api) => {
    const name = text(api.name);
    return name === undefined ? [] : list(api.methods).map((method) => text(method.name)).filter((method): method is string => method !== undefined).map((method) => `${name}.${method}`);
  });
}

/** The rule lists whose selectors name methods, with where they are: the HTTP rules first. */
function ruleLists(config: Data): Array<{ rules: Data[]; pointer: DocPath }> {
  const at = (parent: string, key: string): { rules: Data[]; pointer: DocPath } => {
    const section = field(config, parent);
    return { rules: isData(section) ? list(field(section, key)) : [], pointer: [parent, key] };
  };
  return [at('http', 'rules'), at('authentication', 'rules'), at('usage', 'rules'), at('quota', 'metricRules'), at('backend', 'rules')];
}

/**
 * Where a method comes from: the config's `apis` (a compiled config lists them), else the descriptor
 * set the caller read, else only the methods a rule names by full name (`selector:
 * pkg.Service.Method`): the descriptor set would tell the others, so a problem says they are not
 * checked. Each method with the path the route points at.
 */
function methodSources(config: Data, descriptor: readonly string[] | undefined, problems: LocatedProblem[]): Array<{ method: string; pointer: DocPath }> {
  const listed = methodsOf(config);
  if (listed.length > 0) return listed.map((method) => ({ method, pointer: ['apis'] }));
  // ESPv2 serves the services `apis` names, not every service of the descriptor set.
  const services = list(config.apis).map((api) => text(api.name)).filter((name): name is string => name !== undefined);
  const served = (method: string): boolean => services.length === 0 || services.includes(method.slice(0, method.lastIndexOf('.')));
  if (descriptor !== undefined) return descriptor.filter(served).map((method) => ({ method, pointer: ['apis'] }));
  const named = new Map<string, DocPath>();
  for (const { rules, pointer } of ruleLists(config)) {
    rules.forEach((rule, index) => {
      const selector = text(rule.selector)?.trim();
      if (selector === undefined || selector.includes('*') || !selector.includes('.') || !served(selector) || named.has(selector)) return;
      named.set(selector, [...pointer, index]);
    });
  }
  const what = services.length > 0 ? services.join(', ') : 'the service config';
  problems.push({
    code: 'not-scanned',
    message:
      named.size > 0
        ? `the methods of ${what} are defined in the descriptor set, which was not read: only the ${named.size} the service config's rules name (${[...named.keys()].join(', ')}) are checked, any other is not`
        : `the methods of ${what} are defined in the descriptor set, which was not read, and no rule of the service config names one: none is checked`,
    pointer: ['apis'],
  });
  return [...named].map(([method, pointer]) => ({ method, pointer }));
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
 * The methods are those `apis` lists (a compiled config), else those of `descriptor` (the descriptor
 * set's, when the caller could read it) that `apis` serves, else only those a rule names, with a
 * `not-scanned` problem. Fields may be written by their JSON or their proto (snake_case) names.
 * Pure. `pointer`s are paths in the service config.
 * @see https://cloud.google.com/endpoints/docs/grpc/restricting-api-access-with-api-keys
 */
export function readServiceConfig(config: unknown, descriptor?: readonly string[]): GoogleOpenApi {
  if (!isData(config)) return { title: undefined, operations: [], allowCors: false, problems: [{ message: 'the service config is not an object', pointer: [] }], definesQuotaLimits: false };
  const problems: LocatedProblem[] = [];
  const authentication = isData(config.authentication) ? config.authentication : {};
  const providers = new Set(list(authentication.providers).map((provider) => text(provider.id)).filter((id): id is string => id !== undefined));
  const authRules = list(authentication.rules);
  const usageRules = list(isData(config.usage) ? config.usage.rules : undefined);
  const quota = isData(config.quota) ? config.quota : {};
  const metricRules = list(field(quota, 'metricRules'));
  const limits = quotaLimits(config, problems);
  const backendRules = list(isData(config.backend) ? config.backend.rules : undefined);

  const operations = methodSources(config, descriptor, problems).map(({ method, pointer }): GoogleOperation => {
    const auth = ruleFor(authRules, method);
    const requirements = auth ? list(auth.rule.requirements).map((requirement) => text(field(requirement, 'providerId'))).filter((id): id is string => id !== undefined) : [];
    const tokenRequired = requirements.length > 0 && field(auth!.rule, 'allowWithoutCredential') !== true;
    for (const id of requirements) if (!providers.has(id)) problems.push({ message: `the authentication rule of ${method} names the provider "${id}", which the service config does not define`, pointer: ['authentication', 'rules', auth!.index] });
    const usage = ruleFor(usageRules, method);
    const apiKeyRequired = (usage ? field(usage.rule, 'allowUnregisteredCalls') : undefined) !== true;
    const kind: AuthKind = tokenRequired ? 'jwt' : apiKeyRequired ? 'api-key' : 'none';
    const costs = ruleFor(metricRules, method);
    const metricCosts = costs && isData(field(costs.rule, 'metricCosts')) ? (field(costs.rule, 'metricCosts') as Data) : {};
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
      pointer,
      security: { kind, apiKeyRequired, scopes: [], ...(tokenRequired ? { schemeName: requirements[0]! } : {}) },
      authSource: auth || usage ? 'route' : 'default',
      authPointer,
      backend: {
        ...(backend && text(backend.rule.address) !== undefined ? { address: text(backend.rule.address)! } : {}),
        disableAuth: backend !== undefined && field(backend.rule, 'disableAuth') === true,
        ...(backend ? { pointer: ['backend', 'rules', backend.index] } : {}),
      },
      // As for a document: quotas count calls by the consumer project an API key names.
      ...(rateLimit && apiKeyRequired ? { rateLimit } : {}),
      quotaMetrics: Object.keys(metricCosts),
      ignore: [],
    };
  });
  const metricRulesKey = isData(config.quota) && config.quota.metricRules === undefined && config.quota.metric_rules !== undefined ? 'metric_rules' : 'metricRules';
  return {
    title: text(config.title),
    operations,
    allowCors: list(config.endpoints).some((endpoint) => field(endpoint, 'allowCors') === true),
    problems,
    definesQuotaLimits: limits.size > 0,
    // A missing quota is set in the config's quota section (its limits; its metric rules, when it has limits).
    quotaPointers: { limits: ['quota'], metricRules: ['quota', metricRulesKey] },
  };
}
