// A fake AWS API Gateway (v1 and v2) and STS endpoint on 127.0.0.1, speaking the services' wire
// formats (REST-JSON for API Gateway, query/XML for STS), so that the real SDK clients can be tested
// against it: pagination, throttling, errors per region, malformed bodies. Used by tests and by
// `npm run bench`; plain JavaScript so both can import it.
import http from 'node:http';

/**
 * @typedef {object} FakeRegion
 * @property {Array<{ api: object, resources?: object[], authorizers?: object[], stages?: object[], gatewayResponses?: object[], requestValidators?: object[] }>} [restApis]
 * @property {Array<{ plan: object, keys?: object[] }>} [usagePlans]
 * @property {object[]} [apiKeys]
 * @property {Array<{ domain: object, mappings?: object[] }>} [domainNames]
 * @property {Array<{ api: object, routes?: object[], authorizers?: object[], integrations?: object[], stages?: object[] }>} [v2Apis]
 * @property {Array<{ domain: object, mappings?: object[] }>} [v2DomainNames]
 *
 * @typedef {object} FakeOptions
 * @property {string} [account] the account id GetCallerIdentity answers
 * @property {Record<string, FakeRegion>} regions data per region, in wire format (camelCase, as the service sends it)
 * @property {Record<string, { status: number, type: string, message: string, retryAfter?: string }>} [failRegions] every call in
 *   these regions fails so (with a Retry-After header when given)
 * @property {number} [rateLimitPerSecond] requests per second per region before 429 TooManyRequestsException
 * @property {number} [throttleFirst] the first N API Gateway requests get a 429
 * @property {RegExp} [malformed] paths whose response body is not JSON
 * @property {number} [pageSize] items per page when the client asks for more (to force pagination)
 * @property {string[]} [hangRegions] API Gateway requests in these regions are accepted and never answered (not a byte)
 * @property {RegExp} [hang] requests to these paths are accepted and never answered
 * @property {RegExp} [stallBody] responses to these paths send their headers and the body's first bytes, then nothing
 * @property {RegExp} [trickleBody] responses to these paths send their headers, then one byte every 20 ms, forever
 * @property {RegExp} [loopToken] listings at these paths always answer with their first page and the same next token
 * @property {RegExp} [endless] listings at these paths never end: every page repeats the first items, with a new token
 * @property {{ path: RegExp, bytes: number, chunked?: boolean }} [pad] responses to these paths are padded with
 *   whitespace to `bytes`; chunked: sent without Content-Length
 * @property {{ action?: string, status: number, code: string, message: string }} [stsError] STS answers every call
 *   (or only `action`: GetCallerIdentity, AssumeRole) with this error
 * @property {boolean} [hangSts] STS calls are accepted and never answered
 *
 * A region's `generatedRestApis: n` adds n REST APIs (`gen000000`...) without children, listed lazily.
 */

/** Reads the region and service from a SigV4 Authorization header (…/region/service/aws4_request). */
function scope(req) {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return { region: match?.[1] ?? 'us-east-1', service: match?.[2] ?? 'unknown' };
}

function page(items, query, limitName, tokenName, pageSize) {
  const start = Number(query.get(tokenName) ?? 0);
  const asked = Number(query.get(limitName) ?? 25);
  const limit = Math.min(asked, pageSize ?? asked);
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return { slice, next };
}

/**
 * Starts the fake. Returns its URL, the requests it saw (method, path, region, service) and a way to stop it.
 * @param {FakeOptions} options
 */
