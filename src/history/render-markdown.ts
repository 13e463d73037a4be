import { SEVERITIES, type Severity } from '../model/findings.js';
import { escapeMarkdown } from '../reporters/common.js';
import { SEVERITY_BADGE } from '../reporters/markdown.js';
import type { Changes, Count, HistoryReport, OpenFinding, ReportedFinding } from './analyse.js';
import { COMPLIANCE_STATUS_LABELS, failingChecks, passRateText, type FrameworkCompliance } from './compliance.js';

/** Rows of each list before "and N more": the report is read, the JSON has everything. */
export const HISTORY_TABLE_ROWS = 50;

const text = escapeMarkdown;

/** Where a finding is: `file:line`, or the resource id of a live resource. */
function where(finding: ReportedFinding): string {
  return text(finding.location ?? finding.resourceId ?? '');
}

function resource(finding: ReportedFinding): string {
  return text(finding.routeKey !== undefined && !finding.address.endsWith(finding.routeKey) ? `${finding.address} (${finding.routeKey})` : finding.address);
}

function date(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, total = rows.length): string[] {
  if (rows.length === 0) return [];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.slice(0, HISTORY_TABLE_ROWS).map((row) => `| ${row.join(' | ')} |`)];
  const more = Math.max(total, rows.length) - Math.min(rows.length, HISTORY_TABLE_ROWS);
  if (more > 0) lines.push('', `…and ${more} more (the JSON report lists every one).`);
  return [...lines, ''];
}

function findingRows(findings: readonly ReportedFinding[]): string[][] {
  return findings.map((finding) => [`${SEVERITY_BADGE[finding.severity]} ${finding.severity}`, text(finding.policyId), resource(finding), where(finding)]);
}

function countTable(title: string, counts: readonly Count[]): string[] {
  return table([title, 'Open'], counts.map((count) => [text(count.name), String(count.count)]));
}

function complianceSection(frameworks: readonly FrameworkCompliance[]): string[] {
  if (frameworks.length === 0) return ['## Compliance', '', 'The latest run recorded no policy checks (recorded by an older gatewarden): compliance is not measured.', ''];
  const lines = ['## Compliance', '', 'Pass rate of the checks of the policies mapped to each item, in the latest run. "Not covered": no policy checks it; "not measured": no check was decided (all unknown). Neither is a pass.', ''];
  for (const framework of frameworks) {
    lines.push(
      `### ${text(framework.title)}`,
      '',
      ...table(
        ['Item', 'Status', 'Pass rate', 'Passed', 'Failed', 'Unknown', 'Failing checks'],
        framework.items.map((item) => [
          text(item.title !== undefined ? `${item.id} ${item.title}` : item.id),
          item.status === 'fail' || item.status === 'pass' ? `**${COMPLIANCE_STATUS_LABELS[item.status]}**` : COMPLIANCE_STATUS_LABELS[item.status],
          passRateText(item),
          String(item.passed),
          String(item.failed),
          String(item.unknown + item.errors),
          failingChecks(item).map(text).join('; ') || '–',
        ]),
      ),
    );
  }
  return lines;
}

function changesSection(title: string, changes: Changes): string[] {
  const lines = [
    `## ${title}`,
    '',
    `Compared with run ${text(changes.from.id)} of ${date(changes.from.startedAt)}: **${changes.new.length} new**, **${changes.fixed.length} fixed**, ${changes.stillOpen.length} still open, ${changes.accepted.length} accepted (suppressed or baselined), ${changes.notChecked.length} not checked.`,
    '',
  ];
  const header = ['Severity', 'Policy', 'Resource', 'Where'];
  if (changes.new.length > 0) lines.push('### New', '', ...table(header, findingRows(changes.new)));
  if (changes.fixed.length > 0) lines.push('### Fixed', '', ...table(header, findingRows(changes.fixed)));
  if (changes.notChecked.length > 0) {
    lines.push('### Not checked', '', 'Open before; what held them was not read or not decided in the later run, so they are neither fixed nor open:', '', ...table(header, findingRows(changes.notChecked)));
  }
  return lines;
}

function ageRows(report: HistoryReport): string[][] {
  return SEVERITIES.map((severity: Severity) => {
    const open = report.open.filter((finding) => finding.severity === severity);
    const ages = open.map((finding) => finding.ageDays);
    const fix = report.meanTimeToFix[severity];
    return [
      `${SEVERITY_BADGE[severity]} ${severity}`,
      String(open.length),
      ages.length > 0 ? `${Math.max(...ages)} d` : '–',
      ages.length > 0 ? `${Math.round((ages.reduce((sum, age) => sum + age, 0) / ages.length) * 10) / 10} d` : '–',
      String(fix.fixed),
      fix.meanDays !== undefined ? `${fix.meanDays} d` : '–',
      open[0]?.slaDays !== undefined ? `${open[0].slaDays} d` : '–',
    ];
  });
}

