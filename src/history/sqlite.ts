import { GatewardenError } from '../errors.js';
import type { Severity } from '../model/findings.js';
import { compareRuns, trendOf, walkRuns } from './analyse.js';
import type { HistoryDigest, HistoryFinding, HistoryQuery, HistoryRun, HistoryRunSummary, HistoryShard, HistoryStore, HistoryWalkState, RunTrend, TrackedFinding } from './model.js';
import { planWalk, reportRunIds, trackedChanges, trackedOfRow, type RunKey } from './walk-state.js';
import {
  CHECK_COLUMNS,
  checkValues,
  FINDING_COLUMNS,
  findingOfRow,
  findingValues,
  jsonParser,
  MIGRATIONS,
  migrationSql,
  newerSchemaMessage,
  runsOfRows,
  SCHEMA_VERSION,
  summariesOfRows,
  TARGET_COLUMNS,
  targetValues,
  WALK_STATE_VERSION,
  type CheckRow,
  type FindingGroup,
  type FindingRow,
  type RunRow,
  type TargetRow,
} from './schema.js';

// The embedded store: one SQLite file through better-sqlite3, a native module loaded only when a
// command is given --history (openSqliteHistory), so that --help and plain scans never load it.

/** The part of better-sqlite3's API this store uses (the package ships no types). */
interface SqliteStatement {
  run(...params: unknown[]): { readonly lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  /** Rows as arrays of values rather than objects. */
  raw(toggle?: boolean): SqliteStatement;
  /** Only the first column of each row. */
  pluck(toggle?: boolean): SqliteStatement;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(text: string): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): { immediate(...args: A): void; deferred(...args: A): void };
  close(): void;
}
type SqliteConstructor = new (file: string, options?: { readonly fileMustExist?: boolean; readonly timeout?: number }) => SqliteDatabase;

// The schema lives in schema.ts, shared with the PostgreSQL store; these names stay for callers.
export { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

/** Opens (creating it when absent) and migrates the SQLite history in `file`. */
export async function openSqliteHistory(file: string, shown = file): Promise<HistoryStore> {
  const { default: Database } = (await import('better-sqlite3')) as unknown as { default: SqliteConstructor };
  let db: SqliteDatabase | undefined;
  try {
    // Several shards of one night may record at once: wait for the writer's lock rather than fail.
    db = new Database(file, { timeout: 10_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const store = new SqliteHistoryStore(db);
    // A database from before the walk state: its runs are walked once, in the migration's transaction.
    migrate(db, shown, (from) => {
      if (from < WALK_STATE_VERSION) {
        store.keepTrends(store.runKeys().map((run) => run.id));
        store.maintain([]);
      }
    });
    return store;
  } catch (error) {
    db?.close();
    if (error instanceof GatewardenError) throw error;
    throw new GatewardenError('output', `cannot open the history database ${shown}: ${error instanceof Error ? error.message : String(error)}; give --history the path of a new or existing gatewarden history file in a writable directory`);
  }
}

/**
 * Applies the migrations the database has not had, in one transaction; refuses a newer schema.
 * `migrated` runs in the transaction after them, with the version the database was at, when any was applied.
 */
function migrate(db: SqliteDatabase, shown: string, migrated: (from: number) => void): void {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new GatewardenError('output', newerSchemaMessage(shown, current));
    }
    MIGRATIONS.forEach((_, index) => {
      if (index + 1 <= current) return;
      db.exec(migrationSql(index, 'sqlite'));
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(index + 1, new Date().toISOString());
    });
    if (current < SCHEMA_VERSION) migrated(current);
  });
  apply.immediate();
}

class SqliteHistoryStore implements HistoryStore {
  constructor(private readonly db: SqliteDatabase) {}

