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

describe('posture by account, gateway and owner, and compliance by framework', () => {
  const live = (fingerprint: string, extra: Partial<HistoryFinding>): HistoryFinding => ({ ...finding(fingerprint, 'high'), ...extra });
  const checks = (policyId: string, frameworks: Record<string, string[]>, counts: { passed: number; failed: number; unknown?: number; errors?: number }) => ({
    policyId,
    severity: 'high' as const,
    frameworks,
    evaluated: counts.passed + counts.failed + (counts.unknown ?? 0) + (counts.errors ?? 0),
    passed: counts.passed,
    failed: counts.failed,
    unknown: counts.unknown ?? 0,
    errors: counts.errors ?? 0,
  });
  const shardA: Partial<HistoryShard> = {
    scope: 'audit aws: aws:111111111111/eu-west-1',
    policies: [
      checks('route-requires-auth', { 'owasp-api-2023': ['API2'] }, { passed: 3, failed: 1 }),
      checks('throttling-configured', { 'owasp-api-2023': ['API4'] }, { passed: 0, failed: 0, unknown: 2 }),
      checks('cors-not-open', { 'owasp-api-2023': ['API8'], cwe: ['CWE-942'] }, { passed: 2, failed: 0 }),
    ],
  };
  const findings = [
    live('a', { policyId: 'route-requires-auth', address: 'arn:orders/GET', routeKey: 'GET /orders', gatewayId: 'arn:orders', gatewayName: 'orders', account: '111111111111', owner: 'team-payments' }),
    live('b', { policyId: 'stage-access-logging', gatewayId: 'arn:orders', gatewayName: 'orders', account: '111111111111' }),
    live('c', { policyId: 'stage-access-logging', gatewayId: 'arn:users', account: '222222222222', owner: 'team-identity' }),
  ];

  it('counts open findings by provider:account, gateway (name, else id) and owner, with the unowned apart', () => {
    const report = analyseHistory([run(0, findings, shardA)], { now: new Date(start) });
    expect(report.posture.byAccount).toEqual([
      { name: 'aws:111111111111', count: 2 },
      { name: 'aws:222222222222', count: 1 },
    ]);
    expect(report.posture.byGateway).toEqual([
      { id: 'arn:orders', name: 'orders', scope: shardA.scope, count: 2 },
      { id: 'arn:users', name: 'arn:users', scope: shardA.scope, count: 1 },
    ]);
    expect(report.posture.byOwner).toEqual([
      { name: 'team-identity', count: 1 },
      { name: 'team-payments', count: 1 },
    ]);
    expect(report.posture.unowned).toBe(1);
  });

  it('rates each OWASP API 2023 item from the checks of its policies: failing checks listed, unknowns not measured, unmapped items not covered', () => {
    const report = analyseHistory([run(0, findings, shardA)], { now: new Date(start) });
    const owasp = report.compliance.find((framework) => framework.id === 'owasp-api-2023')!;
    expect(owasp.items.map((item) => [item.id, item.status, item.passRate])).toEqual([
      ['API1', 'not-covered', undefined],
      ['API2', 'fail', 0.75],
      ['API3', 'not-covered', undefined],
      ['API4', 'not-measured', undefined],
      ['API5', 'not-covered', undefined],
      ['API6', 'not-covered', undefined],
      ['API7', 'not-covered', undefined],
      ['API8', 'pass', 1],
      ['API9', 'not-covered', undefined],
      ['API10', 'not-covered', undefined],
    ]);
    const api2 = owasp.items[1]!;
    expect(api2.policies.map((policy) => [policy.policyId, policy.failed, policy.failing.map((check) => `${check.address} ${check.routeKey}`)])).toEqual([['route-requires-auth', 1, ['arn:orders/GET GET /orders']]]);
    expect(owasp.items[3]).toMatchObject({ unknown: 2, evaluated: 2, passed: 0, failed: 0 });
    // A framework without a catalogue lists the items its policies map to.
    expect(report.compliance.map((framework) => framework.id)).toEqual(['owasp-api-2023', 'cwe']);
    expect(report.compliance[1]!.items.map((item) => [item.id, item.status])).toEqual([['CWE-942', 'pass']]);
  });

  it('sums a policy over the shards of the run, and claims nothing for runs recorded without checks', () => {
    const second: HistoryShard = {
      runId: 'day-0', command: 'audit aws', startedAt: at(0), finishedAt: at(0), toolVersion: '0.1.0', scope: 'audit aws: aws:222222222222/eu-west-1', targets: [], incomplete: false, unreadFiles: [], unscopedErrors: 0, findings: [],
      policies: [checks('route-requires-auth', { 'owasp-api-2023': ['API2'] }, { passed: 4, failed: 0 })],
    };
    const merged = run(0, findings, shardA);
    const report = analyseHistory([{ ...merged, shards: [...merged.shards, second] }], { now: new Date(start) });
    expect(report.compliance[0]!.items[1]).toMatchObject({ id: 'API2', status: 'fail', passed: 7, failed: 1, passRate: 0.875 });
    expect(analyseHistory([run(0, findings)], { now: new Date(start) }).compliance).toEqual([]);
  });
});
