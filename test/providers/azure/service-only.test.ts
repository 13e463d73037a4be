import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { scan } from '../../helpers/without-logging.js';
import { startFakeArm, type FakeArm } from '../../helpers/fake-arm.mjs';

// An API Management service none of whose APIs is in the scan (imported later, deployed from another
// repository, made in the portal): a stand-in gateway carries its service-wide settings, at the
// service, so that TLS protocols and network exposure are checked where they are written.
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const fixtures = path.join(repo, 'test/fixtures/azure/service-only');
const SUB = '33333333-3333-3333-3333-333333333333';
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

type Report = Awaited<ReturnType<typeof scan>>;
const UNCALLED =
  'backend legacy-billing of API Management service apim-platform is reached over plain http://, and no route in the scan calls it: the APIs that send calls there will send them unencrypted';
/** The findings on backends no route in the scan calls, with where they point (never the url itself). */
const backendFindings = (report: Report): string[] =>
  report.findings.filter((f) => f.entityKind === 'backend').map((f) => `${f.policyId} ${f.severity} ${f.address} ${f.location.file}:${f.location.startLine} ${f.message === UNCALLED}`);
const findings = (report: Report): string[] =>
  report.findings.map((f) => `${f.policyId} ${f.severity} ${f.entityKind} ${f.address} ${f.standIn ?? '-'} ${f.location.file}:${f.location.startLine}`).sort();

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('an API Management service with no API in the scan', () => {
  it('Terraform: reports TLS 1.0 at the flag and the public service at its block, on the stand-in', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'terraform') });
    expect(findings(report)).toEqual([
      'apim-network-exposure low gateway azurerm_api_management.platform apis-outside-scan main.tf:3',
      'apim-tls-protocols medium gateway azurerm_api_management.platform apis-outside-scan main.tf:12',
      'backend-entity-https medium backend azurerm_api_management_backend.legacy - main.tf:22',
    ]);
    expect(report.unevaluated).toEqual([]);
    // The plain http:// backend no route here calls: reported once, at its url, never quoting it.
    expect(backendFindings(report)).toEqual(['backend-entity-https medium azurerm_api_management_backend.legacy main.tf:22 true']);
    // No routes: what the APIs' policies and diagnostics decide is not applicable, not passed.
    expect(report.summary).toMatchObject({ gateways: 1, routes: 0, incomplete: false });
    expect(report.summary.checks).toMatchObject({ failed: 3, passed: 0, unknown: 0 });
    expect(report.findings.find((f) => f.policyId === 'apim-tls-protocols')?.message).toBe(
      'API Management service apim-platform (API apim-platform) accepts TLS 1.0 from clients and uses TLS 1.2 towards backends: only TLS 1.2 or later should be allowed',
    );
  });

  it('ARM: the same findings, at customProperties and the service', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'arm') });
    expect(findings(report)).toEqual([
      'apim-network-exposure low gateway Microsoft.ApiManagement/service/apim-platform apis-outside-scan azuredeploy.json:14',
      'apim-tls-protocols medium gateway Microsoft.ApiManagement/service/apim-platform apis-outside-scan azuredeploy.json:17',
      'backend-entity-https medium backend Microsoft.ApiManagement/service/apim-platform/backends/legacy-billing - azuredeploy.json:29',
    ]);
    expect(report.summary).toMatchObject({ gateways: 1, routes: 0 });
    expect(backendFindings(report)).toEqual(['backend-entity-https medium Microsoft.ApiManagement/service/apim-platform/backends/legacy-billing azuredeploy.json:29 true']);
  });

  it('a live instance with zero APIs: the same findings, at the instance', async () => {
    fake = await startFakeArm({
      subscriptions: {
        [SUB]: {
          services: [
            {
              resourceGroup: 'rg-platform',
              name: 'apim-platform',
              sku: { name: 'Developer', capacity: 1 },
              properties: { customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'True' } },
              backends: [{ name: 'legacy-billing', properties: { protocol: 'http', url: 'http://billing.internal.example.com/api' } }],
            },
          ],
        },
      },
    });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5 });
    const id = `/subscriptions/${SUB}/resourceGroups/rg-platform/providers/Microsoft.ApiManagement/service/apim-platform`;
    expect(findings(report)).toEqual([
      `apim-network-exposure low gateway ${id} apis-outside-scan ${id}:1`,
      `apim-tls-protocols medium gateway ${id} apis-outside-scan ${id}:1`,
      `backend-entity-https medium backend ${id}/backends/legacy-billing - ${id}/backends/legacy-billing:1`,
    ]);
    expect(report.summary).toMatchObject({ gateways: 1, routes: 0, errors: 0 });
    // The backends list is read (a GET, as every call of an audit) into the same backend entity.
    expect(backendFindings(report)).toEqual([`backend-entity-https medium ${id}/backends/legacy-billing ${id}/backends/legacy-billing:1 true`]);
    expect(fake.requests.some((request) => request.path === `${id}/backends`)).toBe(true);
    expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('a backend entity named by set-backend-service backend-id gives the route its http:// URL (backend-https), at the url, the policy related', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'backend-id') });
    const backend = report.findings.filter((f) => f.policyId === 'backend-https');
    expect(backend.map((f) => `${f.address} ${f.routeKey} ${f.location.file}:${f.location.startLine}`)).toEqual(['azurerm_api_management_api.invoices * /invoices/* main.tf:17']);
    expect(backend[0]?.related?.map((r) => `${r.location.file}:${r.location.startLine} ${r.message}`)).toEqual(['main.tf:38 sends the calls to backend invoices-backend here']);
    // Called by a scanned route: reported there, not a second time on the backend.
    expect(backendFindings(report)).toEqual([]);
    // The service has an API in the scan: no stand-in.
    expect(report.findings.some((f) => f.standIn === 'apis-outside-scan')).toBe(false);
  });
});
