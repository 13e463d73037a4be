import { GatewardenError } from '../errors.js';
import type { HistoryQuery, HistoryRun, HistoryShard, HistoryStore } from './model.js';
import { FINDING_COLUMNS, findingValues, MIGRATIONS, migrationSql, newerSchemaMessage, runsOfRows, SCHEMA_VERSION, TARGET_COLUMNS, targetValues, type FindingRow, type RunRow, type TargetRow } from './schema.js';

// The embedded store: one SQLite file through better-sqlite3, a native module loaded only when a
// command is given --history (openSqliteHistory), so that --help and plain scans never load it.

/** The part of better-sqlite3's API this store uses (the package ships no types). */
interface SqliteStatement {
  run(...params: unknown[]): { readonly lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(text: string): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): { immediate(...args: A): void };
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
      throw new GatewardenError('output', newerSchemaMessage(shown, current));
    }
    MIGRATIONS.forEach((_, index) => {
      if (index + 1 <= current) return;
      db.exec(migrationSql(index, 'sqlite'));
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(index + 1, new Date().toISOString());
    });
  });
  apply.immediate();
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
      const target = db.prepare(`INSERT INTO targets (${TARGET_COLUMNS.join(', ')}) VALUES (${TARGET_COLUMNS.map(() => '?').join(', ')})`).run(...targetValues(entry));
      const insert = db.prepare(`INSERT INTO findings (target_id, ${FINDING_COLUMNS.map(({ column }) => column).join(', ')}) VALUES (?${', ?'.repeat(FINDING_COLUMNS.length)})`);
      for (const finding of entry.findings) insert.run(target.lastInsertRowid, ...findingValues(finding));
    });
    write.immediate(shard);
  }

  async runs(query: HistoryQuery = {}): Promise<HistoryRun[]> {
    const since = query.since ?? '';
    const runs = this.db.prepare('SELECT id, started_at, finished_at, incomplete FROM runs WHERE started_at >= ? ORDER BY started_at, id').all(since) as RunRow[];
    const targets = this.db.prepare('SELECT t.* FROM targets t JOIN runs r ON r.id = t.run_id WHERE r.started_at >= ? ORDER BY t.id').all(since) as TargetRow[];
    const findings = this.db
      .prepare('SELECT f.* FROM findings f JOIN targets t ON t.id = f.target_id JOIN runs r ON r.id = t.run_id WHERE r.started_at >= ? ORDER BY f.rowid')
      .all(since) as FindingRow[];
    return runsOfRows(runs, targets, findings);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
