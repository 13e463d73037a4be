import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analyseDigest, analyseHistory, type HistoryReport } from '../../src/history/analyse.js';
import type { HistoryFinding, HistoryShard, HistoryStore } from '../../src/history/model.js';
import { openHistoryStore } from '../../src/history/open.js';
import { planWalk } from '../../src/history/walk-state.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

// The walk state (schema version 4: walk_checkpoint, fingerprint_state, fixes) kept on record must
// give the report of the full walk over every run, to the last field: ages and mean time to fix
// with suppressed findings, baselines, targets that failed (not checked, not fixed), and shards of
// one run recorded out of order or late. The same table runs on SQLite and on a real PostgreSQL
// server (test/helpers/postgres.ts); a PostgreSQL test fails, never skips, when it cannot start.

const DAY = 86_400_000;
const start = Date.parse('2026-10-01T02:00:00.000Z');
const at = (day: number): string => new Date(start + day * DAY).toISOString();

function finding(id: string, severity: HistoryFinding['severity'], state: HistoryFinding['state'] = 'open', file = 'main.tf'): HistoryFinding {
  return {
    fingerprint: state === 'unknown' ? `unknown:p-${id}|e-${id}|` : id,
    state,
    policyId: `p-${id}`,
    severity,
    provider: 'aws',
    frameworks: { 'owasp-api-2023': ['API2'] },
    entityKind: 'route',
    entityId: `e-${id}`,
    address: `aws_api_gateway_method.${id}`,
    location: `${file}:3`,
    file,
    target: `file:/repo/${file}`,
    message: `message of ${id}`,
  };
}

function live(id: string, severity: HistoryFinding['severity']): HistoryFinding {
  const { location: _location, file: _file, ...rest } = finding(id, severity);
  return { ...rest, resourceId: `arn:aws:apigateway:eu-west-1::/restapis/${id}`, target: 'aws:123456789012/eu-west-1' };
}

/** The scan shard of night `day` (run `night-<day>` unless given). */
function scanShard(day: number, findings: HistoryFinding[], extra: Partial<HistoryShard> = {}): HistoryShard {
  return { runId: `night-${day}`, command: 'scan', startedAt: at(day), finishedAt: at(day), toolVersion: '0.1.0', scope: 'scan /repo: .', targets: ['.'], scanRoot: '/repo', incomplete: false, unreadFiles: [], unscopedErrors: 0, findings, ...extra };
}

/** The AWS audit shard of night `day`. */
function auditShard(day: number, findings: HistoryFinding[], extra: Partial<HistoryShard> = {}): HistoryShard {
  const { scanRoot: _scanRoot, ...rest } = scanShard(day, findings);
  return { ...rest, command: 'audit aws', scope: 'audit aws: aws:123456789012/eu-west-1', targets: ['aws:123456789012/eu-west-1'], ...extra };
}

/**
 * The shards in the order they are recorded: nights split over two jobs whose shards arrive out of
 * order, a late shard of an earlier night (after later nights were recorded), a night recorded late
 * whose start is before nights already recorded, a shard that moves its run's start earlier, and a
 * retried job that replaces its shard.
 */
