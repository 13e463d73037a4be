/**
 * gatewarden as a library: scan paths into a report, or use the steps on their own (read the
 * inventory, load policies, evaluate, render). The CLI is a thin layer over these.
 */
export { scan, readInventory, type ScanOptions } from './scan.js';
export { buildReport, exitCodeFor, REPORT_SCHEMA_VERSION, type ScanReport, type ReportSummary, type ExitCode, type FailOn } from './report/report.js';
export { loadPolicies, parsePolicy, builtInPolicyDir, type PolicySource, type PolicyLoadResult } from './engine/load-policies.js';
export { evaluatePolicies, type EvaluationResult } from './engine/evaluate.js';
export type { Policy, PolicyDefinition, PolicyVariant } from './engine/policy.js';
export type { Finding, UnevaluatedCheck, Severity, PolicyCategory, Outcome, OutcomeCounts } from './model/findings.js';
export { REPORTERS, REPORT_FORMATS, type Reporter, type ReportFormat, type ReporterOptions } from './reporters/index.js';
export { cli, type CliIo } from './cli/cli.js';
export { GatewardenError, type ErrorCode } from './errors.js';
export * from './model/index.js';
