/**
 * Glob patterns of the config file (`exclude`, a suppression's `path`), compiled without a
 * dependency to an automaton that matches in time linear in the path (wildcard-automaton.ts): the
 * patterns and the file names both come from the scanned repository, and a regular expression made
 * of `*a*a*a*a*b` backtracked for minutes on one long name. The semantics follow `.gitignore`, which
 * is what people expect of a list of paths to leave out:
 *
 * - Paths are relative, with `/` separators and no leading `./` (`modules/api/main.tf`).
 * - `*` matches any characters except `/`, including none; `?` matches one character except `/`.
 *   Both match a leading dot (`*` matches `.terraform`), unlike a shell.
 * - `**` as a whole segment matches any number of segments, including zero: `**\/test` matches
 *   `test` and `a/b/test`; `a/**\/b` matches `a/b` and `a/x/y/b`; `a/**` matches everything under
 *   `a`. Elsewhere (`a**b`) it is the same as `*`.
 * - `[abc]`, `[a-z]` and the negations `[!abc]`, `[^abc]` match one character, never `/`.
 * - `{a,b}` matches either alternative; alternatives may hold wildcards and nest (`{*.tf,{x,y}.json}`).
 * - `\` makes the next character literal (`\*` matches a `*`).
 * - A pattern with no `/` except a trailing one matches a name at any depth (`*.tfvars`,
 *   `fixtures`); a pattern with a `/` at its start or in its middle is anchored to the base
 *   directory (`/main.tf` only at the top, `examples/**` only the top-level `examples`). A leading
 *   `/` or `./` is dropped after deciding that.
 * - A pattern that matches a directory matches everything under it, so `examples`, `examples/` and
 *   `examples/**` all exclude the files of `examples/`. A trailing `/` makes a pattern match
 *   directories only: `build/` matches `build/out.tf` but not a file named `build`.
 * - A path ending in `/` is a directory: it matches when a pattern covers the whole directory, so a
 *   walker can skip it without listing it (`examples/` is matched by `examples`, `examples/**` and
 *   `examples/*`, not by `examples/*.tf`).
 * - Matching is case-sensitive; `!` negation of `.gitignore` is not supported (an error), since a
 *   list of exclusions with exceptions is hard to read in review.
 *
 * Our own code, not a library (issue 13), because none measured both follows these rules and stays
 * bounded on hostile patterns. scripts/glob-libraries.mjs runs the cases of test/config/glob.test.ts
 * and hostile patterns against each, with the gitignore rules they lack wrapped around them and their
 * safe options (no extglobs, no negation); scripts/glob-libraries-figures.txt has the full output
 * (Node 20, each hostile case killed after 10 s):
 *
 * - picomatch 4.0.7 and micromatch 4.0.8 compile to backtracking regular expressions: the name of
 *   test/hostile-input.test.ts (`*a*a*a*a*a*a*b` against 200 `a`s and `c.tf`), `*a*a*a*a*a*a*a*b`
 *   against 50 `a`s, `**\/a/**\/a/**\/a/**\/a/**\/b` against 2,000 segments, `{a,aa}` 30 times and
 *   `*(a|a)` 15 times (literal text with `noextglob`) each ran past 10 s and were killed. They also
 *   pass 86 of our 97 cases (`[!abc]`, `[\d]`, `x[/]y`, `a+b(c).tf`, `build/` against a file...).
 * - minimatch 11.0.10 matches each segment without backtracking (14 ms on the test's name) but
 *   expands braces before matching: `{a,b}` 17 times took 9.4 s to compile and match 1,000 names,
 *   and its expansion stops at 100,000 alternatives, so it did not match `b` written 17 times (a
 *   wrong answer); `{a,b}` 30 times took 3.3 s for one name, `{a,aa}` 30 times 1.0 s. With `nobrace` it has
 *   no `{a,b}`, which 10 of our cases use.
 * - ignore 7.0.17 has the gitignore rules but no `{a,b}` (83 of 97), and `a/**\/**\/…/c` or
 *   `**\/a/**\/a/…/b` against a few thousand segments ran past 10 s.
 * - None rejects `[z-a]` or a trailing `\`; only picomatch (`strictBrackets`) rejects an unclosed
 *   `[` or `{`, without saying where. The loader's messages would keep a parser of our own anyway.
 *
 * This matcher passes all 97 cases and stays under 170 ms on every hostile case but one: a
 * 10,000-character `*a*a…` against a 10 KB name of `a`s takes 2 to 7 s, its bound of text length
 * times pattern length (wildcard-automaton.ts); the same case took minimatch 152 ms and picomatch
 * over 10 s.
 *
 * @packageDocumentation
 */

