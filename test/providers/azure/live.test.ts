import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive, type AuditOptions } from '../../../src/pipeline/audit.js';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan, withoutLogging } from '../../helpers/without-logging.js';
import { renderText } from '../../../src/reporters/text.js';
import { startFakeArm, type FakeArm, type FakeArmOptions, type FakeService } from '../../helpers/fake-arm.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const recorded = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/live/azure/conformance.json'), 'utf8')) as { subscriptionId: string; service: FakeService };
const SUB = recorded.subscriptionId;
const OTHER = '22222222-2222-2222-2222-222222222222';
const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/rg-apis/providers/Microsoft.ApiManagement/service/contoso-apim`;
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/**
 * An audit against the fake, without the findings of the logging policies: these instances have no
 * diagnostics, and their logging is tested on its own (policies/logging/, and below).
 */
async function audit(fakeOptions: FakeArmOptions, options: Partial<AuditOptions<'azure'>> = {}) {
  fake = await startFakeArm(fakeOptions);
  const result = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5, ...options });
  return { ...result, report: withoutLogging(result.report) };
}

type Findings = Awaited<ReturnType<typeof audit>>['report']['findings'];
const keys = (findings: Findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? '-'} ${f.severity}`).sort();

/** A small instance: one API without a subscription, with `n` operations. */
function instance(name: string, operations = 1, resourceGroup = 'rg-small'): FakeService {
  return {
    resourceGroup,
    name,
    apis: [{ name: 'echo', properties: { path: 'echo', protocols: ['https'], subscriptionRequired: false }, operations: Array.from({ length: operations }, (_, index) => ({ name: `op${index}`, properties: { method: 'GET', urlTemplate: `/r${index}` } })) }],
  };
}

