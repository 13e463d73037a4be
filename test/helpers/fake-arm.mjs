// A fake Azure Resource Manager on 127.0.0.1 for Microsoft.ApiManagement reads, speaking ARM's wire
// format (api-version query, `{ value, nextLink }` pages, the `properties` envelope, `{ error: { code,
// message } }` bodies), so that the real ApiManagementClient pipeline can be tested against it:
// pagination, throttling with Retry-After, a denied subscription, an instance deleted mid-run,
// malformed bodies, and ARM's read limit (a token bucket per subscription). It records every request.
// Used by tests and by `npm run bench`: plain JavaScript so both can import it; types in fake-arm.d.mts.
import http from 'node:http';

/** @typedef {import('./fake-arm.d.mts').FakeArmOptions} FakeArmOptions */

const ARM = 'https://management.azure.com';

function serviceId(subscription, service) {
  return `/subscriptions/${subscription}/resourceGroups/${service.resourceGroup}/providers/Microsoft.ApiManagement/service/${service.name}`;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeArm(options) {
  const requests = [];
  /** The body of every 200 answer, by path and query: what `replay` serves again. */
  const recorded = {};
  const deleted = new Set();
  const pageSize = options.pageSize ?? 100;
  let throttled = 0;
  let throttledByLimit = 0;
  /** ARM's read limit per subscription: tokens left and when they were counted. */
  const buckets = new Map();
  /**
   * Takes a read token of the subscription's bucket: the tokens left, or the seconds until the next
   * one (then the request is refused and takes none, as ARM does).
   */
  const takeToken = (subscriptionId) => {
    const limit = options.readLimit;
    if (!limit) return { remaining: undefined };
    const now = performance.now();
    const bucket = buckets.get(subscriptionId) ?? { tokens: limit.bucket, at: now };
    bucket.tokens = Math.min(limit.bucket, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    buckets.set(subscriptionId, bucket);
    if (bucket.tokens < 1) return { retryAfter: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond)) };
    bucket.tokens -= 1;
    return { remaining: Math.floor(bucket.tokens) };
  };
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (options.delayMs !== undefined) setTimeout(() => answer(req, res), options.delayMs);
    else answer(req, res);
  });
  const answer = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    /** Headers of a subscription's answers: the reads left, as ARM's header says. */
    let rateHeaders = {};
    const record = { method: req.method ?? '', path: url.pathname, query: url.search, authorization: req.headers.authorization };
    requests.push(record);
    const send = (status, body, headers = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders, ...headers });
      const text = JSON.stringify(body);
      if (status === 200 && url.pathname !== '/msi/token') recorded[`${url.pathname}${url.search}`] = body;
      if (options.pad?.path.test(url.pathname.toLowerCase())) {
        // Chunked: the size shows only as the bytes arrive.
        for (let sent = 0; sent < options.pad.bytes; sent += 8192) res.write(' '.repeat(8192));
      }
      res.end(text);
    };
    const error = (status, code, message, headers = {}) => send(status, { error: { code, message } }, headers);
    if (options.identity && url.pathname === '/msi/token') {
      if (req.headers['x-identity-header'] !== options.identity.header) return send(401, { error: 'invalid_request', error_description: 'missing X-IDENTITY-HEADER' });
      const expires = String(Math.floor(Date.now() / 1000) + 3600);
      return send(200, { access_token: options.token ?? 'fake-arm-token', expires_on: expires, resource: url.searchParams.get('resource'), token_type: 'Bearer' });
    }
    if (options.hang?.test(url.pathname.toLowerCase())) return;
    if (req.headers.authorization !== `Bearer ${options.token ?? 'fake-arm-token'}`) return error(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or not a valid bearer token.');
    if (req.method !== 'GET') return error(405, 'MethodNotAllowed', `The fake allows GET only, not ${req.method}`);
    if (!url.searchParams.get('api-version')) return error(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    if (options.throttleFirst !== undefined && throttled < options.throttleFirst) {
      throttled++;
      return error(429, 'TooManyRequests', 'The request is being throttled.', options.retryAfter !== undefined ? { 'retry-after': options.retryAfter } : {});
    }
    const path = url.pathname.toLowerCase();
    if (options.replay) {
      // Recorded answers, by path and query as the audit asks them; anything else was not there.
      const body = options.replay[`${url.pathname}${url.search}`];
      return body === undefined ? error(404, 'ResourceNotFound', `nothing was recorded for ${url.pathname}`) : send(200, body);
    }
    if (options.malformed?.test(path)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"value": [ {"id": ');
      return;
    }
    /** A listing, page by page through `$skiptoken`, with ARM's absolute nextLink. */
    const list = (items) => {
      const start = Number(url.searchParams.get('$skiptoken') ?? 0);
      const next = start + pageSize < items.length ? start + pageSize : undefined;
      const nextLink = next === undefined ? undefined : `${options.selfLinks ? `http://${req.headers.host}` : ARM}${url.pathname}?api-version=${url.searchParams.get('api-version')}${url.searchParams.has('format') ? `&format=${url.searchParams.get('format')}` : ''}&$skiptoken=${next}`;
      send(200, { value: items.slice(start, start + pageSize), ...(nextLink ? { nextLink } : {}) });
    };
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 1 && path === '/subscriptions') {
      return list(Object.entries(options.subscriptions).map(([id, subscription]) => ({ id: `/subscriptions/${id}`, subscriptionId: id, displayName: subscription.displayName ?? id, state: subscription.state ?? 'Enabled' })));
    }
    const subscriptionId = parts[1] ?? '';
    if (parts[0]?.toLowerCase() !== 'subscriptions') return error(404, 'NotFound', 'not found');
    if (options.deny?.includes(subscriptionId)) return error(403, 'AuthorizationFailed', `The client 'fake-principal' does not have authorization to perform action 'Microsoft.ApiManagement/service/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid.`);
    const token = takeToken(subscriptionId);
    if (token.retryAfter !== undefined) {
      throttledByLimit++;
      return error(429, 'SubscriptionRequestsThrottled', `Number of 'read' requests for subscription '${subscriptionId}' exceeded the limit. Please try again after '${token.retryAfter}' seconds.`, { 'retry-after': String(token.retryAfter) });
    }
    if (token.remaining !== undefined) rateHeaders = { 'x-ms-ratelimit-remaining-subscription-reads': String(token.remaining) };
    const subscription = options.subscriptions[subscriptionId];
    if (!subscription) return error(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    const wireService = (service) => {
      const properties = service.properties ?? {};
      const custom = Array.isArray(properties.hostnameConfigurations) ? properties.hostnameConfigurations : [];
      return {
        id: serviceId(subscriptionId, service),
        type: 'Microsoft.ApiManagement/service',
        name: service.name,
        location: service.location ?? 'West Europe',
        sku: service.sku ?? { name: 'Developer', capacity: 1 },
        ...(service.identity ? { identity: service.identity } : {}),
        ...(service.tags ? { tags: service.tags } : {}),
        properties: {
          publisherEmail: 'api-team@contoso.example',
          publisherName: 'Contoso',
          provisioningState: 'Succeeded',
          gatewayUrl: `https://${service.name}.azure-api.net`,
          ...properties,
          hostnameConfigurations: [{ type: 'Proxy', hostName: `${service.name}.azure-api.net`, negotiateClientCertificate: service.defaultHostnameNegotiatesClientCertificate ?? false, defaultSslBinding: true, certificateSource: 'BuiltIn' }, ...custom],
        },
      };
    };
    // /subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.ApiManagement/service[/{name}/...]
    let rest = parts.slice(2);
    let group;
    if (rest[0]?.toLowerCase() === 'resourcegroups') {
      group = rest[1];
      rest = rest.slice(2);
    }
    if (rest[0]?.toLowerCase() !== 'providers' || rest[1]?.toLowerCase() !== 'microsoft.apimanagement' || rest[2]?.toLowerCase() !== 'service') return error(404, 'InvalidResourceType', 'The resource type could not be found.');
    const inGroup = subscription.services.filter((service) => group === undefined || service.resourceGroup.toLowerCase() === group.toLowerCase());
    if (rest.length === 3) {
      const shown = inGroup.filter((service) => !deleted.has(service.name));
      for (const service of shown) if (options.deleteAfterListing?.includes(service.name)) deleted.add(service.name);
      return list(shown.map(wireService));
    }
    const service = inGroup.find((candidate) => candidate.name.toLowerCase() === rest[3]?.toLowerCase());
    const notFound = () => error(404, 'ResourceNotFound', `The Resource 'Microsoft.ApiManagement/service/${rest[3]}' under resource group '${group}' was not found.`);
    if (!service || deleted.has(service.name) || group === undefined) return notFound();
    const id = serviceId(subscriptionId, service);
    const child = rest.slice(4).map((part) => decodeURIComponent(part));
    const key = child.map((part, index) => (index % 2 === 0 ? part.toLowerCase() : part));
    const item = (type, itemId, name, properties) => ({ id: itemId, type: `Microsoft.ApiManagement/service/${type}`, name, properties });
    const policy = (itemId, type, value) => {
      if (value === undefined) return error(404, 'ResourceNotFound', 'Unable to find policy configuration.');
      send(200, item(type, `${itemId}/policies/policy`, 'policy', { format: url.searchParams.get('format') ?? 'xml', value }));
    };
    // A non-current revision is an API of its own, named `orders;rev=2`, listed with the current ones.
    const apis = (service.apis ?? []).flatMap((each) => [
      { ...each, properties: { isCurrent: true, apiRevision: '1', isOnline: true, ...each.properties } },
      ...(each.revisions ?? []).map((revision) => ({
        ...revision,
        name: `${each.name};rev=${revision.revision}`,
        properties: { ...each.properties, ...revision.properties, isCurrent: false, apiRevision: revision.revision, isOnline: revision.isOnline ?? true },
      })),
    ]);
    const api = apis.find((candidate) => candidate.name === key[1]);
    const product = service.products?.find((candidate) => candidate.name === key[1]);
    const operation = api?.operations?.find((candidate) => candidate.name === key[3]);
    const route = key.map((part, index) => (index % 2 === 0 ? part : '*')).join('/');
    switch (route) {
      case '':
        return send(200, wireService(service));
      case 'policies/*':
        return key[1] === 'policy' ? policy(id, 'policies', service.policy) : notFound();
      case 'allpolicies': {
        if (options.noAllPolicies) return notFound();
        const ids = [
          ...(service.policy !== undefined ? [`${id}/policies/policy`] : []),
          ...apis.flatMap((each) => [
            ...(each.policy !== undefined ? [`${id}/apis/${each.name}/policies/policy`] : []),
            ...(each.operations ?? []).filter((op) => op.policy !== undefined).map((op) => `${id}/apis/${each.name}/operations/${op.name}/policies/policy`),
          ]),
          ...(service.products ?? []).filter((each) => each.policy !== undefined).map((each) => `${id}/products/${each.name}/policies/policy`),
        ];
        return list(ids.map((policyId, index) => item('allPolicies', `${id}/allPolicies/${index}`, String(index), { referencePolicyId: policyId, complianceState: 'Compliant' })));
      }
      case 'policyfragments':
        return list(Object.entries(service.fragments ?? {}).map(([name, value]) => item('policyFragments', `${id}/policyFragments/${name}`, name, { format: url.searchParams.get('format') ?? 'xml', value })));
      case 'apis':
        return list(apis.map((each) => item('apis', `${id}/apis/${each.name}`, each.name, each.properties)));
      case 'apis/*/operations':
        return api ? list((api.operations ?? []).map((each) => item('apis/operations', `${id}/apis/${api.name}/operations/${each.name}`, each.name, each.properties))) : notFound();
      case 'apis/*/policies/*':
        return api && key[3] === 'policy' ? policy(`${id}/apis/${api.name}`, 'apis/policies', api.policy) : notFound();
      case 'apis/*/operations/*/policies/*':
        return api && operation && key[5] === 'policy' ? policy(`${id}/apis/${api.name}/operations/${operation.name}`, 'apis/operations/policies', operation.policy) : notFound();
      case 'products':
        return list((service.products ?? []).map((each) => item('products', `${id}/products/${each.name}`, each.name, each.properties)));
      case 'products/*/apis':
        return product ? list((product.apis ?? []).map((name) => item('products/apis', `${id}/products/${product.name}/apis/${name}`, name, service.apis?.find((each) => each.name === name)?.properties ?? {}))) : notFound();
      case 'products/*/policies/*':
        return product && key[3] === 'policy' ? policy(`${id}/products/${product.name}`, 'products/policies', product.policy) : notFound();
      case 'subscriptions':
        return list((service.subscriptions ?? []).map((each) => item('subscriptions', `${id}/subscriptions/${String(each.name)}`, String(each.name), each.properties)));
      case 'namedvalues':
        return list((service.namedValues ?? []).map((each) => item('namedValues', `${id}/namedValues/${String(each.name)}`, String(each.name), each.properties)));
      case 'gateways':
        return list((service.gateways ?? []).map((each) => item('gateways', `${id}/gateways/${String(each.name)}`, String(each.name), each.properties)));
      case 'backends':
        return list((service.backends ?? []).map((each) => item('backends', `${id}/backends/${String(each.name)}`, String(each.name), each.properties)));
      case 'diagnostics':
        return list((service.diagnostics ?? []).map((each) => item('diagnostics', `${id}/diagnostics/${String(each.name)}`, String(each.name), each.properties)));
      case 'apis/*/diagnostics':
        return api ? list((api.diagnostics ?? []).map((each) => item('apis/diagnostics', `${id}/apis/${api.name}/diagnostics/${String(each.name)}`, String(each.name), each.properties))) : notFound();
      case 'providers/*/diagnosticsettings':
        // Azure Monitor's diagnostic settings of the service (Microsoft.Insights, its own type and API version).
        if (options.denyMonitor) return error(403, 'AuthorizationFailed', "The client 'fake-principal' does not have authorization to perform action 'Microsoft.Insights/diagnosticSettings/read'.");
        return key[1].toLowerCase() === 'microsoft.insights'
          ? list((service.diagnosticSettings ?? []).map((each) => ({ id: `${id}/providers/microsoft.insights/diagnosticSettings/${String(each.name)}`, type: 'Microsoft.Insights/diagnosticSettings', name: String(each.name), properties: each.properties })))
          : notFound();
      default:
        return notFound();
    }
  };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    recorded,
    get throttledByLimit() {
      return throttledByLimit;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
