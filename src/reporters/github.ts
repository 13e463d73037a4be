import { SEVERITIES, severityRank, type Finding, type Severity } from '../model/findings.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/location.js';
import { escapeControl } from '../escape.js';
import { isActive, type ScanReport } from '../report/report.js';
import { entityLabel, isFileLocation, lineRange, relatedLines, standInSuffix } from './common.js';

type Command = 'error' | 'warning' | 'notice';

/** The annotation a finding of each severity becomes: critical and high fail a build, so they are errors. */
export const GITHUB_COMMAND: Readonly<Record<Severity, Command>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * Escapes a command's message the way the Actions runner unescapes it (actions/toolkit `escapeData`):
 * `%` first, so that the escapes themselves survive, then CR and LF, which would end the command.
 * This keeps a command on its line; values from the input also go through {@link escapeControl}
 * first, so that what the runner unescapes holds no line break or terminal escape of theirs.
 */
export function escapeGithubData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`file=`, `title=`): also `:` and `,`, which delimit properties. */
export function escapeGithubProperty(value: string): string {
  return escapeGithubData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command. `message` is a list of lines: each is escaped on its own (input values shown
 * as `\n`, `\u001b`...), and only the breaks between them, the reporter's own, become `%0A`. Property
 * values are escaped the same way, then as properties.
 */
function command(name: Command, properties: ReadonlyArray<readonly [string, string | number]>, message: string | readonly string[]): string {
  const text = (typeof message === 'string' ? [message] : message).map(escapeControl).join('\n');
  const list = properties.map(([key, value]) => `${key}=${typeof value === 'number' ? value : escapeGithubProperty(escapeControl(value))}`).join(',');
  return `::${name}${list ? ` ${list}` : ''}::${escapeGithubData(text)}`;
}

/**
 * `file`, `line`, `endLine`, and columns only on a one-line range (GitHub ignores columns that span
 * lines). None for a live resource: its ARN is not a file in the repository.
 */
function locationProperties(location: SourceLocation | undefined): Array<[string, string | number]> {
  if (!location || !isFileLocation(location)) return [];
  const range = lineRange(location);
  const properties: Array<[string, string | number]> = [
    ['file', location.file],
    ['line', range.startLine],
    ['endLine', range.endLine],
  ];
  if (range.startLine === range.endLine && (range.startColumn !== undefined || range.endColumn !== undefined)) {
    properties.push(['col', range.startColumn ?? 1]);
    if (range.endColumn !== undefined) properties.push(['endColumn', range.endColumn]);
  }
  return properties;
}

/**
 * Renders the report as GitHub Actions workflow commands, which the runner turns into annotations on
 * the files of a pull request: one per finding that fails the run (most severe first, since GitHub
 * shows only the first few of each level), then error diagnostics, undecided checks and warnings,
 * and a summary notice last. Suppressed and baselined findings are left out: they do not fail the
 * run. Paths are relative to the scan root, so run the scan from the repository root. Every command
 * is one line whatever the input holds: a value can never start a command of its own.
 */
export function renderGithub(report: ScanReport): string {
  const lines: string[] = [];
  const active = [...report.findings.filter(isActive)].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  for (const finding of active) lines.push(findingCommand(finding));
  for (const diagnostic of report.diagnostics.filter((candidate) => candidate.severity === 'error')) lines.push(diagnosticCommand(diagnostic));
  for (const check of report.unevaluated) {
    lines.push(command('warning', [...locationProperties(check.location), ['title', `${check.policyId}: could not be decided`]], `${check.reason} (${entityLabel(check)})${standInSuffix(check)}`));
  }
  for (const diagnostic of report.diagnostics.filter((candidate) => candidate.severity === 'warning')) lines.push(diagnosticCommand(diagnostic));
  lines.push(command('notice', [['title', report.tool.name]], summaryLine(report)));
  return `${lines.join('\n')}\n`;
}

function findingCommand(finding: Finding): string {
  const { location } = finding;
  const message = [
    `${finding.message} (${entityLabel(finding)})${standInSuffix(finding)}`,
    ...relatedLines(finding),
    ...(location.pointer !== undefined ? [`at ${location.pointer}`] : []),
    ...(location.url !== undefined ? [`console: ${location.url}`] : []),
  ];
  return command(GITHUB_COMMAND[finding.severity], [...locationProperties(location), ['title', `${finding.policyId}: ${finding.title}`]], message);
}

function diagnosticCommand(diagnostic: Diagnostic): string {
  const subject = diagnostic.address !== undefined ? ` (${diagnostic.address})` : '';
  return command(diagnostic.severity === 'error' ? 'error' : 'warning', [...locationProperties(diagnostic.location), ['title', `gatewarden: ${diagnostic.code}`]], `${diagnostic.message}${subject}`);
}

function summaryLine(report: ScanReport): string {
  const { summary } = report;
  const parts = [
    `${summary.findings.total} ${summary.findings.total === 1 ? 'finding' : 'findings'} (${SEVERITIES.map((severity) => `${summary.findings[severity]} ${severity}`).join(', ')})`,
    ...(summary.suppressed > 0 ? [`${summary.suppressed} suppressed`] : []),
    ...(summary.baselined > 0 ? [`${summary.baselined} in the baseline`] : []),
    ...(summary.unevaluated > 0 ? [`${summary.unevaluated} undecided`] : []),
    ...(summary.errors > 0 ? [`${summary.errors} ${summary.errors === 1 ? 'error' : 'errors'}`] : []),
  ];
  return `${report.tool.name} ${report.tool.version}: ${parts.join(', ')}${summary.incomplete ? '; incomplete: the result does not cover everything' : ''}`;
}
