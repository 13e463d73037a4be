/**
 * Patterns of the config file (globs, suppression addresses) and the paths and addresses they are
 * matched against both come from the repository being scanned, so both may be hostile. A regular
 * expression built from `*a*a*a*a*b` backtracks for minutes on a file named `aaaa…`; this matcher is a
 * Thompson automaton instead, simulated one character at a time over the set of states it can be in:
 * time proportional to the length of the text times the size of the pattern, whatever either holds.
 *
 * Measured (scripts/glob-libraries.mjs, figures in scripts/glob-libraries-figures.txt): 7 to 27 ms for
 * the name of test/hostile-input.test.ts, 60 to 120 ms for `*a*a*a*a*a*a*a*b` against 50 KB of `a`s
 * and 75 to 95 ms for `**\/a/**\/a/**\/a/**\/a/**\/b` against 2,000 segments, where picomatch and
 * micromatch, whose regular expressions backtrack, were killed after 10 s. The bound is a product,
 * not a sum: a 10,000-character `*a*a…` against a 10 KB name keeps every state alive and took 2.3 s
 * alone, 5 to 7 s on a loaded machine.
 * Well-kept libraries were measured as replacements and kept out: see the header of glob.ts.
 */

/** One element of a pattern. `test` decides one character. */
export type PatternNode =
  /** Exactly one character that passes `test`. */
  | { readonly kind: 'char'; readonly test: (char: string) => boolean }
  /** Any number of characters (none included) that each pass `test`. */
  | { readonly kind: 'repeat'; readonly test: (char: string) => boolean }
  /** The nodes, or nothing. */
  | { readonly kind: 'optional'; readonly body: readonly PatternNode[] }
  /** One of the sequences. */
  | { readonly kind: 'either'; readonly options: ReadonlyArray<readonly PatternNode[]> };

/** A compiled pattern: whether a whole text matches it. */
export interface Matcher {
  test(text: string): boolean;
}

/** A state of the automaton: it consumes a character that passes `test`, or splits without consuming. */
type State = { readonly kind: 'char'; readonly test: (char: string) => boolean; out: number } | { readonly kind: 'split'; out: number; out2: number } | { readonly kind: 'match' };

/** Builds the automaton of a sequence of nodes that must match the whole text. */
export function compilePattern(nodes: readonly PatternNode[]): Matcher {
  const states: State[] = [{ kind: 'match' }];
  const add = (state: State): number => states.push(state) - 1;
  // Built back to front: each node's states lead to `next`, the start of what follows it.
  const sequence = (list: readonly PatternNode[], next: number): number => {
    let start = next;
    for (let i = list.length - 1; i >= 0; i--) start = node(list[i]!, start);
    return start;
  };
  const node = (item: PatternNode, next: number): number => {
    switch (item.kind) {
      case 'char':
        return add({ kind: 'char', test: item.test, out: next });
      case 'repeat': {
        const split = add({ kind: 'split', out: -1, out2: next }) ;
        const char = add({ kind: 'char', test: item.test, out: split });
        (states[split] as { out: number }).out = char;
        return split;
      }
      case 'optional':
        return add({ kind: 'split', out: sequence(item.body, next), out2: next });
      case 'either': {
        let start = sequence(item.options[item.options.length - 1] ?? [], next);
        for (let i = item.options.length - 2; i >= 0; i--) start = add({ kind: 'split', out: sequence(item.options[i]!, next), out2: start });
        return start;
      }
    }
  };
  const start = sequence(nodes, 0);
  return { test: (text) => simulate(states, start, text) };
}

function simulate(states: readonly State[], start: number, text: string): boolean {
  // The step a state was last added in, so that each state is in a set at most once.
  const seen = new Int32Array(states.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const enter = (set: number[], state: number, step: number): void => {
    // An explicit stack: split chains are as long as the pattern, which the config file controls.
    const pending = [state];
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (seen[id] === step) continue;
      seen[id] = step;
      const s = states[id]!;
      if (s.kind === 'split') pending.push(s.out2, s.out);
      else set.push(id);
    }
  };
  enter(current, start, 0);
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    next.length = 0;
    for (const id of current) {
      const s = states[id]!;
      if (s.kind === 'char' && s.test(char)) enter(next, s.out, i + 1);
    }
    if (next.length === 0) return false;
    [current, next] = [next, current];
  }
  return current.some((id) => states[id]!.kind === 'match');
}

/** Any character. */
export const ANY = (): boolean => true;

/** Any character but `/`. */
export const NOT_SLASH = (char: string): boolean => char !== '/';

/** One given character. */
export function literal(expected: string): PatternNode {
  return { kind: 'char', test: (char) => char === expected };
}
