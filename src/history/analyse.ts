import path from 'node:path';
import { SEVERITIES, type Severity } from '../model/findings.js';
import { days } from '../age.js';
import type { HistoryDigest, HistoryFinding, HistoryFix, HistoryRun, HistoryRunSummary, HistoryShard, HistoryState, HistoryWalkState, RunTrend, TrackedFinding } from './model.js';
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
interface RunIndex extends LaterRun {
  readonly run: HistoryRun;
  readonly open: ReadonlyMap<string, ReportedFinding>;
  readonly all: ReadonlyMap<string, ReportedFinding>;
}

/** What deciding the fate of a finding needs of the later run. */
interface LaterRun {
  /** The state recorded last in the run under a fingerprint. */
  state(fingerprint: string): HistoryState | undefined;
  readonly shards: ReadonlyMap<string, ShardScope>;
  /** `policy|entity|route` of the checks that could not be decided. */
  undecided(): ReadonlySet<string>;
}

/** What a shard read, as deciding "fixed" or "not checked" needs it. */
type ShardScope = Pick<HistoryShard, 'scope' | 'targets' | 'scanRoot' | 'unreadFiles' | 'unscopedErrors'>;

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
  return { run, open, all, state: (fingerprint) => all.get(fingerprint)?.state, shards, undecided: () => undecided };
}

/**
 * The fate of a finding open earlier and not open in `later`: accepted when a suppression or the
 * baseline took it; not checked when its target was not read again, its file could not be read, an
 * error stopped policies, or its check could not be decided; fixed otherwise.
 */
function fateOf(finding: ReportedFinding, later: LaterRun): Fate {
  const now = later.state(finding.fingerprint);
  if (now === 'suppressed' || now === 'baselined') return 'accepted';
  const shard = coveringShard(finding, later);
  if (!shard || shard.unscopedErrors > 0) return 'not-checked';
  if (finding.target?.startsWith('file:') && shard.scanRoot !== undefined) {
    const file = finding.target.slice('file:'.length);
    if (shard.unreadFiles.some((unread) => path.resolve(shard.scanRoot!, unread) === file)) return 'not-checked';
  } else if (finding.file !== undefined && shard.unreadFiles.includes(finding.file)) {
    return 'not-checked';
  }
  if (later.undecided().has(checkKey(finding))) return 'not-checked';
  return 'fixed';
}

/**
 * The shard of a later run that read again what held a finding: for a file, a scan whose paths
 * include it (scanning `.` covers what a scan of `infra` found), else one of the same scope; for a
 * live resource, an audit of its account and region; for records without a target, the same scope.
 */
function coveringShard(finding: ReportedFinding, later: LaterRun): ShardScope | undefined {
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
  const sorted = (list: ReportedFinding[]): ReportedFinding[] => sortReported(list);
  return {
    from: { id: from.run.id, startedAt: from.run.startedAt },
    new: sorted(result.new),
    fixed: sorted(result.fixed),
    stillOpen: sorted(result.stillOpen),
    accepted: sorted(result.accepted),
    notChecked: sorted(result.notChecked),
  };
}

// The order of String.prototype.localeCompare (the default locale and options), from one collator:
// the same order, without making one for each of the many comparisons of a long list.
const collate = new Intl.Collator().compare;

/** Most severe first, then policy, entity and route: the order every list of the report uses. */
export function compareReported(a: HistoryFinding, b: HistoryFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    collate(a.policyId, b.policyId) ||
    collate(a.entityId, b.entityId) ||
    collate(a.routeKey ?? '', b.routeKey ?? '') ||
    collate(a.fingerprint, b.fingerprint)
  );
}

/**
 * Sorts a list in the order of {@link compareReported}, comparing each distinct text once: the
 * texts of a field are ranked by the collator (texts it calls equal share a rank), then the list is
 * sorted by ranks. The same order; thousands of findings sort in milliseconds rather than a second.
 */
