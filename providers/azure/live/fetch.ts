import { Unknown } from '../../../src/model/unknown.js';
import type { ValueObject } from '../../../src/sources/view/value.js';
import type { AzureProblem, RawArmObject, RawInstance } from './raw.js';
import { APIM_API_VERSION, ArmCallError, ArmCallStopped, type ArmSession } from './session.js';
import { limiter } from '../../shared/concurrency.js';

/** How to read one instance. */
export interface FetchInstanceOptions {
  readonly session: ArmSession;
  /** Calls in flight at once for this instance. */
  readonly concurrency: number;
  /** The `audit-items` limit: items one listing may return. */
  readonly maxItems: number;
  /** The `audit-response-size` limit, for the problem that names it. */
  readonly maxResponseBytes: number;
  /** Counts listed items against the audit's `entities` budget; false when it is spent. */
  readonly takeItems: (count: number, operation: string) => boolean;
  readonly stop: AbortSignal;
  readonly onApi?: (done: number, total: number) => void;
}

/** What Resource Manager lists: a page of items and the link to the next page. */
interface ArmPage {
  readonly value?: unknown;
  readonly nextLink?: unknown;
}

type Wire = Readonly<Record<string, unknown>>;

const SERVICE_TYPE = 'Microsoft.ApiManagement/service';

function isWire(value: unknown): value is Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `properties` envelope of a wire object, as values the translation reads. */
function propertiesOf(item: Wire): ValueObject {
  return isWire(item.properties) ? (item.properties as ValueObject) : {};
}

function query(extra: string = ''): string {
  return `?api-version=${APIM_API_VERSION}${extra}`;
}

/**
 * A named value without its secret: a secret's value is never requested (`listValue` is a POST) and
 * GET does not return it; a Key Vault reference says where it is kept. A plain value is kept in
 * memory to resolve `{{name}}` in policies, as a template's is.
 */
function namedValueBody(item: Wire): ValueObject {
  const p = propertiesOf(item);
  const properties: ValueObject = { displayName: p.displayName ?? null, secret: p.secret ?? false };
  // The value is in Key Vault: the reference says so, and there is no value to keep.
  if (isWire(p.keyVault)) properties.keyVault = { secretIdentifier: (p.keyVault as ValueObject).secretIdentifier ?? null };
  // A secret's value is unknown to the audit (and a policy that uses it reads an unknown), never empty.
  else if (p.secret === true) properties.value = new Unknown('a secret named value: its value is never read by an audit');
  else if (p.value !== undefined) properties.value = p.value;
  return { properties };
}

/**
 * Reads one API Management instance with GET calls only, every listing to its last page: the
 * global policy and policy fragments, the APIs (current revisions, and other revisions that are
 * online) with their operations and the policies at API and operation scope (`format=rawxml`), the
 * products with their APIs and policies, subscriptions (scope and state, never keys), named values
 * (never a secret's value), backends, self-hosted gateways and the managed identity's type.
 * Policies are fetched for the scopes that have one (listed by `allPolicies`, or asked scope by
 * scope where that listing is not offered, a 404 then meaning no policy). Any other failure is a
 * problem, and then the instance is not audited: a partial read would report protections it has as
 * missing.
 */
