import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { SourceLocation } from '../../src/model/location.js';

/**
 * Shared pieces of the property-based tests of the readers (test/fuzz): a fixed seed and a small
 * number of runs, so that CI is deterministic and fast; the realistic inputs to mutate; the
 * mutations; and the check that every diagnostic points inside the text it was made from.
 *
 * A failing property prints its seed and path; `FUZZ_SEED=<seed>` replays it, and `FUZZ_SCALE=<n>`
 * runs n times as many cases locally (e.g. `FUZZ_SCALE=30 FUZZ_SEED=$RANDOM npx vitest run test/fuzz`).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 12_072_024);
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** The number of runs of a property: `base` in CI, scaled by `FUZZ_SCALE` for a longer local campaign. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_SCALE));
}

fc.configureGlobal({ seed: FUZZ_SEED, numRuns: runs(150), endOnFailure: true });

/** The repository's root directory. */
export const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Reads a fixture of test/fixtures/fuzz (a counterexample kept from a fuzzing run). */
export function fuzzFixture(relative: string): string {
  return readFileSync(path.join(repo, 'test/fixtures/fuzz', relative), 'utf8');
}

/** A realistic input: its path (for messages) and text. */
export interface Seed {
  readonly file: string;
  readonly text: string;
}

/**
 * The files of test/fixtures and samples (not the fuzz counterexamples) whose path matches, read once:
 * the realistic inputs that mutations start from.
 */
export function seeds(matches: (file: string) => boolean): Seed[] {
  const out: Seed[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(path.join(repo, dir)).sort()) {
      const relative = `${dir}/${name}`;
      if (relative === 'test/fixtures/fuzz' || name === 'node_modules' || name === '.terraform') continue;
      if (statSync(path.join(repo, relative)).isDirectory()) walk(relative);
      else if (matches(relative)) out.push({ file: relative, text: readFileSync(path.join(repo, relative), 'utf8') });
    }
  };
  walk('test/fixtures');
  walk('samples');
  return out;
}

/** One edit of a text; positions are fractions of its length, so that any edit applies to any text. */
type Mutation =
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate-line' | 'delete-line'; readonly at: number }
  | { readonly kind: 'swap-lines'; readonly at: number; readonly other: number }
  | { readonly kind: 'swap-bracket'; readonly at: number; readonly bracket: string }
  | { readonly kind: 'nest'; readonly at: number; readonly open: string; readonly close: string; readonly depth: number };

/** Characters parsers trip over: control characters, NUL, a byte order mark, lone surrogates, line ends. */
const NASTY = ['\u0000', '\u0001', '\u001b', '\u007f', '\ufeff', '\ud800', '\udfff', '\r', '\r\n', '\n', '\t', '\u2028', '\u00a0', '\uffff', '💥'];
const BRACKETS = ['{', '}', '[', ']', '(', ')', '<', '>'];

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/**
 * Mutations of a text: deleted, inserted (random characters, control characters, the format's own
 * tokens), truncated, lines duplicated, deleted or swapped, brackets swapped, and deep nesting
 * inserted (up to 3,000 levels, beyond every reader's depth limit).
 */
export function mutationOf(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  const insertText = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(...NASTY),
    fc.constantFrom(...tokens),
    fc.array(fc.constantFrom(...tokens, ...NASTY), { maxLength: 6 }).map((parts) => parts.join('')),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, text: insertText }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('duplicate-line' as const, 'delete-line' as const), at: position }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), at: position, other: position }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-bracket' as const), at: position, bracket: fc.constantFrom(...BRACKETS) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('nest' as const),
        at: position,
        open: fc.constantFrom('[', '{', '(', '"${', '{"a":', '- ', '<a>'),
        close: fc.constantFrom(']', '}', ')', '}"', '', '</a>'),
        depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 190, max: 260 }), fc.integer({ min: 1000, max: 3000 })),
      }),
    },
  );
}

/** Applies one mutation. */
export function applyMutation(text: string, mutation: Mutation): string {
  const at = Math.floor(mutation.at * (text.length + 1));
  const lines = (): string[] => text.split('\n');
  const lineAt = (fraction: number, count: number): number => Math.floor(fraction * count);
  switch (mutation.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate-line':
    case 'delete-line': {
      const all = lines();
      const index = lineAt(mutation.at, all.length);
      all.splice(index, 1, ...(mutation.kind === 'duplicate-line' ? [all[index]!, all[index]!] : []));
      return all.join('\n');
    }
    case 'swap-lines': {
      const all = lines();
      const a = lineAt(mutation.at, all.length);
      const b = lineAt(mutation.other, all.length);
      [all[a], all[b]] = [all[b]!, all[a]!];
      return all.join('\n');
    }
    case 'swap-bracket': {
      const brackets = [...text.matchAll(/[{}[\]()<>]/g)].map((match) => match.index);
      const index = brackets[lineAt(mutation.at, brackets.length)];
      return index === undefined ? text : text.slice(0, index) + mutation.bracket + text.slice(index + 1);
    }
    case 'nest':
      return text.slice(0, at) + mutation.open.repeat(mutation.depth) + mutation.close.repeat(mutation.depth) + text.slice(at);
  }
}

/** A seed with one to four mutations applied. */
export function mutatedSeed(from: readonly Seed[], tokens: readonly string[]): fc.Arbitrary<Seed> {
  return fc
    .tuple(fc.constantFrom(...from), fc.array(mutationOf(tokens), { minLength: 1, maxLength: 4 }))
    .map(([seed, mutations]) => ({ file: seed.file, text: mutations.reduce(applyMutation, seed.text) }));
}

/**
 * Arbitrary text: any characters, any bytes read as UTF-8 (as readFileSync does), and strings made of
 * the format's tokens, which get further into a parser than noise does.
 */
export function arbitraryText(tokens: readonly string[], maxLength = 300): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes).toString('utf8')),
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: maxLength / 3 }).map((parts) => parts.join('')),
  );
}

/** How many lines a text has, counting a lone `\r` as a line end too (YAML does). */
export function lineCount(text: string): number {
  return Math.max(text.split('\n').length, text.split(/\r\n|\r|\n/).length);
}

/** Asserts that a location is in `file` and inside the text: 1-based, ordered, at most its last line. */
export function expectLocationInside(location: SourceLocation, file: string, text: string): void {
  const lines = lineCount(text);
  expect(location.file).toBe(file);
  expect(location.startLine).toBeGreaterThanOrEqual(1);
  expect(location.startLine).toBeLessThanOrEqual(lines);
  expect(location.endLine).toBeGreaterThanOrEqual(location.startLine);
  expect(location.endLine).toBeLessThanOrEqual(lines);
  expect(location.startColumn).toBeGreaterThanOrEqual(1);
  expect(location.endColumn).toBeGreaterThanOrEqual(1);
}

/** Asserts that every diagnostic has a code, a message and a location inside the text. */
export function expectDiagnosticsInside(diagnostics: readonly Diagnostic[], file: string, text: string): void {
  for (const diagnostic of diagnostics) {
    expect(diagnostic.code).toMatch(/^[a-z-]+$/);
    expect(diagnostic.message.length).toBeGreaterThan(0);
    expect(diagnostic.location, diagnostic.message).toBeDefined();
    expectLocationInside(diagnostic.location!, file, text);
  }
}

/** Counts what went wrong how, so a property can say that it did reach the reader's error paths. */
export function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
