import { SEVERITIES, severityRank, type Finding, type Severity } from '../model/findings.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { escapeControl } from '../escape.js';
import { isActive, type ScanReport } from '../report/report.js';
import { entityLabel, escapeMarkdown, isFileLocation, markdownDestination, relatedLines, standInNote, where } from './common.js';

/** GitHub rejects a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Rows of the findings table before "and N more": a PR comment is read, not searched. */
export const MARKDOWN_TABLE_ROWS = 50;

/** Limits of the Markdown reporter; the defaults fit a GitHub pull request comment. */
export interface MarkdownOptions {
  /** Findings listed in the table; the rest are counted. */
  readonly maxRows?: number;
  /** Characters the whole output may take; details that do not fit are cut, with a note. */
  readonly maxLength?: number;
}

/** Emoji badges: they render everywhere Markdown does, without fetching an image. */
export const SEVERITY_BADGE: Readonly<Record<Severity, string>> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

/**
 * A code span that survives any content: control characters shown as escapes (a line break would end
 * the table row or list item), a fence longer than any backtick run inside, and in a table cell `|`
 * escaped (GitHub's tables split on it even inside code spans, and drop the backslash). Nothing inside
 * a code span is a link, a mention or HTML.
 */
function code(value: string, inTable = false): string {
  const flat = escapeControl(value);
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inTable ? flat.replace(/\|/g, '\\|') : flat}${pad}${fence}`;
}

function link(text: string, url: string): string {
  return `[${text}](${markdownDestination(url)})`;
}

/**
 * Where a finding is: `file:line` in a code span, or for a live resource (whose "file" is its ARN,
 * already in the resource column) the account and region with a link to the console.
 */
function place(finding: Finding, inTable = false): string {
  const { location, origin } = finding;
  if (isFileLocation(location)) return code(where(location), inTable);
  const account = [origin.account, origin.region].filter(Boolean).join(' ');
  return `${finding.provider.toUpperCase()}${account ? ` ${code(account, inTable)}` : ''}${location.url !== undefined ? ` ${link('console', location.url)}` : ''}`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Most severe first; the report's order (file, line) within a severity. */
function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** Adds text while it fits, so that the output stays under the limit with room for its last lines. */
class Budget {
  readonly #parts: string[] = [];
  readonly #limit: number;
  #length = 0;
  /** Set when something was left out for want of room. */
  truncated = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  fits(extra: number): boolean {
    return this.#length + extra <= this.#limit;
  }

  add(text: string): boolean {
    if (!this.fits(text.length)) {
      this.truncated = true;
      return false;
    }
    this.#parts.push(text);
    this.#length += text.length;
    return true;
  }

  toString(): string {
    return this.#parts.join('');
  }
}

interface Section {
  readonly summary: string;
  readonly items: readonly string[];
}

/**
 * Renders the report as Markdown for a pull request comment: a status heading, counts by severity, a
 * table of the findings that fail the run (most severe first, at most {@link MARKDOWN_TABLE_ROWS}
 * rows), then collapsed details: each finding's message and remediation, suppressed findings with
 * their reason, undecided checks and diagnostics. Text from the input is escaped; the output stays
 * under GitHub's comment limit, cutting details with a note when it must.
 */
export function renderMarkdown(report: ScanReport, options: MarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? MARKDOWN_TABLE_ROWS;
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const { summary } = report;
  const active = bySeverity(report.findings.filter(isActive));
  const suppressed = report.findings.filter((finding) => finding.suppressed);
  const baselined = report.findings.filter((finding) => finding.baselined && !finding.suppressed);
  // Errors first: they are why a scan is incomplete.
  const shownDiagnostics = [...report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), ...report.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning')];

  const footer = `\n<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version}`)}</sub>\n`;
  const cutNote = `\n> [!NOTE]\n> This comment was cut to stay under ${maxLength === GITHUB_COMMENT_LIMIT ? "GitHub's limit of " : ''}${maxLength.toLocaleString('en-US')} characters. The full report is in the JSON or SARIF output.\n`;
  const out = new Budget(maxLength - footer.length - cutNote.length);

  const status = summary.incomplete
    ? `⚠️ incomplete scan, ${plural(summary.findings.total, 'finding')}`
    : summary.findings.total > 0
      ? `❌ ${plural(summary.findings.total, 'finding')}`
      : '✅ no findings';
  const head: string[] = [`## gatewarden: ${status}`, ''];
  if (summary.incomplete) {
    const reasons = [summary.errors > 0 ? plural(summary.errors, 'error') : '', summary.unevaluated > 0 ? plural(summary.unevaluated, 'check') + ' with unknown values' : ''].filter(Boolean);
    head.push(`**The result does not cover everything**${reasons.length > 0 ? `: ${reasons.join(' and ')}` : ''}. See the details below.`, '');
  }
  const counted = (findings: readonly Finding[], severity: Severity): number => findings.filter((finding) => finding.severity === severity).length;
  head.push('| Severity | Findings | Suppressed | In the baseline |', '| --- | ---: | ---: | ---: |');
  for (const severity of SEVERITIES) {
    head.push(`| ${SEVERITY_BADGE[severity]} ${severity} | ${summary.findings[severity]} | ${counted(suppressed, severity)} | ${counted(baselined, severity)} |`);
  }
  head.push(`| **total** | **${summary.findings.total}** | ${suppressed.length} | ${baselined.length} |`, '');
  const { checks } = summary;
  head.push(
    [
      ...(summary.files > 0 ? [plural(summary.files, 'file')] : []),
      plural(summary.gateways, 'gateway'),
      plural(summary.routes, 'route'),
      `${plural(checks.checks, 'check')} (${checks.passed} passed, ${checks.failed} failed, ${checks.notApplicable} not applicable, ${checks.unknown} unknown)`,
    ].join(' · '),
    '',
  );
  out.add(`${head.join('\n')}\n`);

  if (active.length > 0) {
    out.add('### Findings\n\n| Severity | Policy | Resource | Location |\n| --- | --- | --- | --- |\n');
    let listed = 0;
    for (const finding of active.slice(0, maxRows)) {
      const row = `| ${SEVERITY_BADGE[finding.severity]} ${finding.severity} | ${code(finding.policyId, true)} | ${code(entityLabel(finding), true)} | ${place(finding, true)} |\n`;
      // Keep room for the line that counts the rest.
      if (!out.fits(row.length + 200)) {
        out.truncated = true;
        break;
      }
      out.add(row);
      listed++;
    }
    if (listed < active.length) out.add(`\n…and ${plural(active.length - listed, 'more finding')}, not listed here.\n`);
    out.add('\n');
  }
  if (baselined.length > 0) out.add(`${plural(baselined.length, 'finding')} in the baseline ${baselined.length === 1 ? 'is' : 'are'} not listed.\n\n`);

  const sections: Section[] = [
    {
      summary: `Details of ${plural(active.length, 'finding')}`,
      items: active.map((finding) => {
        const pointer = finding.location.pointer !== undefined ? ` (${code(finding.location.pointer)})` : '';
        return (
          `- ${SEVERITY_BADGE[finding.severity]} **${finding.severity}** ${code(finding.policyId)} ${escapeMarkdown(finding.title)}` +
          `<br>${code(entityLabel(finding))} at ${place(finding)}${pointer}${note(finding)}` +
          relatedLines(finding).map((line) => `<br>${escapeMarkdown(line)}`).join('') +
          `<br>${escapeMarkdown(finding.message)}<br>**Remediation:** ${escapeMarkdown(finding.remediation)}`
        );
      }),
    },
    {
      summary: plural(suppressed.length, 'suppressed finding'),
      items: suppressed.map((finding) => {
        const { kind, reason, until } = finding.suppressed!;
        const how = `suppressed ${kind === 'config' ? 'in the configuration file' : 'in the source'}${until !== undefined ? ` until ${escapeMarkdown(until)}` : ''}`;
        return (
          `- ${SEVERITY_BADGE[finding.severity]} ${finding.severity} ${code(finding.policyId)} ${code(entityLabel(finding))} at ${place(finding)}` +
          `<br>${how}: ${reason !== undefined ? escapeMarkdown(reason) : '_no reason given_'}`
        );
      }),
    },
    {
      summary: `${plural(report.unevaluated.length, 'check')} that could not be decided`,
      items: report.unevaluated.map((check) => `- ${code(check.policyId)} ${code(entityLabel(check))} at ${code(where(check.location))}${note(check)}<br>${escapeMarkdown(check.reason)}`),
    },
    {
      summary: `Diagnostics: ${plural(shownDiagnostics.filter((diagnostic) => diagnostic.severity === 'error').length, 'error')}, ${plural(shownDiagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length, 'warning')}`,
      items: shownDiagnostics.map(diagnosticItem),
    },
  ];

  for (const section of sections) {
    if (section.items.length === 0) continue;
    // The <details> line is an HTML block: Markdown escapes would show there, and the summaries are
    // gatewarden's own words anyway.
    const open = `<details><summary>${section.summary}</summary>\n\n`;
    const close = '\n</details>\n\n';
    if (!out.fits(open.length + close.length + 100)) {
      out.truncated = true;
      break;
    }
    out.add(open);
    let shown = 0;
    for (const item of section.items) {
      // Room for this item, the closing tag and an "and N more" line.
      if (!out.fits(item.length + 1 + close.length + 80)) {
        out.truncated = true;
        break;
      }
      out.add(`${item}\n`);
      shown++;
    }
    if (shown < section.items.length) out.add(`- …and ${section.items.length - shown} more\n`);
    out.add(close);
    if (out.truncated) break;
  }

  return `${out.toString().trimEnd()}\n${out.truncated ? cutNote : ''}${footer}`;
}

function diagnosticItem(diagnostic: Diagnostic): string {
  const place = diagnostic.location ? ` at ${code(where(diagnostic.location))}` : diagnostic.address !== undefined ? ` on ${code(diagnostic.address)}` : '';
  return `- ${diagnostic.severity === 'error' ? '❗ error' : '⚠️ warning'} ${code(diagnostic.code)}${place}<br>${escapeMarkdown(diagnostic.message)}`;
}

/** ` _(its API is not in the scanned configuration)_` after an entity that stands in, else nothing. */
function note(entity: Parameters<typeof standInNote>[0]): string {
  const text = standInNote(entity);
  return text === undefined ? '' : ` _(${escapeMarkdown(text)})_`;
}
