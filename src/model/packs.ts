import { POLICY_CATEGORIES, type PolicyCategory } from './findings.js';

// Packs: named sets of the built-in policies, chosen with `--pack NAME` or `policies.packs` in
// .gatewarden.yaml. A pack selects by what a policy file already says (its category) or by an
// explicit list of ids, so that a new policy joins `all` and its category's pack with no change
// here. Light on purpose (no policy loading): the option declarations and `--help` read it.

/** The pack that runs when neither the command line nor the config file names one: the one place the default set is decided. */
export const DEFAULT_PACK = 'all' as const;

/**
 * The four policies gatewarden started with, one per headline mistake: missing authentication,
 * absent throttling, open CORS and static API keys. Listed by id: these are the checks a first
 * adoption turns on, and the baseline `npm run bench` compares the full pack with.
 */
export const HEADLINE_POLICIES = ['route-requires-auth', 'throttling-configured', 'cors-not-open', 'no-static-api-keys'] as const;

/** Every pack name: `all`, `headline`, then one pack per policy category (docs/policies.md). */
export const PACK_NAMES = ['all', 'headline', ...POLICY_CATEGORIES] as const;

/** A pack name: closed, so that a misspelt `--pack` or `policies.packs` entry is an error, not an empty run. */
export type PackName = 'all' | 'headline' | PolicyCategory;

/** What a pack needs of a policy to decide whether the policy is in it. */
export interface PackMember {
  readonly id: string;
  readonly category: PolicyCategory;
}

/** One sentence per pack, for `--help`, docs/config.md and docs/policies.md. */
export function describePack(name: PackName): string {
  if (name === 'all') return 'every built-in policy (the default)';
  if (name === 'headline') return `the four headline checks: ${HEADLINE_POLICIES.join(', ')}`;
  return `the built-in policies of the category ${name}`;
}

/** Whether a built-in policy belongs to a pack. */
export function inPack(name: PackName, policy: PackMember): boolean {
  if (name === 'all') return true;
  if (name === 'headline') return (HEADLINE_POLICIES as readonly string[]).includes(policy.id);
  return policy.category === name;
}

/** Whether a string is a pack name. */
export function isPackName(name: string): name is PackName {
  return (PACK_NAMES as readonly string[]).includes(name);
}

/**
 * The policies that run for the packs chosen (the {@link DEFAULT_PACK} when none is): a built-in
 * policy when any pack holds it; a policy of the user's (`--policies`, `policies.dirs`) always, since
 * loading it was already a choice. In the input order. A choice that leaves no built-in policy (a
 * category with no policy yet) is an error message: a gate that checks nothing would pass silently.
 */
export function selectPacks<P extends PackMember & { readonly builtIn: boolean }>(policies: readonly P[], packs: readonly PackName[] = [DEFAULT_PACK]): { readonly policies: P[] } | { readonly error: string } {
  const chosen = packs.length === 0 ? [DEFAULT_PACK] : packs;
  const selected = policies.filter((policy) => !policy.builtIn || chosen.some((pack) => inPack(pack, policy)));
  const builtIn = policies.filter((policy) => policy.builtIn);
  if (builtIn.length > 0 && !selected.some((policy) => policy.builtIn)) {
    const populated = PACK_NAMES.filter((pack) => builtIn.some((policy) => inPack(pack, policy)));
    return { error: `no built-in policy is in the pack${chosen.length > 1 ? 's' : ''} ${chosen.join(', ')} yet; the packs with policies are ${populated.join(', ')}` };
  }
  return { policies: selected };
}
