import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { createBaseline, renderBaseline } from '../../src/report/baseline.js';
import { analyseHistory, type ReportedFinding } from '../../src/history/analyse.js';
import { historyShardOf } from '../../src/history/record.js';
import { MIGRATIONS, migrationSql, SCHEMA_VERSION } from '../../src/history/schema.js';
import { openHistoryStore } from '../../src/history/open.js';
import { shownHistoryLocation, withoutPassword } from '../../src/history/location.js';
import { passwordFromFile } from '../../src/history/pgpass.js';
import type { HistoryFinding, HistoryShard, HistoryStore } from '../../src/history/model.js';
import { PASSWORD, PASSWORD_ROLE, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';

// The same table of store behaviours runs on both stores: SQLite (a file) and PostgreSQL (a real
// server this file starts in a temporary directory, test/helpers/postgres.ts). A PostgreSQL test
// fails, never skips, when the server's binaries are missing.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const insecure = path.join(repo, 'samples/aws-terraform/insecure');
const execFileAsync = promisify(execFile);

/** `policy entity` of each finding: what the assertions compare (never counts alone). */
function ids(findings: readonly ReportedFinding[]): string[] {
  return findings.map((finding) => `${finding.policyId} ${finding.address}`).sort();
}

let postgres: TestPostgres | undefined;
let postgresProblem: unknown;
let databases = 0;

beforeAll(async () => {
  try {
    postgres = await startPostgres();
  } catch (error) {
    // Kept for the PostgreSQL tests to fail with; the SQLite ones still run.
    postgresProblem = error;
  }
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

/** The test server, or the reason it could not start (missing binaries: what to install). */
function server(): TestPostgres {
  if (postgres === undefined) throw postgresProblem instanceof Error ? postgresProblem : new Error(String(postgresProblem));
  return postgres;
}

/** A kind of store: how to make an empty one and how to look inside it without gatewarden. */
interface StoreKind {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** The location (`--history`) of a new, empty history. */
  fresh(dir: string): Promise<string>;
  /** Runs SQL on the history at `location` and returns the rows. */
  sql(location: string, text: string): Promise<Array<Record<string, unknown>>>;
  /** The tables of the history at `location`, each with its columns in order. */
  tables(location: string): Promise<Record<string, string[]>>;
}

type SqliteDb = { prepare(sql: string): { reader: boolean; all(): Array<Record<string, unknown>>; run(): unknown }; close(): void };

const SQLITE: StoreKind = {
  name: 'SQLite',
  async fresh(dir) {
    return path.join(dir, `history-${++databases}.db`);
  },
  async sql(location, text) {
    const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => SqliteDb };
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
  async tables(location) {
    const names = (await this.sql(location, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((row) => row['name'] as string);
    const result: Record<string, string[]> = {};
    for (const name of names) result[name] = (await this.sql(location, `SELECT name FROM pragma_table_info('${name}') ORDER BY cid`)).map((row) => row['name'] as string);
    return result;
  },
};

const POSTGRES: StoreKind = {
  name: 'PostgreSQL',
  async fresh() {
    return server().createDatabase(`history_${++databases}`);
  },
  async sql(location, text) {
    return server().query(new URL(location).pathname.slice(1), text);
  },
  async tables(location) {
    const rows = await this.sql(location, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position");
    const result: Record<string, string[]> = {};
    for (const row of rows) (result[row['table_name'] as string] ??= []).push(row['column_name'] as string);
    return result;
  },
};

const at = (day: number, second = 0): string => new Date(Date.UTC(2026, 10, day, 2, 0, second)).toISOString();

/** A finding written by hand, every optional field given or left out. */
function finding(fingerprint: string, extra: Partial<HistoryFinding> = {}): HistoryFinding {
  return { fingerprint, state: 'open', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', frameworks: { 'owasp-api-2023': ['API2'] }, entityKind: 'route', entityId: `route-${fingerprint}`, address: `aws_api_gateway_method.${fingerprint}`, message: `GET /${fingerprint} has no authorization`, ...extra };
}

/** A shard written by hand. */
function shard(runId: string, scope: string, startedAt: string, findings: HistoryFinding[], extra: Partial<HistoryShard> = {}): HistoryShard {
  return { runId, command: 'scan', startedAt, finishedAt: startedAt, toolVersion: '0.1.0', scope, targets: ['.'], scanRoot: '/repo', incomplete: false, unreadFiles: [], unscopedErrors: 0, findings, ...extra };
}

describe.each([SQLITE, POSTGRES])('the $name history', (kind) => {
  let dir: string;
  let infra: string;
  let location: string;
  let store: HistoryStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
    infra = path.join(dir, 'infra');
    cpSync(insecure, infra, { recursive: true });
    location = await kind.fresh(dir);
    store = await openHistoryStore(location, dir);
  });

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function recordScan(runId: string): Promise<void> {
    const report = await scan({ cwd: infra, paths: ['.'] });
    await store.record(historyShardOf(report, { command: 'scan', runId }));
  }

  function edit(file: string, change: (text: string) => string): void {
    const full = path.join(infra, file);
    writeFileSync(full, change(readFileSync(full, 'utf8')));
  }

    it('records real scans and tells new, fixed and still open findings apart by fingerprint, across moved lines', async () => {
      await recordScan('night-1');
      // An authorizer on GET /orders, and lines added above everything: the other findings move, not change.
      edit('rest-api.tf', (text) =>
        `# Orders API, reviewed.\n\n${text.replace(/(resource "aws_api_gateway_method" "list_orders" \{[^}]*?)authorization = "NONE"/, '$1authorization = "COGNITO_USER_POOLS"\n  authorizer_id = aws_api_gateway_authorizer.cognito.id')}`,
      );
      // A new open CORS origin on the HTTP API's stage... written as a new static API key instead: a new finding.
      edit('rest-api.tf', (text) => `${text}\nresource "aws_api_gateway_api_key" "partner_globex" {\n  name  = "partner-globex"\n  value = "gx-7c1f0b2e9d4a4e55a1b3c6d8e0f2a4b6"\n}\n`);
      await recordScan('night-2');

      const runs = await store.runs();
      expect(runs.map((run) => run.id)).toEqual(['night-1', 'night-2']);
      const report = analyseHistory(runs, { now: new Date(Date.parse(runs[1]!.startedAt) + 1000) });
      expect(ids(report.sincePrevious!.fixed)).toEqual(['route-requires-auth aws_api_gateway_method.list_orders']);
      expect(ids(report.sincePrevious!.new)).toEqual(['no-static-api-keys aws_api_gateway_api_key.partner_globex']);
      expect(ids(report.sincePrevious!.stillOpen)).toContain('route-requires-auth aws_api_gateway_method.get_order');
      expect(ids(report.sincePrevious!.stillOpen)).toContain('cors-not-open module.storefront_api.aws_apigatewayv2_api.this');
      expect(report.sincePrevious!.notChecked).toEqual([]);
      // The moved finding keeps its first sighting; its line is the new one.
      const getOrder = report.open.find((finding) => finding.address === 'aws_api_gateway_method.get_order')!;
      expect(getOrder.firstSeen).toBe(runs[0]!.startedAt);
      expect(getOrder.location).toBe('rest-api.tf:76'); // 73, two lines above it and the authorizer_id line
    });

    it('calls the findings of a file that no longer parses "not checked", never fixed', async () => {
      await recordScan('night-1');
      edit('rest-api.tf', (text) => `${text}\nresource "aws_api_gateway_method" "broken" {\n`);
      await recordScan('night-2');
      const runs = await store.runs();
      expect(runs[1]!.incomplete).toBe(true);
      const report = analyseHistory(runs, { now: new Date() });
      expect(report.sincePrevious!.fixed.filter((finding) => finding.file === 'rest-api.tf')).toEqual([]);
      expect(ids(report.sincePrevious!.notChecked)).toContain('route-requires-auth aws_api_gateway_method.get_order');
      expect(report.incompleteRuns.map((run) => [run.id, run.targets[0]!.unreadFiles])).toEqual([['night-2', ['rest-api.tf']]]);
    });

    it('calls a finding accepted by a suppression "accepted", not fixed, and stores its state', async () => {
      await recordScan('night-1');
      edit('rest-api.tf', (text) => text.replace('# GET /orders: list the caller\'s orders.', '# gatewarden:ignore route-requires-auth -- internal listing behind the VPN'));
      await recordScan('night-2');
      const runs = await store.runs();
      const suppressed = runs[1]!.shards[0]!.findings.find((finding) => finding.address === 'aws_api_gateway_method.list_orders');
      expect(suppressed?.state).toBe('suppressed');
      const report = analyseHistory(runs, { now: new Date() });
      expect(ids(report.sincePrevious!.accepted)).toEqual(['route-requires-auth aws_api_gateway_method.list_orders']);
      expect(report.sincePrevious!.fixed).toEqual([]);
    });

    it('calls findings taken into a baseline "accepted", and counts them apart from the open ones', async () => {
      const before = await scan({ cwd: infra, paths: ['.'] });
      await store.record(historyShardOf(before, { command: 'scan', runId: 'night-1' }));
      const baseline = path.join(dir, 'baseline.json');
      writeFileSync(baseline, renderBaseline(createBaseline(before.findings)));
      await store.record(historyShardOf(await scan({ cwd: infra, paths: ['.'], baseline }), { command: 'scan', runId: 'night-2' }));
      const report = analyseHistory(await store.runs(), { now: new Date() });
      expect(ids(report.sincePrevious!.accepted)).toContain('route-requires-auth aws_api_gateway_method.list_orders');
      expect(ids(report.sincePrevious!.accepted)).toEqual(before.findings.map((finding) => `${finding.policyId} ${finding.address}`).sort());
      expect(report.sincePrevious!.fixed).toEqual([]);
      expect(report.posture).toMatchObject({ open: 0, baselined: before.findings.length });
    });

    it('merges two shards recorded with one run id into one run', async () => {
      const other = path.join(dir, 'other');
      cpSync(path.join(repo, 'samples/aws-terraform/fixed'), other, { recursive: true });
      const first = await scan({ cwd: infra, paths: ['.'] });
      const second = await scan({ cwd: other, paths: ['.'] });
      await store.record(historyShardOf(first, { command: 'scan', runId: 'nightly-42' }));
      await store.record(historyShardOf(second, { command: 'scan', runId: 'nightly-42' }));
      // The same shard recorded again (a retried job) replaces itself.
      await store.record(historyShardOf(second, { command: 'scan', runId: 'nightly-42' }));
      const runs = await store.runs();
      expect(runs.map((run) => [run.id, run.shards.map((shard) => shard.scope).sort()])).toEqual([['nightly-42', [`scan ${infra}: .`, `scan ${other}: .`].sort()]]);
      const health = runs[0]!.shards.flatMap((shard) => shard.findings).find((finding) => finding.address === 'aws_api_gateway_method.health');
      expect(health).toMatchObject({ policyId: 'route-requires-auth', state: 'suppressed', location: 'rest-api.tf:38' });
    });

    it('gives back exactly what it recorded: every field, optional ones absent or present, findings in the order recorded', async () => {
      const full = finding('full', {
        state: 'unknown',
        severity: 'critical',
        frameworks: { 'owasp-api-2023': ['API2', 'API4'], 'pci-dss-4': ['6.4.1'] },
        routeKey: 'GET /orders/{id}',
        location: 'rest-api.tf:12',
        resourceId: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3',
        file: 'rest-api.tf',
        target: 'aws:123456789012/eu-west-1',
        gatewayId: 'aws_api_gateway_rest_api.orders',
        gatewayName: 'shop-prod-orders',
        account: '123456789012',
        owner: '@acme/orders team-payments',
        message: 'unknown value: « ${var.auth} » — not decided',
      });
      const bare = finding('bare', { frameworks: {} });
      const checks = { policyId: 'route-requires-auth', severity: 'high' as const, frameworks: { 'owasp-api-2023': ['API2'] }, evaluated: 7, passed: 3, failed: 2, unknown: 1, errors: 1 };
      const scanned = shard('n1', 'scan /repo: .', at(1), [full, bare, finding('z'), finding('a')], { incomplete: true, unreadFiles: ['broken.tf'], unscopedErrors: 2, targets: ['.', 'modules'], // In policy id order, as both stores read them back.
      policies: [{ ...checks, policyId: 'cors-not-open', evaluated: 0, passed: 0, failed: 0, unknown: 0, errors: 0 }, checks] });
      const { scanRoot: _none, ...audit } = shard('n1', 'audit aws: aws:123456789012/eu-west-1', at(1, 5), [], { command: 'audit aws', targets: ['aws:123456789012/eu-west-1'] });
      await store.record(scanned);
      await store.record(audit);
      const runs = await store.runs();
      expect(runs).toEqual([{ id: 'n1', startedAt: at(1), finishedAt: at(1, 5), commands: ['audit aws', 'scan'], incomplete: true, shards: [scanned, audit] }]);
    });

    it('keeps the gateway, owner and policy checks of a real scan, and reads them back', async () => {
      writeFileSync(path.join(infra, '.gatewarden.yaml'), 'owners:\n  paths:\n    "rest-api.tf": team-orders\n');
      const { loadConfig } = await import('../../src/config/load.js');
      const config = loadConfig(path.join(infra, '.gatewarden.yaml'), (file) => path.relative(infra, file));
      const report = await scan({ cwd: infra, paths: ['.'], config });
      await store.record(historyShardOf(report, { command: 'scan', runId: 'night-1' }));
      const [recorded] = await store.runs();
      const shard = recorded!.shards[0]!;
      const listOrders = shard.findings.find((item) => item.address === 'aws_api_gateway_method.list_orders' && item.policyId === 'route-requires-auth');
      expect(listOrders).toMatchObject({ gatewayId: 'aws_api_gateway_rest_api.orders', gatewayName: 'shop-prod-orders', owner: 'team-orders', state: 'open' });
      expect(listOrders!.account).toBeUndefined();
      const auth = shard.policies!.find((policy) => policy.policyId === 'route-requires-auth')!;
      const expected = report.policies.find((policy) => policy.id === 'route-requires-auth')!.checks!;
      // Every framework the policy maps to (its policy.yaml), with its controls.
      expect(auth).toEqual({
        policyId: 'route-requires-auth',
        severity: 'high',
        frameworks: { 'owasp-api-2023': ['API2'], 'aws-fsbp': ['APIGateway.8'], 'nist-800-53-r5': ['AC-3', 'IA-2'], mcsb: ['IM-4'], cwe: ['CWE-306'] },
        ...expected,
      });
      expect(expected.failed).toBe(report.findings.filter((item) => item.policyId === 'route-requires-auth').length);
    });

    it('keeps the earliest start, the latest end and any incompleteness of the shards of a run, and reads runs since a time', async () => {
      await store.record(shard('n2', 'scan /b: .', at(2, 30), [finding('b')]));
      await store.record(shard('n2', 'scan /a: .', at(2, 10), [finding('a')], { finishedAt: at(2, 50), incomplete: true }));
      await store.record(shard('n2', 'scan /c: .', at(2, 20), [finding('c')]));
      await store.record(shard('n1', 'scan /a: .', at(1), [finding('a')]));
      // Same start: ordered by run id, byte by byte (upper case before lower case).
      await store.record(shard('n3-b', 'scan /a: .', at(3), []));
      await store.record(shard('n3-B', 'scan /a: .', at(3), []));
      const runs = await store.runs();
      expect(runs.map((run) => [run.id, run.startedAt, run.finishedAt, run.incomplete])).toEqual([
        ['n1', at(1), at(1), false],
        ['n2', at(2, 10), at(2, 50), true],
        ['n3-B', at(3), at(3), false],
        ['n3-b', at(3), at(3), false],
      ]);
      expect(runs[1]!.shards.map((entry) => entry.findings.map((item) => item.fingerprint))).toEqual([['b'], ['a'], ['c']]);
      expect((await store.runs({ since: at(2, 10) })).map((run) => run.id)).toEqual(['n2', 'n3-B', 'n3-b']);
      expect((await store.runs({ since: at(2, 11) })).map((run) => run.id)).toEqual(['n3-B', 'n3-b']);
    });

    it('runs each migration once and opens an existing database again cleanly', async () => {
      await recordScan('night-1');
      await store.close();
      store = await openHistoryStore(location, dir);
      expect(await kind.sql(location, 'SELECT version FROM schema_version ORDER BY version')).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      expect(Object.keys(await kind.tables(location)).sort()).toEqual(['findings', 'fingerprint_state', 'fixes', 'policy_checks', 'run_trend', 'runs', 'schema_version', 'targets', 'walk_checkpoint']);
      expect((await store.runs()).map((run) => run.id)).toEqual(['night-1']);
    });

    it('refuses a history written by a newer gatewarden, and says to upgrade', async () => {
      await store.close();
      await kind.sql(location, `INSERT INTO schema_version (version, applied_at) VALUES (${SCHEMA_VERSION + 1}, '2027-01-01T00:00:00.000Z')`);
      await expect(openHistoryStore(location, dir)).rejects.toThrow(
        `the history database ${shownHistoryLocation(location)} has schema version ${SCHEMA_VERSION + 1}, written by a newer gatewarden (this one reads up to ${SCHEMA_VERSION}); upgrade gatewarden`,
      );
      store = await kind.fresh(dir).then((other) => openHistoryStore(other, dir));
    });

    it('loses nothing when 8 jobs (separate processes) open a new history and record shards of one run and runs of their own at once', { timeout: 120_000 }, async () => {
      // The jobs run gatewarden's built store (dist/), as nightly jobs would.
      expect(existsSync(path.join(repo, 'dist/src/history/open.js')), 'run npm run build first: the recorders run dist/').toBe(true);
      const shared = await kind.fresh(dir);
      const jobs = Array.from({ length: 8 }, (_, index) => execFileAsync(process.execPath, [path.join(repo, 'test/helpers/record-shards.mjs'), shared, String(index)], { cwd: dir }));
      expect((await Promise.all(jobs)).map(({ stdout }) => stdout)).toEqual(Array.from({ length: 8 }, (_, index) => `recorded ${index}\n`));
      const other = await openHistoryStore(shared, dir);
      try {
        const runs = await other.runs();
        const indexes = [0, 1, 2, 3, 4, 5, 6, 7];
        expect(runs.map((run) => [run.id, run.startedAt, run.finishedAt])).toEqual([['night', at(1, 0), at(1, 8)], ...indexes.map((index) => [`solo-${index}`, at(2, index), at(2, index + 1)])]);
        const night = runs[0]!;
        // Each job's retried shard replaced its first one: one shard per job, each with its 40 findings in order.
        expect(night.shards.map((entry) => entry.scope).sort()).toEqual(indexes.map((index) => `job-${index}`));
        for (const entry of night.shards) {
          const index = entry.scope.slice('job-'.length);
          expect(entry.findings.map((item) => item.fingerprint)).toEqual(Array.from({ length: 40 }, (_, k) => `night-${index}-${k}`));
          expect(entry.findings[0]).toMatchObject({ location: `main.tf:${index}`, frameworks: { 'owasp-api-2023': ['API2'] } });
        }
        expect(runs.slice(1).map((run) => run.shards.map((entry) => entry.findings.map((item) => item.fingerprint)))).toEqual(indexes.map((index) => [[`solo-${index}`]]));
        expect(await kind.sql(shared, 'SELECT version FROM schema_version ORDER BY version')).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      } finally {
        await other.close();
      }
    });
});

describe('the two stores', () => {
  it('have the same tables and columns (PostgreSQL names the rowid SQLite has implicitly)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
    try {
      const sqlite = await SQLITE.fresh(dir);
      const pg = await POSTGRES.fresh(dir);
      for (const location of [sqlite, pg]) await (await openHistoryStore(location, dir)).close();
      const sqliteTables = await SQLITE.tables(sqlite);
      const { findings, ...pgTables } = await POSTGRES.tables(pg);
      expect({ ...pgTables, findings: findings!.filter((column) => column !== 'rowid') }).toEqual(sqliteTables);
      expect(findings![0]).toBe('rowid');
      expect(sqliteTables['runs']).toEqual(['id', 'started_at', 'finished_at', 'incomplete']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a SQLite history of schema version 1', () => {
  it('migrates: its findings read without the new fields and with no policy checks, new shards keep them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
    try {
      const file = path.join(dir, 'v1.db');
      const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => { exec(sql: string): void; prepare(sql: string): { run(...args: unknown[]): unknown }; close(): void } };
      const old = new Database(file);
      old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      old.exec(migrationSql(0, 'sqlite'));
      old.prepare("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000Z')").run();
      old.prepare("INSERT INTO runs VALUES ('old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 0)").run();
      old.prepare("INSERT INTO targets (id, run_id, command, scope, targets, scan_root, started_at, finished_at, tool_version, incomplete, unread_files, unscoped_errors) VALUES (1, 'old', 'scan', 'scan /r: .', '[\".\"]', '/r', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '0.1.0', 0, '[]', 0)").run();
      old.prepare("INSERT INTO findings (target_id, fingerprint, state, policy_id, severity, provider, frameworks, entity_kind, entity_id, address, message) VALUES (1, 'f1', 'open', 'route-requires-auth', 'high', 'aws', '{}', 'route', 'e', 'a', 'm')").run();
      old.close();
      const store = await openHistoryStore(file, dir);
      try {
        const infra = path.join(dir, 'infra');
        cpSync(insecure, infra, { recursive: true });
        await store.record(historyShardOf(await scan({ cwd: infra, paths: ['.'] }), { command: 'scan', runId: 'new' }));
        const runs = await store.runs();
        expect(runs.map((run) => run.id)).toEqual(['old', 'new']);
        expect(runs[0]!.shards[0]!.findings).toEqual([{ fingerprint: 'f1', state: 'open', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', frameworks: {}, entityKind: 'route', entityId: 'e', address: 'a', message: 'm' }]);
        expect(runs[0]!.shards[0]!.policies).toBeUndefined();
        expect(runs[1]!.shards[0]!.policies!.map((policy) => policy.policyId)).toContain('route-requires-auth');
        expect(runs[1]!.shards[0]!.findings.some((item) => item.gatewayId === 'aws_api_gateway_rest_api.orders')).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the SQLite history file', () => {
  it('refuses a file that is not a history database, and a directory that does not exist, with what to do', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
    try {
      const notDb = path.join(dir, 'notes.txt');
      writeFileSync(notDb, 'not a database, just notes\n'.repeat(100));
      await expect(openHistoryStore(notDb, dir)).rejects.toThrow(/cannot open the history database .*notes\.txt: file is not a database/);
      await expect(openHistoryStore('missing-dir/history.db', dir)).rejects.toThrow(/cannot open the history database missing-dir\/history\.db/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the PostgreSQL history server', () => {
  /** A new database owned by `owner`, and its URL as `user` (with `password` when given). */
  async function database(owner: string, user = owner, password?: string): Promise<{ name: string; url: string }> {
    const name = `history_${++databases}`;
    await server().createDatabase(name);
    await server().query('postgres', `ALTER DATABASE ${name} OWNER TO ${owner}`);
    const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
    return { name, url: `postgresql://${credentials}@127.0.0.1:${server().port}/${name}` };
  }

  it('takes the password from PGPASSWORD, and never shows a password in a message', async () => {
    const { url, name } = await database(PASSWORD_ROLE);
    const wrong = `postgres://${PASSWORD_ROLE}:${encodeURIComponent('Wrong-Secret-41')}@127.0.0.1:${server().port}/${name}`;
    const refused = await openHistoryStore(wrong, tmpdir()).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(refused).toBe(
      `cannot connect to the PostgreSQL history postgres://${PASSWORD_ROLE}:***@127.0.0.1:${server().port}/${name}: password authentication failed for user "${PASSWORD_ROLE}"; check the user, and give its password in PGPASSWORD or ~/.pgpass rather than in the URL`,
    );
    const noPassword = await openHistoryStore(url, tmpdir()).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(noPassword).toMatch(/^cannot connect to the PostgreSQL history postgresql:\/\/gatewarden_pw@127\.0\.0\.1:\d+\/history_\d+: .*; the server asks for a password: set PGPASSWORD or put it in ~\/\.pgpass$/);
    const saved = process.env['PGPASSWORD'];
    process.env['PGPASSWORD'] = PASSWORD;
    try {
      const store = await openHistoryStore(url, tmpdir());
      await store.record(shard('n1', 'scan /repo: .', at(1), [finding('a')]));
      expect((await store.runs()).map((run) => run.id)).toEqual(['n1']);
      await store.close();
    } finally {
      if (saved === undefined) delete process.env['PGPASSWORD'];
      else process.env['PGPASSWORD'] = saved;
    }
  });

  it('connects again when the server dropped the connection during a long audit, and records the shard once', async () => {
    const { name, url } = await database('postgres');
    const store = await openHistoryStore(url, tmpdir());
    try {
      await store.record(shard('n1', 'scan /a: .', at(1), [finding('a')]));
      // What a failover, a restart or an idle-connection reaper does to the connection opened before the run.
      const terminated = await server().query('postgres', "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gatewarden'", [name]);
      expect(terminated).toEqual([{ done: true }]);
      await store.record(shard('n1', 'scan /b: .', at(1, 5), [finding('b')]));
      // During the transaction: another session holds the run's row, the store's upsert waits for it, and its session is ended.
      const { default: pg } = await import('pg');
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query("SELECT id FROM runs WHERE id = 'n1' FOR UPDATE");
        const recording = store.record(shard('n1', 'scan /b: .', at(1, 5), [finding('b'), finding('c')]));
        await expect.poll(async () => (await server().query('postgres', "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gatewarden' AND wait_event_type = 'Lock'", [name]))[0]).toEqual({ waiting: 1 });
        await server().query('postgres', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gatewarden'", [name]);
        await holder.query('COMMIT');
        await recording;
      } finally {
        await holder.end();
      }
      expect((await store.runs()).map((run) => run.shards.map((entry) => [entry.scope, entry.findings.map((item) => item.fingerprint)]))).toEqual([
        [
          ['scan /a: .', ['a']],
          ['scan /b: .', ['b', 'c']],
        ],
      ]);
    } finally {
      await store.close();
    }
  });

  it('gives up on a server that does not answer after PGCONNECT_TIMEOUT seconds, and says what to check', async () => {
    const { createServer } = await import('node:net');
    const sockets: Array<import('node:net').Socket> = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const saved = process.env['PGCONNECT_TIMEOUT'];
    process.env['PGCONNECT_TIMEOUT'] = '1';
    const started = Date.now();
    try {
      await expect(openHistoryStore(`postgres://gatewarden:hunter2@127.0.0.1:${port}/history`, tmpdir())).rejects.toThrow(
        `cannot connect to the PostgreSQL history postgres://gatewarden:***@127.0.0.1:${port}/history: timeout expired; the server did not answer: check the host and port, and that a firewall lets the connection through (PGCONNECT_TIMEOUT sets the wait, 10 s by default)`,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      if (saved === undefined) delete process.env['PGCONNECT_TIMEOUT'];
      else process.env['PGCONNECT_TIMEOUT'] = saved;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('takes what the URL leaves out from PGHOST, PGPORT, PGUSER and the password from a password file', async () => {
    const { name } = await database(PASSWORD_ROLE);
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-pgpass-'));
    const passfile = path.join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:${server().port}:${name}:${PASSWORD_ROLE}:${PASSWORD.replaceAll('\\', '\\\\').replaceAll(':', '\\:')}\n`, { mode: 0o600 });
    const names = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSFILE', 'PGPASSWORD'] as const;
    const saved = names.map((variable) => process.env[variable]);
    Object.assign(process.env, { PGHOST: '127.0.0.1', PGPORT: String(server().port), PGUSER: PASSWORD_ROLE, PGPASSFILE: passfile });
    delete process.env['PGPASSWORD'];
    try {
      const store = await openHistoryStore(`postgres:///${name}`, dir);
      await store.record(shard('n1', 'scan /repo: .', at(1), [finding('a')]));
      await store.close();
      expect(await server().query(name, 'SELECT id FROM runs')).toEqual([{ id: 'n1' }]);
      // The built CLI, as a user runs it: the file is read by gatewarden, not by pg, whose own
      // reading prints a deprecation warning on every run.
      const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(repo, 'bin/gatewarden.js'), 'report', '--history', `postgres:///${name}`, '--format', 'json'], { cwd: dir, env: { ...process.env } });
      expect(JSON.parse(stdout)).toMatchObject({ runs: 1 });
      expect(stderr).toBe('');
      // Others may read it: ignored, as libpq does, and the failed login says so.
      chmodSync(passfile, 0o644);
      await expect(openHistoryStore(`postgres:///${name}`, dir)).rejects.toThrow(
        `cannot connect to the PostgreSQL history postgres:///${name}: SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string; the server asks for a password: set PGPASSWORD or put it in ~/.pgpass; the password file ${passfile} was ignored because others may read it (chmod 600 ${passfile})`,
      );
    } finally {
      names.forEach((variable, index) => {
        if (saved[index] === undefined) delete process.env[variable];
        else process.env[variable] = saved[index];
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records and reports through the CLI with the password in the URL, prints it nowhere, and never takes a server from the config file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
    try {
      cpSync(insecure, path.join(dir, 'infra'), { recursive: true });
      const { url } = await database(PASSWORD_ROLE, PASSWORD_ROLE, PASSWORD);
      const shown = url.replace(`:${encodeURIComponent(PASSWORD)}@`, ':***@');
      const scanned = await runCli(['scan', 'infra', '--history', url, '--run-id', 'n1', '--format', 'json:report.json'], dir);
      expect(scanned.code, scanned.stderr).toBe(1);
      expect(scanned.stderr).toContain(`gatewarden: recorded run n1 in ${shown} (`);
      writeFileSync(path.join(dir, '.gatewarden.yaml'), `history: "${url}"\n`);
      // A URL in the repository's own config is refused before anything connects to it.
      const fromConfig = await runCli(['scan', 'infra', '--run-id', 'n2', '--format', 'json:report.json'], dir);
      expect(fromConfig.code).toBe(2);
      expect(fromConfig.stderr).toContain('"history" names a PostgreSQL server: give it on the command line');
      rmSync(path.join(dir, '.gatewarden.yaml'));
      const second = await runCli(['scan', 'infra', '--history', url, '--run-id', 'n2', '--format', 'json:report.json'], dir);
      expect(second.code, second.stderr).toBe(1);
      const report = await runCli(['report', '--history', url, '--format', 'json'], dir);
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout)).toMatchObject({ runs: 2 });
      const wrong = await runCli(['report', '--history', url.replace(encodeURIComponent(PASSWORD), 'Wrong-Secret-41'), '--format', 'json'], dir);
      expect(wrong).toMatchObject({ code: 2, stdout: '' });
      expect(wrong.stderr).toContain(`gatewarden: cannot connect to the PostgreSQL history ${shown}: password authentication failed`);
      for (const output of [scanned.stderr, fromConfig.stderr, second.stderr, report.stdout, report.stderr, wrong.stderr, readFileSync(path.join(dir, 'report.json'), 'utf8')]) {
        for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'Wrong-Secret-41']) expect(output).not.toContain(secret);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what to do when the server is not there, the database does not exist, or the user may not create the tables', async () => {
    const reason = (url: string): Promise<string> =>
      openHistoryStore(url, tmpdir()).then(
        async (store) => {
          await store.close();
          return 'opened';
        },
        (error: Error) => error.message,
      );
    expect(await reason('postgres://postgres@127.0.0.1:1/history')).toBe(
      'cannot connect to the PostgreSQL history postgres://postgres@127.0.0.1:1/history: connect ECONNREFUSED 127.0.0.1:1; check that the server is running and that the URL (or PGHOST and PGPORT) names its host and port',
    );
    expect(await reason(`postgres://postgres:hunter2@127.0.0.1:${server().port}/no_such_db`)).toBe(
      `cannot connect to the PostgreSQL history postgres://postgres:***@127.0.0.1:${server().port}/no_such_db: database "no_such_db" does not exist; create the database first (createdb NAME) or name an existing one in the URL`,
    );
    // A user that may read but not create: refused on a new database, fine once the owner created the tables.
    await server().query('postgres', 'CREATE ROLE gatewarden_reader LOGIN');
    const { url: ownerUrl, name } = await database('postgres');
    const readerUrl = ownerUrl.replace('postgres@', 'gatewarden_reader@');
    expect(await reason(readerUrl)).toBe(
      `cannot create the history tables in ${readerUrl}: permission denied for schema public; the first run creates gatewarden's tables (and a newer gatewarden upgrades them): grant the user CREATE on the database's schema (GRANT CREATE ON SCHEMA public TO USER), or run that once as the schema's owner; recording needs SELECT, INSERT, UPDATE and DELETE on the tables, a report SELECT`,
    );
    const owner = await openHistoryStore(ownerUrl, tmpdir());
    await owner.record(shard('n1', 'scan /repo: .', at(1), [finding('a')]));
    await owner.close();
    await server().query(name, 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO gatewarden_reader');
    const reader = await openHistoryStore(readerUrl, tmpdir());
    try {
      expect((await reader.runs()).map((run) => [run.id, run.shards[0]!.findings.map((item) => item.fingerprint)])).toEqual([['n1', ['a']]]);
      await expect(reader.record(shard('n2', 'scan /repo: .', at(2), []))).rejects.toThrow('permission denied for table runs; the first run creates');
    } finally {
      await reader.close();
    }
  });
});

describe('the PostgreSQL password file', () => {
  it('gives the first matching line, as libpq reads it: wildcards, escapes, comments, a socket host as localhost', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-pgpass-'));
    try {
      const file = path.join(dir, 'pgpass');
      writeFileSync(
        file,
        [
          '# host:port:database:user:password',
          'db.internal:5432:history:reader:reader-pw',
          'db.internal:*:history:gw:first\\:with\\\\colon:and:more',
          'db.internal:5432:*:gw:second',
          'localhost:5432:history:gw:on-socket',
          'short:line',
          '*:*:*:*:anything',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      const lookup = (host: string, port: number, database: string, user: string): Promise<string | undefined> => passwordFromFile({ host, port, database, user }, file).then((answer) => answer.password);
      expect(await lookup('db.internal', 6432, 'history', 'gw')).toBe('first:with\\colon:and:more');
      expect(await lookup('db.internal', 5432, 'other', 'gw')).toBe('second');
      expect(await lookup('db.internal', 5432, 'history', 'reader')).toBe('reader-pw');
      expect(await lookup('/var/run/postgresql', 5432, 'history', 'gw')).toBe('on-socket');
      expect(await lookup('db.example', 5432, 'history', 'gw')).toBe('anything');
      expect(await passwordFromFile({ host: 'db.internal', port: 5432, database: 'history', user: 'gw' }, path.join(dir, 'missing'))).toEqual({});
      chmodSync(file, 0o640);
      expect(await passwordFromFile({ host: 'db.internal', port: 5432, database: 'history', user: 'gw' }, file)).toEqual({ ignored: `the password file ${file} was ignored because others may read it (chmod 600 ${file})` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a PostgreSQL URL in messages', () => {
  it('shows no password, in the user part or as a parameter, encoded or not', () => {
    expect(shownHistoryLocation('postgres://gw:s3cr%40t@db.internal:5432/history?sslmode=require')).toBe('postgres://gw:***@db.internal:5432/history?sslmode=require');
    expect(shownHistoryLocation('postgresql://gw@db/history?password=s3cret&sslmode=require')).toBe('postgresql://gw@db/history?password=***&sslmode=require');
    expect(shownHistoryLocation('POSTGRES://:only-password@db/history')).toBe('POSTGRES://:***@db/history');
    expect(shownHistoryLocation('history/gw:s3cret@x.db')).toBe('history/gw:s3cret@x.db');
    const url = 'postgres://gw:s3cr%40t@db/history';
    expect(withoutPassword(`failed for ${url}: s3cr@t and s3cr%40t`, url)).toBe('failed for postgres://gw:***@db/history: *** and ***');
  });
});