const RECORDS: readonly HistoryShard[] = [
  scanShard(0, [finding('a', 'critical'), finding('b', 'high'), finding('c', 'high', 'open', 'other.tf'), finding('d', 'medium'), finding('s', 'medium', 'suppressed'), finding('bl', 'low', 'baselined')]),
  auditShard(0, [live('x', 'high'), live('y', 'low')]),
  // Night 3's audit comes before its scan. b fixed; c's file not read (not checked); d suppressed
  // (accepted); s now open (first seen night 3); y gone from the audit (fixed); e undecided.
  auditShard(3, [live('x', 'high')]),
  scanShard(3, [finding('a', 'critical'), finding('d', 'medium', 'suppressed'), finding('e', 'low', 'unknown'), finding('s', 'medium'), finding('bl', 'low', 'baselined')], { unreadFiles: ['other.tf'], incomplete: true }),
  // Night 5: a policy error (nothing missing is fixed); no audit yet (x not checked).
  scanShard(5, [finding('a', 'critical'), finding('c', 'high', 'open', 'other.tf'), finding('d', 'medium'), finding('s', 'medium')], { unscopedErrors: 1, incomplete: true }),
  // Night 9: s gone, bl open at last; c fixed; the audit reads x no more (fixed).
  scanShard(9, [finding('a', 'critical'), finding('d', 'medium'), finding('f', 'info'), finding('bl', 'low')]),
  auditShard(9, []),
  // Night 12's scan, then night 5's audit arrives late (x open on night 5 after all), then night 12's audit.
  scanShard(12, [finding('a', 'critical'), finding('f', 'info'), finding('bl', 'low'), finding('g', 'high')]),
  auditShard(5, [live('x', 'high'), live('z', 'medium')]),
  auditShard(12, [live('z', 'medium')]),
  // Night 7, recorded after night 12 (a job that was stuck): d and s open again, a new h.
  scanShard(7, [finding('a', 'critical'), finding('d', 'medium'), finding('s', 'medium'), finding('h', 'high')]),
  // Night 14's scan; then a shard of night 14 that started a day earlier (the run's start moves to day 13).
  scanShard(14, [finding('a', 'critical'), finding('g', 'high'), finding('bl', 'low')]),
  auditShard(14, [live('z', 'medium')], { startedAt: at(13) }),
  // Night 16, and its scan retried: the second record replaces the first (g fixed after all).
  scanShard(16, [finding('a', 'critical'), finding('g', 'high'), finding('bl', 'low')]),
  auditShard(16, [live('z', 'medium')]),
  scanShard(16, [finding('a', 'critical'), finding('bl', 'low')]),
];

const NOW = new Date(start + 17 * DAY);
const WINDOWS: ReadonlyArray<Date | undefined> = [undefined, new Date(start + 4 * DAY), new Date(start + 10 * DAY), new Date(start + 15 * DAY), new Date(start + 100 * DAY)];

/** The report of the full walk over every run read whole, and the report from the store's digest and walk state. */
async function reports(store: HistoryStore, since: Date | undefined): Promise<{ full: HistoryReport; kept: HistoryReport }> {
  const options = { now: NOW, sla: { critical: 7 * DAY, high: 5 * DAY }, ...(since ? { since } : {}) };
  const full = analyseHistory(await store.runs(), options);
  const kept = analyseDigest(await store.digest!(since ? { since: since.toISOString() } : {}), options);
  return { full, kept };
}

let postgres: TestPostgres | undefined;
let postgresProblem: unknown;
let databases = 0;

beforeAll(async () => {
  try {
    postgres = await startPostgres();
  } catch (error) {
    postgresProblem = error;
  }
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

function server(): TestPostgres {
  if (postgres === undefined) throw postgresProblem instanceof Error ? postgresProblem : new Error(String(postgresProblem));
  return postgres;
}

interface StoreKind {
  readonly name: 'SQLite' | 'PostgreSQL';
  fresh(dir: string): Promise<string>;
  sql(location: string, text: string): Promise<Array<Record<string, unknown>>>;
}

const SQLITE: StoreKind = {
  name: 'SQLite',
  async fresh(dir) {
    return path.join(dir, `history-${++databases}.db`);
  },
  async sql(location, text) {
    type Db = { prepare(sql: string): { reader: boolean; all(): Array<Record<string, unknown>>; run(): unknown }; exec(sql: string): void; close(): void };
    const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => Db };
    const db = new Database(location);
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all();
      statement.run();
      return [];
    } finally {
      db.close();
    }
  },
};

const POSTGRES: StoreKind = {
  name: 'PostgreSQL',
  async fresh() {
    return server().createDatabase(`walk_${++databases}`);
  },
  async sql(location, text) {
    return server().query(new URL(location).pathname.slice(1), text);
  },
};

