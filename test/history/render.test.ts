import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyseHistory } from '../../src/history/analyse.js';
import type { HistoryFinding, HistoryRun } from '../../src/history/model.js';
import { renderHistoryHtml } from '../../src/history/render-html.js';
import { renderHistoryMarkdown } from '../../src/history/render-markdown.js';
import { renderHistoryJson } from '../../src/history/render-json.js';

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T02:00:00.000Z');

/** A resource whose name tries to run script, break a table and smuggle a bidi override. */
const HOSTILE = 'aws_api_gateway_method.x["<script>alert(1)</script>|\u202e\n"]';

function finding(fingerprint: string, severity: HistoryFinding['severity'], address = `aws_api_gateway_method.${fingerprint}`): HistoryFinding {
  return { fingerprint, state: 'open', policyId: 'route-requires-auth', severity, provider: 'aws', frameworks: { 'owasp-api-2023': ['API2'] }, entityKind: 'route', entityId: address, address, location: 'main.tf:3', file: 'main.tf', message: 'm' };
}

function run(day: number, findings: HistoryFinding[]): HistoryRun {
  const at = new Date(start + day * DAY).toISOString();
  return { id: `day-${day}`, startedAt: at, finishedAt: at, commands: ['scan'], incomplete: false, shards: [{ runId: `day-${day}`, command: 'scan', startedAt: at, finishedAt: at, toolVersion: '0.1.0', scope: 'scan /repo: .', targets: ['.'], incomplete: false, unreadFiles: [], unscopedErrors: 0, findings }] };
}

const report = analyseHistory([run(0, [finding('a', 'critical'), finding('b', 'high', HOSTILE)]), run(1, [finding('a', 'critical'), finding('c', 'medium')])], { now: new Date(start + 10 * DAY), sla: { critical: 7 * DAY } });

describe('the HTML history report', () => {
  const html = renderHistoryHtml(report);

  it('is one self-contained file: nothing fetched, a policy that forbids fetching', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    // The report's own style and script are allowed by their hashes, nothing else inline or fetched.
    const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');
    const style = /<style>([^]*)<\/style>/.exec(html)![1]!;
    const code = /<script>([^]*)<\/script>/.exec(html)![1]!;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${sha256(style)}'; script-src 'sha256-${sha256(code)}'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/https?:\/\/|\bsrc=|<link\b|@import/);
    expect(html.match(/<svg\b/g)).toHaveLength(1);
    expect(html.match(/<script>/g)).toHaveLength(1);
    // The script at least parses (running it in a browser is the browser tests' job).
    const script = /<script>([^]*)<\/script>/.exec(html)![1]!;
    expect(() => new Function(script)).not.toThrow();
  });

  it('has the sortable, filterable tables and the chart of the trend, one band per severity', () => {
    for (const id of ['open', 'past-sla', 'previous-new', 'previous-fixed']) expect(html).toMatch(new RegExp(`<table id="${id}" class="sortable filterable"><thead><tr><th scope="col">Severity</th>`));
    expect(html).toContain('<tr data-severity="critical"><td data-value="5"><span class="sev sev-critical">critical</span></td><td>route-requires-auth</td><td class="long">aws_api_gateway_method.a</td><td class="long">main.tf:3</td>');
    expect(html.match(/<polygon /g)).toHaveLength(5);
    expect(html).toContain('<select id="filter-severity"><option value="">all</option><option value="critical">critical</option>');
    // Finding a past its 7-day SLA; b fixed in the second run.
    expect(html).toMatch(/<table id="past-sla"[^]*?aws_api_gateway_method\.a[^]*?<strong>past<\/strong>/);
    expect(html).toMatch(/<table id="previous-fixed"[^]*?aws_api_gateway_method\.x\[/);
  });

  it('escapes what the input names', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('\u202e');
    expect(html).toContain('aws_api_gateway_method.x[&#34;&#60;script&#62;alert(1)&#60;/script&#62;|\\u202e\\n&#34;]');
  });
});

