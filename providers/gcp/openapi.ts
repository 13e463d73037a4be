import type { AuthSource, RateLimit } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import type { AuthKind } from '../../src/model/entities.js';
import { requestBodyShape, type RequestBodyShape } from '../openapi/request-body.js';
import { deref, flag, isData, listOperations, securitySchemes, text, texts, type Data, type DocPath, type EffectiveSecurity, type IgnoreExtension, type LocatedProblem, type OperationView } from '../openapi/reader.js';
import { readGenericScheme } from '../openapi/schemes.js';

export type { LocatedProblem } from '../openapi/reader.js';

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
  /** What an OpenAPI operation declares of its body; absent for a gRPC method (its message is typed by the descriptor). */
  readonly requestBody?: RequestBodyShape;
}

/**
 * A JWT provider: a security definition with `x-google-issuer`. `audiences` is absent when
 * `x-google-audiences` is not set: ESP and API Gateway then accept only tokens whose audience is the
 * service's own name (`https://SERVICE_NAME` or `https://SERVICE_NAME/API_NAME`).
 * @see https://cloud.google.com/api-gateway/docs/authenticating-users-jwt
 * @see https://cloud.google.com/service-infrastructure/docs/service-management/reference/rest/v1/services.configs#AuthProvider
 */
export interface GoogleJwtProvider {
  readonly name: string;
  readonly issuer: Maybe<string> | undefined;
  readonly audiences?: Maybe<string[]>;
  /** Whether some operation requires a token from it. */
  readonly used: boolean;
  readonly pointer: DocPath;
}

/** What an OpenAPI document with Google's extensions defines. */
export interface GoogleOpenApi {
  readonly title: Maybe<string> | undefined;
  readonly operations: readonly GoogleOperation[];
  /** JWT providers (`x-google-issuer`); absent in a compiled service config, which has its own form. */
  readonly jwtProviders?: readonly GoogleJwtProvider[];
  readonly allowCors: Maybe<boolean>;
  readonly problems: readonly LocatedProblem[];
  /**
   * False when `x-google-management` defines no quota limit: then no operation can be limited by
   * `x-google-quota` alone, and the setting at fault is the document's, not each operation's.
   */
  readonly definesQuotaLimits: boolean;
  /**
   * Where a missing quota is set, when not in `x-google-management` and an operation's
   * `x-google-quota` (a gRPC service config: `quota`, and its metric rules).
   */
  readonly quotaPointers?: { readonly limits: DocPath; readonly metricRules: DocPath };
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
  if (google(doc) || isEndpointsHost(doc.host) || usesSecurityExtension(doc)) return true;
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
  if (!isData(doc)) return { title: undefined, operations: [], allowCors: false, problems: [{ message: 'the document is not an OpenAPI object', pointer: [] }], definesQuotaLimits: false };
  const found = new Set<string>();
  const problems: LocatedProblem[] = [];
  const { schemes } = securitySchemes(doc, found);
  const quotas = readQuotas(doc, problems);
  const topBackend = doc['x-google-backend'];
  const operations: GoogleOperation[] = [];
  const malformed = new Set<string>();
  for (const view of listOperations(doc, found)) {
    // A document-wide `security` applies to every operation: its shape is reported once.
    if (view.securityProblem && !malformed.has(JSON.stringify(view.securityProblem.pointer))) {
      malformed.add(JSON.stringify(view.securityProblem.pointer));
      problems.push(view.securityProblem);
    }
    const { security, problem, ownSecurity } = googleSecurity(view, doc, schemes);
    if (problem) problems.push({ message: problem, pointer: view.securityPointer });
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
      authSource: ownSecurity ? 'openapi-operation' : 'openapi-default',
      authPointer: ownSecurity && !view.hasOwnSecurity ? [...view.pointer, SECURITY_EXTENSION] : view.securityPointer,
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
      requestBody: requestBodyShape(doc, view, found),
    });
  }
  for (const message of found) problems.push({ message, pointer: [] });
  const endpoints = Array.isArray(doc['x-google-endpoints']) ? doc['x-google-endpoints'] : [];
  let allowCors: Maybe<boolean> = false;
  for (const endpoint of endpoints) if (isData(endpoint) && endpoint.allowCors !== undefined) allowCors = flag(endpoint.allowCors) ?? false;
  const info = isData(doc.info) ? doc.info : {};
  const { pointer: schemesPointer } = securitySchemes(doc, new Set());
  const jwtProviders: GoogleJwtProvider[] = [];
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isData(scheme) || scheme['x-google-issuer'] === undefined) continue;
    // x-google-audiences is one comma-separated string.
    const audiences = text(scheme['x-google-audiences']);
    jwtProviders.push({
      name,
      issuer: text(scheme['x-google-issuer']),
      ...(audiences !== undefined ? { audiences: audiences instanceof Unknown ? audiences : audiences.split(',').map((part) => part.trim()).filter(Boolean) } : {}),
      used: operations.some((operation) => operation.security.schemeName === name),
      pointer: [...schemesPointer, name],
    });
  }
  return { title: text(info.title), operations, jwtProviders, allowCors, problems, definesQuotaLimits: quotas.limits.size > 0 };
}

/** Google's per-operation (or document-wide) list of JWT providers and their audiences. */
const SECURITY_EXTENSION = 'x-security';

/** Whether a document names JWT requirements with Google's `x-security`, which only ESP and API Gateway read. */
export function usesSecurityExtension(doc: Data): boolean {
  if (doc[SECURITY_EXTENSION] !== undefined) return true;
  const paths = isData(doc.paths) ? doc.paths : {};
  return Object.values(paths).some((item) => isData(item) && Object.values(item).some((operation) => isData(operation) && operation[SECURITY_EXTENSION] !== undefined));
}

