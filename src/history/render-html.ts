import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../model/findings.js';
import { escapeControl } from '../escape.js';
import type { Changes, Count, HistoryReport, OpenFinding, ReportedFinding, TrendPoint } from './analyse.js';
import { COMPLIANCE_STATUS_LABELS, failingChecks, passRateText, type FrameworkCompliance } from './compliance.js';

// The nightly report as one self-contained HTML file: inline CSS, an inline SVG chart, and a little
// plain JavaScript to sort and filter the tables. Nothing is fetched: the Content-Security-Policy
// forbids it, so the file works from a CI artefact, a mail attachment or a file share. The policy
// allows the report's own style and script by their SHA-256 hashes, never 'unsafe-inline': should a
// value from the input ever slip past escaping as markup, its script or style would not run.

/** Escapes text for HTML content and attribute values, control characters shown as escapes. */
export function escapeHtml(value: string): string {
  return escapeControl(value).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const h = escapeHtml;

/**
 * Severity colours, as the Markdown badges: red, orange, yellow, blue, grey. White text on the orange
 * and the yellow is too faint to read (WCAG contrast below 4.5:1), so their badges have dark text.
 */
const COLOURS: Readonly<Record<Severity, string>> = { critical: '#c62828', high: '#ef6c00', medium: '#f9a825', low: '#1565c0', info: '#757575' };

const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.card b { display: block; font-size: 1.5rem; }
.sev { display: inline-block; border-radius: 3px; padding: 0 .4rem; color: #fff; font-size: .85em; white-space: nowrap; }
${SEVERITIES.map((severity) => `.sev-${severity} { background: ${COLOURS[severity]}; }`).join('\n')}
.sev-high, .sev-medium { color: #1f2328; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f6f8fa; }
td.when { white-space: nowrap; }
/* Resource names, ARNs and paths have no spaces: they break anywhere, in a column wide enough to read. */
td.long { overflow-wrap: anywhere; min-width: 10rem; }
th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; padding: 0; margin: 0; width: 100%; text-align: left; cursor: pointer; }
th button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
.table-scroll:focus-visible { outline: 2px solid #0969da; }
.table-scroll table { margin: 0; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.note { color: #57606a; }
.status-pass { color: #1a7f37; font-weight: 600; } .status-fail { color: #cf222e; font-weight: 600; }
.breakdown { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1rem; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem; border-radius: 6px; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
/* On a phone the finding tables keep readable columns and scroll sideways in their container. */
@media (max-width: 640px) { th, td { font-size: .8rem; padding: .2rem .3rem; } .card { min-width: 5rem; } }
`;

/**
 * Sorts a table by a clicked header (numbers by value), and filters rows by text and severity. Each
 * header's text becomes a button, so that sorting is reachable by keyboard and announced as a control;
 * the header's aria-sort says which column the rows are sorted by. Without JavaScript the headers stay
 * plain text. Wrapped in a function so that its names are not globals: a global `status` is
 * `window.status`, which keeps only strings.
 */
const SCRIPT = `(function () {
'use strict';
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, column) {
    var button = document.createElement('button');
    button.type = 'button';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute('data-value') || a.cells[column].textContent;
        var y = b.cells[column].getAttribute('data-value') || b.cells[column].textContent;
        var nx = Number(x), ny = Number(y);
        var order = (!isNaN(nx) && !isNaN(ny) && x !== '' && y !== '') ? nx - ny : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    button.addEventListener('click', sort);
  });
});
var text = document.getElementById('filter-text');
var severity = document.getElementById('filter-severity');
var status = document.getElementById('filter-status');
function filter() {
  var words = text.value.toLowerCase();
  var level = severity.value;
  var rows = document.querySelectorAll('table.filterable tbody tr');
  var count = 0;
  rows.forEach(function (row) {
    var shown = (!words || row.textContent.toLowerCase().indexOf(words) >= 0) && (!level || row.getAttribute('data-severity') === level);
    row.hidden = !shown;
    if (shown) count++;
  });
  status.textContent = words || level ? count + ' of ' + rows.length + ' rows of the finding tables shown' : '';
}
if (text && severity && status) {
  text.addEventListener('input', filter);
  severity.addEventListener('change', filter);
}
})();
`;

/** The CSP source of an inline `<script>` or `<style>`: the SHA-256 of its exact text. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Nothing may be fetched (no default source); the one style and the one script run because their
 * hashes are listed. No `style=""` attribute is used: hashes do not cover them. `base-uri` and
 * `form-action` are not covered by `default-src`, so they are closed as well.
 */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${hashSource(STYLE)}; script-src ${hashSource(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

function date(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function badge(severity: Severity): string {
  return `<span class="sev sev-${severity}">${severity}</span>`;
}

function findingCells(finding: ReportedFinding): string {
  const resource = finding.routeKey !== undefined && !finding.address.endsWith(finding.routeKey) ? `${finding.address} (${finding.routeKey})` : finding.address;
  return `<td data-value="${SEVERITIES.length - SEVERITIES.indexOf(finding.severity)}">${badge(finding.severity)}</td><td>${h(finding.policyId)}</td><td class="long">${h(resource)}</td><td class="long">${h(finding.location ?? finding.resourceId ?? '')}</td><td>${h(finding.provider)}</td>`;
}

/**
 * A table in its own horizontal scroll container, so that a wide table scrolls by itself on a phone
 * instead of widening the page. The container is a named region and focusable, so that a keyboard can
 * scroll it too (WCAG 2.1.1).
 */
function scrollable(label: string, table: string): string {
  return `<div class="table-scroll" role="region" aria-label="${h(label)}" tabindex="0">${table}</div>`;
}

function findingTable(id: string, label: string, findings: readonly ReportedFinding[], extra: { readonly headers: readonly string[]; readonly cells: (finding: ReportedFinding) => string } = { headers: [], cells: () => '' }): string {
  if (findings.length === 0) return '<p class="note">None.</p>';
  const headers = ['Severity', 'Policy', 'Resource', 'Where', 'Provider', ...extra.headers];
  const rows = findings.map((finding) => `<tr data-severity="${finding.severity}">${findingCells(finding)}${extra.cells(finding)}</tr>`);
  return scrollable(label, `<table id="${id}" class="sortable filterable"><thead><tr>${headers.map((header) => `<th scope="col">${header}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`);
}

function openExtra(): { headers: string[]; cells: (finding: ReportedFinding) => string } {
  return {
    headers: ['Gateway', 'Owner', 'First seen', 'Age (days)', 'SLA (days)'],
    cells: (finding) => {
      const open = finding as OpenFinding;
      return `<td class="long">${h(open.gatewayName ?? open.gatewayId ?? '')}</td><td>${h(open.owner ?? '')}</td><td class="when">${h(date(open.firstSeen))}</td><td data-value="${open.ageDays}">${open.ageDays}</td><td>${open.slaDays ?? '–'}${open.pastSla ? ' <strong>past</strong>' : ''}</td>`;
    },
  };
}

function runsText(count: number): string {
  return count === 1 ? '1 run' : `${count} runs`;
}

/**
 * The open findings per severity over the window, as stacked areas in an inline SVG. The caption
 * repeats the axis labels in text: on a phone the chart shrinks to half size and its labels with it.
 */
export function trendChart(trend: readonly TrendPoint[]): string {
  const width = 720;
  const height = 220;
  const pad = { left: 40, right: 10, top: 10, bottom: 30 };
  if (trend.length === 0) return '<p class="note">No run in the window.</p>';
  const totals = trend.map((point) => SEVERITIES.reduce((sum, severity) => sum + point.open[severity], 0));
  const max = Math.max(1, ...totals);
  const x = (index: number): number => pad.left + (trend.length === 1 ? (width - pad.left - pad.right) / 2 : (index * (width - pad.left - pad.right)) / (trend.length - 1));
  const y = (value: number): number => height - pad.bottom - (value * (height - pad.top - pad.bottom)) / max;
  const layers: string[] = [];
  const below = trend.map(() => 0);
  // Least severe at the bottom, so the critical band is on top where the eye goes first.
  for (const severity of [...SEVERITIES].reverse()) {
    const top = trend.map((point, index) => below[index]! + point.open[severity]);
    const upper = top.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`);
    const lower = below.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).reverse();
    layers.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${COLOURS[severity]}" fill-opacity="0.75"><title>${severity}</title></polygon>`);
    top.forEach((value, index) => (below[index] = value));
  }
  const marks = trend
    .map((point, index) => `<circle cx="${x(index).toFixed(1)}" cy="${y(totals[index]!).toFixed(1)}" r="3" fill="${point.incomplete ? '#fff' : '#1f2328'}" stroke="#1f2328"><title>${h(point.runId)}, ${h(date(point.startedAt))}: ${totals[index]} open, ${point.unknown} undecided${point.incomplete ? ', incomplete' : ''}</title></circle>`)
    .join('');
  const axis = `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#57606a"/><text x="${pad.left - 6}" y="${y(max) + 4}" text-anchor="end" font-size="11">${max}</text><text x="${pad.left - 6}" y="${height - pad.bottom + 4}" text-anchor="end" font-size="11">0</text><text x="${pad.left}" y="${height - 8}" font-size="11">${h(date(trend[0]!.startedAt))}</text><text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="11">${h(date(trend.at(-1)!.startedAt))}</text>`;
  const legend = SEVERITIES.map((severity) => `${badge(severity)}`).join(' ');
  return `<figure><svg role="img" aria-labelledby="trend-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title id="trend-title">Open findings per run, by severity</title>${layers.join('')}${axis}${marks}</svg><figcaption>${legend} · ${runsText(trend.length)} from ${h(date(trend[0]!.startedAt))} to ${h(date(trend.at(-1)!.startedAt))}, at most ${max} open · a hollow point is an incomplete run</figcaption></figure>`;
}

function countTable(id: string, title: string, counts: readonly Count[]): string {
  if (counts.length === 0) return '';
  return scrollable(`Open findings by ${title.toLowerCase()}`, `<table id="${id}" class="sortable"><thead><tr><th scope="col">${h(title)}</th><th scope="col">Open</th></tr></thead><tbody>${counts.map((count) => `<tr><td class="long">${h(count.name)}</td><td>${count.count}</td></tr>`).join('')}</tbody></table>`);
}

/** Open findings by provider, account, gateway, policy, owner and target, side by side. */
function breakdown(posture: HistoryReport['posture']): string {
  const owners = posture.unowned > 0 ? [...posture.byOwner, { name: '(no owner)', count: posture.unowned }] : posture.byOwner;
  const gateways = posture.byGateway.map((gateway) => ({ name: gateway.name === gateway.id ? gateway.id : `${gateway.name} (${gateway.id})`, count: gateway.count }));
  return `<div class="breakdown">${[
    countTable('by-provider', 'Provider', posture.byProvider),
    countTable('by-account', 'Account, subscription or project', posture.byAccount),
    countTable('by-gateway', 'Gateway', gateways),
    countTable('by-policy', 'Policy', posture.byPolicy),
    countTable('by-owner', 'Owner', owners),
    countTable('by-target', 'Target', posture.byTarget),
  ].join('')}</div>`;
}

/** Compliance of the latest run, one table per framework. */
function complianceSection(frameworks: readonly FrameworkCompliance[]): string {
  if (frameworks.length === 0) return '<h2>Compliance</h2><p class="note">The latest run recorded no policy checks (recorded by an older gatewarden): compliance is not measured.</p>';
  const tables = frameworks.map((framework) => {
    const rows = framework.items.map((item) => {
      const failing = failingChecks(item);
      return `<tr data-status="${item.status}"><td>${h(item.title !== undefined ? `${item.id} ${item.title}` : item.id)}</td><td class="status-${item.status}">${COMPLIANCE_STATUS_LABELS[item.status]}</td><td data-value="${item.passRate ?? -1}">${passRateText(item)}</td><td>${item.passed}</td><td>${item.failed}</td><td>${item.unknown + item.errors}</td><td>${failing.length > 0 ? `<ul>${failing.map((line) => `<li>${h(line)}</li>`).join('')}</ul>` : '–'}</td></tr>`;
    });
    return `<h3>${h(framework.title)}</h3>${scrollable(`Compliance: ${framework.title}`, `<table id="compliance-${h(framework.id)}" class="sortable compliance"><thead><tr><th scope="col">Item</th><th scope="col">Status</th><th scope="col">Pass rate</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Unknown</th><th scope="col">Failing checks</th></tr></thead><tbody>${rows.join('')}</tbody></table>`)}`;
  });
  return `<h2>Compliance</h2><p class="note">Pass rate of the checks of the policies mapped to each item, in the latest run. “Not covered”: no policy checks it; “not measured”: no check was decided (all unknown). Neither is a pass.</p>${tables.join('')}`;
}

function changesSection(title: string, changes: Changes, id: string): string {
  return `<h2>${h(title)}</h2>
<p>Compared with run ${h(changes.from.id)} of ${h(date(changes.from.startedAt))}: <strong>${changes.new.length} new</strong>, <strong>${changes.fixed.length} fixed</strong>, ${changes.stillOpen.length} still open, ${changes.accepted.length} accepted, ${changes.notChecked.length} not checked.</p>
<h3>New</h3>${findingTable(`${id}-new`, `${title}: new`, changes.new)}
<h3>Fixed</h3>${findingTable(`${id}-fixed`, `${title}: fixed`, changes.fixed)}
${changes.notChecked.length > 0 ? `<h3>Not checked</h3><p class="note">Open before; what held them was not read or not decided later, so they are neither fixed nor open.</p>${findingTable(`${id}-not-checked`, `${title}: not checked`, changes.notChecked)}` : ''}`;
}

/**
 * The nightly report as one HTML file: the same sections as the Markdown report, the trend as an
 * SVG chart, and every table sortable and filterable without a server. Every value from the input is
 * escaped.
 */
export function renderHistoryHtml(report: HistoryReport): string {
  const { latest, posture } = report;
  const body: string[] = [];
  if (!latest) {
    body.push('<p>No run is recorded in this history yet. Record one with <code>gatewarden scan --history DB</code>.</p>');
  } else {
    body.push(
      `<p>Generated ${h(date(report.generatedAt))}, ${report.since !== undefined ? `over the runs since ${h(date(report.since))}` : 'over every recorded run'} (${report.runs}). Latest run: ${h(latest.id)} of ${h(date(latest.startedAt))} (${latest.commands.map(h).join(', ')})${latest.incomplete ? ', <strong>incomplete</strong>' : ', complete'}.</p>`,
      latest.incomplete ? '<p class="warn">The latest run is incomplete: some targets were not read or not decided. What they hold is listed under “Not decided” and “Incomplete runs”, never counted as passing.</p>' : '',
      '<h2>Posture now</h2>',
      `<div class="cards"><div class="card"><b>${posture.open}</b>open</div>${SEVERITIES.map((severity) => `<div class="card"><b>${posture.bySeverity[severity]}</b>${badge(severity)}</div>`).join('')}<div class="card"><b>${posture.suppressed + posture.baselined}</b>accepted</div><div class="card"><b>${posture.unknown}</b>not decided</div></div>`,
      breakdown(posture),
      '<h2>Trend</h2>',
      trendChart(report.trend),
      complianceSection(report.compliance),
      '<div class="filters"><label>Filter <input id="filter-text" type="search" placeholder="policy, resource, file…"></label> <label>Severity <select id="filter-severity"><option value="">all</option>' +
        SEVERITIES.map((severity) => `<option value="${severity}">${severity}</option>`).join('') +
        '</select></label> <span id="filter-status" class="note" role="status"></span></div>',
      '<h2>Open findings</h2>',
      findingTable('open', 'Open findings', report.open, openExtra()),
      '<h2>Past their SLA</h2>',
      report.pastSla.length > 0 ? findingTable('past-sla', 'Past their SLA', report.pastSla, openExtra()) : `<p class="note">${report.open.some((finding) => finding.slaDays !== undefined) ? 'No open finding is past its SLA.' : 'No SLA is set (sla: in .gatewarden.yaml).'}</p>`,
      report.sincePrevious ? changesSection('Since the previous run', report.sincePrevious, 'previous') : '',
      report.sinceWindow && report.since !== undefined
        ? report.sinceWindow.from.id === report.sincePrevious?.from.id
          ? `<h2>${h(`Since ${date(report.since)}`)}</h2><p class="note">The previous run is the last one before the window: the changes are those above.</p>`
          : changesSection(`Since ${date(report.since)}`, report.sinceWindow, 'window')
        : '',
      '<h2>Time to fix</h2>',
      scrollable('Time to fix', `<table id="time-to-fix" class="sortable"><thead><tr><th scope="col">Severity</th><th scope="col">Open</th><th scope="col">Fixed in window</th><th scope="col">Mean time to fix (days)</th></tr></thead><tbody>${SEVERITIES.map((severity) => `<tr><td data-value="${SEVERITIES.length - SEVERITIES.indexOf(severity)}">${badge(severity)}</td><td>${posture.bySeverity[severity]}</td><td>${report.meanTimeToFix[severity].fixed}</td><td>${report.meanTimeToFix[severity].meanDays ?? '–'}</td></tr>`).join('')}</tbody></table>`),
      '<h2>Not decided</h2>',
      findingTable('unknown', 'Not decided', report.unknown, { headers: ['Why'], cells: (finding) => `<td class="long">${h(finding.message)}</td>` }),
      '<h2>Incomplete runs</h2>',
      report.incompleteRuns.length === 0
        ? '<p class="note">None.</p>'
        : `<ul>${report.incompleteRuns.flatMap((run) => run.targets.map((target) => `<li>${h(run.id)} of ${h(date(run.startedAt))}, ${h(target.scope)}: ${[...(target.unreadFiles.length > 0 ? [`not read: ${target.unreadFiles.map(h).join(', ')}`] : []), ...(target.unscopedErrors > 0 ? [`${target.unscopedErrors} errors not tied to a file`] : []), ...(target.unknown > 0 ? [`${target.unknown} checks not decided`] : [])].join('; ') || 'incomplete'}</li>`)).join('')}</ul>`,
    );
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>gatewarden nightly report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>gatewarden nightly report</h1>
${body.filter(Boolean).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
