import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Route } from '../../../src/model/entities.js';
import { readInventory, scan as scanWithLogging } from '../../../src/pipeline/scan.js';
import { scan } from '../../helpers/without-logging.js';

// APIs on an API Management service another repository owns (a Terraform data source, an ARM
// `existing` resource): the APIs' settings are checked where they are written, and what depends on
// the service's global policy is unknown until .gatewarden.yaml gives it.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure');
const apisOnly = path.join(fixtures, 'apis-only');
type Report = Awaited<ReturnType<typeof scan>>;

const SETTING = 'set azure.apim.services.platform-apim.policy in .gatewarden.yaml to its policy file, or to none';

/** A config file written in the fixture's folder (not on disk: the scans here find none). */
function config(policy: string) {
  return parseConfig(`azure:\n  apim:\n    services:\n      platform-apim:\n        policy: ${policy}\n`, path.join(apisOnly, '.gatewarden.yaml'), (file) => path.relative(apisOnly, file));
}

const unevaluated = (report: Report): string[] => report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.routeKey} ${u.location.file}:${u.location.startLine}`).sort();
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.severity} ${f.address} ${f.routeKey ?? '-'} ${f.location.file}:${f.location.startLine}`).sort();

describe('APIs on a service outside the scan, without configuration', () => {
  // lines: where the service is named, which is where the unread global policy stands in each API's
  // chain (the route checks, apim-inbound-restricted, apim-error-details, and
  // apim-backend-headers-removed, which points at the part it cannot read).
  it.each<[string, string, string, Record<string, number>]>([
    ['Terraform on a data source', 'terraform', 'azurerm_api_management_api.', { orders: 17, inventory: 48, payments: 30 }],
    ['an ARM template on an existing service', 'arm', 'Microsoft.ApiManagement/service/platform-apim/apis/', { orders: 21, inventory: 55, payments: 34 }],
  ])('%s: checks each API, and leaves unknown what the global policy decides, naming the setting', async (_, folder, prefix, lines) => {
    const report = await scan({ cwd: path.join(apisOnly, folder) });
    const file = folder === 'arm' ? 'azuredeploy.json' : 'main.tf';
    expect(findings(report)).toEqual([]);
    expect(unevaluated(report)).toEqual(
      [
        // The global policy may strip the backends' headers and filter callers (and the service's
        // network settings are not here): unknown for every API, payments too.
        `apim-backend-headers-removed ${prefix}inventory undefined ${file}:${lines.inventory}`,
        `apim-backend-headers-removed ${prefix}orders undefined ${file}:${lines.orders}`,
        `apim-backend-headers-removed ${prefix}payments undefined ${file}:${lines.payments}`,
        // An unread global policy may return context.LastError details: unknown, never a pass.
        `apim-error-details ${prefix}inventory undefined ${file}:${lines.inventory}`,
        `apim-error-details ${prefix}orders undefined ${file}:${lines.orders}`,
        `apim-error-details ${prefix}payments undefined ${file}:${lines.payments}`,
        `apim-inbound-restricted ${prefix}inventory undefined ${file}:${lines.inventory}`,
        `apim-inbound-restricted ${prefix}orders undefined ${file}:${lines.orders}`,
        `apim-inbound-restricted ${prefix}payments undefined ${file}:${lines.payments}`,
        // The PUT takes a body: the global policy may validate it.
        `apim-request-validation ${prefix}inventory/update-item PUT /inventory/items/{sku} ${file}:${lines.inventory}`,
        `route-requires-auth ${prefix}inventory/list-items GET /inventory/items ${file}:${lines.inventory}`,
        `route-requires-auth ${prefix}inventory/update-item PUT /inventory/items/{sku} ${file}:${lines.inventory}`,
        `route-requires-auth ${prefix}orders * /orders/* ${file}:${lines.orders}`,
        `throttling-configured ${prefix}inventory/list-items GET /inventory/items ${file}:${lines.inventory}`,
        `throttling-configured ${prefix}inventory/update-item PUT /inventory/items/{sku} ${file}:${lines.inventory}`,
        `throttling-configured ${prefix}orders * /orders/* ${file}:${lines.orders}`,
      ].sort(),
    );
    for (const check of report.unevaluated) expect(check.reason).toContain(SETTING);
    // The API whose own policy validates tokens and limits calls passes, whatever the global policy holds.
    expect(report.unevaluated.some((check) => check.address.endsWith('payments') && check.routeKey !== undefined)).toBe(false);
    expect(report.summary.incomplete).toBe(true);
    // Its route's checks (backend-https passes on the API whose service URL is HTTPS), and
    // jwt-issuer-audience on its validate-jwt (audience and openid-config). apim-error-details is
    // unknown on each API: the unread global policy may return context.LastError details.
    expect(report.summary.checks.passed).toBe(4);
  });

  it.each<[string, string, string, Record<string, number>]>([
    ['Terraform', 'terraform', 'azurerm_api_management_api.', { orders: 14, payments: 27, inventory: 45 }],
    ['ARM', 'arm', 'Microsoft.ApiManagement/service/platform-apim/apis/', { orders: 21, payments: 34, inventory: 55 }],
  ])("%s: leaves each API's logging unknown, even with the global policy given: the service's diagnostics are where it is defined", async (_, folder, prefix, lines) => {
    const file = folder === 'arm' ? 'arm/azuredeploy.json' : 'terraform/main.tf';
    for (const report of [await scanWithLogging({ cwd: apisOnly, paths: [folder] }), await scanWithLogging({ cwd: apisOnly, paths: [folder], config: config('none') })]) {
      const logging = report.unevaluated.filter((u) => u.policyId.startsWith('apim-diagnostics'));
      expect(logging.map((u) => `${u.policyId} ${u.address} ${u.location.file}:${u.location.startLine}`).sort()).toEqual(
        ['apim-diagnostics', 'apim-diagnostics-payloads'].flatMap((policy) => ['inventory', 'orders', 'payments'].map((api) => `${policy} ${prefix}${api} ${file}:${lines[api]}`)),
      );
      for (const check of logging) expect(check.reason).toMatch(/is unknown: the API Management service is not in the scanned configuration: the diagnostics that log all its APIs are set where it is defined; set azure.apim.services.platform-apim.diagnostics in .gatewarden.yaml to state it$/);
      expect(report.findings.filter((f) => f.policyId.startsWith('apim-diagnostics'))).toEqual([]);
      expect(report.summary.incomplete).toBe(true);
    }
  });

  it("says that a product defined elsewhere is read without its policy, at the API's link to it", async () => {
    const report = await scan({ cwd: path.join(apisOnly, 'terraform') });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['warning not-scanned azurerm_api_management_product_api.orders_partners main.tf:62']);
    expect(report.diagnostics[0]!.message).toMatch(/^product partners of API Management service platform-apim is not in the scan, so neither is its policy; gatewarden reads it as having none/);
  });

  it('says where the service is missing from, by format', async () => {
    const terraform = await scan({ cwd: path.join(apisOnly, 'terraform') });
    const arm = await scan({ cwd: path.join(apisOnly, 'arm') });
    expect(terraform.unevaluated[0]!.reason).toContain('is not in the scan (the service is not an azurerm_api_management resource of the scanned configuration: a data source, or a service managed elsewhere)');
    expect(arm.unevaluated[0]!.reason).toContain('is not in the scan (the service is not deployed by the scanned template: an existing resource, or a service deployed elsewhere)');
  });

  it('stands an API-wide route in for an API without operations, and keeps operations imported from a spec', async () => {
    const inventory = await readInventory({ cwd: path.join(apisOnly, 'terraform') });
    const routes = inventory.entities.filter((entity): entity is Route => entity.kind === 'route');
    expect(routes.map((route) => [route.id, route.key, route.method, route.standIn ?? null]).sort()).toEqual([
      ['azurerm_api_management_api.inventory/list-items', 'GET /inventory/items', 'GET', null],
      ['azurerm_api_management_api.inventory/update-item', 'PUT /inventory/items/{sku}', 'PUT', null],
      ['azurerm_api_management_api.orders/*', '* /orders/*', 'ANY', 'routes-outside-scan'],
      ['azurerm_api_management_api.payments/*', '* /payments/*', 'ANY', 'routes-outside-scan'],
    ]);
    const payments = routes.find((route) => route.key === '* /payments/*')!;
    expect(payments).toMatchObject({ parentId: 'azurerm_api_management_api.payments', auth: { kind: 'jwt', source: 'policy' }, rateLimit: { rateLimit: 2, burstLimit: 120 } });
    expect(payments.fieldLocations.auth).toMatchObject({ file: 'payments-policy.xml', startLine: 4 });
  });
});