function slaRows(findings: readonly OpenFinding[]): string[][] {
  return findings.map((finding) => [...findingRows([finding])[0]!, `${finding.ageDays} d`, `${finding.slaDays ?? '–'} d`]);
}

/**
 * The nightly report as Markdown: posture now, changes since the previous run and since the window
 * start, ages and time to fix, SLA breaches, and what was not checked, never shown as a pass. Every
 * value from the input is escaped.
 */
export function renderHistoryMarkdown(report: HistoryReport): string {
  const lines = ['# gatewarden nightly report', ''];
  const { latest, posture } = report;
  if (!latest) {
    lines.push('No run is recorded in this history yet. Record one with `gatewarden scan --history DB` or `gatewarden audit PROVIDER --history DB`.', '');
    return `${lines.join('\n')}`;
  }
  lines.push(
    `Generated ${date(report.generatedAt)}${report.since !== undefined ? `, over the runs since ${date(report.since)} (${report.runs})` : `, over every recorded run (${report.runs})`}. Latest run: ${text(latest.id)} of ${date(latest.startedAt)} (${latest.commands.map(text).join(', ')})${latest.incomplete ? ', **incomplete**: some targets were not read or not decided (see below)' : ', complete'}.`,
    '',
    '## Posture now',
    '',
    `**${posture.open} open findings**: ${SEVERITIES.map((severity) => `${SEVERITY_BADGE[severity]} ${posture.bySeverity[severity]} ${severity}`).join(' · ')}. Accepted: ${posture.suppressed} suppressed, ${posture.baselined} in a baseline. **${posture.unknown} checks could not be decided** (unknown values): not passes.`,
    '',
    ...countTable('Provider', posture.byProvider),
    ...countTable('Account, subscription or project', posture.byAccount),
    ...table(['Gateway', 'Scope', 'Open'], posture.byGateway.map((gateway) => [text(gateway.name === gateway.id ? gateway.id : `${gateway.name} (${gateway.id})`), text(gateway.scope), String(gateway.count)])),
    ...countTable('Policy', posture.byPolicy),
    ...countTable('Owner', posture.unowned > 0 ? [...posture.byOwner, { name: '(no owner)', count: posture.unowned }] : posture.byOwner),
    ...countTable('Target', posture.byTarget),
    ...complianceSection(report.compliance),
  );
  if (report.sincePrevious) lines.push(...changesSection('Since the previous run', report.sincePrevious));
  if (report.sinceWindow && report.since !== undefined) {
    // The same comparison twice would only make the report longer.
    if (report.sinceWindow.from.id === report.sincePrevious?.from.id) lines.push(`## Since ${date(report.since)}`, '', 'The previous run is the last one before the window: the changes are those above.', '');
    else lines.push(...changesSection(`Since ${date(report.since)}`, report.sinceWindow));
  }
  lines.push('## Age and time to fix', '', ...table(['Severity', 'Open', 'Oldest', 'Mean age', 'Fixed in window', 'Mean time to fix', 'SLA'], ageRows(report)));
  lines.push('## Past their SLA', '');
  if (report.pastSla.length === 0) lines.push(report.open.some((finding) => finding.slaDays !== undefined) ? 'No open finding is past its SLA.' : 'No SLA is set (`sla:` in .gatewarden.yaml, e.g. `sla: { critical: 7d, high: 30d }`).', '');
  else lines.push(...table(['Severity', 'Policy', 'Resource', 'Where', 'Open for', 'SLA'], slaRows(report.pastSla)));
  if (report.unknown.length > 0) {
    lines.push(
      '## Not decided',
      '',
      'These checks read a value that was unknown (a variable without a value, a module not read); they are neither passes nor findings:',
      '',
      ...table(['Severity', 'Policy', 'Resource', 'Where', 'Why'], report.unknown.map((finding) => [...findingRows([finding])[0]!, text(finding.message)])),
    );
  }
  if (report.incompleteRuns.length > 0) {
    lines.push('## Incomplete runs', '');
    for (const run of report.incompleteRuns) {
      for (const target of run.targets) {
        const parts = [
          ...(target.unreadFiles.length > 0 ? [`not read: ${target.unreadFiles.map(text).join(', ')}`] : []),
          ...(target.unscopedErrors > 0 ? [`${target.unscopedErrors} errors not tied to a file (a policy that did not load, a limit)`] : []),
          ...(target.unknown > 0 ? [`${target.unknown} checks not decided`] : []),
        ];
        lines.push(`- ${text(run.id)} of ${date(run.startedAt)}, ${text(target.scope)}: ${parts.join('; ') || 'incomplete'}`);
      }
    }
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
