import { DEFAULT_LIMITS } from '../../limits.js';
import { lineStarts } from '../text-position.js';
import { HEREDOC_TEXT } from './positions.js';
import { PositionIndex } from '../view/positions.js';

/**
 * Indexes the position of every block, attribute, object-literal key and tuple element of an HCL
 * file in one pass over its characters.
 *
 * Values come from `@cdktf/hcl2json`, which has no positions and has already rejected files that do
 * not parse, so this scanner only needs HCL's lexical structure (strings with `${}` templates,
 * heredocs, three comment styles, brackets) to find where things start and end. It replaced a
 * tree-sitter CST walk that cost as much as hcl2json itself; test/sources/terraform/hcl-scanner.test.ts
 * holds it to tree-sitter's positions on every .tf file in the repository. On malformed input it
 * never throws or loops: it skips to the next line. Blocks nested deeper than `depthLimit` are skipped
 * without indexing their insides (hcl2json's body is then over the same limit and not read).
 */
export function scanHclPositions(file: string, text: string, depthLimit = DEFAULT_LIMITS.depth): PositionIndex {
  const index = new PositionIndex(file, lineStarts(text));
  new HclScanner(text, index, depthLimit).file();
  return index;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
const MAX_DEPTH = 16;

type Terminators = ReadonlySet<string>;
const STATEMENT: Terminators = new Set(['}']);
const OBJECT_VALUE: Terminators = new Set([',', '}']);
const TUPLE_ELEMENT: Terminators = new Set([',', ']']);
const CALL_ARGUMENT: Terminators = new Set([',', ')']);
const KEY_END: Terminators = new Set(['=', ':', '}']);

class HclScanner {
  private pos = 0;
  /** Where the last heredoc's `<<` was. */
  private heredocStart = 0;

  constructor(
    private readonly src: string,
    private readonly index: PositionIndex,
    private readonly depthLimit: number,
  ) {}

  file(): void {
    this.body([], true, 0);
  }

  /** Skips spaces, tabs and comments; newlines too when `newlines` is set. Stops before a `#`/`//` comment's newline. */
  private trivia(newlines: boolean): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) this.lineComment();
      else if (c === '/' && s[this.pos + 1] === '*') this.blockComment();
      else return;
    }
  }

  private lineComment(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.src.length : end;
  }

  private blockComment(): void {
    const end = this.src.indexOf('*/', this.pos + 2);
    this.pos = end < 0 ? this.src.length : end + 2;
  }

  private identifier(): string | undefined {
    IDENT.lastIndex = this.pos;
    const match = IDENT.exec(this.src);
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  private skipLine(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.src.length : end + 1;
  }

  /** A body: attributes and blocks, up to the closing brace of the enclosing block (or the end). */
  private body(prefix: readonly string[], topLevel: boolean, depth: number): void {
    const occurrences = new Map<string, number>();
    const s = this.src;
    while (this.pos < s.length) {
      this.trivia(true);
      if (this.pos >= s.length) return;
      if (s[this.pos] === '}') {
        if (!topLevel) return;
        this.pos++;
        continue;
      }
      const start = this.pos;
      const name = this.identifier();
      if (name === undefined) {
        this.skipLine();
        continue;
      }
      this.trivia(false);
      const c = s[this.pos];
      if (c === '=' && s[this.pos + 1] !== '=') {
        this.pos++;
        const path = [...prefix, name];
        const end = this.expression(path, STATEMENT, true, 0);
        this.index.set(path, start, end);
        continue;
      }
      const labels: string[] = [];
      while (this.pos < s.length && s[this.pos] !== '{') {
        if (s[this.pos] === '"') {
          const label = this.simpleString();
          if (label === undefined) break;
          labels.push(label);
        } else {
          const label = this.identifier();
          if (label === undefined) break;
          labels.push(label);
        }
        this.trivia(false);
      }
      if (s[this.pos] !== '{') {
        this.skipLine();
        continue;
      }
      this.pos++;
      let path: string[];
      if (topLevel) {
        path = name === 'locals' ? ['locals'] : [name, ...labels];
      } else {
        const signature = [name, ...labels].join('\u001f');
        const occurrence = occurrences.get(signature) ?? 0;
        occurrences.set(signature, occurrence + 1);
        path = [...prefix, name, ...labels, String(occurrence)];
      }
      if (depth < this.depthLimit) {
        this.body(path, false, depth + 1);
        if (s[this.pos] === '}') this.pos++;
      } else {
        // Too deep to recurse into: skip the block, closing brace included.
        this.skipNested(['}']);
      }
      this.index.set(path, start, this.pos);
    }
  }

  /**
   * Scans one expression and returns the offset just after its last character. When `path` is set
   * and the expression is an object or tuple constructor (possibly inside function calls), its keys
   * and elements are indexed under `path`. Ends before a terminator at nesting depth 0, or before a
   * newline when `newlineEnds` is set.
   */
  private expression(path: readonly string[] | undefined, terminators: Terminators, newlineEnds: boolean, depth: number): number {
    const s = this.src;
    this.trivia(!newlineEnds);
    let end = this.pos;
    let first = true;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\n') {
        if (newlineEnds) break;
        this.pos++;
        continue;
      }
      if (terminators.has(c)) break;
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
        continue;
      }
      if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        this.lineComment();
        continue;
      }
      if (c === '/' && s[this.pos + 1] === '*') {
        this.blockComment();
        continue;
      }
      const structured = first && path !== undefined && depth < MAX_DEPTH;
      if (c === '{') {
        if (structured && !this.startsFor()) this.object(path, depth);
        else this.balanced('{', '}');
      } else if (c === '[') {
        if (structured && !this.startsFor()) this.tuple(path, depth);
        else this.balanced('[', ']');
      } else if (c === '(') {
        this.balanced('(', ')');
      } else if (c === '"') {
        this.string();
      } else if (c === '<' && s[this.pos + 1] === '<' && this.heredoc()) {
        // A heredoc's lines are the file's lines: record where its text starts, so that positions inside
        // an embedded document (an APIM policy's XML) can be mapped back to file lines.
        if (first && path !== undefined) this.index.set([...path, HEREDOC_TEXT], s.indexOf('\n', this.heredocStart) + 1, this.pos);
      } else if (structured && this.callAhead()) {
        this.call(path, depth);
      } else {
        this.pos++;
      }
      first = false;
      end = this.pos;
    }
    return end;
  }

  /** `[for` / `{for`: a for expression, which is not a constructor whose keys are worth indexing. */
  private startsFor(): boolean {
    const save = this.pos;
    this.pos++;
    this.trivia(true);
    const word = this.identifier();
    this.pos = save;
    return word === 'for';
  }

  /** An identifier directly followed by `(`, as in `jsonencode(`. */
  private callAhead(): boolean {
    IDENT.lastIndex = this.pos;
    const match = IDENT.exec(this.src);
    return match !== null && this.src[this.pos + match[0].length] === '(';
  }

  /** A function call: every argument's constructors are indexed under the caller's path. */
  private call(path: readonly string[], depth: number): void {
    this.identifier();
    this.pos++;
    for (;;) {
      this.trivia(true);
      if (this.pos >= this.src.length) return;
      if (this.src[this.pos] === ')') {
        this.pos++;
        return;
      }
      this.expression(path, CALL_ARGUMENT, false, depth + 1);
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== ')') return;
    }
  }

  /** Walks the elements of a `{...}` or `[...]` constructor, calling `element` at the start of each. */
  private elements(close: '}' | ']', element: () => void): void {
    const s = this.src;
    this.pos++;
    for (;;) {
      this.trivia(true);
      if (this.pos >= s.length) return;
      if (s[this.pos] === close) {
        this.pos++;
        return;
      }
      if (s[this.pos] === ',') {
        this.pos++;
        continue;
      }
      const before = this.pos;
      element();
      // Never loop on an element that consumed nothing (malformed input).
      if (this.pos === before) this.pos++;
    }
  }

  private object(path: readonly string[], depth: number): void {
    const s = this.src;
    this.elements('}', () => {
      const start = this.pos;
      let key: string | undefined;
      if (s[this.pos] === '"') {
        key = this.simpleString();
        if (key === undefined) this.string();
      } else if (this.identifier() !== undefined) {
        key = s.slice(start, this.pos);
      } else {
        this.expression(undefined, KEY_END, false, depth + 1);
      }
      this.trivia(false);
      const separator = s[this.pos];
      if (!((separator === '=' && s[this.pos + 1] !== '=') || separator === ':')) {
        // Not `key = value`: skip what is left of the element.
        this.expression(undefined, OBJECT_VALUE, true, depth + 1);
        return;
      }
      this.pos++;
      const childPath = key === undefined ? undefined : [...path, key];
      const end = this.expression(childPath, OBJECT_VALUE, true, depth + 1);
      if (childPath) this.index.set(childPath, start, end);
    });
  }

  private tuple(path: readonly string[], depth: number): void {
    let position = 0;
    this.elements(']', () => {
      const start = this.pos;
      const childPath = [...path, String(position++)];
      const end = this.expression(childPath, TUPLE_ELEMENT, false, depth + 1);
      this.index.set(childPath, start, end);
    });
  }

  /** Skips a bracketed group, whatever it holds, newlines included. */
  private balanced(open: string, close: string): void {
    if (this.src[this.pos] !== open) return;
    this.pos++;
    this.skipNested([close]);
  }

  /**
   * Skips to the end of the innermost open construct on `stack` and of all those around it: closing
   * brackets in code, `"` for a quoted template (whose `${`/`%{` open code again). A loop with an
   * explicit stack, because input nested thousands of levels deep must not overflow the call stack.
   * A closing bracket of another kind than the innermost open one is skipped, and a template string
   * ends at the end of its line, as Terraform's own reader would complain about either.
   */
  private skipNested(stack: string[]): void {
    const s = this.src;
    while (this.pos < s.length && stack.length > 0) {
      const c = s[this.pos]!;
      if (stack[stack.length - 1] === '"') {
        if (c === '\\') {
          this.pos += 2;
        } else if (c === '"') {
          this.pos++;
          stack.pop();
        } else if (c === '\n') {
          stack.pop();
        } else if ((c === '$' || c === '%') && s[this.pos + 1] === '{') {
          if (s[this.pos - 1] === c && s[this.pos - 2] !== c) {
            // `$${` and `%%{` are literal text.
            this.pos += 2;
          } else {
            this.pos += 2;
            stack.push('}');
          }
        } else {
          this.pos++;
        }
      } else if (c === stack[stack.length - 1]) {
        this.pos++;
        stack.pop();
      } else if (c === '{' || c === '(' || c === '[') {
        this.pos++;
        stack.push(c === '{' ? '}' : c === '(' ? ')' : ']');
      } else if (c === '"') {
        this.pos++;
        stack.push('"');
      } else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        this.lineComment();
      } else if (c === '/' && s[this.pos + 1] === '*') {
        this.blockComment();
      } else if (c === '<' && s[this.pos + 1] === '<' && this.heredoc()) {
        // consumed
      } else {
        this.pos++;
      }
    }
  }

  /** Reads a quoted string without interpolation and returns its text; undefined (position unchanged) otherwise. */
  private simpleString(): string | undefined {
    const s = this.src;
    const start = this.pos;
    let i = start + 1;
    let text = '';
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') {
        this.pos = i + 1;
        return text;
      }
      if (c === '\n' || ((c === '$' || c === '%') && s[i + 1] === '{')) return undefined;
      if (c === '\\') {
        const next = s[i + 1] ?? '';
        // HCL's escapes (hcl/hclsyntax spec, "Template Literals"): \uNNNN and \UNNNNNNNN too, so that a
        // key written with them is found under the text it stands for.
        const digits = next === 'u' ? 4 : next === 'U' ? 8 : 0;
        const hex = digits > 0 ? s.slice(i + 2, i + 2 + digits) : '';
        if (digits > 0 && new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex) && parseInt(hex, 16) <= 0x10ffff) {
          text += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + digits;
          continue;
        }
        text += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        i += 2;
        continue;
      }
      text += c;
      i++;
    }
    return undefined;
  }

  /** Skips a quoted template string, including `${ ... }` and `%{ ... }` with nested strings. */
  private string(): void {
    this.pos++;
    this.skipNested(['"']);
  }

  /** Skips a heredoc (`<<EOT` or `<<-EOT` up to the line holding only the marker); false if it is not one. */
  private heredoc(): boolean {
    this.heredocStart = this.pos;
    HEREDOC.lastIndex = this.pos;
    const match = HEREDOC.exec(this.src);
    if (!match) return false;
    const marker = match[2]!;
    let lineStart = this.pos + match[0].length;
    while (lineStart < this.src.length) {
      const eol = this.src.indexOf('\n', lineStart);
      const lineEnd = eol < 0 ? this.src.length : eol;
      if (this.src.slice(lineStart, lineEnd).trim() === marker) {
        this.pos = this.src.slice(lineStart, lineEnd).indexOf(marker) + lineStart + marker.length;
        return true;
      }
      lineStart = lineEnd + 1;
    }
    this.pos = this.src.length;
    return true;
  }
}
