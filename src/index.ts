/**
 * gatewarden as a library: scan paths into a report, or use the steps on their own (read the
 * inventory, load policies, evaluate, render), or audit live accounts. The CLI is a thin layer over
 * these, exported on its own as `gatewarden/cli`: nothing here imports it.
 */
export { scan, readInventory, type ScanOptions } from './pipeline/scan.js';
export { audit, DEFAULT_AUDIT_TIMEOUT_MS, type AuditOptions, type AuditResult, type AuditStopReason } from './pipeline/audit.js';
export { buildReport, exitCodeFor, REPORT_SCHEMA_VERSION, type ScanReport, type ReportSummary, type ExitCode, type FailOn } from './report/report.js';
export { loadPolicies, parsePolicy, builtInPolicyDir, type PolicySource, type PolicyLoadResult } from './engine/load-policies.js';
export { evaluatePolicies, type EvaluationResult } from './engine/evaluate.js';
export type { Policy, PolicyDefinition, PolicyVariant } from './engine/policy.js';
export type { Finding, UnevaluatedCheck, Severity, PolicyCategory, Outcome, OutcomeCounts } from './model/findings.js';
export { REPORTERS, REPORT_FORMATS, type Reporter, type ReportFormat, type ReporterOptions } from './reporters/index.js';
export { openHistoryStore } from './history/open.js';
export { historyShardOf, type ShardContext } from './history/record.js';
export { analyseHistory, type AnalyseOptions, type HistoryReport, type Changes, type OpenFinding, type ReportedFinding } from './history/analyse.js';
export type { HistoryStore, HistoryShard, HistoryRun, HistoryFinding, HistoryState, HistoryCommand, HistoryQuery } from './history/model.js';
export { GatewardenError, type ErrorCode } from './errors.js';
export * from './model/index.js';
