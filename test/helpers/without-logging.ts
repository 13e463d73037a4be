import { SEVERITIES, type Severity } from '../../src/model/findings.js';
import { isActive } from '../../src/report/report.js';
import { scan as scanAll } from '../../src/pipeline/scan.js';

type Report = Awaited<ReturnType<typeof scanAll>>;

/**
 * A report without the findings of the logging policies, its counts recomputed. For tests of other
 * concerns (authentication, throttling, CORS, keys) on fixtures whose stages write no access log:
 * the logging policies have cases of their own (policies/logging/), and these tests should not
 * change each time a stage policy is added.
 */
export function withoutLogging(report: Report): Report {
  const logging = new Set(report.policies.filter((policy) => policy.category === 'logging').map((policy) => policy.id));
  const findings = report.findings.filter((finding) => !logging.has(finding.policyId));
  const unevaluated = report.unevaluated.filter((check) => !logging.has(check.policyId));
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const active = findings.filter(isActive);
  for (const finding of active) bySeverity[finding.severity]++;
  return {
    ...report,
    findings,
    unevaluated,
    summary: {
      ...report.summary,
      findings: { ...bySeverity, total: active.length },
      unevaluated: unevaluated.length,
      // As the report computes it: what the logging policies left unknown no longer counts.
      incomplete: report.summary.errors > 0 || unevaluated.length > 0,
      suppressed: findings.filter((finding) => finding.suppressed).length,
      baselined: findings.filter((finding) => finding.baselined && !finding.suppressed).length,
    },
  };
}

/** `scan`, without the findings of the logging policies (see {@link withoutLogging}). */
export async function scan(...args: Parameters<typeof scanAll>): Promise<Report> {
  return withoutLogging(await scanAll(...args));
}
