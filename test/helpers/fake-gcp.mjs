// A fake Google Cloud on 127.0.0.1 for `gatewarden audit gcp`: API Gateway v1, Service Management
// v1, API Keys v2 and Resource Manager v3, answering in the wire format of their REST references
// (JSON, camelCase, `nextPageToken`, enums as numbers under `$alt=json;enum-encoding=int`, bytes as
// base64), so that the real clients can be tested against it over their REST transport. Plain
// JavaScript so that tests and the bench can import it.
import http from 'node:http';

/**
 * @typedef {object} FakeApi
 * @property {string} id the API's id (`orders`)
 * @property {object} [api] more wire fields of the Api (displayName, managedService...)
 * @property {Array<{ id: string, documents?: Array<{ path: string, contents: string }>, grpc?: boolean, config?: object, serviceConfig?: object }>} [configs]
 *   serviceConfig: the compiled service config (google.api.Service, wire format) that the API's managed service holds for
 *   the config, as `{managedService}/configs/{id}-1a2b3c` (the config's serviceConfigId); its latest rollout serves the last
 *   config that has one
 *
 * @typedef {object} FakeProject
 * @property {FakeApi[]} [apis]
 * @property {Array<{ location: string, id: string, apiConfig: string, gateway?: object }>} [gateways] apiConfig: the config's full name
 * @property {Array<{ name: string, configId: string, openapi?: string, grpc?: boolean, serviceConfig?: object }>} [endpoints] Cloud Endpoints services;
 *   serviceConfig: the rest of the compiled config (google.api.Service, wire format) its latest rollout serves, besides its source files
 * @property {object[]} [keys] API keys in wire format (name, displayName, restrictions...)
 *
 * @typedef {object} FakeOptions
 * @property {Record<string, FakeProject>} projects
 * @property {Record<string, { status: number, reason: string, message?: string, service?: RegExp }>} [failProjects] calls about
 *   these projects fail so (only the calls to services matching `service` when given: /apikeys/, /apigateway/)
 * @property {number} [throttleFirst] the first N requests get a 429
 * @property {RegExp} [malformed] paths whose response body is not JSON
 * @property {number} [pageSize] items per page (to force pagination)
 * @property {number} [rateLimitPerSecond] requests per second per project before a 429
 * @property {number} [port] the port to listen on (default: any free one)
 * @property {{ path: RegExp, bytes: number, chunked?: boolean }} [pad] successful answers at these paths are padded with
 *   whitespace to `bytes`; chunked: sent without Content-Length
 * @property {{ path: RegExp, status: number, bytes: number }} [hugeError] requests at these paths are answered with an error
 *   status and a body of `bytes` bytes, streamed without Content-Length as fast as the client reads it (a hostile
 *   endpoint); the request's `sent` counts the bytes written before the client hung up
 */

const ERROR_STATUS = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

function googleError(status, message, reason, service) {
  return {
    error: {
      code: status,
      message,
      status: ERROR_STATUS[status] ?? 'UNKNOWN',
      ...(reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: service ? { service } : {} }] } : {}),
    },
  };
}

/**
 * Starts the fake. Returns its URL, the requests it saw (method, path, query, service, project, the status answered) and a way to stop it.
 * @param {FakeOptions} options
 */
