import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { readInventory, scan } from '../../../src/pipeline/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const documents = path.join(fixtures, 'openapi');

describe('OpenAPI documents scanned on their own', () => {
  it('give each operation its documented security: own over global, [] for none, the weakest alternative', async () => {
    const inventory = await readInventory({ cwd: documents, paths: ['petstore-3.1.yaml'] });
    expect(inventory.diagnostics).toEqual([]);
    const auth = Object.fromEntries(inventory.entities.filter((e): e is Route => e.kind === 'route').map((route) => [route.key, route.auth.kind]));
    expect(auth).toEqual({
      'GET /pets': 'oauth2',
      'POST /pets': 'oauth2',
      'GET /pets/{petId}': 'oauth2',
      // oauth2 or a key: a caller takes the key.
      'DELETE /pets/{petId}': 'api-key',
      // Through a 3.1 path item $ref and a security scheme $ref.
      'GET /pets/{petId}/photos': 'api-key',
      'PUT /pets/{petId}/photos': 'oauth2',
      'GET /store/inventory': 'api-key',
      'GET /health': 'none',
    });
    expect(inventory.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'openapi', name: 'Swagger Petstore', definedByOpenApi: true });
  });

  it('are checked for authentication, at the line of the security that applies, and not for rate limits', async () => {
    const report = await scan({ cwd: documents, paths: ['petstore-3.1.yaml', 'inventory.json'] });
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine} ${f.severity}`).sort()).toEqual([
      // The operation's own security, with an empty alternative: anonymous callers are let in.
      'route-requires-auth inventory.json/GET /items inventory.json:17 high',
      // No security anywhere: the operation itself.
      'route-requires-auth inventory.json/GET /items/{sku} inventory.json:37 high',
      'route-requires-auth petstore-3.1.yaml/DELETE /pets/{petId} petstore-3.1.yaml:65 medium',
      'route-requires-auth petstore-3.1.yaml/GET /health petstore-3.1.yaml:98 high',
      // Where the operation is written: the path item in components/pathItems.
      'route-requires-auth petstore-3.1.yaml/GET /pets/{petId}/photos petstore-3.1.yaml:167 medium',
      'route-requires-auth petstore-3.1.yaml/GET /store/inventory petstore-3.1.yaml:81 medium',
    ]);
    expect(report.summary.checks.notApplicable).toBeGreaterThan(0);
  });

  it('stop at $ref loops and leave what a remote $ref defines unknown, with a diagnostic each', async () => {
    const report = await scan({ cwd: documents, paths: ['circular.yaml', 'remote-ref.yaml'] });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.location?.file} ${d.message}`)).toEqual([
      'warning circular.yaml $ref "#/x-a" refers back to itself through a loop',
      'warning remote-ref.yaml $ref "https://schemas.example.com/common.yaml#/components/securitySchemes/oauth" points outside the document and is not followed',
    ]);
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address}`).sort()).toEqual([
      'route-requires-auth remote-ref.yaml/GET /reports',
      'route-requires-auth remote-ref.yaml/GET /reports/{reportId}',
      'route-requires-auth remote-ref.yaml/POST /reports',
    ]);
    expect(report.summary.incomplete).toBe(true);
  });

  it('read HTTP basic authentication as static credentials of its own kind, weaker than a token required with it', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'openapi-basic') });
    expect(report.findings.map((f) => `${f.policyId} ${f.routeKey} ${f.location.file}:${f.location.startLine} ${f.severity}`)).toEqual(['route-requires-auth GET /reports/daily reports.yaml:9 medium']);
    expect(report.findings[0]!.message).toMatch(/relies on HTTP basic authentication: static credentials/);
  });

  it('report a document that is neither JSON nor YAML at the line of the error', async () => {
    const report = await scan({ cwd: documents, paths: ['broken.yaml'] });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'parse-error', location: expect.objectContaining({ file: 'broken.yaml', startLine: 17 }) })]);
  });

  it('read a 20 MB document, with a warning about its size', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-big-spec-'));
    const spec: { openapi: string; info: object; paths: Record<string, object>; components: { schemas: Record<string, object> } } = {
      openapi: '3.0.3',
      info: { title: 'Generated', version: '1' },
      paths: {},
      components: { schemas: {} },
    };
    for (let index = 0; index < 300; index++) spec.paths[`/items/${index}`] = { get: { security: [], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: `#/components/schemas/S${index}` } } } } } } };
    let size = 0;
    for (let index = 0; size < 20 * 1024 * 1024; index++) {
      const properties: Record<string, object> = {};
      for (let field = 0; field < 10; field++) properties[`field${field}`] = { type: 'string', description: `field ${field} of generated schema ${index}, long enough to make the document big` };
      spec.components.schemas[`S${index}`] = { type: 'object', properties };
      size += 1400;
    }
    writeFileSync(path.join(dir, 'generated.json'), JSON.stringify(spec, null, 1));
    const report = await scan({ cwd: dir });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^the OpenAPI document is 2\d\.\d MB; it is scanned/) })]);
    expect(report.findings).toHaveLength(300);
    expect(report.findings[299]!.location.startLine).toBeGreaterThan(1);
  });

  it('are not scanned again when a configuration reads them with file()', async () => {
    // policies/cors/cors-not-open/test/openapi-cors reads openapi.yaml into an HTTP API body.
    const inventory = await readInventory({ cwd: path.join(fixtures, '../../policies/cors/cors-not-open/test/openapi-cors') });
    expect(inventory.entities.filter((e) => e.provider === 'openapi')).toEqual([]);
    expect(inventory.entities.some((e) => e.provider === 'aws' && e.kind === 'route')).toBe(true);
  });
});
