import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';

// The CI job end to end through the CLI: the config file, several outputs in one run, and baselines.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const project = path.join(repo, 'test/fixtures/ci-project');
const sarifSchema = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const validateSarif = new ajvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false }).compile(sarifSchema);

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false }, stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false }, cwd, env: {} };
  const code = await cli(argv, io);
  return { code, stdout, stderr };
}

interface JsonFinding {
  policyId: string;
  severity: string;
  address: string;
  location: { file: string; startLine: number };
  suppressed?: { kind: string; reason?: string; location: { file: string; startLine: number } };
  baselined?: boolean;
  fingerprint: string;
}

function copyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-ci-'));
  cpSync(project, dir, { recursive: true });
  return dir;
}

describe('.gatewarden.yaml', () => {
  it('is found from the scan root, and its policies, severities, excludes, suppressions and fail-on apply', async () => {
    const result = await run(['scan', '--format', 'json'], project);
    expect(result.stderr).toBe('gatewarden: using the config file .gatewarden.yaml\n');
    const report = JSON.parse(result.stdout) as { files: string[]; findings: JsonFinding[]; policies: Array<{ id: string; severity: string }> };
    // examples/ is excluded; throttling-configured is disabled; route-requires-auth is raised to critical.
    expect(report.files).toEqual(['main.tf']);
    // Every built-in policy but the disabled one, in the order of their folders (category, then id).
    expect(report.policies.map((policy) => `${policy.id} ${policy.severity}`)).toEqual([
      'authorizer-cache-identity high',
      'jwt-issuer-audience high',
      'route-requires-auth critical',
      'cache-encrypted medium',
      'cache-key-authorization medium',
      'cors-not-open high',
      'apim-backend-headers-removed low',
      'apim-error-details medium',
      'apim-network-exposure low',
      'execute-api-endpoint-disabled medium',
      'private-api-restricted medium',
      'resource-policy-public high',
      'apim-diagnostics medium',
      'apim-diagnostics-payloads medium',
      'stage-access-logging medium',
      'stage-data-trace medium',
      'stage-execution-logging medium',
      'stage-tracing low',
      'apim-request-validation low',
      'openapi-request-schema low',
      'request-validation low',
      'api-keys-restricted high',
      'api-keys-rotated medium',
      'no-static-api-keys high',
      'secrets-in-config high',
      'apim-client-certificate-negotiated medium',
      'apim-tls-protocols medium',
      'backend-client-certificate low',
      'backend-entity-https medium',
      'backend-https medium',
      'domain-tls-policy medium',
      'apim-inbound-restricted medium',
      'waf-attached medium',
    ]);
    expect(report.findings.map((f) => [f.policyId, f.severity, f.address, `${f.location.file}:${f.location.startLine}`, f.suppressed ? `${f.suppressed.kind} ${f.suppressed.location.file}:${f.suppressed.location.startLine}` : ''])).toEqual([
      ['route-requires-auth', 'critical', 'aws_api_gateway_method.health', 'main.tf:15', 'config .gatewarden.yaml:11'],
      ['route-requires-auth', 'critical', 'aws_api_gateway_method.orders', 'main.tf:28', ''],
      ['cors-not-open', 'high', 'aws_apigatewayv2_api.events', 'main.tf:36', ''],
    ]);
    // fail-on: high from the file, and a finding at high: exit 1; --fail-on on the command line wins.
    expect(result.code).toBe(1);
    expect((await run(['scan', '--fail-on', 'never'], project)).code).toBe(0);
  });

  it('is used when named with --config, and a broken one stops the scan with file:line', async () => {
    const dir = copyProject();
    writeFileSync(path.join(dir, 'broken.yaml'), 'fail-on: hihg\npolicies:\n  disable: [throttling-configured]\n');
    const result = await run(['scan', '--config', 'broken.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gatewarden: broken\.yaml:1:10: .*"hihg".*high/m);
  });

  it('names an unknown policy id at its line, with the closest id', async () => {
    const dir = copyProject();
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'policies:\n  disable:\n    - throttling-configure\n');
    const result = await run(['scan'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.gatewarden\.yaml:3:\d+: .*throttling-configure.*throttling-configured/);
  });
});

describe('suppressions that accept nothing', () => {
  it('are reported as information at their line, in the config file and in the code', async () => {
    const dir = copyProject();
    const config = readFileSync(path.join(dir, '.gatewarden.yaml'), 'utf8');
    writeFileSync(path.join(dir, '.gatewarden.yaml'), `${config}  - policy: cors-not-open\n    address: aws_apigatewayv2_api.retired\n    reason: the old events API\n`);
    const main = readFileSync(path.join(dir, 'main.tf'), 'utf8');
    writeFileSync(path.join(dir, 'main.tf'), main.replace('resource "aws_api_gateway_rest_api" "shop" {', '# gatewarden:ignore route-requires-auth -- nothing here is a route\nresource "aws_api_gateway_rest_api" "shop" {'));
    const report = JSON.parse((await run(['scan', '--format', 'json'], dir)).stdout) as { diagnostics: Array<{ severity: string; code: string; message: string; location: { file: string; startLine: number } }> };
    expect(report.diagnostics.filter((d) => d.code === 'suppression').map((d) => `${d.severity} ${d.location.file}:${d.location.startLine} ${d.message}`)).toEqual([
      'info .gatewarden.yaml:15 the config suppression of cors-not-open on aws_apigatewayv2_api.retired accepted no finding: the finding is fixed, or the address is not one gatewarden reports; remove it or correct the address',
      'info main.tf:1 the suppression of route-requires-auth in the comment at main.tf:1 accepted no finding: the finding is fixed, or the suppression is not on the block it means; remove or move it',
    ]);
  });
});

describe('several outputs in one run', () => {
  it('writes text to the terminal and SARIF, JUnit, Markdown and GitLab SAST to files', async () => {
    const dir = copyProject();
    const result = await run(['scan', '--format', 'text', '--format', 'sarif:out/gatewarden.sarif', '--format', 'junit:out/junit.xml', '--format', 'markdown:out/summary.md', '--format', 'gitlab-sast:gl-sast-report.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('at main.tf:28  aws_api_gateway_method.orders (GET /orders)');
    expect(result.stderr).toContain('gatewarden: wrote the sarif report to out/gatewarden.sarif (2 findings, 1 suppressed, 0 unknown, 0 errors)\n');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out/gatewarden.sarif'), 'utf8'));
    expect(validateSarif(sarif) ? [] : validateSarif.errors).toEqual([]);
    expect(sarif.runs[0].results.map((r: { ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => `${r.ruleId}:${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'route-requires-auth:15',
      'route-requires-auth:28',
      'cors-not-open:36',
    ]);
    expect(readFileSync(path.join(dir, 'out/junit.xml'), 'utf8')).toContain('main.tf:28');
    expect(readFileSync(path.join(dir, 'out/summary.md'), 'utf8')).toContain('aws_api_gateway_method.orders');
    expect(JSON.parse(readFileSync(path.join(dir, 'gl-sast-report.json'), 'utf8')).vulnerabilities).toHaveLength(2);
  });
});

describe('baselines', () => {
  it('record today\'s findings, then report only new ones, whatever moved around them', async () => {
    const dir = copyProject();
    const created = await run(['scan', '--create-baseline', '.gatewarden-baseline.json', '--format', 'json', '-o', 'first.json'], dir);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('gatewarden: wrote a baseline of 2 findings to .gatewarden-baseline.json');
    const baseline = JSON.parse(readFileSync(path.join(dir, '.gatewarden-baseline.json'), 'utf8'));
    expect(baseline.findings.map((entry: { policyId: string; address: string }) => `${entry.policyId} ${entry.address}`)).toEqual([
      'cors-not-open aws_apigatewayv2_api.events',
      'route-requires-auth aws_api_gateway_method.orders',
    ]);
    expect(JSON.stringify(baseline)).not.toMatch(/"(startLine|line)"/);

    // Ten lines added above everything, and a new open method: only the new one is reported.
    const main = readFileSync(path.join(dir, 'main.tf'), 'utf8');
    writeFileSync(
      path.join(dir, 'main.tf'),
      `${'# moved down\n'.repeat(10)}${main}\nresource "aws_api_gateway_method" "refunds" {\n  rest_api_id   = aws_api_gateway_rest_api.shop.id\n  resource_id   = aws_api_gateway_resource.orders.id\n  http_method   = "POST"\n  authorization = "NONE"\n}\n`,
    );
    const after = await run(['scan', '--baseline', '.gatewarden-baseline.json', '--format', 'json'], dir);
    const report = JSON.parse(after.stdout) as { findings: JsonFinding[]; summary: { findings: { total: number }; baselined: number } };
    // The new POST is open (route-requires-auth, at its authorization) and validates no body (request-validation, at the method).
    expect(report.findings.filter((f) => !f.suppressed && !f.baselined).map((f) => `${f.address}:${f.location.startLine}`)).toEqual(['aws_api_gateway_method.refunds:51', 'aws_api_gateway_method.refunds:55']);
    expect(report.findings.filter((f) => f.baselined).map((f) => `${f.address}:${f.location.startLine}`)).toEqual(['aws_api_gateway_method.orders:38', 'aws_apigatewayv2_api.events:46']);
    expect(report.summary).toMatchObject({ findings: { total: 2 }, baselined: 2 });
    expect(after.code).toBe(1);

    const text = await run(['scan', '--baseline', '.gatewarden-baseline.json'], dir);
    expect(text.stdout).not.toContain('aws_api_gateway_method.orders');
    expect(text.stdout).toMatch(/2 findings \(1 critical, 0 high, 0 medium, 1 low.*\) · 1 suppressed · 2 in the baseline/);
  });

  it('treat a changed line at fault as a new finding, and say when baseline entries are gone', async () => {
    const dir = copyProject();
    await run(['scan', '--create-baseline', 'baseline.json', '--format', 'json', '-o', 'first.json'], dir);
    const main = readFileSync(path.join(dir, 'main.tf'), 'utf8');
    // The wildcard becomes a list with the wildcard still in it: a different setting, so a new finding.
    writeFileSync(path.join(dir, 'main.tf'), main.replace('allow_origins = ["*"]', 'allow_origins = ["https://a.example", "*"]').replace('authorization = "NONE"\n}\n\nresource "aws_apigatewayv2_api"', 'authorization = "AWS_IAM"\n}\n\nresource "aws_apigatewayv2_api"'));
    const result = await run(['scan', '--baseline', 'baseline.json', '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; diagnostics: Array<{ severity: string; code: string; message: string }> };
    expect(report.findings.filter((f) => !f.suppressed && !f.baselined).map((f) => f.address)).toEqual(['aws_apigatewayv2_api.events']);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'info', code: 'baseline', message: expect.stringMatching(/^2 findings of the baseline baseline\.json are no longer reported/) }));
  });

  it('refuse a file that is not a baseline, naming it and how to make one', async () => {
    const dir = copyProject();
    writeFileSync(path.join(dir, 'not-a-baseline.json'), '{"findings": 3}');
    const result = await run(['scan', '--baseline', 'not-a-baseline.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('gatewarden: using the config file .gatewarden.yaml\ngatewarden: not-a-baseline.json is not a gatewarden baseline (no "gatewardenBaseline" and "findings"); create one with --create-baseline not-a-baseline.json\n');
    expect((await run(['scan', '--baseline', 'missing.json'], dir)).stderr).toContain('cannot read the baseline missing.json: no such file; create it with --create-baseline missing.json');
  });
});
