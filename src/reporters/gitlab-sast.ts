import type { Finding, Severity } from '../model/findings.js';
import type { ScanReport } from '../report/report.js';
import { escapeControl, stringifyJson } from '../escape.js';
import { relatedLines, standInSuffix } from './common.js';

/** The version of GitLab's security report schema the output follows (15.x is what GitLab 15.0+ ingests). */
export const GITLAB_SCHEMA_VERSION = '15.0.7';

const SEVERITY: Readonly<Record<Severity, string>> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/**
 * Renders the report as a GitLab SAST report (`artifacts: reports: sast:`), so findings appear in the
 * merge request security widget and the vulnerability report. GitLab compares the report with the
 * default branch itself, so findings in the baseline are included; suppressed findings are not (the
 * risk was accepted in the code, and the format has no way to say so). Findings of live resources have
 * no file and are left out: the format requires one. Texts meant for people (name, description,
 * solution, scan messages) show the control characters of input values as escapes; the file path
 * keeps its exact value, in JSON escapes.
 */
export function renderGitlabSast(report: ScanReport): string {
  const seen = new Map<string, number>();
  const vulnerabilities = report.findings
    .filter((finding) => !finding.suppressed && finding.origin.format !== 'live')
    .map((finding) => {
      // Identical findings share a fingerprint; the id must still be unique within the report.
      const count = seen.get(finding.fingerprint) ?? 0;
      seen.set(finding.fingerprint, count + 1);
      return vulnerability(finding, count);
    });
  const tool = { id: 'gatewarden', name: 'gatewarden', version: report.tool.version, vendor: { name: 'gatewarden' } };
  const started = gitlabTime(report.timing?.startedAt);
  const finished = gitlabTime(report.timing?.finishedAt ?? report.timing?.startedAt);
  const output = {
    version: GITLAB_SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'sast',
      start_time: started,
      end_time: finished,
      // GitLab shows a failed scan as such; an incomplete scan is not a clean one.
      status: report.summary.incomplete ? 'failure' : 'success',
      messages: report.diagnostics
        .filter((diagnostic) => diagnostic.severity !== 'info')
        .map((diagnostic) => ({
          level: diagnostic.severity === 'error' ? 'fatal' : 'warn',
          value: escapeControl(diagnostic.location ? `${diagnostic.location.file}:${diagnostic.location.startLine}: ${diagnostic.message}` : diagnostic.message),
        })),
    },
    vulnerabilities,
  };
  return `${stringifyJson(output)}\n`;
}

function vulnerability(finding: Finding, occurrence: number): Record<string, unknown> {
  const subject = finding.routeKey !== undefined ? `${finding.address} (${finding.routeKey})` : finding.address;
  return {
    id: uuidOf(finding.fingerprint, occurrence),
    name: escapeControl(finding.title),
    description: `${escapeControl(finding.message)}\n\nResource: ${escapeControl(subject + standInSuffix(finding))}${relatedLines(finding).map((line) => `\n${escapeControl(line)}`).join('')}\n\nRemediation: ${escapeControl(finding.remediation)}`,
    severity: SEVERITY[finding.severity],
    solution: escapeControl(finding.remediation),
    location: { file: finding.location.file, start_line: finding.location.startLine, end_line: Math.max(finding.location.endLine, finding.location.startLine) },
    identifiers: [{ type: 'gatewarden_policy', name: `gatewarden ${finding.policyId}`, value: finding.policyId }],
  };
}

/** A UUID-shaped id from the fingerprint, stable across runs as GitLab expects. */
function uuidOf(fingerprint: string, occurrence: number): string {
  const hex = occurrence === 0 ? fingerprint : `${fingerprint.slice(0, 24)}${(parseInt(fingerprint.slice(24), 16) ^ occurrence).toString(16).padStart(8, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** GitLab's `yyyy-mm-ddThh:mm:ss` (UTC, no zone, no fraction). */
function gitlabTime(iso: string | undefined): string {
  return (iso ?? '1970-01-01T00:00:00.000Z').slice(0, 19);
}
