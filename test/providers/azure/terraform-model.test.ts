import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../../src/model/entities.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { readInventory } from '../../../src/pipeline/scan.js';
import { scan } from '../../helpers/without-logging.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure/terraform');
let inventory: Inventory;

beforeAll(async () => {
  inventory = await readInventory({ cwd: fixture });
});

function entity(id: string): Entity {
  const found = inventory.entities.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no entity ${id}; have ${inventory.entities.map((e) => e.id).join(', ')}`);
  return found;
}

describe('azurerm API Management: effective settings per operation', () => {
  it('reads the configuration without diagnostics', () => {
    expect(inventory.diagnostics).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'azurerm_api_management_api.orders',
      {
        kind: 'gateway',
        provider: 'azure',
        name: 'Orders',
        protocol: 'http',
        endpointType: 'regional',
        azure: { service: 'apim-shop-prod', sku: 'Developer_1', protocols: ['https'], subscriptionRequired: true, minimumClientTls: '1.1', minimumBackendTls: '1.2', weakCiphersEnabled: false, publicNetworkAccess: true },
      },
    ],
    [
      // The global policy's Entra ID token check and rate limit, kept by the API's <base/>.
      'azurerm_api_management_api_operation.list_orders',
      { key: 'GET /orders', auth: { kind: 'jwt', source: 'policy' }, rateLimit: { rateLimit: 5, burstLimit: 300, source: 'policy' }, azure: { dropsInheritedPolicy: false, products: ['partners'], backendUrl: 'https://orders.internal.shop.example.com' } },
    ],
    [
      // The legacy API's policy (a templatefile()) has no <base/>: the global policy does not run for it.
      'azurerm_api_management_api_operation.stock_level',
      { key: 'GET /stock/{sku}', auth: { kind: 'none' }, azure: { dropsInheritedPolicy: true, ipFilterAllowsAll: true, backendUrl: 'http://stock.internal.shop.example.com/v1' } },
    ],
    // Named values in policies are resolved: the origin is {{orders-origin}}.
    ['azurerm_api_management_api_policy.orders/cors', { source: 'policy', allowOrigins: ['https://shop.example.com'], allowMethods: ['GET'], allowCredentials: true }],
    ['azurerm_api_management_api_operation_policy.get_order/cors', { allowOrigins: ['*'], allowCredentials: false, routeKey: 'GET /orders/{orderId}' }],
    ['azurerm_api_management_subscription.acme', { kind: 'api-key', name: 'ACME Corp', valueSource: 'literal', enabled: true }],
    ['azurerm_api_management_named_value.backend_key', { kind: 'api-key', name: 'named value backend-api-key', valueSource: 'literal' }],
    ['azurerm_api_management.shop/hostname_configuration.proxy[0]', { kind: 'domain', name: 'api.shop.example.com', securityPolicy: 'TLS_1_1', mutualTls: false, gatewayIds: ['azurerm_api_management_api.legacy', 'azurerm_api_management_api.orders'] }],
  ])('%s', (id, expected) => {
    expect(entity(id)).toMatchObject(expected);
  });

  it('has no rate limit for the operation whose policy drops the global one', () => {
    expect(entity('azurerm_api_management_api_operation.stock_level')).not.toHaveProperty('rateLimit');
  });

  it.each<[string, string, string, number]>([
    // Lines inside heredocs are file lines; a policy read with file() points into that file.
    ['azurerm_api_management_api_operation.list_orders', 'auth', 'main.tf', 37],
    ['azurerm_api_management_api_operation.list_orders', 'rateLimit', 'main.tf', 42],
    ['azurerm_api_management_api_operation.stock_level', 'auth', 'policies/legacy-stock.xml', 2],
    ['azurerm_api_management_api_operation.stock_level', 'ipFilterAllowsAll', 'policies/legacy-stock.xml', 4],
    ['azurerm_api_management_api_operation.stock_level', 'backendUrl', 'policies/legacy-stock.xml', 7],
    ['azurerm_api_management_api_operation_policy.get_order/cors', 'allowOrigins', 'main.tf', 156],
  ])('points %s %s at %s:%i', (id, field, file, line) => {
    expect(entity(id).fieldLocations[field]).toMatchObject({ file, startLine: line });
  });
});

describe('the four policies on API Management', () => {
  it('report the dropped <base/>, the open CORS and the keys written in code, at their lines', async () => {
    const report = await scan({ cwd: fixture });
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine} ${f.severity}`).sort()).toEqual([
      // No outbound section strips X-Powered-By / X-AspNet-Version: the innermost outbound section
      // (the operation's for orders, the legacy file's <outbound /> that drops <base/>).
      'apim-backend-headers-removed azurerm_api_management_api.legacy policies/legacy-stock.xml:12 low',
      'apim-backend-headers-removed azurerm_api_management_api.orders main.tf:163 low',
      // Nothing filters callers (the legacy ip-filter admits every address): at the API.
      'apim-inbound-restricted azurerm_api_management_api.legacy main.tf:173 medium',
      'apim-inbound-restricted azurerm_api_management_api.orders main.tf:70 medium',
      // The service has public network access and no virtual network: one finding, on the service.
      'apim-network-exposure azurerm_api_management.shop main.tf:9 low',
      // The service enables TLS 1.1 from clients (frontend_tls11_enabled): one finding for both APIs.
      'apim-tls-protocols azurerm_api_management.shop main.tf:19 medium',
      // set-backend-service base-url="http://...", at its line in the policy file.
      'backend-https azurerm_api_management_api_operation.stock_level policies/legacy-stock.xml:7 medium',
      'cors-not-open azurerm_api_management_api_operation_policy.get_order/cors main.tf:156 high',
      'no-static-api-keys azurerm_api_management_named_value.backend_key main.tf:58 high',
      'no-static-api-keys azurerm_api_management_subscription.acme main.tf:253 high',
      'route-requires-auth azurerm_api_management_api_operation.stock_level policies/legacy-stock.xml:2 high',
      'throttling-configured azurerm_api_management_api_operation.stock_level policies/legacy-stock.xml:2 medium',
    ]);
    expect(JSON.stringify(report)).not.toMatch(/FAKEacmePRIMARY|FAKEbackendKEY/);
  });
});

