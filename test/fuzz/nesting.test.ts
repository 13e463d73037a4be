import fc from 'fast-check';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { isCollection, isPair, type Node as YamlNode } from 'yaml';
import { hclNesting, jsonNestingOverflow, valueNestingOverflow } from '../../src/sources/nesting.js';
import { parseYamlDocument } from '../../src/sources/yaml.js';
import { runs } from '../helpers/fuzz.js';

/** Depth of a jsonc-parser tree (properties do not count: an object is one level, as in the data). */
function treeDepth(node: JsonNode | undefined): number {
  if (!node) return 0;
  const children = (node.children ?? []).map((child) => (child.type === 'property' ? child.children?.[1] : child));
  const inner = Math.max(0, ...children.map(treeDepth));
  return node.type === 'object' || node.type === 'array' ? inner + 1 : inner;
}

/** Depth of a composed YAML node. */
function yamlDepth(node: unknown): number {
  if (!isCollection(node)) return 0;
  const children = node.items.flatMap((item) => (isPair(item) ? [item.key, item.value] : [item]));
  return 1 + Math.max(0, ...children.map((child) => yamlDepth(child as YamlNode)));
}

const JSON_PIECES = ['{', '}', '[', ']', '"', '\\', ':', ',', '//', '/*', '*/', '\n', '\r', 'a', '1', ' '];
const YAML_PIECES = ['- ', '[', ']', '{', '}', ': ', 'a', '\n', '  ', '"', "'", '#', '? ', ',', '&a ', '*a', '|\n'];
const jsonish = fc.array(fc.constantFrom(...JSON_PIECES), { maxLength: 80 }).map((parts) => parts.join(''));
const yamlish = fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 60 }).map((parts) => parts.join(''));

describe('the nesting measures the readers trust', () => {
  it('never measure JSON text as shallower than jsonc-parser nests it', () => {
    fc.assert(
      fc.property(jsonish, fc.integer({ min: 0, max: 6 }), (text, limit) => {
        const depth = treeDepth(parseTree(text, [], { disallowComments: false, allowTrailingComma: true }));
        if (depth > limit) expect(jsonNestingOverflow(text, limit)).toBeDefined();
      }),
      { numRuns: runs(500) },
    );
  });

  it('measure a parsed value exactly', () => {
    const reference = (value: unknown): number => (typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(reference)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const depth = reference(value);
        expect(valueNestingOverflow(value, limit)).toEqual(depth > limit ? { depth } : undefined);
      }),
      { numRuns: runs(300) },
    );
  });

  it('never let YAML through that composes deeper than the limit', () => {
    fc.assert(
      fc.property(yamlish, fc.integer({ min: 0, max: 5 }), (text, limit) => {
        const parsed = parseYamlDocument(text, {}, limit);
        if ('document' in parsed) expect(yamlDepth(parsed.document.contents)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: runs(500) },
    );
  });

  it('count the brackets and interpolations HCL nests, not those in comments or literal text', () => {
    expect(hclNesting('a = [[1]]\n', 10).depth).toBe(2);
    expect(hclNesting('a = f((1))\nb { c = { d = [] } }\n', 10).depth).toBe(3);
    expect(hclNesting('a = "${"${[1]}"}"\n', 10).depth).toBe(3);
    expect(hclNesting('a = <<EOT\n${[[1]]}\n[[[[[\nEOT\nb = 1\n', 10).depth).toBe(3);
    expect(hclNesting('# [[[[\n/* {{{{ */ a = "[[[[ $${[[[[" // ((((\n', 10).depth).toBe(0);
    expect(hclNesting(`a = ${'['.repeat(300)}`, 200)).toMatchObject({ depth: 300, overAt: 204 });
  });
});
