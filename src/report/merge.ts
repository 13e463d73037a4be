import path from 'node:path';
import { SEVERITIES, type OutcomeCounts, type Severity } from '../model/findings.js';
import type { SourceLocation } from '../model/location.js';
import { compareFindings, isActive, REPORT_SCHEMA_VERSION, type ReportPolicy, type ScanReport } from './report.js';

// `gatewarden report merge`: the JSON reports of the shards of one nightly run (parallel jobs, each
// scanning some repositories or auditing some accounts) made into the report of one run, as if one
// job had read everything. Pure: the CLI reads the files and writes the result.

/** One report to merge, with the name it is known by (its file), for messages. */
export interface MergeInput {
  readonly name: string;
  readonly report: ScanReport;
}

/** A shard left out because another one read the same target, and the one kept instead. */
export interface DroppedShard {
  readonly dropped: string;
  readonly kept: string;
  /** What both read: the scan root and paths, or the accounts and regions of an audit. */
  readonly scope: string;
}

/** The merged report, and the duplicate shards left out of it. */
export interface MergeResult {
  readonly report: ScanReport;
  readonly duplicates: readonly DroppedShard[];
}

/**
 * True for the report of `gatewarden audit`: it reads no files, and its targets are accounts and
 * regions (`aws:123456789012/eu-west-1`), never paths. Its locations are ARNs and resource ids.
 */
export function isAuditReport(report: Pick<ScanReport, 'files' | 'targets'>): boolean {
  return report.files.length === 0 && report.targets.length > 0 && report.targets.every((target) => /^[a-z][a-z0-9-]*:[^\\/]/.test(target));
}

/**
 * What a shard read, as the history calls it (src/history/record.ts): two shards with the same scope
 * are the same job run twice, as a job retried under one `--run-id` replaces its own shard.
 */
export function scopeOf(report: Pick<ScanReport, 'files' | 'targets' | 'scanRoot'>): string {
  const targets = [...report.targets].sort().join(' ');
  return isAuditReport(report) ? `audit: ${targets}` : `scan ${report.scanRoot}: ${targets}`;
}

/** The major version of a `x.y.z` version; the whole version when it has no dot. */
function majorOf(version: string): string {
  return version.split('.')[0] ?? version;
}

/**
 * Why these reports cannot be merged, one line each; empty when they can. Reports of another
 * `schemaVersion` or of another major version of gatewarden may mean other things by the same
 * fields: merging them would give a report that is not one of either.
 */
export function mergeIncompatibilities(inputs: readonly MergeInput[]): string[] {
  const problems: string[] = [];
  const first = inputs[0];
  if (first === undefined) return ['no report to merge'];
  for (const input of inputs) {
    if (input.report.schemaVersion !== REPORT_SCHEMA_VERSION) {
      problems.push(`${input.name} has schemaVersion ${String(input.report.schemaVersion)}, this gatewarden writes and merges ${REPORT_SCHEMA_VERSION}: merge reports of one schema version, with the gatewarden that wrote them`);
    }
  }
  const majors = new Map<string, string[]>();
  for (const input of inputs) majors.set(majorOf(input.report.tool.version), [...(majors.get(majorOf(input.report.tool.version)) ?? []), input.name]);
  if (majors.size > 1) {
    const groups = [...majors].map(([major, names]) => `${major}.x: ${names.join(', ')}`).join('; ');
    problems.push(`the reports come from different major versions of gatewarden (${groups}); run every shard with the same version`);
  }
  return problems;
}

/**
 * Merges the reports of the shards of one run. Call {@link mergeIncompatibilities} first. A shard
 * whose scope another shard has too is a job run twice: the one that finished last is kept (the
 * later of the two on the command line when neither has a time). Scans run in different
 * directories are rebased onto the directory that holds them all, so every file stays relative to
 * the merged `scanRoot`; audits' locations are resource ids and stay as they are.
 */
