import path from 'node:path';
import { applyBaseline, parseBaseline } from '../report/baseline.js';
import { configRelativePath, matchConfigSuppression, selectPolicies } from '../config/apply.js';
import type { ConfigSuppression, GatewardenConfig } from '../config/config.js';
import { checkPolicyIds, checkPolicyParameters, configProblem, type LoadedConfig } from '../config/load.js';
import type { EvaluationResult } from '../engine/evaluate.js';
import { builtInPolicyDir, loadPolicies, type PolicyLoadResult, type PolicySource } from '../engine/load-policies.js';
import { selectFramework } from '../engine/policy-lookup.js';
import { selectPacks, type PackName } from '../model/packs.js';
import type { ExternalSuppressionMatcher } from '../engine/suppressions.js';
import { GatewardenError } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';
import { FileAccess } from '../sources/file-access.js';
import { DEFAULT_LIMITS, withLimits, type Limits } from '../limits.js';

/**
 * The settings a scan and an audit share, from the command line and the config file: the policies,
 * the baseline, the limits, the date suppressions are compared with.
 */
export interface PipelineSettings {
  /** The directory relative paths (policies, baseline) resolve against; an absolute path. */
  readonly cwd: string;
  /** A loaded `.gatewarden.yaml`: its policies section, suppressions, limits and baseline apply. */
  readonly config?: LoadedConfig;
  /** A baseline file (`--baseline`), relative to `cwd`; the config file's when absent. */
  readonly baseline?: string;
  /** Extra policy directories (`--policies`). */
  readonly policyDirs?: readonly string[];
  /** Skip the built-in policies (for testing a user's own policies alone). */
  readonly builtInPolicies?: boolean;
  /** Limits set on the command line (`--limit`); they win over the config file's `limits:`. */
  readonly limits?: Partial<Limits>;
  /** The date suppressions' `until` is compared with; today by default (tests pin it). */
  readonly today?: Date;
  /** `--framework NAME`: only the policies that map to this compliance framework run. */
  readonly framework?: string;
  /** `--pack NAME` (repeatable): the built-in policies that run; the config file's `policies.packs` when absent. */
  readonly packs?: readonly PackName[];
}

// What a scan and an audit share after reading their input: which policies run, the config file's
// suppressions, and the baseline. One place, so that `scan` and `audit` cannot disagree on them.

/**
 * Loads the built-in policies, those of the config file's `policies.dirs` and those of `policyDirs`
 * (relative to `cwd`), then applies the config file's `policies` section. An id the config file names that no policy has is an error: a misspelt
 * `disable` would silently leave the policy on, a misspelt `enable` would silently turn every policy off.
 * Policy files are read within the limits in force ({@link resolveLimits}).
 */
export function loadPolicySet(
  options: { readonly cwd: string; readonly builtInPolicies?: boolean; readonly policyDirs?: readonly string[]; readonly config?: LoadedConfig; readonly limits?: Partial<Limits>; readonly framework?: string; readonly packs?: readonly PackName[] },
  relative: (file: string) => string,
): PolicyLoadResult {
  const loaded = loadConfiguredPolicies(options, relative);
  if (options.framework === undefined) return loaded;
  const selected = selectFramework(loaded.policies, options.framework);
  if ('error' in selected) throw new GatewardenError('usage', `--framework: ${selected.error}`);
  return { ...loaded, policies: selected.policies };
}

function loadConfiguredPolicies(
  options: { readonly cwd: string; readonly builtInPolicies?: boolean; readonly policyDirs?: readonly string[]; readonly config?: LoadedConfig; readonly limits?: Partial<Limits>; readonly packs?: readonly PackName[] },
  relative: (file: string) => string,
): PolicyLoadResult {
  const sources: PolicySource[] = [
    ...(options.builtInPolicies === false ? [] : [{ dir: builtInPolicyDir(), builtIn: true }]),
    ...[...(options.config?.config.policies.dirs ?? []), ...(options.policyDirs ?? [])].map((dir) => ({ dir: path.resolve(options.cwd, dir), builtIn: false })),
  ];
  const config = options.config?.config;
  const loaded = loadPolicies(sources, relative, { limits: resolveLimits(options) });
  // The command line's packs win over the config file's; the default pack when neither names one.
  const packs = options.packs ?? config?.policies.packs;
  const inPacks = selectPacks(loaded.policies, packs);
  if ('error' in inPacks) {
    // The config file's choice is reported at its line, as its other errors are.
    const at = options.packs === undefined ? config?.policies.packsLocation : undefined;
    if (at) throw configProblem(at, `policies.packs: ${inPacks.error}`);
    throw new GatewardenError('usage', `${options.packs !== undefined ? '--pack' : 'policies.packs'}: ${inPacks.error}`);
  }
  // Ids are checked against every loaded policy, not only the packs': a config that disables a policy
  // outside the pack chosen is still right.
  const all = { ...loaded, policies: inPacks.policies };
  if (!config) return all;
  const unknownId = checkPolicyIds(config, new Set(loaded.policies.map((policy) => policy.id)));
  if (unknownId) throw unknownId;
  const badParameter = checkPolicyParameters(config, loaded.policies);
  if (badParameter) throw badParameter;
  return { policies: selectPolicies(all.policies, config), diagnostics: all.diagnostics };
}

