import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { scan } from '../../helpers/without-logging.js';
import { startFakeArm, type FakeArm, type FakeService } from '../../helpers/fake-arm.mjs';

// An API whose policies check the caller's certificate, on a service that asks callers for one or
// not: the same facts from Terraform, an ARM template and a live instance read with the real
// ApiManagementClient pipeline against the fake Resource Manager.
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const cases = path.join(repo, 'policies/tls/apim-client-certificate-negotiated/test');
const SUB = '44444444-4444-4444-4444-444444444444';
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const POLICY = 'apim-client-certificate-negotiated';
const VALIDATE = '<policies><inbound><base /><validate-client-certificate validate-trust="true" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
const LENIENT =
  '<policies><inbound><base /><choose><when condition="@(context.Request.Certificate != null &amp;&amp; !context.Request.Certificate.Verify())"><return-response><set-status code="403" /></return-response></when></choose></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

type Report = Awaited<ReturnType<typeof scan>>;
/** The policy's findings: entity, where, and the lines of the related check. */
const findings = (report: Report): string[] =>
  report.findings
    .filter((f) => f.policyId === POLICY)
    .map((f) => `${f.severity} ${f.entityKind} ${f.address} ${f.location.file}:${f.location.startLine} related ${(f.related ?? []).map((r) => `${r.location.file}:${r.location.startLine}`).join(',')}`);

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function instance(name: string, sku: string, extra: Partial<FakeService>): FakeService {
  return {
    resourceGroup: 'rg-mtls',
    name,
    sku: { name: sku, capacity: sku === 'Consumption' ? 0 : 1 },
    apis: [{ name: 'partners', properties: { path: 'partners', protocols: ['https'], serviceUrl: 'https://partners.example.com/api' }, policy: VALIDATE }],
    ...extra,
  };
}

describe('client certificates checked by API Management policies', () => {
  it('Terraform: at the Consumption service that does not set client_certificate_enabled, the validate-client-certificate related', async () => {
    const report = await scan({ cwd: path.join(cases, 'consumption-validate') });
    expect(findings(report)).toEqual(['medium gateway azurerm_api_management_api.partners main.tf:2 related main.tf:30']);
    expect(report.findings.find((f) => f.policyId === POLICY)?.message).toBe(
      "partners checks callers' client certificates, but API Management service apim-partners never asks callers for one: the certificate is always missing, so every call fails the check or skips it",
    );
  });

  it('Terraform: a lenient expression on a Developer service, at the hostname that does not negotiate', async () => {
    const report = await scan({ cwd: path.join(cases, 'hostname-not-negotiating') });
    expect(findings(report)).toEqual(['medium gateway azurerm_api_management_api.devices main.tf:15 related main.tf:51']);
    // The same API with negotiation on passes.
    const negotiating = await scan({ cwd: path.join(cases, 'hostname-negotiates') });
    expect(findings(negotiating)).toEqual([]);
    expect(negotiating.unevaluated.filter((u) => u.policyId === POLICY)).toEqual([]);
  });

  it('ARM: enableClientCertificate false on a Consumption service, at the flag', async () => {
    const report = await scan({ cwd: path.join(cases, 'arm-consumption') });
    expect(findings(report)).toEqual(['medium gateway Microsoft.ApiManagement/service/apim-suppliers/apis/suppliers azuredeploy.json:17 related azuredeploy.json:39']);
  });

  it('live: the same findings from the instances, read with GET calls only', async () => {
    fake = await startFakeArm({
      subscriptions: {
        [SUB]: {
          services: [
            // Consumption, not asking for certificates: every call fails validate-client-certificate.
            instance('apim-consumption', 'Consumption', { properties: { enableClientCertificate: false } }),
            // Consumption, asking: passes.
            instance('apim-consumption-on', 'Consumption', { properties: { enableClientCertificate: true } }),
            // Developer, the default hostname negotiating: passes.
            instance('apim-default-host', 'Developer', { defaultHostnameNegotiatesClientCertificate: true }),
            // Developer, no hostname negotiating, a lenient expression on an operation: never checks.
            instance('apim-lenient', 'Developer', {
              apis: [
                {
                  name: 'devices',
                  properties: { path: 'devices', protocols: ['https'], serviceUrl: 'https://devices.example.com/api' },
                  operations: [{ name: 'telemetry', properties: { method: 'POST', urlTemplate: '/telemetry' }, policy: LENIENT }],
                },
              ],
            }),
          ],
        },
      },
    });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5 });
    const id = (name: string): string => `/subscriptions/${SUB}/resourceGroups/rg-mtls/providers/Microsoft.ApiManagement/service/${name}`;
    expect(findings(report).sort()).toEqual(
      [
        `medium gateway ${id('apim-consumption')}/apis/partners ${id('apim-consumption')}:1 related ${id('apim-consumption')}/apis/partners/policies/policy:1`,
        `medium gateway ${id('apim-lenient')}/apis/devices ${id('apim-lenient')}:1 related ${id('apim-lenient')}/apis/devices/operations/telemetry/policies/policy:1`,
      ].sort(),
    );
    expect(report.unevaluated.filter((u) => u.policyId === POLICY)).toEqual([]);
    expect(fake.requests.every((request) => request.method === 'GET' || request.path === '/msi/token')).toBe(true);
  });
});
