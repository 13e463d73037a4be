import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInPolicyDir } from '../../src/engine/load-policies.js';
import { checkPolicyFolders, policyFoldersIn, runPolicyCase } from '../../src/pipeline/policy-tests.js';
import { scan } from '../../src/pipeline/scan.js';

// One table over every built-in policy: its metadata and CEL type-check, then each fixture folder in
// test/ against test/expected.yaml (entity, file, line, severity; never message text). The checks are
// those of `gatewarden policies test` (src/engine/policy-tests.ts), so a user's policy passing that
// command meets the same bar; here each case is its own test, with a diff of actual and expected.
const checks = checkPolicyFolders(policyFoldersIn(builtInPolicyDir()), { builtIn: true });

describe('built-in policies', () => {
  it('are found', () => {
    expect(checks.map((check) => check.id).sort()).toEqual(expect.arrayContaining(['cors-not-open', 'no-static-api-keys', 'route-requires-auth', 'throttling-configured']));
  });

  for (const check of checks) {
    describe(check.id, () => {
      it('loads with valid metadata and type-checked expressions', () => {
        expect(check.loadErrors).toEqual([]);
        expect(check.policy?.id).toBe(check.id);
      });

      it('sits in its category folder and has a usable test suite with a positive and a negative case', () => {
        expect(path.basename(path.dirname(check.policyDir))).toBe(check.policy?.category);
        expect(check.problems).toEqual([]);
      });

      for (const testCase of check.cases) {
        it(`case ${testCase.name}`, async () => {
          const result = await runPolicyCase(check, testCase, scan);
          expect(result.actual.errors).toEqual([]);
          expect(result.actual.findings).toEqual(result.expected.findings);
          expect(result.actual.unknown).toEqual(result.expected.unknown);
          // The verdict `gatewarden policies test` prints must agree with the comparisons above.
          expect(result.passed).toBe(true);
        });
      }
    });
  }
});
