import path from 'node:path';
import { SEVERITIES, type Severity } from '../model/findings.js';
import { days } from '../age.js';
import type { HistoryFinding, HistoryRun, HistoryShard } from './model.js';
import { complianceOf, type FrameworkCompliance } from './compliance.js';

// The nightly report as queries over recorded runs: pure functions of the runs, the time "now", the
// window and the SLAs. New and fixed are decided by fingerprint; a finding missing from a later run is
// fixed only when that run read what held it, otherwise it is "not checked", never fixed.

/** Options of {@link analyseHistory}. */
export interface AnalyseOptions {
  /** When the report is made; ages and SLAs are measured to it. */
  readonly now: Date;
  /** Start of the window (`--since`): changes since then, fixes in it, the trend over it. */
  readonly since?: Date;
  /** Longest time a finding of each severity may stay open, in milliseconds. */
  readonly sla?: Readonly<Partial<Record<Severity, number>>>;
}

/** A finding as the report lists it, with what was recorded of it. */
export interface ReportedFinding extends HistoryFinding {
  /** The scope (scan root and paths, or accounts) of the shard it was recorded in. */
  readonly scope: string;
}

/** An open finding with its age. */
export interface OpenFinding extends ReportedFinding {
  /** The start of the first run in which it was open (this time). */
  readonly firstSeen: string;
  readonly ageDays: number;
  /** Days its severity may stay open, when an SLA is set for it. */
  readonly slaDays?: number;
  /** Open longer than its SLA. */
  readonly pastSla: boolean;
}

/** How the findings of one run stand in a later one. */
export interface Changes {
  /** The earlier run. */
  readonly from: { readonly id: string; readonly startedAt: string };
  /** Open now, not open then. */
  readonly new: readonly ReportedFinding[];
  /** Open then, gone now from a target that was read again. */
  readonly fixed: readonly ReportedFinding[];
  /** Open then and now. */
  readonly stillOpen: readonly ReportedFinding[];
  /** Open then, accepted now by a suppression or the baseline. */
  readonly accepted: readonly ReportedFinding[];
  /** Open then, and what held it was not read or not decided now: neither fixed nor open. */
  readonly notChecked: readonly ReportedFinding[];
}

/** Counts under one name (a provider, a policy, a target). */
export interface Count {
  readonly name: string;
  readonly count: number;
}

/** Open findings of one gateway: its entity id, the scope it was read in, and its name when known. */
export interface GatewayCount extends Count {
  readonly id: string;
  readonly scope: string;
}

/** One run of the trend. */
export interface TrendPoint {
  readonly runId: string;
  readonly startedAt: string;
  readonly open: Readonly<Record<Severity, number>>;
  readonly unknown: number;
  readonly incomplete: boolean;
}

/** A run that was incomplete, and what in it was not read or decided. */
export interface IncompleteRun {
  readonly id: string;
  readonly startedAt: string;
  readonly targets: ReadonlyArray<{ readonly scope: string; readonly unreadFiles: readonly string[]; readonly unscopedErrors: number; readonly unknown: number }>;
}

/** Mean time to fix of one severity, over the fixes in the window. */
export interface FixTime {
  readonly fixed: number;
  /** Undefined when nothing of that severity was fixed. */
  readonly meanDays?: number;
}