  async record(shard: HistoryShard): Promise<void> {
    const { db } = this;
    const write = db.transaction((entry: HistoryShard) => {
      const startOf = db.prepare('SELECT started_at FROM runs WHERE id = ?').pluck(true);
      const before = startOf.get(entry.runId) as string | undefined;
      db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, incomplete) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET started_at = min(started_at, excluded.started_at), finished_at = max(finished_at, excluded.finished_at), incomplete = max(incomplete, excluded.incomplete)`,
      ).run(entry.runId, entry.startedAt, entry.finishedAt, entry.incomplete ? 1 : 0);
      // A job retried under the same run id replaces what it recorded the first time.
      db.prepare('DELETE FROM targets WHERE run_id = ? AND scope = ?').run(entry.runId, entry.scope);
      const target = db.prepare(`INSERT INTO targets (${TARGET_COLUMNS.join(', ')}) VALUES (${TARGET_COLUMNS.map(() => '?').join(', ')})`).run(...targetValues(entry));
      const insert = db.prepare(`INSERT INTO findings (target_id, ${FINDING_COLUMNS.map(({ column }) => column).join(', ')}) VALUES (?${', ?'.repeat(FINDING_COLUMNS.length)})`);
      for (const finding of entry.findings) insert.run(target.lastInsertRowid, ...findingValues(finding));
      const check = db.prepare(`INSERT INTO policy_checks (target_id, ${CHECK_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(CHECK_COLUMNS.length)})`);
      for (const policy of entry.policies ?? []) check.run(target.lastInsertRowid, ...checkValues(policy));
      this.keepTrends([entry.runId]);
      const after = startOf.get(entry.runId) as string;
      this.maintain([...(before !== undefined ? [{ id: entry.runId, startedAt: before }] : []), { id: entry.runId, startedAt: after }]);
    });
    write.immediate(shard);
  }

  async runs(query: HistoryQuery = {}): Promise<HistoryRun[]> {
    const runs = this.db.prepare('SELECT id, started_at, finished_at, incomplete FROM runs WHERE started_at >= ? ORDER BY started_at, id').all(query.since ?? '') as RunRow[];
    return this.whole(runs);
  }

  /** Runs read whole: their shards and every finding. */
  private whole(runs: readonly RunRow[]): HistoryRun[] {
    const ids = JSON.stringify(runs.map((run) => run.id));
    const targets = this.db.prepare('SELECT * FROM targets WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids) as TargetRow[];
    const findings = this.db
      .prepare('SELECT f.* FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.run_id IN (SELECT value FROM json_each(?)) ORDER BY f.rowid')
      .all(ids) as FindingRow[];
    const checks = this.db
      .prepare('SELECT c.* FROM policy_checks c JOIN targets t ON t.id = c.target_id WHERE t.run_id IN (SELECT value FROM json_each(?)) ORDER BY c.target_id, c.policy_id')
      .all(ids) as CheckRow[];
    return runsOfRows(runs, targets, findings, checks);
  }

  async digest(query: HistoryQuery = {}): Promise<HistoryDigest> {
    // One read transaction: a shard recorded meanwhile (which may move the walk state) is in every read or in none.
    let digest: HistoryDigest | undefined;
    const read = this.db.transaction(() => {
      const state = this.state(query.since);
      const ids = reportRunIds(this.runKeys(), state?.through, query.since);
      // The runs before the state's run are neither walked nor compared: their kept trend is enough.
      const before = state === undefined ? [] : ids.slice(0, Math.max(0, ids.indexOf(state.through.id)));
      digest = this.digestOf(ids, state, this.trends(before));
    });
    read.deferred();
    return digest!;
  }

  /** Every run's id and start. */
  runKeys(): RunKey[] {
    return (this.db.prepare('SELECT id, started_at FROM runs').raw(true).all() as Array<[string, string]>).map(([id, startedAt]) => ({ id, startedAt }));
  }

  private checkpoint(): RunKey | undefined {
    const row = this.db.prepare('SELECT run_id, started_at FROM walk_checkpoint WHERE id = 1').get() as { run_id: string; started_at: string } | undefined;
    return row ? { id: row.run_id, startedAt: row.started_at } : undefined;
  }

  /** The walk state kept on record, with the fixes at or after `since`; none when no run was walked yet. */
  private state(since: string | undefined, withFixes = true): HistoryWalkState | undefined {
    const through = this.checkpoint();
    if (through === undefined) return undefined;
    const tracked = new Map<string, TrackedFinding>();
    for (const [fingerprint, firstSeen, finding] of this.db.prepare('SELECT fingerprint, first_seen, finding FROM fingerprint_state').raw(true).all() as Array<[string, string, string | null]>) {
      tracked.set(fingerprint, trackedOfRow(firstSeen, finding));
    }
    const fixes = withFixes
      ? (this.db.prepare('SELECT fingerprint, severity, first_seen, fixed_at FROM fixes WHERE fixed_at >= ?').raw(true).all(since ?? '') as Array<[string, Severity, string, string]>).map(([fingerprint, severity, firstSeen, fixedAt]) => ({
          fingerprint,
          severity,
          firstSeen,
          fixedAt,
        }))
      : [];
    return { through, tracked, fixes };
  }

  /**
   * Brings the walk state to the run before the latest one after a record into `touched` (walk-state.ts),
   * in the caller's transaction: usually nothing to do (a shard of the latest run) or one run to walk
   * (the first shard of a new night); again from the first run when a record reached back before it.
   */
  maintain(touched: readonly RunKey[]): void {
    const { db } = this;
    const plan = planWalk(this.runKeys(), this.checkpoint(), touched);
    if (plan.kind === 'keep') return;
    if (plan.kind === 'clear' || plan.from === undefined) {
      db.exec('DELETE FROM walk_checkpoint; DELETE FROM fingerprint_state; DELETE FROM fixes;');
      if (plan.kind === 'clear') return;
    }
    const start = plan.from !== undefined ? this.state(undefined, false) : undefined;
    const digest = this.digestOf(plan.ids, undefined);
    const { tracked, fixes } = walkRuns([...digest.runs].sort(compareRuns), digest, start);
    const { write, remove } = trackedChanges(start?.tracked, tracked);
    const untrack = db.prepare('DELETE FROM fingerprint_state WHERE fingerprint = ?');
    for (const fingerprint of remove) untrack.run(fingerprint);
    const track = db.prepare('INSERT INTO fingerprint_state (fingerprint, first_seen, finding) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET first_seen = excluded.first_seen, finding = excluded.finding');
    for (const row of write) track.run(...row);
    const fix = db.prepare('INSERT INTO fixes (fingerprint, severity, first_seen, fixed_at) VALUES (?, ?, ?, ?)');
    for (const entry of fixes) fix.run(entry.fingerprint, entry.severity, entry.firstSeen, entry.fixedAt);
    db.prepare('INSERT INTO walk_checkpoint (id, run_id, started_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, started_at = excluded.started_at').run(plan.through.id, plan.through.startedAt);
  }

  /**
   * The summaries of the runs `ids`; those in `counted` (their kept trend) without their
   * fingerprints: their shards' counts only, which is all the report needs of a run it does not walk.
   */
  private summariesOf(ids: readonly string[], counted: ReadonlyMap<string, RunTrend>): { runs: RunRow[]; summaries: HistoryRunSummary[]; open: Map<string, Map<string, Severity>> } {
    const { db } = this;
    const idsJson = JSON.stringify(ids);
    const runs = db.prepare('SELECT id, started_at, finished_at, incomplete FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY started_at, id').all(idsJson) as RunRow[];
    const targets = db.prepare('SELECT * FROM targets WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(idsJson) as TargetRow[];
    // Each run's fingerprints by state and severity, read from the index alone, one JSON array a
    // group: a year of nightly runs holds millions of results, and a row each would take seconds.
    const groups: FindingGroup[] = db
      .prepare(`SELECT target_id, state, severity, count(*) AS count, json_group_array(fingerprint) AS fingerprints FROM findings WHERE target_id IN (SELECT value FROM json_each(?)) GROUP BY target_id, state, severity`)
      .raw(true)
      .all(JSON.stringify(targets.filter((row) => !counted.has(row.run_id)).map((row) => row.id))) as Array<[number, string, string, number, string]>;
    if (counted.size > 0) {
      const counts = db
        .prepare(`SELECT target_id, state, severity, count(*) AS count, '[]' AS fingerprints FROM findings WHERE target_id IN (SELECT value FROM json_each(?)) GROUP BY target_id, state, severity`)
        .raw(true)
        .all(JSON.stringify(targets.filter((row) => counted.has(row.run_id)).map((row) => row.id))) as Array<[number, string, string, number, string]>;
      groups.push(...counts);
    }
    const { summaries, open } = summariesOfRows(runs, targets, groups);
    return { runs, summaries: summaries.map((summary) => (counted.has(summary.id) ? { ...summary, trend: counted.get(summary.id)! } : summary)), open };
  }

  /** The kept trend of the runs `ids` that have one. */
  private trends(ids: readonly string[]): Map<string, RunTrend> {
    const rows = this.db.prepare('SELECT run_id, open_by_severity, unknown FROM run_trend WHERE run_id IN (SELECT value FROM json_each(?))').raw(true).all(JSON.stringify(ids)) as Array<[string, string, number]>;
    return new Map(rows.map(([runId, open, unknown]) => [runId, { open: JSON.parse(open) as RunTrend['open'], unknown }]));
  }

  /** Keeps the trend of the runs `ids` (after a record into one; for every run after the migration that made the table). */
  keepTrends(ids: readonly string[]): void {
    const keep = this.db.prepare('INSERT INTO run_trend (run_id, open_by_severity, unknown) VALUES (?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET open_by_severity = excluded.open_by_severity, unknown = excluded.unknown');
    // A few dozen runs at a time: a year of fingerprints at once would take gigabytes.
    for (let index = 0; index < ids.length; index += 30) {
      for (const summary of this.summariesOf(ids.slice(index, index + 30), new Map()).summaries) {
        const trend = trendOf(summary);
        keep.run(summary.id, JSON.stringify(trend.open), trend.unknown);
      }
    }
  }

  /** The digest of the runs `ids` (in any order), with the walk state `state` at one of them. */
  private digestOf(ids: readonly string[], state: HistoryWalkState | undefined, counted: ReadonlyMap<string, RunTrend> = new Map()): HistoryDigest {
    const { db } = this;
    const idsJson = JSON.stringify(ids);
    const { runs, summaries, open } = this.summariesOf(ids, counted);
    // The checks not decided, every run's at once: few, and asked of nearly every run.
    const undecidedRows = db
      .prepare(`SELECT t.run_id, json_group_array(json_array(f.policy_id, f.entity_id, f.route_key)) FROM targets t JOIN findings f ON f.target_id = t.id WHERE t.run_id IN (SELECT value FROM json_each(?)) AND f.state = 'unknown' GROUP BY t.run_id`)
      .raw(true)
      .all(idsJson) as Array<[string, string]>;
    const undecided = new Map(undecidedRows.map(([runId, keys]) => [runId, keys]));
    const byId = new Map(runs.map((run) => [run.id, run]));
    const parse = jsonParser();
    // With the severity the run has it open under, the index is searched on all its columns.
    const openQuery = db.prepare(
      `WITH wanted (run_id, fingerprint, severity) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
       SELECT f.*, t.scope AS scope, t.run_id AS run_id FROM wanted w JOIN targets t ON t.run_id = w.run_id JOIN findings f ON f.target_id = t.id
       WHERE f.state = 'open' AND f.severity = w.severity AND f.fingerprint = w.fingerprint ORDER BY f.rowid`,
    );
    return {
      runs: summaries,
      ...(state !== undefined ? { state } : {}),
      full: (ids) => this.whole(ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))),
      openFindings: (wanted) => {
        const pairs = [...wanted].flatMap(([runId, fingerprints]) => {
          const severities = open.get(runId);
          return fingerprints.flatMap((fingerprint) => {
            const severity = severities?.get(fingerprint);
            return severity === undefined ? [] : [[runId, fingerprint, severity]];
          });
        });
        const found = new Map<string, Map<string, HistoryFinding & { readonly scope: string }>>();
        for (const row of openQuery.all(JSON.stringify(pairs)) as Array<FindingRow & { scope: string; run_id: string }>) {
          const run = found.get(row.run_id) ?? new Map<string, HistoryFinding & { readonly scope: string }>();
          run.set(row.fingerprint as string, { ...findingOfRow(row, parse), scope: row.scope });
          found.set(row.run_id, run);
        }
        return found;
      },
      undecided: (runId) => {
        const keys = JSON.parse(undecided.get(runId) ?? '[]') as Array<[string, string, string | null]>;
        return new Set(keys.map(([policy, entity, route]) => `${policy}|${entity}|${route ?? ''}`));
      },
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
