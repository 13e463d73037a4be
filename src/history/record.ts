import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ScanReport } from '../report/report.js';
import type { Finding, UnevaluatedCheck } from '../model/findings.js';
import type { HistoryCommand, HistoryFinding, HistoryShard } from './model.js';

/** What a report does not say about itself and its record needs. */
export interface ShardContext {
  readonly command: HistoryCommand;
  /** `--run-id`: the run a shard joins; a new id when absent. */
  readonly runId?: string;
}

/**
 * The record of a finished report: every finding (suppressed and baselined included, marked so) and
 * every undecided check, with what the JSON report says of them and nothing more.
 */
export function historyShardOf(report: ScanReport, context: ShardContext): HistoryShard {
  const policies = new Map(report.policies.map((policy) => [policy.id, policy]));
  const now = new Date().toISOString();
  const isAudit = context.command !== 'scan';
  const unread = new Set<string>();
  let unscopedErrors = 0;
  for (const diagnostic of report.diagnostics) {
    if (diagnostic.severity !== 'error') continue;
    if (diagnostic.location?.file !== undefined && diagnostic.location.file !== '') unread.add(diagnostic.location.file);
    else unscopedErrors++;
  }
  const targets = [...report.targets].sort();
  return {
    runId: context.runId ?? randomUUID(),
    command: context.command,
    startedAt: report.timing?.startedAt ?? now,
    finishedAt: report.timing?.finishedAt ?? now,
    toolVersion: report.tool.version,
    // An audit's targets are accounts and regions; a scan's paths mean something only with the directory they are relative to.
    scope: isAudit ? `${context.command}: ${targets.join(' ')}` : `scan ${report.scanRoot}: ${targets.join(' ')}`,
    targets,
    ...(isAudit ? {} : { scanRoot: report.scanRoot }),
    incomplete: report.summary.incomplete,
    unreadFiles: [...unread].sort(),
    unscopedErrors,
    policies: report.policies.flatMap((policy) => (policy.checks ? [{ policyId: policy.id, severity: policy.severity, frameworks: policy.frameworks, ...policy.checks }] : [])),
    findings: [
      ...report.findings.map((finding) => findingRecord(finding, policies.get(finding.policyId)?.frameworks ?? {}, targets, report.scanRoot)),
      ...report.unevaluated.map((check) => unknownRecord(check, policies.get(check.policyId), providerOf(check, report))),
    ],
  };
}

function findingRecord(finding: Finding, frameworks: HistoryFinding['frameworks'], targets: readonly string[], scanRoot: string): HistoryFinding {
  // A live resource's "file" is its ARN or resource id, and its location has a console link.
  const live = finding.location.url !== undefined || finding.origin.format === 'live';
  const target = live ? auditTarget(finding, targets) : `file:${path.resolve(scanRoot, finding.location.file)}`;
  return {
    fingerprint: finding.fingerprint,
    state: finding.suppressed ? 'suppressed' : finding.baselined ? 'baselined' : 'open',
    policyId: finding.policyId,
    severity: finding.severity,
    provider: finding.provider,
    frameworks,
    entityKind: finding.entityKind,
    entityId: finding.entityId,
    address: finding.address,
    ...(finding.routeKey !== undefined ? { routeKey: finding.routeKey } : {}),
    ...(live ? { resourceId: finding.location.file } : { location: `${finding.location.file}:${Math.max(1, finding.location.startLine)}`, file: finding.location.file }),
    ...(target !== undefined ? { target } : {}),
    ...gatewayFields(finding.gateway),
    ...(live && finding.origin.account !== undefined ? { account: finding.origin.account } : {}),
    ...(finding.owner !== undefined ? { owner: finding.owner.name } : {}),
    message: finding.message,
  };
}

function gatewayFields(gateway: Finding['gateway']): Pick<HistoryFinding, 'gatewayId' | 'gatewayName'> {
  if (gateway === undefined) return {};
  return { gatewayId: gateway.id, ...(gateway.name !== undefined ? { gatewayName: gateway.name } : {}) };
}

/**
 * The audit target a live finding was read from: the one naming its account (and region, when it has
 * one), as the auditors write them (`aws:123456789012/eu-west-1`, `azure:<subscription>[/<group>]`).
 */
function auditTarget(finding: Finding, targets: readonly string[]): string | undefined {
  const { account, region } = finding.origin;
  if (account === undefined) return undefined;
  const matching = targets.filter((target) => target.startsWith(`${finding.provider}:${account}`) && (region === undefined || target.includes(`/${region}`)));
  return matching.length === 1 ? matching[0] : undefined;
}

function unknownRecord(check: UnevaluatedCheck, policy: ScanReport['policies'][number] | undefined, provider: string): HistoryFinding {
  const live = check.location.url !== undefined;
  return {
    fingerprint: `unknown:${check.policyId}|${check.entityId}|${check.routeKey ?? ''}`,
    state: 'unknown',
    policyId: check.policyId,
    // A check that could not be decided is as serious as the finding it might have been.
    severity: policy?.severity ?? 'info',
    provider,
    frameworks: policy?.frameworks ?? {},
    entityKind: check.entityKind,
    entityId: check.entityId,
    address: check.address,
    ...(check.routeKey !== undefined ? { routeKey: check.routeKey } : {}),
    ...(live ? { resourceId: check.location.file } : { location: `${check.location.file}:${Math.max(1, check.location.startLine)}`, file: check.location.file }),
    ...gatewayFields(check.gateway),
    message: check.reason,
  };
}

/**
 * Unknown checks do not carry their provider: that of a finding on the same entity, or the report's
 * only provider; `unknown` otherwise.
 */
function providerOf(check: UnevaluatedCheck, report: ScanReport): string {
  const same = report.findings.find((finding) => finding.entityId === check.entityId);
  if (same) return same.provider;
  return report.providers.length === 1 ? report.providers[0]! : 'unknown';
}