export function sortReported<T extends HistoryFinding>(list: T[]): T[] {
  const rank = (values: Iterable<string>): Map<string, number> => {
    const distinct = [...new Set(values)].sort(collate);
    const ranks = new Map<string, number>();
    distinct.forEach((value, index) => ranks.set(value, index > 0 && collate(distinct[index - 1]!, value) === 0 ? ranks.get(distinct[index - 1]!)! : index));
    return ranks;
  };
  const policies = rank(list.map((finding) => finding.policyId));
  const entities = rank(list.map((finding) => finding.entityId));
  const routes = rank(list.map((finding) => finding.routeKey ?? ''));
  const fingerprints = rank(list.map((finding) => finding.fingerprint));
  const keyed = list.map((finding) => ({
    finding,
    key: [SEVERITIES.indexOf(finding.severity), policies.get(finding.policyId)!, entities.get(finding.entityId)!, routes.get(finding.routeKey ?? '')!, fingerprints.get(finding.fingerprint)!] as const,
  }));
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.key[3] - b.key[3] || a.key[4] - b.key[4]);
  keyed.forEach((entry, index) => (list[index] = entry.finding));
  return list;
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
  return analyseDigest(digestOf(runs), options);
}

/** A run read whole, as a summary: what {@link analyseDigest} walks. */
export function summaryOf(run: HistoryRun): HistoryRunSummary {
  const open = new Map<string, Severity>();
  // The state recorded last under each fingerprint, for those open in no shard of the run.
  const closed = new Map<string, Exclude<HistoryState, 'open'>>();
  for (const shard of run.shards) {
    for (const finding of shard.findings) {
      if (finding.state === 'open') {
        open.set(finding.fingerprint, finding.severity);
        closed.delete(finding.fingerprint);
      } else {
        closed.set(finding.fingerprint, finding.state);
      }
    }
  }
  const shards = run.shards.map(({ findings, ...shard }) => ({ ...shard, unknown: findings.filter((finding) => finding.state === 'unknown').length }));
  return { id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, commands: run.commands, incomplete: run.incomplete, shards, open, closed };
}

/** Runs read whole, as a digest: the same report either way. */
function digestOf(runs: readonly HistoryRun[]): HistoryDigest {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const indexes = new Map<string, RunIndex>();
  const indexOf = (id: string): RunIndex => {
    let index = indexes.get(id);
    if (index === undefined) indexes.set(id, (index = indexRun(byId.get(id)!)));
    return index;
  };
  return {
    runs: runs.map(summaryOf),
    full: (ids) => ids.map((id) => byId.get(id)!),
    openFindings: (wanted) =>
      new Map(
        [...wanted].map(([id, fingerprints]) => {
          const { open } = indexOf(id);
          return [id, new Map(fingerprints.flatMap((fingerprint) => (open.has(fingerprint) ? [[fingerprint, open.get(fingerprint)!] as const] : [])))];
        }),
      ),
    undecided: (id) => indexOf(id).undecided(),
  };
}

/** A run summary as the later run of a fate: the lookups it needs, the undecided checks read once when asked. */
function laterOf(summary: HistoryRunSummary, digest: Pick<HistoryDigest, 'undecided'>): LaterRun {
  const shards = new Map<string, ShardScope>();
  for (const shard of summary.shards) shards.set(shard.scope, shard);
  let undecided: ReadonlySet<string> | undefined;
  return {
    state: (fingerprint) => (summary.open.has(fingerprint) ? 'open' : summary.closed.get(fingerprint)),
    shards,
    undecided: () => (undecided ??= digest.undecided(summary.id)),
  };
}

/** A run's point of the trend from its fingerprints: what the stores keep on record (`run_trend`) and the report shows. */
export function trendOf(summary: Pick<HistoryRunSummary, 'open' | 'closed'>): RunTrend {
  const bySeverity = zeroBySeverity();
  for (const severity of summary.open.values()) bySeverity[severity]++;
  let unknown = 0;
  for (const state of summary.closed.values()) if (state === 'unknown') unknown++;
  return { open: bySeverity, unknown };
}

/** The order of runs the walk and the report use: by start, then id. */
export function compareRuns(a: { readonly startedAt: string; readonly id: string }, b: { readonly startedAt: string; readonly id: string }): number {
  return a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);
}

/** The runs a walk from `start` looks at: its run and those after it (all without a start). */
export function walkedRuns(summaries: readonly HistoryRunSummary[], start?: HistoryWalkState): readonly HistoryRunSummary[] {
  if (start === undefined) return summaries;
  const first = summaries.findIndex((summary) => summary.id === start.through.id);
  if (first < 0) throw new Error(`the history's walk state is at run ${start.through.id}, which the digest does not hold`);
  return summaries.slice(first);
}