/**
 * Marks the findings of the baseline: `baseline` (relative to `cwd`), else the config file's; the
 * evaluation unchanged when there is none. A baseline that cannot be read stops the scan: reporting
 * every old finding as new, or none, would both mislead a CI gate.
 */
export function withBaseline(
  evaluation: EvaluationResult,
  options: { readonly cwd: string; readonly baseline?: string; readonly config?: LoadedConfig },
  relative: (file: string) => string,
): { evaluation: EvaluationResult; diagnostics: Diagnostic[] } {
  const given = options.baseline ?? options.config?.config.baseline;
  if (given === undefined) return { evaluation, diagnostics: [] };
  const file = path.resolve(options.cwd, given);
  // Through the file-access layer: a FIFO must not hang the run, nor a huge file be read. The path
  // itself is the user's (--baseline) or kept inside the repository by the config loader.
  const read = new FileAccess({ roots: [file], display: relative }).read(file);
  if (!read.ok) {
    const reason = read.refusal === 'not-found' ? 'no such file' : read.message;
    throw new GatewardenError('baseline', `cannot read the baseline ${relative(file)}: ${reason}; create it with --create-baseline ${relative(file)}`);
  }
  const applied = applyBaseline(evaluation.findings, parseBaseline(read.text, relative(file)));
  const shown = relative(file);
  const diagnostics: Diagnostic[] = [];
  if (applied.stale > 0) {
    diagnostics.push({ severity: 'info', code: 'baseline', message: `${applied.stale} findings of the baseline ${shown} are no longer reported (fixed, or changed on the line at fault); run with --create-baseline ${shown} to drop them`, location: lineLocation(shown, 1) });
  }
  if (applied.matchedByRoutes > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'baseline',
      message: `${applied.matchedByRoutes} findings matched the baseline ${shown} through the findings it holds for each of their routes: it was written before gatewarden reported one finding per setting at fault (a stage without throttling, say) instead of one per route; run with --create-baseline ${shown} to refresh it`,
      location: lineLocation(shown, 1),
    });
  }
  return { evaluation: { ...evaluation, findings: applied.findings }, diagnostics };
}

/** The config file's suppressions, as the engine asks for them (`path` globs need the scan root). */
export function configSuppressions(config: GatewardenConfig, cwd: string, today: string): ExternalSuppressionMatcher {
  const toConfigPath = configRelativePath(config, cwd);
  const used = new Set<ConfigSuppression>();
  return {
    find: (finding) => {
      const match = matchConfigSuppression(config, finding, { today, toConfigPath });
      if (!match) return undefined;
      used.add(match);
      return { ...(match.reason !== undefined ? { reason: match.reason } : {}), ...(match.until !== undefined ? { until: match.until } : {}), location: match.location };
    },
    // Expired entries are already a warning of the loader; an entry in force that matched nothing
    // names an address that is gone or misspelt.
    unused: (undecided) =>
      config.suppressions
        .filter((suppression) => !used.has(suppression) && !undecided.has(suppression.policyId) && (suppression.until === undefined || suppression.until >= today))
        .map((suppression) => ({
          severity: 'info' as const,
          code: 'suppression' as const,
          message: `the config suppression of ${suppression.policyId} on ${suppression.address}${suppression.path !== undefined ? ` in ${suppression.path}` : ''} accepted no finding: the finding is fixed, or the address is not one gatewarden reports; remove it or correct the address`,
          location: suppression.location,
        })),
  };
}

/**
 * The limits in force: the defaults, lowered by the config file's `limits:`, then `--limit` (given
 * here), which wins for the same name. The config file is part of the scanned input (a pull request
 * can change it), so it may lower a limit but never raise one: only the command line can.
 */
export function resolveLimits(options: { readonly config?: LoadedConfig; readonly limits?: Partial<Limits> }): Limits {
  const fromConfig = options.config?.config.limits;
  const lowered = fromConfig ? new Map([...fromConfig].map(([name, value]) => [name, Math.min(value, DEFAULT_LIMITS[name])] as const)) : undefined;
  return withLimits(DEFAULT_LIMITS, lowered, options.limits);
}
