import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure/apiops');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort();
const notRead = (report: Report) => report.diagnostics.filter((d) => d.code === 'gateway-not-read');

describe('APIOps artifacts', () => {
  it('an API kept as APIOps artifacts: its specification is not checked as a stand-alone gateway, an error at its apiInformation.json says why', async () => {
    const report = await scan({ cwd: dir });
    // The specification says "API key alone"; API Management enforces the subscription and the
    // policy's validate-jwt instead. The other document, with no apiInformation.json beside it, is checked.
    expect(findings(report)).toEqual(['route-requires-auth tools/mock-server/specification.yaml/POST /orders tools/mock-server/specification.yaml:7']);
    expect(notRead(report).map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.address}`)).toEqual(['error apis/orders-api/apiInformation.json:1 orders-api']);
    expect(notRead(report)[0]!.message).toContain(
      'apis/orders-api/specification.yaml is not checked as a stand-alone gateway: it is the specification of the API Management API orders-api kept as APIOps artifacts (apis/orders-api/apiInformation.json)',
    );
    expect(report.files).toContain('apis/orders-api/specification.yaml');
    expect(report.summary.incomplete).toBe(true);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('the specification named on the command line is checked as written', async () => {
    const report = await scan({ cwd: dir, paths: ['apis/orders-api/specification.yaml'] });
    expect(findings(report)).toEqual([
      'route-requires-auth apis/orders-api/specification.yaml/GET /orders apis/orders-api/specification.yaml:35',
      'route-requires-auth apis/orders-api/specification.yaml/GET /orders/{orderId} apis/orders-api/specification.yaml:35',
    ]);
    expect(notRead(report)).toEqual([]);
  });
});
