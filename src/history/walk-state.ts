import { compareRuns } from './analyse.js';
import type { HistoryFinding, TrackedFinding } from './model.js';

// The walk state a store keeps on record (`walk_checkpoint`, `fingerprint_state`, `fixes`): where
// the walk over the runs (first sightings, fixes) stood after a run, so that a report walks only the
// runs after it. What both stores decide alike lives here: which run the state should be at after
// a record, whether a record reaches back before it (then it is walked again from the first run),
// and which runs a report must read.

/** A run as its order needs it. */
export interface RunKey {
  readonly id: string;
  readonly startedAt: string;
}

/**
 * What to do with the walk state after a record: keep it; clear it (fewer than two runs); or walk
 * the runs `ids` (in order, the state's run first when walking on from it) and keep the state at
 * `through`. `from` is absent when the walk starts again at the first run (the state is replaced).
 */
export type WalkPlan =
  | { readonly kind: 'keep' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'walk'; readonly ids: readonly string[]; readonly from?: RunKey; readonly through: RunKey };

/**
 * The plan after recording into the runs `touched` (the run a shard joined, with its start before
 * and after). The state is kept at the run before the latest one: the latest run's shards may still
 * be coming in (a nightly split over jobs), and each would otherwise move the state back. A shard of
 * a run at or before the state's run (a late shard of an earlier night, a run recorded with an
 * earlier start) changes what the walk saw: the walk starts again from the first run.
 */
export function planWalk(runs: readonly RunKey[], checkpoint: RunKey | undefined, touched: readonly RunKey[]): WalkPlan {
  const sorted = [...runs].sort(compareRuns);
  const through = sorted.at(-2);
  const at = checkpoint === undefined ? -1 : sorted.findIndex((run) => run.id === checkpoint.id && run.startedAt === checkpoint.startedAt);
  const valid = checkpoint !== undefined && at >= 0 && touched.every((run) => compareRuns(run, checkpoint) > 0);
  if (through === undefined) return checkpoint === undefined ? { kind: 'keep' } : { kind: 'clear' };
  if (valid && through.id === checkpoint.id) return { kind: 'keep' };
  const end = sorted.length - 2;
  if (valid && at < end) return { kind: 'walk', ids: sorted.slice(at, end + 1).map((run) => run.id), from: checkpoint, through };
  return { kind: 'walk', ids: sorted.slice(0, end + 1).map((run) => run.id), through };
}

/**
 * The runs a report over `since` reads with the walk state at `checkpoint`: from the state's run or
 * the last run before the window, whichever is earlier (the window is measured from that one); all
 * of them without a window or without a state.
 */
export function reportRunIds(runs: readonly RunKey[], checkpoint: RunKey | undefined, since: string | undefined): string[] {
  const sorted = [...runs].sort(compareRuns);
  const ids = sorted.map((run) => run.id);
  if (checkpoint === undefined || since === undefined) return ids;
  const at = sorted.findIndex((run) => run.id === checkpoint.id);
  if (at < 0) return ids;
  let before = -1;
  sorted.forEach((run, index) => {
    if (run.startedAt < since) before = index;
  });
  return ids.slice(Math.max(0, Math.min(at, before)));
}

/** A tracked finding's record as stored (`fingerprint_state.finding`): the JSON of the finding and its scope. */
export function trackedText(entry: TrackedFinding): string | null {
  return entry.finding === undefined ? null : JSON.stringify(entry.finding);
}

/** A tracked finding from its `fingerprint_state` row. */
export function trackedOfRow(firstSeen: string, finding: string | null): TrackedFinding {
  return finding === null ? { firstSeen } : { firstSeen, finding: JSON.parse(finding) as HistoryFinding & { readonly scope: string } };
}

/**
 * What changed in the tracked fingerprints between two walk states: the rows to write (new, or with
 * another first sighting or record) and the fingerprints to delete. A night changes about 1 % of
 * them, so a record writes a few rows rather than every open finding again.
 */
export function trackedChanges(before: ReadonlyMap<string, TrackedFinding> | undefined, after: ReadonlyMap<string, TrackedFinding>): { write: Array<[string, string, string | null]>; remove: string[] } {
  const write: Array<[string, string, string | null]> = [];
  for (const [fingerprint, entry] of after) {
    const old = before?.get(fingerprint);
    const text = trackedText(entry);
    if (old === undefined || old.firstSeen !== entry.firstSeen || trackedText(old) !== text) write.push([fingerprint, entry.firstSeen, text]);
  }
  const remove = before === undefined ? [] : [...before.keys()].filter((fingerprint) => !after.has(fingerprint));
  return { write, remove };
}
