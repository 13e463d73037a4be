// Regenerates docs/policies.md from the policy files (run through `npm run docs`, which builds first).
import { writeFileSync } from 'node:fs';
import { builtInPolicyDir, loadPolicies } from '../dist/src/engine/load-policies.js';
import { renderPolicyDocs } from '../dist/src/engine/policy-docs.js';

const { policies, diagnostics } = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]);
if (diagnostics.length > 0) {
  console.error(diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
  process.exit(1);
}
writeFileSync(new URL('../docs/policies.md', import.meta.url), renderPolicyDocs(policies));
console.log(`docs/policies.md: ${policies.length} policies`);
