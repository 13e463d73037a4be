import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audit as auditLive, type AuditOptions } from '../../../src/pipeline/audit.js';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';
import { cli } from '../../../src/cli/cli.js';
import { LIVE_AUDITORS } from '../../../providers/live.js';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { runCli } from '../../helpers/run-cli.js';
// @ts-expect-error: the samples' plain JavaScript server.
import { loadSample } from '../../../samples/gcp-live/serve.mjs';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeGcp } from '../../helpers/fake-gcp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const conformanceDir = path.join(repo, 'test/fixtures/gcp/api-gateway');
const ORDERS_SPEC = readFileSync(path.join(conformanceDir, 'openapi.yaml'), 'utf8');

interface FakeRequest {
  method: string;
  path: string;
  query: string;
  service: string;
  project?: string;
  authorization?: string;
  status?: number;
}
interface Fake {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

beforeAll(() => {
  // Never the internet: if anything looked for the metadata server, it would find nothing here.
  process.env.GCE_METADATA_HOST = '127.0.0.1:9';
});

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A test auth client with a fixed token: the real clients add it as a Bearer header. */
function testAuthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return client;
}

async function audit(fakeOptions: Record<string, unknown>, options: Partial<AuditOptions<'gcp'>> = {}) {
  fake = (await startFakeGcp(fakeOptions)) as Fake;
  return auditLive('gcp', { cwd: repo, endpointUrl: fake.url, authClient: testAuthClient(), retryDelayMs: 1, requestTimeoutMs: 5000, ...options });
}

/** A `.gatewarden.yaml` of the repository, from its text. */
function loadConfigText(text: string) {
  return parseConfig(text, path.join(repo, '.gatewarden.yaml'), (file) => file);
}

/** The acme-orders-prod project as API Gateway holds what test/fixtures/gcp/api-gateway deploys. */
const ORDERS_PROJECT = {
  apis: [{ id: 'orders', api: { displayName: 'Orders API' }, configs: [{ id: 'orders-20261201', config: { displayName: 'Orders API (openapi.yaml)' }, documents: [{ path: 'openapi.yaml', contents: ORDERS_SPEC }] }] }],
  gateways: [{ location: 'europe-west1', id: 'orders-gw', apiConfig: 'projects/acme-orders-prod/locations/global/apis/orders/configs/orders-20261201' }],
};

const OPEN_SPEC = `swagger: "2.0"
info: { title: open, version: "1" }
host: open.endpoints.PROJECT.cloud.goog
paths:
  /things:
    get:
      operationId: listThings
      responses: { "200": { description: ok } }
`;

const CONFIG = 'projects/acme-orders-prod/locations/global/apis/orders/configs/orders-20261201';

