import type { AuthSource, RateLimit } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { deref, effectiveSecurity, flag, isData, listOperations, securitySchemes, text, type Data, type DocPath, type EffectiveSecurity, type IgnoreExtension } from '../openapi/reader.js';
import { readGenericScheme } from '../openapi/schemes.js';

/** A problem of the document itself, with where it is. */
export interface LocatedProblem {
  readonly message: string;
  readonly pointer: DocPath;
}

/** One operation as GCP API Gateway or Cloud Endpoints (ESPv2) serves it. */
export interface GoogleOperation {
  readonly method: string;
  readonly path: string;
  readonly pointer: DocPath;
  readonly security: EffectiveSecurity;
  readonly authSource: AuthSource;
  readonly authPointer: DocPath;
  readonly backend: { readonly address?: Maybe<string>; readonly disableAuth: Maybe<boolean>; readonly pointer?: DocPath };
  /** The strictest quota limit the operation is charged against; absent when none applies. */
  readonly rateLimit?: { readonly limit: Maybe<RateLimit>; readonly pointer: DocPath };
  readonly quotaMetrics: readonly string[];
  /** `x-gatewarden-ignore` extensions that apply to the operation. */
  readonly ignore: readonly IgnoreExtension[];
}

/** What an OpenAPI document with Google's extensions defines. */
export interface GoogleOpenApi {
  readonly title: Maybe<string> | undefined;
  readonly operations: readonly GoogleOperation[];
  readonly allowCors: Maybe<boolean>;
  readonly problems: readonly LocatedProblem[];
}

/**
 * Whether a document is a spec for API Gateway or Cloud Endpoints: it uses Google's extensions (at its
 * top, in a security definition such as `x-google-issuer`, on a path or an operation such as
 * `x-google-backend`), or its `host` is a Cloud Endpoints service name. Endpoints names its services
 * `API.endpoints.PROJECT.cloud.goog` (or another name under `cloud.goog`), and a spec with that host
 * is what `gcloud endpoints services deploy` reads, whether or not it uses any extension.
 * @see https://cloud.google.com/endpoints/docs/openapi/configure-endpoints#configuring_the_host_field
 */
export function usesGoogleExtensions(doc: unknown): boolean {
  if (!isData(doc)) return false;
  const google = (value: unknown): boolean => isData(value) && Object.keys(value).some((key) => key.startsWith('x-google-'));
  if (google(doc) || isEndpointsHost(doc.host)) return true;
  const definitions = isData(doc.securityDefinitions) ? doc.securityDefinitions : {};
  if (Object.values(definitions).some(google)) return true;
  const paths = isData(doc.paths) ? doc.paths : {};
  return Object.values(paths).some((item) => google(item) || (isData(item) && Object.values(item).some(google)));
}

/** Whether a `host` names a Cloud Endpoints service (`echo.endpoints.my-project.cloud.goog`). */
export function isEndpointsHost(host: unknown): boolean {
  return typeof host === 'string' && /^[a-z0-9.-]+\.cloud\.goog$/i.test(host.trim());
}

/**
 * Reads a spec the way GCP API Gateway and Cloud Endpoints do: security per operation (the operation's
 * `security` replaces the global one), `x-google-backend` (operation over path over document),
 * quotas (`x-google-management` metrics and limits, charged per operation by `x-google-quota`), and
 * `x-google-endpoints` `allowCors`.
 * @see https://cloud.google.com/api-gateway/docs/openapi-overview
 * @see https://cloud.google.com/endpoints/docs/openapi/openapi-extensions
 */
export function readGoogleOpenApi(doc: unknown): GoogleOpenApi {
  if (!isData(doc)) return { title: undefined, operations: [], allowCors: false, problems: [{ message: 'the document is not an OpenAPI object', pointer: [] }] };
  const found = new Set<string>();
  const problems: LocatedProblem[] = [];
  const { schemes } = securitySchemes(doc, found);
  const quotas = readQuotas(doc, problems);
  const topBackend = doc['x-google-backend'];
  const operations: GoogleOperation[] = [];
  for (const view of listOperations(doc, found)) {
    const security = effectiveSecurity(view.security, schemes, readGenericScheme);
    const [backendData, backendPointer] = isData(view.operation['x-google-backend'])
      ? [view.operation['x-google-backend'], [...view.pointer, 'x-google-backend']]
      : isData(view.pathItem['x-google-backend'])
        ? [view.pathItem['x-google-backend'], [...view.pathItemPointer, 'x-google-backend']]
        : isData(topBackend)
          ? [topBackend, ['x-google-backend']]
          : [undefined, undefined];
    const costs = deref(view.operation['x-google-quota'], doc, found);
    const metricCosts = isData(costs) && isData(costs.metricCosts) ? costs.metricCosts : {};
    const quotaPointer: DocPath = [...view.pointer, 'x-google-quota', 'metricCosts'];
    const charged = chargedLimit(metricCosts, quotas, quotaPointer, problems, `${view.method} ${view.path}`);
    operations.push({
      method: view.method,
      path: view.path,
      pointer: view.pointer,
      security,
      authSource: view.hasOwnSecurity ? 'openapi-operation' : 'openapi-default',
      authPointer: view.securityPointer,
      backend: {
        ...(backendData ? { address: text(backendData.address) ?? new Unknown('x-google-backend has no address') } : {}),
        disableAuth: backendData ? (flag(backendData.disable_auth) ?? false) : false,
        ...(backendPointer ? { pointer: backendPointer } : {}),
      },
      // Quotas are per consumer project, which API Gateway knows only from an API key: without one
      // in the request, nothing is counted.
      ...(charged && security.apiKeyRequired === true ? { rateLimit: charged } : {}),
      quotaMetrics: Object.keys(metricCosts),
      ignore: view.ignore,
    });
  }
  for (const message of found) problems.push({ message, pointer: [] });
  const endpoints = Array.isArray(doc['x-google-endpoints']) ? doc['x-google-endpoints'] : [];
  let allowCors: Maybe<boolean> = false;
  for (const endpoint of endpoints) if (isData(endpoint) && endpoint.allowCors !== undefined) allowCors = flag(endpoint.allowCors) ?? false;
  const info = isData(doc.info) ? doc.info : {};
  return { title: text(info.title), operations, allowCors, problems };
}