/** For each of the runs `walked` (in order), the fingerprints open in it and not in the next: what the walk reads in full. */
export function goneAfter(walked: readonly HistoryRunSummary[]): Map<string, string[]> {
  const goneNext = new Map<string, string[]>();
  walked.forEach((summary, index) => {
    const next = walked[index + 1];
    if (next === undefined) return;
    const gone: string[] = [];
    for (const fingerprint of summary.open.keys()) if (!next.open.has(fingerprint)) gone.push(fingerprint);
    if (gone.length > 0) goneNext.set(summary.id, gone);
  });
  return goneNext;
}

/**
 * The runs a report reads whole (latest, previous, the one the window is measured from), of the
 * summaries in order: the last run before `since`, else the first in the window.
 */
export function fullRunIds(summaries: readonly HistoryRunSummary[], since: string | undefined): { latest?: HistoryRunSummary; previous?: HistoryRunSummary; base?: HistoryRunSummary; ids: string[] } {
  const base = since === undefined ? summaries[0] : ([...summaries].reverse().find((summary) => summary.startedAt < since) ?? summaries.find((summary) => summary.startedAt >= since));
  const latest = summaries.at(-1);
  const previous = summaries.at(-2);
  const ids = [...new Set([latest, previous, base].flatMap((summary) => (summary ? [summary.id] : [])))];
  return { ...(latest ? { latest } : {}), ...(previous ? { previous } : {}), ...(base ? { base } : {}), ids };
}

/** Where a walk over runs ends: what it still follows, and the fixes it found. */
export interface WalkResult {
  readonly tracked: Map<string, TrackedFinding>;
  readonly fixes: HistoryFix[];
}

/**
 * Walks the runs in order (`summaries`, sorted by {@link compareRuns}): when each finding was first
 * open (this time), and which were fixed, when. From `start`, the walk begins after its run (which
 * must be among `summaries`) with what it tracked; without, at the first run. The report walks the
 * runs after the store's state; a store walks on record to keep that state (walk-state.ts).
 */
export function walkRuns(summaries: readonly HistoryRunSummary[], digest: Pick<HistoryDigest, 'openFindings' | 'undecided'>, start?: HistoryWalkState): WalkResult {
  const walked = walkedRuns(summaries, start);
  // A tracked finding keeps its record only while it is missing ("not checked"); one open in the
  // previous run is read from there when it goes missing, so that a year of runs is never all in memory.
  // Those open in a run and not in the next are all read at once, before the walk.
  const goneNext = goneAfter(walked);
  const goneRecords = goneNext.size > 0 ? digest.openFindings(goneNext) : new Map<string, ReadonlyMap<string, ReportedFinding>>();
  const tracked = new Map<string, { firstSeen: string; finding: ReportedFinding | undefined }>();
  // The tracked fingerprints not open in the run walked last ("not checked" since): with those gone
  // from it, what may be missing from the next run, so that the open ones are not looked at again.
  const carried = new Set<string>();
  for (const [fingerprint, entry] of start?.tracked ?? []) {
    tracked.set(fingerprint, { firstSeen: entry.firstSeen, finding: entry.finding });
    if (entry.finding !== undefined) carried.add(fingerprint);
  }
  const fixes: HistoryFix[] = [];
  let before: HistoryRunSummary | undefined = start !== undefined ? walked[0] : undefined;
  for (const summary of start !== undefined ? walked.slice(1) : walked) {
    const missing = before ? [...(goneNext.get(before.id) ?? [])] : [];
    for (const fingerprint of carried) if (!summary.open.has(fingerprint)) missing.push(fingerprint);
    if (missing.length > 0) {
      // A tracked finding without its record was open in the run before.
      const records = (before && goneRecords.get(before.id)) ?? new Map<string, ReportedFinding>();
      const later = laterOf(summary, digest);
      for (const fingerprint of missing) {
        const entry = tracked.get(fingerprint)!;
        const finding = entry.finding ?? records.get(fingerprint)!;
        const fate = fateOf(finding, later);
        if (fate === 'not-checked') {
          entry.finding = finding;
          carried.add(fingerprint);
          continue;
        }
        tracked.delete(fingerprint);
        carried.delete(fingerprint);
        if (fate === 'fixed') fixes.push({ fingerprint, severity: finding.severity, firstSeen: entry.firstSeen, fixedAt: summary.startedAt });
      }
    }
    for (const fingerprint of summary.open.keys()) {
      if (before?.open.has(fingerprint)) continue;
      const entry = tracked.get(fingerprint);
      if (entry) {
        entry.finding = undefined;
        carried.delete(fingerprint);
      } else {
        tracked.set(fingerprint, { firstSeen: summary.startedAt, finding: undefined });
      }
    }
    before = summary;
  }
  const result = new Map<string, TrackedFinding>();
  for (const [fingerprint, entry] of tracked) result.set(fingerprint, entry.finding === undefined ? { firstSeen: entry.firstSeen } : { firstSeen: entry.firstSeen, finding: entry.finding });
  return { tracked: result, fixes };
}

