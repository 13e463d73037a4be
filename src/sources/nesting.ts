/**
 * Nesting checks that run before (or instead of) a recursive walk. Parsers and walkers of JSON, YAML
 * and HCL values recurse once per level, so a value nested a few thousand levels deep overflows the
 * call stack; these checks are loops, and tell a reader to stop with a `depth` limit diagnostic first.
 */

import type { Diagnostic } from '../model/diagnostic.js';
import { limitDiagnostic, type Limits } from '../limits.js';
import { offsetLocation } from './text-position.js';

/** Where a text first nests deeper than the limit, and how deep it goes. */
export interface NestingOverflow {
  /** Offset of the bracket that went over the limit. */
  readonly offset: number;
  /** The deepest nesting in the text (at least the limit plus one). */
  readonly depth: number;
  /** Set when the text was not read to its end, so that `depth` is only how far it was read. */
  readonly atLeast?: boolean;
}

/** How deep a text nests, for messages: `5,000 levels`, or `more than 200 levels` when it was not measured to the end. */
export function describeNesting(overflow: NestingOverflow, limit: number): string {
  return overflow.atLeast ? `more than ${limit.toLocaleString('en-US')} levels` : `${overflow.depth.toLocaleString('en-US')} levels`;
}

/** The limits a reader applies to the text it is given. A caller passes the scan's limits; tests and tools rely on the defaults. */
export type ReaderLimits = Pick<Limits, 'depth' | 'yaml-alias-nodes'>;

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const QUOTE = 34;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const HASH = 35;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Finds where JSON text (comments allowed, as in JSONC) nests objects and arrays deeper than `limit`.
 * Brackets inside strings and comments do not count, and strings end where jsonc-parser ends them
 * (at a quote or a line break), so that this measure sees what the parser will recurse into.
 * Returns undefined when the text stays within the limit.
 */
export function jsonNestingOverflow(text: string, limit: number): NestingOverflow | undefined {
  // The closers expected, innermost last: a closer of the other kind closes nothing, so that broken
  // text is never measured as shallower than a parser that recovers from it might nest it.
  const closers: number[] = [];
  let deepest = 0;
  let overAt: number | undefined;
  const n = text.length;
  // Where the next backslash and line break are, found natively and kept while still ahead: a 100 MB
  // plan is mostly strings, and skipping each with indexOf keeps this measure a small part of JSON.parse.
  let nextBackslash = -1;
  let nextNewline = -1;
  let nextReturn = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      closers.push(c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
      if (closers.length > deepest) deepest = closers.length;
      if (closers.length > limit && overAt === undefined) overAt = i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (closers[closers.length - 1] === c) closers.pop();
    } else if (c === QUOTE) {
      const quote = text.indexOf('"', i + 1);
      // Each is searched again only once passed, and never again once absent: one pass over the text each.
      if (nextBackslash !== n && nextBackslash <= i) nextBackslash = indexOrEnd(text, '\\', i + 1);
      if (nextNewline !== n && nextNewline <= i) nextNewline = indexOrEnd(text, '\n', i + 1);
      if (nextReturn !== n && nextReturn <= i) nextReturn = indexOrEnd(text, '\r', i + 1);
      if (quote >= 0 && quote < nextBackslash && quote < nextNewline && quote < nextReturn) {
        i = quote;
        continue;
      }
      // An escape or a line break inside: the string is followed character by character.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE || d === NEWLINE || d === CARRIAGE_RETURN) break;
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      // A line comment ends at either line break, as jsonc-parser has it.
      while (i + 1 < n && text.charCodeAt(i + 1) !== NEWLINE && text.charCodeAt(i + 1) !== CARRIAGE_RETURN) i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    }
  }
  return overAt === undefined ? undefined : { offset: overAt, depth: deepest };
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

/** Stands for an open heredoc on the stack of hclNesting (no character has code -1). */
const HEREDOC_MARK = -1;
const DOLLAR = 36;
const PERCENT = 37;
const HEREDOC = /<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;

/**
 * Whether a text holds at most `count` opening brackets (`{`, `[`, `(`) in all, strings and comments
 * included: then nothing in it nests deeper than `count`, whatever its syntax. Counted with `indexOf`,
 * stopping as soon as the count is passed.
 */
export function openersAtMost(text: string, count: number): boolean {
  let found = 0;
  for (const opener of ['{', '[', '(']) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) {
      if (++found > count) return false;
    }
  }
  return true;
}