/** Everything `gatewarden report` renders. */
export interface HistoryReport {
  readonly generatedAt: string;
  readonly since?: string;
  /** Runs in the window (all runs without --since). */
  readonly runs: number;
  readonly latest?: { readonly id: string; readonly startedAt: string; readonly finishedAt: string; readonly commands: readonly string[]; readonly incomplete: boolean; readonly scopes: readonly string[] };
  readonly posture: {
    readonly open: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byProvider: readonly Count[];
    readonly byPolicy: readonly Count[];
    readonly byTarget: readonly Count[];
    /** Live findings by `provider:account` (AWS account, Azure subscription, GCP project). */
    readonly byAccount: readonly Count[];
    /** By gateway; `name` is its name, or its id when the name is not known. */
    readonly byGateway: readonly GatewayCount[];
    readonly byOwner: readonly Count[];
    /** Open findings no owner is known for. */
    readonly unowned: number;
    readonly suppressed: number;
    readonly baselined: number;
    readonly unknown: number;
  };
  readonly sincePrevious?: Changes;
  readonly sinceWindow?: Changes;
  readonly open: readonly OpenFinding[];
  readonly pastSla: readonly OpenFinding[];
  readonly meanTimeToFix: Readonly<Record<Severity, FixTime>>;
  /** Checks of the latest run that could not be decided. */
  readonly unknown: readonly ReportedFinding[];
  readonly incompleteRuns: readonly IncompleteRun[];
  readonly trend: readonly TrendPoint[];
  /** Compliance of the latest run by framework (empty when it recorded no policy checks). */
  readonly compliance: readonly FrameworkCompliance[];
}

/** A run's results by fingerprint. */
interface RunIndex {
  readonly run: HistoryRun;
  readonly open: ReadonlyMap<string, ReportedFinding>;
  readonly all: ReadonlyMap<string, ReportedFinding>;
  /** `policy|entity|route` of the checks that could not be decided. */
  readonly undecided: ReadonlySet<string>;
  readonly shards: ReadonlyMap<string, HistoryShard>;
}

/** What became of a finding open earlier, in a later run where it is not open. */
type Fate = 'fixed' | 'accepted' | 'not-checked';

function checkKey(finding: Pick<HistoryFinding, 'policyId' | 'entityId' | 'routeKey'>): string {
  return `${finding.policyId}|${finding.entityId}|${finding.routeKey ?? ''}`;
}

function indexRun(run: HistoryRun): RunIndex {
  const open = new Map<string, ReportedFinding>();
  const all = new Map<string, ReportedFinding>();
  const undecided = new Set<string>();
  const shards = new Map<string, HistoryShard>();
  for (const shard of run.shards) {
    shards.set(shard.scope, shard);
    for (const finding of shard.findings) {
      const reported = { ...finding, scope: shard.scope };
      all.set(finding.fingerprint, reported);
      if (finding.state === 'open') open.set(finding.fingerprint, reported);
      if (finding.state === 'unknown') undecided.add(checkKey(finding));
    }
  }
  return { run, open, all, undecided, shards };
}

/**
 * The fate of a finding open earlier and not open in `later`: accepted when a suppression or the
 * baseline took it; not checked when its target was not read again, its file could not be read, an
 * error stopped policies, or its check could not be decided; fixed otherwise.
 */
function fateOf(finding: ReportedFinding, later: RunIndex): Fate {
  const now = later.all.get(finding.fingerprint);
  if (now && (now.state === 'suppressed' || now.state === 'baselined')) return 'accepted';
  const shard = coveringShard(finding, later);
  if (!shard || shard.unscopedErrors > 0) return 'not-checked';
  if (finding.target?.startsWith('file:') && shard.scanRoot !== undefined) {
    const file = finding.target.slice('file:'.length);
    if (shard.unreadFiles.some((unread) => path.resolve(shard.scanRoot!, unread) === file)) return 'not-checked';
  } else if (finding.file !== undefined && shard.unreadFiles.includes(finding.file)) {
    return 'not-checked';
  }
  if (later.undecided.has(checkKey(finding))) return 'not-checked';
  return 'fixed';
}

/**
 * The shard of a later run that read again what held a finding: for a file, a scan whose paths
 * include it (scanning `.` covers what a scan of `infra` found), else one of the same scope; for a
 * live resource, an audit of its account and region; for records without a target, the same scope.
 */
function coveringShard(finding: ReportedFinding, later: RunIndex): HistoryShard | undefined {
  const target = finding.target;
  if (target === undefined) return later.shards.get(finding.scope);
  const shards = [...later.shards.values()];
  if (!target.startsWith('file:')) return shards.find((shard) => shard.targets.includes(target));
  const file = target.slice('file:'.length);
  // A file outside the paths scanned (a module in ../modules, a file under --allow-read) was read
  // because of what is inside them: the same scope reads it again.
  return shards.find((shard) => shard.scanRoot !== undefined && shard.targets.some((scanned) => isWithin(file, path.resolve(shard.scanRoot!, scanned)))) ?? later.shards.get(finding.scope);
}