describe('gatewarden audit azure, with the real ApiManagementClient pipeline against a fake Resource Manager', () => {
  it('gives the findings a scan of the ARM template or the Terraform that created the instance gives', async () => {
    const { report } = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    const code = await scan({ cwd: path.join(repo, 'test/fixtures/live/azure/template') });
    const terraform = await scan({ cwd: path.join(repo, 'test/fixtures/live/azure/terraform') });
    expect(keys(report.findings)).toEqual(keys(code.findings));
    expect(keys(report.findings)).toEqual(keys(terraform.findings));
    expect(report.findings.map((f) => f.message).sort()).toEqual(terraform.findings.map((f) => f.message).sort());
    expect(keys(report.findings)).toEqual([
      // Each API, on a public service in no virtual network: no policy removes the backends'
      // headers (the global <outbound /> included) or filters callers.
      'apim-backend-headers-removed gateway - low',
      'apim-backend-headers-removed gateway - low',
      'apim-inbound-restricted gateway - medium',
      'apim-inbound-restricted gateway - medium',
      // The service is public, in no virtual network: one finding on the service for both APIs.
      'apim-network-exposure gateway - low',
      // POST /orders takes a body that no validate-content checks.
      'apim-request-validation route POST /orders low',
      // The instance accepts TLS 1.0 from clients (customProperties): one finding on the service,
      // naming its two APIs.
      'apim-tls-protocols gateway - medium',
      'cors-not-open cors - high',
      'route-requires-auth route GET /orders/{orderId} high',
      'route-requires-auth route POST /orders high',
      'throttling-configured route POST /orders medium',
    ]);
    // The same messages: the same names, routes and scopes.
    expect(report.findings.map((f) => f.message).sort()).toEqual(code.findings.map((f) => f.message).sort());
    expect(report.summary).toMatchObject({ incomplete: false, gateways: 2, routes: 3, files: 0, unevaluated: 0 });
    expect(report.targets).toEqual([`azure:${SUB}`]);
  });

  it("gives live findings the owner the API Management service's tag names: an API has no tags of its own", async () => {
    const { parseConfig } = await import('../../../src/config/load.js');
    const config = parseConfig('owners: { tag: [team, owner] }\n', path.join(repo, '.gatewarden.yaml'), (file) => file);
    const tagged = { ...recorded.service, tags: { Owner: 'team-apim', 'cost-center': '42' } };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [tagged] } } }, { config });
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.owner?.name} ${f.owner?.source}`).sort()).toEqual([
      // The findings on each API take the service's tags too, and so do those on the service.
      ...['apim-backend-headers-removed', 'apim-inbound-restricted'].flatMap((policy) =>
        ['inventory-api', 'orders-api'].map((api) => `${policy} ${SERVICE_ID}/apis/${api} team-apim tag`),
      ),
      `apim-network-exposure ${SERVICE_ID} team-apim tag`,
      `apim-request-validation ${SERVICE_ID}/apis/orders-api/operations/create-order team-apim tag`,
      `apim-tls-protocols ${SERVICE_ID} team-apim tag`,
      `cors-not-open ${SERVICE_ID}/policies/policy/cors team-apim tag`,
      `route-requires-auth ${SERVICE_ID}/apis/orders-api/operations/create-order team-apim tag`,
      `route-requires-auth ${SERVICE_ID}/apis/orders-api/operations/get-order team-apim tag`,
      `throttling-configured ${SERVICE_ID}/apis/orders-api/operations/create-order team-apim tag`,
    ]);
    // Without tags, a live finding has no owner: no file, so no path glob or CODEOWNERS.
    const untagged = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } }, { config });
    expect(untagged.report.findings.map((f) => f.owner)).toEqual(untagged.report.findings.map(() => undefined));
  });

  it('names each finding by ARM resource id, subscription and portal link', async () => {
    const { report } = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    const finding = report.findings.find((f) => f.policyId === 'route-requires-auth' && f.routeKey === 'POST /orders')!;
    const id = `${SERVICE_ID}/apis/orders-api/operations/create-order`;
    expect(finding).toMatchObject({
      address: id,
      entityId: id,
      origin: { format: 'live', account: SUB, region: 'West Europe' },
      location: { file: `${SERVICE_ID}/apis/orders-api`, url: `https://portal.azure.com/#resource${SERVICE_ID}/overview` },
    });
    const cors = report.findings.find((f) => f.policyId === 'cors-not-open')!;
    expect(cors.entityId).toBe(`${SERVICE_ID}/policies/policy/cors`);
    const text = renderText(report, { color: false });
    expect(text.split('\n')[0]).toBe(`Azure subscription ${SUB}, West Europe`);
    expect(text).toContain(`           ${id} (POST /orders)\n           https://portal.azure.com/#resource${SERVICE_ID}/overview\n`);
    expect(text).toMatch(/^1 subscription · 2 gateways · 3 routes · 11 findings/m);
  });

  it('makes GET calls only, with the bearer token, and never lists secrets or keys', async () => {
    const { report, calls } = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    const requests = fake!.requests;
    expect(requests.every((r) => r.method === 'GET' && r.authorization === 'Bearer fake-arm-token')).toBe(true);
    expect(requests.filter((r) => /listsecrets|listvalue|listkeys/i.test(r.path))).toEqual([]);
    expect(requests.every((r) => r.path.startsWith('/subscriptions'))).toBe(true);
    expect(calls).toBe(requests.length);
    // The scopes that have a policy are listed once (allPolicies), and only their policies are asked for, as rawxml.
    const policies = requests.filter((r) => r.path.endsWith('/policies/policy'));
    expect(policies.map((r) => r.path.slice(SERVICE_ID.length)).sort()).toEqual([
      '/apis/inventory-api/policies/policy',
      '/apis/orders-api/operations/get-order/policies/policy',
      '/apis/orders-api/policies/policy',
      '/policies/policy',
      '/products/public/policies/policy',
    ]);
    expect(requests.filter((r) => r.path === `${SERVICE_ID}/allPolicies`)).toHaveLength(1);
    expect(policies.every((r) => r.query.includes('format=rawxml') && r.query.includes('api-version=2024-05-01'))).toBe(true);
    expect(JSON.stringify(report)).not.toContain('api://inventory');
  });

  it('reads rawxml policies with unescaped @(...) expressions, fragments and named values: the JWT-protected API is not reported', async () => {
    const { report } = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    expect(report.findings.filter((f) => f.routeKey === 'GET /inventory/items')).toEqual([]);
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    // Without the fragment the inventory route has no rate limit.
    const withoutFragment = { ...recorded.service, fragments: { 'rate-limits': '<fragment />' } };
    await fake!.close();
    const second = await audit({ subscriptions: { [SUB]: { services: [withoutFragment] } } });
    expect(keys(second.report.findings.filter((f) => f.routeKey === 'GET /inventory/items'))).toEqual(['throttling-configured route GET /inventory/items medium']);
  });

  it('asks every scope for its policy when the instance does not list them (allPolicies), a 404 meaning none', async () => {
    const { report } = await audit({ noAllPolicies: true, subscriptions: { [SUB]: { services: [recorded.service] } } });
    expect(keys(report.findings)).toEqual(keys((await scan({ cwd: path.join(repo, 'test/fixtures/live/azure/template') })).findings));
    expect(report.summary.incomplete).toBe(false);
    const policies = fake!.requests.filter((r) => r.path.endsWith('/policies/policy')).map((r) => r.path.slice(SERVICE_ID.length));
    expect(policies).toContain('/apis/orders-api/operations/create-order/policies/policy');
    expect(policies).toHaveLength(7);
  });

  it('never reports a key value or where it came from: a value set in the service is not written in code', async () => {
    const token = 'sk_live_51Hx9aQ2eZvjKl8pNfT3mW0rYbC7dE4gQ';
    const service: FakeService = {
      ...instance('apim-keys'),
      namedValues: [{ name: 'partner-token', properties: { displayName: 'partner-token', secret: false, value: token } }],
      policy: '<policies><inbound><set-header name="Authorization" exists-action="override"><value>Bearer {{partner-token}}</value></set-header></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>',
    };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [service] } } });
    expect(report.findings.filter((f) => f.policyId === 'no-static-api-keys')).toEqual([]);
    expect(report.unevaluated.filter((u) => u.policyId === 'no-static-api-keys')).toEqual([]);
    expect(keys(report.findings)).toEqual([
      // The small instance's exposure (public, no filter, its <outbound /> keeps the backend's headers).
      'apim-backend-headers-removed gateway - low',
      'apim-inbound-restricted gateway - medium',
      'apim-network-exposure gateway - low',
      'route-requires-auth route GET /echo/r0 high',
      'throttling-configured route GET /echo/r0 medium',
    ]);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('reports backend credentials stored in the service by name, never value, and a validate-jwt without audiences (secrets-in-config, jwt-issuer-audience)', async () => {
    const service: FakeService = {
      ...instance('apim-backends'),
      backends: [{ name: 'partner', properties: { url: 'https://partner.example.com', protocol: 'http', credentials: { header: { 'x-api-key': ['FAKEliveBackendKey000001'], 'x-region': ['westeurope'] } } } }],
      policy:
        '<policies><inbound><validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" /></validate-jwt></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>',
    };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [service] } } });
    const ours = report.findings.filter((f) => ['secrets-in-config', 'jwt-issuer-audience'].includes(f.policyId)).map((f) => `${f.policyId} ${f.entityKind} ${f.severity} ${f.message}`);
    expect(ours.sort()).toEqual([
      'jwt-issuer-audience authorizer high JWT authorizer validate-jwt in the service apim-backends does not check both the token\'s issuer and its audience: tokens its identity provider signs for other applications are accepted',
      'secrets-in-config secret high backend credential header x-api-key holds a credential written in the configuration',
    ]);
    expect(JSON.stringify(report)).not.toContain('FAKEliveBackendKey000001');
  });

  it('reads the API of a product that needs no subscription through that product too', async () => {
    // The open product's rate limit does not bound the API's other path (the built-in all-access
    // subscription); the subscription key alone is not authentication.
    const openProduct: FakeService = {
      resourceGroup: 'rg-open',
      name: 'open-apim',
      apis: [{ name: 'catalog', properties: { path: 'catalog', protocols: ['https'], subscriptionRequired: true }, operations: [{ name: 'list', properties: { method: 'GET', urlTemplate: '/' } }] }],
      products: [{ name: 'free', properties: { displayName: 'Free', subscriptionRequired: false, state: 'published' }, apis: ['catalog'], policy: '<policies><inbound><base /><rate-limit calls="10" renewal-period="60" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>' }],
    };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [openProduct] } } });
    expect(keys(report.findings)).toEqual([
      // The instance's exposure (public, no filter, no policy removes the backend's headers).
      'apim-backend-headers-removed gateway - low',
      'apim-inbound-restricted gateway - medium',
      'apim-network-exposure gateway - low',
      'route-requires-auth route GET /catalog medium',
      'throttling-configured route GET /catalog medium',
    ]);
    expect(fake!.requests.some((r) => r.path.endsWith('/products/free/apis'))).toBe(true);
  });

  it('reads every page of every list, following nextLink', async () => {
    const services = [instance('apim-a', 5), instance('apim-b', 3), instance('apim-c', 1)];
    const { report } = await audit({ pageSize: 2, subscriptions: { [SUB]: { services }, [OTHER]: { services: [instance('apim-d', 2, 'rg-other')] } } });
    expect(report.summary).toMatchObject({ gateways: 4, routes: 11, incomplete: false });
    expect(report.targets).toEqual([`azure:${SUB}`, `azure:${OTHER}`]);
    const listing = fake!.requests.filter((r) => r.path === `/subscriptions/${SUB}/providers/Microsoft.ApiManagement/service`).map((r) => r.query);
    expect(listing).toEqual(['?api-version=2024-05-01', '?api-version=2024-05-01&$skiptoken=2']);
    const operations = fake!.requests.filter((r) => r.path.endsWith('/service/apim-a/apis/echo/operations')).map((r) => r.query);
    expect(operations).toEqual(['?api-version=2024-05-01', '?api-version=2024-05-01&$skiptoken=2', '?api-version=2024-05-01&$skiptoken=4']);
    const routes = report.findings.filter((f) => f.policyId === 'route-requires-auth' && f.entityId.includes('/apim-a/')).map((f) => f.routeKey).sort();
    expect(routes).toEqual(['GET /echo/r0', 'GET /echo/r1', 'GET /echo/r2', 'GET /echo/r3', 'GET /echo/r4']);
  });

  it("follows a local server's nextLink to its own address, never another host's", async () => {
    const { report } = await audit({ pageSize: 2, selfLinks: true, subscriptions: { [SUB]: { services: [instance('apim-a', 5)] } } });
    expect(report.summary).toMatchObject({ gateways: 1, routes: 5, incomplete: false });
    const operations = fake!.requests.filter((r) => r.path.endsWith('/service/apim-a/apis/echo/operations')).map((r) => r.query);
    expect(operations).toEqual(['?api-version=2024-05-01', '?api-version=2024-05-01&$skiptoken=2', '?api-version=2024-05-01&$skiptoken=4']);
  });

  it('waits as long as Retry-After says on 429, then completes', async () => {
    const started = Date.now();
    const { report } = await audit({ throttleFirst: 2, retryAfter: '1', subscriptions: { [SUB]: { services: [recorded.service] } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(report.summary.incomplete).toBe(false);
    // The eleven of the first audit above.
    expect(keys(report.findings)).toHaveLength(11);
    expect(keys(report.findings)).toEqual(keys((await scan({ cwd: path.join(repo, 'test/fixtures/live/azure/template') })).findings));
    // The first call (the subscriptions) was sent three times.
    expect(fake!.requests.slice(0, 3).map((r) => r.path)).toEqual(['/subscriptions', '/subscriptions', '/subscriptions']);
  });

  it('goes on when a subscription denies access, and says the audit is incomplete (exit 2)', async () => {
    const { report } = await audit({ deny: [OTHER], subscriptions: { [OTHER]: { services: [instance('apim-x')] }, [SUB]: { services: [recorded.service] } } });
    expect(keys(report.findings)).toEqual(keys((await scan({ cwd: path.join(repo, 'test/fixtures/live/azure/template') })).findings));
    const denied = report.diagnostics.filter((d) => d.severity === 'error');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ code: 'read-error', address: `/subscriptions/${OTHER}` });
    expect(denied[0]!.message).toContain('HTTP 403, AuthorizationFailed');
    expect(denied[0]!.message).toContain('API Management Service Reader Role');
    expect(report.summary.incomplete).toBe(true);
    expect(exitCodeFor(report, 'high')).toBe(2);
  });

  it('leaves out an instance deleted while it was read, names it, and audits the others', async () => {
    const { report } = await audit({ deleteAfterListing: ['apim-gone'], subscriptions: { [SUB]: { services: [instance('apim-gone', 2), instance('apim-here', 1)] } } });
    // An instance's findings are on its APIs (`/apim-here/apis/...`) or on the service (`/apim-here#apis`).
    expect(report.findings.filter((f) => /\/apim-gone[/#]/.test(f.entityId))).toEqual([]);
    expect(report.findings.filter((f) => /\/apim-here[/#]/.test(f.entityId)).map((f) => `${f.policyId} ${f.routeKey}`).sort()).toEqual([
      'apim-backend-headers-removed undefined',
      'apim-inbound-restricted undefined',
      'apim-network-exposure undefined',
      'route-requires-auth GET /echo/r0',
      'throttling-configured GET /echo/r0',
    ]);
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.address).toBe(`/subscriptions/${SUB}/resourceGroups/rg-small/providers/Microsoft.ApiManagement/service/apim-gone`);
    expect(errors[0]!.message).toMatch(/^API Management instance apim-gone was deleted or moved while the audit ran \(reading .* gave HTTP 404, ResourceNotFound/);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('reports a malformed response as an error of that instance only', async () => {
    const { report } = await audit({ malformed: /\/service\/apim-bad\/backends$/, subscriptions: { [SUB]: { services: [instance('apim-bad'), instance('apim-good')] } } });
    expect(report.findings.some((f) => f.entityId.includes('/apim-bad/'))).toBe(false);
    expect(report.findings.some((f) => f.entityId.includes('/apim-good/'))).toBe(true);
    const error = report.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.message).toContain('MalformedResponse');
    expect(error.address).toBe(`/subscriptions/${SUB}/resourceGroups/rg-small/providers/Microsoft.ApiManagement/service/apim-bad`);
  });

  it('does not read a response over the audit-response-size limit, and says how to raise it', async () => {
    const { report } = await audit({ pad: { path: /\/service\/apim-big\/backends$/, bytes: 200_000 }, subscriptions: { [SUB]: { services: [instance('apim-big'), instance('apim-small')] } } }, { limits: { 'audit-response-size': 64 * 1024 } });
    expect(report.findings.some((f) => f.entityId.includes('/apim-big/'))).toBe(false);
    expect(report.findings.some((f) => f.entityId.includes('/apim-small/'))).toBe(true);
    const error = report.diagnostics.find((d) => d.severity === 'error')!;
    expect(error).toMatchObject({ code: 'limit', address: `/subscriptions/${SUB}/resourceGroups/rg-small/providers/Microsoft.ApiManagement/service/apim-big` });
    expect(error.message).toContain('audit-response-size');
    expect(error.message).toContain('the backends of apim-big');
  });

  it('audits an empty subscription as complete, and reads only the named subscription, group and instance', async () => {
    const empty = await audit({ subscriptions: { [OTHER]: { services: [] } } });
    expect(empty.report.summary).toMatchObject({ incomplete: false, gateways: 0 });
    expect(empty.report.targets).toEqual([`azure:${OTHER}`]);
    await fake!.close();
    const { report } = await audit({ subscriptions: { [SUB]: { services: [instance('apim-a'), instance('apim-b', 1, 'rg-b')] }, [OTHER]: { services: [instance('apim-z')] } } }, { subscriptions: [SUB], resourceGroup: 'rg-b', service: 'apim-b' });
    expect(report.summary.gateways).toBe(1);
    expect(fake!.requests.some((r) => r.path === '/subscriptions' || r.path.includes(OTHER) || r.path.includes('/apim-a'))).toBe(false);
    expect(fake!.requests[0]!.path).toBe(`/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.ApiManagement/service`);
  });


  it('stops every call when its time limit passes, even while waiting for a Retry-After, and names what it did not finish', async () => {
    const started = Date.now();
    const { report, stopped } = await audit({ throttleFirst: 1000, retryAfter: '30', subscriptions: { [SUB]: { services: [recorded.service] } } }, { subscriptions: [SUB], timeoutMs: 400 });
    expect(stopped).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'not-scanned', address: `/subscriptions/${SUB}` })]);
    expect(report.diagnostics[0]!.message).toContain('--timeout');
    expect(report.summary.incomplete).toBe(true);
  });

  it('gives up a call that is not answered within its time limit, and says which instance is not audited', async () => {
    const { report } = await audit({ hang: /\/service\/apim-slow\/namedvalues$/, subscriptions: { [SUB]: { services: [instance('apim-slow'), instance('apim-fast')] } } }, { requestTimeoutMs: 200, maxRetries: 0 });
    expect(report.findings.some((f) => f.entityId.includes('/apim-slow/'))).toBe(false);
    expect(report.findings.some((f) => f.entityId.includes('/apim-fast/'))).toBe(true);
    const error = report.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.message).toMatch(/^reading the named values of apim-slow failed/);
    expect(error.message).toContain('API Management instance apim-slow is not audited');
  });

  it('runs from the command line with a managed identity endpoint on 127.0.0.1 and no Azure account', async () => {
    fake = await startFakeArm({ identity: { header: 'local-secret' }, subscriptions: { [SUB]: { services: [recorded.service] } } });
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name)));
    const { code, stdout } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(repo, 'bin/gatewarden.js'), 'audit', 'azure', '--endpoint-url', fake!.url, '--subscription', SUB, '--format', 'json', '--fail-on', 'never'],
        { cwd: repo, env: { ...env, IDENTITY_ENDPOINT: `${fake!.url}/msi/token`, IDENTITY_HEADER: 'local-secret', NO_COLOR: '1' }, timeout: 60_000 },
        (error, out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { findings: Findings; targets: string[] };
    // The eleven of the first audit above, and the two APIs' missing diagnostics.
    expect(keys(report.findings)).toHaveLength(13);
    expect(report.findings.filter((f) => f.policyId === 'apim-diagnostics')).toHaveLength(2);
    expect(report.targets).toEqual([`azure:${SUB}`]);
    expect(fake!.requests[0]!.path).toBe('/msi/token');
    expect(fake!.requests[0]!.query).toContain('resource=https%3A%2F%2Fmanagement.azure.com');
  }, 60_000);

  it('reads the diagnostics of the service and of each API, and the Azure Monitor diagnostic settings of the service', async () => {
    const logger = `${SERVICE_ID}/loggers/appi`;
    const apis = (names: string[]) => names.map((name) => ({ ...instance('x').apis![0]!, name, properties: { path: name, protocols: ['https'], subscriptionRequired: true } }));
    const logged: FakeService = {
      ...instance('apim-logged'),
      // Every API to Application Insights with bodies; orders replaces it with a diagnostic sampling nothing.
      diagnostics: [{ name: 'applicationinsights', properties: { loggerId: logger, sampling: { samplingType: 'fixed', percentage: 20 }, frontend: { request: { headers: ['Authorization'], body: { bytes: 0 } } } } }],
      apis: [...apis(['catalog']), { ...apis(['orders'])[0]!, diagnostics: [{ name: 'applicationinsights', properties: { loggerId: logger, sampling: { samplingType: 'fixed', percentage: 0 } } }] }],
    };
    const monitored: FakeService = { ...instance('apim-monitored'), diagnosticSettings: [{ name: 'to-workspace', properties: { workspaceId: '/subscriptions/x/workspaces/w', logs: [{ category: 'GatewayLogs', enabled: true }] } }] };
    fake = await startFakeArm({ subscriptions: { [SUB]: { services: [logged, monitored, instance('apim-silent')] } } });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5 });
    const logging = report.findings.filter((f) => f.policyId.startsWith('apim-diagnostics')).map((f) => `${f.policyId} ${f.address.replace(/^.*\/service\//, '')}`);
    // catalog inherits the service's diagnostic: the finding on what it logs is the service's.
    expect(logging.sort()).toEqual(['apim-diagnostics apim-logged/apis/orders', 'apim-diagnostics apim-silent/apis/echo', 'apim-diagnostics-payloads apim-logged']);
    expect(report.summary.incomplete).toBe(false);
    // Read with GET calls only, Azure Monitor's with its own API version.
    expect(fake.requests.some((request) => request.path.endsWith('/apim-monitored/providers/Microsoft.Insights/diagnosticSettings') && request.query.includes('api-version=2021-05-01-preview'))).toBe(true);
    expect(fake.requests.every((request) => request.method === 'GET' || request.path === '/msi/token')).toBe(true);
  });

  it('leaves the logging of an instance without diagnostics unknown when its Azure Monitor diagnostic settings are refused, and audits the rest', async () => {
    fake = await startFakeArm({ denyMonitor: true, subscriptions: { [SUB]: { services: [instance('apim-reader')] } } });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5 });
    expect(report.summary).toMatchObject({ errors: 0, gateways: 1, routes: 1 });
    const unknown = report.unevaluated.filter((check) => check.policyId === 'apim-diagnostics');
    expect(unknown.map((check) => check.address.replace(/^.*\/service\//, ''))).toEqual(['apim-reader/apis/echo']);
    expect(unknown[0]!.reason).toContain('Microsoft.Insights/diagnosticSettings/read');
    expect(report.findings.filter((f) => f.policyId === 'apim-diagnostics')).toEqual([]);
  });

  it('has at most four calls in flight per instance and two instances at once', async () => {
    const services = Array.from({ length: 4 }, (_, index) => instance(`apim-${index}`, 6));
    const { report } = await audit({ delayMs: 30, subscriptions: { [SUB]: { services } } });
    expect(report.summary).toMatchObject({ gateways: 4, routes: 24, incomplete: false });
    expect(fake!.maxInFlight).toBeGreaterThan(4);
    expect(fake!.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('says when the credentials are refused or a named subscription does not exist', async () => {
    const refused = { getToken: async () => Promise.reject(Object.assign(new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.'), { name: 'CredentialUnavailableError' })) };
    const signIn = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } }, { credential: refused });
    expect(signIn.report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'read-error' })]);
    expect(signIn.report.diagnostics[0]!.message).toMatch(/^listing the subscriptions of the credentials failed \(CredentialUnavailableError\): DefaultAzureCredential failed .*; the token was refused: sign in again \(az login\)/);
    expect(fake!.requests).toEqual([]);
    await fake!.close();
    const missing = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } }, { subscriptions: [OTHER] });
    expect(missing.report.diagnostics.map((d) => d.message)).toEqual([
      `listing the API Management instances of subscription ${OTHER} failed (HTTP 404, SubscriptionNotFound): The subscription '${OTHER}' could not be found.; check the subscription id ("az account list -o table") and --resource-group`,
    ]);
    expect(exitCodeFor(missing.report, 'never')).toBe(2);
  });

  it('works around the client losing the text of a rawxml API policy (Azure/azure-sdk-for-js#31566)', async () => {
    fake = await startFakeArm({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    const inner = createDefaultHttpClient();
    const target = new URL(fake.url);
    const httpClient: HttpClient = {
      sendRequest: (request) => {
        const url = new URL(request.url);
        request.url = `${target.origin}${url.pathname}${url.search}`;
        request.allowInsecureConnection = true;
        return inner.sendRequest(request);
      },
    };
    const client = new ApiManagementClient(credential, SUB, { httpClient });
    const viaClient = await client.apiPolicy.get('rg-apis', 'contoso-apim', 'inventory-api', 'policy', { format: 'rawxml' });
    // The bug: the JSON body is read as XML, so the policy comes back without its text.
    expect(viaClient.value).toBeUndefined();
    // The audit reads the same policy with a raw GET on the same pipeline, and checks it: the JWT is validated.
    await fake.close();
    const { report } = await audit({ subscriptions: { [SUB]: { services: [recorded.service] } } });
    expect(fake!.requests.some((r) => r.path === `${SERVICE_ID}/apis/inventory-api/policies/policy` && r.query.includes('format=rawxml'))).toBe(true);
    expect(report.findings.filter((f) => f.routeKey === 'GET /inventory/items')).toEqual([]);
  });
});