describe('the Markdown and JSON history reports', () => {
  it('escapes the input in Markdown and keeps each row on one line', () => {
    const markdown = renderHistoryMarkdown(report);
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('| 🟠 high | route-requires-auth | aws\\_api\\_gateway\\_method.x\\["&lt;script&gt;alert(1)&lt;/script&gt;\\|\\\\u202e\\\\n"\\] | main.tf:3 |');
    expect(markdown).toContain('## Past their SLA\n\n| Severity | Policy | Resource | Where | Open for | SLA |');
  });

  it('keeps the exact values in JSON, with the unsafe characters written as escapes', () => {
    const json = renderHistoryJson(report);
    expect(json).not.toContain('\u202e');
    expect(JSON.parse(json).sincePrevious.fixed[0].address).toBe(HOSTILE);
  });
});

describe('posture by gateway and owner, and compliance, in the three formats', () => {
  const owned = { ...finding('d', 'high', HOSTILE), gatewayId: 'aws_api_gateway_rest_api.shop', gatewayName: 'shop<api>', owner: 'team <payments>' };
  const at = new Date(start).toISOString();
  const withChecks: HistoryRun = {
    ...run(0, [owned]),
    shards: [
      {
        ...run(0, [owned]).shards[0]!,
        startedAt: at,
        policies: [
          { policyId: 'route-requires-auth', severity: 'high', frameworks: { 'owasp-api-2023': ['API2'] }, evaluated: 4, passed: 3, failed: 1, unknown: 0, errors: 0 },
          { policyId: 'throttling-configured', severity: 'medium', frameworks: { 'owasp-api-2023': ['API4'] }, evaluated: 2, passed: 0, failed: 0, unknown: 2, errors: 0 },
        ],
      },
    ],
  };
  const analysed = analyseHistory([withChecks], { now: new Date(start) });

  it('renders the breakdowns and the OWASP items in HTML, escaped', () => {
    const html = renderHistoryHtml(analysed);
    expect(html).toContain('<table id="by-gateway" class="sortable"><thead><tr><th scope="col">Gateway</th><th scope="col">Open</th></tr></thead><tbody><tr><td class="long">shop&#60;api&#62; (aws_api_gateway_rest_api.shop)</td><td>1</td></tr></tbody></table>');
    expect(html).toContain('<table id="by-owner" class="sortable"><thead><tr><th scope="col">Owner</th><th scope="col">Open</th></tr></thead><tbody><tr><td class="long">team &#60;payments&#62;</td><td>1</td></tr></tbody></table>');
    expect(html).toContain('<tr data-status="fail"><td>API2 Broken Authentication</td><td class="status-fail">fail</td><td data-value="0.75">75 %</td><td>3</td><td>1</td><td>0</td><td><ul><li>route-requires-auth: 1 of 4 failed (aws_api_gateway_method.x[&#34;&#60;script&#62;');
    expect(html).toContain('<tr data-status="not-measured"><td>API4 Unrestricted Resource Consumption</td><td class="status-not-measured">not measured</td><td data-value="-1">–</td><td>0</td><td>0</td><td>2</td><td>–</td></tr>');
    expect(html).toContain('<tr data-status="not-covered"><td>API1 Broken Object Level Authorization</td><td class="status-not-covered">not covered</td>');
    expect(html).not.toContain('<script>alert');
  });

  it('renders them in Markdown and keeps them whole in JSON', () => {
    const markdown = renderHistoryMarkdown(analysed);
    expect(markdown).toContain('| Owner | Open |\n| --- | --- |\n| team &lt;payments&gt; | 1 |');
    expect(markdown).toContain('| API4 Unrestricted Resource Consumption | not measured | – | 0 | 0 | 2 | – |');
    expect(markdown).toContain('| API2 Broken Authentication | **fail** | 75 % | 3 | 1 | 0 | route-requires-auth: 1 of 4 failed (aws\\_api\\_gateway\\_method.x\\[');
    const json = JSON.parse(renderHistoryJson(analysed));
    expect(json.posture.byOwner).toEqual([{ name: 'team <payments>', count: 1 }]);
    expect(json.compliance[0].items[1]).toMatchObject({ id: 'API2', status: 'fail', passRate: 0.75, policies: [{ policyId: 'route-requires-auth', failing: [{ address: HOSTILE }] }] });
  });
});