export async function startFakeAws(options) {
  const requests = [];
  const buckets = new Map();
  let throttled = 0;
  const timers = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const { region, service } = scope(req);
      requests.push({ method: req.method, path: url.pathname, query: url.search, region, service });
      const send = (status, payload, headers = {}) => {
        let text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        if (options.pad?.path.test(url.pathname)) text = text.padEnd(options.pad.bytes, ' ');
        if (options.stallBody?.test(url.pathname)) {
          // Headers and a start, then silence: the connection stays open.
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
          return res.write(text.slice(0, 10));
        }
        if (options.trickleBody?.test(url.pathname)) {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.write(text.slice(0, 10));
          const timer = setInterval(() => res.write(' '), 20);
          timers.add(timer);
          return res.on('close', () => {
            clearInterval(timer);
            timers.delete(timer);
          });
        }
        if (options.pad?.chunked && options.pad.path.test(url.pathname)) {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          for (let at = 0; at < text.length; at += 16_384) res.write(text.slice(at, at + 16_384));
          return res.end();
        }
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
        res.end(text);
      };
      const fail = (status, type, message, extra = {}) => send(status, { message }, { 'x-amzn-errortype': type, ...extra });

      if (service === 'sts') {
        const action = new URLSearchParams(body).get('Action');
        const account = options.account ?? '123456789012';
        if (options.hangSts) return;
        const stsError = options.stsError;
        if (stsError && (stsError.action === undefined || stsError.action === action)) {
          res.writeHead(stsError.status, { 'content-type': 'text/xml' });
          return res.end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${stsError.code}</Code><Message>${stsError.message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
          );
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        if (action === 'AssumeRole') {
          const role = new URLSearchParams(body).get('RoleArn') ?? '';
          const roleAccount = /::(\d{12}):/.exec(role)?.[1] ?? account;
          const expiry = new Date(Date.now() + 3600_000).toISOString();
          return res.end(
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${roleAccount}</AccessKeyId><SecretAccessKey>fake</SecretAccessKey><SessionToken>token-${roleAccount}</SessionToken><Expiration>${expiry}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${roleAccount}:assumed-role/audit/gatewarden-audit</Arn><AssumedRoleId>AROA:gatewarden-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
          );
        }
        // Credentials from an assumed role carry the role's account in their key id (ASIA<account>).
        const keyAccount = /Credential=ASIA(\d{12})/.exec(req.headers.authorization ?? '')?.[1] ?? account;
        return res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${keyAccount}:user/auditor</Arn><UserId>AIDAFAKE</UserId><Account>${keyAccount}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      }

      // Accepted, never answered: the client's deadline is all that ends the call.
      if (options.hangRegions?.includes(region) || options.hang?.test(url.pathname)) return;
      const failure = options.failRegions?.[region];
      if (failure) return fail(failure.status, failure.type, failure.message, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
      if (options.throttleFirst !== undefined && throttled < options.throttleFirst) {
        throttled++;
        return fail(429, 'TooManyRequestsException', 'Too Many Requests');
      }
      if (options.rateLimitPerSecond !== undefined) {
        const now = Date.now();
        const bucket = buckets.get(region) ?? { tokens: options.rateLimitPerSecond, at: now };
        bucket.tokens = Math.min(options.rateLimitPerSecond, bucket.tokens + ((now - bucket.at) / 1000) * options.rateLimitPerSecond);
        bucket.at = now;
        buckets.set(region, bucket);
        if (bucket.tokens < 1) return fail(429, 'TooManyRequestsException', 'Too Many Requests');
        bucket.tokens -= 1;
      }
      if (options.malformed?.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"item": [ this is not json');
      }
      if (req.method !== 'GET') return fail(400, 'BadRequestException', `the fake answers GET only, not ${req.method}`);

      const data = options.regions[region] ?? {};
      const q = url.searchParams;
      // A listing that misbehaves as asked: the same token again and again, or pages without end.
      const misbehave = (items, limitName, tokenName) => {
        const asked = Number(q.get(limitName) ?? 25);
        const slice = items.slice(0, Math.min(asked, options.pageSize ?? asked));
        if (options.loopToken?.test(url.pathname)) return { slice, next: 'again' };
        if (options.endless?.test(url.pathname)) return { slice, next: String(Number(q.get(tokenName) ?? 0) + 1) };
        return undefined;
      };
      const v1 = (items) => {
        const { slice, next } = misbehave(items, 'limit', 'position') ?? page(items, q, 'limit', 'position', options.pageSize);
        return send(200, { item: slice, ...(next ? { position: next } : {}) });
      };
      const v2 = (items) => {
        const { slice, next } = misbehave(items, 'maxResults', 'nextToken') ?? page(items, q, 'maxResults', 'nextToken', options.pageSize);
        return send(200, { items: slice, ...(next ? { nextToken: next } : {}) });
      };
      const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const generated = data.generatedRestApis ?? 0;
      const generatedId = (index) => `gen${String(index).padStart(6, '0')}`;
      const rest = (id) => (data.restApis ?? []).find((entry) => entry.api.id === id) ?? (/^gen\d{6}$/.test(id) && Number(id.slice(3)) < generated ? { api: { id } } : undefined);
      const api2 = (id) => (data.v2Apis ?? []).find((entry) => entry.api.apiId === id);
      if (p[0] === 'restapis' && p.length === 1) {
        const listed = (data.restApis ?? []).map((entry) => entry.api);
        if (generated === 0) return v1(listed);
        // Only the page asked for is made: a listing of 50,000 APIs costs what is read of it.
        const start = Number(q.get('position') ?? 0);
        const limit = Math.min(Number(q.get('limit') ?? 25), options.pageSize ?? Infinity);
        const total = listed.length + generated;
        const slice = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, offset) => listed[start + offset] ?? { id: generatedId(start + offset - listed.length), name: `generated-${start + offset}` });
        return send(200, { item: slice, ...(start + limit < total ? { position: String(start + limit) } : {}) });
      }
      if (p[0] === 'restapis' && p.length === 3) {
        const entry = rest(p[1]);
        if (!entry) return fail(404, 'NotFoundException', 'Invalid API identifier specified');
        if (p[2] === 'resources') {
          const embed = q.getAll('embed').join(',').includes('methods');
          return v1((entry.resources ?? []).map((resource) => (embed ? resource : { ...resource, resourceMethods: undefined })));
        }
        if (p[2] === 'authorizers') return v1(entry.authorizers ?? []);
        if (p[2] === 'stages') return send(200, { item: entry.stages ?? [] });
        if (p[2] === 'gatewayresponses') return v1(entry.gatewayResponses ?? []);
        if (p[2] === 'requestvalidators') return v1(entry.requestValidators ?? []);
      }
      if (p[0] === 'usageplans' && p.length === 1) return v1((data.usagePlans ?? []).map((entry) => entry.plan));
      if (p[0] === 'usageplans' && p[2] === 'keys') return v1((data.usagePlans ?? []).find((entry) => entry.plan.id === p[1])?.keys ?? []);
      if (p[0] === 'apikeys' && p.length === 1) {
        // A key's value is only sent when asked for: gatewarden never asks.
        const include = q.get('includeValues') === 'true';
        return v1((data.apiKeys ?? []).map((key) => (include ? { ...key, value: 'FAKEvalueTHEfakeWOULDsend01' } : key)));
      }
      if (p[0] === 'domainnames' && p.length === 1) return v1((data.domainNames ?? []).map((entry) => entry.domain));
      if (p[0] === 'domainnames' && p[2] === 'basepathmappings') return v1((data.domainNames ?? []).find((entry) => entry.domain.domainName === p[1])?.mappings ?? []);
      if (p[0] === 'v2' && p[1] === 'apis' && p.length === 2) return v2((data.v2Apis ?? []).map((entry) => entry.api));
      if (p[0] === 'v2' && p[1] === 'apis' && p.length === 4) {
        const entry = api2(p[2]);
        if (!entry) return fail(404, 'NotFoundException', 'Invalid API identifier specified');
        return v2(entry[p[3]] ?? []);
      }
      if (p[0] === 'v2' && p[1] === 'domainnames' && p.length === 2) return v2((data.v2DomainNames ?? []).map((entry) => entry.domain));
      if (p[0] === 'v2' && p[1] === 'domainnames' && p[3] === 'apimappings') return v2((data.v2DomainNames ?? []).find((entry) => entry.domain.domainName === p[2])?.mappings ?? []);
      return fail(404, 'NotFoundException', `the fake does not know ${url.pathname}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.close(resolve);
        // Hung and stalled responses hold their connections open; end them.
        server.closeAllConnections();
      }),
  };
}