describe.each([SQLITE, POSTGRES])('the $name walk state', (kind) => {
  let dir: string;
  let location: string;
  let store: HistoryStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-walk-'));
    location = await kind.fresh(dir);
    store = await openHistoryStore(location, dir);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the report of the full walk after every record, in and out of order, for every window', { timeout: 60_000 }, async () => {
    for (const [index, shard] of RECORDS.entries()) {
      await store.record(shard);
      for (const since of WINDOWS) {
        const { full, kept } = await reports(store, since);
        expect(kept, `after record ${index} (${shard.runId} ${shard.scope}), since ${since?.toISOString() ?? 'the first run'}`).toEqual(full);
        expect(JSON.stringify(kept)).toBe(JSON.stringify(full));
      }
    }
  });

  it('keeps the state at the run before the latest, with first sightings and fixes as the walk finds them', { timeout: 60_000 }, async () => {
    for (const shard of RECORDS) await store.record(shard);
    // Runs in order: night-0, 3, 5, 7, 9, 12, 14 (from day 13), 16.
    expect(await kind.sql(location, 'SELECT run_id, started_at FROM walk_checkpoint')).toEqual([{ run_id: 'night-14', started_at: at(13) }]);
    const tracked = await kind.sql(location, 'SELECT fingerprint, first_seen, finding FROM fingerprint_state ORDER BY fingerprint');
    // Open on night 14 (from day 13): a (night 0), bl (open since night 9), g (night 12), and z:
    // open on night 5 (its audit recorded late), not checked on night 7 (no audit), fixed on night 9
    // (the audit read its account again), open again on night 12.
    expect(tracked.map((row) => [row['fingerprint'], row['first_seen'], row['finding']])).toEqual([
      ['a', at(0), null],
      ['bl', at(9), null],
      ['g', at(12), null],
      ['z', at(12), null],
    ]);
    const fixes = await kind.sql(location, 'SELECT fingerprint, severity, first_seen, fixed_at FROM fixes ORDER BY fixed_at, fingerprint');
    expect(fixes.map((row) => [row['fingerprint'], row['severity'], row['first_seen'], row['fixed_at']])).toEqual([
      ['b', 'high', at(0), at(3)],
      ['y', 'low', at(0), at(3)],
      // c: not checked on night 3 (its file not read), open on night 5, gone on night 7 (night 7 was recorded after night 12).
      ['c', 'high', at(0), at(7)],
      // h: open only on night 7. s: suppressed on night 0 (not open: no sighting), open from night 3.
      ['h', 'high', at(7), at(9)],
      ['s', 'medium', at(3), at(9)],
      // x: open on night 5 (the late audit), not checked on night 7, gone from night 9's audit.
      ['x', 'high', at(0), at(9)],
      ['z', 'medium', at(5), at(9)],
      // d: accepted on night 3 (suppressed: its sighting ends), open again from night 5.
      ['d', 'medium', at(5), at(12)],
      // f: gone from night 14, whose start moved to day 13.
      ['f', 'info', at(9), at(13)],
    ]);
    const { kept } = await reports(store, undefined);
    expect(kept.open.map((item) => [item.fingerprint, item.firstSeen, item.ageDays, item.pastSla])).toEqual([
      ['a', at(0), 17, true],
      ['z', at(12), 5, false],
      ['bl', at(9), 8, false],
    ]);
    // g: open on nights 12 and 14, gone from night 16's retried scan (walked by the report, after the state).
    expect(kept.meanTimeToFix).toEqual({
      critical: { fixed: 0 },
      high: { fixed: 5, meanDays: 5 },
      medium: { fixed: 3, meanDays: 5.7 },
      low: { fixed: 1, meanDays: 3 },
      info: { fixed: 1, meanDays: 4 },
    });
    // Over the last week (since day 10): d (7 days), f (4 days), g (4 days).
    const { kept: week } = await reports(store, new Date(start + 10 * DAY));
    expect(week.meanTimeToFix).toEqual({ critical: { fixed: 0 }, high: { fixed: 1, meanDays: 4 }, medium: { fixed: 1, meanDays: 7 }, low: { fixed: 0 }, info: { fixed: 1, meanDays: 4 } });
  });

  it('reads for a report over a window only the runs from the one before it, with the fixes in it', { timeout: 60_000 }, async () => {
    for (const shard of RECORDS) await store.record(shard);
    const digest = await store.digest!({ since: new Date(start + 10 * DAY).toISOString() });
    expect(digest.runs.map((run) => run.id)).toEqual(['night-9', 'night-12', 'night-14', 'night-16']);
    expect(digest.state!.through).toEqual({ id: 'night-14', startedAt: at(13) });
    expect(digest.state!.fixes.map((fix) => fix.fingerprint).sort()).toEqual(['d', 'f']);
    // The runs before the state's run are read as counts, with the trend kept on record; the others with their fingerprints.
    expect(digest.runs.map((run) => [run.id, run.trend ?? null, run.open.size])).toEqual([
      ['night-9', { open: { critical: 1, high: 0, medium: 1, low: 1, info: 1 }, unknown: 0 }, 0],
      ['night-12', { open: { critical: 1, high: 1, medium: 1, low: 1, info: 1 }, unknown: 0 }, 0],
      ['night-14', null, 4],
      ['night-16', null, 3],
    ]);
    expect(await kind.sql(location, "SELECT open_by_severity, unknown FROM run_trend WHERE run_id = 'night-3'")).toEqual([{ open_by_severity: JSON.stringify({ critical: 1, high: 1, medium: 1, low: 0, info: 0 }), unknown: 1 }]);
  });

  it('walks the runs already recorded when a database of schema version 3 is migrated', { timeout: 60_000 }, async () => {
    for (const shard of RECORDS) await store.record(shard);
    const before = await reports(store, new Date(start + 4 * DAY));
    await store.close();
    // As a database written by gatewarden before the walk state: without its tables and version 4.
    for (const statement of ['DROP TABLE walk_checkpoint', 'DROP TABLE fingerprint_state', 'DROP TABLE fixes', 'DROP TABLE run_trend', 'DELETE FROM schema_version WHERE version = 4']) await kind.sql(location, statement);
    store = await openHistoryStore(location, dir);
    expect(await kind.sql(location, 'SELECT run_id FROM walk_checkpoint')).toEqual([{ run_id: 'night-14' }]);
    expect((await kind.sql(location, 'SELECT run_id FROM run_trend ORDER BY run_id')).map((row) => row['run_id'])).toEqual(['night-0', 'night-12', 'night-14', 'night-16', 'night-3', 'night-5', 'night-7', 'night-9']);
    expect((await kind.sql(location, 'SELECT count(*) AS n FROM fixes'))[0]!['n']).toBe(kind.name === 'SQLite' ? 9 : '9');
    const after = await reports(store, new Date(start + 4 * DAY));
    expect(after.kept).toEqual(before.full);
    expect(after.full).toEqual(before.full);
  });
});