/** The requirement objects of a `security` list or an `x-security` list (`- auth0_jwk: {audiences: [...]}`). */
function requirementObjects(list: unknown): unknown[] {
  return Array.isArray(list) ? list : list === undefined ? [] : [list];
}

/**
 * How ESP, ESPv2 and GCP API Gateway enforce an operation's security, which is not OpenAPI's "any
 * one of the requirement objects":
 * - Tokens: every OAuth2 scheme named anywhere in the list, and in Google's `x-security` extension,
 *   becomes a JWT provider of the operation's authentication rule, and a request must carry a valid
 *   token from one of them. An empty requirement (`{}`) or an API-key-only alternative does not make
 *   the token optional ("not supported for OAuth").
 * - API key: required only when every requirement object names an API key scheme; an alternative
 *   without one (`{}`, or a token) leaves calls without a key allowed (`allow_unregistered_calls`).
 * So `[{api_key: []}, {firebase: []}]`, an API key or a token as alternatives, which the
 * documentation calls unsupported, deploys as "a token, no key": the returned problem says so.
 * The operation's own `security` or `x-security` replaces the document's for tokens; the API key
 * follows `security` alone. Scopes are not checked by the proxy.
 * @see https://cloud.google.com/endpoints/docs/openapi/openapi-limitations#multiple_security_requirements
 * @see https://cloud.google.com/api-gateway/docs/openapi-limitations
 * @see https://cloud.google.com/endpoints/docs/openapi/openapi-extensions (x-security)
 * @see https://github.com/googleapis/api-compiler/blob/master/src/main/java/com/google/api/tools/framework/importers/swagger/aspects/auth/AuthBuilder.java (`isApiKeyRequired`)
 * @see https://github.com/googleapis/api-compiler/blob/master/src/main/java/com/google/api/tools/framework/importers/swagger/aspects/auth/AuthRuleGenerator.java (providers of all requirement objects and of x-security flattened into one rule)
 */
export function googleSecurity(view: OperationView, doc: Data, schemes: Data): { security: EffectiveSecurity; ownSecurity: boolean; problem?: string } {
  const ownSecurity = view.hasOwnSecurity || Object.hasOwn(view.operation, SECURITY_EXTENSION);
  const [security, extension] = ownSecurity ? [view.operation.security, view.operation[SECURITY_EXTENSION]] : [doc.security, doc[SECURITY_EXTENSION]];
  for (const list of [security, extension, view.security]) {
    if (list instanceof Unknown) return { security: { kind: list, apiKeyRequired: list, scopes: list }, ownSecurity };
  }
  const providers: Array<{ name: string; kind: Maybe<AuthKind>; scopes: Maybe<string[]> }> = [];
  let unknownRequirement: Unknown | undefined;
  for (const requirement of [...requirementObjects(security), ...requirementObjects(extension)]) {
    if (!isData(requirement)) {
      unknownRequirement ??= requirement instanceof Unknown ? requirement : new Unknown('a security requirement is not an object');
      continue;
    }
    for (const [name, requested] of Object.entries(requirement)) {
      const scheme = readGenericScheme(name, schemes[name]);
      if (scheme.isApiKey || providers.some((found) => found.name === name)) continue;
      // In x-security a provider's value is `{audiences: [...]}`, not a list of scopes.
      providers.push({ name, kind: scheme.kind, scopes: Array.isArray(requested) ? (texts(requested) ?? []) : [] });
    }
  }
  if (unknownRequirement) return { security: { kind: unknownRequirement, apiKeyRequired: unknownRequirement, scopes: unknownRequirement }, ownSecurity };

  // The key follows `security` (inherited from the document when the operation has none).
  const keyRequirements = Array.isArray(view.security) ? view.security : [];
  const names = (requirement: unknown): string[] => (isData(requirement) ? Object.keys(requirement) : []);
  const hasKey = (requirement: unknown): boolean => names(requirement).some((name) => readGenericScheme(name, schemes[name]).isApiKey);
  const apiKeyRequired = keyRequirements.length > 0 && keyRequirements.every(hasKey);

  if (providers.length === 0) return { security: { kind: apiKeyRequired ? 'api-key' : 'none', apiKeyRequired, scopes: [] }, ownSecurity };
  // Any one provider's token is accepted: the weakest of them decides.
  const rank = (kind: Maybe<AuthKind>): number => (kind instanceof Unknown ? 0 : kind === 'api-key' || kind === 'basic' ? -1 : 1);
  const weakest = providers.reduce((a, b) => (rank(b.kind) < rank(a.kind) ? b : a));
  const result: EffectiveSecurity = { kind: weakest.kind, apiKeyRequired, schemeName: weakest.name, scopes: weakest.scopes };
  const operation = `${view.method} ${view.path}`;
  const keyOnly = keyRequirements.some((requirement) => hasKey(requirement) && names(requirement).every((name) => readGenericScheme(name, schemes[name]).isApiKey));
  if (keyOnly && !apiKeyRequired) {
    return { security: result, ownSecurity, problem: `${operation} accepts an API key or a token as alternatives, which ESP and API Gateway do not support: they require the token ("${weakest.name}") from every caller and do not require the key. Put both in one requirement object to require both, or drop the key` };
  }
  if (keyRequirements.some((requirement) => isData(requirement) && names(requirement).length === 0)) {
    return { security: result, ownSecurity, problem: `${operation} lists an empty requirement ({}) to make authentication optional, which ESP and API Gateway do not support for tokens: they still require a token ("${weakest.name}") from every caller` };
  }
  return { security: result, ownSecurity };
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
