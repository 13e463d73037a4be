import { GatewardenError } from '../errors.js';
import type { HistoryQuery, HistoryRun, HistoryShard, HistoryStore } from './model.js';
import { shownHistoryLocation, withoutPassword } from './location.js';
import { passwordFromFile, type PasswordFor } from './pgpass.js';
import { CHECK_COLUMNS, checkValues, FINDING_COLUMNS, findingValues, MIGRATIONS, migrationSql, newerSchemaMessage, runsOfRows, SCHEMA_VERSION, TARGET_COLUMNS, targetValues, type CheckRow, type FindingRow, type RunRow, type TargetRow } from './schema.js';
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

  async close(): Promise<void> {
    this.closed = true;
    await this.connection.client.end();
  }
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
