import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { lineStarts, positionAt } from '../text-position.js';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

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
}

/**
 * Parses JSON or YAML text (an OpenAPI body, a spec file) keeping line positions. JSON goes through
 * jsonc-parser, which is far faster than a YAML parser on large JSON (notes/stack.md §2).
 */
export function parseTextDocument(text: string): TextDocument | TextDocumentError {
  return text.trimStart().startsWith('{') ? parseJson(text) : parseYamlText(text);
}

function parseJson(text: string): TextDocument | TextDocumentError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  let tree: JsonNode | undefined;
  let starts: number[] | undefined;
  return {
    data,
    lineOf(path) {
      tree ??= parseTree(text);
      starts ??= lineStarts(text);
      if (!tree) return undefined;
      for (let length = path.length; length >= 0; length--) {
        const node = findNodeAtLocation(tree, [...path.slice(0, length)]);
        if (node) return positionAt(starts, node.parent?.type === 'property' ? node.parent.offset : node.offset).line;
      }
      return undefined;
    },
  };
}

function parseYamlText(text: string): TextDocument | TextDocumentError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    return { error: firstError.message.split('\n')[0] ?? 'invalid YAML', line };
  }
  return {
    data: doc.toJS({ maxAliasCount: 1000 }),
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = node && (node as YamlNode).range ? lineCounter.linePos((node as YamlNode).range![0]).line : undefined;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
          if (!pair) break;
          const key = pair.key as YamlNode;
          if (key.range) line = lineCounter.linePos(key.range[0]).line;
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