describe('gatewarden audit gcp, with the real clients over REST against a fake Google Cloud', () => {
  it('gives the findings a scan of the Terraform that deployed the same API gives', async () => {
    const { report } = await audit({ projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    const key = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const code = await scan({ cwd: conformanceDir });
    expect(code.findings.length).toBeGreaterThan(0);
    expect(key(report.findings)).toEqual(key(code.findings));
    expect(report.summary).toMatchObject({ incomplete: false, files: 0 });
    expect(report.targets).toEqual(['gcp:acme-orders-prod']);
  });

  it('gives live findings the owner a label names: the config\'s, else the API\'s or its gateway\'s', async () => {
    const config = loadConfigText('owners: { tag: [owner] }\n');
    const labelled = {
      apis: [{ ...ORDERS_PROJECT.apis[0]!, api: { ...ORDERS_PROJECT.apis[0]!.api, labels: { env: 'prod' } } }],
      gateways: [{ ...ORDERS_PROJECT.gateways[0]!, gateway: { labels: { owner: 'team-edge', env: 'prod' } } }],
    };
    const { report } = await audit({ projects: { 'acme-orders-prod': labelled } }, { projects: ['acme-orders-prod'], config });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(new Set(report.findings.map((f) => `${f.gateway?.name} ${f.owner?.name} ${f.owner?.source}`))).toEqual(new Set(['Orders API team-edge tag']));
    // A label on the config names the owner of its routes, over the gateway's.
    const onConfig = { ...labelled, apis: [{ ...labelled.apis[0]!, configs: labelled.apis[0]!.configs.map((entry) => ({ ...entry, config: { ...entry.config, labels: { owner: 'team-orders' } } })) }] };
    const second = await audit({ projects: { 'acme-orders-prod': onConfig } }, { projects: ['acme-orders-prod'], config });
    const route = second.report.findings.find((f) => f.policyId === 'route-requires-auth' && f.routeKey === 'GET /healthz')!;
    expect(route.owner).toEqual({ name: 'team-orders', source: 'tag' });
  });

  it('names each finding by the config resource name, project and console link', async () => {
    const { report } = await audit({ projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    const finding = report.findings.find((f) => f.policyId === 'route-requires-auth' && f.routeKey === 'GET /healthz')!;
    expect(finding).toMatchObject({
      address: `${CONFIG}/GET /healthz`,
      origin: { format: 'live', account: 'acme-orders-prod', region: 'global' },
      location: { file: CONFIG, url: 'https://console.cloud.google.com/api-gateway/api/orders/config/orders-20261201?project=acme-orders-prod' },
    });
  });

  it('makes only GETs, with the bearer token, never asks for a key string, and one call per API plus one per config', async () => {
    const keys = [{ name: 'projects/acme-orders-prod/locations/global/keys/k1', uid: 'k1', displayName: 'web', restrictions: { apiTargets: [{ service: 'orders.example' }], browserKeyRestrictions: { allowedReferrers: ['https://shop.example/*'] } } }];
    const { report, calls } = await audit({ projects: { 'acme-orders-prod': { ...ORDERS_PROJECT, keys } } }, { projects: ['acme-orders-prod'] });
    const requests = fake!.requests;
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(requests.some((r) => /keyString/i.test(r.path + r.query))).toBe(false);
    expect(requests.filter((r) => r.service === 'apigateway').map((r) => r.path + r.query)).toEqual(
      expect.arrayContaining([
        '/v1/projects/acme-orders-prod/locations/global/apis?pageSize=500&$alt=json%3Benum-encoding=int',
        '/v1/projects/acme-orders-prod/locations/-/gateways?pageSize=500&$alt=json%3Benum-encoding=int',
        '/v1/projects/acme-orders-prod/locations/global/apis/orders/configs?pageSize=500&$alt=json%3Benum-encoding=int',
        `/v1/${CONFIG}?view=2&$alt=json%3Benum-encoding=int`,
      ]),
    );
    expect(requests.filter((r) => r.service === 'apigateway')).toHaveLength(4);
    expect(requests.filter((r) => r.service === 'apikeys').map((r) => r.path)).toEqual(['/v2/projects/acme-orders-prod/locations/global/keys']);
    expect(calls).toBe(requests.length);
    // Six calls: APIs, gateways, configs, the config, services, keys.
    expect(calls).toBe(6);
    expect(report.summary.incomplete).toBe(false);
  });

  it('reads every page of every list', async () => {
    const apis = Array.from({ length: 5 }, (_, index) => ({ id: `api${index}`, configs: [1, 2, 3].map((n) => ({ id: `c${n}`, documents: [{ path: 'o.yaml', contents: OPEN_SPEC }] })) }));
    const gateways = apis.map((api, index) => ({ location: index % 2 ? 'us-central1' : 'europe-west1', id: `gw${index}`, apiConfig: `projects/p-paged/locations/global/apis/${api.id}/configs/c3` }));
    const { report } = await audit({ pageSize: 2, projects: { 'p-paged': { apis, gateways } } }, { projects: ['p-paged'] });
    expect(report.summary).toMatchObject({ gateways: 5, incomplete: false });
    // Only the configs the gateways serve are checked, so one route per API.
    const open = report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => f.address).sort();
    expect(open).toEqual(apis.map((api) => `projects/p-paged/locations/global/apis/${api.id}/configs/c3/GET /things`));
    expect(fake!.requests.filter((r) => r.path === '/v1/projects/p-paged/locations/global/apis').map((r) => r.query)).toEqual([
      '?pageSize=500&$alt=json%3Benum-encoding=int',
      '?pageSize=500&pageToken=2&$alt=json%3Benum-encoding=int',
      '?pageSize=500&pageToken=4&$alt=json%3Benum-encoding=int',
    ]);
    expect(fake!.requests.filter((r) => r.path.endsWith('/apis/api0/configs')).map((r) => r.query)).toHaveLength(2);
    // The documents of configs no gateway serves are not fetched: they would not be checked.
    expect(fake!.requests.filter((r) => r.query.includes('view=2')).map((r) => r.path).sort()).toEqual(apis.map((api) => `/v1/projects/p-paged/locations/global/apis/${api.id}/configs/c3`));
  });

  it('lists the gateways of the locations named with --locations, one listing each', async () => {
    await audit({ projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'], locations: ['europe-west1', 'us-central1'] });
    expect(fake!.requests.filter((r) => r.path.endsWith('/gateways')).map((r) => r.path).sort()).toEqual(['/v1/projects/acme-orders-prod/locations/europe-west1/gateways', '/v1/projects/acme-orders-prod/locations/us-central1/gateways']);
  });

  it('reads JWT providers of a config: one without x-google-audiences is low (jwt-issuer-audience)', async () => {
    const spec = `swagger: "2.0"
info: { title: tickets, version: "1" }
securityDefinitions:
  google_id_token:
    type: oauth2
    flow: implicit
    authorizationUrl: ""
    x-google-issuer: https://accounts.google.com
    x-google-jwks_uri: https://www.googleapis.com/oauth2/v3/certs
  firebase:
    type: oauth2
    flow: implicit
    authorizationUrl: ""
    x-google-issuer: https://securetoken.google.com/tickets-prod
    x-google-jwks_uri: https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com
    x-google-audiences: tickets-prod
paths:
  /tickets:
    get:
      operationId: listTickets
      security: [{ google_id_token: [] }]
      responses: { "200": { description: ok } }
`;
    const apis = [{ id: 'tickets', configs: [{ id: 'v1', documents: [{ path: 'openapi.yaml', contents: spec }] }] }];
    const { report } = await audit({ projects: { 'p-tickets': { apis } } }, { projects: ['p-tickets'] });
    expect(report.findings.filter((f) => f.policyId === 'jwt-issuer-audience').map((f) => `${f.address} ${f.severity}`)).toEqual([
      'projects/p-tickets/locations/global/apis/tickets/configs/v1/authorizer/google_id_token low',
    ]);
  });

  it('reads every config of an API no gateway serves', async () => {
    const apis = [{ id: 'draft', configs: [1, 2].map((n) => ({ id: `c${n}`, documents: [{ path: 'o.yaml', contents: OPEN_SPEC }] })) }];
    const { report } = await audit({ projects: { 'p-drafts': { apis } } }, { projects: ['p-drafts'] });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => f.address).sort()).toEqual(['projects/p-drafts/locations/global/apis/draft/configs/c1/GET /things', 'projects/p-drafts/locations/global/apis/draft/configs/c2/GET /things']);
  });

  it('keeps to a project\'s read quota: throttled calls are paced and retried until they succeed', async () => {
    const apis = Array.from({ length: 4 }, (_, index) => ({ id: `api${index}`, configs: [{ id: 'v1', documents: [{ path: 'o.yaml', contents: OPEN_SPEC }] }] }));
    const { report, calls } = await audit({ rateLimitPerSecond: 5, projects: { 'p-quota': { apis } } }, { projects: ['p-quota'], concurrency: 4 });
    expect(report.diagnostics).toEqual([]);
    expect(report.summary.gateways).toBe(4);
    // 2 + 4 lists of configs + 4 configs + services + keys.
    expect(calls).toBe(12);
    expect(fake!.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(fake!.requests.filter((r) => r.status !== 429)).toHaveLength(12);
  });

  it('lists the projects through Resource Manager, every page, when none is named', async () => {
    const { report } = await audit({ pageSize: 1, projects: { 'acme-orders-prod': ORDERS_PROJECT, 'p-empty-one': {}, 'p-empty-two': {} } });
    expect(report.targets).toEqual(['gcp:acme-orders-prod', 'gcp:p-empty-one', 'gcp:p-empty-two']);
    expect(fake!.requests.filter((r) => r.service === 'cloudresourcemanager').map((r) => r.query)).toEqual(['?pageSize=500', '?pageSize=500&pageToken=1', '?pageSize=500&pageToken=2']);
    expect(report.findings.some((f) => f.policyId === 'route-requires-auth' && f.address === `${CONFIG}/GET /healthz`)).toBe(true);
  });

  it('retries 429 answers with backoff and completes', async () => {
    const { report, calls } = await audit({ throttleFirst: 3, projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    expect(report.summary.incomplete).toBe(false);
    expect(report.diagnostics).toEqual([]);
    expect(report.findings.some((f) => f.policyId === 'route-requires-auth' && f.address === `${CONFIG}/GET /healthz`)).toBe(true);
    // Six calls (APIs, gateways, configs, the config, services, keys), and the three refused requests retried.
    expect(calls).toBe(6);
    expect(fake!.requests).toHaveLength(9);
  });

  it('goes on when one project denies access, and says the audit is incomplete', async () => {
    const { report } = await audit(
      { projects: { 'acme-orders-prod': ORDERS_PROJECT, 'p-locked': { apis: [{ id: 'secret', configs: [] }] } }, failProjects: { 'p-locked': { status: 403, reason: 'IAM_PERMISSION_DENIED', message: "Permission 'apigateway.apis.list' denied on resource" } } },
      { projects: ['acme-orders-prod', 'p-locked'] },
    );
    expect(report.summary.incomplete).toBe(true);
    expect(exitCodeFor(report, 'high')).toBe(2);
    expect(report.findings.some((f) => f.address === `${CONFIG}/GET /healthz`)).toBe(true);
    const denied = report.diagnostics.filter((d) => d.severity === 'error');
    expect(denied.map((d) => d.address).sort()).toEqual(['projects/p-locked', 'projects/p-locked/locations/global/apis', 'projects/p-locked/locations/global/keys']);
    expect(denied.find((d) => d.address === 'projects/p-locked/locations/global/apis')!.message).toMatch(/apigateway apis.list failed in project p-locked: IAM_PERMISSION_DENIED \(HTTP 403\).*grant roles\/apigateway\.viewer/);
    // After the first API Gateway call is refused, no other is made.
    expect(fake!.requests.filter((r) => r.project === 'p-locked' && r.service === 'apigateway')).toHaveLength(1);
  });

  it('reports a disabled API as an error in a named project, and skips it in a project it found', async () => {
    const failProjects = { 'p-no-gateway': { status: 403, reason: 'SERVICE_DISABLED', service: /apigateway/, message: 'API Gateway API has not been used in project p-no-gateway before or it is disabled.' } };
    const named = await audit({ projects: { 'p-no-gateway': {} }, failProjects }, { projects: ['p-no-gateway'] });
    expect(named.report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error read-error projects/p-no-gateway/locations/global/apis']);
    expect(named.report.diagnostics[0]!.message).toMatch(/not enabled in project p-no-gateway.*gcloud services enable apigateway\.googleapis\.com --project p-no-gateway/);
    await fake!.close();
    const found = await audit({ projects: { 'p-no-gateway': {} }, failProjects });
    expect(found.report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['info not-scanned']);
    expect(found.report.summary.incomplete).toBe(false);
  });

  it('names a project whose API Keys API is not enabled: a warning in a project it found, an error in one named', async () => {
    const failProjects = { 'p-no-apikeys': { status: 403, reason: 'SERVICE_DISABLED', service: /apikeys/, message: 'API Keys API has not been used in project p-no-apikeys before or it is disabled.' } };
    const found = await audit({ projects: { 'p-no-apikeys': {} }, failProjects });
    expect(found.report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['warning not-scanned projects/p-no-apikeys/locations/global/keys']);
    expect(found.report.summary.incomplete).toBe(false);
    await fake!.close();
    const named = await audit({ projects: { 'p-no-apikeys': {} }, failProjects }, { projects: ['p-no-apikeys'] });
    expect(named.report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error read-error projects/p-no-apikeys/locations/global/keys']);
  });

  it('reports a malformed JSON answer as a read error and keeps the rest', async () => {
    const { report } = await audit({ malformed: /\/apikeys|\/keys$/, projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.address}`)).toEqual(['error projects/acme-orders-prod/locations/global/keys']);
    expect(report.diagnostics[0]!.message).toMatch(/apikeys keys.list failed .*malformed response.*not JSON/);
    expect(report.findings.some((f) => f.address === `${CONFIG}/GET /healthz`)).toBe(true);
  });

  it.each([
    ['announced by Content-Length', false, /apigateway apiconfigs.get in project acme-orders-prod answered with a response of 200000 bytes; it was not read: over the "audit-response-size" limit \(.*: 64 KiB\); .*--limit audit-response-size=/],
    ['streamed without Content-Length', true, /apigateway apiconfigs.get in project acme-orders-prod answered with a response of at least \d+ bytes; it was not read: over the "audit-response-size" limit/],
  ])('rejects a response larger than audit-response-size, %s', async (_, chunked, message) => {
    const { report } = await audit({ pad: { path: /\/configs\/orders-20261201$/, bytes: 200_000, chunked }, projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'], limits: { 'audit-response-size': 64 * 1024 } });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual([`error limit ${CONFIG}`]);
    expect(report.diagnostics[0]!.message).toMatch(message);
    expect(report.findings.filter((f) => f.address.startsWith(CONFIG))).toEqual([]);
    // Not retried: the same answer would come again.
    expect(fake!.requests.filter((r) => r.query.includes('view=2'))).toHaveLength(1);
  });

  it.each([
    ['an API Gateway call (the client\'s REST transport)', /\/locations\/global\/apis$/, 'projects/acme-orders-prod/locations/global/apis', /apigateway apis.list failed in project acme-orders-prod: HTTP 403 \(HTTP 403\): x{300}\.\.\. \(65536 characters\)/],
    ['a Service Management call (a GET of the auth client)', /^\/v1\/services$/, 'projects/acme-orders-prod', /servicemanagement services.list failed in project acme-orders-prod: HTTP 403 \(HTTP 403\): x{300}\.\.\. \(65536 characters\)/],
  ])('reads no more than 64 KiB of an error body of 1 GiB, from %s', { timeout: 20_000 }, async (_, at, address, message) => {
    const heapBefore = process.memoryUsage().heapUsed;
    const { report } = await audit({ hugeError: { path: at, status: 403, bytes: 1024 ** 3 }, projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual([`error read-error ${address}`]);
    expect(report.diagnostics[0]!.message).toMatch(message);
    expect(report.diagnostics[0]!.message.length).toBeLessThan(1000);
    const hostile = fake!.requests.filter((r) => at.test(r.path)) as Array<FakeRequest & { sent: number }>;
    expect(hostile).toHaveLength(1);
    // The client hung up after its 64 KiB: what the fake could write is that and the sockets' buffers.
    expect(hostile[0]!.sent).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('reports a config whose document is not valid YAML at the config, and checks the others', async () => {
    const apis = [{ id: 'broken', configs: [{ id: 'v1', documents: [{ path: 'openapi.yaml', contents: 'swagger: "2.0"\npaths:\n  /x: [unclosed\n    get: {}\n' }] }] }, { id: 'fine', configs: [{ id: 'v1', documents: [{ path: 'o.yaml', contents: OPEN_SPEC }] }] }];
    const { report } = await audit({ projects: { 'p-yaml': { apis } } }, { projects: ['p-yaml'] });
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.address} ${d.location?.file}`)).toEqual(['parse-error projects/p-yaml/locations/global/apis/broken/configs/v1 projects/p-yaml/locations/global/apis/broken/configs/v1']);
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`)).toContain('route-requires-auth projects/p-yaml/locations/global/apis/fine/configs/v1/GET /things');
    expect(exitCodeFor(report, 'high')).toBe(2);
  });

  it('reads Cloud Endpoints services from the config of their latest rollout', async () => {
    const endpoints = [{ name: 'things.endpoints.p-endpoints.cloud.goog', configId: '2026-12-01r3', openapi: OPEN_SPEC.replace('PROJECT', 'p-endpoints') }, { name: 'rpc.endpoints.p-endpoints.cloud.goog', configId: '2026-11-02r0', grpc: true }];
    const { report } = await audit({ projects: { 'p-endpoints': { endpoints } } }, { projects: ['p-endpoints'] });
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`)).toContain('route-requires-auth services/things.endpoints.p-endpoints.cloud.goog/GET /things');
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['warning not-scanned services/rpc.endpoints.p-endpoints.cloud.goog']);
    // A gRPC config whose compiled form lists no method: never read as a service without methods.
    expect(report.diagnostics[0]!.message).toBe('the methods of the service config are defined in the descriptor set, which was not read, and no rule of the service config names one: none is checked');
    expect(fake!.requests.filter((r) => r.service === 'servicemanagement').map((r) => r.path + r.query)).toEqual(
      expect.arrayContaining(['/v1/services/things.endpoints.p-endpoints.cloud.goog/rollouts?filter=status%3DSUCCESS&pageSize=1', '/v1/services/things.endpoints.p-endpoints.cloud.goog/configs/2026-12-01r3?view=FULL']),
    );
  });

  // A Cloud Endpoints gRPC service as Service Management serves its latest rollout's config (recorded),
  // and the Terraform that deployed it (its service config YAML and descriptor set).
  const grpcEndpointsDir = path.join(repo, 'test/fixtures/gcp/endpoints-grpc');
  const SHIPPING = 'shipping.endpoints.acme-shipping-prod.cloud.goog';
  const SHIPPING_PROJECT = { endpoints: [{ name: SHIPPING, configId: '2026-12-01r0', grpc: true, serviceConfig: JSON.parse(readFileSync(path.join(grpcEndpointsDir, 'service-config.json'), 'utf8')) }] };

  it('checks the methods of a Cloud Endpoints gRPC service through the compiled config of its latest rollout', async () => {
    const { report, calls } = await audit({ projects: { 'acme-shipping-prod': SHIPPING_PROJECT } }, { projects: ['acme-shipping-prod'] });
    expect(report.diagnostics).toEqual([]);
    const method = (name: string) => `services/${SHIPPING}/POST /acme.shipping.v1.ShippingService/${name}`;
    expect(report.findings.map((f) => `${f.policyId} ${f.severity} ${f.address} ${f.entityKind}`).sort()).toEqual([
      // Neither a token (allowWithoutCredential) nor an API key (allowUnregisteredCalls): anyone.
      `route-requires-auth high ${method('TrackShipment')} route`,
      // No token required, an API key only: weak.
      `route-requires-auth medium ${method('ListShipments')} route`,
      // Charged against no quota; ListShipments is (600 a minute per consumer project).
      `throttling-configured medium ${method('CancelShipment')} route`,
      `throttling-configured medium ${method('GetShipment')} route`,
      `throttling-configured medium ${method('TrackShipment')} route`,
    ]);
    expect(report.findings.find((f) => f.address === method('TrackShipment') && f.policyId === 'route-requires-auth')).toMatchObject({
      message: 'POST /acme.shipping.v1.ShippingService/TrackShipment on Shipping gRPC API accepts unauthenticated calls',
      routeKey: 'POST /acme.shipping.v1.ShippingService/TrackShipment',
      origin: { format: 'live', account: 'acme-shipping-prod' },
      location: { file: `services/${SHIPPING}`, url: `https://console.cloud.google.com/endpoints/api/${SHIPPING}/overview?project=acme-shipping-prod` },
    });
    // The config read for its source files is the service config: no other call.
    expect(fake!.requests.filter((r) => r.service === 'servicemanagement').map((r) => r.path + r.query)).toEqual([
      '/v1/services?producerProjectId=acme-shipping-prod&pageSize=500',
      `/v1/services/${SHIPPING}/rollouts?filter=status%3DSUCCESS&pageSize=1`,
      `/v1/services/${SHIPPING}/configs/2026-12-01r0?view=FULL`,
    ]);
    // APIs, gateways, services, rollouts, config, keys.
    expect(calls).toBe(6);
  });

  it('gives the findings a scan of the Terraform that deployed the same gRPC Endpoints service gives', async () => {
    const { report } = await audit({ projects: { 'acme-shipping-prod': SHIPPING_PROJECT } }, { projects: ['acme-shipping-prod'] });
    const code = await scan({ cwd: grpcEndpointsDir });
    const key = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    expect(code.diagnostics).toEqual([]);
    expect(key(report.findings)).toEqual(key(code.findings));
    expect(report.findings).toHaveLength(5);
  });

  it('reports a gRPC API config whose service config cannot be read as not read', async () => {
    const apis = [{ id: 'rpc', configs: [{ id: 'v1', grpc: true }] }];
    const { report } = await audit({ projects: { 'p-grpc': { apis } } }, { projects: ['p-grpc'] });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error read-error projects/p-grpc/locations/global/apis/rpc/configs/v1', 'warning not-scanned projects/p-grpc/locations/global/apis/rpc/configs/v1']);
    expect(report.diagnostics[0]!.message).toMatch(/^servicemanagement services.configs.get failed in project p-grpc: NOT_FOUND \(HTTP 404\)/);
  });

  // The compiled config of a gRPC API config, as Service Management holds it for the API's managed
  // service (int64 values as strings, as on the wire).
  const GRPC_SERVICE_CONFIG = {
    title: 'Orders gRPC',
    apis: [{ name: 'shop.v1.Orders', methods: [{ name: 'ListOrders' }, { name: 'GetOrder' }, { name: 'DeleteOrder' }] }, { name: 'grpc.health.v1.Health', methods: [{ name: 'Check' }] }],
    authentication: {
      providers: [{ id: 'firebase', issuer: 'https://securetoken.google.com/p-grpc', jwksUri: 'https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com' }],
      rules: [
        { selector: 'shop.v1.Orders.*', requirements: [{ providerId: 'firebase' }] },
        { selector: 'shop.v1.Orders.ListOrders', allowWithoutCredential: true, requirements: [{ providerId: 'firebase' }] },
      ],
    },
    usage: { rules: [{ selector: '*', allowUnregisteredCalls: false }, { selector: 'grpc.health.v1.Health.Check', allowUnregisteredCalls: true }, { selector: 'shop.v1.Orders.GetOrder', allowUnregisteredCalls: true }] },
    quota: { limits: [{ name: 'read-limit', metric: 'read-requests', unit: '1/min/{project}', values: { STANDARD: '600' } }], metricRules: [{ selector: 'shop.v1.Orders.ListOrders', metricCosts: { 'read-requests': '1' } }] },
    backend: { rules: [{ selector: '*', address: 'grpcs://orders-abc123-ew.a.run.app' }] },
  };
  const RPC = 'projects/p-grpc/locations/global/apis/rpc/configs/v1';

  it('checks the methods of a gRPC API config through the service config of its managed service', async () => {
    const apis = [{ id: 'rpc', configs: [{ id: 'v1', grpc: true, serviceConfig: GRPC_SERVICE_CONFIG }] }];
    const { report, calls } = await audit({ projects: { 'p-grpc': { apis } } }, { projects: ['p-grpc'] });
    expect(report.diagnostics).toEqual([]);
    expect(report.findings.map((f) => `${f.policyId} ${f.severity} ${f.address}`).sort()).toEqual([
      // No token (allowWithoutCredential), an API key only: weak.
      `route-requires-auth medium ${RPC}/POST /shop.v1.Orders/ListOrders`,
      // Unregistered calls allowed and no authentication rule: anyone.
      `route-requires-auth high ${RPC}/POST /grpc.health.v1.Health/Check`,
      // Charged against no quota (ListOrders is, 600 a minute per consumer project).
      `throttling-configured medium ${RPC}/POST /grpc.health.v1.Health/Check`,
      `throttling-configured medium ${RPC}/POST /shop.v1.Orders/DeleteOrder`,
      `throttling-configured medium ${RPC}/POST /shop.v1.Orders/GetOrder`,
    ].sort());
    expect(report.findings.find((f) => f.policyId === 'route-requires-auth' && f.severity === 'high')!.message).toBe('POST /grpc.health.v1.Health/Check on rpc accepts unauthenticated calls');
    // The config the API config names (serviceConfigId), in one call, its basic view: no rollout listing.
    expect(fake!.requests.filter((r) => r.service === 'servicemanagement').map((r) => r.path + r.query)).toEqual([
      '/v1/services?producerProjectId=p-grpc&pageSize=500',
      '/v1/services/rpc-0a1b2c3d4e5f6.apigateway.p-grpc.cloud.goog/configs/v1-1a2b3c',
    ]);
    // APIs, gateways, configs, the config, services, keys, and the service config.
    expect(calls).toBe(7);
  });

  it('finds the service config of a gRPC API config through its managed service\'s latest rollout when the API config names none', async () => {
    const apis = [{ id: 'rpc', configs: [{ id: 'v1', grpc: true, config: { serviceConfigId: '' }, serviceConfig: { ...GRPC_SERVICE_CONFIG, usage: { rules: [{ selector: '*', allowUnregisteredCalls: true }] } } }] }];
    const { report, calls } = await audit({ projects: { 'p-grpc': { apis } } }, { projects: ['p-grpc'] });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.severity} ${f.address}`).sort()).toEqual([`high ${RPC}/POST /grpc.health.v1.Health/Check`, `high ${RPC}/POST /shop.v1.Orders/ListOrders`]);
    expect(fake!.requests.filter((r) => r.service === 'servicemanagement').map((r) => r.path + r.query)).toEqual([
      '/v1/services?producerProjectId=p-grpc&pageSize=500',
      '/v1/services/rpc-0a1b2c3d4e5f6.apigateway.p-grpc.cloud.goog/rollouts?filter=status%3DSUCCESS&pageSize=1',
      '/v1/services/rpc-0a1b2c3d4e5f6.apigateway.p-grpc.cloud.goog/configs/v1-1a2b3c',
    ]);
    expect(calls).toBe(8);
  });

  it('reads no service config for an OpenAPI API config: the document it carries is what the service config is compiled from', async () => {
    await audit({ projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'] });
    expect(fake!.requests.filter((r) => r.path.includes('.apigateway.'))).toEqual([]);
  });

  it('reports API keys without restrictions as the Terraform that created the same keys does, by key name', async () => {
    const key = (id: string, displayName: string, restrictions?: object) => ({ name: `projects/p-keys-demo/locations/global/keys/${id}`, uid: `uid-${id}`, displayName, createTime: new Date(Date.now() - 14 * 86_400_000).toISOString(), ...(restrictions ? { restrictions } : {}) });
    const service = 'orders-0a1b2c3d4e5f6.apigateway.acme-orders-prod.cloud.goog';
    // The keys of policies/secrets/api-keys-restricted/test, as the API Keys API returns them.
    const keys = [
      key('demo-key', 'Demo'),
      key('partners', 'Partner integrations', { apiTargets: [{ service }] }),
      key('web', 'Web shop', { browserKeyRestrictions: { allowedReferrers: ['https://shop.example.com/*'] } }),
      key('android', 'Android app', { apiTargets: [{ service, methods: ['GET*'] }], androidKeyRestrictions: { allowedApplications: [{ packageName: 'com.example.shop', sha1Fingerprint: '1699466a142d4682a5f91b50fdf400f2358e2b0b' }] } }),
    ];
    const { report } = await audit({ projects: { 'p-keys-demo': { keys } } }, { projects: ['p-keys-demo'] });
    const live = report.findings.map((f) => `${f.policyId} ${f.address} ${f.severity}`).sort();
    expect(live).toEqual([
      'api-keys-restricted projects/p-keys-demo/locations/global/keys/demo-key high',
      'api-keys-restricted projects/p-keys-demo/locations/global/keys/partners medium',
      'api-keys-restricted projects/p-keys-demo/locations/global/keys/web medium',
    ]);
    const cases = path.join(repo, 'policies/secrets/api-keys-restricted/test');
    const code = (await Promise.all(['unrestricted', 'api-only', 'application-only', 'restricted'].map((name) => scan({ cwd: path.join(cases, name) })))).flatMap((r) => r.findings);
    const same = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.severity} ${f.message}`).sort();
    expect(same(report.findings)).toEqual(same(code));
    expect(report.findings.find((f) => f.address.endsWith('/demo-key'))!.location.url).toBe('https://console.cloud.google.com/apis/credentials/key/uid-demo-key?project=p-keys-demo');
    expect(report.findings.every((f) => f.policyId !== 'no-static-api-keys')).toBe(true);
  });

  it('reports a key older than maxAgeDays by its name, with the age the config allows', async () => {
    const key = (id: string, days: number) => ({
      name: `projects/p-keys-demo/locations/global/keys/${id}`,
      uid: `uid-${id}`,
      displayName: id,
      createTime: new Date(Date.now() - days * 86_400_000).toISOString(),
      restrictions: { apiTargets: [{ service: 'orders.endpoints.p-keys-demo.cloud.goog' }], serverKeyRestrictions: { allowedIps: ['203.0.113.0/24'] } },
    });
    const keys = [key('fresh', 30), key('stale', 200)];
    const rotated = (findings: ReadonlyArray<{ policyId: string; address: string; message: string }>) =>
      findings.filter((f) => f.policyId === 'api-keys-rotated').map((f) => `${f.address} ${f.message.replace(/\(.*\)/, '(...)')}`);
    const { report } = await audit({ projects: { 'p-keys-demo': { keys } } }, { projects: ['p-keys-demo'] });
    expect(rotated(report.findings)).toEqual(['projects/p-keys-demo/locations/global/keys/stale API key stale was created 200 days ago (...), more than the 90 days a key may live: replace it']);
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-gcp-keys-'));
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'policies:\n  parameters:\n    api-keys-rotated: { maxAgeDays: 20 }\n');
    const config = loadConfig(path.join(dir, '.gatewarden.yaml'), (file) => file);
    const strict = await audit({ projects: { 'p-keys-demo': { keys } } }, { projects: ['p-keys-demo'], config });
    expect(rotated(strict.report.findings)).toEqual([
      'projects/p-keys-demo/locations/global/keys/fresh API key fresh was created 30 days ago (...), more than the 20 days a key may live: replace it',
      'projects/p-keys-demo/locations/global/keys/stale API key stale was created 200 days ago (...), more than the 20 days a key may live: replace it',
    ]);
  });

  it('stops at the audit time limit and names what was not finished', async () => {
    const { report, stopped } = await audit({ rateLimitPerSecond: 1, projects: { 'acme-orders-prod': ORDERS_PROJECT } }, { projects: ['acme-orders-prod'], timeoutMs: 300, retryDelayMs: 1000 });
    expect(stopped).toBe('timeout');
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error not-scanned projects/acme-orders-prod']);
  });
});

describe('the recorded GCP samples (samples/gcp-live)', () => {
  it('insecure: the findings of the Terraform sample that deployed the same API, and the key without an application restriction', async () => {
    const { report } = await audit({ projects: loadSample('insecure') });
    const same = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const code = await scan({ cwd: path.join(repo, 'samples/gcp-terraform/insecure') });
    expect(same(report.findings.filter((f) => f.policyId !== 'api-keys-restricted'))).toEqual(same(code.findings));
    expect(report.findings.filter((f) => f.policyId === 'api-keys-restricted').map((f) => `${f.address} ${f.severity}`)).toEqual(['projects/shop-delivery-prod/locations/global/keys/carriers medium']);
    expect(report.summary).toMatchObject({ incomplete: false, findings: { total: 6 } });
  });

  it('fixed: no finding', async () => {
    const { report } = await audit({ projects: loadSample('fixed') });
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ incomplete: false, gateways: 1, routes: 3 });
  });
});

