import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { createBaseline, renderBaseline } from '../../src/report/baseline.js';
import { analyseHistory, type ReportedFinding } from '../../src/history/analyse.js';
import { historyShardOf } from '../../src/history/record.js';
import { MIGRATIONS, openSqliteHistory } from '../../src/history/sqlite.js';
import { openHistoryStore } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/model.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const insecure = path.join(repo, 'samples/aws-terraform/insecure');

/** `policy entity` of each finding: what the assertions compare (never counts alone). */
function ids(findings: readonly ReportedFinding[]): string[] {
  return findings.map((finding) => `${finding.policyId} ${finding.address}`).sort();
}

let dir: string;
let infra: string;
let store: HistoryStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-'));
  infra = path.join(dir, 'infra');
  cpSync(insecure, infra, { recursive: true });
  store = await openSqliteHistory(path.join(dir, 'history.db'));
});

afterEach(async () => {
  await store.close();
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

describe('the SQLite history', () => {
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

  it('runs each migration once and opens an existing file again cleanly', async () => {
    await recordScan('night-1');
    await store.close();
    store = await openSqliteHistory(path.join(dir, 'history.db'));
    const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => { prepare(sql: string): { all(): unknown[] }; close(): void } };
    const db = new Database(path.join(dir, 'history.db'));
    try {
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').all()).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual([{ name: 'findings' }, { name: 'policy_checks' }, { name: 'runs' }, { name: 'schema_version' }, { name: 'targets' }]);
    } finally {
      db.close();
    }
    expect((await store.runs()).map((run) => run.id)).toEqual(['night-1']);
  });

  it('keeps the gateway, owner and policy checks of a real scan, and reads them back', async () => {
    writeFileSync(path.join(infra, '.gatewarden.yaml'), 'owners:\n  paths:\n    "rest-api.tf": team-orders\n');
    const { loadConfig } = await import('../../src/config/load.js');
    const config = loadConfig(path.join(infra, '.gatewarden.yaml'), (file) => path.relative(infra, file));
    const report = await scan({ cwd: infra, paths: ['.'], config });
    await store.record(historyShardOf(report, { command: 'scan', runId: 'night-1' }));
    const [recorded] = await store.runs();
    const shard = recorded!.shards[0]!;
    const listOrders = shard.findings.find((finding) => finding.address === 'aws_api_gateway_method.list_orders' && finding.policyId === 'route-requires-auth');
    expect(listOrders).toMatchObject({ gatewayId: 'aws_api_gateway_rest_api.orders', gatewayName: 'shop-prod-orders', owner: 'team-orders', state: 'open' });
    expect(listOrders!.account).toBeUndefined();
    const auth = shard.policies!.find((policy) => policy.policyId === 'route-requires-auth')!;
    const expected = report.policies.find((policy) => policy.id === 'route-requires-auth')!.checks!;
    expect(auth).toEqual({ policyId: 'route-requires-auth', severity: 'high', frameworks: { 'owasp-api-2023': ['API2'], 'aws-foundational-security-best-practices': ['APIGateway.8'] }, ...expected });
    expect(expected.failed).toBe(report.findings.filter((finding) => finding.policyId === 'route-requires-auth').length);
  });

  it('migrates a history of schema version 1: its findings read without the new fields, new shards keep them', async () => {
    await store.close();
    const file = path.join(dir, 'v1.db');
    const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => { exec(sql: string): void; prepare(sql: string): { run(...args: unknown[]): unknown; all(): unknown[] }; close(): void } };
    const old = new Database(file);
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    old.exec(MIGRATIONS[0]!);
    old.prepare("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO runs VALUES ('old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 0)").run();
    old.prepare("INSERT INTO targets (id, run_id, command, scope, targets, scan_root, started_at, finished_at, tool_version, incomplete, unread_files, unscoped_errors) VALUES (1, 'old', 'scan', 'scan /r: .', '[\".\"]', '/r', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '0.1.0', 0, '[]', 0)").run();
    old.prepare("INSERT INTO findings (target_id, fingerprint, state, policy_id, severity, provider, frameworks, entity_kind, entity_id, address, message) VALUES (1, 'f1', 'open', 'route-requires-auth', 'high', 'aws', '{}', 'route', 'e', 'a', 'm')").run();
    old.close();
    store = await openSqliteHistory(file);
    await recordScan('new');
    const runs = await store.runs();
    expect(runs.map((run) => run.id)).toEqual(['old', 'new']);
    expect(runs[0]!.shards[0]!.findings).toEqual([{ fingerprint: 'f1', state: 'open', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', frameworks: {}, entityKind: 'route', entityId: 'e', address: 'a', message: 'm' }]);
    expect(runs[0]!.shards[0]!.policies).toEqual([]);
    expect(runs[1]!.shards[0]!.policies!.map((policy) => policy.policyId)).toContain('route-requires-auth');
    expect(runs[1]!.shards[0]!.findings.some((finding) => finding.gatewayId === 'aws_api_gateway_rest_api.orders')).toBe(true);
  });

  it('refuses a file that is not a history database, and a PostgreSQL URL for now, with what to do', async () => {
    const notDb = path.join(dir, 'notes.txt');
    writeFileSync(notDb, 'not a database, just notes\n'.repeat(100));
    await expect(openHistoryStore(notDb, dir)).rejects.toThrow(/cannot open the history database .*notes\.txt: file is not a database/);
    await expect(openHistoryStore('missing-dir/history.db', dir)).rejects.toThrow(/cannot open the history database missing-dir\/history\.db/);
    await expect(openHistoryStore('postgres://db/gatewarden', dir)).rejects.toThrow(/PostgreSQL is not supported yet/);
  });
});
