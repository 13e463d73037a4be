import type { EntityKind, Provider } from '../model/entities.js';
import type { Origin, SourceLocation } from '../model/location.js';

/** How bad a finding is. Ordered: critical > high > medium > low > info. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Ranks a severity: 4 for critical down to 0 for info. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

/** Policy categories; the folder under `policies/` a policy lives in. */
export type PolicyCategory =
  | 'authentication'
  | 'rate-limiting'
  | 'cors'
  | 'secrets'
  | 'logging'
  | 'tls'
  | 'waf'
  | 'request-validation'
  | 'exposure';

/** Every category, in documentation order. */
export const POLICY_CATEGORIES: readonly PolicyCategory[] = [
  'authentication',
  'rate-limiting',
  'cors',
  'secrets',
  'logging',
  'tls',
  'waf',
  'request-validation',
  'exposure',
];

/** What the evaluation of one policy on one entity concluded. */
export type Outcome = 'pass' | 'fail' | 'not-applicable' | 'unknown';

/** A policy failure on one entity. */
export interface Finding {
  readonly policyId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: PolicyCategory;
  readonly provider: Provider;
  readonly entityKind: EntityKind;
  readonly entityId: string;
  /** The address a person searches for (Terraform address, ARN). */
  readonly address: string;
  readonly modulePath: string;
  /** For routes, `GET /users`; absent for other entities. */
  readonly routeKey?: string;
  /** Rendered from the policy's message template. Never contains a secret value. */
  readonly message: string;
  readonly remediation: string;
  /** Where to look: the field that caused the finding, or the enclosing block. */
  readonly location: SourceLocation;
  readonly origin: Origin;
}

/** A check that could not be decided because the expression read an unknown value. */
export interface UnevaluatedCheck {
  readonly policyId: string;
  readonly entityKind: EntityKind;
  readonly entityId: string;
  readonly address: string;
  readonly routeKey?: string;
  /** Why: which value was unknown and why it could not be resolved. */
  readonly reason: string;
  readonly location: SourceLocation;
}

/** Counts of outcomes over all policy/entity pairs. */
export interface OutcomeCounts {
  readonly checks: number;
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly unknown: number;
  readonly errors: number;
}
