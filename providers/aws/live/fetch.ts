import {
  GetAuthorizersCommand,
  GetGatewayResponsesCommand,
  GetStagesCommand,
  paginateGetApiKeys,
  paginateGetBasePathMappings,
  paginateGetDomainNames,
  paginateGetResources,
  paginateGetRestApis,
  paginateGetUsagePlanKeys,
  paginateGetUsagePlans,
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
import type { LiveProblem, RawRegion, RawRestApi, RawV2Api } from './raw.js';

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
  /** Called as APIs are read, for a progress display. */
  readonly onApi?: (done: number, total: number) => void;
}

/** Runs tasks with at most `limit` in flight. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function errorOf(error: unknown): { error: string; message: string } {
  const named = error as { name?: unknown; message?: unknown; Code?: unknown };
  return { error: typeof named.name === 'string' ? named.name : 'Error', message: typeof named.message === 'string' ? named.message : String(error) };
}

/**
 * Reads one region of API Gateway, REST and HTTP/WebSocket APIs, with `Get*` calls only: REST
 * resources with their methods in one paginated `GetResources?embed=methods`, then authorizers,
 * stages and gateway responses per API (four calls per API when nothing needs a second page); HTTP
 * and WebSocket APIs with their routes, authorizers, integrations and stages; usage plans and their
 * keys, API keys without their values, custom domains and their mappings. Every list is read to its
 * last page. A call that fails is recorded as a problem and the rest goes on; a region that refuses
 * the first call is not read further.
 */
