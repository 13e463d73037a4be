import type { Diagnostic } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/location.js';
import { isActive, type ScanReport } from '../report/report.js';
import { SEVERITIES, type Finding, type Severity } from '../model/findings.js';
import { escapeControl } from '../escape.js';
import { relatedLines, routeLines, standInSuffix } from './common.js';

/** Options of the text reporter. */
export interface TextOptions {
  /** ANSI colours; the CLI turns them on only when stdout is a terminal. */
  readonly color: boolean;
}

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: '\u001b[1;35m',
  high: '\u001b[1;31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
};
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Where something is, escaped: file names and JSON pointers come from the input. */
function where(location: SourceLocation | undefined): string {
  if (!location) return '';
  // A live resource has no lines: its "file" is its ARN.
  if (location.url !== undefined) return escapeControl(location.file);
  return escapeControl(`${location.file}:${location.startLine}${location.pointer ? ` (${location.pointer})` : ''}`);
}

/** What was read: files for a scan, account regions for an audit. */
function scope(report: ScanReport): string {
  const audited = report.files.length === 0 && report.targets.length > 0 && report.targets.every((target) => /^(aws|azure|gcp):/.test(target));
  // An Azure audit reads subscriptions (`azure:<id>`), a GCP audit projects (`gcp:<id>`), an AWS audit regions of accounts.
  const all = (prefix: string): boolean => report.targets.length > 0 && report.targets.every((target) => target.startsWith(prefix));
  const unit = all('azure:') ? 'subscription' : all('gcp:') ? 'project' : 'region';
  return audited ? `${report.targets.length} ${unit}${report.targets.length === 1 ? '' : 's'}` : `${report.summary.files} files`;
}

/** What findings are grouped under: the file, or the account and region a live resource is in. */
function groupOf(finding: Finding): string {
  const { origin } = finding;
  if (origin.format === 'live' && finding.provider === 'azure') return `Azure subscription ${escapeControl(origin.account ?? '?')}, ${escapeControl(origin.region ?? '?')}`;
  // GCP has projects where AWS and Azure have accounts and subscriptions.
  if (origin.format === 'live') return `${finding.provider.toUpperCase()} ${finding.provider === 'gcp' ? 'project' : 'account'} ${escapeControl(origin.account ?? '?')}, ${escapeControl(origin.region ?? '?')}`;
  return escapeControl(finding.location.file);
}

/** An entity's address and route, escaped (both come from the input). */
function subjectOf(entity: { readonly address: string; readonly routeKey?: string }, always = false): string {
  const { address, routeKey } = entity;
  return escapeControl(routeKey !== undefined && (always || !address.endsWith(routeKey)) ? `${address} (${routeKey})` : address);
}

/**
 * Renders a report for people: findings grouped by file, then checks that could not be decided,
 * then diagnostics, and a summary line last. Every value from the input is shown with its control
 * characters escaped (src/escape.ts): the only line breaks and escape sequences are the reporter's own.
 */
