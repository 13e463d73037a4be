import type { SourceLocation } from '../../model/location.js';
import { parseIgnoreDirective, type IgnoreDirective, type IgnoreDirectiveError } from './directive.js';

/** The comment syntaxes inline suppressions are written in. */
export type CommentSyntax = 'hcl' | 'yaml' | 'xml';

/** A `gatewarden:ignore` comment and the lines it covers. */
export interface CommentSuppression {
  readonly directive: IgnoreDirective | IgnoreDirectiveError;
  /** The comment itself. */
  readonly location: SourceLocation;
  /**
   * The lines covered: the block, attribute or element the comment is on or directly above (stacked
   * comments and blank lines in between are allowed). Undefined when nothing follows the comment.
   */
  readonly scope?: { readonly startLine: number; readonly endLine: number };
}

const MARKER = 'gatewarden:ignore';

/**
 * The comment syntax of a file, by extension. JSON has no comments: its suppressions live in the
 * document (CloudFormation `Metadata`, OpenAPI `x-gatewarden-ignore`).
 */
export function commentSyntaxOf(file: string): CommentSyntax | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tf') || lower.endsWith('.hcl') || lower.endsWith('.tfvars') || lower.endsWith('.tftpl')) return 'hcl';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.xml') || lower.endsWith('.cshtml')) return 'xml';
  return undefined;
}

/**
 * Finds the `gatewarden:ignore` comments of a file: `#` and `//` (and `/* *\/`) in HCL, `#` in YAML,
 * `<!-- -->` in XML, including XML policy documents written in Terraform heredocs. A comment at the end
 * of a line covers that line (and the block it opens); a comment on its own line covers the next
 * block, attribute or element. The marker anywhere else (inside a string, in prose) is not a comment.
 */
