import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity, Provider } from '../model/entities.js';
import type { EvaluationResult } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { SEVERITIES, severityRank, type FailOn, type Finding, type OutcomeCounts, type PolicyChecks, type PolicyDescription, type Severity, type UnevaluatedCheck } from '../model/findings.js';

/** The version of the JSON report format; bumped only for incompatible changes (docs/json-report.md). */
export const REPORT_SCHEMA_VERSION = 1;

/** Counts that end the text output and head the JSON report. */
export interface ReportSummary {
  readonly files: number;
  readonly gateways: number;
  readonly routes: number;
  readonly entities: number;
  /** Findings not suppressed, by severity. */
  readonly findings: Readonly<Record<Severity, number>> & { readonly total: number };
  /** Findings accepted by a suppression (in the source or the config file); they are listed but do not fail the run. */
  readonly suppressed: number;
  /** Findings in the `--baseline` file: known before, listed in JSON and SARIF but not counted in `findings` and never failing the run. */
  readonly baselined: number;
  /** Checks that read an unknown value and could not be decided. */
  readonly unevaluated: number;
  readonly parseErrors: number;
  readonly errors: number;
  readonly warnings: number;
  /** True when something was not checked: a parse error, a policy error, an unknown value. */
  readonly incomplete: boolean;
  readonly checks: OutcomeCounts;
}

/** A policy as listed in a report, with what a reader needs to act on its findings (SARIF rules carry it). */
export interface ReportPolicy extends PolicyDescription {
  /** The severity after any override of the config file. */
  readonly severity: Severity;
  /** False for a policy loaded from a user's `--policies` directory. */
  readonly builtIn: boolean;
  /** Its checks in this run (compliance by framework is computed from them); absent in reports built by hand. */
  readonly checks?: PolicyChecks;
}

/** Everything a scan produced; reporters render it, the CLI derives the exit code from it. */
export interface ScanReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'gatewarden'; readonly version: string };
  /** Directory file paths are relative to. */
  readonly scanRoot: string;
  readonly targets: readonly string[];
  readonly files: readonly string[];
  readonly providers: readonly Provider[];
  readonly summary: ReportSummary;
  readonly findings: readonly Finding[];
  readonly unevaluated: readonly UnevaluatedCheck[];
  readonly diagnostics: readonly Diagnostic[];
  readonly policies: readonly ReportPolicy[];
  /** When the scan ran (ISO 8601, UTC); absent in reports built by hand. */
  readonly timing?: { readonly startedAt: string; readonly finishedAt: string };
}

/** True when a finding counts and can fail the run: nothing accepted it, neither a suppression nor the baseline. */
export function isActive(finding: Finding): boolean {
  return !finding.suppressed && !finding.baselined;
}

/** Orders findings by file, line, then severity (most severe first) and policy. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.startLine - b.location.startLine ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.policyId.localeCompare(b.policyId) ||
    a.entityId.localeCompare(b.entityId)
  );
}

/** Assembles the report of a scan. */
export function buildReport(input: {
  version: string;
  scanRoot: string;
  targets: readonly string[];
  files: readonly string[];
  entities: readonly Entity[];
  evaluation: EvaluationResult;
  diagnostics: readonly Diagnostic[];
  policies: readonly Policy[];
  timing?: { readonly startedAt: string; readonly finishedAt: string };
}): ScanReport {
  const diagnostics = [...input.diagnostics, ...input.evaluation.diagnostics];
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const active = input.evaluation.findings.filter(isActive);
  for (const finding of active) findingsBySeverity[finding.severity]++;
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const summary: ReportSummary = {
    files: input.files.length,
    gateways: input.entities.filter((entity) => entity.kind === 'gateway').length,
    routes: input.entities.filter((entity) => entity.kind === 'route').length,
    entities: input.entities.length,
    findings: { ...findingsBySeverity, total: active.length },
    suppressed: input.evaluation.findings.filter((finding) => finding.suppressed).length,
    baselined: input.evaluation.findings.filter((finding) => finding.baselined && !finding.suppressed).length,
    unevaluated: input.evaluation.unevaluated.length,
    parseErrors: diagnostics.filter((diagnostic) => diagnostic.code === 'parse-error').length,
    errors,
    warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length,
    incomplete: errors > 0 || input.evaluation.unevaluated.length > 0,
    checks: input.evaluation.counts,
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'gatewarden', version: input.version },
    scanRoot: input.scanRoot,
    targets: input.targets,
    files: input.files,
    providers: [...new Set(input.entities.map((entity) => entity.provider))].sort(),
    summary,
    findings: [...input.evaluation.findings].sort(compareFindings),
    unevaluated: [...input.evaluation.unevaluated].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine),
    diagnostics: [...diagnostics].sort((a, b) => (a.location?.file ?? '').localeCompare(b.location?.file ?? '') || (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0)),
    policies: input.policies.map((policy) => ({
      id: policy.id,
      title: policy.title,
      severity: policy.severity,
      category: policy.category,
      description: policy.description,
      remediation: policy.remediation,
      ...(policy.remediationByProvider ? { remediationByProvider: policy.remediationByProvider } : {}),
      references: policy.references,
      frameworks: policy.frameworks,
      builtIn: policy.builtIn,
      ...(input.evaluation.policyChecks.has(policy.id) ? { checks: input.evaluation.policyChecks.get(policy.id)! } : {}),
    })),
    ...(input.timing ? { timing: input.timing } : {}),
  };
}

export type { FailOn } from '../model/findings.js';

/**
 * Exit codes: 0 clean, 1 findings at or above the threshold, 2 incomplete scan or usage error, 130
 * an audit stopped by Ctrl-C (128 + SIGINT, as shells report it) after writing what it had read.
 */
export type ExitCode = 0 | 1 | 2 | 130;

/**
 * Derives the exit code. An incomplete scan wins over findings: a CI gate must not treat a scan that
 * could not read everything as a verdict.
 */
export function exitCodeFor(report: ScanReport, failOn: FailOn): ExitCode {
  if (report.summary.incomplete) return 2;
  if (failOn === 'never') return 0;
  const threshold = severityRank(failOn);
  return report.findings.some((finding) => isActive(finding) && severityRank(finding.severity) >= threshold) ? 1 : 0;
}
