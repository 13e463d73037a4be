import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POLICIES_TEST_HELP } from '../../src/cli/help.js';
import { POLICIES_HELP, suggestions } from '../../src/cli/policies-command.js';
import { builtInPolicyDir } from '../../src/engine/load-policies.js';
import { checkPolicyFolder } from '../../src/pipeline/policy-tests.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Paths are given relative to the repository, the working directory of every run, as a user would.
const fixtures = 'test/fixtures/policies-command';

function run(argv: string[]): Promise<CliRun> {
  return runCli(argv, repo);
}

/**
 * The built-in policies and the two of test/fixtures/policies-command/good, as `policies list` shows
 * them: categories in documentation order (authentication, rate-limiting, cors, secrets, logging...),
 * ids sorted within one.
 */
const LISTED_IN_ORDER = [
  'authorizer-cache-identity',
  'jwt-issuer-audience',
  'no-anonymous-writes',
  'route-requires-auth',
  'throttling-configured',
  'cors-not-open',
  'api-keys-restricted',
  'api-keys-rotated',
  'no-static-api-keys',
  'secrets-in-config',
  'apim-diagnostics',
  'apim-diagnostics-payloads',
  'stage-access-logging',
  'stage-access-logs',
  'stage-data-trace',
  'stage-execution-logging',
  'stage-tracing',
  'apim-client-certificate-negotiated',
  'apim-tls-protocols',
  'backend-client-certificate',
  'backend-entity-https',
  'backend-https',
  'domain-tls-policy',
  'apim-inbound-restricted',
  'waf-attached',
  'apim-request-validation',
  'openapi-request-schema',
  'request-validation',
  'cache-encrypted',
  'cache-key-authorization',
  'apim-backend-headers-removed',
  'apim-error-details',
  'apim-network-exposure',
  'execute-api-endpoint-disabled',
  'private-api-restricted',
  'resource-policy-public',
];

