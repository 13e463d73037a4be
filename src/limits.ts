import type { Diagnostic } from './model/diagnostic.js';
import type { SourceLocation } from './model/location.js';

/**
 * The limits that bound gatewarden's work on hostile or unlucky input, by the name a user writes in
 * `.gatewarden.yaml` (`limits:`) and on the command line (`--limit NAME=VALUE`). Going over one never
 * truncates silently: the result says which limit stopped what, and is incomplete (exit code 2).
 */
export type LimitName =
  | 'file-size'
  | 'depth'
  | 'hcl-parse-time'
  | 'yaml-alias-nodes'
  | 'instances'
  | 'evaluation-steps'
  | 'entities'
  | 'audit-items'
  | 'audit-response-size'
  | 'policy-time'
  | 'policy-memory';

/** How a limit's value is written and shown. */
export type LimitUnit = 'bytes' | 'count' | 'milliseconds';

/** Every limit's value. */
export type Limits = { readonly [name in LimitName]: number };

/** What a limit bounds, its unit and default. */
export interface LimitSpec {
  readonly unit: LimitUnit;
  readonly default: number;
  /** What the limit counts, for messages and docs ("the size of one input file"). */
  readonly bounds: string;
}

const MiB = 1024 * 1024;

/** The limits, their units and defaults; docs/config.md#limits lists the same table. */
export const LIMITS: { readonly [name in LimitName]: LimitSpec } = {
  'file-size': { unit: 'bytes', default: 256 * MiB, bounds: 'the size of one input file' },
  depth: { unit: 'count', default: 200, bounds: 'the nesting depth of a JSON, YAML or HCL value' },
  'hcl-parse-time': { unit: 'milliseconds', default: 20_000, bounds: 'the time the HCL parser may take on one file' },
  'yaml-alias-nodes': { unit: 'count', default: 100_000, bounds: 'the nodes YAML aliases may add to one document when they are expanded' },
  instances: { unit: 'count', default: 10_000, bounds: 'the instances of one resource or module (count, for_each), or of one template (ARM copy loops, CloudFormation nested stacks)' },
  // The largest roots of the 1,000-file benchmark take about 100,000.
  'evaluation-steps': { unit: 'count', default: 10_000_000, bounds: 'the steps of evaluating one Terraform root module (iterations of for expressions, values encoded or walked)' },
  // 200,000: the largest real repositories hold a few tens of thousands; a million took 3 GB.
  entities: { unit: 'count', default: 200_000, bounds: 'the entities (gateways, routes, stages...) of one scan or audit, and the resource and module instances of a Terraform configuration' },
  'audit-items': { unit: 'count', default: 10_000, bounds: 'the items one audit listing may return (APIs of a region, resources of an API...)' },
  'audit-response-size': { unit: 'bytes', default: 32 * MiB, bounds: 'the size of one response of a cloud API during an audit' },
  'policy-time': { unit: 'milliseconds', default: 10_000, bounds: 'the time one policy may take over all entities' },
  'policy-memory': { unit: 'bytes', default: 512 * MiB, bounds: 'the memory (JavaScript heap) of the child process that evaluates the policies not built in, with its copy of the entities they read' },
};

/** The names of the limits, in the order the docs list them. */
export const LIMIT_NAMES = Object.keys(LIMITS) as readonly LimitName[];

/** The defaults of every limit. */
export const DEFAULT_LIMITS: Limits = Object.fromEntries(LIMIT_NAMES.map((name) => [name, LIMITS[name].default])) as Limits;

/** Tells whether a name is a limit's. */
export function isLimitName(name: string): name is LimitName {
  return Object.hasOwn(LIMITS, name);
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: MiB, gb: 1000 ** 3, gib: 1024 * MiB };
const TIME_UNITS: Readonly<Record<string, number>> = { '': 1, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Reads a limit's value as written: a whole number, a size with its unit for sizes (`200MB`,
 * `1GiB`), a duration for times (`30s`, `500ms`; a bare number is milliseconds). Returns a sentence
 * saying what is wrong otherwise, with an example written as `where` takes it: on the command line
 * (`--limit depth=400`) or in the config file (`depth: 400`).
 */
