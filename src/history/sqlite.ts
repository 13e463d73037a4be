import { GatewardenError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/findings.js';
import type { HistoryCommand, HistoryDigest, HistoryFinding, HistoryQuery, HistoryRun, HistoryRunSummary, HistoryShard, HistoryShardSummary, HistoryState, HistoryStore } from './model.js';

// The embedded store: one SQLite file through better-sqlite3, a native module loaded only when a
// command is given --history (openSqliteHistory), so that --help and plain scans never load it.

/** The part of better-sqlite3's API this store uses (the package ships no types). */
interface SqliteStatement {
  run(...params: unknown[]): { readonly lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  /** Rows as arrays of values rather than objects. */
  raw(toggle?: boolean): SqliteStatement;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(text: string): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): { immediate(...args: A): void };
  close(): void;
}
type SqliteConstructor = new (file: string, options?: { readonly fileMustExist?: boolean; readonly timeout?: number }) => SqliteDatabase;

/**
 * The schema, one migration per version, applied in order and each once (`schema_version` holds the
 * versions applied). A migration is never edited once released: a change is a new migration.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     incomplete INTEGER NOT NULL
   );
   CREATE INDEX runs_started_at ON runs (started_at);
   CREATE TABLE targets (
     id INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     command TEXT NOT NULL,
     scope TEXT NOT NULL,
     targets TEXT NOT NULL,
     scan_root TEXT,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     tool_version TEXT NOT NULL,
     incomplete INTEGER NOT NULL,
     unread_files TEXT NOT NULL,
     unscoped_errors INTEGER NOT NULL
   );
   CREATE INDEX targets_run ON targets (run_id);
   CREATE TABLE findings (
     target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
     fingerprint TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('open', 'suppressed', 'baselined', 'unknown')),
     policy_id TEXT NOT NULL,
     severity TEXT NOT NULL,
     provider TEXT NOT NULL,
     frameworks TEXT NOT NULL,
     entity_kind TEXT NOT NULL,
     entity_id TEXT NOT NULL,
     address TEXT NOT NULL,
     route_key TEXT,
     location TEXT,
     resource_id TEXT,
     file TEXT,
     target TEXT,
     message TEXT NOT NULL
   );
   CREATE INDEX findings_target ON findings (target_id);
   CREATE INDEX findings_fingerprint ON findings (fingerprint);`,
  // A report reads each run's fingerprints by state and severity from this index alone (digest), and
  // finds a run's record of a fingerprint through it; it starts with target_id, so it replaces
  // findings_target, and nothing looks a fingerprint up across runs, so findings_fingerprint goes:
  // fewer indices to update on every record, a smaller file.
  `CREATE INDEX findings_target_state ON findings (target_id, state, severity, fingerprint);
   DROP INDEX findings_target;
   DROP INDEX findings_fingerprint;`,
];

/** The schema version this gatewarden writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating it when absent) and migrates the SQLite history in `file`. */
export async function openSqliteHistory(file: string, shown = file): Promise<HistoryStore> {
  const { default: Database } = (await import('better-sqlite3')) as unknown as { default: SqliteConstructor };
  let db: SqliteDatabase | undefined;
  try {
    // Several shards of one night may record at once: wait for the writer's lock rather than fail.
    db = new Database(file, { timeout: 10_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, shown);
    return new SqliteHistoryStore(db);
  } catch (error) {
    db?.close();
    if (error instanceof GatewardenError) throw error;
    throw new GatewardenError('output', `cannot open the history database ${shown}: ${error instanceof Error ? error.message : String(error)}; give --history the path of a new or existing gatewarden history file in a writable directory`);
  }
}

/** Applies the migrations the database has not had, in one transaction; refuses a newer schema. */
function migrate(db: SqliteDatabase, shown: string): void {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new GatewardenError('output', `the history database ${shown} has schema version ${current}, written by a newer gatewarden (this one reads up to ${SCHEMA_VERSION}); upgrade gatewarden`);
    }
    MIGRATIONS.forEach((sql, index) => {
      if (index + 1 <= current) return;
      db.exec(sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(index + 1, new Date().toISOString());
    });
  });
  apply.immediate();
}

interface TargetRow {
  id: number;
  run_id: string;
  command: string;
  scope: string;
  targets: string;
  scan_root: string | null;
  started_at: string;
  finished_at: string;
  tool_version: string;
  incomplete: number;
  unread_files: string;
  unscoped_errors: number;
}

interface FindingRow {
  target_id: number;
  fingerprint: string;
  state: string;
  policy_id: string;
  severity: string;
  provider: string;
  frameworks: string;
  entity_kind: string;
  entity_id: string;
  address: string;
  route_key: string | null;
  location: string | null;
  resource_id: string | null;
  file: string | null;
  target: string | null;
  message: string;
}

