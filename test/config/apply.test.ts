import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressPattern, configRelativePath, excludeMatcher, matchConfigSuppression, selectPolicies, toFindingSuppression } from '../../src/config/apply.js';
import type { ConfigSuppression, GatewardenConfig } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/load.js';
import { builtInPolicyDir, loadPolicies } from '../../src/engine/load-policies.js';
import type { Severity } from '../../src/model/findings.js';

const configDir = path.resolve('/repo');
const configFile = path.join(configDir, '.gatewarden.yaml');

/** A config from YAML, as the loader gives it (paths relative to /repo). */
function config(yaml: string): GatewardenConfig {
  return parseConfig(yaml, configFile, (file) => path.relative(configDir, file), { today: '2026-06-15' }).config;
}

interface FakePolicy {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly variants: ReadonlyArray<{ readonly when: string; readonly severity: Severity }>;
  readonly compiled: { readonly assert: string; readonly variants: ReadonlyArray<{ readonly when: string; readonly severity: Severity }> };
}

const fake = (id: string, severity: Severity, variantSeverities: Severity[] = []): FakePolicy => ({
  id,
  severity,
  title: `title of ${id}`,
  variants: variantSeverities.map((s, i) => ({ when: `case ${i}`, severity: s })),
  compiled: { assert: `assert ${id}`, variants: variantSeverities.map((s, i) => ({ when: `compiled ${i}`, severity: s })) },
});

const policies = [fake('a', 'high', ['medium', 'low']), fake('b', 'low'), fake('c', 'medium', ['high']), fake('d', 'info')];

describe('selectPolicies', () => {
  it('runs every policy when nothing is configured, returning the same objects', () => {
    const selected = selectPolicies(policies, config(''));
    expect(selected).toEqual(policies);
    selected.forEach((policy, index) => expect(policy).toBe(policies[index]));
  });

  it('runs only the enabled policies, in their original order', () => {
    expect(selectPolicies(policies, config('policies:\n  enable: [c, a]\n')).map((p) => p.id)).toEqual(['a', 'c']);
  });

  it('never runs disabled policies, even when enabled', () => {
    expect(selectPolicies(policies, config('policies:\n  disable: [b]\n')).map((p) => p.id)).toEqual(['a', 'c', 'd']);
    expect(selectPolicies(policies, config('policies:\n  enable: [a, b]\n  disable: [b]\n')).map((p) => p.id)).toEqual(['a']);
  });

  it('overrides the base severity and every variant severity, in new objects', () => {
    const selected = selectPolicies(policies, config('policies:\n  severity:\n    a: critical\n    b: high\n'));
    const [a, b, c] = selected;
    expect(a).toEqual({
      ...policies[0],
      severity: 'critical',
      variants: [
        { when: 'case 0', severity: 'critical' },
        { when: 'case 1', severity: 'critical' },
      ],
      compiled: {
        assert: 'assert a',
        variants: [
          { when: 'compiled 0', severity: 'critical' },
          { when: 'compiled 1', severity: 'critical' },
        ],
      },
    });
    expect(b!.severity).toBe('high');
    expect(c).toBe(policies[2]);
    // The loaded policies are left as they were: another scan with another config sees them unchanged.
    expect(policies[0]!.severity).toBe('high');
    expect(policies[0]!.variants.map((v) => v.severity)).toEqual(['medium', 'low']);
    expect(policies[0]!.compiled.variants.map((v) => v.severity)).toEqual(['medium', 'low']);
  });

  it('applies to policies without variants or compiled forms', () => {
    const plain: Array<{ id: string; severity: Severity }> = [{ id: 'x', severity: 'low' }];
    expect(selectPolicies(plain, config('policies:\n  severity:\n    x: critical\n'))).toEqual([{ id: 'x', severity: 'critical' }]);
  });

  it('overrides the compiled variants the engine evaluates, on the built-in policies', () => {
    const loaded = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]).policies;
    const selected = selectPolicies(loaded, config('policies:\n  enable: [cors-not-open, route-requires-auth]\n  severity:\n    cors-not-open: low\n'));
    expect(selected.map((p) => p.id).sort()).toEqual(['cors-not-open', 'route-requires-auth']);
    const cors = selected.find((p) => p.id === 'cors-not-open')!;
    const original = loaded.find((p) => p.id === 'cors-not-open')!;
    expect(original.compiled.variants.length).toBeGreaterThan(0);
    expect(cors.severity).toBe('low');
    expect(new Set(cors.variants.map((v) => v.severity))).toEqual(new Set(['low']));
    expect(new Set(cors.compiled.variants.map((v) => v.severity))).toEqual(new Set(['low']));
    // The compiled programs themselves are shared, not recompiled.
    expect(cors.compiled.assert).toBe(original.compiled.assert);
    expect(cors.compiled.variants[0]!.when).toBe(original.compiled.variants[0]!.when);
    expect(original.severity).toBe('high');
  });
});

