import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parsePolicy } from '../../src/engine/load-policies.js';
import { scan } from '../../src/pipeline/scan.js';

// Policy parameters: a policy declares named values (api-keys-rotated's maxAgeDays), its expressions
// read them as params.NAME, and .gatewarden.yaml sets them under policies.parameters.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OLD_KEY_CASE = path.join(repo, 'policies/secrets/api-keys-rotated/test/plan-old-key');
/** A day the case's key (created 2025-02-10) is 325 days old: the verdicts never move with the calendar. */
const TODAY = new Date('2026-01-01T00:00:00Z');

const POLICY = `id: long-timeouts
title: Integrations answer in time
severity: low
category: rate-limiting
description: A long integration timeout holds connections.
remediation: Lower the timeout.
parameters:
  maxSeconds:
    type: number
    default: 10
    description: the longest integration timeout allowed, in seconds
match:
  kind: route
assert: "route.path.size() <= params.maxSeconds"
message: "{{route.key}} is longer than {{params.maxSeconds}}"
`;

function errors(text: string): Array<{ line: number | undefined; message: string }> {
  return parsePolicy(text, 'policies/custom/long-timeouts/policy.yaml', 'long-timeouts', false).diagnostics.map((d) => ({ line: d.location?.startLine, message: d.message }));
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gatewarden-parameters-'));
}

function configIn(dir: string, text: string) {
  const file = path.join(dir, '.gatewarden.yaml');
  writeFileSync(file, text);
  return loadConfig(file, (absolute) => path.relative(dir, absolute));
}

describe('policy parameters in a policy file', () => {
  it('compiles expressions that read params and keeps the defaults as the values', () => {
    const { policy, diagnostics } = parsePolicy(POLICY, 'policy.yaml', 'long-timeouts', false);
    expect(diagnostics).toEqual([]);
    expect(policy?.parameters).toEqual({ maxSeconds: { type: 'number', default: 10, description: 'the longest integration timeout allowed, in seconds' } });
    expect(policy?.params).toEqual({ maxSeconds: 10 });
  });

  it('names the line of each bad declaration', () => {
    const bad = POLICY.replace(
      /parameters:\n[\s\S]*?seconds\n/,
      'parameters:\n  max_seconds:\n    type: number\n    default: 10\n    description: x\n  limit:\n    type: integer\n    default: 1\n    description: y\n  name:\n    type: string\n    default: 3\n    description: z\n',
    );
    expect(errors(bad)).toEqual([
      { line: 8, message: 'invalid policy: parameter name "max_seconds" must be camelCase (a letter, then letters and digits): expressions read it as params.max_seconds' },
      { line: 12, message: 'invalid policy: parameters.limit.type must be one of number, string, boolean' },
      { line: 16, message: 'invalid policy: parameters.name.default must be a string' },
    ]);
  });

  it('refuses params in an expression of a policy that declares none, at its line', () => {
    const undeclared = POLICY.replace(/parameters:\n[\s\S]*?seconds\n/, '');
    expect(errors(undeclared)).toEqual([
      { line: 9, message: 'invalid policy: assert does not compile: Unknown variable: params' },
      { line: 10, message: 'invalid policy: message placeholder {{params.maxSeconds}} does not compile: Unknown variable: params' },
    ]);
  });

  it('refuses an expression that uses a parameter as another type', () => {
    expect(errors(POLICY.replace('route.path.size() <= params.maxSeconds', "route.path == params.maxSeconds"))).toEqual([
      { line: 14, message: 'invalid policy: assert does not compile: no such overload: string == double' },
    ]);
  });
});

