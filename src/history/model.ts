import type { Severity } from '../model/findings.js';

// What the history keeps of a finished report, whatever the store. A store records shards and reads
// them back; everything a nightly report says (new, fixed, ages, SLAs) is computed from these records
// (analyse.ts), so a PostgreSQL store only has to implement HistoryStore.

/** The command that produced a report: `scan`, or `audit` with its provider (`audit aws`). */
export type HistoryCommand = 'scan' | `audit ${string}`;

/**
 * What a recorded result says: `open` counts; `suppressed` and `baselined` were accepted by the user;
 * `unknown` is a check that read an unknown value (never a pass, never a finding).
 */
export type HistoryState = 'open' | 'suppressed' | 'baselined' | 'unknown';

/** One finding, or one undecided check, as recorded. Values from the input are kept as the JSON report has them; no secret is ever in a report. */
export interface HistoryFinding {
  /**
   * The finding's fingerprint (docs/json-report.md); for an unknown check, `unknown:` and the policy,
   * entity and route, which identify it as well across runs.
   */
  readonly fingerprint: string;
  readonly state: HistoryState;
  readonly policyId: string;
  /** The policy's severity (after config overrides), also for unknown checks. */
  readonly severity: Severity;
  readonly provider: string;
  /** Framework mappings of the policy (`{ "owasp-api-2023": ["API2"] }`). */
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly entityKind: string;
  readonly entityId: string;
  readonly address: string;
  readonly routeKey?: string;
  /** `file:line` of an IaC finding. */
  readonly location?: string;
  /** The ARN or resource id of a live resource. */
  readonly resourceId?: string;
  /** The finding's message, or the reason a check could not be decided. */
  readonly message: string;
  /** The source file (IaC) the finding is in, for "was this file read?" when it is missing later. */
  readonly file?: string;
  /**
   * What must be read again to decide whether it is fixed: for a live resource, the audit target it
   * was read from (`aws:123456789012/eu-west-1`); for a file, `file:` and its absolute path. Any later
   * run that read it again decides, whatever else it read.
   */
  readonly target?: string;
  /** The gateway (API) the entity belongs to: its entity id, and its name when known. */
  readonly gatewayId?: string;
  readonly gatewayName?: string;
  /** For a live resource, the AWS account, Azure subscription or GCP project it was read from. */
  readonly account?: string;
  /** Who owns the resource (a team, or CODEOWNERS owners joined by spaces), when the report says. */
  readonly owner?: string;
}

/**
 * The checks of one policy in one shard, as the JSON report's `policies[].checks` gives them, with
 * what compliance by framework needs of the policy: its severity and its framework mappings.
 */
export interface HistoryPolicyChecks {
  readonly policyId: string;
  readonly severity: Severity;
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  readonly errors: number;
}

/** One report recorded into a run: a whole scan or audit, or one shard of a run split over jobs. */
export interface HistoryShard {
  readonly runId: string;
  readonly command: HistoryCommand;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly toolVersion: string;
  /**
   * What was read: the scan root and paths (`/repo: .`), or the accounts of an audit
   * (`aws:123456789012/eu-west-1`). Findings are judged fixed only by a later shard with the same scope.
   */
  readonly scope: string;
  readonly targets: readonly string[];
  /** For a scan, the directory it ran in (absolute): what its targets and files are relative to. */
  readonly scanRoot?: string;
  /** The report said incomplete: something was not read or not decided (exit code 2). */
  readonly incomplete: boolean;
  /** Files with an error diagnostic (not parsed, not read): what they held earlier is not checked, not fixed. */
  readonly unreadFiles: readonly string[];
  /** An error not tied to a file (a policy that did not load): nothing missing from this shard can be called fixed. */
  readonly unscopedErrors: number;
  readonly findings: readonly HistoryFinding[];
  /**
   * The checks of every policy that ran, for compliance by framework. Empty or absent for shards
   * recorded before they were kept (history schema version 1) or from reports without them.
   */
  readonly policies?: readonly HistoryPolicyChecks[];
}