describe('API Management policies that cannot be read', () => {
  const ugly = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure/terraform-ugly');

  it('reports broken and empty documents at their lines, and leaves what they decide unknown', async () => {
    const report = await scan({ cwd: ugly });
    // The monthly operation's chain is fully read and its API's <outbound /> drops <base/> without
    // removing the headers: known even though the other operations' policies cannot be read.
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`)).toEqual([
      'apim-backend-headers-removed azurerm_api_management_api.reports main.tf:74',
    ]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['error parse-error main.tf:91', 'warning unsupported main.tf:117']);
    expect(report.diagnostics[0]!.message).toContain('closing tag </inbound> does not match <rate-limit-by-key> opened at line 4');
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.reason}`).sort()).toEqual([
      // A fragment outside the scan may check the caller's certificate, which the service (outside the scan too) may not ask for.
      'apim-client-certificate-negotiated azurerm_api_management_api.reports gateway.azure.clientCertificateChecked is unknown: fragment audit-access included by operation audit of API reports is not in the scan',
      // A broken operation policy may be the one returning context.LastError details.
      'apim-error-details azurerm_api_management_api.reports gateway.azure.errorDetailsReturned is unknown: a part of the outbound or on-error policy cannot be read (the policy of operation daily of API reports is not well-formed XML)',
      // The service (var.apim_name) is not in the scan, and no policy read restricts callers.
      'apim-inbound-restricted azurerm_api_management_api.reports gateway.endpointType is unknown: the API Management service is not in the scanned configuration; set azure.apim.services.apim-ops.public-network-access and virtual-network-type in .gatewarden.yaml to state it',
      // A POST whose policy cannot be read may validate its body.
      'apim-request-validation azurerm_api_management_api_operation.export route.requestValidation.body is unknown: the policy of operation export of API reports is empty; route.requestValidation.parameters is unknown: the policy of operation export of API reports is empty',
      // A document that cannot be read may set CORS too.
      'cors-not-open azurerm_api_management_api_operation_policy.daily/cors cors.allowOrigins is unknown: the policy of operation daily of API reports is not well-formed XML',
      'cors-not-open azurerm_api_management_api_operation_policy.export/cors cors.allowOrigins is unknown: the policy of operation export of API reports is empty',
      'route-requires-auth azurerm_api_management_api_operation.audit route.auth.kind is unknown: policy fragment audit-access is not in the scanned configuration',
      'route-requires-auth azurerm_api_management_api_operation.daily route.auth.kind is unknown: the policy of operation daily of API reports is not well-formed XML',
      'route-requires-auth azurerm_api_management_api_operation.export route.auth.kind is unknown: the policy of operation export of API reports is empty',
      'throttling-configured azurerm_api_management_api_operation.audit route.rateLimit is unknown: policy fragment audit-access is not in the scanned configuration',
      'throttling-configured azurerm_api_management_api_operation.daily route.rateLimit is unknown: the policy of operation daily of API reports is not well-formed XML',
      'throttling-configured azurerm_api_management_api_operation.export route.rateLimit is unknown: the policy of operation export of API reports is empty',
      // The limit is a named value of another configuration; the token check (API policy) is known.
      'throttling-configured azurerm_api_management_api_operation.monthly route.rateLimit is unknown: named value reports-calls is not in the scanned configuration',
    ]);
    expect(report.summary.incomplete).toBe(true);
  });

  it('reads an indented heredoc (<<-XML) with its lines', async () => {
    const inventory = await readInventory({ cwd: ugly });
    const monthly = inventory.entities.find((e) => e.id === 'azurerm_api_management_api_operation.monthly')!;
    expect(monthly).toMatchObject({ auth: { kind: 'jwt', source: 'policy' } });
    expect(monthly.fieldLocations.auth).toMatchObject({ file: 'main.tf', startLine: 66 });
  });
});
