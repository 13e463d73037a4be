import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// samples/nightly/record.mjs runs the built binary (npm test builds first).

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
let out: string | undefined;

afterEach(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

interface Listed {
  policyId: string;
  location?: string;
}
const where = (list: readonly Listed[]): string[] => list.map((finding) => `${finding.policyId} ${finding.location}`);

describe('the nightly sample (samples/nightly/record.mjs)', () => {
  it('records three nights of the samples with changes between them and renders the report', () => {
    out = mkdtempSync(path.join(tmpdir(), 'gatewarden-nightly-out-'));
    const result = spawnSync(process.execPath, [path.join(repo, 'samples/nightly/record.mjs'), out], { cwd: repo, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`The nightly report of three recorded nights is in ${out}: nightly.html, nightly.md, nightly.json\n`);

    const report = JSON.parse(readFileSync(path.join(out, 'nightly.json'), 'utf8'));
    expect(report).toMatchObject({ kind: 'gatewarden-history-report', runs: 3, latest: { id: 'night-3', incomplete: false } });
    expect(report.trend.map((point: { runId: string }) => point.runId)).toEqual(['night-1', 'night-2', 'night-3']);
    // Night 3 replaced the GCP API with its fixed variant.
    expect(where(report.sincePrevious.fixed)).toEqual([
      'route-requires-auth repos/delivery/openapi.yaml:76',
      'backend-https repos/delivery/openapi.yaml:77',
      'route-requires-auth repos/delivery/openapi.yaml:64',
      'throttling-configured repos/delivery/openapi.yaml:49',
      'throttling-configured repos/delivery/openapi.yaml:73',
    ]);
    // Night 2 moved the AWS static key to Secrets Manager: fixed since the first night.
    expect(where(report.sinceWindow.fixed)).toContain('no-static-api-keys repos/payments/rest-api.tf:262');
    expect(report.sincePrevious.new).toEqual([]);
    expect(where(report.pastSla)).toEqual(['cors-not-open repos/payments/terraform.tfvars:4']);
    expect(report.meanTimeToFix.high).toEqual({ fixed: 2, meanDays: 1.5 });

    const markdown = readFileSync(path.join(out, 'nightly.md'), 'utf8');
    expect(markdown).toContain('Compared with run night-2 of ');
    const html = readFileSync(path.join(out, 'nightly.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg');
  });
});
