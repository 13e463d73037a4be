import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/model/entities.js';
import { readInventory } from '../../src/pipeline/scan.js';
import { scan } from '../helpers/without-logging.js';

// The same API Management setup written as Terraform (azurerm, with a policy read by file()) and as
// an ARM template (children nested in the service and top-level, policies as JSON strings).
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/azure');
const terraformDir = path.join(fixtures, 'terraform');
const armDir = path.join(fixtures, 'arm');

/** Fixture secrets: both formats write them, neither may ever reach a report. */
const SECRETS = ['FAKEacmePRIMARYsubscriptionKEY01', 'FAKEbackendKEYnotAsecret000001'];

/**
 * The model without names that differ between formats by design: ids, addresses, locations. A
 * domain's gateways are named by their gateways' names, since ids differ too.
 */
function semantics(entities: readonly Entity[]): string[] {
  const drop = new Set(['id', 'parentId', 'address', 'modulePath', 'location', 'fieldLocations', 'fieldOwners', 'fieldOwnerEntities', 'origin', 'construct', 'suppressions', 'authorizerId', 'stageIds']);
  const gatewayNames = new Map(entities.filter((entity) => entity.kind === 'gateway').map((gateway) => [gateway.id, gateway.name]));
  // Unknown values stay unknown; their reasons name addresses, which differ by design.
  const project = (key: string, value: unknown): unknown => {
    if (drop.has(key)) return undefined;
    if (key === 'gatewayIds' && Array.isArray(value)) return value.map((id: string) => gatewayNames.get(id) ?? `unmapped ${id}`).sort();
    return (value as { unknown?: unknown } | null)?.unknown === true ? { unknown: true } : value;
  };
  return entities.map((entity) => JSON.stringify(entity, project)).sort();
}

type Report = Awaited<ReturnType<typeof scan>>;
const findingKeys = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();

