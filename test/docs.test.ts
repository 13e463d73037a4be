import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInPolicyDir, loadPolicies, parsePolicy } from '../src/engine/load-policies.js';
import { renderPolicyDocs } from '../src/engine/policy-docs.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated documentation', () => {
  it('docs/policies.md matches the policy files (run `npm run docs` after changing a policy)', () => {
    const { policies } = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]);
    expect(readFileSync(path.join(repo, 'docs/policies.md'), 'utf8')).toBe(renderPolicyDocs(policies));
  });
});

describe('docs/architecture.md', () => {
  it('lists every input format and live provider of the registries (run `npm run docs` after adding one)', async () => {
    const { registryTables, withGeneratedBlocks } = await import('../src/pipeline/registry-docs.js');
    const text = readFileSync(path.join(repo, 'docs/architecture.md'), 'utf8');
    expect(text).toBe(withGeneratedBlocks(text, registryTables()));
    // The blocks are not empty: each registry entry is a row.
    expect(text).toContain('| `terraform` |');
    expect(text).toContain('| `gatewarden audit aws` |');
  });

  it('is linked from the README', () => {
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toContain('(docs/architecture.md)');
  });
});

describe('policy examples in the documentation', () => {
  const examples = (file: string): Array<[string, string]> => {
    const text = readFileSync(path.join(repo, file), 'utf8');
    return [...text.matchAll(/```yaml\n(id: [\s\S]*?)```/g)].map((match, index) => [`${file} #${index + 1}`, match[1]!]);
  };

  it.each([...examples('README.md'), ...examples('docs/writing-policies.md')])('%s loads and type-checks', (_, yaml) => {
    const id = /^id: ([a-z0-9-]+)/.exec(yaml)![1]!;
    const result = parsePolicy(yaml, 'example.yaml', id, false);
    expect(result.diagnostics).toEqual([]);
    expect(result.policy?.id).toBe(id);
  });
});

describe('docs/terraform.md', () => {
  it('lists every Terraform function gatewarden evaluates', async () => {
    const { SUPPORTED_FUNCTIONS } = await import('../src/sources/terraform/expression/functions.js');
    const text = readFileSync(path.join(repo, 'docs/terraform.md'), 'utf8');
    const missing = SUPPORTED_FUNCTIONS.filter((name) => !text.includes(`\`${name}\``) && !(name.startsWith('trim') && text.includes('`trim*`')));
    expect(missing).toEqual([]);
  });
});

describe('docs/output-formats.md', () => {
  it('has a row for every output format of the registry, in its order, with its description', async () => {
    const { OUTPUT_FORMAT_REGISTRY } = await import('../src/reporters/formats.js');
    const text = readFileSync(path.join(repo, 'docs/output-formats.md'), 'utf8');
    const table = text.slice(text.indexOf('| `--format` |'));
    // The header row names the column `--format` too: rows are the lines after the separator.
    const body = table.slice(table.indexOf('| --- |'), table.indexOf('\n\n'));
    const rows = [...body.matchAll(/^\| `([a-z-]+)` \| (.*?) \|/gm)].map((match) => [match[1], match[2]]);
    expect(rows).toEqual(OUTPUT_FORMAT_REGISTRY.map((format) => [format.name, format.description]));
  });
});

describe('docs/migrating.md', () => {
  it('lists every KICS query id of the built-in policies, with the policy that answers it', () => {
    const { policies } = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]);
    const text = readFileSync(path.join(repo, 'docs/migrating.md'), 'utf8');
    const rows = new Set([...text.matchAll(/^\| [^|]+ \| `([0-9a-f-]{36})` \| `([a-z0-9-]+)` \|$/gm)].map((match) => `${match[1]} ${match[2]}`));
    const expected = policies.flatMap((policy) => (policy.aliases?.kics ?? []).map((id) => `${id} ${policy.id}`)).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect([...rows].sort()).toEqual(expected);
  });
});
