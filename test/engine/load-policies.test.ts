import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicies, parsePolicy } from '../../src/engine/load-policies.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

const VALID = `id: no-open-admin
title: Admin routes need IAM
severity: high
category: authentication
description: Admin routes must be signed with IAM.
remediation: Use authorization = "AWS_IAM".
references: [https://example.com/admin]
frameworks: { internal: [SEC-1] }
match:
  kind: route
  where: "route.path.startsWith('/admin')"
assert: "route.auth.kind == 'iam'"
message: "{{route.key}} on {{gateway.name}} is not IAM-signed"
location: auth
`;

function errors(text: string, folder = 'no-open-admin'): Array<{ line: number | undefined; message: string }> {
  return parsePolicy(text, 'policies/custom/no-open-admin/policy.yaml', folder, false).diagnostics.map((diagnostic) => ({
    line: diagnostic.location?.startLine,
    message: diagnostic.message,
  }));
}

describe('parsing a policy', () => {
  it('accepts a valid policy and compiles its expressions', () => {
    const result = parsePolicy(VALID, 'policy.yaml', 'no-open-admin', false);
    expect(result.diagnostics).toEqual([]);
    expect(result.policy).toMatchObject({ id: 'no-open-admin', severity: 'high', match: { kind: 'route' }, location: 'auth', variants: [] });
  });

  it('names the line of a field that does not type-check against the model', () => {
    expect(errors(VALID.replace("route.auth.kind == 'iam'", "route.auth.knd == 'iam'"))).toEqual([
      { line: 12, message: expect.stringMatching(/^invalid policy: assert does not compile: No such key: knd/) },
    ]);
  });

  it('rejects comparing a string field with a number', () => {
    expect(errors(VALID.replace("route.auth.kind == 'iam'", 'route.auth.kind == 1'))[0]?.message).toMatch(/no such overload/);
  });

  it('rejects an assert that is not boolean', () => {
    expect(errors(VALID.replace("route.auth.kind == 'iam'", 'route.path'))[0]?.message).toMatch(/must be a boolean expression, but it is a string/);
  });

  it('rejects a CEL syntax error in match.where, at the match line', () => {
    expect(errors(VALID.replace("route.path.startsWith('/admin')", 'route.path =='))[0]).toMatchObject({ line: 10, message: expect.stringMatching(/match\.where does not compile/) });
  });

  it('rejects a message placeholder that does not compile', () => {
    expect(errors(VALID.replace('{{gateway.name}}', '{{gateway.nme}}'))[0]).toMatchObject({ line: 13, message: expect.stringMatching(/placeholder \{\{gateway\.nme\}\}/) });
  });

  it('rejects unknown keys, so typos do not silently drop a setting', () => {
    expect(errors(`${VALID}severty: low\n`)).toEqual([{ line: 15, message: expect.stringMatching(/unknown key "severty"/) }]);
  });

  it('requires the id to equal the folder name', () => {
    expect(errors(VALID, 'other-folder')[0]).toMatchObject({ line: 1, message: expect.stringMatching(/must equal the policy's folder name "other-folder"/) });
  });

  it('rejects a severity, category or kind outside the closed lists', () => {
    expect(errors(VALID.replace('severity: high', 'severity: urgent'))[0]?.message).toMatch(/severity must be one of critical, high, medium, low, info/);
    expect(errors(VALID.replace('category: authentication', 'category: misc'))[0]?.message).toMatch(/category must be one of/);
    expect(errors(VALID.replace('kind: route', 'kind: method'))[0]?.message).toMatch(/match\.kind must be one of/);
  });

  it('rejects a location that is not a field of the entity', () => {
    expect(errors(VALID.replace('location: auth', 'location: authorization'))[0]).toMatchObject({ line: 14, message: expect.stringMatching(/location must name a field of route/) });
  });

  it('accepts a dotted location naming a field of an object, and rejects one that names none', () => {
    expect(errors(VALID.replace('location: auth', 'location: azure.backendUrl'))).toEqual([]);
    expect(errors(VALID.replace('location: auth', 'location: azure.backendUri'))[0]).toMatchObject({ line: 14, message: expect.stringMatching(/location must name a field of route/) });
    expect(errors(VALID.replace('location: auth', 'location: key.length'))[0]).toMatchObject({ line: 14, message: expect.stringMatching(/location must name a field of route/) });
  });

  it('accepts a provider-detail field by its path as the location, and rejects a path to nothing', () => {
    expect(errors(VALID.replace('location: auth', 'location: aws.resourcePolicy'))).toEqual([]);
    expect(errors(VALID.replace('location: auth', 'location: aws.policy'))[0]).toMatchObject({ line: 14, message: expect.stringMatching(/location must name a field of route/) });
    expect(errors(VALID.replace('location: auth', 'location: auth.kind.x'))[0]).toMatchObject({ line: 14, message: expect.stringMatching(/location must name a field of route/) });
  });

  it('reports missing required fields and broken YAML', () => {
    expect(errors('id: x\n').map((e) => e.message)).toContain('invalid policy: "title" is required');
    expect(errors('id: [unclosed\n')[0]?.message).toMatch(/invalid policy:/);
  });

  it('validates variants', () => {
    const withVariant = `${VALID}variants:\n  - when: "route.method == 'GET'"\n    severity: bogus\n`;
    expect(errors(withVariant)[0]).toMatchObject({ line: 16, message: expect.stringMatching(/variants\[0\] needs/) });
  });
});

describe('reading policy files within the limits', () => {
  const hostile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/hostile-policies');
  const load = (dirs: string[], limits: Partial<Limits> = {}) =>
    loadPolicies(
      dirs.map((dir) => ({ dir: path.join(hostile, dir), builtIn: false })),
      (file) => path.relative(hostile, file),
      { limits },
    );
  const located = (diagnostics: readonly Diagnostic[]) => diagnostics.map((diagnostic) => ({ code: diagnostic.code, file: diagnostic.location?.file, line: diagnostic.location?.startLine, message: diagnostic.message }));

  it('rejects an alias bomb at the alias that goes over yaml-alias-nodes, and loads the other policies', () => {
    const { policies, diagnostics } = load(['bad', 'good']);
    expect(located(diagnostics)).toEqual([
      {
        code: 'policy-error',
        file: 'bad/alias-bomb/policy.yaml',
        line: 15,
        message: expect.stringMatching(/^the aliases of the policy file add at least 101,218 nodes when expanded; it was not loaded: over the "yaml-alias-nodes" limit \(.*: 100,000\); .*--limit yaml-alias-nodes=/),
      },
      {
        code: 'policy-error',
        file: 'bad/deep-nesting/policy.yaml',
        line: 10,
        message: expect.stringMatching(/^the policy file nests 302 levels deep; it was not loaded: over the "depth" limit \(.*: 200\); .*--limit depth=400/),
      },
    ]);
    expect(policies.map((policy) => policy.id)).toEqual(['nested-comprehension', 'admin-routes-need-iam']);
  });

  it('applies the limits in force, and loads a file they allow', () => {
    expect(load(['bad/alias-bomb'], { 'yaml-alias-nodes': 10 }).diagnostics[0]?.location?.startLine).toBe(12);
    expect(load(['bad/deep-nesting'], { depth: 1000 }).diagnostics).toEqual([
      expect.objectContaining({ code: 'policy-error', message: expect.stringMatching(/^invalid policy: frameworks must map/), location: expect.objectContaining({ startLine: 10 }) }),
    ]);
    const aliased = VALID.replace('references: [https://example.com/admin]', 'references: [&url https://example.com/a, *url, *url]');
    expect(parsePolicy(aliased, 'policy.yaml', 'no-open-admin', false).diagnostics).toEqual([]);
    expect(parsePolicy(aliased, 'policy.yaml', 'no-open-admin', false, { ...DEFAULT_LIMITS, 'yaml-alias-nodes': 1 }).diagnostics).toEqual([
      expect.objectContaining({ code: 'policy-error', message: expect.stringContaining('"yaml-alias-nodes" limit'), location: expect.objectContaining({ startLine: 7 }) }),
    ]);
  });

  it('rejects a file over file-size before reading it', () => {
    expect(located(load(['good'], { 'file-size': 100 }).diagnostics)).toEqual([
      {
        code: 'policy-error',
        file: 'good/admin-routes-need-iam/policy.yaml',
        line: 1,
        message: expect.stringMatching(/^the policy file is \d+ bytes; it was not loaded: over the "file-size" limit \(.*: 100 bytes\); .*--limit file-size=1MiB/),
      },
    ]);
  });

  it('rejects an alias inside its own anchor', () => {
    expect(errors(VALID.replace('references: [https://example.com/admin]', 'references: &self [*self]'))).toEqual([{ line: 7, message: expect.stringMatching(/an alias inside its own anchor/) }]);
  });

  it('rejects an expression over the structural limits of CEL, naming the limit', () => {
    const huge = `route.path == '/' ${"|| route.path == '/x' ".repeat(2000)}`;
    expect(errors(VALID.replace(`"route.auth.kind == 'iam'"`, `"${huge}"`))).toEqual([
      { line: 12, message: expect.stringMatching(/^invalid policy: assert does not compile: the expression is too large: more than 5000 nodes \(CEL maxAstNodes\)/) },
    ]);
    const deep = `${'('.repeat(100)}true${')'.repeat(100)}`;
    expect(errors(VALID.replace(`"route.auth.kind == 'iam'"`, `"${deep}"`))).toEqual([{ line: 12, message: expect.stringMatching(/nests too deeply: more than 64 levels .*\(CEL maxDepth\)/) }]);
  });
});

describe('remediation per provider', () => {
  const PER_PROVIDER = VALID.replace(
    'remediation: Use authorization = "AWS_IAM".',
    ['remediation:', '  aws: Use authorization = "AWS_IAM".', '  azure: Add validate-azure-ad-token to the API policy.', '  default: Sign admin calls.'].join('\n'),
  );

  it('keeps each text, and labels every one of them in the policy-level text', () => {
    const result = parsePolicy(PER_PROVIDER, 'policy.yaml', 'no-open-admin', false);
    expect(result.diagnostics).toEqual([]);
    expect(result.policy?.remediationByProvider).toEqual({ aws: 'Use authorization = "AWS_IAM".', azure: 'Add validate-azure-ad-token to the API policy.', default: 'Sign admin calls.' });
    expect(result.policy?.remediation).toBe(['AWS API Gateway: Use authorization = "AWS_IAM".', 'Azure API Management: Add validate-azure-ad-token to the API policy.', 'Other gateways: Sign admin calls.'].join('\n'));
  });

  it('keeps one text as it is, with no mapping', () => {
    const result = parsePolicy(VALID, 'policy.yaml', 'no-open-admin', false);
    expect(result.policy?.remediation).toBe('Use authorization = "AWS_IAM".');
    expect(result.policy).not.toHaveProperty('remediationByProvider');
  });

  it.each([
    ['a misspelt provider', 'remediation:\n  aws: Sign.\n  azur: Add validate-jwt.', 8, /unknown key "remediation\.azur" \(allowed: aws, azure, gcp, openapi, default\)/],
    ['an empty text', 'remediation:\n  aws: ""', 7, /"remediation\.aws" must be a non-empty text/],
    ['a list', 'remediation: [a, b]', 6, /"remediation" must be a text, or a mapping from aws, azure, gcp, openapi, default to texts/],
    ['an empty mapping', 'remediation: {}', 6, /"remediation" must be a text, or a mapping/],
  ])('rejects %s at its line', (_, written, line, message) => {
    expect(errors(VALID.replace('remediation: Use authorization = "AWS_IAM".', written))).toEqual([{ line, message: expect.stringMatching(message) }]);
  });
});
