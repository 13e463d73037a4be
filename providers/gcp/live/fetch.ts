import { ResponseTooLargeError } from '../../shared/response-limit.js';
import { classifyGcpError } from './errors.js';
import type { LiveProblem, RawApi, RawApiConfig, RawApiKey, RawEndpointsService, RawGateway, RawProject } from './raw.js';
import { AdaptiveRate, callWithRetry, type CallPolicy } from './retry.js';
import type { GcpSession, GoogleApi } from './session.js';
import { limiter } from '../../shared/concurrency.js';

/** How one project is read. */
export interface FetchOptions {
  readonly project: string;
  /** Locations whose gateways are read; undefined: all (`locations/-`). */
  readonly locations?: readonly string[];
  /** Calls in flight at once for the project. */
  readonly concurrency: number;
  /** The `audit-items` limit: the distinct items one listing may return. */
  readonly maxItems: number;
  readonly policy: Omit<CallPolicy, 'stop'>;
  /** The audit has stopped (its deadline, Ctrl-C, a limit): the project is abandoned where it is. */
  readonly stop?: AbortSignal;
  /** Counts items listed against the audit's budget; false when it is spent (the audit then stops). */
  readonly takeItems?: (count: number, operation: string) => boolean;
}

/** Unwinds the reading of a project once the audit has stopped. */
class ProjectStopped extends Error {}

interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string | undefined;
}

