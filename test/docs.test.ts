import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInPolicyDir, loadPolicies } from '../src/engine/load-policies.js';
import { renderPolicyDocs } from '../src/engine/policy-docs.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated documentation', () => {
  it('docs/policies.md matches the policy files (run `npm run docs` after changing a policy)', () => {
    const { policies } = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]);
    expect(readFileSync(path.join(repo, 'docs/policies.md'), 'utf8')).toBe(renderPolicyDocs(policies));
  });
});
