import { GatewardenError } from '../errors.js';
import { parsePackNames, type PackName } from '../model/packs.js';

/**
 * `--pack NAME...` checked, as scan, audit and `policies list` take it (`{ packs }`), or nothing when
 * absent: an unknown pack is a usage error naming the closest, before anything is read.
 */
export function packsOption(given: readonly string[] | undefined): { packs?: readonly PackName[] } {
  if (given === undefined) return {};
  const parsed = parsePackNames(given);
  if ('error' in parsed) throw new GatewardenError('usage', `--pack: ${parsed.error}`);
  return { packs: parsed.packs };
}
