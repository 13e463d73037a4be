import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { azureCloud } from '../../../providers/azure/live/clouds.js';
import { translateLiveInstance } from '../../../providers/azure/live/translate.js';
import type { RawInstance } from '../../../providers/azure/live/raw.js';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { scan, withoutLogging } from '../../helpers/without-logging.js';
import { startFakeArm, type FakeArm, type FakeArmOptions, type FakeService } from '../../helpers/fake-arm.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SUB = '5e0c2b7a-91d4-4c3e-8f6a-2b4d6f8a0c1e';
const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/rg-orders/providers/Microsoft.ApiManagement/service/apim-orders`;
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

const GLOBAL = '<policies><inbound><rate-limit calls="100" renewal-period="60" /></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';
const JWT = `<policies><inbound><base /><validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/contoso.example/v2.0/.well-known/openid-configuration" /><audiences><audience>api://orders</audience></audiences></validate-jwt></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
const BASE = '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
const LIST = { name: 'list-orders', properties: { displayName: 'List orders', method: 'GET', urlTemplate: '/' } };

let fake: FakeArm | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An audit against the fake, without the logging policies' findings (these instances have no diagnostics). */
async function audit(fakeOptions: FakeArmOptions) {
  fake = await startFakeArm(fakeOptions);
  const result = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5, subscriptions: [SUB] });
  return { ...result, report: withoutLogging(result.report) };
}

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-azure-read-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Orders API: the current revision checks a JWT; revision 2 (online) dropped the check; revision 3 is offline. */
const withRevisions: FakeService = {
  resourceGroup: 'rg-orders',
  name: 'apim-orders',
  policy: GLOBAL,
  apis: [
    {
      name: 'orders',
      properties: { displayName: 'Orders', path: 'orders', protocols: ['https'], subscriptionRequired: false },
      policy: JWT,
      operations: [LIST],
      revisions: [
        { revision: '2', isOnline: true, policy: BASE, operations: [LIST] },
        { revision: '3', isOnline: false, policy: BASE, operations: [LIST] },
      ],
    },
  ],
};

/** The same instance as an ARM template: revision 2 says it is not current (revision 3 is left out: a template cannot take a revision offline). */
const template = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [
    { type: 'Microsoft.ApiManagement/service', apiVersion: '2022-08-01', name: 'apim-orders', location: 'westeurope', sku: { name: 'Developer', capacity: 1 }, properties: { publisherEmail: 'api@contoso.example', publisherName: 'Contoso' } },
    { type: 'Microsoft.ApiManagement/service/policies', apiVersion: '2022-08-01', name: 'apim-orders/policy', properties: { format: 'rawxml', value: GLOBAL } },
    { type: 'Microsoft.ApiManagement/service/apis', apiVersion: '2022-08-01', name: 'apim-orders/orders', properties: { displayName: 'Orders', path: 'orders', protocols: ['https'], subscriptionRequired: false } },
    { type: 'Microsoft.ApiManagement/service/apis/policies', apiVersion: '2022-08-01', name: 'apim-orders/orders/policy', properties: { format: 'rawxml', value: JWT } },
    { type: 'Microsoft.ApiManagement/service/apis/operations', apiVersion: '2022-08-01', name: 'apim-orders/orders/list-orders', properties: LIST.properties },
    { type: 'Microsoft.ApiManagement/service/apis', apiVersion: '2022-08-01', name: 'apim-orders/orders;rev=2', properties: { displayName: 'Orders', path: 'orders', protocols: ['https'], subscriptionRequired: false, apiRevision: '2', isCurrent: false } },
    { type: 'Microsoft.ApiManagement/service/apis/policies', apiVersion: '2022-08-01', name: 'apim-orders/orders;rev=2/policy', properties: { format: 'rawxml', value: BASE } },
    { type: 'Microsoft.ApiManagement/service/apis/operations', apiVersion: '2022-08-01', name: 'apim-orders/orders;rev=2/list-orders', properties: LIST.properties },
  ],
};