function isWithin(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function changes(from: RunIndex, to: RunIndex): Changes {
  const result = { new: [] as ReportedFinding[], fixed: [] as ReportedFinding[], stillOpen: [] as ReportedFinding[], accepted: [] as ReportedFinding[], notChecked: [] as ReportedFinding[] };
  for (const [fingerprint, finding] of to.open) (from.open.has(fingerprint) ? result.stillOpen : result.new).push(finding);
  for (const [fingerprint, finding] of from.open) {
    if (to.open.has(fingerprint)) continue;
    const fate = fateOf(finding, to);
    (fate === 'fixed' ? result.fixed : fate === 'accepted' ? result.accepted : result.notChecked).push(finding);
  }
  const sorted = (list: ReportedFinding[]): ReportedFinding[] => list.sort(compareReported);
  return {
    from: { id: from.run.id, startedAt: from.run.startedAt },
    new: sorted(result.new),
    fixed: sorted(result.fixed),
    stillOpen: sorted(result.stillOpen),
    accepted: sorted(result.accepted),
    notChecked: sorted(result.notChecked),
  };
}

/** Most severe first, then policy, entity and route: the order every list of the report uses. */
export function compareReported(a: HistoryFinding, b: HistoryFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.policyId.localeCompare(b.policyId) ||
    a.entityId.localeCompare(b.entityId) ||
    (a.routeKey ?? '').localeCompare(b.routeKey ?? '') ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

function zeroBySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
}

function counts(values: readonly string[]): Count[] {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return [...map].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Builds the report from every recorded run (oldest first): the window only narrows what it says. */
export function analyseHistory(runs: readonly HistoryRun[], options: AnalyseOptions): HistoryReport {
  const since = options.since?.toISOString();
  const indexes = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id)).map(indexRun);
  const inWindow = (run: HistoryRun): boolean => since === undefined || run.startedAt >= since;
  const windowRuns = indexes.filter((index) => inWindow(index.run));

  // Walk the runs in order: when each finding was first open (this time), and how long fixes took.
  const tracked = new Map<string, { finding: ReportedFinding; firstSeen: string }>();
  const fixDays: Record<Severity, number[]> = Object.fromEntries(SEVERITIES.map((severity) => [severity, []])) as unknown as Record<Severity, number[]>;
  for (const index of indexes) {
    for (const [fingerprint, entry] of tracked) {
      if (index.open.has(fingerprint)) continue;
      const fate = fateOf(entry.finding, index);
      if (fate === 'not-checked') continue;
      tracked.delete(fingerprint);
      if (fate === 'fixed' && inWindow(index.run)) fixDays[entry.finding.severity].push(Date.parse(index.run.startedAt) - Date.parse(entry.firstSeen));
    }
    for (const [fingerprint, finding] of index.open) {
      const entry = tracked.get(fingerprint);
      tracked.set(fingerprint, { finding, firstSeen: entry?.firstSeen ?? index.run.startedAt });
    }
  }

  const latest = indexes.at(-1);
  const previous = indexes.at(-2);
  const now = options.now.getTime();
  const open: OpenFinding[] = latest
    ? [...latest.open.values()].sort(compareReported).map((finding) => {
        const firstSeen = tracked.get(finding.fingerprint)?.firstSeen ?? latest.run.startedAt;
        const age = now - Date.parse(firstSeen);
        const sla = options.sla?.[finding.severity];
        return { ...finding, firstSeen, ageDays: days(age), ...(sla !== undefined ? { slaDays: days(sla) } : {}), pastSla: sla !== undefined && age > sla };
      })
    : [];
  // The run the window is measured from: the last one before it, else the first one in it.
  const windowBase = since === undefined ? indexes[0] : ([...indexes].reverse().find((index) => index.run.startedAt < since) ?? windowRuns[0]);
  const all = latest ? [...latest.all.values()] : [];

  return {
    generatedAt: options.now.toISOString(),
    ...(since !== undefined ? { since } : {}),
    runs: windowRuns.length,
    ...(latest
      ? { latest: { id: latest.run.id, startedAt: latest.run.startedAt, finishedAt: latest.run.finishedAt, commands: latest.run.commands, incomplete: latest.run.incomplete, scopes: [...latest.shards.keys()].sort() } }
      : {}),
    posture: {
      open: open.length,
      bySeverity: open.reduce((bySeverity, finding) => ({ ...bySeverity, [finding.severity]: bySeverity[finding.severity] + 1 }), zeroBySeverity()),
      byProvider: counts(open.map((finding) => finding.provider)),
      byPolicy: counts(open.map((finding) => finding.policyId)),
      byTarget: counts(open.map((finding) => finding.scope)),
      byAccount: counts(open.flatMap((finding) => (finding.account !== undefined ? [`${finding.provider}:${finding.account}`] : []))),
      byGateway: gatewayCounts(open),
      byOwner: counts(open.flatMap((finding) => (finding.owner !== undefined ? [finding.owner] : []))),
      unowned: open.filter((finding) => finding.owner === undefined).length,
      suppressed: all.filter((finding) => finding.state === 'suppressed').length,
      baselined: all.filter((finding) => finding.state === 'baselined').length,
      unknown: all.filter((finding) => finding.state === 'unknown').length,
    },
    ...(latest && previous ? { sincePrevious: changes(previous, latest) } : {}),
    ...(latest && windowBase && windowBase !== latest ? { sinceWindow: changes(windowBase, latest) } : {}),
    open,
    pastSla: open.filter((finding) => finding.pastSla),
    meanTimeToFix: Object.fromEntries(
      SEVERITIES.map((severity) => {
        const list = fixDays[severity];
        return [severity, list.length === 0 ? { fixed: 0 } : { fixed: list.length, meanDays: days(list.reduce((sum, value) => sum + value, 0) / list.length) }];
      }),
    ) as Record<Severity, FixTime>,
    unknown: all.filter((finding) => finding.state === 'unknown').sort(compareReported),
    incompleteRuns: windowRuns
      .filter((index) => index.run.incomplete)
      .map((index) => ({
        id: index.run.id,
        startedAt: index.run.startedAt,
        targets: index.run.shards
          .filter((shard) => shard.incomplete)
          .map((shard) => ({ scope: shard.scope, unreadFiles: shard.unreadFiles, unscopedErrors: shard.unscopedErrors, unknown: shard.findings.filter((finding) => finding.state === 'unknown').length })),
      })),
    trend: windowRuns.map((index) => {
      const bySeverity = zeroBySeverity();
      for (const finding of index.open.values()) bySeverity[finding.severity]++;
      return { runId: index.run.id, startedAt: index.run.startedAt, open: bySeverity, unknown: [...index.all.values()].filter((finding) => finding.state === 'unknown').length, incomplete: index.run.incomplete };
    }),
    compliance: latest ? complianceOf(latest.run.shards) : [],
  };
}

/**
 * Open findings by gateway. Entity ids of code are relative to the directory scanned, so the same id
 * in two scopes (two repositories) is two gateways.
 */
function gatewayCounts(open: readonly ReportedFinding[]): GatewayCount[] {
  const map = new Map<string, { id: string; scope: string; name: string; count: number }>();
  for (const finding of open) {
    if (finding.gatewayId === undefined) continue;
    const key = `${finding.scope}\u0000${finding.gatewayId}`;
    const entry = map.get(key) ?? { id: finding.gatewayId, scope: finding.scope, name: finding.gatewayName ?? finding.gatewayId, count: 0 };
    entry.count++;
    map.set(key, entry);
  }
  return [...map.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name) || a.id.localeCompare(b.id) || a.scope.localeCompare(b.scope));
}
