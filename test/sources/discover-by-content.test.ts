import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { INPUT_DETECTORS } from '../../src/pipeline/input-formats.js';
import { scan } from '../../src/pipeline/scan.js';
import { discover } from '../../src/sources/discover.js';

// OpenAPI documents are recognised by their content whatever they are named: `.swagger` (as Cloud
// Endpoints examples name them), templates (`.json.tmpl`, `.yml.j2`, `.tpl`), no extension.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/specs');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.provider} ${f.routeKey ?? f.address} ${f.location.file}:${f.location.startLine} ${f.severity}`).sort();

describe('discovery by content', () => {
  const cwd = path.join(fixtures, 'discovery');

  it('finds specs of any name, and opens no source code, prose or binary file to do so', () => {
    const found = discover(['.'], cwd, INPUT_DETECTORS);
    expect(found.files.map((file) => `${file.kind} ${path.relative(cwd, file.path)}`)).toEqual([
      'openapi deploy/orders-api.yaml',
      'openapi deploy/templates/partners.json.tmpl',
      'openapi deploy/templates/storefront.yml.j2',
      'openapi endpoints/bookstore.swagger',
      'openapi specs/payments',
    ]);
    expect(found.diagnostics).toEqual([]);
  });

  it('reads each as the API its extensions define, with template placeholders unknown', async () => {
    const report = await scan({ cwd });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual([
      // API Gateway's extensions in a document of its own: read as the HTTP API they define, CORS included.
      'cors-not-open aws deploy/orders-api.yaml deploy/orders-api.yaml:7 high',
      // A Cloud Endpoints spec with a .swagger extension, read with Google's extensions.
      'route-requires-auth gcp GET /shelves/{shelf}/books endpoints/bookstore.swagger:38 high',
      // API Gateway's extensions in a Go template (.json.tmpl): an API key alone, and no authentication.
      'route-requires-auth aws GET /deliveries/{id}/track deploy/templates/partners.json.tmpl:22 high',
      'route-requires-auth aws POST /deliveries deploy/templates/partners.json.tmpl:13 medium',
      // ... whose POST body no request validator checks.
      'request-validation aws POST /deliveries deploy/templates/partners.json.tmpl:12 low',
      'route-requires-auth aws GET /products deploy/templates/storefront.yml.j2:13 high',
      // A spec without an extension.
      'route-requires-auth openapi GET /status specs/payments:19 high',
      // The spec defines no quota at all: one finding on the API, at the document, for both operations.
      'throttling-configured gcp endpoints/bookstore.swagger endpoints/bookstore.swagger:3 medium',
    ].sort());
    // The Jinja template's allowed origin is a placeholder: unknown, and the check says which and where.
    expect(report.unevaluated.filter((u) => u.policyId === 'cors-not-open').map((u) => `${u.location.file}:${u.location.startLine} ${u.reason}`)).toEqual([
      'deploy/templates/storefront.yml.j2:7 cors.allowOrigins is unknown: the template placeholder {{ storefront_origin }} (deploy/templates/storefront.yml.j2:8) is filled in when the template is rendered; scan the rendered document, or the configuration that renders it',
    ]);
  });

  it('reports a template whose placeholders write its structure, never an empty API that looks clean', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'template-structure') });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['error not-scanned openapi.yaml.j2:6']);
    expect(report.diagnostics[0]!.message).toContain('is a template that is not valid JSON or YAML until it is rendered');
    expect(report.summary.incomplete).toBe(true);
  });

  it('does not scan a template on its own when the configuration that renders it is scanned', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'terraform-templatefile') });
    expect(report.findings.filter((f) => f.address.endsWith('.tpl'))).toEqual([]);
    expect(report.files).not.toContain('modules/orders-api/partners.json.tpl');
  });
});

describe('discovery of other names stays cheap', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-sniff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('skips large files of other names unread, and reads the head of a small one only', () => {
    writeFileSync(path.join(dir, 'huge.swagger'), `openapi: 3.0.1\n${'#'.repeat(17 * 1024 * 1024)}\n`);
    // A document whose `openapi:` key comes after 1 KB of comments is found: the sniff only checks the shape.
    writeFileSync(path.join(dir, 'late.swagger'), `${'# generated\n'.repeat(200)}openapi: 3.0.1\ninfo: { title: late, version: "1" }\npaths: {}\n`);
    writeFileSync(path.join(dir, 'notes.swagger'), 'These are notes about openapi: 3.0.1 documents.\nopenapi: 3.0.1\n');
    const found = discover(['.'], dir, INPUT_DETECTORS);
    expect(found.files.map((file) => path.basename(file.path))).toEqual(['late.swagger']);
  });
});
