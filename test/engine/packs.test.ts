import path from 'node:path';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInPolicyDir, loadPolicies } from '../../src/engine/load-policies.js';
import { DEFAULT_PACK, HEADLINE_POLICIES, PACK_NAMES, inPack, selectPacks } from '../../src/model/packs.js';
import { parsePackNames } from '../../src/cli/pack-option.js';
import { POLICY_CATEGORIES } from '../../src/model/findings.js';
import { runCli } from '../helpers/run-cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const builtIn = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]).policies;
const ids = (policies: ReadonlyArray<{ id: string }>): string[] => policies.map((policy) => policy.id).sort();
const categoryOf = (id: string): string | undefined => builtIn.find((policy) => policy.id === id)?.category;
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('packs', () => {
  it('are all, headline and one per category; the default is all', () => {
    expect(PACK_NAMES).toEqual(['all', 'headline', ...POLICY_CATEGORIES]);
    expect(DEFAULT_PACK).toBe('all');
  });

  it('the headline pack names four built-in policies, one per headline mistake', () => {
    expect([...HEADLINE_POLICIES].sort()).toEqual(['cors-not-open', 'no-static-api-keys', 'route-requires-auth', 'throttling-configured']);
    for (const id of HEADLINE_POLICIES) expect(builtIn.map((policy) => policy.id)).toContain(id);
  });

  it('the default selection runs every built-in policy', () => {
    const selected = selectPacks(builtIn);
    expect('policies' in selected && selected.policies).toEqual(builtIn);
  });

  it('a category pack holds the policies of its category, from their files', () => {
    const selected = selectPacks(builtIn, ['logging']);
    // Computed from the files, so that a logging policy added later is expected here too.
    const logging = builtIn.filter((policy) => policy.category === 'logging').map((policy) => policy.id).sort();
    expect(logging).toEqual(expect.arrayContaining(['stage-access-logging', 'stage-data-trace']));
    expect('policies' in selected && ids(selected.policies)).toEqual(logging);
    expect(inPack('secrets', { id: 'a-new-policy', category: 'secrets' })).toBe(true);
    expect(inPack('headline', { id: 'a-new-policy', category: 'authentication' })).toBe(false);
  });

  it('several packs run the union, and policies of the user always run', () => {
    const policies = [
      { id: 'route-requires-auth', category: 'authentication' as const, builtIn: true },
      { id: 'stage-access-logging', category: 'logging' as const, builtIn: true },
      { id: 'some-tls-check', category: 'tls' as const, builtIn: true },
      { id: 'mine', category: 'tls' as const, builtIn: false },
    ];
    const selected = selectPacks(policies, ['headline', 'logging']);
    expect('policies' in selected && ids(selected.policies)).toEqual(['mine', 'route-requires-auth', 'stage-access-logging']);
  });

  it('a choice that holds no built-in policy is an error, not an empty run', () => {
    // Synthetic policies: which category has no built-in policy yet changes as the pack grows.
    const policies = [
      { id: 'route-requires-auth', category: 'authentication' as const, builtIn: true },
      { id: 'mine', category: 'waf' as const, builtIn: false },
    ];
    expect(selectPacks(policies, ['waf'])).toEqual({ error: 'no built-in policy is in the pack waf yet; the packs with policies are all, headline, authentication' });
    expect(selectPacks(policies, ['waf', 'tls'])).toEqual({ error: 'no built-in policy is in the packs waf, tls yet; the packs with policies are all, headline, authentication' });
    // Without built-in policies (--policies alone in tests), any pack runs the user's.
    expect(selectPacks([{ id: 'mine', category: 'waf' as const, builtIn: false }], ['tls'])).toEqual({ policies: [{ id: 'mine', category: 'waf', builtIn: false }] });
  });

  it('an unknown name is an error with the closest pack', () => {
    expect(parsePackNames(['headline', 'loging'])).toEqual({ error: `unknown pack "loging"; did you mean "logging"? The packs are ${PACK_NAMES.join(', ')}` });
    expect(parsePackNames(['logging', 'headline', 'logging'])).toEqual({ packs: ['logging', 'headline'] });
  });
});

