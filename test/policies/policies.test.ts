import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInPolicyDir, findPolicyFiles, parsePolicy } from '../../src/engine/load-policies.js';
import { normaliseExpected, readPolicyTests, resultsFor } from '../../src/engine/policy-tests.js';
import { scan } from '../../src/scan.js';

// One table over every built-in policy: its metadata and CEL type-check, then each fixture folder in
// test/ against test/expected.yaml (entity, file, line, severity; never message text).
const policyFiles = findPolicyFiles(builtInPolicyDir());

describe('built-in policies', () => {
  it('are found', () => {
    expect(policyFiles.map((file) => path.basename(path.dirname(file))).sort()).toEqual(
      expect.arrayContaining(['cors-not-open', 'no-static-api-keys', 'route-requires-auth', 'throttling-configured']),
    );
  });

  for (const file of policyFiles) {
    const policyDir = path.dirname(file);
    const id = path.basename(policyDir);
    describe(id, () => {
      it('loads with valid metadata and type-checked expressions', () => {
        const result = parsePolicy(readFileSync(file, 'utf8'), file, id, true);
        expect(result.diagnostics).toEqual([]);
        expect(result.policy?.id).toBe(id);
        expect(path.basename(path.dirname(policyDir))).toBe(result.policy?.category);
      });

      const suite = readPolicyTests(policyDir);
      it('has a usable test suite with a positive and a negative case', () => {
        expect(suite.problems).toEqual([]);
      });

      for (const testCase of suite.cases) {
        it(`case ${testCase.name}`, async () => {
          const report = await scan({ paths: ['.'], cwd: testCase.dir, builtInPolicies: false, policyDirs: [policyDir] });
          const actual = resultsFor(report, id);
          expect(actual.errors).toEqual([]);
          expect(actual.findings).toEqual(normaliseExpected(testCase.findings, actual.findings));
          expect(actual.unknown).toEqual(normaliseExpected(testCase.unknown, []));
        });
      }
    });
  }
});
