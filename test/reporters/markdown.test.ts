import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/findings.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from '../../src/reporters/markdown.js';
import type { ScanReport } from '../../src/report/report.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

const output = renderMarkdown(FIXED_REPORT);

/** The rows of the findings table, split into cells the way GitHub splits them (on unescaped `|`). */
function findingRows(markdown: string): string[][] {
  const table = /### Findings\n\n((?:\|.*\n)+)/.exec(markdown)![1]!;
  return table
    .trimEnd()
    .split('\n')
    .slice(2)
    .map((row) => row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
}

/** A report with `count` active findings of the policy and file of the fixed report's second one. */
function manyFindings(count: number, message = 'GET /orders on shop-api accepts unauthenticated calls'): ScanReport {
  const template = FIXED_REPORT.findings[1]!;
  const findings: Finding[] = Array.from({ length: count }, (_, index) => ({
    ...template,
    entityId: `aws_api_gateway_method.m${index}`,
    address: `aws_api_gateway_method.m${index}`,
    message,
    location: { ...template.location, startLine: index + 1, endLine: index + 1 },
    fingerprint: index.toString(16).padStart(32, '0'),
  }));
  const { summary } = FIXED_REPORT;
  return {
    ...FIXED_REPORT,
    findings,
    unevaluated: [],
    diagnostics: [],
    summary: { ...summary, findings: { critical: 0, high: count, medium: 0, low: 0, info: 0, total: count }, suppressed: 0, baselined: 0, unevaluated: 0, parseErrors: 0, errors: 0, warnings: 0, incomplete: false },
  };
}

describe('the Markdown reporter', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(output).toMatchFileSnapshot('__snapshots__/fixed-report.md');
  });

  it('is registered as --format markdown', () => {
    expect(REPORTERS.markdown(FIXED_REPORT, { color: true })).toBe(output);
  });

  it('heads the comment with the status: incomplete wins over findings, then findings, then none', () => {
    expect(output.split('\n')[0]).toBe('## gatewarden: ⚠️ incomplete scan, 7 findings');
    expect(renderMarkdown(manyFindings(1)).split('\n')[0]).toBe('## gatewarden: ❌ 1 finding');
    expect(renderMarkdown(manyFindings(0)).split('\n')[0]).toBe('## gatewarden: ✅ no findings');
  });

  it('counts findings by severity with their badges, suppressed and baselined ones apart', () => {
    expect(output).toContain('| 🔴 critical | 1 | 0 | 0 |');
    expect(output).toContain('| 🟠 high | 3 | 2 | 1 |');
    expect(output).toContain('| ⚪ info | 1 | 0 | 0 |');
    expect(output).toContain('| **total** | **7** | 2 | 1 |');
  });

  it('lists active findings most severe first, one row each, with file:line (account and console link when live)', () => {
    const rows = findingRows(output);
    expect(rows.map((row) => row[0])).toEqual(['🔴 critical', '🟠 high', '🟠 high', '🟠 high', '🟡 medium', '🔵 low', '⚪ info']);
    expect(rows[1]).toEqual(['🟠 high', '`route-requires-auth`', '`arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/r7s8t9/methods/DELETE [DELETE /orders/{id}]`', 'AWS `123456789012 eu-west-1` [console](<https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources?api=a1b2c3d4e5&region=eu-west-1>)']);
    expect(rows[2]).toEqual(['🟠 high', '`route-requires-auth`', '`aws_api_gateway_method.get_orders [GET /orders]`', '`aws/main.tf:12`']);
    expect(output).not.toContain('HealthFunction.Health [GET /health]` | ');
  });

  it('escapes | in table cells so that a name cannot add a column', () => {
    const piped = manyFindings(1);
    const finding = { ...piped.findings[0]!, address: 'aws_api_gateway_method.a|b', routeKey: 'GET /x|y' };
    const rows = findingRows(renderMarkdown({ ...piped, findings: [finding] }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(4);
    expect(rows[0]![2]).toBe('`aws_api_gateway_method.a\\|b [GET /x\\|y]`');
  });

  it('escapes Markdown and HTML in messages', () => {
    expect(output).toContain('POST /export on orders\\|billing &lt;v2&gt; has no rate limit: 100% of calls, from any key &amp; any IP\\\\nset rate-limit-by-key in the API policy');
    const html = manyFindings(1, '<img src=x onerror=alert(1)> *bold* [link](https://evil) `code` _em_');
    expect(renderMarkdown(html)).toContain('&lt;img src=x onerror=alert(1)&gt; \\*bold\\* \\[link\\](https&#8203;://evil) \\`code\\` \\_em\\_');
  });

  it('keeps bare URLs, mentions and issue references from becoming links, and shows control characters as escapes', () => {
    const hostile = manyFindings(1, 'see https://evil.example and www.evil.example, cc @octocat, fixes #12\n::error::x\u001b[2J\u202e');
    expect(renderMarkdown(hostile)).toContain(
      'see https&#8203;://evil.example and www&#8203;.evil.example, cc @&#8203;octocat, fixes #&#8203;12\\\\n::error::x\\\\u001b\\[2J\\\\u202e',
    );
    const named = manyFindings(1);
    const finding = { ...named.findings[0]!, address: 'aws_api_gateway_method.a\n::error::b\u001b[2J' };
    expect(renderMarkdown({ ...named, findings: [finding] })).toContain('`aws_api_gateway_method.a\\n::error::b\\u001b[2J [');
  });

  it('caps the table at 50 rows and counts the rest', () => {
    const rendered = renderMarkdown(manyFindings(60));
    expect(findingRows(rendered)).toHaveLength(50);
    expect(rendered).toContain('…and 10 more findings, not listed here.');
    expect(renderMarkdown(manyFindings(50))).not.toContain('more finding');
  });

  it('stays under the GitHub comment limit, cutting details with a note and closing what it opened', () => {
    const huge = renderMarkdown(manyFindings(3000, `GET /orders on shop-api accepts unauthenticated calls ${'x'.repeat(200)}`));
    expect(huge.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(huge).toContain("This comment was cut to stay under GitHub's limit of 65,536 characters");
    expect(huge.match(/<details>/g)!.length).toBe(huge.match(/<\/details>/g)!.length);
    expect(huge).toMatch(/- …and \d+ more\n/);
    expect(findingRows(huge)).toHaveLength(50);
    expect(output).not.toContain('This comment was cut');
  });

  it('honours a smaller limit', () => {
    const small = renderMarkdown(FIXED_REPORT, { maxLength: 3000 });
    expect(small.length).toBeLessThanOrEqual(3000);
    expect(small).toContain('This comment was cut');
  });

  it('shows suppressions with their reason and expiry, undecided checks and diagnostics in collapsed sections', () => {
    expect(output).toContain('<details><summary>2 suppressed findings</summary>');
    expect(output).toContain('suppressed in the source until 2027-06-30: Test key for the sandbox partner; rotated weekly by the pipeline.');
    expect(output).toContain('suppressed in the configuration file: _no reason given_');
    expect(output).toContain('<details><summary>2 checks that could not be decided</summary>');
    expect(output).toContain('<details><summary>Diagnostics: 1 error, 1 warning</summary>');
    expect(output).toContain('1 finding in the baseline is not listed.');
  });
});
