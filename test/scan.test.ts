import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('scanning several root modules at once', () => {
  it('keeps resources with the same address in different roots apart', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'terraform/two-roots') });
    expect(report.summary).toMatchObject({ gateways: 2, routes: 2, incomplete: false });
    expect(report.findings.map((finding) => [finding.policyId, finding.entityId, finding.location.file, finding.location.startLine, finding.message])).toEqual([
      ['route-requires-auth', 'a:aws_api_gateway_method.get', 'a/main.tf', 16, 'GET /items on api-a accepts unauthenticated calls'],
    ]);
  });
});

describe('the library entry point', () => {
  it('exports the scan pipeline and its steps', async () => {
    const library = await import('../src/index.js');
    expect(Object.keys(library)).toEqual(expect.arrayContaining(['scan', 'readInventory', 'loadPolicies', 'evaluatePolicies', 'REPORTERS', 'cli', 'Unknown', 'GatewardenError']));
    const report = await library.scan({ cwd: path.join(fixtures, 'cli/clean') });
    expect(library.exitCodeFor(report, 'low')).toBe(0);
  });
});
