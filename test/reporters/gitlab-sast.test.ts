import { describe, expect, it } from 'vitest';
import { renderGitlabSast } from '../../src/reporters/gitlab-sast.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

// GitLab publishes no npm package with its report schemas, so the rules its ingestion enforces
// (schema 15.x: version pattern, scan object with analyzer/scanner/type/times/status, vulnerabilities
// with id, identifiers and location) are asserted here field by field.
interface GitlabReport {
  version: string;
  scan: { analyzer: Record<string, unknown>; scanner: Record<string, unknown>; type: string; start_time: string; end_time: string; status: string; messages: Array<{ level: string; value: string }> };
  vulnerabilities: Array<{ id: string; name: string; description: string; severity: string; location: { file: string; start_line: number; end_line: number }; identifiers: Array<{ type: string; name: string; value: string }> }>;
}

const output = renderGitlabSast(FIXED_REPORT);
const report = JSON.parse(output) as GitlabReport;

describe('the GitLab SAST reporter', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(output).toMatchFileSnapshot('__snapshots__/fixed-report.gitlab-sast.json');
  });

  it('has the envelope GitLab 15+ ingests', () => {
    expect(report.version).toMatch(/^15\.\d+\.\d+$/);
    expect(report.scan).toMatchObject({ type: 'sast', start_time: '2026-11-29T08:00:00', end_time: '2026-11-29T08:00:03' });
    for (const tool of [report.scan.analyzer, report.scan.scanner]) expect(tool).toEqual({ id: 'gatewarden', name: 'gatewarden', version: FIXED_REPORT.tool.version, vendor: { name: 'gatewarden' } });
    // The fixed report is incomplete (a parse error): GitLab must not show it as a clean scan.
    expect(report.scan.status).toBe('failure');
    expect(report.scan.messages.some((message) => message.level === 'fatal')).toBe(true);
  });

  it('lists unsuppressed findings of files, with unique ids, GitLab severities and 1-based lines', () => {
    const expected = FIXED_REPORT.findings.filter((finding) => !finding.suppressed && finding.origin.format !== 'live');
    expect(report.vulnerabilities.map((v) => `${v.identifiers[0]!.value} ${v.location.file}:${v.location.start_line}`)).toEqual(
      expected.map((finding) => `${finding.policyId} ${finding.location.file}:${finding.location.startLine}`),
    );
    expect(new Set(report.vulnerabilities.map((v) => v.id)).size).toBe(report.vulnerabilities.length);
    for (const vulnerability of report.vulnerabilities) {
      expect(vulnerability.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(['Critical', 'High', 'Medium', 'Low', 'Info']).toContain(vulnerability.severity);
      expect(vulnerability.location.start_line).toBeGreaterThan(0);
      expect(vulnerability.location.end_line).toBeGreaterThanOrEqual(vulnerability.location.start_line);
      expect(vulnerability.identifiers[0]!.name.length).toBeGreaterThan(0);
    }
  });

  it('gives the same id to the same finding in every run', () => {
    const again = JSON.parse(renderGitlabSast({ ...FIXED_REPORT, timing: { startedAt: '2027-01-01T00:00:00.000Z', finishedAt: '2027-01-01T00:00:01.000Z' } })) as GitlabReport;
    expect(again.vulnerabilities.map((v) => v.id)).toEqual(report.vulnerabilities.map((v) => v.id));
  });
});
