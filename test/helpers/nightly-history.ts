import { analyseHistory, type HistoryReport } from '../../src/history/analyse.js';
import type { HistoryCommand, HistoryFinding, HistoryRun, HistoryShard } from '../../src/history/model.js';

// A week of nightly runs written by hand, as a team's history would hold them: a Terraform scan of one
// repository and a live GCP audit every night, findings that appear, get fixed and stay open past their
// SLA, a night whose scan could not read a file, and a check that could not be decided. Fixed dates, so
// that nothing depends on the day the tests run.

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T02:00:00.000Z');

/** The start of night `day` (2026-11-01 is night 0). */
export function night(day: number): string {
  return new Date(START + day * DAY).toISOString();
}

/** When the report over {@link nightlyRuns} is made: night 14. */
export const REPORT_NOW = new Date(START + 14 * DAY);

type FindingSpec = Omit<HistoryFinding, 'state' | 'frameworks' | 'entityKind' | 'entityId' | 'message'> & Partial<Pick<HistoryFinding, 'state' | 'message' | 'entityKind'>>;

function finding(spec: FindingSpec): HistoryFinding {
  return { state: 'open', frameworks: { 'owasp-api-2023': ['API2'] }, entityKind: 'route', entityId: spec.address, message: `${spec.policyId} failed`, ...spec };
}

/** The IaC findings, by fingerprint, with the nights they are open in. */
const IAC: ReadonlyArray<{ readonly finding: HistoryFinding; readonly nights: readonly number[] }> = [
  { finding: finding({ fingerprint: 'fp-orders-auth', policyId: 'route-requires-auth', severity: 'critical', provider: 'aws', address: 'aws_api_gateway_method.orders_post', routeKey: 'POST /orders', location: 'infra/orders/main.tf:42', file: 'infra/orders/main.tf' }), nights: [0, 1, 2, 3, 4, 5, 6] },
  { finding: finding({ fingerprint: 'fp-prod-throttling', policyId: 'throttling-configured', severity: 'high', provider: 'aws', address: 'aws_api_gateway_stage.prod', entityKind: 'stage', location: 'infra/orders/stage.tf:7', file: 'infra/orders/stage.tf' }), nights: [0, 1, 2] },
  { finding: finding({ fingerprint: 'fp-payments-cors', policyId: 'cors-not-open', severity: 'medium', provider: 'azure', address: 'azurerm_api_management_api.payments', entityKind: 'api', location: 'infra/payments/apim.tf:18', file: 'infra/payments/apim.tf' }), nights: [1, 2, 3, 4, 5, 6] },
  { finding: finding({ fingerprint: 'fp-prod-logging', policyId: 'stage-access-logging', severity: 'low', provider: 'aws', address: 'aws_api_gateway_stage.prod', entityKind: 'stage', location: 'infra/orders/stage.tf:3', file: 'infra/orders/stage.tf' }), nights: [3, 4, 5, 6] },
  { finding: finding({ fingerprint: 'fp-prod-trace', policyId: 'stage-data-trace', severity: 'info', provider: 'aws', address: 'aws_api_gateway_method_settings.prod', entityKind: 'stage', location: 'infra/orders/stage.tf:21', file: 'infra/orders/stage.tf' }), nights: [0, 1, 2, 3, 4] },
  // In the file night 4 could not read: not checked that night, fixed on night 5.
  { finding: finding({ fingerprint: 'fp-edge-auth', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', address: 'aws_apigatewayv2_route.edge_admin', routeKey: 'ANY /admin/{proxy+}', location: 'infra/edge/main.tf:12', file: 'infra/edge/main.tf' }), nights: [0, 1, 2, 3] },
];

/** The live GCP findings, with the nights they are open in. */
const LIVE: ReadonlyArray<{ readonly finding: HistoryFinding; readonly nights: readonly number[] }> = [
  { finding: finding({ fingerprint: 'fp-catalog-key', policyId: 'no-static-api-keys', severity: 'high', provider: 'gcp', address: 'catalog-api', entityKind: 'api', resourceId: 'projects/acme-prod/locations/global/apis/catalog', target: 'gcp:acme-prod' }), nights: [2, 3, 4, 5, 6] },
  { finding: finding({ fingerprint: 'fp-catalog-key-restrictions', policyId: 'api-keys-restricted', severity: 'medium', provider: 'gcp', address: 'catalog-browser-key', entityKind: 'api-key', resourceId: 'projects/acme-prod/locations/global/keys/catalog-browser', target: 'gcp:acme-prod' }), nights: [6] },
];

/** A check of the last night that read a value nobody set: undecided, never a pass. */
const UNDECIDED = finding({ fingerprint: 'unknown:route-requires-auth|aws_api_gateway_method.catalog_get|GET /catalog', state: 'unknown', policyId: 'route-requires-auth', severity: 'critical', provider: 'aws', address: 'aws_api_gateway_method.catalog_get', routeKey: 'GET /catalog', location: 'infra/catalog/main.tf:9', file: 'infra/catalog/main.tf', message: 'authorization is var.catalog_auth, which has no value here' });

function shard(day: number, command: HistoryCommand, scope: string, findings: readonly HistoryFinding[], extra: Partial<HistoryShard> = {}): HistoryShard {
  const startedAt = night(day);
  return { runId: `nightly-2026-11-${String(day + 1).padStart(2, '0')}`, command, startedAt, finishedAt: new Date(Date.parse(startedAt) + 5 * 60_000).toISOString(), toolVersion: '0.1.0', scope, targets: command === 'scan' ? ['.'] : ['gcp:acme-prod'], incomplete: false, unreadFiles: [], unscopedErrors: 0, findings, ...extra };
}

/**
 * Seven nights (2026-11-01 to 11-07) of a scan shard and a GCP audit shard each. `extra` adds
 * findings to the last night's scan (the hostile-input test's).
 */
export function nightlyRuns(extra: readonly HistoryFinding[] = []): HistoryRun[] {
  return [0, 1, 2, 3, 4, 5, 6].map((day) => {
    const unread = day === 4 ? ['infra/edge/main.tf'] : [];
    const scanFindings = [...IAC.filter((entry) => entry.nights.includes(day)).map((entry) => entry.finding), ...(day === 6 ? [UNDECIDED, ...extra] : [])];
    const shards = [
      shard(day, 'scan', 'scan /repo: .', scanFindings, { scanRoot: '/repo', incomplete: unread.length > 0 || day === 6, unreadFiles: unread }),
      shard(day, 'audit gcp', 'gcp:acme-prod', LIVE.filter((entry) => entry.nights.includes(day)).map((entry) => entry.finding)),
    ];
    const first = shards[0]!;
    return { id: first.runId, startedAt: first.startedAt, finishedAt: shards[1]!.finishedAt, commands: ['scan', 'audit gcp'], incomplete: shards.some((entry) => entry.incomplete), shards };
  });
}

/** The report `gatewarden report --since` night 1 would make on night 14, with SLAs of 7 days (critical) and 30 (high). */
export function nightlyReport(extra: readonly HistoryFinding[] = []): HistoryReport {
  return analyseHistory(nightlyRuns(extra), { now: REPORT_NOW, since: new Date(night(1)), sla: { critical: 7 * DAY, high: 30 * DAY } });
}
