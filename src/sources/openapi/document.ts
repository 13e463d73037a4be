import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { jsonSyntaxError } from '../json-syntax.js';
import { lineStarts, positionAt } from '../text-position.js';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { DEFAULT_LIMITS, type LimitName, type Limits } from '../../limits.js';
import { aliasExpansion, textDepth } from '../input-limits.js';

/** An OpenAPI (or any JSON/YAML) document parsed from text, with line lookup by path. */
export interface TextDocument {
  readonly data: unknown;
  /** 1-based line (within the text) of the value at a path, or of its nearest ancestor that has one. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** A document that failed to parse: the parser's message and, when known, the line. */
export interface TextDocumentError {
  readonly error: string;
  readonly line?: number;
  /** When a limit stopped the reading (rather than a syntax error): which, and what went over it, so callers can say how to raise it. */
  readonly limit?: { readonly name: LimitName; readonly limit: number; readonly what: string };
}

/**
 * Parses JSON or YAML text (an OpenAPI body, a spec file) keeping line positions. JSON goes through
 * jsonc-parser, which is far faster than a YAML parser on large JSON (notes/stack.md §2). A document
 * nested deeper than the `depth` limit, or whose YAML aliases expand past `yaml-alias-nodes`, is an
 * error that names the limit.
 */
export function parseTextDocument(text: string, limits: Pick<Limits, 'depth' | 'yaml-alias-nodes'> = DEFAULT_LIMITS): TextDocument | TextDocumentError {
  const json = text.trimStart().startsWith('{');
  if (textDepth(text, json ? 'json' : 'yaml', limits.depth) > limits.depth) {
    return overLimit('depth', limits.depth, `it nests deeper than ${limits.depth} levels`);
  }
  return json ? parseJson(text) : parseYamlText(text, limits);
}

function overLimit(name: LimitName, limit: number, what: string): TextDocumentError {
  return { error: `${what}: over the "${name}" limit, which --limit ${name}=VALUE raises`, limit: { name, limit, what } };
}

function parseJson(text: string): TextDocument | TextDocumentError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const { message, line } = jsonSyntaxError(text);
    return { error: message, line };
  }
  let tree: JsonNode | undefined;
  let starts: number[] | undefined;
  return {
    data,
    lineOf(path) {
      tree ??= parseTree(text);
      starts ??= lineStarts(text);
      if (!tree) return undefined;
      // Walk down with a key index per object: a spec's `paths` can hold tens of thousands of keys.
      let node: JsonNode = tree;
      let offset = tree.offset;
      for (const segment of path) {
        const next = jsonChild(node, segment);
        if (!next) break;
        node = next;
        offset = next.parent?.type === 'property' ? next.parent.offset : next.offset;
      }
      return positionAt(starts, offset).line;
    },
  };
}

const jsonKeys = new WeakMap<JsonNode, Map<string, JsonNode>>();

/** The value node under an object key or array index, through a key index built once per object. */
function jsonChild(node: JsonNode, segment: string | number): JsonNode | undefined {
  if (node.type === 'array') return node.children?.[Number(segment)];
  if (node.type !== 'object') return undefined;
  let keys = jsonKeys.get(node);
  if (!keys) {
    keys = new Map();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key && value && !keys.has(String(key.value))) keys.set(String(key.value), value);
    }
    jsonKeys.set(node, keys);
  }
  return keys.get(String(segment));
}

const yamlKeys = new WeakMap<object, Map<string, { key: YamlNode; value: unknown }>>();

/** The pair under a YAML mapping key, through a key index built once per mapping. */
function yamlPair(map: { items: unknown[] }, segment: string | number): { key: YamlNode; value: unknown } | undefined {
  let keys = yamlKeys.get(map);
  if (!keys) {
    keys = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !keys.has(String(item.key.value))) keys.set(String(item.key.value), { key: item.key as YamlNode, value: item.value });
    }
    yamlKeys.set(map, keys);
  }
  return keys.get(String(segment));
}

function parseYamlText(text: string, limits: Pick<Limits, 'yaml-alias-nodes'>): TextDocument | TextDocumentError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    return { error: firstError.message.split('\n')[0] ?? 'invalid YAML', line };
  }
  const limit = limits['yaml-alias-nodes'];
  if (aliasExpansion(doc, limit) > limit) {
    return overLimit('yaml-alias-nodes', limit, `its YAML aliases (*anchor) expand to more than ${limit.toLocaleString('en-US')} nodes (an alias bomb?)`);
  }
  let data: unknown;
  try {
    // The expansion is bounded above; yaml's own heuristic (maxAliasCount) would refuse some honest documents.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    // An alias inside the node it names (a cycle) is refused by toJS.
    return { error: `the YAML could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  return {
    data,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = node && (node as YamlNode).range ? lineCounter.linePos((node as YamlNode).range![0]).line : undefined;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = yamlPair(node, segment);
          if (!pair) break;
          if (pair.key.range) line = lineCounter.linePos(pair.key.range[0]).line;
          node = pair.value;
        } else if (isSeq(node)) {
          const item = node.items[Number(segment)] as YamlNode | undefined;
          if (!item) break;
          if (item.range) line = lineCounter.linePos(item.range[0]).line;
          node = item;
        } else {
          break;
        }
      }
      return line;
    },
  };
}

/** Tells whether a parse result is an error. */
export function isTextDocumentError(result: TextDocument | TextDocumentError): result is TextDocumentError {
  return 'error' in result;
}