export function findIgnoreComments(file: string, text: string): CommentSuppression[] {
  const syntax = commentSyntaxOf(file);
  if (syntax === undefined || !text.includes(MARKER)) return [];
  const lines = text.split(/\r?\n/);
  const out: CommentSuppression[] = [];
  lines.forEach((line, index) => {
    let from = 0;
    for (;;) {
      const at = line.indexOf(MARKER, from);
      if (at < 0) break;
      from = at + MARKER.length;
      const opener = /(^|\s)(#|\/\/|\/\*|<!--)[ \t]*$/.exec(line.slice(0, at));
      if (!opener || (syntax === 'yaml' && opener[2] !== '#') || (syntax === 'xml' && opener[2] !== '<!--')) continue;
      // The marker inside a quoted string (a description that mentions it) is not a comment.
      if (insideString(line.slice(0, opener.index + opener[1]!.length))) continue;
      const kind = opener[2]!;
      const codeBefore = line.slice(0, opener.index + opener[1]!.length).trim() !== '';
      const body = line.slice(from).replace(/\s*(-->|\*\/).*$/, '');
      const lineNumber = index + 1;
      const target = codeBefore ? index : nextCodeLine(lines, index + 1);
      const scopeSyntax: CommentSyntax = kind === '<!--' ? 'xml' : syntax;
      out.push({
        directive: parseIgnoreDirective(body),
        location: { file, startLine: lineNumber, startColumn: opener.index + opener[1]!.length + 1, endLine: lineNumber, endColumn: line.length + 1 },
        ...(target !== undefined ? { scope: { startLine: target + 1, endLine: blockEnd(lines, target, scopeSyntax) + 1 } } : {}),
      });
    }
  });
  return out;
}

/** Whether a line prefix ends inside a double- or single-quoted string. */
function insideString(prefix: string): boolean {
  let quote: string | undefined;
  for (let at = 0; at < prefix.length; at++) {
    const char = prefix[at]!;
    if (quote === undefined) {
      // An apostrophe inside a word (`it's`) does not open a single-quoted string.
      if (char === '"' || (char === "'" && (at === 0 || /[\s:=[,{(]/.test(prefix[at - 1]!)))) quote = char;
    } else if (char === '\\' && quote === '"') at++;
    else if (char === quote) quote = undefined;
  }
  return quote !== undefined;
}

/** The next line (0-based) that is neither blank nor only a comment. */
function nextCodeLine(lines: readonly string[], from: number): number | undefined {
  for (let index = from; index < lines.length; index++) {
    const trimmed = lines[index]!.trim();
    if (trimmed === '' || /^(#|\/\/|\/\*|\*|<!--)/.test(trimmed)) continue;
    return index;
  }
  return undefined;
}

/** The last line (0-based) of the block, attribute or element that starts on line `start`. */
function blockEnd(lines: readonly string[], start: number, syntax: CommentSyntax): number {
  if (syntax === 'yaml') return yamlBlockEnd(lines, start);
  if (syntax === 'xml') return xmlElementEnd(lines, start);
  return hclBlockEnd(lines, start);
}

/** A YAML node ends before the next line indented no deeper than its key (comments and blanks do not end it). */
function yamlBlockEnd(lines: readonly string[], start: number): number {
  const indent = indentation(lines[start]!);
  let end = start;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (indentation(line) <= indent) break;
    end = index;
  }
  return end;
}

function indentation(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/**
 * An HCL block or multi-line value ends where its brackets balance. Strings, comments and heredocs are
 * skipped so that a `{` inside them does not count.
 */
function hclBlockEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  let heredoc: string | undefined;
  let blockComment = false;
  for (let index = start; index < lines.length; index++) {
    const line = lines[index]!;
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      else continue;
      if (depth <= 0) return index;
      continue;
    }
    let inString = false;
    for (let at = 0; at < line.length; at++) {
      const char = line[at]!;
      if (blockComment) {
        if (char === '*' && line[at + 1] === '/') {
          blockComment = false;
          at++;
        }
        continue;
      }
      if (inString) {
        if (char === '\\') at++;
        else if (char === '"') inString = false;
        continue;
      }
      if (char === '"') inString = true;
      else if (char === '#' || (char === '/' && line[at + 1] === '/')) break;
      else if (char === '/' && line[at + 1] === '*') {
        blockComment = true;
        at++;
      } else if (char === '{' || char === '[' || char === '(') depth++;
      else if (char === '}' || char === ']' || char === ')') depth--;
      else if (char === '<' && line[at + 1] === '<') {
        const marker = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(line.slice(at));
        if (marker) {
          heredoc = marker[1]!;
          break;
        }
      }
    }
    if (heredoc === undefined && depth <= 0 && !blockComment) return index;
  }
  return lines.length - 1;
}

/**
 * An XML element ends at its closing tag. Tags are counted, skipping comments, processing
 * instructions and quoted attribute values (APIM policy expressions `@(...)` may hold `<` and `>`).
 */
function xmlElementEnd(lines: readonly string[], start: number): number {
  // Scanned as one text so that tags, quoted values and comments may span lines.
  const text = lines.slice(start).join('\n');
  let depth = 0;
  let line = start;
  let at = 0;
  const advanceTo = (end: number): void => {
    for (let i = at; i < end && i < text.length; i++) if (text[i] === '\n') line++;
    at = end;
  };
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt < 0) break;
    advanceTo(lt);
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      advanceTo(close < 0 ? text.length : close + 3);
      continue;
    }
    const next = text[lt + 1] ?? '';
    if (next !== '/' && !/[A-Za-z_]/.test(next)) {
      advanceTo(lt + 1);
      continue;
    }
    // The end of the tag, skipping quoted attribute values (APIM expressions hold < and >).
    let cursor = lt + 1;
    let quote: string | undefined;
    while (cursor < text.length) {
      const char = text[cursor]!;
      if (quote !== undefined) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '>') break;
      cursor++;
    }
    const selfClosing = text[cursor - 1] === '/';
    advanceTo(Math.min(cursor + 1, text.length));
    if (next === '/') depth--;
    else if (!selfClosing) depth++;
    if (depth <= 0) return Math.min(line, lines.length - 1);
  }
  return lines.length - 1;
}