/**
 * Builds the report from a digest of the history: the walk over the runs needs only which
 * fingerprints each has open, and a finding in full only when it goes missing, and with the store's
 * walk state ({@link HistoryDigest.state}) it walks only the runs after the state's run; the posture
 * and the changes need the latest run, the previous one and the one the window is measured from,
 * read whole. The report is the same as from every run read whole ({@link analyseHistory}).
 */
export function analyseDigest(digest: HistoryDigest, options: AnalyseOptions): HistoryReport {
  const since = options.since?.toISOString();
  const summaries = [...digest.runs].sort(compareRuns);
  const inWindow = (run: HistoryRunSummary): boolean => since === undefined || run.startedAt >= since;
  const windowRuns = summaries.filter(inWindow);

  const walked = walkRuns(summaries, digest, digest.state);
  const tracked = walked.tracked;
  const fixDays: Record<Severity, number[]> = Object.fromEntries(SEVERITIES.map((severity) => [severity, []])) as unknown as Record<Severity, number[]>;
  // A fix counts in the window when the run it was gone from is in it.
  for (const fix of [...(digest.state?.fixes ?? []), ...walked.fixes]) {
    if (since === undefined || fix.fixedAt >= since) fixDays[fix.severity].push(Date.parse(fix.fixedAt) - Date.parse(fix.firstSeen));
  }

  // The run the window is measured from: the last one before it, else the first one in it.
  const { base: baseSummary, ids: wanted } = fullRunIds(summaries, since);
  const fullRuns = new Map(digest.full(wanted).map((run) => [run.id, indexRun(run)]));
  const indexOf = (summary: HistoryRunSummary | undefined): RunIndex | undefined => (summary ? fullRuns.get(summary.id) : undefined);
  const latest = indexOf(summaries.at(-1));
  const previous = indexOf(summaries.at(-2));
  const windowBase = indexOf(baseSummary);
  const now = options.now.getTime();
  const open: OpenFinding[] = latest
    ? sortReported([...latest.open.values()]).map((finding) => {
        const firstSeen = tracked.get(finding.fingerprint)?.firstSeen ?? latest.run.startedAt;
        const age = now - Date.parse(firstSeen);
        const sla = options.sla?.[finding.severity];
        return { ...finding, firstSeen, ageDays: days(age), ...(sla !== undefined ? { slaDays: days(sla) } : {}), pastSla: sla !== undefined && age > sla };
      })
    : [];
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
    unknown: sortReported(all.filter((finding) => finding.state === 'unknown')),
    incompleteRuns: windowRuns
      .filter((summary) => summary.incomplete)
      .map((summary) => ({
        id: summary.id,
        startedAt: summary.startedAt,
        targets: summary.shards.filter((shard) => shard.incomplete).map((shard) => ({ scope: shard.scope, unreadFiles: shard.unreadFiles, unscopedErrors: shard.unscopedErrors, unknown: shard.unknown })),
      })),
    trend: windowRuns.map((summary) => {
      const { open: bySeverity, unknown } = summary.trend ?? trendOf(summary);
      return { runId: summary.id, startedAt: summary.startedAt, open: bySeverity, unknown, incomplete: summary.incomplete };
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
