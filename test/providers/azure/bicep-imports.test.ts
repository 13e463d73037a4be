import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const dir = path.join(fixtures, 'azure/bicep-apim-import');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort();
const diagnostics = (report: Report, code: string): string[] =>
  report.diagnostics.filter((d) => d.code === code).map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.address ?? '-'}`);

describe('OpenAPI documents imported by Bicep', () => {
  it('are not checked as stand-alone gateways: an error at each import makes the scan incomplete', async () => {
    const report = await scan({ cwd: dir });
    // The imported documents would be "API key alone" and "unauthenticated" on their own; only the
    // document nothing imports is checked.
    expect(findings(report)).toEqual(['route-requires-auth partner/partner-openapi.yaml/POST /callbacks/{partnerId} partner/partner-openapi.yaml:9']);
    expect(diagnostics(report, 'gateway-not-read')).toEqual(['error main.bicep:29 ordersApi', 'error main.bicep:47 inventoryApi']);
    const [orders, inventory] = report.diagnostics.filter((d) => d.code === 'gateway-not-read').map((d) => d.message);
    expect(orders).toContain('specs/orders-openapi.json is not checked as a stand-alone gateway: it is imported into API Management by main.bicep:29 (resource ordersApi)');
    expect(inventory).toContain('specs/inventory-openapi.yaml is not checked as a stand-alone gateway: it is passed by main.bicep:47 to the module modules/api.bicep as its parameter openApiSpec, which imports it into API Management');
    expect(report.summary.incomplete).toBe(true);
    expect(exitCodeFor(report, 'never')).toBe(2);
    // Read and counted, each Bicep file said to be unchecked.
    expect(report.files).toEqual(expect.arrayContaining(['main.bicep', 'modules/api.bicep', 'specs/orders-openapi.json', 'specs/inventory-openapi.yaml']));
    expect(diagnostics(report, 'not-scanned')).toEqual(['warning main.bicep:1 -', 'warning modules/api.bicep:1 -']);
  });

  it('is checked when the Bicep file that imports it is not scanned', async () => {
    const report = await scan({ cwd: dir, paths: ['specs'] });
    expect(findings(report)).toEqual([
      'route-requires-auth specs/inventory-openapi.yaml/GET /items specs/inventory-openapi.yaml:7',
      'route-requires-auth specs/inventory-openapi.yaml/PUT /items/{sku} specs/inventory-openapi.yaml:13',
      'route-requires-auth specs/orders-openapi.json/GET /orders specs/orders-openapi.json:48',
      'route-requires-auth specs/orders-openapi.json/GET /orders/{orderId} specs/orders-openapi.json:48',
    ]);
  });

  describe('outside the scan roots', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-bicep-'));
    afterAll(() => rmSync(base, { recursive: true, force: true }));
    const outside = path.join(base, 'outside');
    const repo = path.join(base, 'repo');
    mkdirSync(outside, { recursive: true });
    mkdirSync(path.join(repo, 'specs'), { recursive: true });
    const secretSpec = JSON.stringify({ openapi: '3.0.1', info: { title: 'OUTSIDE-THE-ROOTS-MARKER', version: '1' }, paths: { '/x': { get: { responses: { 200: { description: 'x' } } } } } }, null, 2);
    writeFileSync(path.join(outside, 'shared-openapi.json'), secretSpec);
    symlinkSync(path.join(outside, 'shared-openapi.json'), path.join(repo, 'specs', 'linked-openapi.json'));
    writeFileSync(
      path.join(repo, 'api.bicep'),
      [
        'param apimName string',
        '',
        "resource apim 'Microsoft.ApiManagement/service@2023-05-01-preview' existing = {",
        '  name: apimName',
        '}',
        '',
        "resource linked 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = {",
        '  parent: apim',
        "  name: 'linked'",
        "  properties: { path: 'linked', format: 'openapi+json', value: loadTextContent('specs/linked-openapi.json') }",
        '}',
        '',
        "resource parent 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = {",
        '  parent: apim',
        "  name: 'parent'",
        "  properties: { path: 'parent', format: 'openapi+json', value: loadTextContent('../outside/shared-openapi.json') }",
        '}',
      ].join('\n'),
    );

    it('a symbolic link or a path that leads outside is reported where it is loaded, and never read', async () => {
      const report = await scan({ cwd: repo });
      expect(diagnostics(report, 'outside-roots')).toEqual(['error api.bicep:10 -', 'error api.bicep:16 -', 'warning specs/linked-openapi.json:1 -']);
      expect(diagnostics(report, 'gateway-not-read')).toEqual([]);
      expect(report.findings).toEqual([]);
      expect(JSON.stringify(report)).not.toContain('OUTSIDE-THE-ROOTS-MARKER');
      expect(exitCodeFor(report, 'never')).toBe(2);
    });
  });
});
