import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyseDigest, analyseHistory, compareReported, sortReported } from '../../src/history/analyse.js';
import type { HistoryFinding, HistoryShard, HistoryStore } from '../../src/history/model.js';
import { openSqliteHistory } from '../../src/history/sqlite.js';

// The report from the SQLite digest (every run's fingerprints from one index, findings read in full
// only when they go missing) must be the report from every run read whole: the same object, to the
// last field, on runs with the cases the walk decides differently.

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

function shard(day: number, findings: HistoryFinding[], extra: Partial<HistoryShard> = {}): HistoryShard {
  return { runId: `night-${day}`, command: 'scan', startedAt: at(day), finishedAt: at(day), toolVersion: '0.1.0', scope: 'scan /repo: .', targets: ['.'], scanRoot: '/repo', incomplete: false, unreadFiles: [], unscopedErrors: 0, findings, ...extra };
}

function live(id: string, severity: HistoryFinding['severity']): HistoryFinding {
  const { location: _location, file: _file, ...rest } = finding(id, severity);
  return { ...rest, resourceId: `arn:aws:apigateway:eu-west-1::/restapis/${id}`, target: 'aws:123456789012/eu-west-1' };
}

function audit(day: number, findings: HistoryFinding[]): HistoryShard {
  const { scanRoot: _scanRoot, ...rest } = shard(day, findings);
  return { ...rest, command: 'audit aws', scope: 'audit aws: aws:123456789012/eu-west-1', targets: ['aws:123456789012/eu-west-1'] };
}

let dir: string;
let store: HistoryStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-digest-'));
  store = await openSqliteHistory(path.join(dir, 'history.db'));
  const nights: HistoryShard[] = [
    shard(0, [finding('a', 'critical'), finding('b', 'high'), finding('c', 'high', 'open', 'other.tf'), finding('d', 'medium')]),
    audit(0, [live('x', 'high'), live('y', 'low')]),
    // b fixed; c's file not read (not checked); d suppressed (accepted); y gone from the audit (fixed).
    shard(3, [finding('a', 'critical'), finding('d', 'medium', 'suppressed'), finding('e', 'low', 'unknown')], { unreadFiles: ['other.tf'], incomplete: true }),
    audit(3, [live('x', 'high')]),
    // c back (first seen stays day 0); d open again (first seen day 5); a policy error: nothing missing is fixed.
    shard(5, [finding('a', 'critical'), finding('c', 'high', 'open', 'other.tf'), finding('d', 'medium')], { unscopedErrors: 1, incomplete: true }),
    // No audit on day 5: x is not checked. On day 9 both read again: c fixed, x fixed.
    shard(9, [finding('a', 'critical'), finding('d', 'medium'), finding('f', 'info')]),
    audit(9, []),
  ];
  for (const night of nights) await store.record(night);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the report from the SQLite digest', () => {
  it('is the report from every run read whole, with or without a window and SLAs', async () => {
    const runs = await store.runs();
    for (const since of [undefined, new Date(start + 4 * DAY), new Date(start + 100 * DAY)]) {
      const options = { now: new Date(start + 10 * DAY), sla: { critical: 7 * DAY }, ...(since ? { since } : {}) };
      const whole = analyseHistory(runs, options);
      expect(analyseDigest(await store.digest!(), options)).toEqual(whole);
      expect(JSON.stringify(analyseDigest(await store.digest!(), options))).toBe(JSON.stringify(whole));
    }
  });

  it('keeps first sightings across a night that could not decide, and times fixes from them', async () => {
    const report = analyseDigest(await store.digest!(), { now: new Date(start + 10 * DAY) });
    expect(report.open.map((f) => [f.fingerprint, f.firstSeen])).toEqual([
      ['a', at(0)],
      ['d', at(5)],
      ['f', at(9)],
    ]);
    // b on day 3 (3 days), y on day 3 (3 days), c on day 9 (9 days: not checked on day 3, open on day 5), x on day 9 (9 days).
    expect(report.meanTimeToFix.high).toEqual({ fixed: 3, meanDays: 7 });
    expect(report.meanTimeToFix.low).toEqual({ fixed: 1, meanDays: 3 });
    // x was missing from night 5 (no audit), so it is no change since the previous run.
    expect(report.sincePrevious!.fixed.map((f) => f.fingerprint)).toEqual(['c']);
    expect(report.sincePrevious!.new.map((f) => f.fingerprint)).toEqual(['f']);
    expect(report.trend.map((point) => [point.runId, point.open.high, point.unknown, point.incomplete])).toEqual([
      ['night-0', 3, 0, false],
      ['night-3', 1, 1, true],
      ['night-5', 1, 0, true],
      ['night-9', 0, 0, false],
    ]);
  });
});

describe('sortReported', () => {
  it('sorts as compareReported does, texts the collator calls equal included', () => {
    const make = (policyId: string, entityId: string, fingerprint: string): HistoryFinding => ({ ...finding(fingerprint, 'high'), policyId, entityId });
    const list = [make('b', 'Z', '1'), make('a', 'z', '2'), make('a', 'Z', '3'), make('a', '\u00e9', '4'), make('a', 'e\u0301', '5'), make('a', 'e', '6'), make('_x', 'a', '7')];
    expect(sortReported([...list]).map((f) => f.fingerprint)).toEqual([...list].sort(compareReported).map((f) => f.fingerprint));
    expect(sortReported([...list]).map((f) => f.fingerprint)).toEqual(['7', '6', '4', '5', '2', '3', '1']);
  });
});