class SqliteHistoryStore implements HistoryStore {
  constructor(private readonly db: SqliteDatabase) {}

  async record(shard: HistoryShard): Promise<void> {
    const { db } = this;
    const write = db.transaction((entry: HistoryShard) => {
      db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, incomplete) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET started_at = min(started_at, excluded.started_at), finished_at = max(finished_at, excluded.finished_at), incomplete = max(incomplete, excluded.incomplete)`,
      ).run(entry.runId, entry.startedAt, entry.finishedAt, entry.incomplete ? 1 : 0);
      // A job retried under the same run id replaces what it recorded the first time.
      db.prepare('DELETE FROM targets WHERE run_id = ? AND scope = ?').run(entry.runId, entry.scope);
      const target = db
        .prepare('INSERT INTO targets (run_id, command, scope, targets, scan_root, started_at, finished_at, tool_version, incomplete, unread_files, unscoped_errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.runId, entry.command, entry.scope, JSON.stringify(entry.targets), entry.scanRoot ?? null, entry.startedAt, entry.finishedAt, entry.toolVersion, entry.incomplete ? 1 : 0, JSON.stringify(entry.unreadFiles), entry.unscopedErrors);
      const insert = db.prepare(
        'INSERT INTO findings (target_id, fingerprint, state, policy_id, severity, provider, frameworks, entity_kind, entity_id, address, route_key, location, resource_id, file, target, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const finding of entry.findings) {
        insert.run(
          target.lastInsertRowid,
          finding.fingerprint,
          finding.state,
          finding.policyId,
          finding.severity,
          finding.provider,
          JSON.stringify(finding.frameworks),
          finding.entityKind,
          finding.entityId,
          finding.address,
          finding.routeKey ?? null,
          finding.location ?? null,
          finding.resourceId ?? null,
          finding.file ?? null,
          finding.target ?? null,
          finding.message,
        );
      }
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
    const findingsByTarget = new Map<number, HistoryFinding[]>();
    const frameworksOf = frameworksParser();
    for (const row of findings) {
      const list = findingsByTarget.get(row.target_id) ?? [];
      list.push(findingOf(row, frameworksOf));
      findingsByTarget.set(row.target_id, list);
    }
    const shardsByRun = new Map<string, HistoryShard[]>();
    for (const row of targets) {
      const list = shardsByRun.get(row.run_id) ?? [];
      list.push({ ...shardOf(row), findings: findingsByTarget.get(row.id) ?? [] });
      shardsByRun.set(row.run_id, list);
    }
    return runs.map((run) => {
      const shards = shardsByRun.get(run.id) ?? [];
      return runOf(run, shards);
    });
  }

  async digest(): Promise<HistoryDigest> {
    const { db } = this;
    const runs = db.prepare('SELECT id, started_at, finished_at, incomplete FROM runs ORDER BY started_at, id').all() as RunRow[];
    const targets = db.prepare('SELECT * FROM targets ORDER BY id').all() as TargetRow[];
    // Each run's fingerprints by state and severity, read from the index alone, one JSON array a
    // group: a year of nightly runs holds millions of results, and a row each would take seconds.
    const groups = db
      .prepare(`SELECT target_id, state, severity, count(*) AS count, json_group_array(fingerprint) AS fingerprints FROM findings GROUP BY target_id, state, severity`)
      .raw(true)
      .all() as Array<[number, string, string, number, string]>;
    const groupsByTarget = new Map<number, Array<[number, string, string, number, string]>>();
    for (const group of groups) {
      const list = groupsByTarget.get(group[0]) ?? [];
      list.push(group);
      groupsByTarget.set(group[0], list);
    }
    // Severities as the constants, not as copies read from each group.
    const severityOf = new Map<string, Severity>(SEVERITIES.map((severity) => [severity, severity]));
    const shardsByRun = new Map<string, HistoryShardSummary[]>();
    const open = new Map<string, Map<string, Severity>>();
    const closed = new Map<string, Map<string, Exclude<HistoryState, 'open'>>>();
    for (const row of targets) {
      let unknown = 0;
      const runOpen = open.get(row.run_id) ?? new Map<string, Severity>();
      const runClosed = closed.get(row.run_id) ?? new Map<string, Exclude<HistoryState, 'open'>>();
      open.set(row.run_id, runOpen);
      closed.set(row.run_id, runClosed);
      // As in a run read whole, a later shard's record of a fingerprint wins (a report lists each once).
      for (const [, state, severity, count, fingerprints] of groupsByTarget.get(row.id) ?? []) {
        const list = JSON.parse(fingerprints) as string[];
        if (state === 'open') {
          const level = severityOf.get(severity) ?? (severity as Severity);
          for (const fingerprint of list) runOpen.set(fingerprint, level);
          // Rarely anything to take back: a fingerprint recorded not open by an earlier shard.
          if (runClosed.size > 0) for (const fingerprint of list) runClosed.delete(fingerprint);
        } else {
          if (state === 'unknown') unknown += count;
          for (const fingerprint of list) runClosed.set(fingerprint, state as Exclude<HistoryState, 'open'>);
        }
      }
      const list = shardsByRun.get(row.run_id) ?? [];
      list.push({ ...shardOf(row), unknown });
      shardsByRun.set(row.run_id, list);
    }
    const summaries: HistoryRunSummary[] = runs.map((run) => {
      const shards = shardsByRun.get(run.id) ?? [];
      return { ...runOf(run, shards), open: open.get(run.id) ?? new Map(), closed: closed.get(run.id) ?? new Map() };
    });
    // The checks not decided, every run's at once: few, and asked of nearly every run.
    const undecidedRows = db
      .prepare(`SELECT t.run_id, json_group_array(json_array(f.policy_id, f.entity_id, f.route_key)) FROM findings f JOIN targets t ON t.id = f.target_id WHERE f.state = 'unknown' GROUP BY t.run_id`)
      .raw(true)
      .all() as Array<[string, string]>;
    const undecided = new Map(undecidedRows.map(([runId, keys]) => [runId, keys]));
    const byId = new Map(runs.map((run) => [run.id, run]));
    const frameworksOf = frameworksParser();
    // With the severity the run has it open under, the index is searched on all its columns.
    const openQuery = db.prepare(
      `WITH wanted (run_id, fingerprint, severity) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
       SELECT f.*, t.scope AS scope, t.run_id AS run_id FROM wanted w JOIN targets t ON t.run_id = w.run_id JOIN findings f ON f.target_id = t.id
       WHERE f.state = 'open' AND f.severity = w.severity AND f.fingerprint = w.fingerprint ORDER BY f.rowid`,
    );
    return {
      runs: summaries,
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
          run.set(row.fingerprint, { ...findingOf(row, frameworksOf), scope: row.scope });
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

interface RunRow {
  id: string;
  started_at: string;
  finished_at: string;
  incomplete: number;
}

/** A policy's frameworks are the same text on each of its findings: parsed once. */
function frameworksParser(): (text: string) => HistoryFinding['frameworks'] {
  const frameworks = new Map<string, HistoryFinding['frameworks']>();
  return (text) => {
    let parsed = frameworks.get(text);
    if (parsed === undefined) frameworks.set(text, (parsed = JSON.parse(text) as HistoryFinding['frameworks']));
    return parsed;
  };
}

function shardOf(row: TargetRow): Omit<HistoryShard, 'findings'> {
  return {
    runId: row.run_id,
    command: row.command as HistoryCommand,
    scope: row.scope,
    targets: JSON.parse(row.targets) as string[],
    ...(row.scan_root !== null ? { scanRoot: row.scan_root } : {}),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    toolVersion: row.tool_version,
    incomplete: row.incomplete === 1,
    unreadFiles: JSON.parse(row.unread_files) as string[],
    unscopedErrors: row.unscoped_errors,
  };
}

function runOf<S extends { readonly command: HistoryCommand }>(run: RunRow, shards: S[]): { id: string; startedAt: string; finishedAt: string; commands: HistoryCommand[]; incomplete: boolean; shards: S[] } {
  return {
    id: run.id,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    commands: [...new Set(shards.map((shard) => shard.command))].sort(),
    incomplete: run.incomplete === 1,
    shards,
  };
}

function findingOf(row: FindingRow, frameworksOf: (text: string) => HistoryFinding['frameworks']): HistoryFinding {
  return {
    fingerprint: row.fingerprint,
    state: row.state as HistoryState,
    policyId: row.policy_id,
    severity: row.severity as Severity,
    provider: row.provider,
    frameworks: frameworksOf(row.frameworks),
    entityKind: row.entity_kind,
    entityId: row.entity_id,
    address: row.address,
    ...(row.route_key !== null ? { routeKey: row.route_key } : {}),
    ...(row.location !== null ? { location: row.location } : {}),
    ...(row.resource_id !== null ? { resourceId: row.resource_id } : {}),
    ...(row.file !== null ? { file: row.file } : {}),
    ...(row.target !== null ? { target: row.target } : {}),
    message: row.message,
  };
}