describe('gatewarden audit gcp on the command line', () => {
  it('parses its options and rejects bad ones with a usage error', async () => {
    expect(LIVE_AUDITORS.gcp.parseOptions({ project: ['acme-orders-prod', 'p-two-222,acme-orders-prod'], locations: 'europe-west1, us-central1', 'endpoint-url': 'http://127.0.0.1:8080' })).toEqual({
      projects: ['acme-orders-prod', 'p-two-222'],
      locations: ['europe-west1', 'us-central1'],
      endpointUrl: 'http://127.0.0.1:8080',
    });
    expect(LIVE_AUDITORS.gcp.parseOptions({ locations: 'all' })).toEqual({});
    const usage = await runCli(['audit', 'gcp', '--project', 'Not_A_Project'], repo);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--project: "Not_A_Project" is not a project id');
    expect((await runCli(['audit', 'gcp', '--locations', 'mars'], repo)).stderr).toContain('--locations: "mars" is not a location');
    const help = await runCli(['audit', 'gcp', '--help'], repo);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--project ID[\s\S]*--locations LIST[\s\S]*--endpoint-url URL/);
  });

  it('runs a whole audit with Application Default Credentials from a metadata server on 127.0.0.1', { timeout: 30_000 }, async () => {
    fake = (await startFakeGcp({ projects: { 'acme-orders-prod': ORDERS_PROJECT } })) as Fake;
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-audit-gcp-'));
    const saved = { GCE_METADATA_HOST: process.env.GCE_METADATA_HOST, GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CONFIG: process.env.CLOUDSDK_CONFIG };
    // No credentials file, no gcloud configuration: the metadata server is all ADC finds.
    process.env.GCE_METADATA_HOST = new URL(fake.url).host;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.CLOUDSDK_CONFIG = dir;
    // A config suppression names the finding by its resource name, as the report shows it.
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'suppressions:\n  - policy: route-requires-auth\n    address: "projects/acme-orders-prod/locations/global/apis/orders/configs/*/GET /healthz"\n    reason: Uptime checks carry no credentials.\n');
    let stdout = '';
    let stderr = '';
    try {
      const code = await cli(['audit', 'gcp', '--endpoint-url', fake.url, '--project', 'acme-orders-prod', '--format', 'text', '--fail-on', 'never'], { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd: dir, env: {} });
      expect(stderr).toBe('gatewarden: using the config file .gatewarden.yaml\n');
      expect(code).toBe(0);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(stdout).toContain('GCP project acme-orders-prod, global');
    expect(stdout).toMatch(/Suppressed[\s\S]*projects\/acme-orders-prod\/locations\/global\/apis\/orders\/configs\/orders-20261201\/GET \/healthz[\s\S]*Uptime checks carry no credentials/);
    expect(stdout).toMatch(/· 1 suppressed ·/);
    const api = fake.requests.filter((r) => r.service !== 'metadata');
    expect(api.every((r) => r.authorization === 'Bearer metadata-token')).toBe(true);
    expect(fake.requests.some((r) => r.service === 'metadata' && r.path.endsWith('/token'))).toBe(true);
  });
});