import { ANY, NOT_SLASH, compilePattern, literal, type Matcher, type PatternNode } from './wildcard-automaton.js';

/** A pattern that cannot be compiled, with the offending character's index for the message. */
export class GlobSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    readonly index: number,
    problem: string,
  ) {
    super(`${problem} in the glob pattern "${pattern}" (at character ${index + 1})`);
    this.name = 'GlobSyntaxError';
  }
}

/**
 * The longest glob or address pattern the config file may hold. Matching costs pattern length times
 * path length (wildcard-automaton.ts): 10,000 characters of `*a*a…` against a 10 KB name took 2 to 7
 * s, once per file. Real patterns are a few dozen characters; paths stay under Linux's 4,096.
 */
export const MAX_PATTERN_LENGTH = 1024;

/** A pattern over {@link MAX_PATTERN_LENGTH}: named by its start, not echoed whole. */
export class PatternTooLongError extends GlobSyntaxError {
  constructor(pattern: string) {
    super(`${pattern.slice(0, 40)}…`, MAX_PATTERN_LENGTH, `a pattern may be at most ${MAX_PATTERN_LENGTH.toLocaleString('en-US')} characters, and this one has ${pattern.length.toLocaleString('en-US')} characters`);
  }
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function escapeRegExp(text: string): string {
  return text.replace(REGEXP_SPECIAL, '\\$&');
}

/** `**\/` and a pattern's free prefix: zero or more whole segments, each with its slash. */
const ANY_DIRECTORIES: PatternNode = { kind: 'optional', body: [{ kind: 'repeat', test: ANY }, literal('/')] };

/**
 * Compiles one pattern to a matcher over relative paths (see the module comment for the semantics).
 * Throws {@link GlobSyntaxError} for a pattern over {@link MAX_PATTERN_LENGTH} characters, an empty pattern, an unclosed `[` or `{`, a trailing `\`, an
 * invalid range or a `!` negation.
 */
export function compileGlob(pattern: string): Matcher {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternTooLongError(pattern);
  if (pattern.trim() === '') throw new GlobSyntaxError(pattern, 0, 'an empty pattern matches nothing');
  if (pattern.startsWith('!')) throw new GlobSyntaxError(pattern, 0, 'negation ("!") is not supported: list only what to leave out');
  let body = pattern;
  let offset = 0;
  const directoryOnly = body.length > 1 && body.endsWith('/') && !body.endsWith('\\/');
  if (directoryOnly) body = body.slice(0, -1);
  // Decided before a leading "/" is dropped: that slash is what anchors "/main.tf".
  const anchored = hasSeparator(body);
  while (body.startsWith('./') || body.startsWith('/')) {
    const drop = body.startsWith('./') ? 2 : 1;
    body = body.slice(drop);
    offset += drop;
  }
  // "/", "." and "./" name the base directory itself, so everything in it.
  if (body === '' || body === '.') return compilePattern([{ kind: 'repeat', test: ANY }]);
  const nodes = new GlobCompiler(pattern, body, offset).compile();
  // The suffix makes a pattern that matches a directory match everything inside it.
  const inside: PatternNode[] = [literal('/'), { kind: 'repeat', test: ANY }];
  return compilePattern([...(anchored ? [] : [ANY_DIRECTORIES]), ...nodes, ...(directoryOnly ? inside : [{ kind: 'optional', body: inside } as const])]);
}

/** True when the pattern has a `/` that is not escaped (and so anchors it). */
function hasSeparator(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '/') return true;
  }
  return false;
}

/** A recursive-descent translation, so that `{...}` can nest and hold any other construct. */
class GlobCompiler {
  private index = 0;

  constructor(
    private readonly pattern: string,
    private readonly body: string,
    /** Where `body` starts in `pattern`, for error positions. */
    private readonly offset: number,
  ) {}

  compile(): PatternNode[] {
    return this.sequence(false);
  }

  private error(at: number, problem: string): GlobSyntaxError {
    return new GlobSyntaxError(this.pattern, this.offset + at, problem);
  }

