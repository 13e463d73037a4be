import { GatewardenError } from '../errors.js';
import type { Severity } from '../model/findings.js';
import { compareRuns, fullRunIds, goneAfter, trendOf, walkedRuns, walkRuns } from './analyse.js';
import type { HistoryDigest, HistoryFinding, HistoryQuery, HistoryRun, HistoryRunSummary, HistoryShard, HistoryStore, HistoryWalkState, RunTrend, TrackedFinding } from './model.js';
import { planWalk, reportRunIds, trackedChanges, trackedOfRow, type RunKey } from './walk-state.js';
import { shownHistoryLocation, withoutPassword } from './location.js';
import { passwordFromFile, type PasswordFor } from './pgpass.js';
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
import type { Client, ClientConfig } from 'pg';

// The network store: the same tables as the SQLite one (schema.ts) in a PostgreSQL database, for
// teams whose nightly jobs run on many machines. `pg` (pure JavaScript) is loaded only when
// --history is a postgres:// URL. One connection per gatewarden process; each shard is recorded in
// one transaction, and the schema is created or upgraded under an advisory lock, so that any number
// of jobs may start and record at once.

/**
 * The key of the advisory lock migrations hold ("gate", "ward"): the jobs of one night that open a
 * new database at once create its tables one after the other, not over each other.
 */
const MIGRATION_LOCK = [0x67617465, 0x77617264] as const;

/** Without PGCONNECT_TIMEOUT, how long a server that does not answer is waited for. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * How long to wait for the server, in milliseconds: PGCONNECT_TIMEOUT (seconds; 0 waits for ever,
 * as in libpq), which pure-JavaScript pg does not read by itself, else 10 s.
 */
function connectTimeout(): number {
  const text = process.env['PGCONNECT_TIMEOUT']?.trim() ?? '';
  return /^\d+$/.test(text) ? Number(text) * 1000 : CONNECT_TIMEOUT_MS;
}

/**
 * Connects to the PostgreSQL database of `url` and creates or upgrades the history's tables there.
 * What the URL leaves out comes from the standard libpq variables (PGHOST, PGPORT, PGUSER,
 * PGPASSWORD, PGDATABASE, PGSSLMODE...) and ~/.pgpass, as `psql` reads them. Throws a
 * {@link GatewardenError} that says what to do, never with the password in it.
 */
export async function openPostgresHistory(url: string): Promise<HistoryStore> {
  const connection = await connect(url);
  try {
    await migrate(connection.client, url);
  } catch (error) {
    await connection.client.end().catch(() => undefined);
    if (error instanceof GatewardenError) throw error;
    throw new GatewardenError('output', `cannot create the history tables in ${shownHistoryLocation(url)}: ${messageOf(error, url)}${advice(error)}`);
  }
  return new PostgresHistoryStore(connection, url);
}

/** A connection, and whether the server or the network has dropped it since. */
interface Connection {
  readonly client: Client;
  lost: boolean;
  /** Why the password file was not read, when it exists but others may read it: told if the login fails. */
  passwordFileIgnored?: string;
}

