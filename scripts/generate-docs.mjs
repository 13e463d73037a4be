// Regenerates docs/policies.md from the policy files and the registry tables of docs/architecture.md
// (run through `npm run docs`, which builds first).
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

// The registry tables of docs/architecture.md (input formats, live providers, output formats).
const { readFileSync } = await import('node:fs');
const { registryTables, withGeneratedBlocks } = await import('../dist/src/pipeline/registry-docs.js');
const architecture = new URL('../docs/architecture.md', import.meta.url);
writeFileSync(architecture, withGeneratedBlocks(readFileSync(architecture, 'utf8'), registryTables()));
console.log('docs/architecture.md: registry tables');