describe('--pack and policies.packs', () => {
  const terraform = `resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "prod"
}
`;
  const project = (config?: string): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-packs-'));
    made.push(dir);
    writeFileSync(path.join(dir, 'main.tf'), terraform);
    if (config !== undefined) writeFileSync(path.join(dir, '.gatewarden.yaml'), config);
    return dir;
  };
  const policiesOf = async (argv: string[], cwd: string): Promise<string[]> => {
    const result = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'never', ...argv], cwd);
    expect(result.stderr).toBe(existsSync(path.join(cwd, '.gatewarden.yaml')) ? 'gatewarden: using the config file .gatewarden.yaml\n' : '');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: Array<{ policyId: string }> };
    return [...new Set(report.findings.map((finding) => finding.policyId))].sort();
  };

  it('scan runs every built-in policy by default, and only the pack chosen with --pack', async () => {
    const dir = project();
    expect(await policiesOf([], dir)).toEqual(expect.arrayContaining(['route-requires-auth', 'stage-access-logging', 'throttling-configured']));
    expect(await policiesOf(['--pack', 'headline'], dir)).toEqual(['route-requires-auth', 'throttling-configured']);
    // Logging policies added later may report on this stage too: every one reported is a logging policy.
    const logging = await policiesOf(['--pack', 'logging'], dir);
    expect(logging).toContain('stage-access-logging');
    expect(logging.filter((id) => categoryOf(id) !== 'logging')).toEqual([]);
    const two = await policiesOf(['--pack', 'logging', '--pack', 'rate-limiting'], dir);
    expect(two).toEqual(expect.arrayContaining(['stage-access-logging', 'throttling-configured']));
    expect(two.filter((id) => !['logging', 'rate-limiting'].includes(categoryOf(id) ?? ''))).toEqual([]);
  });

  it('policies.packs chooses in the config file, and --pack replaces it', async () => {
    const dir = project('policies:\n  packs: [headline]\n');
    expect(await policiesOf([], dir)).toEqual(['route-requires-auth', 'throttling-configured']);
    const replaced = await policiesOf(['--pack', 'logging'], dir);
    expect(replaced).toContain('stage-access-logging');
    expect(replaced.filter((id) => categoryOf(id) !== 'logging')).toEqual([]);
  });

  it('disable still applies within the pack, and may name a policy outside it', async () => {
    const dir = project('policies:\n  packs: [headline]\n  disable: [throttling-configured, stage-data-trace]\n');
    expect(await policiesOf([], dir)).toEqual(['route-requires-auth']);
  });

  it('an unknown --pack is a usage error with a suggestion (exit 2), before anything is read', async () => {
    const result = await runCli(['scan', 'no-such-directory', '--pack', 'hedline'], repo);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `gatewarden: --pack: unknown pack "hedline"; did you mean "headline"? The packs are ${PACK_NAMES.join(', ')}\n` });
  });

  it('an unknown pack in the config file is an error at its line', async () => {
    const result = await runCli(['scan', '.'], project('policies:\n  packs: [headline, loging]\n'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`.gatewarden.yaml:2:21: the pack "loging" must be one of ${PACK_NAMES.join(', ')}; found "loging"; did you mean "logging"?`);
  });

  it('a config file choosing packs that hold no policy is an error at the line of packs', async () => {
    // waf is the one category with no built-in policy yet; when one arrives, pick another empty choice.
    const builtIn = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }], (file) => file).policies;
    expect(PACK_NAMES.filter((pack) => !builtIn.some((policy) => inPack(pack, policy)))).toEqual(['waf']);
    const result = await runCli(['scan', '.'], project('# packs\npolicies:\n  packs: [waf]\n'));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('gatewarden: .gatewarden.yaml:3:3: policies.packs: no built-in policy is in the pack waf yet; the packs with policies are all, headline, ');
    // --pack replaces the config file's choice, and is reported as the option.
    const option = await runCli(['scan', '.', '--pack', 'waf'], project('policies:\n  packs: [headline]\n'));
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('gatewarden: --pack: no built-in policy is in the pack waf yet');
  });

  it('policies list --pack lists the pack', async () => {
    const result = await runCli(['policies', 'list', '--pack', 'headline', '--format', 'json'], repo);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ id: string }>).map((policy) => policy.id)).toEqual(['route-requires-auth', 'throttling-configured', 'cors-not-open', 'no-static-api-keys']);
    const show = await runCli(['policies', 'show', 'route-requires-auth', '--pack', 'headline'], repo);
    expect(show).toEqual({ code: 2, stdout: '', stderr: 'gatewarden: policies show takes no --pack: it shows the policy named, whatever its pack; to list the policies of a pack, use "gatewarden policies list --pack NAME"\n' });
    const unknown = await runCli(['policies', 'list', '--pack', 'secret'], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown pack "secret"; did you mean "secrets"?');
  });
});

describe('audit --pack', () => {
  it('an unknown pack is a usage error before any account is read', async () => {
    const result = await runCli(['audit', 'aws', '--pack', 'cros', '--regions', 'eu-west-1'], repo);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `gatewarden: --pack: unknown pack "cros"; did you mean "cors"? The packs are ${PACK_NAMES.join(', ')}\n` });
  });
});
