import { SEVERITIES, type Severity } from '../model/findings.js';
import type { HistoryFinding, HistoryPolicyChecks, HistoryShard } from './model.js';

// Compliance by framework: for each item of a framework, how the checks of the policies mapped to it
// went in the latest run. Policies carry the mappings (`frameworks:` in policy.yaml); shards carry
// each policy's counts (`policies[].checks` of the JSON report). An item is never a pass for lack of
// evidence: no policy mapped to it is "not covered", no check decided is "not measured".

/** A framework whose items are all known, so that items no policy maps to can be shown as such. */
export interface FrameworkCatalogue {
  readonly id: string;
  readonly title: string;
  readonly items: ReadonlyArray<{ readonly id: string; readonly title: string }>;
}

/** The OWASP API Security Top 10 (2023), https://owasp.org/API-Security/editions/2023/en/0x11-t10/. */
export const OWASP_API_2023: FrameworkCatalogue = {
  id: 'owasp-api-2023',
  title: 'OWASP API Security Top 10 (2023)',
  items: [
    { id: 'API1', title: 'Broken Object Level Authorization' },
    { id: 'API2', title: 'Broken Authentication' },
    { id: 'API3', title: 'Broken Object Property Level Authorization' },
    { id: 'API4', title: 'Unrestricted Resource Consumption' },
    { id: 'API5', title: 'Broken Function Level Authorization' },
    { id: 'API6', title: 'Unrestricted Access to Sensitive Business Flows' },
    { id: 'API7', title: 'Server Side Request Forgery' },
    { id: 'API8', title: 'Security Misconfiguration' },
    { id: 'API9', title: 'Improper Inventory Management' },
    { id: 'API10', title: 'Unsafe Consumption of APIs' },
  ],
};

/** The frameworks whose every item a report lists, covered or not. */
export const FRAMEWORK_CATALOGUES: readonly FrameworkCatalogue[] = [OWASP_API_2023];

/**
 * How an item stands: `pass` (every decided check passed), `fail` (some failed), `not-measured`
 * (policies map to it but none of their checks was decided: all unknown, errors, or nothing to
 * check), `not-covered` (no policy that ran maps to it).
 */
export type ComplianceStatus = 'pass' | 'fail' | 'not-measured' | 'not-covered';

/** Checks of one policy towards an item, with the findings of its failed checks. */
export interface PolicyCompliance extends Omit<HistoryPolicyChecks, 'frameworks'> {
  /** The failed checks of the latest run (open, suppressed or baselined), most severe first. */
  readonly failing: ReadonlyArray<Pick<HistoryFinding, 'fingerprint' | 'state' | 'address' | 'routeKey' | 'location' | 'resourceId'>>;
}

/** One item of a framework. */
export interface ComplianceItem {
  readonly id: string;
  /** Known for the items of a catalogue. */
  readonly title?: string;
  readonly status: ComplianceStatus;
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  readonly errors: number;
  /** `passed / (passed + failed)`, from 0 to 1; absent when no check was decided. */
  readonly passRate?: number;
  /** Every policy mapped to the item, by id. */
  readonly policies: readonly PolicyCompliance[];
}

/** One framework's items, in the catalogue's order (or by id for a framework without one). */
export interface FrameworkCompliance {
  readonly id: string;
  readonly title: string;
  readonly items: readonly ComplianceItem[];
}

/**
 * Compliance of a run (its shards) with every catalogued framework and every framework a policy
 * maps to. A policy's checks are summed over the shards (several accounts or repositories). Empty
 * when the shards hold no checks at all (recorded before checks were kept): nothing is claimed.
 */