interface QuotaLimit {
  readonly perMinute: Maybe<number>;
  readonly pointer: DocPath;
}

/** Metrics and their per-minute limits from `x-google-management`. */
function readQuotas(doc: Data, problems: LocatedProblem[]): { metrics: Set<string>; limits: Map<string, QuotaLimit> } {
  const management = isData(doc['x-google-management']) ? doc['x-google-management'] : {};
  const metrics = new Set<string>();
  for (const metric of Array.isArray(management.metrics) ? management.metrics : []) if (isData(metric) && typeof metric.name === 'string') metrics.add(metric.name);
  const limits = new Map<string, QuotaLimit>();
  const quota = isData(management.quota) ? management.quota : {};
  (Array.isArray(quota.limits) ? quota.limits : []).forEach((limit: unknown, index) => {
    if (!isData(limit) || typeof limit.metric !== 'string') return;
    const pointer: DocPath = ['x-google-management', 'quota', 'limits', index];
    const unit = text(limit.unit);
    const values = isData(limit.values) ? limit.values : {};
    const standard = values.STANDARD;
    if (!metrics.has(limit.metric)) problems.push({ message: `quota limit ${String(limit.name ?? index)} is for metric "${limit.metric}", which x-google-management.metrics does not define`, pointer: [...pointer, 'metric'] });
    const perMinute: Maybe<number> =
      unit instanceof Unknown ? unit
      : typeof unit !== 'string' || !unit.includes('/min/') ? new Unknown(`quota limit unit "${String(unit)}" is not per minute`)
      : typeof standard === 'number' ? standard
      : standard instanceof Unknown ? standard
      : new Unknown('the quota limit has no STANDARD value');
    limits.set(limit.metric, { perMinute, pointer });
  });
  return { metrics, limits };
}

/**
 * The strictest limit an operation's calls are charged against: a limit of N per minute at a cost of
 * c per call allows N/c calls a minute. A metric the document does not define charges nothing, and is
 * reported: a misspelled metric name silently removes the quota.
 */
function chargedLimit(
  costs: Data,
  quotas: { metrics: Set<string>; limits: Map<string, QuotaLimit> },
  pointer: DocPath,
  problems: LocatedProblem[],
  operation: string,
): { limit: Maybe<RateLimit>; pointer: DocPath } | undefined {
  let strictest: { limit: Maybe<RateLimit>; pointer: DocPath } | undefined;
  for (const [metric, rawCost] of Object.entries(costs)) {
    if (!quotas.metrics.has(metric)) {
      const near = [...quotas.metrics].find((candidate) => candidate.replace(/[-_]/g, '').toLowerCase() === metric.replace(/[-_]/g, '').toLowerCase());
      problems.push({ message: `${operation} charges metric "${metric}", which x-google-management.metrics does not define${near ? ` (did you mean "${near}"?)` : ''}; no quota applies to it`, pointer: [...pointer, metric] });
      continue;
    }
    const limit = quotas.limits.get(metric);
    if (!limit) continue;
    const cost = typeof rawCost === 'number' ? rawCost : Number(rawCost);
    if (!(cost > 0)) continue;
    const value: Maybe<RateLimit> =
      limit.perMinute instanceof Unknown ? limit.perMinute : { rateLimit: limit.perMinute / cost / 60, burstLimit: limit.perMinute / cost, source: 'openapi', quota: { limit: limit.perMinute / cost, period: '1m' } };
    if (!strictest || strictest.limit instanceof Unknown || (!(value instanceof Unknown) && (value.rateLimit as number) < (strictest.limit.rateLimit as number))) strictest = { limit: value, pointer: limit.pointer };
  }
  return strictest;
}