describe('the same API Management service written as Terraform and as an ARM template', () => {
  it('reads both without diagnostics', async () => {
    const terraform = await readInventory({ cwd: terraformDir });
    const arm = await readInventory({ cwd: armDir });
    expect(terraform.diagnostics).toEqual([]);
    expect(arm.diagnostics).toEqual([]);
    expect(arm.files).toEqual(['azuredeploy.json']);
  });

  it('gives the same model, names and locations aside', async () => {
    const terraform = await readInventory({ cwd: terraformDir });
    const arm = await readInventory({ cwd: armDir });
    // 2 APIs, 3 operations, 2 CORS policies, a subscription and a secret-looking named value, a hostname.
    expect(terraform.entities.map((entity) => entity.kind).sort()).toEqual(['api-key', 'api-key', 'cors', 'cors', 'domain', 'gateway', 'gateway', 'route', 'route', 'route']);
    expect(semantics(arm.entities)).toEqual(semantics(terraform.entities));
    expect(arm.entities.every((entity) => entity.origin.format === 'arm' && entity.origin.file === 'azuredeploy.json')).toBe(true);
  });

  it('gives the same findings', async () => {
    const terraform = await scan({ cwd: terraformDir });
    const arm = await scan({ cwd: armDir });
    expect(terraform.diagnostics).toEqual([]);
    expect(arm.diagnostics).toEqual([]);
    expect(findingKeys(terraform)).toEqual([
      "apim-backend-headers-removed gateway  low Legacy stock passes the backend's X-Powered-By and X-AspNet-Version header on to callers: it names the software and version behind the gateway",
      "apim-backend-headers-removed gateway  low Orders passes the backend's X-Powered-By and X-AspNet-Version header on to callers: it names the software and version behind the gateway",
      'apim-inbound-restricted gateway  medium Legacy stock on API Management service apim-shop-prod is reachable from the internet with no WAF in front of it and no ip-filter allow-list: every request reaches its policies and backend unfiltered',
      'apim-inbound-restricted gateway  medium Orders on API Management service apim-shop-prod is reachable from the internet with no WAF in front of it and no ip-filter allow-list: every request reaches its policies and backend unfiltered',
      // The service's settings: one finding each, on the service, naming both APIs.
      'apim-network-exposure gateway  low API Management service apim-shop-prod takes calls from the whole internet: public network access is on and it is in no virtual network; it serves Legacy stock and Orders',
      'apim-tls-protocols gateway  medium API Management service apim-shop-prod accepts TLS 1.1 from clients and uses TLS 1.2 towards backends: only TLS 1.2 or later should be allowed; its APIs Legacy stock and Orders inherit the setting',
      'backend-https route GET /stock/{sku} medium GET /stock/{sku} on Legacy stock calls its backend over plain http://: requests and responses cross the network unencrypted',
      'cors-not-open cors  high CORS on Orders (GET /orders/{orderId}) allows any origin',
      'no-static-api-keys api-key  high API key ACME Corp has its value written in the configuration',
      'no-static-api-keys api-key  high API key named value backend-api-key has its value written in the configuration',
      'route-requires-auth route GET /stock/{sku} high GET /stock/{sku} on Legacy stock accepts unauthenticated calls',
      'throttling-configured route GET /stock/{sku} medium GET /stock/{sku} on Legacy stock has no rate limit from any layer: nothing bounds how often a caller may call it',
    ]);
    expect(findingKeys(arm)).toEqual(findingKeys(terraform));
  });

  it('points ARM findings at the property that causes them', async () => {
    const arm = await scan({ cwd: armDir });
    const where = arm.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`).sort();
    // Policy XML is a JSON string: a finding inside a policy points at the line of its `value`.
    expect(where).toEqual([
      // The innermost policy's value (no policy removes the backends' headers); each API (no ip-filter).
      'apim-backend-headers-removed Microsoft.ApiManagement/service/apim-shop-prod/apis/legacy-stock azuredeploy.json:224',
      'apim-backend-headers-removed Microsoft.ApiManagement/service/apim-shop-prod/apis/orders azuredeploy.json:171',
      'apim-inbound-restricted Microsoft.ApiManagement/service/apim-shop-prod/apis/legacy-stock azuredeploy.json:188',
      'apim-inbound-restricted Microsoft.ApiManagement/service/apim-shop-prod/apis/orders azuredeploy.json:108',
      // The service's properties: they set no virtualNetworkType (one finding, on the service).
      'apim-network-exposure Microsoft.ApiManagement/service/apim-shop-prod azuredeploy.json:62',
      // customProperties, where the service enables TLS 1.1.
      'apim-tls-protocols Microsoft.ApiManagement/service/apim-shop-prod azuredeploy.json:65',
      // The operation's set-backend-service base-url, inside the policy's value.
      'backend-https Microsoft.ApiManagement/service/apim-shop-prod/apis/legacy-stock/operations/stock-level azuredeploy.json:224',
      'cors-not-open Microsoft.ApiManagement/service/apim-shop-prod/apis/orders/operations/get-order/policies/policy/cors azuredeploy.json:155',
      'no-static-api-keys Microsoft.ApiManagement/service/apim-shop-prod/namedValues/backend-api-key azuredeploy.json:104',
      'no-static-api-keys Microsoft.ApiManagement/service/apim-shop-prod/subscriptions/acme azuredeploy.json:270',
      'route-requires-auth Microsoft.ApiManagement/service/apim-shop-prod/apis/legacy-stock/operations/stock-level azuredeploy.json:224',
      'throttling-configured Microsoft.ApiManagement/service/apim-shop-prod/apis/legacy-stock/operations/stock-level azuredeploy.json:224',
    ]);
    // Those lines are the properties: the operation policy, the named value's and subscription's keys, the legacy API policy.
    const lines = readFileSync(path.join(armDir, 'azuredeploy.json'), 'utf8').split('\n');
    const line = (n: number): string => lines[n - 1]!.trim();
    expect(line(155)).toMatch(/^"value": "<policies>\\n {2}<inbound>\\n {4}<base \/>\\n {4}<cors>\\n {6}<allowed-origins>\\n {8}<origin>\*<\/origin>/);
    expect(line(104)).toMatch(/^"value": "FAKEbackend/);
    expect(line(270)).toMatch(/^"primaryKey": "FAKEacme/);
    expect(line(224)).toMatch(/^"value": "<policies>\\r\\n {2}<inbound>\\r\\n {4}<!-- Warehouse scanners/);
  });

  it('locates a domain setting at its entry of hostnameConfigurations', async () => {
    const arm = await readInventory({ cwd: armDir });
    const domain = arm.entities.find((entity) => entity.kind === 'domain')!;
    expect(domain.fieldLocations.mutualTls).toMatchObject({ file: 'azuredeploy.json', startLine: 81 });
  });

  it('never writes the secret values into the report', async () => {
    const template = readFileSync(path.join(armDir, 'azuredeploy.json'), 'utf8');
    const report = JSON.stringify(await scan({ cwd: armDir }));
    for (const secret of SECRETS) {
      expect(template).toContain(secret);
      expect(report).not.toContain(secret);
    }
  });
});
