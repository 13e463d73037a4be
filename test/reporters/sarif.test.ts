import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { renderSarif, SECURITY_SEVERITY } from '../../src/reporters/sarif.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { scan } from '../../src/pipeline/scan.js';
import type { ScanReport } from '../../src/report/report.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
// ajv-draft-04 is CommonJS: under nodenext its class is the `default` of the default import (and
// `Ajv.default === Ajv` at run time, whichever interop the loader applies).
const Ajv04 = ajvDraft04.default;
// The official schema is draft-04 and uses patterns and formats Ajv's defaults reject or cannot check.
const validate = new Ajv04({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false }).compile(schema);

/** Only the parts the assertions read; the schema checks the rest. */
interface Sarif {
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; name: string; properties: { 'security-severity': string; tags: string[] }; defaultConfiguration: { level: string } }> } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; descriptor: { id: string }; associatedRule?: { id: string }; locations?: unknown[] }> }>;
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number } }; logicalLocations: Array<{ fullyQualifiedName: string; kind: string }> }>;
      partialFingerprints: Record<string, string>;
      suppressions?: Array<{ kind: string; status: string; justification?: string; properties?: { until?: string } }>;
      baselineState?: string;
      properties: Record<string, unknown>;
    }>;
  }>;
}

function expectValid(output: string): void {
  const valid = validate(JSON.parse(output));
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const output = renderSarif(FIXED_REPORT);
const sarif = JSON.parse(output) as Sarif;
const run = sarif.runs[0]!;
const resultFor = (fingerprint: string) => run.results.find((result) => result.partialFingerprints['gatewarden/v1'] === fingerprint)!;

describe('the SARIF reporter', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    expectValid(output);
  });

  it('uses a validator that rejects what the schema forbids (line 0, an unknown suppression kind)', () => {
    const broken = JSON.parse(output) as Sarif;
    broken.runs[0]!.results[1]!.locations[0]!.physicalLocation!.region.startLine = 0;
    broken.runs[0]!.results[3]!.suppressions![0]!.kind = 'in-source';
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/results/1/locations/0/physicalLocation/region/startLine', '/runs/0/results/3/suppressions/0/kind']),
    );
  });

  it('matches the reviewed snapshot', async () => {
    await expect(output).toMatchFileSnapshot('__snapshots__/fixed-report.sarif');
  });

  it('is registered as --format sarif', () => {
    expect(REPORTERS.sarif(FIXED_REPORT, { color: true })).toBe(output);
  });

  it('has one rule per policy, in order, with GitHub security-severity and framework tags', () => {
    const { rules } = run.tool.driver;
    expect(rules.map((rule) => rule.id)).toEqual(FIXED_REPORT.policies.map((policy) => policy.id));
    const auth = rules.find((rule) => rule.id === 'route-requires-auth')!;
    expect(auth.name).toBe('RouteRequiresAuth');
    expect(auth.properties['security-severity']).toBe('8.0');
    expect(auth.properties.tags).toEqual(['security', 'authentication', 'owasp-api-2023/API2', 'aws-fsbp/APIGateway.8']);
    expect(auth.defaultConfiguration.level).toBe('error');
    for (const rule of rules) {
      const policy = FIXED_REPORT.policies.find((candidate) => candidate.id === rule.id)!;
      expect(rule.properties['security-severity']).toBe(SECURITY_SEVERITY[policy.severity]);
    }
    expect(rules.find((rule) => rule.id === 'waf-attached')!.properties['security-severity']).toBe('1.0');
  });

  it("shows every provider's remediation, labelled, in the help of a rule that gives them per provider", () => {
    const byProvider = { aws: 'Attach an authorizer.', azure: 'Add validate-jwt to the API policy.' };
    const policies = FIXED_REPORT.policies.map((policy) =>
      policy.id === 'route-requires-auth' ? { ...policy, remediation: 'AWS API Gateway: Attach an authorizer.\nAzure API Management: Add validate-jwt to the API policy.', remediationByProvider: byProvider } : policy,
    );
    const output = JSON.parse(renderSarif({ ...FIXED_REPORT, policies })) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { text: string; markdown: string } }> } } }> };
    const rule = output.runs[0]!.tool.driver.rules.find((candidate) => candidate.id === 'route-requires-auth')!;
    expect(rule.help.text).toContain('Remediation:\n- AWS API Gateway: Attach an authorizer.\n- Azure API Management: Add validate-jwt to the API policy.');
    expect(rule.help.markdown).toContain('**Remediation:**\n\n- **AWS API Gateway:** Attach an authorizer.\n- **Azure API Management:** Add validate-jwt to the API policy.');
  });

  it('lists every finding, suppressed and baselined ones included, pointing at its rule', () => {
    expect(run.results).toHaveLength(FIXED_REPORT.findings.length);
    for (const [index, result] of run.results.entries()) {
      const finding = FIXED_REPORT.findings[index]!;
      expect(result.ruleId).toBe(finding.policyId);
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(finding.policyId);
      expect(result.partialFingerprints).toEqual({ 'gatewarden/v1': finding.fingerprint });
    }
  });

  it('maps severities to levels: critical and high error, medium warning, low and info note', () => {
    expect(resultFor('7a1e0c4b9d3f48e2a6b5c8d1e0f3a2b4').level).toBe('error');
    expect(resultFor('2463b227f4a2cf13a48169709eb328b3').level).toBe('error');
    expect(resultFor('d34cb02cc93b5e266b990295c2663225').level).toBe('warning');
    expect(resultFor('41f0e2d3c4b5a69788796a5b4c3d2e1f').level).toBe('note');
    expect(resultFor('a0b1c2d3e4f5061728394a5b6c7d8e9f').level).toBe('note');
  });

  it('locates file findings relative to %SRCROOT% with the line and columns of the report', () => {
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///home/dev/infra/');
    const location = resultFor('2463b227f4a2cf13a48169709eb328b3').locations[0]!;
    expect(location.physicalLocation).toEqual({ artifactLocation: { uri: 'aws/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 27 } });
    expect(location.logicalLocations).toEqual([{ fullyQualifiedName: 'aws_api_gateway_method.get_orders', kind: 'resource' }]);
  });

  it('ends a block that stops at column 1 with the line before it', () => {
    const region = resultFor('d34cb02cc93b5e266b990295c2663225').locations[0]!.physicalLocation!.region;
    expect(region).toEqual({ startLine: 20, startColumn: 3, endLine: 33 });
  });

  it('keeps the line of a plan finding and adds its JSON pointer', () => {
    const result = resultFor('723ba256a0a8541783325fbdcc662deb');
    expect(result.locations[0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 4812, endLine: 1 });
    expect(result.properties.pointer).toBe('/resource_changes/0/change/after/value');
  });

  it('gives a live finding a logical location only, with the console link in its properties', () => {
    const finding = FIXED_REPORT.findings.find((candidate) => candidate.origin.format === 'live')!;
    const result = resultFor(finding.fingerprint);
    expect(result.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: finding.address, kind: 'resource' }] }]);
    expect(result.properties.url).toBe(finding.location.url);
    expect(output).not.toContain(`"uri": "${finding.address}`);
    expect(output).not.toContain('"uri": "arn');
  });

  it('never writes line 0, even for a location that has one', () => {
    const zero: ScanReport = { ...FIXED_REPORT, findings: [{ ...FIXED_REPORT.findings[1]!, location: { file: 'a.tf', startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 } }] };
    const rendered = renderSarif(zero);
    expectValid(rendered);
    expect((JSON.parse(rendered) as Sarif).runs[0]!.results[0]!.locations[0]!.physicalLocation!.region).toEqual({ startLine: 1, endLine: 1 });
    const lines = [...output.matchAll(/"(startLine|endLine)": (\d+)/g)].map((match) => Number(match[2]));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((line) => line >= 1)).toBe(true);
  });

  it('marks suppressions in the source as inSource and in the config file as external, both accepted', () => {
    expect(resultFor('5e80114c07162a92e0a3d7059833f92b').suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'Test key for the sandbox partner; rotated weekly by the pipeline.',
        location: { physicalLocation: { artifactLocation: { uri: 'aws/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 55, endLine: 55 } } },
        properties: { until: '2027-06-30' },
      },
    ]);
    expect(resultFor('bc7974ab1b7dcf48bdc567aa4d724f86').suppressions).toEqual([
      { kind: 'external', status: 'accepted', location: { physicalLocation: { artifactLocation: { uri: '.gatewarden.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 7, startColumn: 5, endLine: 8 } } } },
    ]);
    expect(resultFor('2463b227f4a2cf13a48169709eb328b3').suppressions).toBeUndefined();
  });

  it('sets baselineState when the report used a baseline: unchanged for baselined findings, new for the others', () => {
    expect(resultFor('9c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f').baselineState).toBe('unchanged');
    expect(run.results.filter((result) => result.baselineState === 'unchanged')).toHaveLength(1);
    expect(run.results.every((result) => result.baselineState !== undefined)).toBe(true);
    expect(resultFor('2463b227f4a2cf13a48169709eb328b3').baselineState).toBe('new');
  });

  it('leaves baselineState out when no finding is baselined', () => {
    const noBaseline: ScanReport = { ...FIXED_REPORT, findings: FIXED_REPORT.findings.filter((finding) => !finding.baselined) };
    expect(renderSarif(noBaseline)).not.toContain('baselineState');
  });

  it('reports an incomplete scan as unsuccessful, with diagnostics and undecided checks as notifications', () => {
    const [invocation] = run.invocations;
    expect(invocation!.executionSuccessful).toBe(false);
    const notifications = invocation!.toolExecutionNotifications!;
    expect(notifications.map((notification) => [notification.level, notification.descriptor.id, notification.associatedRule?.id])).toEqual([
      ['warning', 'not-scanned', undefined],
      ['error', 'parse-error', undefined],
      ['warning', 'unevaluated-check', 'throttling-configured'],
      ['warning', 'unevaluated-check', 'cors-not-open'],
    ]);
    expect(notifications[0]!.locations).toBeUndefined();
    expect(notifications[1]!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'azure/broken.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 14, endLine: 14 } } }]);
  });

  it('percent-encodes paths into valid relative URIs', () => {
    const odd: ScanReport = { ...FIXED_REPORT, findings: [{ ...FIXED_REPORT.findings[1]!, location: { file: 'my infra/a:b#1.tf', startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 } }] };
    const rendered = JSON.parse(renderSarif(odd)) as Sarif;
    expect(rendered.runs[0]!.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe('my%20infra/a%3Ab%231.tf');
  });

  it('validates for real scans of the samples', async () => {
    const report = await scan({ cwd: repo, paths: ['samples'] });
    expect(report.findings.length).toBeGreaterThan(0);
    const rendered = renderSarif(report);
    expectValid(rendered);
    const parsed = JSON.parse(rendered) as Sarif;
    expect(parsed.runs[0]!.results).toHaveLength(report.findings.length);
  });

  it('validates for real scans with parse errors, unknowns, plans and suppressions', async () => {
    const report = await scan({ cwd: repo, paths: ['test/fixtures/plans', 'test/fixtures/cloudformation', 'test/fixtures/terraform'] });
    expect(report.summary.incomplete).toBe(true);
    expectValid(renderSarif(report));
  });
});
