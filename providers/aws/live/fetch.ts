import {
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDomainNamesCommand,
  GetGatewayResponsesCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import {
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetDomainNamesCommand as GetV2DomainNamesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { classifyAwsError } from './errors.js';
import { ResponseTooLargeError } from '../../shared/response-limit.js';
import type { LiveProblem, RawRegion, RawRestApi, RawV2Api } from './raw.js';
import { limiter } from '../../shared/concurrency.js';

/** The two API Gateway clients of one region, configured by the caller (credentials, endpoint, retries). */
export interface RegionClients {
  readonly v1: APIGatewayClient;
  readonly v2: ApiGatewayV2Client;
}

/** How one region is read. */
export interface FetchOptions {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Calls in flight at once in the region; the SDK retries throttled calls with backoff. */
  readonly concurrency: number;
  /** The `audit-items` limit: the distinct items one listing may return. */
  readonly maxItems: number;
  /**
   * Counts items listed against the audit's budget (the `entities` limit); returns false when the
   * budget is spent, after which the audit is stopped (`stop` fires).
   */
  readonly takeItems?: (count: number, operation: string) => boolean;
  /** The audit has stopped (its deadline, Ctrl-C, a limit): the region is abandoned where it is. */
  readonly stop?: AbortSignal;
  /** Called as APIs are read, for a progress display. */
  readonly onApi?: (done: number, total: number) => void;
}

/** Unwinds the reading of a region once the audit has stopped. */
class RegionStopped extends Error {}

/** One page of a listing, whichever API version and field names it came with. */
interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string | undefined;
}

const PAGE_SIZE = 500;

/**
 * Reads one region of API Gateway, REST and HTTP/WebSocket APIs, with `Get*` calls only: REST
 * resources with their methods in one paginated `GetResources?embed=methods`, then authorizers,
 * stages and gateway responses per API (four calls per API when nothing needs a second page); HTTP
 * and WebSocket APIs with their routes, authorizers, integrations and stages; usage plans and their
 * keys, API keys without their values, custom domains and their mappings.
 *
 * Every listing is bounded: it keeps at most `maxItems` distinct items (duplicate ids are dropped),
 * and stops, with a problem saying so, when a server returns more, sends pages of duplicates or
 * empty pages past that many, or hands back a page token it already gave (a listing that would never
 * end). A call that fails is recorded as a problem and the rest goes on; a region that refuses the
 * first call is not read further. When `stop` fires, the region is abandoned at once: calls in
 * flight are cancelled by the HTTP handler and the result is marked `stopped`.
 */
export async function fetchRegion(clients: RegionClients, options: FetchOptions): Promise<RawRegion> {
  const run = limiter(options.concurrency);
  const problems: LiveProblem[] = [];
  const inFlight = new Map<string, number>();
  let calls = 0;
  const { account, region, partition, stop } = options;
  const arn = (path: string): string => `arn:${partition}:apigateway:${region}::${path}`;
  const where = `in ${region} of account ${account}`;

  // Losing the race with `stop` abandons a call: its own promise is cancelled by the handler and
  // settles later, unobserved.
  let onStop = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    onStop = () => reject(new RegionStopped());
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
  });
  stopped.catch(() => undefined);

  const call = async <T>(operation: string, task: () => Promise<T>, resource?: string): Promise<T | undefined> => {
    if (stop?.aborted) throw new RegionStopped();
    try {
      const attempt = run(async () => {
        if (stop?.aborted) throw new RegionStopped();
        calls++;
        inFlight.set(operation, (inFlight.get(operation) ?? 0) + 1);
        try {
          return await task();
        } finally {
          const left = (inFlight.get(operation) ?? 1) - 1;
          if (left > 0) inFlight.set(operation, left);
          else inFlight.delete(operation);
        }
      });
      return await (stop ? Promise.race([attempt, stopped]) : attempt);
    } catch (error) {
      if (stop?.aborted || error instanceof RegionStopped) throw new RegionStopped();
      if (error instanceof ResponseTooLargeError) {
        problems.push({ kind: 'limit', operation, limit: 'audit-response-size', value: error.limit, found: error.found, what: `${operation} ${where} answered with a response of ${error.announced ? '' : 'at least '}${error.found} bytes; it was not read`, ...(resource !== undefined ? { resource } : {}) });
      } else {
        problems.push({ kind: 'call-failed', operation, ...classifyAwsError(error), ...(resource !== undefined ? { resource } : {}) });
      }
      return undefined;
    }
  };

  /**
   * Every item of a paginated listing, bounded as the function's summary says. Undefined when the
   * first page could not be read; a failed later page keeps what came before it.
   */
  const list = async <T>(operation: string, resource: string | undefined, send: (token: string | undefined) => Promise<Page<T>>, idOf: (item: T) => string | undefined): Promise<T[] | undefined> => {
    const items: T[] = [];
    const ids = new Set<string>();
    let duplicates = 0;
    const tokens = new Set<string>();
    let token: string | undefined;
    // Items received, duplicates included, and at least one per page: pages of duplicates or empty
    // pages with fresh tokens must end too.
    let received = 0;
    const overLimit = (): T[] => {
      const distinct = duplicates > 0 ? ` (and ${duplicates} duplicates, dropped)` : '';
      problems.push({ kind: 'limit', operation, limit: 'audit-items', value: options.maxItems, found: received, what: `${operation} ${where} listed more than ${options.maxItems} items${distinct}; the rest were not read`, ...(resource !== undefined ? { resource } : {}) });
      return items;
    };
    for (let first = true; ; first = false) {
      const page = await call(operation, () => send(token), resource);
      if (page === undefined) return first ? undefined : items;
      received += Math.max(1, page.items.length);
      if (options.takeItems && !options.takeItems(page.items.length, `${operation} ${where}`)) throw new RegionStopped();
      for (const item of page.items) {
        const id = idOf(item);
        if (id !== undefined) {
          if (ids.has(id)) {
            duplicates++;
            continue;
          }
          ids.add(id);
        }
        if (items.length >= options.maxItems) return overLimit();
        items.push(item);
      }
      if (!page.next) return items;
      if (tokens.has(page.next) || page.next === token) {
        problems.push({ kind: 'loop', operation, token: page.next, itemsRead: items.length, ...(resource !== undefined ? { resource } : {}) });
        return items;
      }
      tokens.add(page.next);
      if (received > options.maxItems) return overLimit();
      token = page.next;
    }
  };

  /** The v1 (REST) listings: `limit` and `position`, items under `items`. */
  const v1 = <T>(send: (page: { limit: number; position?: string }) => Promise<{ items?: T[] | undefined; position?: string | undefined }>) => async (token: string | undefined): Promise<Page<T>> => {
    const output = await send({ limit: PAGE_SIZE, ...(token !== undefined ? { position: token } : {}) });
    return { items: output.items ?? [], next: output.position };
  };
  /** The v2 (HTTP, WebSocket) listings: `MaxResults` and `NextToken`, items under `Items`. */
  const v2 = <T>(send: (page: { MaxResults: string; NextToken?: string }) => Promise<{ Items?: T[] | undefined; NextToken?: string | undefined }>) => async (token: string | undefined): Promise<Page<T>> => {
    const output = await send({ MaxResults: String(PAGE_SIZE), ...(token !== undefined ? { NextToken: token } : {}) });
    return { items: output.Items ?? [], next: output.NextToken };
  };

  const result = (parts: Omit<RawRegion, 'account' | 'region' | 'partition' | 'problems' | 'calls'>): RawRegion => ({ account, region, partition, ...parts, problems, calls });
  const empty = { restApis: [], usagePlans: [], apiKeys: [], domainNames: [], v2Apis: [], v2DomainNames: [] };
  try {
    const restList = await list('GetRestApis', arn('/restapis'), v1((page) => clients.v1.send(new GetRestApisCommand(page))), (api) => api.id);
    if (restList === undefined) return result(empty);
    const v2List = (await list('GetApis', arn('/apis'), v2((page) => clients.v2.send(new GetApisCommand(page))), (api) => api.ApiId)) ?? [];

    const total = restList.length + v2List.length;
    let done = 0;
    const progress = (): void => options.onApi?.(++done, total);

    const restApis = await Promise.all(
      restList.map(async (api): Promise<RawRestApi> => {
        const id = api.id ?? '';
        const at = arn(`/restapis/${id}`);
        const [resources, authorizers, stages, gatewayResponses] = await Promise.all([
          list(`GetResources for restapi ${id}`, at, v1((page) => clients.v1.send(new GetResourcesCommand({ restApiId: id, embed: ['methods'], ...page }))), (resource) => resource.id),
          list(`GetAuthorizers for restapi ${id}`, at, v1((page) => clients.v1.send(new GetAuthorizersCommand({ restApiId: id, ...page }))), (authorizer) => authorizer.id),
          // GetStages has no pages; one answer is bounded like a page.
          list(`GetStages for restapi ${id}`, at, async () => ({ items: (await clients.v1.send(new GetStagesCommand({ restApiId: id }))).item ?? [] }), (stage) => stage.stageName),
          list(`GetGatewayResponses for restapi ${id}`, at, v1((page) => clients.v1.send(new GetGatewayResponsesCommand({ restApiId: id, ...page }))), (response) => response.responseType),
        ]);
        // Validators are read only for an API whose methods name one: most have none, and each call
        // counts against the account's rate limit.
        const namesValidator = (resources ?? []).some((resource) => Object.values(resource.resourceMethods ?? {}).some((method) => method.requestValidatorId));
        const requestValidators = namesValidator
          ? await list(`GetRequestValidators for restapi ${id}`, at, v1((page) => clients.v1.send(new GetRequestValidatorsCommand({ restApiId: id, ...page }))), (validator) => validator.id)
          : [];
        progress();
        return {
          api,
          resources: resources ?? [],
          authorizers: authorizers ?? [],
          stages: stages ?? [],
          gatewayResponses: gatewayResponses ?? [],
          // Not read: methods that name a validator are then unknown rather than unvalidated.
          ...(requestValidators ? { requestValidators } : {}),
        };
      }),
    );

    const v2Apis = await Promise.all(
      v2List.map(async (api): Promise<RawV2Api> => {
        const id = api.ApiId ?? '';
        const at = arn(`/apis/${id}`);
        const input = (page: { MaxResults: string; NextToken?: string }) => ({ ApiId: id, ...page });
        const [routes, authorizers, integrations, stages] = await Promise.all([
          list(`GetRoutes for api ${id}`, at, v2((page) => clients.v2.send(new GetRoutesCommand(input(page)))), (route) => route.RouteId),
          list(`GetAuthorizers for api ${id}`, at, v2((page) => clients.v2.send(new GetV2AuthorizersCommand(input(page)))), (authorizer) => authorizer.AuthorizerId),
          list(`GetIntegrations for api ${id}`, at, v2((page) => clients.v2.send(new GetIntegrationsCommand(input(page)))), (integration) => integration.IntegrationId),
          list(`GetStages for api ${id}`, at, v2((page) => clients.v2.send(new GetV2StagesCommand(input(page)))), (stage) => stage.StageName),
        ]);
        progress();
        return { api, routes: routes ?? [], authorizers: authorizers ?? [], integrations: integrations ?? [], stages: stages ?? [] };
      }),
    );

    const [plans, apiKeys, domains, v2Domains] = await Promise.all([
      list('GetUsagePlans', arn('/usageplans'), v1((page) => clients.v1.send(new GetUsagePlansCommand(page))), (plan) => plan.id),
      // includeValues stays false: gatewarden never reads a key's value.
      list('GetApiKeys', arn('/apikeys'), v1((page) => clients.v1.send(new GetApiKeysCommand({ includeValues: false, ...page }))), (key) => key.id),
      list('GetDomainNames', arn('/domainnames'), v1((page) => clients.v1.send(new GetDomainNamesCommand(page))), (domain) => (domain.domainName !== undefined ? `${domain.domainName} ${domain.domainNameId ?? ''}` : undefined)),
      list('GetDomainNames (v2)', arn('/domainnames'), v2((page) => clients.v2.send(new GetV2DomainNamesCommand(page))), (domain) => domain.DomainName),
    ]);
    const usagePlans = await Promise.all(
      (plans ?? []).map(async (plan) => {
        const id = plan.id ?? '';
        return { plan, keys: (await list(`GetUsagePlanKeys for usage plan ${id}`, arn(`/usageplans/${id}`), v1((page) => clients.v1.send(new GetUsagePlanKeysCommand({ usagePlanId: id, ...page }))), (key) => key.id)) ?? [] };
      }),
    );
    const domainNames = await Promise.all(
      (domains ?? []).map(async (domain) => {
        const name = domain.domainName ?? '';
        return { domain, mappings: (await list(`GetBasePathMappings for ${name}`, arn(`/domainnames/${name}`), v1((page) => clients.v1.send(new GetBasePathMappingsCommand({ domainName: name, ...page }))), (mapping) => mapping.basePath)) ?? [] };
      }),
    );
    const v2DomainNames = await Promise.all(
      (v2Domains ?? []).map(async (domain) => {
        const name = domain.DomainName ?? '';
        return { domain, mappings: (await list(`GetApiMappings for ${name}`, arn(`/domainnames/${name}`), v2((page) => clients.v2.send(new GetApiMappingsCommand({ DomainName: name, ...page }))), (mapping) => mapping.ApiMappingId)) ?? [] };
      }),
    );
    return result({ restApis, usagePlans, apiKeys: apiKeys ?? [], domainNames, v2Apis, v2DomainNames });
  } catch (error) {
    if (!(error instanceof RegionStopped)) throw error;
    return { ...result(empty), stopped: { inFlight: [...inFlight.keys()] } };
  } finally {
    stop?.removeEventListener('abort', onStop);
  }
}