const PAGE_SIZE = 500;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A resource's labels (an API's, a config's, a gateway's), text values only; absent when it has none. */
function labelsOf(value: unknown): { labels?: Record<string, string> } {
  const labels = Object.fromEntries(Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return Object.keys(labels).length > 0 ? { labels } : {};
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Bytes as the clients decode them (a Buffer or Uint8Array), or base64 text from a REST body, as base64. */
function base64(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return typeof value === 'string' ? value : '';
}

/** The permission each read needs, for the advice of a denied call. */
const PERMISSIONS: Readonly<Record<GoogleApi, string>> = {
  apigateway: 'roles/apigateway.viewer (apigateway.apis.list, apigateway.apiconfigs.get, apigateway.gateways.list)',
  servicemanagement: 'servicemanagement.services.get (in roles/apigateway.viewer and roles/viewer)',
  apikeys: 'apikeys.keys.list (roles/serviceusage.apiKeysViewer)',
  cloudresourcemanager: 'resourcemanager.projects.get',
};

/**
 * Reads one project, with GETs only: API Gateway's APIs, the gateways of the locations asked for
 * (all by default, in one listing), each API's configs and each config with `view=FULL` (its OpenAPI
 * documents; only the configs gateways serve, when they serve some of the API's); Cloud Endpoints services (Service Management: the services the project produces,
 * each one's latest successful rollout and the config it serves, with its source files); and API
 * keys with their restrictions (never `keyString`). One call per API plus one per config read
 * when nothing needs a second page.
 *
 * Every listing is paginated to its end and bounded (`maxItems`, and a page token given twice ends
 * it). A call that fails after its retries is a problem and the rest goes on; when the first call
 * to an API fails (API Gateway not enabled, access denied), the other calls to that API are not made.
 */
export async function fetchProject(session: GcpSession, options: FetchOptions): Promise<RawProject> {
  const run = limiter(options.concurrency);
  const problems: LiveProblem[] = [];
  const inFlight = new Map<string, number>();
  let calls = 0;
  const { project, stop } = options;
  // One pace for the project's calls: Google's read quotas are per project.
  const policy: CallPolicy = { ...options.policy, ...(stop ? { stop } : {}), rate: new AdaptiveRate() };

  const call = async <T>(api: GoogleApi, operation: string, task: (signal: AbortSignal) => Promise<T>, resource?: string): Promise<T | undefined> => {
    if (stop?.aborted) throw new ProjectStopped();
    try {
      return await run(async () => {
        if (stop?.aborted) throw new ProjectStopped();
        inFlight.set(operation, (inFlight.get(operation) ?? 0) + 1);
        try {
          // Calls, not requests: the retries of a call are not counted (the bench compares both).
          calls++;
          return (await callWithRetry(task, policy)).value;
        } finally {
          const left = (inFlight.get(operation) ?? 1) - 1;
          if (left > 0) inFlight.set(operation, left);
          else inFlight.delete(operation);
        }
      });
    } catch (error) {
      if (stop?.aborted || error instanceof ProjectStopped) throw new ProjectStopped();
      if (error instanceof ResponseTooLargeError) {
        problems.push({ kind: 'limit', operation, limit: 'audit-response-size', value: error.limit, found: error.found, what: `${operation} in project ${project} answered with a response of ${error.announced ? '' : 'at least '}${error.found} bytes; it was not read`, ...(resource !== undefined ? { resource } : {}) });
        return undefined;
      }
      problems.push({ kind: 'call-failed', operation, api: `${api}.googleapis.com`, permission: PERMISSIONS[api], failure: classifyGcpError(error), ...(resource !== undefined ? { resource } : {}) });
      return undefined;
    }
  };

  /** Every item of a listing, bounded; undefined when its first page could not be read. */
  const paginate = async <T>(api: GoogleApi, operation: string, resource: string, send: (token: string | undefined, signal: AbortSignal) => Promise<Page<T>>, idOf: (item: T) => string | undefined): Promise<T[] | undefined> => {
    const items: T[] = [];
    const ids = new Set<string>();
    const tokens = new Set<string>();
    let token: string | undefined;
    let received = 0;
    for (let first = true; ; first = false) {
      const page = await call(api, operation, (signal) => send(token, signal), resource);
      if (page === undefined) return first ? undefined : items;
      received += Math.max(1, page.items.length);
      if (options.takeItems && !options.takeItems(page.items.length, `${operation} in project ${project}`)) throw new ProjectStopped();
      for (const item of page.items) {
        const id = idOf(item);
        if (id !== undefined) {
          if (ids.has(id)) continue;
          ids.add(id);
        }
        items.push(item);
      }
      if (items.length > options.maxItems || received > options.maxItems) {
        problems.push({ kind: 'limit', operation, limit: 'audit-items', value: options.maxItems, found: received, what: `${operation} in project ${project} listed more than ${options.maxItems} items; the rest were not read`, resource });
        return items.slice(0, options.maxItems);
      }
      if (!page.next) return items;
      if (tokens.has(page.next) || page.next === token) {
        problems.push({ kind: 'loop', operation, token: page.next, itemsRead: items.length, resource });
        return items;
      }
      tokens.add(page.next);
      token = page.next;
    }
  };

  /** A listing of API Gateway through its client, one page per call (the client's own pagination would hide the pages from the retries). */
  const gatewayPages = <T>(method: 'listApis' | 'listApiConfigs' | 'listGateways', parent: string) => async (token: string | undefined): Promise<Page<T>> => {
    const request = { parent, pageSize: PAGE_SIZE, ...(token !== undefined ? { pageToken: token } : {}) };
    const client = session.apigateway as unknown as Record<string, (request: unknown, options: unknown) => Promise<[T[], { pageToken?: string } | null, unknown]>>;
    const [items, next] = await client[method]!.call(session.apigateway, request, { autoPaginate: false, timeout: options.policy.timeoutMs });
    return { items, next: next?.pageToken ?? undefined };
  };
  /** A listing of another Google API: `pageToken` in, `nextPageToken` and the items under `field` out. */
  const restPages = (api: GoogleApi, pathAndQuery: string, field: string) => async (token: string | undefined, signal: AbortSignal): Promise<Page<Record<string, unknown>>> => {
    const separator = pathAndQuery.includes('?') ? '&' : '?';
    // The API Keys API serves at most 300 keys a page.
    const size = api === 'apikeys' ? 300 : PAGE_SIZE;
    const body = record(await session.get(api, `${pathAndQuery}${separator}pageSize=${size}${token !== undefined ? `&pageToken=${encodeURIComponent(token)}` : ''}`, { signal, timeoutMs: options.policy.timeoutMs }));
    return { items: list(body[field]).map(record), next: text(body.nextPageToken) };
  };

  const empty: Omit<RawProject, 'problems' | 'calls'> = { project, apis: [], gateways: [], endpoints: [], keys: [] };
  try {
    const global = `projects/${project}/locations/global`;
    const [apiGateway, endpoints, keys] = await Promise.all([
      readApiGateway(),
      readEndpoints(),
      paginate('apikeys', 'apikeys keys.list', `${global}/keys`, restPages('apikeys', `/v2/${global}/keys`, 'keys'), (key) => text(key.name)),
    ]);
    return {
      project,
      ...apiGateway,
      endpoints,
      keys: (keys ?? []).map((key): RawApiKey => ({
        name: text(key.name) ?? '',
        ...(text(key.uid) !== undefined ? { uid: text(key.uid)! } : {}),
        ...(text(key.displayName) !== undefined ? { displayName: text(key.displayName)! } : {}),
        ...(text(key.createTime) !== undefined ? { createTime: text(key.createTime)! } : {}),
        ...(key.restrictions !== undefined ? { restrictions: record(key.restrictions) } : {}),
      })),
      problems,
      calls,
    };
  } catch (error) {
    if (!(error instanceof ProjectStopped)) throw error;
    return { ...empty, problems, calls, stopped: { inFlight: [...inFlight.keys()] } };
  }

  async function readApiGateway(): Promise<{ apis: RawApi[]; gateways: RawGateway[] }> {
    const global = `projects/${project}/locations/global`;
    type Message = Record<string, unknown>;
    const apis = await paginate<Message>('apigateway', 'apigateway apis.list', `${global}/apis`, gatewayPages('listApis', global), (api) => text(api.name));
    // Not enabled, or not allowed: the other API Gateway calls would fail the same way.
    if (apis === undefined) return { apis: [], gateways: [] };
    const locations = options.locations ?? ['-'];
    const gatewayLists = await Promise.all(
      locations.map((location) => {
        const parent = `projects/${project}/locations/${location}`;
        return paginate<Message>('apigateway', 'apigateway gateways.list', `${parent}/gateways`, gatewayPages('listGateways', parent), (gateway) => text(gateway.name));
      }),
    );
    // The configs gateways serve, when every gateway listing was read: of an API whose gateways
    // serve some configs, only those are checked (as a scan checks them), so the others' documents
    // are not fetched. Without a complete listing, every config is.
    const served = gatewayLists.every((found) => found !== undefined) ? new Set(gatewayLists.flatMap((found) => found ?? []).map((gateway) => text(gateway.apiConfig) ?? '')) : undefined;
    const rawApis = await Promise.all(
      apis.map(async (api): Promise<RawApi> => {
        const name = text(api.name) ?? '';
        const listed = (await paginate<Message>('apigateway', 'apigateway apiconfigs.list', name, gatewayPages('listApiConfigs', name), (config) => text(config.name))) ?? [];
        const live = served ? listed.filter((config) => served.has(text(config.name) ?? '')) : [];
        const configs = live.length > 0 ? live : listed;
        const full = await Promise.all(
          configs.map(async (config): Promise<RawApiConfig> => {
            const configName = text(config.name) ?? '';
            // The list has no `view`: the documents come with one GET per config.
            const got = await call('apigateway', 'apigateway apiconfigs.get', async () => (await session.apigateway.getApiConfig({ name: configName, view: 'FULL' }, { timeout: options.policy.timeoutMs }))[0] as unknown as Message, configName);
            const source = got ?? config;
            const serviceConfig = got && list(got.grpcServices).length > 0 ? await readServiceConfig(text(api.managedService), text(got.serviceConfigId), configName) : undefined;
            return {
              name: configName,
              ...(text(source.displayName) !== undefined ? { displayName: text(source.displayName)! } : {}),
              ...labelsOf(source.labels),
              documents: got
                ? list(got.openapiDocuments).map((entry) => {
                    const document = record(record(entry).document);
                    return { path: text(document.path) ?? 'openapi.yaml', contents: base64(document.contents) };
                  })
                : [],
              grpcServices: got ? list(got.grpcServices).length : 0,
              read: got !== undefined,
              ...(serviceConfig !== undefined ? { serviceConfig } : {}),
            };
          }),
        );
        return {
          name,
          ...(text(api.displayName) !== undefined ? { displayName: text(api.displayName)! } : {}),
          ...(text(api.managedService) !== undefined ? { managedService: text(api.managedService)! } : {}),
          ...labelsOf(api.labels),
          configs: full,
        };
      }),
    );
    const gateways = gatewayLists.flatMap((found) => found ?? []).map((gateway): RawGateway => ({
      name: text(gateway.name) ?? '',
      apiConfig: text(gateway.apiConfig) ?? '',
      ...(text(gateway.displayName) !== undefined ? { displayName: text(gateway.displayName)! } : {}),
      ...(text(gateway.defaultHostname) !== undefined ? { defaultHostname: text(gateway.defaultHostname)! } : {}),
      ...labelsOf(gateway.labels),
    }));
    return { apis: rawApis, gateways };
  }

  /**
   * The config id of a service's latest successful rollout, the one with most traffic (rollouts are
   * listed newest first: one page of one); undefined when the call failed, null when nothing is rolled out.
   */
  async function latestRolloutConfig(name: string, resource: string): Promise<string | null | undefined> {
    const rollouts = await call('servicemanagement', 'servicemanagement services.rollouts.list', (signal) => session.get('servicemanagement', `/v1/services/${encodeURIComponent(name)}/rollouts?filter=${encodeURIComponent('status=SUCCESS')}&pageSize=1`, { signal, timeoutMs: options.policy.timeoutMs }), resource);
    if (rollouts === undefined) return undefined;
    const latest = record(list(record(rollouts).rollouts)[0]);
    const percentages = Object.entries(record(record(latest.trafficPercentStrategy).percentages)).sort((a, b) => Number(b[1]) - Number(a[1]));
    return percentages[0]?.[0] ?? null;
  }

  /**
   * The compiled service config of a gRPC API config, from the API's managed service: the config the
   * API config names (`serviceConfigId`, one call), else the latest rollout's (two). The BASIC view:
   * FULL adds only the source files, which the API config already holds.
   */
  async function readServiceConfig(managedService: string | undefined, serviceConfigId: string | undefined, configName: string): Promise<Record<string, unknown> | undefined> {
    if (managedService === undefined) return undefined;
    const id = serviceConfigId ?? (await latestRolloutConfig(managedService, configName));
    if (id === undefined || id === null) return undefined;
    const got = await call('servicemanagement', 'servicemanagement services.configs.get', (signal) => session.get('servicemanagement', `/v1/services/${encodeURIComponent(managedService)}/configs/${encodeURIComponent(id)}`, { signal, timeoutMs: options.policy.timeoutMs }), configName);
    return got === undefined ? undefined : record(got);
  }

  async function readEndpoints(): Promise<RawEndpointsService[]> {
    const services = await paginate('servicemanagement', 'servicemanagement services.list', `projects/${project}`, restPages('servicemanagement', `/v1/services?producerProjectId=${encodeURIComponent(project)}`, 'services'), (service) => text(service.serviceName));
    // An API Gateway API's managed service is compiled from the API's configs, read above.
    const own = (services ?? []).map((service) => text(service.serviceName) ?? '').filter((name) => name !== '' && !/\.apigateway\.[^.]+\.cloud\.goog$/.test(name));
    return Promise.all(
      own.map(async (name): Promise<RawEndpointsService> => {
        const at = `/v1/services/${encodeURIComponent(name)}`;
        const configId = await latestRolloutConfig(name, name);
        if (configId === undefined) return { name, openapi: [], grpc: false, read: false };
        if (configId === null) return { name, openapi: [], grpc: false, read: true };
        const config = await call('servicemanagement', 'servicemanagement services.configs.get', (signal) => session.get('servicemanagement', `${at}/configs/${encodeURIComponent(configId)}?view=FULL`, { signal, timeoutMs: options.policy.timeoutMs }), name);
        if (config === undefined) return { name, configId, openapi: [], grpc: false, read: false };
        const files = list(record(record(config).sourceInfo).sourceFiles).map(record);
        // FileType: OPEN_API_JSON 2, OPEN_API_YAML 3, FILE_DESCRIPTOR_SET_PROTO 4, PROTO_FILE 6 (numbers, or names without enum-encoding=int).
        const type = (file: Record<string, unknown>): string => String(file.fileType);
        const openapi = files
          .filter((file) => ['2', '3', 'OPEN_API_JSON', 'OPEN_API_YAML'].includes(type(file)))
          .map((file) => ({ path: text(file.filePath) ?? 'openapi.yaml', text: Buffer.from(base64(file.fileContents), 'base64').toString('utf8') }));
        const grpc = files.some((file) => ['4', '5', '6', 'FILE_DESCRIPTOR_SET_PROTO', 'PROTO_DESCRIPTOR', 'PROTO_FILE'].includes(type(file)));
        // A gRPC service: the compiled config lists its methods and rules, as for an API Gateway gRPC config;
        // its source files (the descriptor set, base64) are left out, they add nothing to it.
        const { sourceInfo: _sources, ...compiled } = record(config);
        return { name, configId, openapi, grpc, read: true, ...(grpc && openapi.length === 0 ? { serviceConfig: compiled } : {}) };
      }),
    );
  }
}

/** The ids of the active projects the principal can see, through Resource Manager's search, every page. */
export async function searchProjects(session: GcpSession, policy: CallPolicy): Promise<{ projects: string[]; calls: number }> {
  const projects: string[] = [];
  const tokens = new Set<string>();
  let token: string | undefined;
  let calls = 0;
  const paced: CallPolicy = { ...policy, rate: new AdaptiveRate() };
  for (;;) {
    const { value } = await callWithRetry((signal) => session.get('cloudresourcemanager', `/v3/projects:search?pageSize=${PAGE_SIZE}${token !== undefined ? `&pageToken=${encodeURIComponent(token)}` : ''}`, { signal, timeoutMs: policy.timeoutMs }), paced);
    calls++;
    const body = record(value);
    for (const found of list(body.projects).map(record)) {
      // Projects being deleted cannot be read; ACTIVE is 1 under enum-encoding=int.
      const state = found.state;
      if (state !== undefined && state !== 'ACTIVE' && state !== 1) continue;
      const id = text(found.projectId);
      if (id !== undefined && !projects.includes(id)) projects.push(id);
    }
    const next = text(body.nextPageToken);
    if (next === undefined || tokens.has(next)) return { projects, calls };
    tokens.add(next);
    token = next;
  }
}
