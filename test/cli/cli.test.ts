import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const policyTests = path.join(repo, 'policies');
const fixtures = path.join(repo, 'test/fixtures');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { cwd?: string; tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    cwd: options.cwd ?? repo,
    env: options.env ?? {},
  };
  const code = await cli(argv, io);
  return { code, stdout, stderr };
}

const openRoutes = path.join(policyTests, 'authentication/route-requires-auth/test/rest-methods');

describe('gatewarden scan', () => {
  it('prints each finding with severity, id, title, message, file:line and address, then the summary', async () => {
    const result = await run(['scan', '.', '--policies', path.join(policyTests, 'authentication')], { cwd: openRoutes });
    expect(result.code).toBe(2); // route-requires-auth finds GET, and the throttling policy cannot decide without a stage
    const text = result.stdout;
    expect(text).toContain('main.tf\n');
    expect(text).toMatch(/ {2}HIGH {5}route-requires-auth {2}Routes require authentication\n {11}GET \/orders on shop-api accepts unauthenticated calls\n {11}at main\.tf:24 {2}aws_api_gateway_method\.list_orders/);
    expect(text).toMatch(/Checks that could not be decided \(unknown values\): 4/);
    // The low one: POST /orders validates no body (request-validation).
    expect(text).toMatch(/1 files · 1 gateways · 4 routes · 2 findings \(0 critical, 1 high, 0 medium, 1 low, 0 info\) · 4 unknown · 0 parse errors\n/);
    expect(text).toMatch(/Incomplete: 4 checks with unknown values/);
  });

  it('exits 0 on a clean configuration', async () => {
    const result = await run(['scan'], { cwd: path.join(fixtures, 'cli/clean') });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/0 findings \(0 critical, 0 high, 0 medium, 0 low, 0 info\) · 0 unknown · 0 parse errors\n$/);
  });

  it('writes JSON with the documented fields, and never exits 1 under --fail-on never', async () => {
    const result = await run(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: path.join(policyTests, 'cors/cors-not-open/test/http-api-credentials') });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'gatewarden' }, summary: { files: 1, gateways: 1, findings: { critical: 1, total: 1 }, incomplete: false } });
    expect(report.findings[0]).toEqual({
      policyId: 'cors-not-open',
      title: 'CORS does not allow every origin',
      severity: 'critical',
      category: 'cors',
      provider: 'aws',
      entityKind: 'cors',
      entityId: 'aws_apigatewayv2_api.account/cors',
      address: 'aws_apigatewayv2_api.account',
      gateway: { id: 'aws_apigatewayv2_api.account', name: 'account' },
      modulePath: '',
      message: 'CORS on account allows any origin together with credentials',
      remediation: expect.any(String),
      // The literal is the variable's default (line 5); the cors_configuration line that reads it is related.
      location: { file: 'main.tf', startLine: 5, startColumn: 3, endLine: 5, endColumn: 45 },
      related: [expect.objectContaining({ location: { file: 'main.tf', startLine: 13, startColumn: 5, endLine: 13, endColumn: 44 } })],
      // The API has no route in the configuration: its CORS stands for routes defined elsewhere.
      standIn: 'routes-outside-scan',
      origin: { format: 'terraform', file: 'main.tf' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('exits 1 for findings at or above --fail-on', async () => {
    const cwd = path.join(policyTests, 'cors/cors-not-open/test/http-api-credentials');
    expect((await run(['scan'], { cwd })).code).toBe(1);
    expect((await run(['scan', '--fail-on', 'critical'], { cwd })).code).toBe(1);
    const gatewayResponse = path.join(policyTests, 'cors/cors-not-open/test/gateway-response');
    expect((await run(['scan', '--fail-on', 'high'], { cwd: gatewayResponse })).code).toBe(0);
    expect((await run(['scan', '--fail-on', 'medium'], { cwd: gatewayResponse })).code).toBe(1);
  });

  it('writes the report to --output and a one-line summary to stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-'));
    const output = path.join(dir, 'report.json');
    const result = await run(['scan', '--format', 'json', '--output', output], { cwd: path.join(fixtures, 'cli/clean') });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toBe(`gatewarden: wrote the json report to ${output} (0 findings, 0 suppressed, 0 unknown, 0 errors)\n`);
    expect(JSON.parse(readFileSync(output, 'utf8')).summary.files).toBe(1);
  });

  it('exits 2 when a file does not parse, lists the error with file and line, and still reports the rest', async () => {
    const result = await run(['scan'], { cwd: path.join(fixtures, 'terraform/syntax-error') });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/error +broken\.tf:4 {2}Unclosed configuration block/);
    expect(result.stdout).toMatch(/2 files · 1 gateways · 0 routes · 0 findings .* · 0 unknown · 1 parse errors/);
  });

  it('exits 2 when a value a policy needs is unknown, and --var resolves it', async () => {
    const cwd = path.join(policyTests, 'authentication/route-requires-auth/test/unknown-authorization');
    const policies = ['--policies', path.join(policyTests, 'authentication')];
    const unknown = await run(['scan', '--format', 'json', ...policies], { cwd });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).unevaluated).toContainEqual(
      expect.objectContaining({ policyId: 'route-requires-auth', entityId: 'aws_api_gateway_method.get_reports', reason: expect.stringContaining('variable "authorization" has no value') }),
    );
    const resolved = await run(['scan', '--format', 'json', '--var', 'authorization=NONE'], { cwd });
    expect(JSON.parse(resolved.stdout).findings.map((finding: { policyId: string }) => finding.policyId)).toContain('route-requires-auth');
  });

  it('exits 2 with the policy file and line when a user policy does not compile', async () => {
    const cwd = path.join(fixtures, 'cli/clean');
    const result = await run(['scan', '--policies', path.join(fixtures, 'cli/broken-policy')], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/error +\.\.\/broken-policy\/custom\/bad-policy\/policy\.yaml:9 {2}invalid policy: assert does not compile: No such key: knd/);
  });

  it('shows a plan finding at line 1 with its JSON pointer, or at the .tf line with --source-dir', async () => {
    const cwd = path.join(fixtures, 'conformance/plan-only');
    const alone = await run(['scan', 'plan.json', '--policies', path.join(policyTests, 'authentication')], { cwd });
    expect(alone.stdout).toContain('at plan.json:1 (/resource_changes/3/change/after/authorization)  aws_api_gateway_method.get_items (GET /items)');
    const mapped = await run(['scan', 'plan.json', '--source-dir', '../hcl'], { cwd });
    expect(mapped.stdout).toContain('at ../hcl/main.tf:18  aws_api_gateway_method.get_items (GET /items)');
    expect(mapped.code).toBe(1);
  });

  it('takes CloudFormation parameters from --parameter and --parameter-file, the command line winning', async () => {
    const cwd = path.join(fixtures, 'cloudformation');
    const unknown = await run(['scan', 'parameters'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('parameter Authorization has no default and no value (give it with --parameter Authorization=... or --parameter-file)');
    const fromFile = await run(['scan', 'parameters', '--parameter-file', 'parameters/pipeline-configuration.json', '--parameter', 'PartnerKey=FAKEgivenONtheCOMMANDline0002'], { cwd });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stdout).toContain('at parameters/template.yaml:27  GetPartners (GET /)');
    expect(fromFile.stdout).not.toContain('FAKEgivenONtheCOMMANDline0002');
    // --fail-on high: what is left with every parameter given is below it (the POST validates no body,
    // low; the stage has no web ACL, medium); Authorization=NONE would be a high route-requires-auth.
    const overridden = await run(['scan', 'parameters', '--parameter-file', 'parameters/pipeline-configuration.json', '--parameter', 'Authorization=AWS_IAM', '--parameter', 'PartnerKey=x', '--fail-on', 'high'], { cwd });
    expect(overridden.code).toBe(0);
    const region = await run(['scan', 'conditions', '--parameter', 'AWS::Region=us-east-1'], { cwd });
    expect(region.stdout).toContain('at conditions/template.yaml:43  GetRoot (GET /)');
    const bad = await run(['scan', 'parameters', '--parameter', 'Authorization'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--parameter/);
  });

  it('scans a cdk.out directory given as the project containing it', async () => {
    const result = await run(['scan', '--format', 'json'], { cwd: path.join(fixtures, 'cdk') });
    const report = JSON.parse(result.stdout) as { findings: Array<{ construct?: string; location: { file: string } }> };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(finding.location.file).toMatch(/^cdk\.out\/OrdersStack\.template\.json$/);
      expect(finding.construct).toMatch(/^OrdersStack\//);
    }
  });

  it('colours text only on a terminal, and never with NO_COLOR', async () => {
    const cwd = path.join(policyTests, 'cors/cors-not-open/test/http-api-wildcard');
    expect((await run(['scan'], { cwd, tty: true })).stdout).toContain('\u001b[1;31mHIGH');
    expect((await run(['scan'], { cwd, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await run(['scan'], { cwd })).stdout).not.toContain('\u001b[');
  });

  it.each([
    [['scan', 'does-not-exist'], /cannot scan "does-not-exist": no such file or directory/],
    [['scan', '--format', 'xml'], /--format: "xml" is not a format; use one of text, json, sarif, junit, markdown, github, gitlab-sast/],
    [['scan', '--format', 'text', '--format', 'json'], /only one format can go to standard output, but text and json would; give the others a file: --format json:FILE/],
    [['scan', '--format', 'json:a.json', '--format', 'sarif:a.json'], /two formats would write a.json/],
    [['scan', '--format', 'json', '--format', 'sarif', '-o', 'x'], /--output x is the file of the one format given without a file, but 2 formats name none/],
    [['scan', '--fail-on', 'urgent'], /--fail-on must be one of critical, high, medium, low, info, never/],
    [['scan', '--var', 'novalue'], /--var needs NAME=VALUE/],
    [['scan', '--bogus'], /unknown option "--bogus" for scan; run "gatewarden scan --help" to see its options/],
    [['deploy'], /unknown command "deploy"/],
  ])('exits 2 on usage error %j', async (argv, message) => {
    const result = await run(argv, { cwd: path.join(fixtures, 'cli/clean') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('gatewarden --help and --version', () => {
  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints usage, and scan options with help scan', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('gatewarden scan [PATH...] [options]');
    expect((await run(['help', 'scan'])).stdout).toContain('--fail-on LEVEL');
    expect((await run([])).code).toBe(2);
  });
});