/** A recorded run: its shards together. */
export interface HistoryRun {
  readonly id: string;
  /** The earliest start and latest end of its shards. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commands: readonly HistoryCommand[];
  readonly incomplete: boolean;
  readonly shards: readonly HistoryShard[];
}

/** Which runs to read. */
export interface HistoryQuery {
  /** Only runs started at or after this time (ISO 8601). */
  readonly since?: string;
}

/**
 * A place runs are recorded in and read from. The SQLite store is the default (sqlite.ts); a
 * PostgreSQL one implements the same methods. Async so that a network store fits.
 */
export interface HistoryStore {
  /** Records a shard; a shard with the `runId` of a recorded run joins that run. */
  record(shard: HistoryShard): Promise<void>;
  /** Runs oldest first, each with every shard and finding. */
  runs(query?: HistoryQuery): Promise<HistoryRun[]>;
  /**
   * Optional: the history for a report, read without loading every finding (sqlite.ts,
   * postgres.ts). With `since`, it may leave out what a report over that window does not need (the
   * runs before it that the store's walk state covers): analyse it with the same `since` (the
   * PostgreSQL digest reads ahead what that report asks, and throws when asked for another run
   * whole). Valid until {@link close}. A store without it is read with {@link runs}; the report is
   * the same.
   */
  digest?(query?: HistoryQuery): Promise<HistoryDigest>;
  close(): Promise<void>;
}

/** A shard as the walk over the runs sees it: what it read, without its findings. */
export type HistoryShardSummary = Omit<HistoryShard, 'findings'> & {
  /** Its results in the `unknown` state (checks not decided). */
  readonly unknown: number;
};

/**
 * A run as the walk over the runs and the trend see it: its shards without their findings, and its
 * results by fingerprint. As in a run read whole, a fingerprint recorded by two shards counts once,
 * with what the later shard recorded.
 */
export interface HistoryRunSummary {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commands: readonly HistoryCommand[];
  readonly incomplete: boolean;
  readonly shards: readonly HistoryShardSummary[];
  /** The fingerprints open in it, with their severity. */
  readonly open: ReadonlyMap<string, Severity>;
  /** The state of the fingerprints recorded in it and not open. */
  readonly closed: ReadonlyMap<string, Exclude<HistoryState, 'open'>>;
  /**
   * Its counts as the trend shows them, kept by the store on record (`run_trend`): given for a run
   * before the walk state's run, which neither the walk nor the changes look into; then
   * {@link open} and {@link closed} are empty, not read.
   */
  readonly trend?: RunTrend;
}

/** A run's point of the trend: its open fingerprints by severity, and its checks not decided. */
export interface RunTrend {
  readonly open: Readonly<Record<Severity, number>>;
  readonly unknown: number;
}

/**
 * The history read for a report without every finding of every run: a year of nightly runs holds
 * millions of results, of which the report needs few in full. A store that can answer the lookups at
 * once (an embedded one) offers it; analyse.ts gives the same report as from {@link HistoryStore.runs}.
 */
export interface HistoryDigest {
  /**
   * The runs, oldest first: every run, or, with a {@link state}, those from the one before the
   * window (or from the state's run when it is earlier) on.
   */
  readonly runs: readonly HistoryRunSummary[];
  /** The runs of these ids whole (the latest, the previous, the one the window is measured from). */
  full(ids: readonly string[]): HistoryRun[];
  /**
   * The findings open in runs under fingerprints (run id to fingerprints), all asked at once: by run
   * id, then fingerprint, each with the scope of its shard (the later shard's when two have it).
   */
  openFindings(wanted: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, ReadonlyMap<string, HistoryFinding & { readonly scope: string }>>;
  /** `policy|entity|route` of the checks of a run that could not be decided. */
  undecided(runId: string): ReadonlySet<string>;
  /**
   * Where the walk stood after a run the store walked on record: then {@link runs} holds that run
   * and every later one (and those of the window), and the report walks only the runs after it.
   */
  readonly state?: HistoryWalkState;
}

/** A fingerprint the walk over the runs follows: open in the run walked last, or open earlier and not checked since. */
export interface TrackedFinding {
  /** The start of the first run it was open in (this time). */
  readonly firstSeen: string;
  /** Its record from the last run it was open in, when it is not open in the run walked last. */
  readonly finding?: HistoryFinding & { readonly scope: string };
}

/** A fix the walk found: a finding open in a run and gone, from a target read again, in a later one. */
export interface HistoryFix {
  readonly fingerprint: string;
  readonly severity: Severity;
  readonly firstSeen: string;
  /** The start of the run it was gone from. */
  readonly fixedAt: string;
}

/**
 * Where the walk over the runs (ages, time to fix) stood after a run, as a store keeps it up to
 * date on record (`fingerprint_state`, `fixes`, `walk_checkpoint`): a report walks only the runs
 * after it, not a year of them.
 */
export interface HistoryWalkState {
  /** The run walked last. */
  readonly through: { readonly id: string; readonly startedAt: string };
  readonly tracked: ReadonlyMap<string, TrackedFinding>;
  /** Fixes up to {@link through}: all of them, or at least those at or after the `since` the digest was asked for. */
  readonly fixes: readonly HistoryFix[];
}
