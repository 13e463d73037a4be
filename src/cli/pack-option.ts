import { GatewardenError } from '../errors.js';
import { isPackName, PACK_NAMES, type PackName } from '../model/packs.js';
import { withSuggestion } from '../suggest.js';

/**
 * The pack names given, checked: an unknown one is an error message naming the closest pack, with
 * the list (`--pack loging` must not silently run nothing). Repeated names count once.
 */
export function parsePackNames(names: readonly string[]): { readonly packs: PackName[] } | { readonly error: string } {
  const packs: PackName[] = [];
  for (const name of names) {
    if (!isPackName(name)) return { error: withSuggestion(`unknown pack "${name}"`, name, PACK_NAMES, `the packs are ${PACK_NAMES.join(', ')}`) };
    if (!packs.includes(name)) packs.push(name);
  }
  return { packs };
}

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
