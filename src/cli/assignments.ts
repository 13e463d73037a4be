import { GatewardenError } from '../errors.js';
import type { LimitName, Limits } from '../limits.js';

// Options written NAME=VALUE (`--limit`, `--var`), shared by the commands; a module of its own so that
// `gatewarden policies` reads them without importing cli.ts, which imports it.

/** Reads repeated `--limit NAME=VALUE` options (see src/limits.ts); `gatewarden policies` reads them too. */
export async function limitOptions(given: readonly string[] | undefined): Promise<Partial<Limits>> {
  if (given === undefined) return {};
  const { LIMIT_NAMES, isLimitName, parseLimitValue } = await import('../limits.js');
  const { didYouMean } = await import('../suggest.js');
  const out: { -readonly [name in LimitName]?: number } = {};
  for (const [written, text] of assignments('--limit', given)) {
    const name = written.trim();
    if (!isLimitName(name)) throw new GatewardenError('usage', `--limit: "${name}" is not a limit${didYouMean(name, LIMIT_NAMES)}; the limits are ${LIMIT_NAMES.join(', ')} (docs/config.md#limits)`);
    const value = parseLimitValue(name, text, 'command-line');
    if (typeof value !== 'number') throw new GatewardenError('usage', `--limit: ${value.problem}`);
    out[name] = value;
  }
  return out;
}

/** Reads repeated `NAME=VALUE` options. */
export function assignments(option: string, given: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const assignment of given ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new GatewardenError('usage', `${option} needs NAME=VALUE, got "${assignment}"`);
    out.set(assignment.slice(0, equals), assignment.slice(equals + 1));
  }
  return out;
}