/** Connects to `url`; throws a {@link GatewardenError} that says what to do. */
async function connect(url: string): Promise<Connection> {
  const { default: pg } = await import('pg');
  // Keep-alive: the history is opened before an audit that may take an hour, and idle connections
  // are what firewalls and NAT gateways drop first.
  const config: ClientConfig = { connectionString: url, application_name: 'gatewarden', keepAlive: true };
  config.connectionTimeoutMillis = connectTimeout();
  const client = new pg.Client(config);
  const connection: Connection = { client, lost: false };
  // No password in the URL or PGPASSWORD: the password file, read by us (pg's own reading prints a
  // deprecation warning on every run). Read only if the server asks for a password.
  if ((client as { password?: unknown }).password === null) {
    (client as { password?: unknown }).password = async (target: PasswordFor): Promise<string | undefined> => {
      const answer = await passwordFromFile(target);
      if (answer.ignored !== undefined) connection.passwordFileIgnored = answer.ignored;
      return answer.password;
    };
  }
  // A connection dropped between queries is reconnected by the next record (see usable()); without
  // a listener the 'error' event would end the process instead.
  client.on('error', () => {
    connection.lost = true;
  });
  client.on('end', () => {
    connection.lost = true;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(url, error, connection.passwordFileIgnored);
  }
  return connection;
}

/**
 * Applies the migrations the database has not had, in one transaction under the advisory lock;
 * refuses a newer schema. A database already at this version is only read, so a user that may not
 * create tables (one that only reads reports) opens it as well.
 */
async function migrate(client: Client, url: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    const exists = await client.query<{ present: boolean }>("SELECT to_regclass('schema_version') IS NOT NULL AS present");
    let current = 0;
    if (exists.rows[0]!.present) {
      const row = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_version');
      current = row.rows[0]!.version ?? 0;
    } else {
      await client.query('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    }
    if (current > SCHEMA_VERSION) throw new GatewardenError('output', newerSchemaMessage(shownHistoryLocation(url), current));
    for (let index = current; index < MIGRATIONS.length; index++) {
      await client.query(migrationSql(index, 'postgres'));
      await client.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [index + 1, new Date().toISOString()]);
    }
    // A database from before the walk state: its runs are walked once, in the migration's transaction.
    if (current > 0 && current < WALK_STATE_VERSION) {
      await keepTrends(client, (await runKeys(client)).map((run) => run.id));
      await maintain(client, []);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const FINDING_NAMES = FINDING_COLUMNS.map(({ column }) => column);

/**
 * A whole shard's findings in one statement: one text array per column, unnested into rows (in
 * array order, so the order recorded is the report's). Every finding column is TEXT (schema.ts).
 */
const INSERT_FINDINGS = `INSERT INTO findings (target_id, ${FINDING_NAMES.join(', ')})
  SELECT $1, * FROM unnest(${FINDING_NAMES.map((_, index) => `$${index + 2}::text[]`).join(', ')})`;

const INSERT_TARGET = `INSERT INTO targets (${TARGET_COLUMNS.join(', ')}) VALUES (${TARGET_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING id`;

// Run ids and timestamps compare byte by byte, as SQLite compares them, whatever the database's collation.
const C = 'COLLATE "C"';

class PostgresHistoryStore implements HistoryStore {
  private closed = false;

  constructor(
    private connection: Connection,
    private readonly url: string,
  ) {}

  /**
   * The connection, connected again when it was lost while the scan or audit ran (the schema was
   * checked when the store was opened, so a new connection needs no migration).
   */
  private async usable(): Promise<Client> {
    if (this.connection.lost && !this.closed) {
      await this.connection.client.end().catch(() => undefined);
      this.connection = await connect(this.url);
    }
    return this.connection.client;
  }

  async record(shard: HistoryShard): Promise<void> {
    try {
      await this.write(await this.usable(), shard);
    } catch (error) {
      // A connection lost before or during the transaction: connected again, written again. Recording
      // is idempotent (the shard replaces itself), so a COMMIT whose answer was lost does no harm.
      if (this.closed || !(this.connection.lost || connectionFailed(error))) throw new Error(`${messageOf(error, this.url)}${advice(error)}`);
      this.connection.lost = true;
      try {
        await this.write(await this.usable(), shard);
      } catch (again) {
        throw new Error(`${messageOf(again, this.url)}${advice(again)}`);
      }
    }
  }

  /** Records `shard` in one transaction. */
  private async write(client: Client, shard: HistoryShard): Promise<void> {
    try {
      await client.query('BEGIN');
      // The upsert locks the run's row until COMMIT: shards of one run are written one after the
      // other (so a retried shard always sees the one it replaces), shards of other runs at once.
      await client.query(
        `INSERT INTO runs (id, started_at, finished_at, incomplete) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET started_at = LEAST(runs.started_at ${C}, excluded.started_at ${C}), finished_at = GREATEST(runs.finished_at ${C}, excluded.finished_at ${C}), incomplete = GREATEST(runs.incomplete, excluded.incomplete)`,
        [shard.runId, shard.startedAt, shard.finishedAt, shard.incomplete ? 1 : 0],
      );
      // A job retried under the same run id replaces what it recorded the first time.
      await client.query('DELETE FROM targets WHERE run_id = $1 AND scope = $2', [shard.runId, shard.scope]);
      const target = await client.query<{ id: number }>(INSERT_TARGET, targetValues(shard));
      if (shard.findings.length > 0) {
        const columns: Array<Array<string | null>> = FINDING_NAMES.map(() => []);
        for (const finding of shard.findings) findingValues(finding).forEach((value, index) => columns[index]!.push(value));
        await client.query(INSERT_FINDINGS, [target.rows[0]!.id, ...columns]);
      }
      for (const policy of shard.policies ?? []) {
        await client.query(`INSERT INTO policy_checks (target_id, ${CHECK_COLUMNS.join(', ')}) VALUES ($1${CHECK_COLUMNS.map((_, index) => `, $${index + 2}`).join('')})`, [target.rows[0]!.id, ...checkValues(policy)]);
      }
      // The run's start after the upsert: a shard only moves it earlier, so that is all the walk state needs to know.
      // Shards of one run are written one after the other (the run's row is locked): this one's trend counts those committed before it.
      await keepTrends(client, [shard.runId]);
      const run = await client.query<{ started_at: string }>('SELECT started_at FROM runs WHERE id = $1', [shard.runId]);
      await maintain(client, [{ id: shard.runId, startedAt: run.rows[0]!.started_at }]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async runs(query: HistoryQuery = {}): Promise<HistoryRun[]> {
    const since = query.since ?? '';
    const client = await this.usable();
    // One snapshot for the three reads: a shard recorded meanwhile is in all of them or in none.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const runs = await client.query<RunRow>(`SELECT id, started_at, finished_at, incomplete FROM runs WHERE started_at ${C} >= $1 ORDER BY started_at ${C}, id ${C}`, [since]);
      const targets = await client.query<TargetRow>(`SELECT t.* FROM targets t JOIN runs r ON r.id = t.run_id WHERE r.started_at ${C} >= $1 ORDER BY t.id`, [since]);
      const findings = await client.query<FindingRow>(
        `SELECT f.target_id, ${FINDING_NAMES.map((name) => `f.${name}`).join(', ')} FROM findings f JOIN targets t ON t.id = f.target_id JOIN runs r ON r.id = t.run_id WHERE r.started_at ${C} >= $1 ORDER BY f.rowid`,
        [since],
      );
      const checks = await client.query<CheckRow>(
        `SELECT c.* FROM policy_checks c JOIN targets t ON t.id = c.target_id JOIN runs r ON r.id = t.run_id WHERE r.started_at ${C} >= $1 ORDER BY c.target_id, c.policy_id ${C}`,
        [since],
      );
      await client.query('COMMIT');
      return runsOfRows(runs.rows, targets.rows, findings.rows, checks.rows);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new GatewardenError('output', `cannot read the history database ${shownHistoryLocation(this.url)}: ${messageOf(error, this.url)}${advice(error)}`);
    }
  }

  async digest(query: HistoryQuery = {}): Promise<HistoryDigest> {
    const client = await this.usable();
    // One snapshot for every read: a shard recorded meanwhile is in all of them or in none.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const state = await readState(client, query.since ?? '');
      const ids = reportRunIds(await runKeys(client), state?.through, query.since);
      // The runs before the state's run are neither walked nor compared: their kept trend is enough.
      const before = state === undefined ? [] : ids.slice(0, Math.max(0, ids.indexOf(state.through.id)));
      const digest = await digestOf(client, ids, state, { since: query.since }, await trendsOf(client, before));
      await client.query('COMMIT');
      return digest;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new GatewardenError('output', `cannot read the history database ${shownHistoryLocation(this.url)}: ${messageOf(error, this.url)}${advice(error)}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection.client.end();
  }
}

/**
 * The key of the advisory lock a record holds while it brings the walk state up to date ("gate",
 * "walk"): the state is one for the database, so shards recording at once update it one after the
 * other. Taken after the shard's rows are written, so that those are written at once; each record
 * reads, under the lock, what the records before it committed.
 */
const STATE_LOCK = [0x67617465, 0x77616c6b] as const;

/** Every run's id and start. */
async function runKeys(client: Client): Promise<RunKey[]> {
  const rows = await client.query<{ id: string; started_at: string }>('SELECT id, started_at FROM runs');
  return rows.rows.map((row) => ({ id: row.id, startedAt: row.started_at }));
}

async function checkpointOf(client: Client): Promise<RunKey | undefined> {
  const rows = await client.query<{ run_id: string; started_at: string }>('SELECT run_id, started_at FROM walk_checkpoint WHERE id = 1');
  const row = rows.rows[0];
  return row ? { id: row.run_id, startedAt: row.started_at } : undefined;
}

/** The walk state kept on record, with the fixes at or after `since` (none when `since` is undefined); none when no run was walked yet. */
async function readState(client: Client, since: string | undefined): Promise<HistoryWalkState | undefined> {
  const through = await checkpointOf(client);
  if (through === undefined) return undefined;
  const tracked = new Map<string, TrackedFinding>();
  const rows = await client.query<{ fingerprint: string; first_seen: string; finding: string | null }>('SELECT fingerprint, first_seen, finding FROM fingerprint_state');
  for (const row of rows.rows) tracked.set(row.fingerprint, trackedOfRow(row.first_seen, row.finding));
  const fixes =
    since === undefined
      ? []
      : (await client.query<{ fingerprint: string; severity: Severity; first_seen: string; fixed_at: string }>(`SELECT fingerprint, severity, first_seen, fixed_at FROM fixes WHERE fixed_at ${C} >= $1`, [since])).rows.map((row) => ({
          fingerprint: row.fingerprint,
          severity: row.severity,
          firstSeen: row.first_seen,
          fixedAt: row.fixed_at,
        }));
  return { through, tracked, fixes };
}

/**
 * Brings the walk state to the run before the latest one after a record into `touched`
 * (walk-state.ts), in the caller's transaction and under {@link STATE_LOCK}.
 */
async function maintain(client: Client, touched: readonly RunKey[]): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...STATE_LOCK]);
  const plan = planWalk(await runKeys(client), await checkpointOf(client), touched);
  if (plan.kind === 'keep') return;
  if (plan.kind === 'clear' || plan.from === undefined) {
    await client.query('DELETE FROM walk_checkpoint');
    await client.query('DELETE FROM fingerprint_state');
    await client.query('DELETE FROM fixes');
    if (plan.kind === 'clear') return;
  }
  const start = plan.from !== undefined ? await readState(client, undefined) : undefined;
  const digest = await digestOf(client, plan.ids, undefined, { walkFrom: start });
  const { tracked, fixes } = walkRuns([...digest.runs].sort(compareRuns), digest, start);
  const { write, remove } = trackedChanges(start?.tracked, tracked);
  if (remove.length > 0) await client.query('DELETE FROM fingerprint_state WHERE fingerprint = ANY($1::text[])', [remove]);
  if (write.length > 0) {
    await client.query(
      `INSERT INTO fingerprint_state (fingerprint, first_seen, finding) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (fingerprint) DO UPDATE SET first_seen = excluded.first_seen, finding = excluded.finding`,
      [write.map((row) => row[0]), write.map((row) => row[1]), write.map((row) => row[2])],
    );
  }
  if (fixes.length > 0) {
    await client.query('INSERT INTO fixes (fingerprint, severity, first_seen, fixed_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
      fixes.map((fix) => fix.fingerprint),
      fixes.map((fix) => fix.severity),
      fixes.map((fix) => fix.firstSeen),
      fixes.map((fix) => fix.fixedAt),
    ]);
  }
  await client.query('INSERT INTO walk_checkpoint (id, run_id, started_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, started_at = excluded.started_at', [plan.through.id, plan.through.startedAt]);
}

/**
 * The digest of the runs `ids`, with the walk state `state` at one of them. A network store cannot
 * answer the walk's lookups as it goes (they are synchronous), so everything the walk and the report
 * ask is read here, at once: the records of the findings that go missing between two runs walked
 * (from `walkFrom`, or the digest's state), the undecided checks, and, for a report over `since`,
 * the runs it reads whole. Asked anything else, the digest throws.
 */
async function digestOf(
  client: Client,
  ids: readonly string[],
  state: HistoryWalkState | undefined,
  purpose: { readonly since?: string | undefined; readonly walkFrom?: HistoryWalkState | undefined },
  counted: ReadonlyMap<string, RunTrend> = new Map(),
): Promise<HistoryDigest> {
  const { runs, summaries, open } = await summariesOf(client, ids, counted);
  const sorted = [...summaries].sort(compareRuns);
  const undecided = new Map<string, Set<string>>();
  const unknownRows = await client.query<{ run_id: string; policy_id: string; entity_id: string; route_key: string | null }>(
    "SELECT t.run_id, f.policy_id, f.entity_id, f.route_key FROM targets t JOIN findings f ON f.target_id = t.id WHERE t.run_id = ANY($1::text[]) AND f.state = 'unknown'",
    [ids],
  );
  for (const row of unknownRows.rows) {
    const set = undecided.get(row.run_id) ?? new Set<string>();
    set.add(`${row.policy_id}|${row.entity_id}|${row.route_key ?? ''}`);
    undecided.set(row.run_id, set);
  }
  // What the walk will ask in full: the findings open in a run and gone from the next.
  const gone = goneAfter(walkedRuns(sorted, purpose.walkFrom ?? state));
  const pairs = [...gone].flatMap(([runId, fingerprints]) => fingerprints.map((fingerprint) => [runId, fingerprint, open.get(runId)!.get(fingerprint)!] as const));
  const records = new Map<string, Map<string, HistoryFinding & { readonly scope: string }>>();
  if (pairs.length > 0) {
    const parse = jsonParser();
    // Each wanted finding is sought in the index on all its columns. As a plain join, the planner
    // (PostgreSQL 15, not knowing how many rows unnest gives) sought only (target_id, state) and
    // filtered every open finding of each shard: 330 ms instead of 1 ms for 60 findings. The lateral
    // subquery, fenced by OFFSET 0, keeps the seek.
    const rows = await client.query<FindingRow & { scope: string; run_id: string }>(
      `SELECT ${FINDING_NAMES.map((name) => `f.${name}`).join(', ')}, t.scope AS scope, t.run_id AS run_id
       FROM unnest($1::text[], $2::text[], $3::text[]) AS w (run_id, fingerprint, severity)
       JOIN targets t ON t.run_id = w.run_id
       CROSS JOIN LATERAL (SELECT f.* FROM findings f WHERE f.target_id = t.id AND f.state = 'open' AND f.severity = w.severity AND f.fingerprint = w.fingerprint OFFSET 0) f
       ORDER BY f.rowid`,
      [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1]), pairs.map((pair) => pair[2])],
    );
    for (const row of rows.rows) {
      const run = records.get(row.run_id) ?? new Map<string, HistoryFinding & { readonly scope: string }>();
      run.set(row.fingerprint as string, { ...findingOfRow(row, parse), scope: row.scope });
      records.set(row.run_id, run);
    }
  }
  const whole = new Map<string, HistoryRun>();
  if (purpose.walkFrom === undefined) {
    const wanted = fullRunIds(sorted, purpose.since).ids;
    for (const run of await runsByIds(client, runs.filter((row) => wanted.includes(row.id)))) whole.set(run.id, run);
  }
  return {
    runs: summaries,
    ...(state !== undefined ? { state } : {}),
    full: (wanted) =>
      wanted.map((id) => {
        const run = whole.get(id);
        if (run === undefined) throw new Error(`the PostgreSQL history's digest was read for another window: run ${id} was not read whole`);
        return run;
      }),
    openFindings: (wanted) =>
      new Map(
        [...wanted].map(([runId, fingerprints]) => {
          const found = records.get(runId) ?? new Map<string, HistoryFinding & { readonly scope: string }>();
          return [runId, new Map(fingerprints.flatMap((fingerprint) => (found.has(fingerprint) ? [[fingerprint, found.get(fingerprint)!] as const] : [])))];
        }),
      ),
    undecided: (runId) => undecided.get(runId) ?? new Set(),
  };
}

/**
 * The summaries of the runs `ids`; those in `counted` (their kept trend) without their
 * fingerprints: their shards' counts only, which is all the report needs of a run it does not walk.
 */
async function summariesOf(client: Client, ids: readonly string[], counted: ReadonlyMap<string, RunTrend>): Promise<{ runs: RunRow[]; summaries: HistoryRunSummary[]; open: Map<string, Map<string, Severity>> }> {
  const runs = (await client.query<RunRow>(`SELECT id, started_at, finished_at, incomplete FROM runs WHERE id = ANY($1::text[]) ORDER BY started_at ${C}, id ${C}`, [ids])).rows;
  const targets = (await client.query<TargetRow>('SELECT * FROM targets WHERE run_id = ANY($1::text[]) ORDER BY id', [ids])).rows;
  const groups = (
    // The fingerprints as JSON text, parsed by JSON.parse: pg's parser of text[] reads them a character at a time.
    await client.query<{ target_id: string; state: string; severity: string; count: number; fingerprints: string }>(
      `SELECT target_id, state, severity, count(*)::int AS count, CASE WHEN target_id = ANY($2::bigint[]) THEN '[]' ELSE json_agg(fingerprint)::text END AS fingerprints
       FROM findings WHERE target_id = ANY($1::bigint[]) GROUP BY target_id, state, severity ORDER BY target_id, state ${C}, severity ${C}`,
      [targets.map((row) => row.id), targets.filter((row) => counted.has(row.run_id)).map((row) => row.id)],
    )
  ).rows.map((row): FindingGroup => [row.target_id, row.state, row.severity, row.count, row.fingerprints]);
  const { summaries, open } = summariesOfRows(runs, targets, groups);
  return { runs, summaries: summaries.map((summary) => (counted.has(summary.id) ? { ...summary, trend: counted.get(summary.id)! } : summary)), open };
}

/** The kept trend of the runs `ids` that have one. */
async function trendsOf(client: Client, ids: readonly string[]): Promise<Map<string, RunTrend>> {
  const rows = await client.query<{ run_id: string; open_by_severity: string; unknown: number }>('SELECT run_id, open_by_severity, unknown FROM run_trend WHERE run_id = ANY($1::text[])', [ids]);
  return new Map(rows.rows.map((row) => [row.run_id, { open: JSON.parse(row.open_by_severity) as RunTrend['open'], unknown: Number(row.unknown) }]));
}

/** Keeps the trend of the runs `ids` (after a record into one; for every run after the migration that made the table). */
async function keepTrends(client: Client, ids: readonly string[]): Promise<void> {
  // A few dozen runs at a time: a year of fingerprints at once would take gigabytes.
  for (let index = 0; index < ids.length; index += 30) {
    const { summaries } = await summariesOf(client, ids.slice(index, index + 30), new Map());
    const trends = summaries.map((summary) => [summary.id, trendOf(summary)] as const);
    await client.query(
      `INSERT INTO run_trend (run_id, open_by_severity, unknown) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
       ON CONFLICT (run_id) DO UPDATE SET open_by_severity = excluded.open_by_severity, unknown = excluded.unknown`,
      [trends.map(([id]) => id), trends.map(([, trend]) => JSON.stringify(trend.open)), trends.map(([, trend]) => trend.unknown)],
    );
  }
}

/** The runs of these rows read whole, in the caller's transaction. */
async function runsByIds(client: Client, runs: readonly RunRow[]): Promise<HistoryRun[]> {
  const ids = runs.map((run) => run.id);
  const targets = await client.query<TargetRow>('SELECT * FROM targets WHERE run_id = ANY($1::text[]) ORDER BY id', [ids]);
  const findings = await client.query<FindingRow>(
    `SELECT f.target_id, ${FINDING_NAMES.map((name) => `f.${name}`).join(', ')} FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.run_id = ANY($1::text[]) ORDER BY f.rowid`,
    [ids],
  );
  const checks = await client.query<CheckRow>(`SELECT c.* FROM policy_checks c JOIN targets t ON t.id = c.target_id WHERE t.run_id = ANY($1::text[]) ORDER BY c.target_id, c.policy_id ${C}`, [ids]);
  return runsOfRows(runs, targets.rows, findings.rows, checks.rows);
}

/** An error of the driver or the server, as pg reports it (`code` is a SQLSTATE or a Node.js errno name). */
interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
}

/**
 * Whether `error` is the connection's, not the statement's: a network error (no SQLSTATE, or a
 * Node.js errno name), a connection exception (class 08) or the server shutting the session down
 * (class 57: a restart, a failover, pg_terminate_backend).
 */
function connectionFailed(error: unknown): boolean {
  if (error instanceof GatewardenError) return true;
  const { code } = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  // No SQLSTATE class starts with E; every errno name does (ECONNRESET, EPIPE).
  return typeof code !== 'string' || code.startsWith('E') || code.startsWith('08') || code.startsWith('57');
}

/** The message of `error` without the password (of the URL or of PGPASSWORD). */
function messageOf(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (error instanceof AggregateError && text === '') text = error.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  text = withoutPassword(text, url);
  const fromEnvironment = process.env['PGPASSWORD'];
  return fromEnvironment ? text.split(fromEnvironment).join('***') : text;
}

/** Why the connection failed and what to do about it. */
function connectionError(url: string, error: unknown, passwordFileIgnored?: string): GatewardenError {
  const shown = shownHistoryLocation(url);
  const note = passwordFileIgnored !== undefined ? `; ${passwordFileIgnored}` : '';
  return new GatewardenError('output', `cannot connect to the PostgreSQL history ${shown}: ${messageOf(error, url)}${advice(error)}${note}`);
}

/** What to do about a driver or server error, as `; ...` (empty when there is nothing to add). */
function advice(error: unknown): string {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOENT':
      return '; check that the server is running and that the URL (or PGHOST and PGPORT) names its host and port';
    case '28P01':
      return '; check the user, and give its password in PGPASSWORD or ~/.pgpass rather than in the URL';
    case '28000':
      return "; the server does not accept this user from this host (pg_hba.conf) or the user does not exist: ask the database's administrator";
    case '3D000':
      return '; create the database first (createdb NAME) or name an existing one in the URL';
    case '42501':
      return "; the first run creates gatewarden's tables (and a newer gatewarden upgrades them): grant the user CREATE on the database's schema (GRANT CREATE ON SCHEMA public TO USER), or run that once as the schema's owner; recording needs SELECT, INSERT, UPDATE and DELETE on the tables, a report SELECT";
    default:
      if (/password must be a string|no password/i.test(text)) return '; the server asks for a password: set PGPASSWORD or put it in ~/.pgpass';
      if (/timeout|timed out/i.test(text)) return '; the server did not answer: check the host and port, and that a firewall lets the connection through (PGCONNECT_TIMEOUT sets the wait, 10 s by default)';
      if (/SSL|TLS|certificate/i.test(text)) return '; check the TLS settings: sslmode in the URL or PGSSLMODE';
      return '';
  }
}
