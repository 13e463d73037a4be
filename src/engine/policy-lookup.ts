import type { AliasTool, PolicyDescription } from '../model/findings.js';
import { closestMatch } from '../suggest.js';

// Finding policies by what users of other tools and auditors know them by: another scanner's check
// id (`CKV_AWS_76`), or a compliance framework (`owasp-api-2023`).

/** A policy that names `query` as an alias, with the scanner and the id as the policy writes it. */
export interface AliasMatch<P> {
  readonly policy: P;
  readonly tool: AliasTool;
  readonly alias: string;
}

/**
 * Trivy's ids are written with or without the `AVD-` prefix (`AVD-AWS-0001`, `AWS-0001`) depending
 * on its version: both find the same policy.
 */
function normalizeAlias(id: string): string {
  return id.trim().toUpperCase().replace(/^AVD-/, '');
}

/** The policies that name `query` as another scanner's id (case-insensitive), in the given order. */
export function findByAlias<P extends Pick<PolicyDescription, 'aliases'>>(policies: readonly P[], query: string): Array<AliasMatch<P>> {
  const wanted = normalizeAlias(query);
  const matches: Array<AliasMatch<P>> = [];
  for (const policy of policies) {
    for (const [tool, ids] of Object.entries(policy.aliases ?? {}) as Array<[AliasTool, readonly string[]]>) {
      const alias = ids.find((id) => normalizeAlias(id) === wanted);
      if (alias !== undefined) matches.push({ policy, tool, alias });
    }
  }
  return matches;
}

/** The framework names the policies map to, sorted. */
export function frameworksOf(policies: ReadonlyArray<Pick<PolicyDescription, 'frameworks'>>): string[] {
  return [...new Set(policies.flatMap((policy) => Object.keys(policy.frameworks)))].sort();
}

/**
 * The policies that map to `framework`, or a message saying which frameworks exist (with the closest
 * suggested) when none does: `--framework owasp` must not silently run no policy at all.
 */
export function selectFramework<P extends Pick<PolicyDescription, 'frameworks'>>(policies: readonly P[], framework: string): { readonly policies: P[] } | { readonly error: string } {
  const selected = policies.filter((policy) => Object.hasOwn(policy.frameworks, framework));
  if (selected.length > 0) return { policies: selected };
  const known = frameworksOf(policies);
  const close = closestMatch(framework, known) ?? known.find((name) => name.startsWith(framework.toLowerCase()));
  return {
    error: `no policy maps to the framework "${framework}"${close ? `; did you mean "${close}"?` : '.'} The frameworks of the loaded policies are: ${known.join(', ')}`,
  };
}