export function mergeReports(inputs: readonly MergeInput[]): MergeResult {
  const kept = new Map<string, MergeInput>();
  const duplicates: DroppedShard[] = [];
  for (const input of inputs) {
    const scope = scopeOf(input.report);
    const other = kept.get(scope);
    if (other === undefined) {
      kept.set(scope, input);
      continue;
    }
    const later = (other.report.timing?.finishedAt ?? '') > (input.report.timing?.finishedAt ?? '') ? other : input;
    const earlier = later === input ? other : input;
    kept.set(scope, later);
    duplicates.push({ dropped: earlier.name, kept: later.name, scope });
  }
  const shards = [...kept.values()];
  const scans = shards.filter((shard) => !isAuditReport(shard.report));
  const scanRoot = scans.length > 0 ? commonDirectory(scans.map((shard) => shard.report.scanRoot)) : shards[0]!.report.scanRoot;
  const rebased = shards.map((shard) => (isAuditReport(shard.report) ? shard.report : rebase(shard.report, scanRoot)));

  const findings = rebased.flatMap((report) => report.findings).sort(compareFindings);
  const unevaluated = rebased.flatMap((report) => report.unevaluated).sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine);
  const diagnostics = rebased
    .flatMap((report) => report.diagnostics)
    .sort((a, b) => (a.location?.file ?? '').localeCompare(b.location?.file ?? '') || (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0));
  const active = findings.filter(isActive);
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, active.filter((finding) => finding.severity === severity).length])) as Record<Severity, number>;
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const sum = (pick: (report: ScanReport) => number): number => rebased.reduce((total, report) => total + pick(report), 0);
  const starts = rebased.flatMap((report) => (report.timing ? [report.timing.startedAt] : [])).sort();
  const ends = rebased.flatMap((report) => (report.timing ? [report.timing.finishedAt] : [])).sort();
  const files = [...new Set(rebased.flatMap((report) => report.files))].sort();

  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    // Every shard has the same major version; the newest one speaks for the run.
    tool: { name: 'gatewarden', version: rebased.map((shard) => shard.tool.version).sort(compareVersions).at(-1)! },
    scanRoot,
    targets: [...new Set(rebased.flatMap((shard) => shard.targets))].sort(),
    files,
    providers: [...new Set(rebased.flatMap((shard) => shard.providers))].sort(),
    summary: {
      files: files.length,
      gateways: sum((shard) => shard.summary.gateways),
      routes: sum((shard) => shard.summary.routes),
      entities: sum((shard) => shard.summary.entities),
      findings: { ...bySeverity, total: active.length },
      suppressed: findings.filter((finding) => finding.suppressed).length,
      baselined: findings.filter((finding) => finding.baselined && !finding.suppressed).length,
      unevaluated: unevaluated.length,
      parseErrors: diagnostics.filter((diagnostic) => diagnostic.code === 'parse-error').length,
      errors,
      warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length,
      // A shard that said incomplete stays so, whatever made it say so.
      incomplete: errors > 0 || unevaluated.length > 0 || rebased.some((shard) => shard.summary.incomplete),
      checks: sumCounts(rebased.map((shard) => shard.summary.checks)),
    },
    findings,
    unevaluated,
    diagnostics,
    policies: mergePolicies(rebased.map((shard) => shard.policies)),
    ...(starts.length > 0 ? { timing: { startedAt: starts[0]!, finishedAt: ends.at(-1)! } } : {}),
  };
  return { report, duplicates };
}

/** Numeric comparison of dotted versions (`0.10.0` after `0.9.1`). */
function compareVersions(a: string, b: string): number {
  const left = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function sumCounts(counts: readonly OutcomeCounts[]): OutcomeCounts {
  const add = (pick: (count: OutcomeCounts) => number): number => counts.reduce((total, count) => total + pick(count), 0);
  return { checks: add((c) => c.checks), passed: add((c) => c.passed), failed: add((c) => c.failed), notApplicable: add((c) => c.notApplicable), unknown: add((c) => c.unknown), errors: add((c) => c.errors) };
}

/** Each policy once, in the order first met; the first shard's severity wins (findings keep their own). */
function mergePolicies(lists: ReadonlyArray<readonly ReportPolicy[]>): ReportPolicy[] {
  const byId = new Map<string, ReportPolicy>();
  for (const policy of lists.flat()) if (!byId.has(policy.id)) byId.set(policy.id, policy);
  return [...byId.values()];
}

/** The deepest directory that holds every one of `dirs` (absolute paths). */
function commonDirectory(dirs: readonly string[]): string {
  let common = path.resolve(dirs[0]!);
  for (const dir of dirs.slice(1)) {
    const resolved = path.resolve(dir);
    while (path.relative(common, resolved).startsWith('..') || path.isAbsolute(path.relative(common, resolved))) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}

/** A scan report's files and targets made relative to `root`, a directory holding its own root. */
function rebase(report: ScanReport, root: string): ScanReport {
  const prefix = path.relative(root, report.scanRoot).split(path.sep).join('/');
  if (prefix === '') return report;
  const file = (name: string): string => path.posix.normalize(path.posix.join(prefix, name));
  // A live location's "file" is an ARN or resource id, not a path.
  const at = <L extends SourceLocation>(location: L): L => (location.url !== undefined ? location : { ...location, file: file(location.file) });
  return {
    ...report,
    scanRoot: root,
    targets: report.targets.map(file),
    files: report.files.map(file),
    findings: report.findings.map((finding) => ({
      ...finding,
      location: at(finding.location),
      ...(finding.related ? { related: finding.related.map((related) => ({ ...related, location: at(related.location) })) } : {}),
      ...(finding.routes ? { routes: finding.routes.map((route) => ({ ...route, location: at(route.location) })) } : {}),
      ...(finding.suppressed ? { suppressed: { ...finding.suppressed, location: at(finding.suppressed.location) } } : {}),
      origin: finding.origin.file !== undefined && finding.origin.format !== 'live' ? { ...finding.origin, file: file(finding.origin.file) } : finding.origin,
    })),
    unevaluated: report.unevaluated.map((check) => ({
      ...check,
      location: at(check.location),
      ...(check.routes ? { routes: check.routes.map((route) => ({ ...route, location: at(route.location) })) } : {}),
    })),
    diagnostics: report.diagnostics.map((diagnostic) => (diagnostic.location ? { ...diagnostic, location: at(diagnostic.location) } : diagnostic)),
  };
}
