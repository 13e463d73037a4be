import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reporters/junit.js';
import { REPORTERS } from '../../src/reporters/index.js';
import type { ScanReport } from '../../src/report/report.js';
import { scan } from '../../src/pipeline/scan.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const xsd = readFileSync(path.join(repo, 'test/fixtures/schemas/junit-jenkins.xsd'), 'utf8');

async function expectValid(contents: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
  expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

/** The test cases of one suite, as `[name, outcome element or 'pass', its text]`. */
function casesOf(xml: string, suite: string): Array<[string, string, string]> {
  const body = new RegExp(`<testsuite name="${suite}"[^>]*>([\\s\\S]*?)</testsuite>`).exec(xml)?.[1] ?? '';
  return [...body.matchAll(/<testcase name="([^"]*)"[^>]*?(?:\/>|>\s*<(\w+)[^>]*>([\s\S]*?)<\/\2>\s*<\/testcase>)/g)].map((match) => [match[1]!, match[2] ?? 'pass', match[3] ?? '']);
}

const output = renderJunit(FIXED_REPORT);

describe('the JUnit reporter', () => {
  it('validates against the Jenkins JUnit schema', async () => {
    await expectValid(output);
  });

  it('uses a validator that rejects what the schema forbids (an attribute on <skipped>)', async () => {
    const broken = output.replace('<skipped>', '<skipped message="x">');
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: broken }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
    expect(result.valid).toBe(false);
  });

  it('matches the reviewed snapshot', async () => {
    await expect(output).toMatchFileSnapshot('__snapshots__/fixed-report.xml');
  });

  it('is registered as --format junit', () => {
    expect(REPORTERS.junit(FIXED_REPORT, { color: false })).toBe(output);
  });

  it('has one suite per policy, in order, then the gatewarden suite', () => {
    const suites = [...output.matchAll(/<testsuite name="([^"]+)"/g)].map((match) => match[1]);
    expect(suites).toEqual([...FIXED_REPORT.policies.map((policy) => policy.id), 'gatewarden']);
  });

  it('fails a case per finding with the severity as type and file:line and remediation in the body', () => {
    expect(casesOf(output, 'route-requires-auth')).toEqual([
      ['arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/r7s8t9/methods/DELETE [DELETE /orders/{id}]', 'failure', expect.stringContaining('console: https://eu-west-1.console.aws.amazon.com/')],
      ['aws_api_gateway_method.get_orders [GET /orders]', 'failure', expect.stringContaining('at aws/main.tf:12\n')],
      ['HealthFunction.Health [GET /health]', 'skipped', 'suppressed: (no reason given)'],
      ['azurerm_api_management_api_operation.legacy [GET /legacy]', 'skipped', 'in the baseline'],
    ]);
    expect(output).toContain('<failure type="critical" message="CORS on shop allows any origin together with credentials">');
    expect(casesOf(output, 'cors-not-open')[0]![2]).toBe(
      'CORS on shop allows any origin together with credentials\nat aws/main.tf:41\nremediation: List the exact origins that need access (https://app.example.com) instead of "*", and never combine a wildcard origin with credentials allowed.',
    );
    expect(casesOf(output, 'no-static-api-keys')).toEqual([
      ['aws_api_gateway_api_key.partner', 'skipped', 'suppressed: Test key for the sandbox partner; rotated weekly by the pipeline. (until 2027-06-30)'],
      ['aws_api_gateway_api_key.legacy', 'failure', expect.stringContaining('at plans/tfplan.json:1 (/resource_changes/0/change/after/value)\n')],
    ]);
  });

  it('counts failures, errors and skipped cases on every suite and in total', () => {
    expect(output).toContain('<testsuites name="gatewarden" tests="14" failures="7" errors="3">');
    expect(output).toContain('<testsuite name="route-requires-auth" tests="4" failures="2" errors="0" skipped="2">');
    expect(output).toContain('<testsuite name="throttling-configured" tests="2" failures="1" errors="1" skipped="0">');
    expect(output).toContain('<testsuite name="gatewarden" tests="1" failures="0" errors="1" skipped="0">');
  });

  it('gives a policy without failing or undecided cases one passing case named after it', () => {
    expect(casesOf(output, 'request-validation-enabled')).toEqual([['request-validation-enabled', 'pass', '']]);
    expect(casesOf(output, 'no-static-api-keys').some(([name]) => name === 'no-static-api-keys')).toBe(false);
    const onlySuppressed: ScanReport = { ...FIXED_REPORT, findings: FIXED_REPORT.findings.filter((finding) => finding.policyId !== 'no-static-api-keys' || finding.suppressed) };
    expect(casesOf(renderJunit(onlySuppressed), 'no-static-api-keys').map(([name, kind]) => [name, kind])).toEqual([
      ['aws_api_gateway_api_key.partner', 'skipped'],
      ['no-static-api-keys', 'pass'],
    ]);
  });

  it('makes undecided checks and error diagnostics errors, and warnings the output of the gatewarden suite', () => {
    expect(casesOf(output, 'throttling-configured')[1]).toEqual(['aws_api_gateway_method.post_orders [POST /orders]', 'error', expect.stringContaining('at aws/main.tf:20')]);
    expect(casesOf(output, 'gatewarden')).toEqual([['parse-error azure/broken.tf:14', 'error', expect.stringContaining('at azure/broken.tf:14')]]);
    expect(output).toContain('<error type="parse-error" message="azure/broken.tf does not parse');
    expect(output).toContain('<system-out>warning docs/openapi.md was skipped: it is not a format gatewarden reads</system-out>');
  });

  it('escapes markup, shows control characters of values as escapes and drops what XML cannot hold', async () => {
    expect(output).toContain('message="POST /export on orders|billing &lt;v2&gt; has no rate limit: 100% of calls, from any key &amp; any IP\\nset rate-limit-by-key in the API policy"');
    const nasty: ScanReport = {
      ...FIXED_REPORT,
      findings: [{ ...FIXED_REPORT.findings[1]!, message: 'a "quoted" ]]> <b>&amp;\u0000\u0007\u001b[31m\uD800 tab\there', address: 'x"y<z>' }],
    };
    const rendered = renderJunit(nasty);
    await expectValid(rendered);
    expect(rendered).toContain('message="a &quot;quoted&quot; ]]&gt; &lt;b&gt;&amp;amp;\\u0000\\u0007\\u001b[31m tab\\there"');
    expect(rendered).toContain('<testcase name="x&quot;y&lt;z&gt; [GET /orders]"');
  });

  it('is complete and passing for a report without findings or diagnostics', async () => {
    const clean: ScanReport = { ...FIXED_REPORT, findings: [], unevaluated: [], diagnostics: [] };
    const rendered = renderJunit(clean);
    await expectValid(rendered);
    expect(rendered).not.toMatch(/<(failure|error|skipped)/);
    expect(rendered).not.toContain('<testsuite name="gatewarden"');
  });

  it('validates for a real scan of the samples', async () => {
    const report = await scan({ cwd: repo, paths: ['samples'] });
    const rendered = renderJunit(report);
    await expectValid(rendered);
    expect(rendered.match(/<failure /g)).toHaveLength(report.summary.findings.total);
  });

  it('validates for real scans with parse errors, unknowns, plans and suppressions', async () => {
    const report = await scan({ cwd: repo, paths: ['test/fixtures/plans', 'test/fixtures/cloudformation', 'test/fixtures/terraform'] });
    const rendered = renderJunit(report);
    await expectValid(rendered);
    expect(rendered.match(/<error /g)).toHaveLength(report.summary.errors + report.summary.unevaluated);
  });
});