describe('APIs on a service outside the scan, with its global policy in .gatewarden.yaml', () => {
  it('"none": what the APIs lack is a finding, on the stand-in route too, with Azure remediation', async () => {
    const report = await scan({ cwd: apisOnly, paths: ['terraform'], config: config('none') });
    expect(findings(report)).toEqual([
      // No policy removes the backends' headers: at the innermost outbound section, else the API.
      'apim-backend-headers-removed low azurerm_api_management_api.inventory - terraform/main.tf:45',
      'apim-backend-headers-removed low azurerm_api_management_api.orders - terraform/main.tf:14',
      'apim-backend-headers-removed low azurerm_api_management_api.payments - terraform/payments-policy.xml:15',
      // The PUT's body is not validated (at the operation).
      'apim-request-validation low azurerm_api_management_api.inventory/update-item PUT /inventory/items/{sku} terraform/main.tf:57',
      // At each API's `subscription_required = false`: the value that leaves them without a check.
      'route-requires-auth high azurerm_api_management_api.inventory/list-items GET /inventory/items terraform/main.tf:53',
      'route-requires-auth high azurerm_api_management_api.inventory/update-item PUT /inventory/items/{sku} terraform/main.tf:53',
      'route-requires-auth high azurerm_api_management_api.orders * /orders/* terraform/main.tf:23',
      'throttling-configured medium azurerm_api_management_api.inventory/list-items GET /inventory/items terraform/main.tf:45',
      'throttling-configured medium azurerm_api_management_api.inventory/update-item PUT /inventory/items/{sku} terraform/main.tf:45',
      'throttling-configured medium azurerm_api_management_api.orders * /orders/* terraform/main.tf:14',
    ]);
    // What the global policy decided is known now; whether callers are filtered is not: no policy
    // restricts them, and the service's network settings are where it is defined.
    expect(unevaluated(report)).toEqual([
      'apim-inbound-restricted azurerm_api_management_api.inventory undefined terraform/main.tf:45',
      'apim-inbound-restricted azurerm_api_management_api.orders undefined terraform/main.tf:14',
      'apim-inbound-restricted azurerm_api_management_api.payments undefined terraform/main.tf:27',
    ]);
    for (const check of report.unevaluated) expect(check.reason).toBe('gateway.endpointType is unknown: the API Management service is not in the scanned configuration; set azure.apim.services.platform-apim.public-network-access and virtual-network-type in .gatewarden.yaml to state it');
    expect(report.findings.filter((f) => f.address === 'azurerm_api_management_api.orders' && f.entityKind === 'route').map((f) => f.standIn)).toEqual(['routes-outside-scan', 'routes-outside-scan']);
    // The provider's own fix: never an AWS authorizer for an APIM route.
    for (const finding of report.findings) {
      expect(finding.remediation).not.toMatch(/authorizer|AWS|stage/);
      expect(finding.remediation).toMatch(finding.entityKind === 'route' ? /validate-jwt|rate-limit-by-key|validate-content/ : /set-header/);
    }
  });

  it('a policy file: read through the scan boundary, checked where it is written (its CORS, its limit)', async () => {
    const report = await scan({ cwd: apisOnly, paths: ['terraform'], allowRead: ['platform'], config: config('platform/global.xml') });
    expect(findings(report)).toEqual([
      // The global policy's <outbound /> (the innermost section for the APIs without a policy) removes
      // no header: one finding on the service the config file names, for inventory and orders.
      'apim-backend-headers-removed low azure.apim.services.platform-apim - platform/global.xml:17',
      'apim-backend-headers-removed low azurerm_api_management_api.payments - terraform/payments-policy.xml:15',
      'apim-request-validation low azurerm_api_management_api.inventory/update-item PUT /inventory/items/{sku} terraform/main.tf:57',
      // At the <origin>*</origin> element.
      'cors-not-open high azure.apim.services.platform-apim.policy/cors - platform/global.xml:6',
      // At each API's `subscription_required = false`, the global policy's inbound (no token check) related.
      'route-requires-auth high azurerm_api_management_api.inventory/list-items GET /inventory/items terraform/main.tf:53',
      'route-requires-auth high azurerm_api_management_api.inventory/update-item PUT /inventory/items/{sku} terraform/main.tf:53',
      'route-requires-auth high azurerm_api_management_api.orders * /orders/* terraform/main.tf:23',
    ]);
    expect(report.findings.filter((f) => f.policyId === 'apim-backend-headers-removed' && f.routes).map((f) => [f.entityId, f.routes!.map((api) => api.entityId)])).toEqual([
      ['terraform:name:platform-apim#apis', ['terraform:azurerm_api_management_api.inventory', 'terraform:azurerm_api_management_api.orders']],
    ]);
    expect(
      report.findings
        .filter((f) => f.policyId === 'route-requires-auth')
        .map((f) => (f.related ?? []).map((related) => `${related.location.file}:${related.location.startLine} ${related.message}`)),
    ).toEqual([
      ['platform/global.xml:3 the effective inbound policy, which validates no token'],
      ['platform/global.xml:3 the effective inbound policy, which validates no token'],
      ['platform/global.xml:3 the effective inbound policy, which validates no token'],
    ]);
    expect(report.findings.find((f) => f.policyId === 'cors-not-open')!.message).toBe('CORS on the service platform-apim (global policy from platform/global.xml) allows any origin');
    expect(report.files).toContain('platform/global.xml');
    // Nothing the global policy decides stays unknown; only the service's network settings (its
    // global policy filters no caller) are outside the scan.
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.reason}`).sort()).toEqual(
      ['inventory', 'orders', 'payments'].map((api) => `apim-inbound-restricted azurerm_api_management_api.${api} gateway.endpointType is unknown: the API Management service is not in the scanned configuration; set azure.apim.services.platform-apim.public-network-access and virtual-network-type in .gatewarden.yaml to state it`),
    );
    expect(report.summary.incomplete).toBe(true);
  });

  it('a policy file outside the scan roots is not read: an error at the setting, and the checks stay unknown', async () => {
    const report = await scan({ cwd: apisOnly, paths: ['terraform'], config: config('platform/global.xml') });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['error outside-roots .gatewarden.yaml:5', 'warning not-scanned terraform/main.tf:62']);
    expect(report.diagnostics[0]!.message).toContain('--allow-read platform');
    expect(findings(report)).toEqual([]);
    // The routes' checks (the PUT's body validation too); what the unread global policy decides of
    // the APIs (headers, error details, inbound restriction) is one check each on the service the
    // config file names, listing the three APIs.
    expect(report.unevaluated.map((u) => u.policyId).sort()).toEqual([
      'apim-backend-headers-removed',
      'apim-error-details',
      'apim-inbound-restricted',
      'apim-request-validation',
      ...Array(3).fill('route-requires-auth'),
      ...Array(3).fill('throttling-configured'),
    ]);
    expect(report.unevaluated.filter((u) => u.policyId.startsWith('apim-') && u.policyId !== 'apim-request-validation').map((u) => [u.policyId, u.address, u.location.file, u.location.startLine, u.routes?.map((api) => api.routeKey)])).toEqual(
      ['apim-backend-headers-removed', 'apim-error-details', 'apim-inbound-restricted'].map((policy) => [policy, 'azure.apim.services.platform-apim', '.gatewarden.yaml', 5, ['Inventory', 'Orders', 'Payments']]),
    );
    for (const check of report.unevaluated) expect(check.reason).toMatch(/^(route\.(auth\.kind|rateLimit|requestValidation\.body) is unknown: |gateway\.azure\.(inboundRestricted|disclosureHeadersKept|errorDetailsReturned) is unknown: a part of the (inbound|outbound|outbound or on-error) policy cannot be read \()the global policy of API Management service "platform-apim" could not be read from platform\/global\.xml \(azure\.apim\.services\.platform-apim\.policy in \.gatewarden\.yaml\)/);
  });

  it('the ARM template gets the same settings', async () => {
    const report = await scan({ cwd: apisOnly, paths: ['arm'], config: config('none') });
    expect(report.findings.map((f) => `${f.policyId} ${f.routeKey}`).sort()).toEqual([
      'apim-backend-headers-removed undefined',
      'apim-backend-headers-removed undefined',
      'apim-backend-headers-removed undefined',
      'apim-request-validation PUT /inventory/items/{sku}',
      'route-requires-auth * /orders/*',
      'route-requires-auth GET /inventory/items',
      'route-requires-auth PUT /inventory/items/{sku}',
      'throttling-configured * /orders/*',
      'throttling-configured GET /inventory/items',
      'throttling-configured PUT /inventory/items/{sku}',
    ]);
  });
});

describe('named values and HTTP basic authentication', () => {
  const dir = path.join(fixtures, 'named-values');

  it('makes a named value a key for its value or its use, never for its name', async () => {
    const inventory = await readInventory({ cwd: dir });
    const keys = inventory.entities.filter((entity) => entity.kind === 'api-key' && entity.address.includes('named_value'));
    // Not provider_key_header (a header name) nor environment (a setting).
    expect(keys.map((key) => `${key.address} ${String((key as { valueSource: unknown }).valueSource)}`).sort()).toEqual([
      'azurerm_api_management_named_value.backend_key literal',
      'azurerm_api_management_named_value.erp_secret reference',
      'azurerm_api_management_named_value.legacy_basic literal',
      'azurerm_api_management_named_value.partner_token literal',
      'azurerm_api_management_named_value.provider_token input',
    ]);
  });

  it('reports keys written in the code at the value, with where a policy uses it, and basic authentication under its own name', async () => {
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual([
      // The service (public, in no virtual network) and its APIs' policies, which neither filter
      // callers nor remove the backends' headers.
      'apim-backend-headers-removed low azurerm_api_management_api.legacy - main.tf:177',
      'apim-backend-headers-removed low azurerm_api_management_api.partners - main.tf:130',
      'apim-inbound-restricted medium azurerm_api_management_api.legacy - main.tf:140',
      'apim-inbound-restricted medium azurerm_api_management_api.partners - main.tf:82',
      'apim-network-exposure low azurerm_api_management.shop - main.tf:1',
      'no-static-api-keys high azurerm_api_management_named_value.backend_key - main.tf:48',
      'no-static-api-keys high azurerm_api_management_named_value.legacy_basic - main.tf:57',
      'no-static-api-keys high azurerm_api_management_named_value.partner_token - main.tf:39',
      'route-requires-auth medium azurerm_api_management_api_operation.daily_report GET /legacy/reports/daily main.tf:169',
    ]);
    const byAddress = (address: string) => report.findings.find((f) => f.address === address)!;
    expect(byAddress('azurerm_api_management_named_value.backend_key').related).toEqual([{ location: expect.objectContaining({ file: 'main.tf', startLine: 118 }), message: 'used as a credential here (set-header x-api-key)' }]);
    expect(byAddress('azurerm_api_management_named_value.legacy_basic').related).toEqual([{ location: expect.objectContaining({ file: 'main.tf', startLine: 170 }), message: 'used as a credential here (check-header Authorization)' }]);
    expect(byAddress('azurerm_api_management_named_value.partner_token')).not.toHaveProperty('related');
    expect(byAddress('azurerm_api_management_api_operation.daily_report').message).toBe(
      'GET /legacy/reports/daily on Legacy reports relies on HTTP basic authentication: static credentials (a user name and password shared by every caller and compared by the gateway), not caller identity',
    );
    expect(JSON.stringify(report)).not.toMatch(/q7Zk2LmP9xVt4RbN8cWf1YhJ3sDg6AeU|FAKEbackendKEYwrittenHERE000001|ZmFrZS11c2VyOmZha2UtcGFzcw/);
  });
});
