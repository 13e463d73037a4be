import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../helpers/hostile.js';
import { routeLine, writeManyRoutes } from '../helpers/many-routes.js';

// The user's policies are untrusted input (in CI, `policies.dirs` may come from the repository being
// scanned): a hostile one costs its own result and an incomplete run (exit 2), never the report.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hostile = 'test/fixtures/hostile-policies';

const run = (argv: readonly string[]) => runCli(argv, repo);

interface JsonDiagnostic {
  code: string;
  message: string;
  location?: { file: string; startLine: number };
}

describe('gatewarden scan with hostile policies', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeManyRoutes(200);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the alias bomb, the deep file and the stuck policy by name, keeps every other finding and exits 2', async () => {
    const result = await run(['scan', dir, '--policies', `${hostile}/bad`, '--policies', `${hostile}/good`, '--limit', 'policy-time=300ms', '--format', 'json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { summary: { incomplete: boolean }; findings: Array<{ policyId: string; entityId: string; location: { startLine: number } }>; diagnostics: JsonDiagnostic[] };
    expect(report.summary.incomplete).toBe(true);
    expect(report.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.location?.file, diagnostic.location?.startLine, diagnostic.message.match(/"[\w-]+" limit/)?.[0]])).toEqual([
      ['policy-error', `${hostile}/bad/alias-bomb/policy.yaml`, 15, '"yaml-alias-nodes" limit'],
      ['policy-error', `${hostile}/bad/deep-nesting/policy.yaml`, 10, '"depth" limit'],
      ['evaluation-error', `${hostile}/bad/nested-comprehension/policy.yaml`, 1, '"policy-time" limit'],
    ]);
    expect(report.diagnostics[2]!.message).toMatch(/^policy nested-comprehension was stopped after 300 ms/);
    const findings = (policyId: string) => report.findings.filter((finding) => finding.policyId === policyId).map((finding) => [finding.entityId.replace(/^.*:/, ''), finding.location.startLine]);
    expect(findings('admin-routes-need-iam')).toEqual([0, 50, 100, 150].map((index) => [`aws_apigatewayv2_route.r${index}`, routeLine(index)]));
    expect(findings('route-requires-auth')).toHaveLength(200);
    expect(findings('route-requires-auth')).toContainEqual(['aws_apigatewayv2_route.r7', routeLine(7)]);
  });
});

describe('gatewarden policies test with hostile policies', () => {
  it('fails the case a policy is stopped on, with the limit, and passes the others', async () => {
    const result = await run(['policies', 'test', 'test/fixtures/policies-command/stuck', '--limit', 'policy-time=300ms', '--format', 'json']);
    expect(result.code).toBe(1);
    const { policies } = JSON.parse(result.stdout) as { policies: Array<{ id: string; cases: Array<{ name: string; passed: boolean; actual: { errors: string[] } }> }> };
    expect(policies.map((policy) => policy.id)).toEqual(['stage-access-logs-slow']);
    expect(policies[0]!.cases.map((testCase) => [testCase.name, testCase.passed])).toEqual([
      ['no-access-logs', true],
      ['access-logs', false],
    ]);
    expect(policies[0]!.cases[1]!.actual.errors).toEqual([
      expect.stringMatching(/policy\.yaml:1 {2}policy stage-access-logs-slow was stopped after 300 ms on aws_api_gateway_stage\.live.*over the "policy-time" limit/),
    ]);
  });

  it('reports a policy file over a limit as a policy that does not load (exit 2)', async () => {
    const result = await run(['policies', 'test', `${hostile}/bad/alias-bomb`, '--format', 'json']);
    expect(result.code).toBe(2);
    const { policies } = JSON.parse(result.stdout) as { policies: Array<{ loadErrors: Array<{ file: string; line: number; message: string }> }> };
    expect(policies[0]!.loadErrors).toEqual([{ file: `${hostile}/bad/alias-bomb/policy.yaml`, line: 15, message: expect.stringContaining('"yaml-alias-nodes" limit') }]);
  });

  it('takes --limit for every subcommand and rejects an unknown limit', async () => {
    const list = await run(['policies', 'list', '--policies', `${hostile}/good`, '--limit', 'file-size=100']);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain(`${hostile}/good/admin-routes-need-iam/policy.yaml:1  the policy file is`);
    const unknown = await run(['policies', 'test', `${hostile}/good`, '--limit', 'policy-tme=1s']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"policy-tme" is not a limit');
  });
});