  /** Translates until the end, or until `,` or `}` inside braces. */
  private sequence(inBraces: boolean): PatternNode[] {
    const out: PatternNode[] = [];
    const text = this.body;
    while (this.index < text.length) {
      const char = text[this.index]!;
      if (inBraces && (char === ',' || char === '}')) return out;
      if (char === '\\') {
        if (this.index + 1 >= text.length) throw this.error(this.index, 'a "\\" escapes nothing');
        out.push(literal(text[this.index + 1]!));
        this.index += 2;
      } else if (char === '*') {
        out.push(this.star());
      } else if (char === '?') {
        out.push({ kind: 'char', test: NOT_SLASH });
        this.index++;
      } else if (char === '[') {
        out.push(this.characterClass());
      } else if (char === '{') {
        out.push(this.alternatives());
      } else {
        out.push(literal(char));
        this.index++;
      }
    }
    return out;
  }

  private star(): PatternNode {
    const text = this.body;
    const start = this.index;
    let end = start;
    while (text[end] === '*') end++;
    this.index = end;
    const before = start === 0 ? undefined : text[start - 1];
    const after = text[end];
    const segmentStart = before === undefined || before === '/' || before === '{' || before === ',';
    const segmentEnd = after === undefined || after === '/' || after === '}' || after === ',';
    if (end - start < 2 || !segmentStart || !segmentEnd) return { kind: 'repeat', test: NOT_SLASH };
    if (after === '/') {
      // "**/" stands for zero or more whole segments, each with its slash.
      this.index++;
      return ANY_DIRECTORIES;
    }
    return { kind: 'repeat', test: ANY };
  }

  private characterClass(): PatternNode {
    const text = this.body;
    const open = this.index;
    let i = open + 1;
    let negated = false;
    if (text[i] === '!' || text[i] === '^') {
      negated = true;
      i++;
    }
    let members = '';
    let first = true;
    for (;;) {
      if (i >= text.length) throw this.error(open, 'an unclosed "["');
      const char = text[i]!;
      // A "]" right after "[" or "[!" is a member, as in a shell.
      if (char === ']' && !first) break;
      if (char === '\\') {
        if (i + 1 >= text.length) throw this.error(i, 'a "\\" escapes nothing');
        members += escapeRegExp(text[i + 1]!);
        i += 2;
      } else {
        // "-" stays special: it makes ranges.
        members += char === '-' ? '-' : escapeRegExp(char);
        i++;
      }
      first = false;
    }
    this.index = i + 1;
    // A regular expression of exactly one character decides membership: it cannot backtrack.
    let oneCharacter: RegExp;
    try {
      oneCharacter = new RegExp(`^${negated ? `[^/${members}]` : `(?!/)[${members}]`}$`);
    } catch {
      throw this.error(open, 'an invalid character range');
    }
    return { kind: 'char', test: (char) => oneCharacter.test(char) };
  }

  private alternatives(): PatternNode {
    const open = this.index;
    this.index++;
    const options: PatternNode[][] = [];
    for (;;) {
      options.push(this.sequence(true));
      if (this.index >= this.body.length) throw this.error(open, 'an unclosed "{"');
      const char = this.body[this.index];
      this.index++;
      if (char === '}') break;
    }
    return { kind: 'either', options };
  }
}

/**
 * Turns a path into the form patterns are matched against: `/` separators, no leading `./`, no
 * doubled slashes. A trailing `/` is kept: it marks a directory.
 */
export function normalizeGlobPath(relPath: string): string {
  let out = relPath.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}

/**
 * Compiles a list of patterns into one predicate over relative paths: true when any pattern
 * matches. Throws {@link GlobSyntaxError} for the first invalid pattern. An empty list matches
 * nothing.
 */
export function compileGlobs(patterns: readonly string[]): (relPath: string) => boolean {
  const expressions = patterns.map(compileGlob);
  if (expressions.length === 0) return () => false;
  return (relPath) => {
    const normalized = normalizeGlobPath(relPath);
    return expressions.some((expression) => expression.test(normalized));
  };
}

/**
 * The problem with a pattern as a sentence, or undefined when it compiles. For validators that
 * report instead of throwing.
 */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof GlobSyntaxError) return error.message;
    throw error;
  }
}