describe('gatewarden policies', () => {
  it('prints its help for --help (exit 0) and without a subcommand (exit 2)', async () => {
    expect(await run(['policies', '--help'])).toEqual({ code: 0, stdout: POLICIES_HELP, stderr: '' });
    expect(await run(['policies', '-h'])).toEqual({ code: 0, stdout: POLICIES_HELP, stderr: '' });
    expect(await run(['policies', 'test', '--help'])).toEqual({ code: 0, stdout: POLICIES_TEST_HELP, stderr: '' });
    expect(await run(['policies'])).toEqual({ code: 2, stdout: POLICIES_HELP, stderr: '' });
  });

  it('rejects an unknown subcommand, option or format with exit 2', async () => {
    const unknown = await run(['policies', 'lint']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "policies lint"');
    expect((await run(['policies', 'list', '--fail-on', 'high'])).code).toBe(2);
    const format = await run(['policies', 'list', '--format', 'sarif']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of text, json, not "sarif"');
  });
});

describe('gatewarden policies list', () => {
  it('lists the built-in policies and those of --policies, by category then id, with their source', async () => {
    const result = await run(['policies', 'list', '--policies', `${fixtures}/good`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const rows = result.stdout.split('\n');
    expect(rows[0]).toMatch(/^ID +SEVERITY +CATEGORY +TITLE +SOURCE$/);
    expect(result.stdout).toMatch(/^route-requires-auth +high +authentication +Routes require authentication +built-in$/m);
    expect(result.stdout).toMatch(/^throttling-configured +medium +rate-limiting +Routes have an explicit rate limit +built-in$/m);
    expect(result.stdout).toMatch(/^no-anonymous-writes +high +authentication +Write methods authenticate the caller +test\/fixtures\/policies-command\/good$/m);
    expect(result.stdout).toMatch(/^stage-access-logs +low +logging +Stages write access logs +test\/fixtures\/policies-command\/good$/m);
    const ids = rows.slice(1, rows.indexOf('')).map((row) => row.split(' ')[0]);
    expect(ids).toEqual(LISTED_IN_ORDER);
    expect(result.stdout).toContain('36 policies (34 built-in, 2 from --policies)');
  });

  it('says "1 policy" for a pack of one', async () => {
    const result = await run(['policies', 'list', '--pack', 'cors']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.endsWith('\n1 policy (1 built-in, 0 from --policies). Details: gatewarden policies show ID\n')).toBe(true);
  });

  it('writes JSON with the metadata, builtIn, and the file (relative for a user policy)', async () => {
    const result = await run(['policies', 'list', '--format', 'json', '--policies', `${fixtures}/good`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const policies = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(policies.map((policy) => policy.id)).toEqual(LISTED_IN_ORDER);
    const builtIn = policies.find((policy) => policy.id === 'route-requires-auth')!;
    expect(builtIn).toMatchObject({
      title: 'Routes require authentication',
      severity: 'high',
      category: 'authentication',
      frameworks: { 'owasp-api-2023': ['API2'], 'aws-fsbp': ['APIGateway.8'] },
      builtIn: true,
      file: path.join(builtInPolicyDir(), 'authentication/route-requires-auth/policy.yaml'),
    });
    expect(builtIn.references).toContain('https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/');
    expect(Object.keys(builtIn).sort()).toEqual(['aliases', 'builtIn', 'category', 'description', 'file', 'frameworks', 'id', 'references', 'remediation', 'remediationByProvider', 'severity', 'title']);
    // Remediation per provider: the mapping, and every text labelled for a reader of the whole policy.
    expect(Object.keys(builtIn.remediationByProvider as object)).toEqual(['aws', 'azure', 'gcp', 'openapi']);
    expect((builtIn.remediation as string).split('\n').map((line) => line.split(':')[0])).toEqual(['AWS API Gateway', 'Azure API Management', 'Google Cloud API Gateway and Cloud Endpoints', 'OpenAPI documents']);
    expect(policies.find((policy) => policy.id === 'stage-access-logs')).toEqual({
      id: 'stage-access-logs',
      title: 'Stages write access logs',
      severity: 'low',
      category: 'logging',
      frameworks: {},
      description: 'Without access logs, nobody can tell afterwards who called the API and what they got.',
      remediation: 'Add an access_log_settings block to the stage, with a CloudWatch Logs or Firehose destination.',
      references: [],
      builtIn: false,
      file: 'test/fixtures/policies-command/good/logging/stage-access-logs/policy.yaml',
    });
  });

  it('prints a policy that does not load with file:line and exits 2, still listing the others', async () => {
    const result = await run(['policies', 'list', '--policies', `${fixtures}/broken`, '--policies', `${fixtures}/good`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('test/fixtures/policies-command/broken/authentication/typo-in-assert/policy.yaml:10  invalid policy: assert does not compile: No such key: methd');
    expect(result.stdout).toMatch(/^route-requires-auth +high/m);
    expect(result.stdout).toMatch(/^no-anonymous-writes +high/m);
    expect(result.stdout).not.toContain('typo-in-assert');
  });
});

describe('gatewarden policies show', () => {
  it('shows a policy in full: metadata, what it matches, the assert and the variants', async () => {
    const result = await run(['policies', 'show', 'route-requires-auth']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const text = result.stdout;
    expect(text.split('\n')[0]).toBe('route-requires-auth: Routes require authentication');
    expect(text).toMatch(/^Severity +high$/m);
    expect(text).toMatch(/^Category +authentication$/m);
    expect(text).toMatch(/^Source +built-in$/m);
    expect(text).toMatch(/^Frameworks +owasp-api-2023: API2; aws-fsbp: APIGateway\.8; nist-800-53-r5: AC-3, IA-2; mcsb: IM-4; cwe: CWE-306$/m);
    expect(text).toMatch(/^Description\n {2}A route that accepts calls without authentication/m);
    expect(text).toMatch(/^Remediation\n {2}AWS API Gateway\n {4}Attach an authorizer that identifies the caller/m);
    expect(text).toMatch(/^ {2}Azure API Management\n {4}Validate a token in the inbound policy/m);
    expect(text).toContain('  https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html\n');
    expect(text).toMatch(/^ {2}Matches +every route where route\.auth\.source != 'connect-route' && !\(has\(route\.standIn\) && route\.auth\.source in \['method', 'route'\]\)$/m);
    expect(text).toMatch(/^ {2}Assert +route\.isCorsPreflight \|\| !\(route\.auth\.kind in \['none', 'api-key', 'subscription-key', 'basic'\]\)/m);
    expect(text).toMatch(/^ {2}medium +when route\.auth\.kind == 'basic'$/m);
    expect(text).toMatch(/^ {2}Points at +route\.auth$/m);
    expect(text).toMatch(/^ {2}medium +when route\.auth\.kind in \['api-key', 'subscription-key'\]$/m);
    expect(text).toMatch(/^ {2}high +when route\.method == 'OPTIONS'$/m);
  });

  it('writes the definition as JSON, a user policy from --policies included', async () => {
    const builtIn = await run(['policies', 'show', 'route-requires-auth', '--format', 'json']);
    expect(builtIn.code).toBe(0);
    const policy = JSON.parse(builtIn.stdout);
    expect(policy).toMatchObject({ id: 'route-requires-auth', severity: 'high', match: { kind: 'route', where: "route.auth.source != 'connect-route' && !(has(route.standIn) && route.auth.source in ['method', 'route'])" }, location: 'auth', builtIn: true });
    expect(policy.variants.map((variant: { severity: string }) => variant.severity)).toEqual(['medium', 'medium', 'medium', 'high', 'high', 'high']);

    const user = await run(['policies', 'show', 'no-anonymous-writes', '--format', 'json', '--policies', `${fixtures}/good`]);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({
      id: 'no-anonymous-writes',
      assert: "route.auth.kind != 'none'",
      variants: [{ when: "route.method == 'DELETE'", severity: 'critical' }],
      builtIn: false,
      file: 'test/fixtures/policies-command/good/authentication/no-anonymous-writes/policy.yaml',
    });
  });

  it('shows the parameters a policy declares, with their defaults, in text and JSON', async () => {
    const text = (await run(['policies', 'show', 'api-keys-rotated'])).stdout;
    expect(text).toContain('\nParameters (set under policies.parameters in .gatewarden.yaml)\n  maxAgeDays (number, default 90)\n    the largest age of an API key, in days, before it must be replaced\n');
    const json = JSON.parse((await run(['policies', 'show', 'api-keys-rotated', '--format', 'json'])).stdout);
    expect(json.parameters).toEqual({ maxAgeDays: { type: 'number', default: 90, description: 'the largest age of an API key, in days, before it must be replaced' } });
    expect(JSON.parse((await run(['policies', 'show', 'route-requires-auth', '--format', 'json'])).stdout)).not.toHaveProperty('parameters');
  });

  it('suggests the closest ids for an unknown one and exits 2', async () => {
    const typo = await run(['policies', 'show', 'route-requires-ath']);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toBe('gatewarden: no policy has the id "route-requires-ath"; did you mean "route-requires-auth"? Run "gatewarden policies list" to see every policy\n');
    const prefix = await run(['policies', 'show', 'throttling']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('did you mean "throttling-configured"?');
    const far = await run(['policies', 'show', 'graphql-depth-limit']);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toContain('did you mean');
    expect(far.stderr).toContain('gatewarden policies list');
  });

  it('refuses --framework, which selects policies for list: a usage error (exit 2), never ignored', async () => {
    const refused = 'gatewarden: policies show takes no --framework: it shows every framework the policy maps to; to list the policies of one framework, use "gatewarden policies list --framework NAME"\n';
    expect(await run(['policies', 'show', 'route-requires-auth', '--framework', 'owasp-api-2023'])).toEqual({ code: 2, stdout: '', stderr: refused });
    expect(await run(['policies', 'show', '--framework=cwe', 'route-requires-auth', '--format', 'json'])).toEqual({ code: 2, stdout: '', stderr: refused });
    // Its help does not offer it; list's does.
    expect((await run(['policies', 'show', '--help'])).stdout).not.toContain('--framework');
    expect((await run(['policies', 'list', '--help'])).stdout).toContain('--framework');
  });

  it('ranks suggestions by edit distance, prefixes included', () => {
    expect(suggestions('cors-not-opn', ['route-requires-auth', 'cors-not-open', 'no-static-api-keys'])).toEqual(['cors-not-open']);
    expect(suggestions('no-static', ['no-static-api-keys', 'no-anonymous-writes'])).toEqual(['no-static-api-keys']);
    expect(suggestions('xyz', ['cors-not-open'])).toEqual([]);
  });
});

describe('gatewarden policies test', () => {
  it('passes a directory of user policies whose cases all match (exit 0)', async () => {
    const result = await run(['policies', 'test', `${fixtures}/good`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      [
        'no-anonymous-writes  test/fixtures/policies-command/good/authentication/no-anonymous-writes',
        '  ✓ open-writes',
        '  ✓ signed-writes',
        '',
        'stage-access-logs  test/fixtures/policies-command/good/logging/stage-access-logs',
        '  ✓ no-access-logs',
        '  ✓ access-logs',
      ].join('\n'),
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 policies, 4 cases: 4 passed, 0 failed');
  });

  it('tests one policy folder and writes structured JSON results', async () => {
    const result = await run(['policies', 'test', `${fixtures}/good/authentication/no-anonymous-writes`, '--format', 'json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.passed).toBe(true);
    expect(output.summary).toEqual({ policies: 1, cases: 2, passed: 2, failed: 0, policiesWithProblems: 0, policiesNotLoaded: 0 });
    expect(output.policies).toHaveLength(1);
    const [policy] = output.policies;
    expect(policy).toMatchObject({ id: 'no-anonymous-writes', file: 'test/fixtures/policies-command/good/authentication/no-anonymous-writes/policy.yaml', builtIn: false, loaded: true, problems: [] });
    expect(policy.cases.map((testCase: { name: string; passed: boolean }) => [testCase.name, testCase.passed])).toEqual([
      ['open-writes', true],
      ['signed-writes', true],
    ]);
    expect(policy.cases[0].actual).toEqual({
      findings: [
        { entity: 'aws_api_gateway_method.add_note', file: 'main.tf', line: 23, severity: 'high' },
        { entity: 'aws_api_gateway_method.drop_note', file: 'main.tf', line: 30, severity: 'critical' },
      ],
      unknown: [],
      errors: [],
    });
  });

  it('fails a case whose expected finding is at the wrong line (exit 1), naming the case and the mismatch', async () => {
    const result = await run(['policies', 'test', `${fixtures}/failing`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /  ✗ open-delete\n {6}missing finding: +main\.tf:12  aws_api_gateway_method\.remove_file \(critical\)\n {6}unexpected finding: +main\.tf:15  aws_api_gateway_method\.remove_file \(critical\)\n +aws_api_gateway_method\.remove_file was reported at main\.tf:15, expected at main\.tf:12\n/,
    );
    expect(result.stdout).toContain('  ✓ signed-delete\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 policy, 2 cases: 1 passed, 1 failed');

    const json = JSON.parse((await run(['policies', 'test', `${fixtures}/failing`, '--format', 'json'])).stdout);
    const openDelete = json.policies[0].cases.find((testCase: { name: string }) => testCase.name === 'open-delete');
    expect(openDelete).toMatchObject({
      passed: false,
      missing: { findings: [{ entity: 'aws_api_gateway_method.remove_file', file: 'main.tf', line: 12, severity: 'critical' }], unknown: [] },
      unexpected: { findings: [{ entity: 'aws_api_gateway_method.remove_file', file: 'main.tf', line: 15, severity: 'critical' }], unknown: [] },
    });
    expect(json.passed).toBe(false);
  });

  it('reports a test suite without a negative case (exit 1) even though its cases pass', async () => {
    const result = await run(['policies', 'test', `${fixtures}/no-negative`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  ✗ test suite: no case expects a clean pass: add a passing (negative) case\n');
    expect(result.stdout).toContain('  ✓ edge-default\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 policy, 1 case: 1 passed, 0 failed; 1 policy with test-suite problems');
  });

  it('exits 2 on a policy that does not load, naming its file and line', async () => {
    const result = await run(['policies', 'test', `${fixtures}/broken`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('  ✗ does not load: test/fixtures/policies-command/broken/authentication/typo-in-assert/policy.yaml:10  invalid policy: assert does not compile: No such key: methd\n');
  });

  it('holds only built-in policies to their category folder, as --policies does', async () => {
    const result = await run(['policies', 'test', `${fixtures}/layout`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  ✓ open-put\n');
    const asBuiltIn = checkPolicyFolder(path.join(repo, fixtures, 'layout/custom/open-puts'), { builtIn: true });
    expect(asBuiltIn.problems).toEqual(['the policy is in the folder "custom" but its category is "authentication": built-in policies live in policies/<category>/<id>/']);
  });

  it('passes every built-in policy (exit 0)', async () => {
    const result = await run(['policies', 'test', 'policies']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    for (const id of ['route-requires-auth', 'throttling-configured', 'cors-not-open', 'api-keys-rotated', 'no-static-api-keys', 'stage-access-logging', 'stage-data-trace', 'stage-execution-logging', 'stage-tracing', 'apim-diagnostics', 'apim-diagnostics-payloads']) expect(result.stdout).toMatch(new RegExp(`^${id}  policies/`, 'm'));
    expect(result.stdout).toContain('  ✓ rest-methods\n');
    expect(result.stdout).toContain('  ✓ unknown-authorization\n');
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^34 policies, (\d+) cases: \1 passed, 0 failed$/);
    // Every case of every built-in policy is a scan: the time grows with the suite, beyond the default 30 s on a busy machine.
  }, 180_000);

  it('exits 2 without a directory, on one that does not exist or holds no policy, and with --policies', async () => {
    const missing = await run(['policies', 'test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('policies test needs exactly one directory');
    const absent = await run(['policies', 'test', `${fixtures}/absent`]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(`cannot test "${fixtures}/absent": no such directory`);
    const empty = await run(['policies', 'test', 'test/fixtures/cli/clean']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no policy.yaml was found under test/fixtures/cli/clean');
    const extra = await run(['policies', 'test', `${fixtures}/good`, '--policies', `${fixtures}/layout`]);
    expect(extra.code).toBe(2);
  });
});