export async function startFakeGcp(options) {
  const requests = [];
  let throttled = 0;
  const buckets = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const query = url.searchParams;
    // The GCE metadata server, for Application Default Credentials with GCE_METADATA_HOST=127.0.0.1:port.
    if (path.startsWith('/computeMetadata/')) {
      requests.push({ method: req.method, path, query: url.search, service: 'metadata' });
      const headers = { 'metadata-flavor': 'Google', 'content-type': path.endsWith('/token') ? 'application/json' : 'application/text' };
      res.writeHead(req.headers['metadata-flavor'] === 'Google' ? 200 : 403, headers);
      if (path.endsWith('/token')) return res.end(JSON.stringify({ access_token: 'metadata-token', expires_in: 3599, token_type: 'Bearer' }));
      if (path.endsWith('/project/project-id')) return res.end(Object.keys(options.projects)[0] ?? 'fake-project');
      return res.end('');
    }
    const service = path.startsWith('/v3/') ? 'cloudresourcemanager' : path.startsWith('/v2/') ? 'apikeys' : path.startsWith('/v1/services') ? 'servicemanagement' : 'apigateway';
    const project = /^\/v[123]\/projects\/([^/:]+)/.exec(path)?.[1] ?? query.get('producerProjectId') ?? /\.endpoints\.([^.]+)\.cloud\.goog/.exec(path)?.[1] ?? /\.apigateway\.([^.]+)\.cloud\.goog/.exec(path)?.[1];
    const entry = { method: req.method, path, query: url.search, service, project, authorization: req.headers.authorization, at: performance.now() };
    requests.push(entry);
    const send = (status, body) => {
      entry.status = status;
      let text = typeof body === 'string' ? body : JSON.stringify(body);
      if (status === 200 && options.pad?.path.test(path)) text = text.padEnd(options.pad.bytes, ' ');
      const chunked = status === 200 && options.pad?.chunked && options.pad.path.test(path);
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...(chunked ? {} : { 'content-length': Buffer.byteLength(text) }) });
      if (!chunked) return res.end(text);
      // Without Content-Length: in pieces, so that the client cannot know the size in advance.
      for (let at = 0; at < text.length; at += 16_384) res.write(text.slice(at, at + 16_384));
      res.end();
    };
    if (req.method !== 'GET') return send(405, googleError(405, 'the fake answers GET only'));
    if (options.hugeError?.path.test(path)) {
      const { status, bytes } = options.hugeError;
      entry.status = status;
      entry.sent = 0;
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let closed = false;
      res.on('close', () => (closed = true));
      // Written only as the client reads (backpressure): what is sent is what the client took.
      const pump = () => {
        while (!closed && entry.sent < bytes) {
          entry.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!closed) res.end();
      };
      return pump();
    }
    if (options.throttleFirst && throttled < options.throttleFirst) {
      throttled++;
      return send(429, googleError(429, 'Quota exceeded for quota metric Read requests', 'RATE_LIMIT_EXCEEDED'));
    }
    if (options.rateLimitPerSecond && project) {
      // A token bucket per project: bursts of up to one second's worth, then the rate.
      const now = Date.now();
      const bucket = buckets.get(project) ?? { tokens: options.rateLimitPerSecond, at: now };
      bucket.tokens = Math.min(options.rateLimitPerSecond, bucket.tokens + ((now - bucket.at) / 1000) * options.rateLimitPerSecond);
      bucket.at = now;
      buckets.set(project, bucket);
      if (bucket.tokens < 1) return send(429, googleError(429, 'Quota exceeded for quota metric Read requests per minute', 'RATE_LIMIT_EXCEEDED'));
      bucket.tokens -= 1;
    }
    const failure = project ? options.failProjects?.[project] : undefined;
    if (failure && (!failure.service || failure.service.test(service))) {
      return send(failure.status, googleError(failure.status, failure.message ?? `${failure.reason} for project ${project}`, failure.reason, `${service}.googleapis.com`));
    }
    if (options.malformed?.test(path)) return send(200, '{"apis": [ {"name": ');
    const paged = (field, items) => {
      const start = Number(query.get('pageToken') ?? 0);
      const size = Math.min(Number(query.get('pageSize') || 1000), options.pageSize ?? 1000);
      const next = start + size < items.length ? String(start + size) : undefined;
      return send(200, { [field]: items.slice(start, start + size), ...(next ? { nextPageToken: next } : {}) });
    };
    const data = project ? options.projects[project] : undefined;
    let match;
    if (path === '/v3/projects:search') {
      return paged('projects', Object.keys(options.projects).map((id, index) => ({ name: `projects/${100000 + index}`, projectId: id, state: 1, displayName: id })));
    }
    if (!data && service !== 'servicemanagement') return send(404, googleError(404, `project ${project} not found`));
    if ((match = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/gateways$/.exec(path))) {
      const location = match[2];
      const gateways = (data.gateways ?? []).filter((gateway) => location === '-' || gateway.location === location);
      return paged('gateways', gateways.map((gateway) => ({ name: `projects/${match[1]}/locations/${gateway.location}/gateways/${gateway.id}`, apiConfig: gateway.apiConfig, state: 2, defaultHostname: `${gateway.id}-abc123.uc.gateway.dev`, ...gateway.gateway })));
    }
    if ((match = /^\/v1\/projects\/([^/]+)\/locations\/global\/apis$/.exec(path))) {
      return paged('apis', (data.apis ?? []).map((api) => ({ name: `projects/${match[1]}/locations/global/apis/${api.id}`, managedService: `${api.id}-0a1b2c3d4e5f6.apigateway.${match[1]}.cloud.goog`, state: 2, ...api.api })));
    }
    if ((match = /^\/v1\/projects\/([^/]+)\/locations\/global\/apis\/([^/]+)\/configs$/.exec(path))) {
      const api = (data.apis ?? []).find((candidate) => candidate.id === match[2]);
      if (!api) return send(404, googleError(404, 'API not found'));
      return paged('apiConfigs', (api.configs ?? []).map((config) => ({ name: `${path.slice(4)}/${config.id}`, state: 2, serviceConfigId: `${config.id}-1a2b3c`, ...config.config })));
    }
    if ((match = /^\/v1\/projects\/([^/]+)\/locations\/global\/apis\/([^/]+)\/configs\/([^/]+)$/.exec(path))) {
      const config = (data.apis ?? []).find((candidate) => candidate.id === match[2])?.configs?.find((candidate) => candidate.id === match[3]);
      if (!config) return send(404, googleError(404, 'API config not found'));
      const full = query.get('view') === '2' || query.get('view') === 'FULL';
      return send(200, {
        name: path.slice(4),
        state: 2,
        serviceConfigId: `${config.id}-1a2b3c`,
        ...config.config,
        ...(full
          ? {
              openapiDocuments: (config.documents ?? []).map((document) => ({ document: { path: document.path, contents: Buffer.from(document.contents, 'utf8').toString('base64') } })),
              ...(config.grpc ? { grpcServices: [{ fileDescriptorSet: { path: 'api.pb', contents: Buffer.from('\u0000\u0001binary').toString('base64') }, source: [] }] } : {}),
            }
          : {}),
      });
    }
    if (path === '/v1/services') {
      const producer = query.get('producerProjectId');
      const managed = (options.projects[producer]?.apis ?? []).map((api) => ({ serviceName: `${api.id}-0a1b2c3d4e5f6.apigateway.${producer}.cloud.goog`, producerProjectId: producer }));
      const endpoints = (options.projects[producer]?.endpoints ?? []).map((endpoint) => ({ serviceName: endpoint.name, producerProjectId: producer }));
      return paged('services', [...managed, ...endpoints]);
    }
    if ((match = /^\/v1\/services\/([^/]+)-0a1b2c3d4e5f6\.apigateway\.([^./]+)\.cloud\.goog\/(rollouts|configs\/([^/]+))$/.exec(path))) {
      const [, apiId, producer, what, configId] = match;
      const compiled = (options.projects[producer]?.apis ?? []).find((api) => api.id === apiId)?.configs?.filter((config) => config.serviceConfig) ?? [];
      if (what === 'rollouts') {
        const latest = compiled.at(-1);
        return paged('rollouts', latest ? [{ rolloutId: '2026-12-02r0', serviceName: path.split('/')[3], status: 2, trafficPercentStrategy: { percentages: { [`${latest.id}-1a2b3c`]: 100 } } }] : []);
      }
      const config = compiled.find((candidate) => `${candidate.id}-1a2b3c` === configId);
      if (!config) return send(404, googleError(404, `service config ${configId} not found`));
      return send(200, { name: path.split('/')[3], id: configId, ...config.serviceConfig });
    }
    const endpoint = Object.values(options.projects).flatMap((candidate) => candidate.endpoints ?? []).find((candidate) => path.startsWith(`/v1/services/${candidate.name}/`));
    if (endpoint && path === `/v1/services/${endpoint.name}/rollouts`) {
      return paged('rollouts', [
        { rolloutId: '2026-12-01r1', serviceName: endpoint.name, status: 2, trafficPercentStrategy: { percentages: { [endpoint.configId]: 100 } } },
        { rolloutId: '2026-11-01r0', serviceName: endpoint.name, status: 2, trafficPercentStrategy: { percentages: { 'old-config': 100 } } },
      ]);
    }
    if (endpoint && path === `/v1/services/${endpoint.name}/configs/${endpoint.configId}`) {
      const files = [
        ...(endpoint.openapi !== undefined ? [{ filePath: 'openapi.yaml', fileType: 3, fileContents: Buffer.from(endpoint.openapi, 'utf8').toString('base64') }] : []),
        ...(endpoint.grpc ? [{ filePath: 'api_descriptor.pb', fileType: 4, fileContents: Buffer.from('\u0000binary').toString('base64') }] : []),
      ];
      return send(200, { name: endpoint.name, id: endpoint.configId, title: endpoint.name, ...endpoint.serviceConfig, sourceInfo: { sourceFiles: files.map((file) => ({ '@type': 'type.googleapis.com/google.api.servicemanagement.v1.ConfigFile', ...file })) } });
    }
    if ((match = /^\/v2\/projects\/([^/]+)\/locations\/global\/keys$/.exec(path))) {
      return paged('keys', data.keys ?? []);
    }
    if (/keyString$/.test(path)) return send(200, { keyString: 'AIzaFAKEsecretVALUE' });
    return send(404, googleError(404, `the fake does not know ${path}`));
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve(undefined)); }),
  };
}
