import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-record-'));
  mkdirSync(path.join(dir, '.git'));
  cpSync(path.join(repo, 'samples/aws-terraform/insecure'), path.join(dir, 'repos/payments'), { recursive: true });
  cpSync(path.join(repo, 'samples/gcp-terraform/insecure'), path.join(dir, 'repos/delivery'), { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The history report as JSON, without the time it was made. */
async function historyReport(db: string): Promise<Record<string, unknown>> {
  const result = await runCli(['report', '--history', db, '--format', 'json'], dir);
  expect(result.code).toBe(0);
  const { generatedAt: _generatedAt, ...rest } = JSON.parse(result.stdout) as Record<string, unknown>;
  return rest;
}

describe('gatewarden report record', () => {
  it('records JSON reports as the shards of one run, as scan --history --run-id records them', async () => {
    for (const name of ['payments', 'delivery']) {
      const result = await runCli(['scan', `repos/${name}`, '--fail-on', 'never', '--format', `json:${name}.json`, '--history', 'direct.db', '--run-id', 'night-1'], dir);
      expect(result.code).toBe(0);
    }
    const recorded = await runCli(['report', 'record', '--history', 'recorded.db', '--run-id', 'night-1', 'payments.json', 'delivery.json'], dir);
    expect(recorded).toMatchObject({ code: 0, stdout: '' });
    expect(recorded.stderr).toMatch(
      /^gatewarden: recorded payments\.json \(scan, \d+ results\) as a shard of run night-1 in recorded\.db\ngatewarden: recorded delivery\.json \(scan, \d+ results\) as a shard of run night-1 in recorded\.db\n$/,
    );
    const direct = await historyReport('direct.db');
    expect(direct).toMatchObject({ runs: 1, latest: { id: 'night-1', scopes: [`scan ${dir}: repos/delivery`, `scan ${dir}: repos/payments`] } });
    expect(await historyReport('recorded.db')).toEqual(direct);
  });

  it('records a merged report as one shard holding every target', async () => {
    for (const name of ['payments', 'delivery']) await runCli(['scan', `repos/${name}`, '--fail-on', 'never', '--format', `json:${name}.json`], dir);
    expect((await runCli(['report', 'merge', 'payments.json', 'delivery.json', '-o', 'merged.json'], dir)).code).toBe(0);
    expect((await runCli(['report', 'record', '--history', 'h.db', 'merged.json'], dir)).code).toBe(0);
    const report = await historyReport('h.db');
    expect(report).toMatchObject({ runs: 1, latest: { scopes: [`scan ${dir}: repos/delivery repos/payments`] } });
    const merged = JSON.parse(readFileSync(path.join(dir, 'merged.json'), 'utf8')) as { summary: { findings: { total: number } } };
    expect((report.posture as { open: number }).open).toBe(merged.summary.findings.total);
  });

  it('records the report of an audit as an audit of its provider, judged by its accounts and regions', async () => {
    await runCli(['scan', 'repos/payments', '--fail-on', 'never', '--format', 'json:payments.json'], dir);
    const scanned = JSON.parse(readFileSync(path.join(dir, 'payments.json'), 'utf8')) as Record<string, unknown>;
    // An audit that read two regions of one account and found nothing: no files, targets are accounts.
    writeFileSync(path.join(dir, 'aws.json'), JSON.stringify({ ...scanned, files: [], targets: ['aws:111111111111/us-east-1', 'aws:111111111111/eu-west-1'], findings: [], unevaluated: [], diagnostics: [] }));
    const result = await runCli(['report', 'record', '--history', 'h.db', '--run-id', 'n1', 'aws.json', 'payments.json'], dir);
    expect(result.stderr).toContain('gatewarden: recorded aws.json (audit aws, 0 results) as a shard of run n1 in h.db\n');
    expect(result.stderr).toContain('gatewarden: recorded payments.json (scan, ');
    expect(await historyReport('h.db')).toMatchObject({ latest: { commands: ['audit aws', 'scan'], scopes: ['audit aws: aws:111111111111/eu-west-1 aws:111111111111/us-east-1', `scan ${dir}: repos/payments`] } });
  });

  it('records nothing when one file is not a report, and needs a history', async () => {
    await runCli(['scan', 'repos/payments', '--fail-on', 'never', '--format', 'json:payments.json'], dir);
    writeFileSync(path.join(dir, 'bad.json'), '[]');
    expect(await runCli(['report', 'record', '--history', 'h.db', 'payments.json', 'bad.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatewarden: bad.json is not a gatewarden JSON report: it is not a JSON object; give the reports written by gatewarden scan or audit with --format json\n',
    });
    expect((await runCli(['report', '--history', 'h.db'], dir)).stderr).toMatch(/^gatewarden: no history at h\.db/);
    expect((await runCli(['report', 'record', 'payments.json'], dir)).stderr).toBe('gatewarden: gatewarden report record needs the history to record into: --history DB, or history: in the config file\n');
  });
});