describe('policy parameters in .gatewarden.yaml', () => {
  it('reports a key older than the default 90 days, and none once maxAgeDays allows its age', async () => {
    const report = await scan({ cwd: OLD_KEY_CASE, today: TODAY });
    const rotated = report.findings.filter((f) => f.policyId === 'api-keys-rotated');
    expect(rotated.map((f) => `${f.address} ${f.location.file}:${f.location.startLine} ${f.message}`)).toEqual([
      'aws_api_gateway_api_key.legacy_partner main.tf:4 API key legacy-partner was created 324 days ago (2025-02-10T09:30:00Z), more than the 90 days a key may live: replace it',
    ]);
    // An existing key whose value the configuration does not write is generated: no static value in code.
    expect(report.findings.filter((f) => f.policyId === 'no-static-api-keys')).toEqual([]);

    const dir = tempDir();
    const config = configIn(dir, 'policies:\n  parameters:\n    api-keys-rotated: { maxAgeDays: 400 }\n');
    const relaxed = await scan({ cwd: OLD_KEY_CASE, today: TODAY, config });
    expect(relaxed.findings.filter((f) => f.policyId === 'api-keys-rotated')).toEqual([]);
    const strict = await scan({ cwd: OLD_KEY_CASE, today: TODAY, config: configIn(dir, 'policies:\n  parameters:\n    api-keys-rotated: { maxAgeDays: 30 }\n') });
    expect(strict.findings.filter((f) => f.policyId === 'api-keys-rotated').map((f) => f.message)).toEqual([
      'API key legacy-partner was created 324 days ago (2025-02-10T09:30:00Z), more than the 30 days a key may live: replace it',
    ]);
  });

  it('names a misspelt parameter with the closest one, and a value of the wrong type, at their lines', async () => {
    const dir = tempDir();
    const misspelt = configIn(dir, 'fail-on: high\npolicies:\n  parameters:\n    api-keys-rotated:\n      maxAgeDay: 30\n');
    await expect(scan({ cwd: OLD_KEY_CASE, today: TODAY, config: misspelt })).rejects.toThrow(
      '.gatewarden.yaml:5:18: policies.parameters names the parameter "maxAgeDay" of "api-keys-rotated", which that policy does not declare; did you mean "maxAgeDays"?',
    );
    const text = configIn(dir, 'policies:\n  parameters:\n    api-keys-rotated:\n      maxAgeDays: "30"\n');
    await expect(scan({ cwd: OLD_KEY_CASE, today: TODAY, config: text })).rejects.toThrow(
      '.gatewarden.yaml:4:19: policies.parameters: "maxAgeDays" of "api-keys-rotated" must be a number (the largest age of an API key, in days, before it must be replaced); found "30"',
    );
    const none = configIn(dir, 'policies:\n  parameters:\n    route-requires-auth: { strict: true }\n');
    await expect(scan({ cwd: OLD_KEY_CASE, today: TODAY, config: none })).rejects.toThrow('"strict" of "route-requires-auth", which that policy does not declare; it has no parameters');
    const unknownPolicy = configIn(dir, 'policies:\n  parameters:\n    api-keys-rotate: { maxAgeDays: 30 }\n');
    await expect(scan({ cwd: OLD_KEY_CASE, today: TODAY, config: unknownPolicy })).rejects.toThrow('did you mean "api-keys-rotated"?');
  });

  it('gives a user policy, run in its own process, the values the config sets', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'policies/long-paths'), { recursive: true });
    writeFileSync(
      path.join(dir, 'policies/long-paths/policy.yaml'),
      POLICY.replace('id: long-timeouts', 'id: long-paths').replace('maxSeconds', 'maxLength').replaceAll('params.maxSeconds', 'params.maxLength'),
    );
    cpSync(path.join(repo, 'policies/secrets/api-keys-rotated/test/in-code/main.tf'), path.join(dir, 'main.tf'));
    writeFileSync(
      path.join(dir, 'api.tf'),
      'resource "aws_apigatewayv2_api" "a" {\n  name          = "a"\n  protocol_type = "HTTP"\n}\nresource "aws_apigatewayv2_route" "r" {\n  api_id    = aws_apigatewayv2_api.a.id\n  route_key = "GET /orders/recent"\n}\n',
    );
    const run = async (config: string) =>
      (await scan({ cwd: dir, builtInPolicies: false, config: configIn(dir, `policies:\n  dirs: [policies]\n${config}`) })).findings.map((f) => `${f.policyId} ${f.message}`);
    expect(await run('')).toEqual(['long-paths GET /orders/recent is longer than 10']);
    expect(await run('  parameters:\n    long-paths: { maxLength: 13 }\n')).toEqual(['long-paths GET /orders/recent is longer than 13']);
    expect(await run('  parameters:\n    long-paths: { maxLength: 20 }\n')).toEqual([]);
  });

  it('gives a user policy in its own process the same now as the built-in ones', async () => {
    const dir = tempDir();
    cpSync(OLD_KEY_CASE, dir, { recursive: true });
    mkdirSync(path.join(dir, 'policies/key-age'), { recursive: true });
    writeFileSync(
      path.join(dir, 'policies/key-age/policy.yaml'),
      [
        'id: key-age',
        'title: Keys are young',
        'severity: low',
        'category: secrets',
        'description: Keys are young.',
        'remediation: Replace the key.',
        'match: { kind: api-key, where: "has(apiKey.createdAt)" }',
        'assert: "now - timestamp(apiKey.createdAt) < duration(\'24h\')"',
        'message: "{{apiKey.name}} is {{(now - timestamp(apiKey.createdAt)).getHours() / 24}} days old"',
        '',
      ].join('\n'),
    );
    const report = await scan({ cwd: dir, today: TODAY, config: configIn(dir, 'policies:\n  dirs: [policies]\n') });
    expect(report.findings.filter((f) => f.policyId === 'key-age' || f.policyId === 'api-keys-rotated').map((f) => `${f.policyId} ${f.message.split(' (')[0]}`).sort()).toEqual([
      'api-keys-rotated API key legacy-partner was created 324 days ago',
      'key-age legacy-partner is 324 days old',
      'key-age retired-partner is 578 days old',
    ]);
  });
});