describe('addressPattern', () => {
  it('matches exactly without "*"', () => {
    expect(addressPattern('aws_api_gateway_method.health').test('aws_api_gateway_method.health')).toBe(true);
    expect(addressPattern('aws_api_gateway_method.health').test('aws_api_gateway_method.healthy')).toBe(false);
    expect(addressPattern('aws_api_gateway_method.health').test('aws_api_gateway_methodXhealth')).toBe(false);
    expect(addressPattern('a.b[0]').test('a.b[0]')).toBe(true);
    expect(addressPattern('a.b[0]').test('a.b0')).toBe(false);
  });

  it('lets "*" match any characters, dots, brackets and quotes included', () => {
    const legacy = addressPattern('module.legacy.*');
    expect(legacy.test('module.legacy.aws_api_gateway_method.get')).toBe(true);
    expect(legacy.test('module.legacy.module.inner.aws_api_gateway_method.get["x"]')).toBe(true);
    expect(legacy.test('module.legacy_v2.aws_api_gateway_method.get')).toBe(false);
    expect(addressPattern('aws_apigatewayv2_route.this[*]').test('aws_apigatewayv2_route.this["GET /health"]')).toBe(true);
    expect(addressPattern('*').test('anything at all')).toBe(true);
    expect(addressPattern('*.health').test('module.a[0].aws_api_gateway_method.health')).toBe(true);
  });
});