describe('planWalk', () => {
  const runs = [0, 3, 5, 9].map((day) => ({ id: `night-${day}`, startedAt: at(day) }));
  it('keeps the state at the run before the latest, walks on from it, and again from the first run when a record reaches back', () => {
    expect(planWalk(runs.slice(0, 1), undefined, [runs[0]!])).toEqual({ kind: 'keep' });
    expect(planWalk(runs.slice(0, 2), undefined, [runs[1]!])).toEqual({ kind: 'walk', ids: ['night-0'], through: runs[0] });
    expect(planWalk(runs, runs[2], [runs[3]!])).toEqual({ kind: 'keep' });
    expect(planWalk(runs, runs[0], [runs[3]!])).toEqual({ kind: 'walk', ids: ['night-0', 'night-3', 'night-5'], from: runs[0], through: runs[2] });
    // A shard of night 5 (the state's run) or of an earlier night: the walk starts again.
    expect(planWalk(runs, runs[2], [runs[2]!])).toEqual({ kind: 'walk', ids: ['night-0', 'night-3', 'night-5'], through: runs[2] });
    expect(planWalk(runs, runs[2], [runs[1]!])).toEqual({ kind: 'walk', ids: ['night-0', 'night-3', 'night-5'], through: runs[2] });
    // The state's run moved (its start changed): walked again.
    expect(planWalk(runs, { id: 'night-5', startedAt: at(4) }, [runs[3]!])).toEqual({ kind: 'walk', ids: ['night-0', 'night-3', 'night-5'], through: runs[2] });
  });
});
