import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { scan } from '../../../src/pipeline/scan.js';
import { startFakeArm, type FakeArm } from '../../helpers/fake-arm.mjs';

// samples/azure-live holds Resource Manager's recorded answers for the shop's instance as deployed
// from samples/azure-terraform (scripts/record-azure-samples.mjs); docs/audit-azure.md describes them.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

interface Sample {
  readonly subscriptionId: string;
  readonly responses: Record<string, unknown>;
}

const sample = (variant: string): Sample => JSON.parse(readFileSync(path.join(repo, 'samples/azure-live', `${variant}.json`), 'utf8')) as Sample;

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function replay(variant: string) {
  const recorded = sample(variant);
  fake = await startFakeArm({ replay: recorded.responses, subscriptions: {} });
  // No --subscription: the audit lists the subscriptions, as it would with a principal's credentials.
  const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential });
  return { report, recorded };
}

describe('the recorded Azure samples, replayed', () => {
  it('the insecure instance reports the findings of its Terraform, by resource id and route, except the keys an audit never sees', async () => {
    const { report, recorded } = await replay('insecure');
    const service = `/subscriptions/${recorded.subscriptionId}/resourceGroups/rg-shop-prod/providers/Microsoft.ApiManagement/service/apim-shop-prod`;
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, gateways: 2, routes: 3 });
    expect(report.targets).toEqual([`azure:${recorded.subscriptionId}`]);
    expect(report.findings.map((f) => [f.policyId, f.address, f.routeKey ?? '-', f.severity]).sort()).toEqual(
      [
        // The service-wide diagnostic logs bodies for both APIs: one finding on the service.
        ['apim-diagnostics-payloads', service, '-', 'medium'],
        ['apim-request-validation', `${service}/apis/catalog/operations/update-price`, 'PUT /catalog/products/{sku}/price', 'low'],
        ['cors-not-open', `${service}/policies/policy/cors`, '-', 'critical'],
        ['route-requires-auth', `${service}/apis/catalog/operations/list-products`, 'GET /catalog/products', 'high'],
        ['route-requires-auth', `${service}/apis/catalog/operations/update-price`, 'PUT /catalog/products/{sku}/price', 'high'],
        ['route-requires-auth', `${service}/apis/loyalty/operations/balance`, 'GET /loyalty/balance', 'medium'],
        ['throttling-configured', `${service}/apis/catalog/operations/list-products`, 'GET /catalog/products', 'medium'],
        ['throttling-configured', `${service}/apis/catalog/operations/update-price`, 'PUT /catalog/products/{sku}/price', 'medium'],
        // The service is public, with no virtual network, no ip-filter and the backends' headers kept.
        ['apim-network-exposure', service, '-', 'low'],
        ['apim-inbound-restricted', `${service}/apis/catalog`, '-', 'medium'],
        ['apim-inbound-restricted', `${service}/apis/loyalty`, '-', 'medium'],
        ['apim-backend-headers-removed', `${service}/apis/catalog`, '-', 'low'],
        ['apim-backend-headers-removed', `${service}/apis/loyalty`, '-', 'low'],
      ].sort(),
    );
    // The same as a scan of the Terraform it was deployed from, less the two keys written there.
    const terraform = await scan({ cwd: repo, paths: ['samples/azure-terraform/insecure'] });
    const keys = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.routeKey ?? '-'} ${f.severity} ${f.message}`).sort();
    expect(keys(report.findings)).toEqual(keys(terraform.findings.filter((f) => f.policyId !== 'no-static-api-keys')));
    // Every answer came from the recording.
    expect(fake!.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it('the fixed instance reports nothing and is complete', async () => {
    const { report } = await replay('fixed');
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, gateways: 2, routes: 3, findings: { total: 0 } });
    expect(fake!.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it('replays from the command line: scripts/replay-azure-sample.mjs runs gatewarden audit azure against a recording, signed in through its managed identity endpoint', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name)));
    const run = (variant: string) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, [path.join(repo, 'scripts/replay-azure-sample.mjs'), `samples/azure-live/${variant}.json`, '--format', 'json'], { cwd: repo, env, timeout: 60_000 }, (error, stdout) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
        );
      });
    const insecure = await run('insecure');
    expect(insecure.code).toBe(1);
    const report = JSON.parse(insecure.stdout) as { findings: Array<{ policyId: string; routeKey?: string }> };
    expect(report.findings.filter((f) => f.policyId === 'cors-not-open').map((f) => f.routeKey ?? '-')).toEqual(['-']);
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => f.routeKey).sort()).toEqual(['GET /catalog/products', 'GET /loyalty/balance', 'PUT /catalog/products/{sku}/price']);
    const fixed = await run('fixed');
    expect(fixed.code).toBe(0);
    expect((JSON.parse(fixed.stdout) as { findings: unknown[] }).findings).toEqual([]);
  }, 60_000);

  it('keeps no key and no secret value in the recordings', () => {
    for (const variant of ['insecure', 'fixed']) {
      const text = JSON.stringify(sample(variant));
      expect(text).not.toMatch(/primaryKey|secondaryKey|FAKE[a-zA-Z]*KEY/);
      expect(Object.keys(sample(variant).responses).every((key) => key.startsWith('/subscriptions'))).toBe(true);
    }
  });
});