export function renderText(report: ScanReport, options: TextOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];

  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings.filter(isActive)) {
    const group = groupOf(finding);
    const list = byFile.get(group);
    if (list) list.push(finding);
    else byFile.set(group, [finding]);
  }
  for (const [file, findings] of byFile) {
    lines.push(paint(BOLD, file));
    for (const finding of findings) {
      const label = finding.severity.toUpperCase().padEnd(8);
      lines.push(`  ${paint(SEVERITY_COLOR[finding.severity], label)} ${escapeControl(finding.policyId)}  ${paint(DIM, escapeControl(finding.title))}`);
      lines.push(`           ${escapeControl(finding.message)}`);
      const entity = subjectOf(finding) + escapeControl(standInSuffix(finding));
      if (finding.location.url !== undefined) {
        lines.push(`           ${paint(DIM, entity)}`);
        lines.push(`           ${paint(DIM, escapeControl(finding.location.url))}`);
      } else {
        lines.push(`           ${paint(DIM, `at ${where(finding.location)}  ${entity}${finding.construct ? `  construct ${escapeControl(finding.construct)}` : ''}`)}`);
      }
      for (const line of relatedLines(finding)) lines.push(`           ${paint(DIM, escapeControl(line))}`);
      for (const line of routeLines(finding)) lines.push(`           ${paint(DIM, escapeControl(line))}`);
    }
    lines.push('');
  }

  const suppressed = report.findings.filter((finding) => finding.suppressed);
  if (suppressed.length > 0) {
    lines.push(paint(BOLD, `Suppressed findings: ${suppressed.length}`));
    for (const finding of suppressed) {
      const { reason, until } = finding.suppressed!;
      const subject = subjectOf(finding, true);
      lines.push(`  ${finding.severity.toUpperCase().padEnd(8)} ${escapeControl(finding.policyId)}  ${subject}  ${paint(DIM, `at ${where(finding.location)}`)}`);
      lines.push(`           ${paint(DIM, `suppressed${until ? ` until ${escapeControl(until)}` : ''}: ${reason !== undefined ? escapeControl(reason) : '(no reason given)'} (${where(finding.suppressed!.location)})`)}`);
    }
    lines.push('');
  }

  if (report.unevaluated.length > 0) {
    lines.push(paint(BOLD, `Checks that could not be decided (unknown values): ${report.unevaluated.length}`));
    for (const check of report.unevaluated) {
      lines.push(`  ${escapeControl(check.policyId)}  ${subjectOf(check, true)}${escapeControl(standInSuffix(check))}  ${paint(DIM, `at ${where(check.location)}`)}`);
      lines.push(`           ${escapeControl(check.reason)}`);
      // A grouped check (an unknown setting of a service) names the APIs or routes it stands for.
      for (const line of routeLines(check)) lines.push(`           ${paint(DIM, escapeControl(line))}`);
    }
    lines.push('');
  }

  // Info diagnostics are left to the JSON report, except the documents not checked as gateways: a
  // reader of the text must see why a document in the repository has no findings.
  const shown = report.diagnostics.filter((diagnostic) => diagnostic.severity !== 'info' || diagnostic.code === 'not-a-gateway');
  if (shown.length > 0) {
    lines.push(paint(BOLD, 'Diagnostics'));
    for (const diagnostic of shown) lines.push(`  ${formatDiagnostic(diagnostic, paint)}`);
    lines.push('');
  }

  const { summary } = report;
  const severityCounts = SEVERITIES.map((severity) => `${summary.findings[severity]} ${severity}`).join(', ');
  lines.push(
    `${scope(report)} · ${summary.gateways} gateways · ${summary.routes} routes · ` +
      `${summary.findings.total} findings (${severityCounts})${summary.suppressed > 0 ? ` · ${summary.suppressed} suppressed` : ''}${summary.baselined > 0 ? ` · ${summary.baselined} in the baseline` : ''} · ${summary.unevaluated} unknown · ${summary.parseErrors} parse errors`,
  );
  if (summary.incomplete) {
    const reasons = [
      summary.errors > 0 ? `${summary.errors} error${summary.errors === 1 ? '' : 's'}` : '',
      summary.unevaluated > 0 ? `${summary.unevaluated} check${summary.unevaluated === 1 ? '' : 's'} with unknown values` : '',
    ].filter(Boolean);
    lines.push(paint(SEVERITY_COLOR.high, `Incomplete: ${reasons.join(' and ')}; the result does not cover everything (exit code 2).`));
  }
  return `${lines.join('\n')}\n`;
}

function formatDiagnostic(diagnostic: Diagnostic, paint: (code: string, text: string) => string): string {
  const label = diagnostic.severity === 'error' ? paint(SEVERITY_COLOR.high, 'error  ') : diagnostic.severity === 'info' ? paint(SEVERITY_COLOR.info, 'info   ') : paint(SEVERITY_COLOR.medium, 'warning');
  const place = diagnostic.location ? `${where(diagnostic.location)}  ` : '';
  return `${label} ${place}${escapeControl(diagnostic.message)}`;
}