/** How deeply HCL text nests, and where: the first place over the limit, and the deepest place. */
export interface HclNesting {
  readonly depth: number;
  readonly deepestAt: number;
  readonly overAt: number | undefined;
}

/**
 * Measures the nesting of HCL text as its parser recurses: brackets (blocks, objects, tuples, calls,
 * parentheses) and template interpolations (`${ ... }`, `%{ ... }`, in quoted strings and in heredocs).
 * One loop with an explicit stack; comments and literal text do not count. hcl2json (Go compiled to
 * WASM) overflows the call stack a few thousand levels down, and a second overflow in the same
 * process aborts it, so text is measured before it is handed over.
 */
export function hclNesting(text: string, limit: number): HclNesting {
  // Character codes of the closers of open brackets and interpolations (counted), QUOTE for a quoted
  // string, HEREDOC_MARK for a heredoc: numbers, as the loop runs once per character of every file.
  const stack: number[] = [];
  const markers: string[] = [];
  let depth = 0;
  let deepest = 0;
  let deepestAt = 0;
  let overAt: number | undefined;
  const open = (closer: number, at: number): void => {
    stack.push(closer);
    depth++;
    if (depth > deepest) {
      deepest = depth;
      deepestAt = at;
    }
    if (depth > limit && overAt === undefined) overAt = at;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    const interpolation = (c === DOLLAR || c === PERCENT) && text.charCodeAt(i + 1) === OPEN_BRACE;
    if (top === QUOTE || top === HEREDOC_MARK) {
      if (top === HEREDOC_MARK && text.charCodeAt(i - 1) === NEWLINE) {
        const eol = text.indexOf('\n', i);
        const end = eol < 0 ? n : eol;
        if (text.slice(i, end).trim() === markers[markers.length - 1]) {
          stack.pop();
          markers.pop();
          i = end;
          continue;
        }
      }
      if (top === QUOTE && c === BACKSLASH) i += 2;
      else if (top === QUOTE && (c === QUOTE || c === NEWLINE)) {
        stack.pop();
        if (c === QUOTE) i++;
      } else if (interpolation && text.charCodeAt(i - 1) !== c) {
        open(CLOSE_BRACE, i);
        i += 2;
      } else if (interpolation) i += 2;
      else i++;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET || c === OPEN_PAREN) {
      open(c === OPEN_BRACE ? CLOSE_BRACE : c === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_PAREN, i);
      i++;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET || c === CLOSE_PAREN) && top === c) {
      stack.pop();
      depth--;
      i++;
    } else if (c === QUOTE) {
      stack.push(QUOTE);
      i++;
    } else if (c === HASH || (c === SLASH && text.charCodeAt(i + 1) === SLASH)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 60 && text.charCodeAt(i + 1) === 60) {
      HEREDOC.lastIndex = i;
      const heredoc = HEREDOC.exec(text);
      if (heredoc) {
        stack.push(HEREDOC_MARK);
        markers.push(heredoc[1]!);
        i += heredoc[0].length;
      } else {
        i += 2;
      }
    } else {
      i++;
    }
  }
  return { depth: deepest, deepestAt, overAt };
}

/**
 * The `depth` limit diagnostic for a text that nests too deeply, at the bracket that went over.
 *
 * @param what - the document, for the message (`the template`, `the OpenAPI document`).
 */
export function nestingDiagnostic(file: string, starts: readonly number[], overflow: NestingOverflow, limit: number, what: string): Diagnostic {
  return limitDiagnostic({
    name: 'depth',
    limit,
    ...(overflow.atLeast ? {} : { found: overflow.depth }),
    what: `${what} nests ${describeNesting(overflow, limit)} deep; it was not scanned`,
    location: offsetLocation(file, starts, overflow.offset, overflow.offset + 1),
  });
}

/**
 * Tells whether a parsed value (plain objects and arrays, no cycles) nests deeper than `limit`, and
 * how deep it goes. A scalar has depth 0; `[]` and `{}` have depth 1.
 */
export function valueNestingOverflow(value: unknown, limit: number): { readonly depth: number } | undefined {
  let deepest = 0;
  const stack: Array<{ readonly value: unknown; readonly depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const current = item.value;
    if (typeof current !== 'object' || current === null) continue;
    const depth = item.depth + 1;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(current) ? current : Object.values(current)) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth });
  }
  return deepest > limit ? { depth: deepest } : undefined;
}