export async function fetchInstance(service: Wire, subscriptionId: string, options: FetchInstanceOptions): Promise<RawInstance> {
  const { session, stop } = options;
  const serviceId = String(service.id);
  const name = String(service.name);
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(serviceId)?.[1] ?? '';
  const objects: RawArmObject[] = [];
  const problems: AzureProblem[] = [];
  const inFlight = new Set<string>();
  let stopped = false;
  // Set at the first 404 of a listing: the instance is gone, and the calls still queued are not sent.
  let gone = false;
  const run = limiter(options.concurrency);
  const add = (type: string, names: readonly string[], id: string, body: ValueObject): void => {
    objects.push({ type: `${SERVICE_TYPE}${type}`, names: [name, ...names], id, body });
  };
  // The managed identity's type only: its principal and tenant ids say nothing about exposure.
  const identity = isWire(service.identity) && typeof service.identity.type === 'string' ? { identity: { type: service.identity.type } } : {};
  // The service's resource tags, text values only: owners are read from them (an API has none of its own).
  const tags = isWire(service.tags) ? Object.fromEntries(Object.entries(service.tags).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
  add('', [], serviceId, {
    sku: (service.sku ?? null) as ValueObject,
    properties: propertiesOf(service),
    ...(typeof service.location === 'string' ? { location: service.location } : {}),
    ...identity,
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  });

  /** One GET through the limiter; undefined when it failed (a problem is recorded) or the audit stopped. */
  /**
   * `tolerated` says which failures are an answer rather than a problem: a policy that is not there
   * (404), a listing the instance does not offer. Those give undefined without a problem.
   */
  const call = (operation: string, resource: string, path: string, tolerated: (error: ArmCallError) => boolean = () => false): Promise<unknown> =>
    run(async () => {
      if (stopped || stop.aborted) {
        stopped = true;
        return undefined;
      }
      if (gone) return undefined;
      inFlight.add(operation);
      try {
        return await session.get(path);
      } catch (error) {
        if (error instanceof ArmCallStopped) stopped = true;
        else if (error instanceof ArmCallError) {
          if (tolerated(error)) return undefined;
          if (error.tooLarge !== undefined) {
            problems.push({ kind: 'limit', operation, limit: 'audit-response-size', value: options.maxResponseBytes, found: error.tooLarge, what: 'the response was not read', resource });
          } else {
            if (error.status === 404) gone = true;
            problems.push({ kind: 'call-failed', operation, ...(error.status !== undefined ? { status: error.status } : {}), code: error.code, message: error.message, errorClass: error.errorClass, resource });
          }
        } else throw error;
        return undefined;
      } finally {
        inFlight.delete(operation);
      }
    });

  /** Every item of a listing, page after page; undefined when a page failed. */
  const list = async (operation: string, resource: string, path: string, tolerated?: (error: ArmCallError) => boolean): Promise<Wire[] | undefined> => {
    const items: Wire[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    while (next !== undefined) {
      const page = (await call(operation, resource, next, tolerated)) as ArmPage | undefined;
      if (page === undefined) return undefined;
      const value = Array.isArray(page.value) ? page.value.filter(isWire) : [];
      if (items.length + value.length > options.maxItems) {
        problems.push({ kind: 'limit', operation, limit: 'audit-items', value: options.maxItems, found: items.length + value.length, what: `the items after the first ${options.maxItems} were not read`, resource });
        return undefined;
      }
      if (!options.takeItems(value.length, operation)) {
        stopped = true;
        return undefined;
      }
      items.push(...value);
      const link = typeof page.nextLink === 'string' && page.nextLink !== '' ? page.nextLink : undefined;
      if (link !== undefined && seen.has(link)) {
        problems.push({ kind: 'loop', operation, nextLink: link, itemsRead: items.length, resource });
        return undefined;
      }
      if (link !== undefined) seen.add(link);
      next = link;
    }
    return items;
  };

  // Which scopes have a policy, in one listing (`allPolicies`, API version 2024-05-01), so that only
  // those are fetched: one call per policy instead of one per scope. An instance or a role that does
  // not offer the listing is asked scope by scope, where a 404 means no policy.
  const unsupported = (error: ArmCallError): boolean => error.status === 400 || error.status === 403 || error.status === 404 || error.status === 405;
  const all = await list(`the policies of ${name}`, serviceId, `${serviceId}/allPolicies${query()}`, unsupported);
  const existing = all === undefined ? undefined : new Set(all.map((item) => String(propertiesOf(item).referencePolicyId ?? item.id ?? '').toLowerCase()));

  /** A scope's policy as `rawxml`: absent when the scope has none. */
  const policy = async (operation: string, scopeId: string, type: string, names: readonly string[]): Promise<void> => {
    const id = `${scopeId}/policies/policy`;
    if (existing !== undefined && !existing.has(id.toLowerCase())) return;
    const found = await call(operation, id, `${id}${query('&format=rawxml')}`, (error) => error.status === 404);
    if (!isWire(found)) return;
    const p = propertiesOf(found);
    add(type, [...names, 'policy'], id, { properties: { format: p.format ?? 'rawxml', value: p.value ?? null } });
  };

  const base = `${serviceId}`;
  // Self-hosted gateways exist on the Developer and Premium tiers only; another tier may refuse the listing.
  const noGateways = (error: ArmCallError): boolean => error.status === 400 || error.status === 404 || error.status === 405;
  const [apis, products, subscriptions, namedValues, backends, fragments, gateways] = await Promise.all([
    list(`the APIs of ${name}`, serviceId, `${base}/apis${query()}`),
    list(`the products of ${name}`, serviceId, `${base}/products${query()}`),
    list(`the subscriptions of ${name}`, serviceId, `${base}/subscriptions${query()}`),
    list(`the named values of ${name}`, serviceId, `${base}/namedValues${query()}`),
    list(`the backends of ${name}`, serviceId, `${base}/backends${query()}`),
    list(`the policy fragments of ${name}`, serviceId, `${base}/policyFragments${query('&format=rawxml')}`),
    list(`the self-hosted gateways of ${name}`, serviceId, `${base}/gateways${query()}`, noGateways),
    policy(`the global policy of ${name}`, serviceId, '/policies', []),
  ]);

  for (const item of subscriptions ?? []) {
    const p = propertiesOf(item);
    // Scope and state only: keys are never kept, even where a response carries them.
    add('/subscriptions', [String(item.name)], `${base}/subscriptions/${String(item.name)}`, { properties: { displayName: p.displayName ?? null, scope: p.scope ?? null, state: p.state ?? null } });
  }
  for (const item of namedValues ?? []) add('/namedValues', [String(item.name)], `${base}/namedValues/${String(item.name)}`, namedValueBody(item));
  for (const item of gateways ?? []) {
    const p = propertiesOf(item);
    add('/gateways', [String(item.name)], `${base}/gateways/${String(item.name)}`, { properties: { locationData: p.locationData ?? null, description: p.description ?? null } });
  }
  for (const item of backends ?? []) add('/backends', [String(item.name)], `${base}/backends/${String(item.name)}`, { properties: propertiesOf(item) });
  await Promise.all(
    (fragments ?? []).map(async (item) => {
      const id = `${base}/policyFragments/${String(item.name)}`;
      let p = propertiesOf(item);
      // A listing may leave the text out; the fragment itself has it.
      if (p.value === undefined) {
        const found = await call(`policy fragment ${String(item.name)} of ${name}`, id, `${id}${query('&format=rawxml')}`);
        if (!isWire(found)) return;
        p = propertiesOf(found);
      }
      add('/policyFragments', [String(item.name)], id, { properties: { format: p.format ?? 'rawxml', value: p.value ?? null } });
    }),
  );

  // Current revisions, and the other revisions that are online: the gateway serves those too, at
  // `path;rev=N`, each with its own operations and policy. An offline revision is not reachable.
  const current = (apis ?? []).filter((item) => {
    const p = propertiesOf(item);
    const isCurrent = p.isCurrent !== false && !String(item.name).includes(';rev=');
    return isCurrent || p.isOnline === true;
  });
  let apisDone = 0;
  await Promise.all([
    ...current.map(async (item) => {
      const api = String(item.name);
      const apiId = `${base}/apis/${api}`;
      add('/apis', [api], apiId, { properties: propertiesOf(item) });
      const [operations] = await Promise.all([list(`the operations of API ${api} of ${name}`, apiId, `${apiId}/operations${query()}`), policy(`the policy of API ${api} of ${name}`, apiId, '/apis/policies', [api])]);
      await Promise.all(
        (operations ?? []).map(async (operation) => {
          const id = `${apiId}/operations/${String(operation.name)}`;
          add('/apis/operations', [api, String(operation.name)], id, { properties: propertiesOf(operation) });
          await policy(`the policy of operation ${String(operation.name)} of API ${api} of ${name}`, id, '/apis/operations/policies', [api, String(operation.name)]);
        }),
      );
      options.onApi?.(++apisDone, current.length);
    }),
    ...(products ?? []).map(async (item) => {
      const product = String(item.name);
      const productId = `${base}/products/${product}`;
      add('/products', [product], productId, { properties: propertiesOf(item) });
      const [linked] = await Promise.all([list(`the APIs of product ${product} of ${name}`, productId, `${productId}/apis${query()}`), policy(`the policy of product ${product} of ${name}`, productId, '/products/policies', [product])]);
      for (const api of linked ?? []) add('/products/apis', [product, String(api.name)], `${productId}/apis/${String(api.name)}`, {});
    }),
  ]);

  return {
    subscriptionId,
    resourceGroup,
    name,
    id: serviceId,
    objects,
    problems,
    ...(stopped ? { stopped: { inFlight: [...inFlight] } } : {}),
  };
}
