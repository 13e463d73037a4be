import { describe, expect, it } from 'vitest';
import { analyseHistory } from '../../src/history/analyse.js';
import type { HistoryFinding, HistoryRun, HistoryShard } from '../../src/history/model.js';

// Runs written by hand, to pin ages, SLAs and times to fix to the day (the store tests use real scans).

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T02:00:00.000Z');
const at = (day: number): string => new Date(start + day * DAY).toISOString();

function finding(fingerprint: string, severity: HistoryFinding['severity'], state: HistoryFinding['state'] = 'open'): HistoryFinding {
  return { fingerprint, state, policyId: `policy-${fingerprint}`, severity, provider: 'aws', frameworks: {}, entityKind: 'route', entityId: `entity-${fingerprint}`, address: `aws_api_gateway_method.${fingerprint}`, location: `main.tf:${fingerprint.length}`, file: 'main.tf', message: 'm' };
}

function run(day: number, findings: HistoryFinding[], shard: Partial<HistoryShard> = {}): HistoryRun {
  const entry: HistoryShard = { runId: `day-${day}`, command: 'scan', startedAt: at(day), finishedAt: at(day), toolVersion: '0.1.0', scope: 'scan /repo: .', targets: ['.'], incomplete: false, unreadFiles: [], unscopedErrors: 0, findings, ...shard };
  return { id: entry.runId, startedAt: entry.startedAt, finishedAt: entry.finishedAt, commands: ['scan'], incomplete: entry.incomplete, shards: [entry] };
}

describe('the nightly report over recorded runs', () => {
  const runs = [
    run(0, [finding('a', 'critical'), finding('b', 'high'), finding('c', 'high')]),
    run(4, [finding('a', 'critical'), finding('c', 'high')]),
    // A policy failed to load on day 10: nothing missing that night is fixed.
    run(10, [finding('a', 'critical')], { incomplete: true, unscopedErrors: 1 }),
    run(12, [finding('a', 'critical'), finding('d', 'medium'), finding('e', 'low', 'unknown')], { incomplete: true }),
  ];

  it('measures ages from the first sighting and lists findings past their SLA', () => {
    const report = analyseHistory(runs, { now: new Date(start + 12 * DAY), sla: { critical: 7 * DAY, medium: 30 * DAY } });
    expect(report.open.map((f) => [f.fingerprint, f.firstSeen, f.ageDays, f.slaDays, f.pastSla])).toEqual([
      ['a', at(0), 12, 7, true],
      ['d', at(12), 0, 30, false],
    ]);
    expect(report.pastSla.map((f) => f.fingerprint)).toEqual(['a']);
  });

  it('computes the mean time to fix per severity, waiting out a night that could not decide', () => {
    const report = analyseHistory(runs, { now: new Date(start + 12 * DAY) });
    // b fixed on day 4 (4 days); c missing on day 10 (not checked: a policy error), fixed on day 12 (12 days).
    expect(report.meanTimeToFix.high).toEqual({ fixed: 2, meanDays: 8 });
    expect(report.meanTimeToFix.critical).toEqual({ fixed: 0 });
    expect(report.sincePrevious!.new.map((f) => f.fingerprint)).toEqual(['d']);
    expect(report.posture).toMatchObject({ open: 2, unknown: 1, bySeverity: { critical: 1, medium: 1 } });
    expect(report.unknown.map((f) => f.fingerprint)).toEqual(['e']);
  });

  it('compares with the last run before the window, and counts only the fixes in it', () => {
    const report = analyseHistory(runs, { now: new Date(start + 12 * DAY), since: new Date(start + 5 * DAY) });
    expect(report.runs).toBe(2);
    expect(report.sinceWindow!.from.id).toBe('day-4');
    expect(report.sinceWindow!.fixed.map((f) => f.fingerprint)).toEqual(['c']);
    expect(report.meanTimeToFix.high).toEqual({ fixed: 1, meanDays: 12 });
    expect(report.incompleteRuns.map((r) => [r.id, r.targets[0]!.unscopedErrors, r.targets[0]!.unknown])).toEqual([['day-10', 1, 0], ['day-12', 0, 1]]);
    expect(report.trend.map((point) => [point.runId, point.open.critical, point.open.medium, point.unknown])).toEqual([['day-10', 1, 0, 0], ['day-12', 1, 1, 1]]);
  });

  it('says nothing of changes with one run, and has no latest run with none', () => {
    expect(analyseHistory(runs.slice(0, 1), { now: new Date(start) }).sincePrevious).toBeUndefined();
    expect(analyseHistory([], { now: new Date(start) })).toMatchObject({ runs: 0, open: [], posture: { open: 0 } });
  });
});
