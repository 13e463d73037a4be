import { GatewardenError } from '../errors.js';
import type { Severity } from '../model/findings.js';
import type { HistoryCommand, HistoryFinding, HistoryPolicyChecks, HistoryQuery, HistoryRun, HistoryShard, HistoryState, HistoryStore } from './model.js';

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
  // 2: who and what a finding belongs to (posture by gateway, account, owner), and each policy's
  // checks per shard (compliance by framework). Rows of version 1 keep NULLs and no checks.
  `ALTER TABLE findings ADD COLUMN gateway_id TEXT;
   ALTER TABLE findings ADD COLUMN gateway_name TEXT;
   ALTER TABLE findings ADD COLUMN account TEXT;
   ALTER TABLE findings ADD COLUMN owner TEXT;
   CREATE TABLE policy_checks (
     target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
     policy_id TEXT NOT NULL,
     severity TEXT NOT NULL,
     frameworks TEXT NOT NULL,
     evaluated INTEGER NOT NULL,
     passed INTEGER NOT NULL,
     failed INTEGER NOT NULL,
     unknown INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     PRIMARY KEY (target_id, policy_id)
   );`,
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
  gateway_id: string | null;
  gateway_name: string | null;
  account: string | null;
  owner: string | null;
  message: string;
}

interface PolicyChecksRow {
  target_id: number;
  policy_id: string;
  severity: string;
  frameworks: string;
  evaluated: number;
  passed: number;
  failed: number;
  unknown: number;
  errors: number;
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
        'INSERT INTO findings (target_id, fingerprint, state, policy_id, severity, provider, frameworks, entity_kind, entity_id, address, route_key, location, resource_id, file, target, gateway_id, gateway_name, account, owner, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
          finding.gatewayId ?? null,
          finding.gatewayName ?? null,
          finding.account ?? null,
          finding.owner ?? null,
          finding.message,
        );
      }
      const check = db.prepare('INSERT INTO policy_checks (target_id, policy_id, severity, frameworks, evaluated, passed, failed, unknown, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const policy of entry.policies ?? []) {
        check.run(target.lastInsertRowid, policy.policyId, policy.severity, JSON.stringify(policy.frameworks), policy.evaluated, policy.passed, policy.failed, policy.unknown, policy.errors);
      }
    });
    write.immediate(shard);
  }

  async runs(query: HistoryQuery = {}): Promise<HistoryRun[]> {
    const since = query.since ?? '';
    const runs = this.db.prepare('SELECT id, started_at, finished_at, incomplete FROM runs WHERE started_at >= ? ORDER BY started_at, id').all(since) as Array<{ id: string; started_at: string; finished_at: string; incomplete: number }>;
    const targets = this.db
      .prepare('SELECT t.* FROM targets t JOIN runs r ON r.id = t.run_id WHERE r.started_at >= ? ORDER BY t.id')
      .all(since) as TargetRow[];
    const findings = this.db
      .prepare('SELECT f.* FROM findings f JOIN targets t ON t.id = f.target_id JOIN runs r ON r.id = t.run_id WHERE r.started_at >= ? ORDER BY f.rowid')
      .all(since) as FindingRow[];
    const findingsByTarget = new Map<number, HistoryFinding[]>();
    // A policy's frameworks are the same text on each of its findings: parsed once.
    const frameworks = new Map<string, HistoryFinding['frameworks']>();
    const frameworksOf = (text: string): HistoryFinding['frameworks'] => {
      let parsed = frameworks.get(text);
      if (parsed === undefined) frameworks.set(text, (parsed = JSON.parse(text) as HistoryFinding['frameworks']));
      return parsed;
    };
    for (const row of findings) {
      const list = findingsByTarget.get(row.target_id) ?? [];
      list.push(findingOf(row, frameworksOf));
      findingsByTarget.set(row.target_id, list);
    }
    const checks = this.db
      .prepare('SELECT c.* FROM policy_checks c JOIN targets t ON t.id = c.target_id JOIN runs r ON r.id = t.run_id WHERE r.started_at >= ? ORDER BY c.target_id, c.policy_id')
      .all(since) as PolicyChecksRow[];
    const checksByTarget = new Map<number, HistoryPolicyChecks[]>();
    for (const row of checks) {
      const list = checksByTarget.get(row.target_id) ?? [];
      list.push({
        policyId: row.policy_id,
        severity: row.severity as Severity,
        frameworks: frameworksOf(row.frameworks),
        evaluated: row.evaluated,
        passed: row.passed,
        failed: row.failed,
        unknown: row.unknown,
        errors: row.errors,
      });
      checksByTarget.set(row.target_id, list);
    }
    const shardsByRun = new Map<string, HistoryShard[]>();
    for (const row of targets) {
      const list = shardsByRun.get(row.run_id) ?? [];
      list.push({
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
        findings: findingsByTarget.get(row.id) ?? [],
        policies: checksByTarget.get(row.id) ?? [],
      });
      shardsByRun.set(row.run_id, list);
    }
    return runs.map((run) => {
      const shards = shardsByRun.get(run.id) ?? [];
      return {
        id: run.id,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        commands: [...new Set(shards.map((shard) => shard.command))].sort(),
        incomplete: run.incomplete === 1,
        shards,
      };
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
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
    ...(row.gateway_id !== null ? { gatewayId: row.gateway_id } : {}),
    ...(row.gateway_name !== null ? { gatewayName: row.gateway_name } : {}),
    ...(row.account !== null ? { account: row.account } : {}),
    ...(row.owner !== null ? { owner: row.owner } : {}),
    message: row.message,
  };
}