describe('matchConfigSuppression', () => {
  const cfg = config(
    [
      'suppressions:',
      '  - policy: route-requires-auth',
      '    address: aws_api_gateway_method.health',
      '    reason: public health check',
      '  - policy: throttling-configured',
      '    address: "module.legacy.*"',
      '    path: "legacy/**"',
      '    reason: retired soon',
      '    until: 2026-06-15',
      '  - policy: throttling-configured',
      '    address: "*"',
      '    reason: catch-all after the legacy one',
      '    until: 2026-01-01',
      '  - policy: cors-not-open',
      '    address: "*"',
      '    path: "*.json"',
      '',
    ].join('\n'),
  );
  const today = '2026-06-15';
  const [health, legacy, expired, anyJson] = cfg.suppressions as [ConfigSuppression, ConfigSuppression, ConfigSuppression, ConfigSuppression];

  it('matches the policy and the exact address', () => {
    expect(matchConfigSuppression(cfg, { policyId: 'route-requires-auth', address: 'aws_api_gateway_method.health', file: 'main.tf' }, { today })).toBe(health);
    expect(matchConfigSuppression(cfg, { policyId: 'cors-not-open', address: 'aws_api_gateway_method.health', file: 'main.tf' }, { today })).toBeUndefined();
    expect(matchConfigSuppression(cfg, { policyId: 'route-requires-auth', address: 'aws_api_gateway_method.other', file: 'main.tf' }, { today })).toBeUndefined();
  });

  it('matches an address glob only in files the path glob names', () => {
    const finding = { policyId: 'throttling-configured', address: 'module.legacy.aws_api_gateway_stage.prod', file: 'legacy/modules/api/main.tf' };
    expect(matchConfigSuppression(cfg, finding, { today })).toBe(legacy);
    expect(matchConfigSuppression(cfg, { ...finding, file: 'current/main.tf' }, { today })).toBeUndefined();
  });

  it('is in force through its until day, and an expired one accepts nothing', () => {
    const finding = { policyId: 'throttling-configured', address: 'module.legacy.aws_api_gateway_stage.prod', file: 'legacy/main.tf' };
    expect(matchConfigSuppression(cfg, finding, { today: '2026-06-15' })).toBe(legacy);
    expect(matchConfigSuppression(cfg, finding, { today: '2026-06-16' })).toBeUndefined();
    // The catch-all is expired on both days; it would match before 2026-01-02.
    expect(matchConfigSuppression(cfg, { ...finding, file: 'other.tf' }, { today })).toBeUndefined();
    expect(matchConfigSuppression(cfg, { ...finding, file: 'other.tf' }, { today: '2025-12-31' })).toBe(expired);
  });

  it('takes the first entry that matches, in file order', () => {
    const finding = { policyId: 'throttling-configured', address: 'module.legacy.x', file: 'legacy/main.tf' };
    expect(matchConfigSuppression(cfg, finding, { today: '2025-12-31' })).toBe(legacy);
  });

  it('matches path globs against files relative to the config directory, not the scan root', () => {
    // Scanning /repo/infra: findings name files relative to it.
    const toConfigPath = configRelativePath(cfg, path.join(configDir, 'infra'));
    const finding = { policyId: 'throttling-configured', address: 'module.legacy.stage', file: 'main.tf' };
    expect(matchConfigSuppression(cfg, finding, { today, toConfigPath })).toBeUndefined();
    // infra/legacy/main.tf does not match "legacy/**", which is anchored at /repo.
    expect(matchConfigSuppression(cfg, { ...finding, file: 'legacy/main.tf' }, { today, toConfigPath })).toBeUndefined();
    // Scanning /repo/legacy: "main.tf" is /repo/legacy/main.tf.
    expect(matchConfigSuppression(cfg, finding, { today, toConfigPath: configRelativePath(cfg, path.join(configDir, 'legacy')) })).toBe(legacy);
  });

  it('never matches a path glob on a file outside the config directory', () => {
    const toConfigPath = configRelativePath(cfg, path.resolve('/elsewhere'));
    expect(toConfigPath('api.json')).toBe('../elsewhere/api.json');
    expect(matchConfigSuppression(cfg, { policyId: 'cors-not-open', address: 'x', file: 'api.json' }, { today, toConfigPath })).toBeUndefined();
    expect(matchConfigSuppression(cfg, { policyId: 'cors-not-open', address: 'x', file: 'api.json' }, { today })).toBe(anyJson);
    expect(matchConfigSuppression(cfg, { policyId: 'cors-not-open', address: 'x', file: 'deep/api.json' }, { today })).toBe(anyJson);
  });

  it('converts to the finding suppression of reports, of kind config', () => {
    expect(toFindingSuppression(health)).toEqual({ kind: 'config', reason: 'public health check', location: health.location });
    expect(toFindingSuppression(legacy)).toEqual({ kind: 'config', reason: 'retired soon', until: '2026-06-15', location: legacy.location });
    expect(toFindingSuppression(anyJson)).toEqual({ kind: 'config', location: anyJson.location });
    expect(health.location).toEqual({ file: '.gatewarden.yaml', startLine: 2, startColumn: 5, endLine: 4, endColumn: 32 });
  });
});

describe('excludeMatcher', () => {
  const excluded = excludeMatcher(config('exclude:\n  - "examples/**"\n  - "**/test/fixtures/**"\n  - "*.generated.tf"\n'));

  it('matches absolute paths relative to the config directory', () => {
    expect(excluded(path.join(configDir, 'examples/a.tf'))).toBe(true);
    expect(excluded(path.join(configDir, 'modules/test/fixtures/x.tf'))).toBe(true);
    expect(excluded(path.join(configDir, 'modules/api.generated.tf'))).toBe(true);
    expect(excluded(path.join(configDir, 'modules/api.tf'))).toBe(false);
    expect(excluded(path.join(configDir, 'sub/examples/a.tf'))).toBe(false);
  });

  it('tells a walker which directories to skip (a trailing separator marks one)', () => {
    expect(excluded(`${path.join(configDir, 'examples')}${path.sep}`)).toBe(true);
    expect(excluded(`${path.join(configDir, 'pkg/test/fixtures')}${path.sep}`)).toBe(true);
    expect(excluded(`${path.join(configDir, 'pkg/test')}${path.sep}`)).toBe(false);
    expect(excluded(`${configDir}${path.sep}`)).toBe(false);
  });

  it('never excludes paths outside the config directory', () => {
    expect(excluded(path.resolve('/other/examples/a.tf'))).toBe(false);
    expect(excluded(path.resolve('/repository-sibling/examples/a.tf'))).toBe(false);
  });

  it('excludes nothing without patterns', () => {
    expect(excludeMatcher(config(''))(path.join(configDir, 'examples/a.tf'))).toBe(false);
  });
});
