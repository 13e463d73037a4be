import path from 'node:path';
import type { FindingSuppression, Severity } from '../model/findings.js';
import type { ConfigSuppression, GatewardenConfig } from './config.js';
import { compileGlobs } from './glob.js';
import { ANY, compilePattern, literal, type Matcher } from './wildcard-automaton.js';

/** What {@link selectPolicies} needs of a policy; `Policy` of the engine fits. */
export interface SelectablePolicy {
  readonly id: string;
  readonly severity: Severity;
  readonly variants?: ReadonlyArray<{ readonly severity: Severity }>;
  /** The engine evaluates compiled variants, so an override must reach them too. */
  readonly compiled?: { readonly variants?: ReadonlyArray<{ readonly severity: Severity }> };
  /** The values its expressions read as `params`; `policies.parameters` replaces some. */
  readonly params?: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Applies the `policies` section: keeps the policies `enable` lists (all when it is absent), drops
 * those `disable` lists (disable wins over enable), and gives those with a `severity` override that
 * severity, as their base severity and as every variant's (in `variants` and `compiled.variants`),
 * so that a policy overridden to `critical` reports `critical` whatever case it hits; and sets the
 * parameter values `parameters` gives. Returns new
 * objects for overridden policies and the same objects otherwise, in the input order.
 */
export function selectPolicies<P extends SelectablePolicy>(policies: readonly P[], config: Pick<GatewardenConfig, 'policies'>): P[] {
  const { enable, disable, severity } = config.policies;
  const enabled = enable === undefined ? undefined : new Set(enable);
  const disabled = new Set(disable ?? []);
  const out: P[] = [];
  for (const policy of policies) {
    if (enabled !== undefined && !enabled.has(policy.id)) continue;
    if (disabled.has(policy.id)) continue;
    const override = severity?.get(policy.id);
    const withOverride = override === undefined ? policy : withSeverity(policy, override);
    const values = config.policies.parameters?.get(policy.id);
    // Names and types were checked against the policy (checkPolicyParameters); only declared ones are set.
    out.push(values === undefined || policy.params === undefined ? withOverride : { ...withOverride, params: { ...policy.params, ...Object.fromEntries([...values].filter(([name]) => Object.hasOwn(policy.params!, name)).map(([name, { value }]) => [name, value])) } });
  }
  return out;
}

function withSeverity<P extends SelectablePolicy>(policy: P, severity: Severity): P {
  const retarget = <V extends { readonly severity: Severity }>(variants: readonly V[]): V[] => variants.map((variant) => ({ ...variant, severity }));
  return {
    ...policy,
    severity,
    ...(policy.variants !== undefined ? { variants: retarget(policy.variants) } : {}),
    ...(policy.compiled?.variants !== undefined ? { compiled: { ...policy.compiled, variants: retarget(policy.compiled.variants) } } : {}),
  };
}

/** What {@link matchConfigSuppression} needs of a finding; the engine's `Finding` has the first two, and the file is `location.file`. */
export interface SuppressibleFinding {
  readonly policyId: string;
  readonly address: string;
  /** The finding's file, relative to the scan root (as in reports). */
  readonly file: string;
}

/** Options of {@link matchConfigSuppression}. */
export interface SuppressionMatchOptions {
  /** `YYYY-MM-DD`: a suppression is in force through its `until` day. */
  readonly today: string;
  /**
   * Converts a finding's file (relative to the scan root) into a path relative to the config file's
   * directory, which `path` globs are written against; see {@link configRelativePath}. The identity
   * when absent, which is right only when the scan root is the config file's directory.
   */
  readonly toConfigPath?: (file: string) => string;
}

interface CompiledSuppression {
  readonly address: Matcher;
  readonly path?: (relPath: string) => boolean;
}

/** Compiled once per suppression: matching runs for every finding. */
const compiled = new WeakMap<ConfigSuppression, CompiledSuppression>();

function compile(suppression: ConfigSuppression): CompiledSuppression {
  let entry = compiled.get(suppression);
  if (!entry) {
    entry = { address: addressPattern(suppression.address), ...(suppression.path !== undefined ? { path: compileGlobs([suppression.path]) } : {}) };
    compiled.set(suppression, entry);
  }
  return entry;
}

/**
 * Compiles an address pattern: `*` matches any characters, dots, brackets and quotes included
 * (`module.legacy.*`, `aws_api_gateway_method.this[*]`); every other character is literal, since
 * addresses are full of `.`, `[` and `"`.
 */
export function addressPattern(pattern: string): Matcher {
  // An automaton, not a regular expression: `*a*a*a*a*a*a*a*a` against a long address backtracked for
  // minutes, and both come from the scanned repository.
  return compilePattern([...pattern].map((char) => (char === '*' ? { kind: 'repeat', test: ANY } : literal(char))));
}

/**
 * The first suppression of the config file, in file order, that accepts a finding: same policy id,
 * an address matching `address`, a file matching `path` when it has one, and in force (no `until`,
 * or `until` today or later). Expired suppressions accept nothing (the loader warns about them).
 */
export function matchConfigSuppression(config: Pick<GatewardenConfig, 'suppressions'>, finding: SuppressibleFinding, options: SuppressionMatchOptions): ConfigSuppression | undefined {
  let relative: string | undefined;
  for (const suppression of config.suppressions) {
    if (suppression.policyId !== finding.policyId) continue;
    if (suppression.until !== undefined && suppression.until < options.today) continue;
    const { address, path: inPath } = compile(suppression);
    if (!address.test(finding.address)) continue;
    if (inPath) {
      relative ??= options.toConfigPath ? options.toConfigPath(finding.file) : finding.file;
      // A file outside the config's directory cannot be named by a pattern relative to it.
      if (isOutside(relative) || !inPath(relative)) continue;
    }
    return suppression;
  }
  return undefined;
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative) || /^[A-Za-z]:[\\/]/.test(relative);
}

/**
 * A converter from paths relative to the scan root (how findings name files) to paths relative to
 * the config file's directory, with `/` separators, for {@link SuppressionMatchOptions.toConfigPath}.
 */
export function configRelativePath(config: Pick<GatewardenConfig, 'dir'>, scanRoot: string): (file: string) => string {
  const root = path.resolve(scanRoot);
  return (file) => path.relative(config.dir, path.resolve(root, file)).split(path.sep).join('/');
}

/**
 * A predicate over absolute paths for `exclude`: true when a pattern matches the path relative to
 * the config file's directory. Paths outside that directory are never excluded. Pass a directory
 * with a trailing separator to ask whether everything in it is excluded (see glob.ts).
 */
export function excludeMatcher(config: Pick<GatewardenConfig, 'dir' | 'exclude'>): (absolutePath: string) => boolean {
  const matches = compileGlobs(config.exclude);
  if (config.exclude.length === 0) return () => false;
  return (absolutePath) => {
    const directory = absolutePath.endsWith('/') || absolutePath.endsWith(path.sep);
    const relative = path.relative(config.dir, path.resolve(absolutePath)).split(path.sep).join('/');
    if (relative === '' || isOutside(relative)) return false;
    return matches(directory ? `${relative}/` : relative);
  };
}

/** The suppression of a finding as reports show it: kind `config`, with the entry's reason, expiry and location. */
export function toFindingSuppression(suppression: ConfigSuppression): FindingSuppression {
  return {
    kind: 'config',
    ...(suppression.reason !== undefined ? { reason: suppression.reason } : {}),
    ...(suppression.until !== undefined ? { until: suppression.until } : {}),
    location: suppression.location,
  };
}