describe('gatewarden audit azure: revisions, self-hosted gateways, identity and backends', () => {
  it('checks the non-current revisions that are online like the current one, named ;rev=N, as a template that declares them', async () => {
    const { report } = await audit({ subscriptions: { [SUB]: { services: [withRevisions] } } });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, gateways: 2, routes: 2 });
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.routeKey ?? '-'}`).sort()).toEqual([
      // Each revision is an API on a public service with no virtual network, whose policies filter
      // no caller and keep the backends' headers (the global <outbound /> removes none).
      `apim-backend-headers-removed ${SERVICE_ID}/apis/orders -`,
      `apim-backend-headers-removed ${SERVICE_ID}/apis/orders;rev=2 -`,
      `apim-inbound-restricted ${SERVICE_ID}/apis/orders -`,
      `apim-inbound-restricted ${SERVICE_ID}/apis/orders;rev=2 -`,
      // The service's exposure: one finding on the service, for both revisions.
      `apim-network-exposure ${SERVICE_ID} -`,
      `route-requires-auth ${SERVICE_ID}/apis/orders;rev=2/operations/list-orders GET /orders;rev=2`,
    ]);
    // The offline revision is listed, not read.
    expect(fake!.requests.filter((request) => request.path.includes('rev=3'))).toEqual([]);
    const scanned = await scan({ cwd: write({ 'apim.json': JSON.stringify(template, null, 2) }) });
    const keys = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.routeKey ?? '-'} ${f.message}`).sort();
    expect(keys(scanned.findings)).toEqual(keys(report.findings));
  });

  it('reaches a revision through the products of its API', async () => {
    const service: FakeService = {
      ...withRevisions,
      apis: withRevisions.apis!.map((api) => ({ ...api, properties: { ...api.properties, subscriptionRequired: true } })),
      products: [{ name: 'open', properties: { displayName: 'Open', subscriptionRequired: false, state: 'published' }, apis: ['orders'] }],
    };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [service] } } });
    // Through the open product, revision 2 takes calls without a key or a token; the current revision checks a JWT.
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`).sort()).toEqual([
      // The service's exposure, as in the test above: products change none of it.
      `apim-backend-headers-removed ${SERVICE_ID}/apis/orders`,
      `apim-backend-headers-removed ${SERVICE_ID}/apis/orders;rev=2`,
      `apim-inbound-restricted ${SERVICE_ID}/apis/orders`,
      `apim-inbound-restricted ${SERVICE_ID}/apis/orders;rev=2`,
      `apim-network-exposure ${SERVICE_ID}`,
      `route-requires-auth ${SERVICE_ID}/apis/orders;rev=2/operations/list-orders`,
    ]);
  });

  it('says that an instance has self-hosted gateways, whose traffic the service network and TLS settings do not cover, as a Terraform scan does', async () => {
    const service: FakeService = { ...withRevisions, gateways: [{ name: 'plant-4', properties: { locationData: { name: 'Plant 4, Lyon' }, description: 'factory floor' } }] };
    const { report } = await audit({ subscriptions: { [SUB]: { services: [service] } } });
    const note = report.diagnostics.find((diagnostic) => diagnostic.code === 'unsupported');
    expect(note).toMatchObject({ severity: 'info', address: `${SERVICE_ID}/gateways/plant-4` });
    expect(note!.message).toContain('API Management service apim-orders has a self-hosted gateway (plant-4)');
    expect(report.summary.incomplete).toBe(false);
    const terraform = await scan({
      cwd: write({
        'main.tf': `resource "azurerm_api_management" "orders" {
  name                = "apim-orders"
  location            = "westeurope"
  resource_group_name = "rg-orders"
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_gateway" "plant" {
  name              = "plant-4"
  api_management_id = azurerm_api_management.orders.id
  description       = "factory floor"

  location_data {
    name = "Plant 4, Lyon"
  }
}
`,
      }),
    });
    const scannedNote = terraform.diagnostics.find((diagnostic) => diagnostic.code === 'unsupported');
    expect(scannedNote).toMatchObject({ severity: 'info', address: 'azurerm_api_management_gateway.plant', location: { startLine: 10 } });
    expect(scannedNote!.message).toBe(note!.message);
  });

  it('an instance without self-hosted gateways has no such note, and a tier that refuses the listing is not an error', async () => {
    const { report } = await audit({ subscriptions: { [SUB]: { services: [withRevisions] } } });
    expect(report.diagnostics.filter((diagnostic) => diagnostic.code === 'unsupported')).toEqual([]);
    expect(fake!.requests.some((request) => request.path.endsWith('/apim-orders/gateways'))).toBe(true);
  });

  it('reads the managed identity type and the backends URL, TLS validation and whether they carry credentials, as a template declares them', () => {
    const raw: RawInstance = {
      subscriptionId: SUB,
      resourceGroup: 'rg-orders',
      name: 'apim-orders',
      id: SERVICE_ID,
      problems: [],
      objects: [
        { type: 'Microsoft.ApiManagement/service', names: ['apim-orders'], id: SERVICE_ID, body: { location: 'West Europe', sku: { name: 'Developer', capacity: 1 }, identity: { type: 'SystemAssigned' }, properties: {} } },
        {
          type: 'Microsoft.ApiManagement/service/backends',
          names: ['apim-orders', 'legacy'],
          id: `${SERVICE_ID}/backends/legacy`,
          body: { properties: { url: 'https://legacy.contoso.example', protocol: 'http', tls: { validateCertificateChain: false, validateCertificateName: false }, credentials: { header: { 'x-api-key': ['{{legacy-key}}'] } } } },
        },
      ],
    };
    const { resources } = translateLiveInstance(raw, azureCloud());
    const service = resources.find((view) => view.type === 'azurerm_api_management')!;
    expect(service.values.identity).toEqual([{ type: 'SystemAssigned' }]);
    const backend = resources.find((view) => view.type === 'azurerm_api_management_backend')!;
    expect(backend.values).toMatchObject({ url: 'https://legacy.contoso.example', tls: [{ validate_certificate_chain: false, validate_certificate_name: false }], credentials: [{ header: { 'x-api-key': ['{{legacy-key}}'] } }] });
  });
});
