import { createRequire } from 'node:module';
import type { Node, Parser as TreeSitterParser } from 'web-tree-sitter';
import type { SourceLocation } from '../../src/model/location.js';

/** The positions tree-sitter finds, under the same keys as gatewarden's PositionIndex. */
class PositionIndex {
  private readonly locations = new Map<string, SourceLocation>();

  constructor(readonly file: string) {}

  set(path: readonly string[], location: SourceLocation): void {
    const key = path.join('\u001f');
    if (!this.locations.has(key)) this.locations.set(key, location);
  }

  entries(): IterableIterator<[string, SourceLocation]> {
    return this.locations.entries();
  }
}

let parserPromise: Promise<TreeSitterParser> | undefined;

/** Loads the tree-sitter HCL grammar once per process; the WASM module is imported lazily. */
function loadParser(): Promise<TreeSitterParser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const parser = new Parser();
    const require = createRequire(import.meta.url);
    const grammar = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm');
    parser.setLanguage(await Language.load(grammar));
    return parser;
  })();
  return parserPromise;
}

const MAX_OBJECT_DEPTH = 16;

/**
 * The reference implementation of HCL positions, from tree-sitter's concrete syntax tree (see
 * notes/stack.md §1.2). gatewarden's own scanner must agree with it; tests compare the two.
 */
export async function indexHclPositions(file: string, text: string): Promise<PositionIndex> {
  const parser = await loadParser();
  const tree = parser.parse(text);
  const index = new PositionIndex(file);
  try {
    const body = tree?.rootNode.namedChildren.find((node) => node?.type === 'body');
    if (body) indexBody(body, [], true, index);
  } finally {
    tree?.delete();
  }
  return index;
}

function location(index: PositionIndex, node: Node): { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return {
    file: index.file,
    startLine: node.startPosition.row + 1,
    startColumn: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

function indexBody(body: Node, prefix: readonly string[], topLevel: boolean, index: PositionIndex): void {
  const occurrences = new Map<string, number>();
  for (const child of body.namedChildren) {
    if (!child) continue;
    if (child.type === 'attribute') {
      const name = child.namedChildren[0]?.text;
      if (!name) continue;
      // Attributes of `locals` blocks are addressed by name alone: several locals blocks share one namespace.
      const path = [...prefix, name];
      index.set(path, location(index, child));
      const value = child.namedChildren[1];
      if (value) indexValue(value, path, index, 0);
    } else if (child.type === 'block') {
      const parts = child.namedChildren.filter((node) => node?.type === 'identifier' || node?.type === 'string_lit').map((node) => labelText(node!));
      let path: string[];
      if (topLevel) {
        path = parts[0] === 'locals' ? ['locals'] : parts;
      } else {
        const signature = parts.join('\u001f');
        const occurrence = occurrences.get(signature) ?? 0;
        occurrences.set(signature, occurrence + 1);
        path = [...prefix, ...parts, String(occurrence)];
      }
      index.set(path, location(index, child));
      const inner = child.namedChildren.find((node) => node?.type === 'body');
      if (inner) indexBody(inner, path, false, index);
    }
  }
}

function labelText(node: Node): string {
  if (node.type !== 'string_lit') return node.text;
  const literal = node.namedChildren.find((child) => child?.type === 'template_literal');
  return literal?.text ?? '';
}

/** Records keys of object literals inside an attribute value, looking through function calls. */
function indexValue(node: Node, path: readonly string[], index: PositionIndex, depth: number): void {
  if (depth > MAX_OBJECT_DEPTH) return;
  switch (node.type) {
    case 'expression':
    case 'collection_value':
    case 'function_arguments':
    case 'function_call': {
      for (const child of node.namedChildren) if (child) indexValue(child, path, index, depth + 1);
      return;
    }
    case 'object': {
      for (const element of node.namedChildren) {
        if (element?.type !== 'object_elem') continue;
        const [keyNode, valueNode] = element.namedChildren.filter((n) => n?.type === 'expression');
        if (!keyNode) continue;
        const key = objectKeyText(keyNode);
        if (key === undefined) continue;
        const childPath = [...path, key];
        index.set(childPath, location(index, element));
        if (valueNode) indexValue(valueNode, childPath, index, depth + 1);
      }
      return;
    }
    case 'tuple': {
      let position = 0;
      for (const element of node.namedChildren) {
        if (element?.type !== 'expression') continue;
        const childPath = [...path, String(position++)];
        index.set(childPath, location(index, element));
        indexValue(element, childPath, index, depth + 1);
      }
      return;
    }
    default:
      return;
  }
}

/** The literal text of an object key (`paths`, `"/users"`), or undefined for a computed key. */
function objectKeyText(node: Node): string | undefined {
  const text = node.text.trim();
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(text)) return text;
  const quoted = /^"((?:[^"\\$%]|\\.)*)"$/.exec(text);
  if (quoted) return JSON.parse(`"${quoted[1]}"`) as string;
  return undefined;
}
