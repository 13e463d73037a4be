import { lineLocation } from '../../model/location.js';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../../model/diagnostic.js';
import { PositionIndex } from './positions.js';
import { lineStarts, offsetLocation } from '../text-position.js';

/** A Terraform value as written: JSON data whose strings may hold `${...}` templates. */
export type RawValue = string | number | boolean | null | RawValue[] | RawObject;

/** A Terraform body as written: attributes, and nested blocks as lists of bodies. */
export interface RawObject {
  [key: string]: RawValue;
}

/** One parsed Terraform file: its body in `@cdktf/hcl2json` shape plus the position of every part. */
export interface TerraformFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the scan root, as shown to users. */
  readonly relPath: string;
  readonly format: 'hcl' | 'json';
  readonly body: RawObject;
  readonly positions: PositionIndex;
}

/** The outcome of reading one file: the file, or diagnostics saying why it could not be read. */
export interface ParsedFile {
  readonly file?: TerraformFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a file is Terraform JSON (parsed here) rather than HCL (parsed by hcl2json). */
export function isJsonFile(path: string): boolean {
  return path.endsWith('.json');
}

// hcl2json reports `parse config: [file:line,col-col: Summary; Detail]`, several space-joined.
const HCL_ERROR = /([^\s[]+?):(\d+),(\d+)-(?:(\d+),)?(\d+): ([^;\]]+);?\s*([^\]]*?)(?=\s+\S+?:\d+,\d+-|\]?$)/g;

/** The syntax errors reported per file. */
const MAX_PARSE_ERRORS = 5;

/** Turns an hcl2json rejection into diagnostics with file and line. */
export function hclErrorDiagnostics(relPath: string, error: unknown): Diagnostic[] {
  const message = error instanceof Error ? error.message : String(error);
  const diagnostics: Diagnostic[] = [];
  for (const match of message.matchAll(HCL_ERROR)) {
    const line = Number(match[2]);
    const column = Number(match[3]);
    const detail = (match[7] ?? '').trim();
    diagnostics.push({
      severity: 'error',
      code: 'parse-error',
      message: `${match[6]!.trim()}${detail ? `: ${detail}` : ''} (the file was not scanned; fix the syntax, e.g. with terraform validate)`,
      location: {
        file: relPath,
        startLine: line,
        startColumn: column,
        endLine: match[4] ? Number(match[4]) : line,
        endColumn: Number(match[5]),
      },
    });
  }
  if (diagnostics.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'parse-error',
      message: `could not parse HCL: ${message.slice(0, 500)} (the file was not scanned)`,
      location: lineLocation(relPath, 1),
    });
  }
  // A file of garbage gives thousands of errors: the first few say what is wrong, the rest is noise.
  if (diagnostics.length > MAX_PARSE_ERRORS) {
    const more = diagnostics.length - MAX_PARSE_ERRORS;
    const last = diagnostics[MAX_PARSE_ERRORS - 1]!;
    return [...diagnostics.slice(0, MAX_PARSE_ERRORS - 1), { ...last, message: `${last.message} (and ${more} more syntax errors in this file)` }];
  }
  return diagnostics;
}

/** Parses a `.tf.json` file (or a `.tfvars.json`) with the position of every part. */
export function parseJsonFile(path: string, relPath: string, text: string): ParsedFile {
  const lines = lineStarts(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length > 0 || !root) {
    const diagnostics: Diagnostic[] = errors.slice(0, 5).map((error) => ({
      severity: 'error',
      code: 'parse-error',
      message: `invalid JSON: ${printParseErrorCode(error.error)} (the file was not scanned)`,
      location: offsetLocation(relPath, lines, error.offset, error.offset + error.length),
    }));
    if (diagnostics.length === 0) {
      diagnostics.push({
        severity: 'error',
        code: 'parse-error',
        message: 'empty JSON document (the file was not scanned)',
        location: offsetLocation(relPath, lines, 0, 0),
      });
    }
    return { diagnostics };
  }
  if (root.type !== 'object') {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-error',
          message: 'a Terraform JSON file must hold an object at the top level (the file was not scanned)',
          location: offsetLocation(relPath, lines, root.offset, root.offset + root.length),
        },
      ],
    };
  }
  const positions = new PositionIndex(relPath, lines);
  indexJsonTopLevel(root, positions);
  const body = JSON.parse(text) as RawObject;
  return { file: { path, relPath, format: 'json', body, positions }, diagnostics: [] };
}

/** A character range, end exclusive. */
type Range = [number, number];

/**
 * Indexes a `.tf.json` file with the same paths the HCL reader uses. JSON cannot tell a nested block
 * from an object attribute, so objects are recorded both ways (`tags/k` and `settings/0/k`).
 */
function indexJsonTopLevel(root: JsonNode, index: PositionIndex): void {
  const loc = (node: JsonNode): Range => [node.offset, node.offset + node.length];
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const blockType = String(keyNode.value);
    if (blockType === 'locals') {
      for (const locals of valueNode.type === 'array' ? (valueNode.children ?? []) : [valueNode]) indexJsonBody(locals, ['locals'], index, loc, 0);
      continue;
    }
    // resource/data: type -> name -> body; variable/module/output/provider: name -> body.
    const labelDepth = blockType === 'resource' || blockType === 'data' ? 2 : blockType === 'terraform' ? 0 : 1;
    indexJsonLabels(valueNode, [blockType], labelDepth, index, loc);
  }
}

function indexJsonLabels(
  node: JsonNode,
  path: string[],
  depth: number,
  index: PositionIndex,
  loc: (node: JsonNode) => Range,
): void {
  const objects = node.type === 'array' ? (node.children ?? []) : [node];
  for (const object of objects) {
    if (object.type !== 'object') continue;
    if (depth === 0) {
      index.set(path, ...loc(object));
      indexJsonBody(object, path, index, loc, 0);
      continue;
    }
    for (const property of object.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      const childPath = [...path, String(keyNode.value)];
      if (depth === 1) index.set(childPath, ...loc(property));
      indexJsonLabels(valueNode, childPath, depth - 1, index, loc);
    }
  }
}

function indexJsonBody(
  node: JsonNode,
  path: readonly string[],
  index: PositionIndex,
  loc: (node: JsonNode) => Range,
  depth: number,
): void {
  if (depth > 16 || node.type !== 'object') return;
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const attrPath = [...path, key];
    index.set(attrPath, ...loc(property));
    if (valueNode.type === 'object') {
      indexJsonBody(valueNode, attrPath, index, loc, depth + 1);
      index.set([...attrPath, '0'], ...loc(valueNode));
      indexJsonBody(valueNode, [...attrPath, '0'], index, loc, depth + 1);
    } else if (valueNode.type === 'array') {
      (valueNode.children ?? []).forEach((element, i) => {
        const elementPath = [...attrPath, String(i)];
        index.set(elementPath, ...loc(element));
        indexJsonBody(element, elementPath, index, loc, depth + 1);
      });
    }
  }
}