export function parseLimitValue(name: LimitName, written: string | number, where: 'command-line' | 'config' = 'config'): number | { readonly problem: string } {
  const unit = LIMITS[name].unit;
  const text = String(written).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text);
  const scale = match ? (unit === 'bytes' ? SIZE_UNITS : unit === 'milliseconds' ? TIME_UNITS : { '': 1 })[match[2]!.toLowerCase()] : undefined;
  // A count is a whole number; sizes and durations may be written with a fraction (1.5GiB).
  const whole = unit !== 'count' || !match?.[1]!.includes('.');
  const value = match && scale !== undefined && whole ? Math.floor(Number(match[1]) * scale) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    const example = unit === 'bytes' ? '512MB' : unit === 'milliseconds' ? '30s' : String(LIMITS[name].default * 2);
    const written = where === 'command-line' ? `--limit ${name}=${example}` : `${name}: ${example}`;
    const tooLarge = match && scale !== undefined && whole && value >= 1;
    return { problem: `the limit "${name}" (${LIMITS[name].bounds}) must be a positive ${unit === 'bytes' ? 'size, e.g. 512MB' : unit === 'milliseconds' ? 'duration, e.g. 30s' : 'whole number'}${tooLarge ? ' that is not that large' : ''}; found "${text}" (e.g. ${written})` };
  }
  return value;
}

/** A limit's value as a person reads it: `256 MiB`, `10,000`, `10 s`. */
export function formatLimit(name: LimitName, value: number): string {
  const unit = LIMITS[name].unit;
  if (unit === 'bytes') {
    // In the unit the value was likely written in: 16MB shows as 16 MB, 16MiB as 16 MiB.
    if (value >= MiB && value % MiB === 0) return `${value / MiB} MiB`;
    if (value >= 1_000_000 && value % 1_000_000 === 0) return `${value / 1_000_000} MB`;
    if (value >= 1024 && value % 1024 === 0) return `${value / 1024} KiB`;
    if (value >= 1000 && value % 1000 === 0) return `${value / 1000} KB`;
    return `${value.toLocaleString('en-US')} bytes`;
  }
  if (unit === 'milliseconds') return value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
  return value.toLocaleString('en-US');
}

/** The value to suggest when a limit was too low: a comfortable step above what was met. */
function raisedValue(name: LimitName, current: number, needed?: number): string {
  // Aliases that expand to ten times the limit are a bomb, not a document that needs a little more:
  // suggesting the billion nodes it would take would be advice to explode.
  const plausible = needed !== undefined && !(name === 'yaml-alias-nodes' && needed > current * 10) ? needed : undefined;
  const target = Math.max(current * 2, plausible !== undefined ? plausible + 1 : 0);
  const unit = LIMITS[name].unit;
  if (unit === 'bytes') return `${Math.ceil(target / MiB)}MiB`;
  if (unit === 'milliseconds') return `${Math.ceil(target / 1000)}s`;
  return String(target);
}

/** What was stopped by a limit, for {@link limitDiagnostic}. */
export interface LimitHit {
  readonly name: LimitName;
  /** The value in force. */
  readonly limit: number;
  /** What went over it and what was not done, e.g. "the template is 300 MiB; it was not read". */
  readonly what: string;
  /** The amount met, when known, so that the suggestion is high enough. */
  readonly found?: number;
  readonly location?: SourceLocation;
  readonly address?: string;
}

/**
 * The diagnostic for work stopped by a limit: an error (the result is incomplete) that names the
 * limit, its value, and how to raise it: on the command line, since the config file, part of the
 * scanned input, may only lower limits.
 */
export function limitDiagnostic(hit: LimitHit): Diagnostic {
  const raised = raisedValue(hit.name, hit.limit, hit.found);
  return {
    severity: 'error',
    code: 'limit',
    message: `${hit.what}: over the "${hit.name}" limit (${LIMITS[hit.name].bounds}: ${formatLimit(hit.name, hit.limit)}); if the input is trusted, raise it on the command line with --limit ${hit.name}=${raised}`,
    ...(hit.location ? { location: hit.location } : {}),
    ...(hit.address !== undefined ? { address: hit.address } : {}),
  };
}

/** Limits with some values replaced (the config file's, then the command line's). */
export function withLimits(base: Limits, ...overrides: ReadonlyArray<Partial<Limits> | ReadonlyMap<LimitName, number> | undefined>): Limits {
  const out: { [name in LimitName]: number } = { ...base };
  for (const override of overrides) {
    if (!override) continue;
    const entries = override instanceof Map ? [...override] : Object.entries(override);
    for (const [name, value] of entries) if (isLimitName(name) && typeof value === 'number') out[name] = value;
  }
  return out;
}