export async function fetchRegion(clients: RegionClients, options: FetchOptions): Promise<RawRegion> {
  const run = limiter(options.concurrency);
  const problems: LiveProblem[] = [];
  let calls = 0;
  const call = async <T>(operation: string, task: () => Promise<T>, resource?: string): Promise<T | undefined> => {
    try {
      return await run(() => {
        calls++;
        return task();
      });
    } catch (error) {
      problems.push({ operation, ...errorOf(error), ...(resource !== undefined ? { resource } : {}) });
      return undefined;
    }
  };
  /** Every item of a paginated list; a failed page keeps what came before it. */
  const all = async <T>(operation: string, pages: () => AsyncIterable<{ items?: T[] | undefined }>, resource?: string): Promise<T[] | undefined> => {
    const items: T[] = [];
    try {
      const iterator = pages()[Symbol.asyncIterator]();
      for (;;) {
        const page = await run(() => iterator.next());
        // The paginator's last step only says it is done: it makes no request.
        if (page.done) break;
        calls++;
        items.push(...(page.value.items ?? []));
      }
      return items;
    } catch (error) {
      problems.push({ operation, ...errorOf(error), ...(resource !== undefined ? { resource } : {}) });
      return items.length > 0 ? items : undefined;
    }
  };
  const manual = async <T>(operation: string, page: (position: string | undefined) => Promise<{ items?: T[] | undefined; next?: string }>, resource?: string): Promise<T[]> => {
    const items: T[] = [];
    let position: string | undefined;
    do {
      const result = await call(operation, () => page(position), resource);
      if (!result) break;
      items.push(...(result.items ?? []));
      position = result.next;
    } while (position);
    return items;
  };

  const empty = (): RawRegion => ({ account: options.account, region: options.region, partition: options.partition, restApis: [], usagePlans: [], apiKeys: [], domainNames: [], v2Apis: [], v2DomainNames: [], problems, calls });
  const restList = await all('GetRestApis', () => paginateGetRestApis({ client: clients.v1, pageSize: 500 }, {}));
  if (restList === undefined) return empty();
  const v2List = await manual('GetApis', async (next) => {
    const output = await clients.v2.send(new GetApisCommand({ MaxResults: '500', ...(next ? { NextToken: next } : {}) }));
    return { items: output.Items ?? [], ...(output.NextToken ? { next: output.NextToken } : {}) };
  });

  const total = restList.length + v2List.length;
  let done = 0;
  const progress = (): void => options.onApi?.(++done, total);

  const restApis = await Promise.all(
    restList.map(async (api): Promise<RawRestApi> => {
      const id = api.id ?? '';
      const [resources, authorizers, stages, gatewayResponses] = await Promise.all([
        all(`GetResources for restapi ${id}`, () => paginateGetResources({ client: clients.v1, pageSize: 500 }, { restApiId: id, embed: ['methods'] }), id),
        manual(`GetAuthorizers for restapi ${id}`, async (position) => {
          const output = await clients.v1.send(new GetAuthorizersCommand({ restApiId: id, limit: 500, ...(position ? { position } : {}) }));
          return { items: output.items ?? [], ...(output.position ? { next: output.position } : {}) };
        }, id),
        call(`GetStages for restapi ${id}`, () => clients.v1.send(new GetStagesCommand({ restApiId: id })), id),
        manual(`GetGatewayResponses for restapi ${id}`, async (position) => {
          const output = await clients.v1.send(new GetGatewayResponsesCommand({ restApiId: id, limit: 500, ...(position ? { position } : {}) }));
          return { items: output.items ?? [], ...(output.position ? { next: output.position } : {}) };
        }, id),
      ]);
      progress();
      return { api, resources: resources ?? [], authorizers, stages: stages?.item ?? [], gatewayResponses };
    }),
  );

  const v2Apis = await Promise.all(
    v2List.map(async (api): Promise<RawV2Api> => {
      const id = api.ApiId ?? '';
      const list = <T>(operation: string, send: (next: string | undefined) => Promise<{ Items?: T[] | undefined; NextToken?: string | undefined }>): Promise<T[]> =>
        manual(`${operation} for api ${id}`, async (next) => {
          const output = await send(next);
          return { items: output.Items ?? [], ...(output.NextToken ? { next: output.NextToken } : {}) };
        }, id);
      const page = (next: string | undefined) => ({ ApiId: id, MaxResults: '500', ...(next ? { NextToken: next } : {}) });
      const [routes, authorizers, integrations, stages] = await Promise.all([
        list('GetRoutes', (next) => clients.v2.send(new GetRoutesCommand(page(next)))),
        list('GetAuthorizers', (next) => clients.v2.send(new GetV2AuthorizersCommand(page(next)))),
        list('GetIntegrations', (next) => clients.v2.send(new GetIntegrationsCommand(page(next)))),
        list('GetStages', (next) => clients.v2.send(new GetV2StagesCommand(page(next)))),
      ]);
      progress();
      return { api, routes, authorizers, integrations, stages };
    }),
  );

  const [plans, apiKeys, domains, v2Domains] = await Promise.all([
    all('GetUsagePlans', () => paginateGetUsagePlans({ client: clients.v1, pageSize: 500 }, {})),
    // includeValues stays false: gatewarden never reads a key's value.
    all('GetApiKeys', () => paginateGetApiKeys({ client: clients.v1, pageSize: 500 }, { includeValues: false })),
    all('GetDomainNames', () => paginateGetDomainNames({ client: clients.v1, pageSize: 500 }, {})),
    manual('GetDomainNames (v2)', async (next) => {
      const output = await clients.v2.send(new GetV2DomainNamesCommand({ MaxResults: '500', ...(next ? { NextToken: next } : {}) }));
      return { items: output.Items ?? [], ...(output.NextToken ? { next: output.NextToken } : {}) };
    }),
  ]);
  const usagePlans = await Promise.all(
    (plans ?? []).map(async (plan) => ({
      plan,
      keys: (await all(`GetUsagePlanKeys for usage plan ${plan.id ?? ''}`, () => paginateGetUsagePlanKeys({ client: clients.v1, pageSize: 500 }, { usagePlanId: plan.id ?? '' }), plan.id)) ?? [],
    })),
  );
  const domainNames = await Promise.all(
    (domains ?? []).map(async (domain) => ({
      domain,
      mappings: (await all(`GetBasePathMappings for ${domain.domainName ?? ''}`, () => paginateGetBasePathMappings({ client: clients.v1, pageSize: 500 }, { domainName: domain.domainName ?? '' }), domain.domainName)) ?? [],
    })),
  );
  const v2DomainNames = await Promise.all(
    v2Domains.map(async (domain) => ({
      domain,
      mappings: await manual(`GetApiMappings for ${domain.DomainName ?? ''}`, async (next) => {
        const output = await clients.v2.send(new GetApiMappingsCommand({ DomainName: domain.DomainName ?? '', MaxResults: '500', ...(next ? { NextToken: next } : {}) }));
        return { items: output.Items ?? [], ...(output.NextToken ? { next: output.NextToken } : {}) };
      }, domain.DomainName),
    })),
  );
  return { account: options.account, region: options.region, partition: options.partition, restApis, usagePlans, apiKeys: apiKeys ?? [], domainNames, v2Apis, v2DomainNames, problems, calls };
}
