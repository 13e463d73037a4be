import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { jsonSyntaxError } from '../json-syntax.js';
import { lineStarts, positionAt } from '../text-position.js';
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { DEFAULT_LIMITS, type LimitHit } from '../../limits.js';
import { describeNesting, jsonNestingOverflow, valueNestingOverflow, type NestingOverflow, type ReaderLimits } from '../nesting.js';
import { quoteBareTokens, restoreUnknowns, type PartialText } from '../view/partial-text.js';
import { aliasExpansionOverflow, aliasResolver, parseYamlLikeLibyaml } from '../yaml.js';

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
  /**
   * Set when the document was not read because it is over a limit (its nesting depth, or the nodes
   * its YAML aliases add): the caller reports `limitDiagnostic({ ...limit, location })` instead of a
   * `parse-error`, with `error` as the reason.
   */
  readonly limit?: Omit<LimitHit, 'location' | 'address'>;
}

/**
 * Parses JSON or YAML text (an OpenAPI body, a spec file) keeping line positions. JSON goes through
 * jsonc-parser, which is far faster than a YAML parser on large JSON (notes/stack.md §2). A document
 * nested deeper than `limits.depth`, or whose YAML aliases would add more than
 * `limits['yaml-alias-nodes']` nodes, is an error with `limit` set.
 */
export function parseTextDocument(text: string, limits: ReaderLimits = DEFAULT_LIMITS): TextDocument | TextDocumentError {
  return text.trimStart().startsWith('{') ? parseJson(text, limits) : parseYamlText(text, limits);
}

/** The error for a document nested deeper than the limit, at the line where it goes over. */
function tooDeepError(overflow: NestingOverflow, line: number, limit: number): TextDocumentError {
  const what = `the document nests ${describeNesting(overflow, limit)} deep; it was not scanned`;
  return { error: `${what} (over the "depth" limit of ${limit})`, line, limit: { name: 'depth', limit, what, ...(overflow.atLeast ? {} : { found: overflow.depth }) } };
}

function parseJson(text: string, limits: ReaderLimits): TextDocument | TextDocumentError {
  // JSON.parse copes with any depth, but jsonc-parser (for lines) and every walk of the data recurse.
  const tooDeep = jsonNestingOverflow(text, limits.depth);
  if (tooDeep) return tooDeepError(tooDeep, positionAt(lineStarts(text), tooDeep.offset).line, limits.depth);
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
      // The last of keys given twice, as JSON.parse keeps.
      if (key && value) keys.set(String(key.value), value);
    }
    jsonKeys.set(node, keys);
  }
  return keys.get(String(segment));
}

const yamlKeys = new WeakMap<object, Map<string, { key: YamlNode; value: unknown }>>();

/** The pair under a YAML mapping key (the last of keys given twice, as `toJS()` keeps), through a key index built once per mapping. */
function yamlPair(map: { items: unknown[] }, segment: string | number): { key: YamlNode; value: unknown } | undefined {
  let keys = yamlKeys.get(map);
  if (!keys) {
    keys = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key)) keys.set(String(item.key.value), { key: item.key as YamlNode, value: item.value });
    }
    yamlKeys.set(map, keys);
  }
  return keys.get(String(segment));
}

function parseYamlText(text: string, limits: ReaderLimits): TextDocument | TextDocumentError {
  // Read as the gateways' importers read YAML (libyaml-based parsers): see parseYamlLikeLibyaml.
  const parsed = parseYamlLikeLibyaml(text, { uniqueKeys: false }, limits.depth);
  if ('tooDeep' in parsed) return tooDeepError(parsed.tooDeep, positionAt(lineStarts(text), parsed.tooDeep.offset).line, limits.depth);
  const { document: doc, lineCounter } = parsed;
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    return { error: firstError.message.split('\n')[0] ?? 'invalid YAML', line };
  }
  // Measured before toJS() expands anything: an alias bomb is refused, not built.
  const aliasNodes = limits['yaml-alias-nodes'];
  const bomb = aliasExpansionOverflow(doc, aliasResolver(doc), aliasNodes);
  if (bomb) {
    const what = `the document's YAML aliases expand to ${bomb.nodes === undefined ? 'too many' : bomb.nodes.toLocaleString('en-US')} nodes (an alias bomb?); it was not scanned`;
    return { error: `${what} (over the "yaml-alias-nodes" limit of ${aliasNodes})`, line: 1, limit: { name: 'yaml-alias-nodes', limit: aliasNodes, what, ...(bomb.nodes !== undefined ? { found: bomb.nodes } : {}) } };
  }
  let data: unknown;
  try {
    // maxAliasCount: the check above bounds the expansion; the library's own count would refuse far smaller documents.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    return { error: `the document could not be read (${error instanceof Error ? error.message : String(error)})`, line: 1 };
  }
  const tooDeep = valueNestingOverflow(data, limits.depth);
  // Aliases can nest the data deeper than the text is (a chain of anchors).
  if (tooDeep) return tooDeepError({ offset: 0, depth: tooDeep.depth }, 1, limits.depth);
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

/**
 * Parses text that may have unknown parts (see partial-text.ts): the text with its tokens, then the
 * tokens turned back into the unknowns they stand for. A token where a JSON value goes
 * (`"paths": ${jsonencode(var.paths)}`) is quoted first, so that it reads as an unknown value.
 */
export function parseTextWithHoles(text: string | PartialText, limits: ReaderLimits = DEFAULT_LIMITS): TextDocument | TextDocumentError {
  if (typeof text === 'string') return parseTextDocument(text, limits);
  const json = text.text.trimStart().startsWith('{');
  const parsed = parseTextDocument(json ? quoteBareTokens(text.text) : text.text, limits);
  if (isTextDocumentError(parsed)) return parsed;
  return { data: restoreUnknowns(parsed.data, text.holes), lineOf: (path) => parsed.lineOf(path) };
}

/** Tells whether a parse result is an error. */
export function isTextDocumentError(result: TextDocument | TextDocumentError): result is TextDocumentError {
  return 'error' in result;
}
