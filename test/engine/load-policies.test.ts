import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/engine/load-policies.js';

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

  it('reports missing required fields and broken YAML', () => {
    expect(errors('id: x\n').map((e) => e.message)).toContain('invalid policy: "title" is required');
    expect(errors('id: [unclosed\n')[0]?.message).toMatch(/invalid policy:/);
  });

  it('validates variants', () => {
    const withVariant = `${VALID}variants:\n  - when: "route.method == 'GET'"\n    severity: bogus\n`;
    expect(errors(withVariant)[0]).toMatchObject({ line: 16, message: expect.stringMatching(/variants\[0\] needs/) });
  });
});
