import type { CommentSuppression } from '../../model/findings.js';
import { parseIgnoreDirective } from './directive.js';

export type { CommentSuppression } from '../../model/findings.js';

/** The comment syntaxes inline suppressions are written in. */
export type CommentSyntax = 'hcl' | 'yaml' | 'xml';


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
  const nextCode = nextCodeLines(lines);
  // Scopes are found by scanning forward from each comment. A file of many comments above long or
  // unclosed blocks would make that quadratic, so the scans share a budget of characters; past it a
  // comment covers its target line only (a narrower suppression: more findings, never fewer).
  const scopes = new ScopeFinder(lines, SCOPE_BUDGET_PER_CHARACTER * text.length + SCOPE_BUDGET_BASE);
  lines.forEach((line, index) => {
    const quotes = new QuoteScanner(line);
    let from = 0;
    for (;;) {
      const at = line.indexOf(MARKER, from);
      if (at < 0) break;
      from = at + MARKER.length;
      const opener = commentOpenerBefore(line, at);
      if (!opener || (syntax === 'yaml' && opener.kind !== '#') || (syntax === 'xml' && opener.kind !== '<!--')) continue;
      // The marker inside a quoted string (a description that mentions it) is not a comment.
      if (quotes.insideStringAt(opener.start)) continue;
      const codeBefore = line.slice(0, opener.start).trim() !== '';
      const body = line.slice(from).replace(/\s*(-->|\*\/).*$/, '');
      const lineNumber = index + 1;
      const target = codeBefore ? index : nextCode[index + 1];
      const scopeSyntax: CommentSyntax = opener.kind === '<!--' ? 'xml' : syntax;
      out.push({
        directive: parseIgnoreDirective(body),
        location: { file, startLine: lineNumber, startColumn: opener.start + 1, endLine: lineNumber, endColumn: line.length + 1 },
        ...(target !== undefined ? { scope: { startLine: target + 1, endLine: scopes.blockEnd(target, scopeSyntax) + 1 } } : {}),
      });
    }
  });
  return out;
}

/**
 * Characters the scope scans of one file may read in all: a few times the file, and at least enough
 * for any ordinary file to be read many times over (a megabyte is scanned in milliseconds).
 */
const SCOPE_BUDGET_PER_CHARACTER = 4;
const SCOPE_BUDGET_BASE = 4_000_000;

const OPENERS = ['<!--', '//', '/*', '#'] as const;

/**
 * The comment opener that ends just before `at` (spaces and tabs in between allowed), when it starts
 * the line or follows white space: `# gatewarden:ignore`, `x = 1 // gatewarden:ignore`. It looks
 * backwards from the marker only, so that many markers on one long line cost no more than the line.
 */
function commentOpenerBefore(line: string, at: number): { readonly kind: (typeof OPENERS)[number]; readonly start: number } | undefined {
  let end = at;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  for (const kind of OPENERS) {
    const start = end - kind.length;
    if (start < 0 || !line.startsWith(kind, start)) continue;
    return start === 0 || /\s/.test(line[start - 1]!) ? { kind, start } : undefined;
  }
  return undefined;
}

/**
 * Tells whether positions of a line are inside a double- or single-quoted string, for positions asked
 * in increasing order: the line is scanned once, however many markers it holds.
 */
class QuoteScanner {
  private at = 0;
  private quote: string | undefined;

  constructor(private readonly line: string) {}

  /** Whether the text before `position` ends inside a string. */
  insideStringAt(position: number): boolean {
    const line = this.line;
    for (; this.at < position; this.at++) {
      const char = line[this.at]!;
      if (this.quote === undefined) {
        // An apostrophe inside a word (`it's`) does not open a single-quoted string.
        if (char === '"' || (char === "'" && (this.at === 0 || /[\s:=[,{(]/.test(line[this.at - 1]!)))) this.quote = char;
      } else if (char === '\\' && this.quote === '"') this.at++;
      else if (char === this.quote) this.quote = undefined;
    }
    return this.quote !== undefined;
  }
}

/** For each line (0-based), the first line from it on that is neither blank nor only a comment. */
function nextCodeLines(lines: readonly string[]): Array<number | undefined> {
  const next = new Array<number | undefined>(lines.length + 1).fill(undefined);
  for (let index = lines.length - 1; index >= 0; index--) next[index] = isCodeLine(lines[index]!) ? index : next[index + 1];
  return next;
}

/** Whether a line is neither blank nor only a comment. */
function isCodeLine(line: string): boolean {
  const trimmed = line.trim();
  return !(trimmed === '' || /^(#|\/\/|\/\*|\*|<!--)/.test(trimmed));
}

/** Finds where blocks end, within a budget of scanned characters shared by all the comments of a file. */
class ScopeFinder {
  /** The lines joined with `\n`, for XML elements (which may span lines), built on first use. */
  private text?: string;
  /** Where each line starts in that text, and where the text ends. */
  private readonly starts: number[] = [];

  constructor(
    private readonly lines: readonly string[],
    private budget: number,
  ) {
    let offset = 0;
    for (const line of lines) {
      this.starts.push(offset);
      offset += line.length + 1;
    }
    this.starts.push(offset);
  }

  /** The last line (0-based) of the block, attribute or element that starts on line `start`. */
  blockEnd(start: number, syntax: CommentSyntax): number {
    if (this.budget <= 0) return start;
    let end: number;
    if (syntax === 'yaml') end = yamlBlockEnd(this.lines, start);
    else if (syntax === 'xml') end = xmlElementEnd((this.text ??= this.lines.join('\n')), this.starts, this.lines.length, start);
    else end = hclBlockEnd(this.lines, start);
    // What was read: the block, and the line after it that ended it.
    this.budget -= this.starts[Math.min(end + 2, this.lines.length)]! - this.starts[start]!;
    return end;
  }
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
 * The text is the file's lines joined once (tags, quoted values and comments may span lines), read
 * from the start line on: joining the rest of the file for every comment was quadratic.
 */
function xmlElementEnd(text: string, starts: readonly number[], lineCount: number, start: number): number {
  let depth = 0;
  let line = start;
  let at = starts[start]!;
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
    if (depth <= 0) return Math.min(line, lineCount - 1);
  }
  return lineCount - 1;
}