export function complianceOf(shards: readonly HistoryShard[]): FrameworkCompliance[] {
  const policies = new Map<string, HistoryPolicyChecks & { evaluated: number; passed: number; failed: number; unknown: number; errors: number }>();
  for (const shard of shards) {
    for (const checks of shard.policies ?? []) {
      const sum = policies.get(checks.policyId);
      if (!sum) policies.set(checks.policyId, { ...checks });
      else {
        sum.evaluated += checks.evaluated;
        sum.passed += checks.passed;
        sum.failed += checks.failed;
        sum.unknown += checks.unknown;
        sum.errors += checks.errors;
      }
    }
  }
  if (policies.size === 0) return [];
  const failing = new Map<string, HistoryFinding[]>();
  for (const shard of shards) {
    for (const finding of shard.findings) {
      if (finding.state === 'unknown') continue;
      const list = failing.get(finding.policyId) ?? [];
      list.push(finding);
      failing.set(finding.policyId, list);
    }
  }
  // Framework -> item -> policy ids mapped to it.
  const mapped = new Map<string, Map<string, string[]>>();
  for (const policy of [...policies.values()].sort((a, b) => a.policyId.localeCompare(b.policyId))) {
    for (const [framework, items] of Object.entries(policy.frameworks)) {
      const byItem = mapped.get(framework) ?? new Map<string, string[]>();
      for (const item of items) byItem.set(item, [...(byItem.get(item) ?? []), policy.policyId]);
      mapped.set(framework, byItem);
    }
  }
  const frameworkIds = [...FRAMEWORK_CATALOGUES.map((catalogue) => catalogue.id), ...[...mapped.keys()].filter((id) => !FRAMEWORK_CATALOGUES.some((catalogue) => catalogue.id === id)).sort()];
  return frameworkIds.map((framework) => {
    const catalogue = FRAMEWORK_CATALOGUES.find((entry) => entry.id === framework);
    const byItem = mapped.get(framework) ?? new Map<string, string[]>();
    const itemIds = catalogue ? catalogue.items.map((item) => item.id) : [...byItem.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return {
      id: framework,
      title: catalogue?.title ?? framework,
      items: itemIds.map((itemId) => {
        const title = catalogue?.items.find((item) => item.id === itemId)?.title;
        const members = (byItem.get(itemId) ?? []).map((policyId) => {
          const { frameworks: _frameworks, ...checks } = policies.get(policyId)!;
          const failed = (failing.get(policyId) ?? []).sort(bySeverityThenAddress).map((finding) => ({
            fingerprint: finding.fingerprint,
            state: finding.state,
            address: finding.address,
            ...(finding.routeKey !== undefined ? { routeKey: finding.routeKey } : {}),
            ...(finding.location !== undefined ? { location: finding.location } : {}),
            ...(finding.resourceId !== undefined ? { resourceId: finding.resourceId } : {}),
          }));
          return { ...checks, failing: failed };
        });
        const total = (key: 'evaluated' | 'passed' | 'failed' | 'unknown' | 'errors'): number => members.reduce((sum, member) => sum + member[key], 0);
        const passed = total('passed');
        const failed = total('failed');
        const decided = passed + failed;
        const status: ComplianceStatus = members.length === 0 ? 'not-covered' : decided === 0 ? 'not-measured' : failed > 0 ? 'fail' : 'pass';
        return {
          id: itemId,
          ...(title !== undefined ? { title } : {}),
          status,
          evaluated: total('evaluated'),
          passed,
          failed,
          unknown: total('unknown'),
          errors: total('errors'),
          ...(decided > 0 ? { passRate: passed / decided } : {}),
          policies: members,
        };
      }),
    };
  });
}

/** How each compliance status reads in a report. */
export const COMPLIANCE_STATUS_LABELS: Readonly<Record<ComplianceStatus, string>> = {
  pass: 'pass',
  fail: 'fail',
  'not-measured': 'not measured',
  'not-covered': 'not covered',
};

/** Failed checks named per item before "…": the JSON report lists every one. */
export const FAILING_CHECKS_SHOWN = 5;

/** A pass rate as a percentage, or a dash when nothing was decided. */
export function passRateText(item: Pick<ComplianceItem, 'passRate'>): string {
  return item.passRate === undefined ? '–' : `${Math.floor(item.passRate * 1000) / 10} %`;
}

/** The failing checks of an item, policy by policy, as plain text (escape before use). */
export function failingChecks(item: ComplianceItem): string[] {
  return item.policies
    .filter((policy) => policy.failed > 0)
    .map((policy) => {
      const named = policy.failing.slice(0, FAILING_CHECKS_SHOWN).map((check) => (check.routeKey !== undefined && !check.address.endsWith(check.routeKey) ? `${check.address} (${check.routeKey})` : check.address));
      const more = policy.failing.length - named.length;
      return `${policy.policyId}: ${policy.failed} of ${policy.evaluated} failed${named.length > 0 ? ` (${named.join(', ')}${more > 0 ? `, and ${more} more` : ''})` : ''}`;
    });
}

function bySeverityThenAddress(a: HistoryFinding, b: HistoryFinding): number {
  return SEVERITIES.indexOf(a.severity as Severity) - SEVERITIES.indexOf(b.severity as Severity) || a.address.localeCompare(b.address) || (a.routeKey ?? '').localeCompare(b.routeKey ?? '') || a.fingerprint.localeCompare(b.fingerprint);
}
