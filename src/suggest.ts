/**
 * "Did you mean" suggestions for misspelt keys, severities and policy ids (config file, policies command).
 *
 * @packageDocumentation
 */

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Case and `-`/`_` are ignored: `failOn`, `fail_on` and `FAIL-ON` all mean `fail-on`. */
function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo (at most a third
 * of the word's length wrong, and at least two edits allowed); the first one on a tie. A short word
 * is as close to an unrelated short name as to the one meant (`logs` is two edits from `cors`,
 * four from `logging`), so where no candidate is a single edit away, the only candidate that
 * begins with the word's first three letters wins: people keep the start of a word and abbreviate
 * or inflect its end.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const target = normalize(word);
  const limit = Math.max(2, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const sameStart: string[] = [];
  for (const candidate of candidates) {
    const normalized = normalize(candidate);
    if (target.length >= 3 && normalized.startsWith(target.slice(0, 3))) sameStart.push(candidate);
    const distance = editDistance(target, normalized);
    if (distance < bestDistance && distance <= limit && distance < Math.max(target.length, 1)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance > 1 && sameStart.length === 1 ? sameStart[0] : best;
}

/** `; did you mean "x"?` or nothing, to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/**
 * A usage message, then a suggestion when one candidate is close, then a hint on what to run:
 * `unknown command "scna"; did you mean "scan"? Run "gatewarden --help"…`, or `…; run "gatewarden
 * --help"…` when none is close. `show` writes the candidate (quoted by default; `--format` for options).
 */
export function withSuggestion(message: string, word: string, candidates: Iterable<string>, hint: string, show: (candidate: string) => string = (candidate) => `"${candidate}"`): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? `${message}; ${hint}` : `${message}; did you mean ${show(match)}? ${hint.charAt(0).toUpperCase()}${hint.slice(1)}`;
}
