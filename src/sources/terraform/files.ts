import { lineLocation } from '../../model/location.js';
import { printParseErrorCode, type Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic } from '../../model/diagnostic.js';
import { PositionIndex } from '../view/positions.js';
import { offsetLocation } from '../text-position.js';
import { parseJsonTree } from '../json-positions.js';
import { DEFAULT_LIMITS, limitDiagnostic } from '../../limits.js';
import type { ReaderLimits } from '../nesting.js';

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

// hcl2json reports `parse config: [file:line,col-col: Summary; Detail file:line,...]`: each entry's
// range, then its text up to the next entry's file name. A range is found by this anchored pattern
// and the text between ranges is cut with indexOf, so a message of any size is read in linear time
// (the regular expression used before backtracked for minutes on long messages).
const HCL_RANGE = /:(\d+),(\d+)-(?:(\d+),)?(\d+): /g;
/** hcl2json lists every error; a file of random bytes gives over a hundred thousand. */
const MAX_HCL_ERRORS = 5;
/** How much of an unrecognised parser message is quoted. */
const MAX_MESSAGE = 500;

// The HCL parser wrapper (hcl-parser.ts) reports a body nested over the depth limit as an error
// message in this form, so that it reaches hclErrorDiagnostics() through the same path as syntax
// errors and becomes a `limit` diagnostic there.
const DEPTH_ERROR = /^gatewarden: depth limit (\d+), found (\d+), at (\d+),(\d+)$/;

const TIME_ERROR = /^gatewarden: hcl-parse-time limit (\d+)$/;

/** The error message for an HCL file the parser was stopped on, over the `hcl-parse-time` limit; see {@link hclErrorDiagnostics}. */
export function hclTimeError(limit: number): string {
  return `gatewarden: hcl-parse-time limit ${limit}`;
}

/** The error message for an HCL file whose parsed body nests deeper than the limit; see {@link hclErrorDiagnostics}. */
export function hclDepthError(limit: number, found: number, line: number, column: number): string {
  return `gatewarden: depth limit ${limit}, found ${found}, at ${line},${column}`;
}

/**
 * Turns an hcl2json rejection into diagnostics with file and line: the first few syntax errors
 * (`parse-error`), or the `limit` diagnostic of a body over the depth limit ({@link hclDepthError}).
 */
export function hclErrorDiagnostics(relPath: string, error: unknown): Diagnostic[] {
  const message = error instanceof Error ? error.message : String(error);
  const time = TIME_ERROR.exec(message);
  if (time) {
    return [
      limitDiagnostic({
        name: 'hcl-parse-time',
        limit: Number(time[1]),
        what: 'the HCL parser took too long on the file (a heredoc of tens of thousands of lines does this) and was stopped; it was not scanned',
        location: lineLocation(relPath, 1),
      }),
    ];
  }
  const depth = DEPTH_ERROR.exec(message);
  if (depth) {
    const [line, column] = [Number(depth[3]), Number(depth[4])];
    return [
      limitDiagnostic({
        name: 'depth',
        limit: Number(depth[1]),
        found: Number(depth[2]),
        what: `the file nests ${Number(depth[2]).toLocaleString('en-US')} levels deep; it was not scanned`,
        location: { file: relPath, startLine: line, startColumn: column, endLine: line, endColumn: column + 1 },
      }),
    ];
  }
  const ranges: RegExpExecArray[] = [];
  HCL_RANGE.lastIndex = 0;
  for (let match = HCL_RANGE.exec(message); match && ranges.length <= MAX_HCL_ERRORS; match = HCL_RANGE.exec(message)) ranges.push(match);
  const diagnostics: Diagnostic[] = ranges.slice(0, MAX_HCL_ERRORS).map((match, i) => {
    const next = ranges[i + 1];
    // The entry's text ends where the next entry's file name starts: the name hcl2json was given
    // (relPath, which may hold spaces), else the word before the range.
    const nameStart = next && message.startsWith(relPath, next.index - relPath.length) ? next.index - relPath.length : next ? message.lastIndexOf(' ', next.index) + 1 : message.length;
    const end = Math.max(nameStart, match.index + match[0].length);
    const text = message.slice(match.index + match[0].length, end).replace(/\]\s*$/, '');
    const semicolon = text.indexOf(';');
    const summary = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
    const detail = semicolon < 0 ? '' : text.slice(semicolon + 1).trim();
    const line = Number(match[1]);
    const more = i === MAX_HCL_ERRORS - 1 && ranges.length > MAX_HCL_ERRORS ? '; further errors are not listed' : '';
    return {
      severity: 'error',
      code: 'parse-error',
      message: `${summary}${detail ? `: ${detail}` : ''} (the file was not scanned; fix the syntax, e.g. with terraform validate${more})`,
      location: {
        file: relPath,
        startLine: line,
        startColumn: Number(match[2]),
        endLine: match[3] ? Number(match[3]) : line,
        endColumn: Number(match[4]),
      },
    };
  });
  if (diagnostics.length === 0 && message.includes('Maximum call stack size exceeded')) {
    // hcl2json recursed too deep on a shape its text measure does not see (a very long `!!!...` chain, say).
    diagnostics.push({
      severity: 'error',
      code: 'parse-error',
      message: 'the file nests too deeply for the HCL parser, whose stack overflowed (the file was not scanned)',
      location: lineLocation(relPath, 1),
    });
  }
  if (diagnostics.length === 0) {
    const quoted = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message;
    diagnostics.push({
      severity: 'error',
      code: 'parse-error',
      message: `could not parse HCL: ${quoted} (the file was not scanned)`,
      location: lineLocation(relPath, 1),
    });
  }
  return diagnostics;
}

/**
 * Parses a `.tf.json` file (or a `.tfvars.json`) with the position of every part. A file nested
 * deeper than `limits.depth` is not read (a `limit` diagnostic): the JSON parser recurses per level.
 */
export function parseJsonFile(path: string, relPath: string, text: string, limits: Pick<ReaderLimits, 'depth'> = DEFAULT_LIMITS): ParsedFile {
  // Terraform's JSON syntax has no comments (a `//` key is its comment), and JSON.parse below rejects them.
  const parsed = parseJsonTree(text, { file: relPath, what: 'the file', depth: limits.depth, lenient: false });
  if ('tooDeep' in parsed) return { diagnostics: [parsed.tooDeep] };
  const { starts: lines, root, errors } = parsed;
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
