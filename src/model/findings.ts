import { PROVIDERS, type EntityKind, type Provider, type RelatedLocation, type StandIn } from './entities.js';
import type { Origin, SourceLocation } from './location.js';

/** How bad a finding is. Ordered: critical > high > medium > low > info. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * The severity at or above which a finding fails the run (`--fail-on`, `fail-on:`), or `never`: the
 * exit code then reports only errors and incomplete results.
 */
export type FailOn = Severity | 'never';

/** Every value `--fail-on` and `fail-on:` accept, in the order help and errors list them. */
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'never'];

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
  | 'traffic-filtering'
  | 'request-validation'
  | 'caching'
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
  'traffic-filtering',
  'request-validation',
  'caching',
  'exposure',
];

/**
 * What describes a policy to a reader, as its YAML file writes it and as a report lists it: the part
 * that policy files and reports share (one declaration, so the two cannot drift).
 */
export interface PolicyDescription {
  /** Stable identifier, equal to the policy's folder name; used in suppressions. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: PolicyCategory;
  readonly description: string;
  /**
   * How to fix a finding. For a policy that gives remediation per provider, every provider's text,
   * each on its own line after its label (`Azure API Management: ...`): what a rule-level view
   * (SARIF rules, docs/policies.md) shows. A finding carries only its own provider's text.
   */
  readonly remediation: string;
  /** Set when the policy gives remediation per provider (see {@link remediationFor}). */
  readonly remediationByProvider?: RemediationByProvider;
  readonly references: readonly string[];
  /** Compliance framework mappings, e.g. `{ "owasp-api-2023": ["API2"] }`. */
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  /**
   * The ids other scanners give the same check (`{ checkov: ["CKV_AWS_76"] }`), so that a team
   * moving from them finds ours (`gatewarden policies show CKV_AWS_76`). Absent when none.
   */
  readonly aliases?: PolicyAliases;
}

/** The types a policy parameter can have: a CEL `double`, `string` or `bool`. */
export const PARAMETER_TYPES = ['number', 'string', 'boolean'] as const;
/** One of {@link PARAMETER_TYPES}. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];
/** A parameter's value. */
export type ParameterValue = number | string | boolean;

/** One parameter a policy declares: its type, its value when the config sets none, and what it means. */
export interface PolicyParameter {
  readonly type: ParameterType;
  readonly default: ParameterValue;
  readonly description: string;
}

/** Whether a value has a parameter's type (a number must be finite). */
export function isParameterValue(type: ParameterType, value: unknown): value is ParameterValue {
  return type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === type;
}

/**
 * The scanners whose check ids a policy can name as aliases. Closed: an alias under a misspelt tool
 * (`checkhov`) would never be found.
 */
export const ALIAS_TOOLS = ['checkov', 'kics', 'trivy', 'cdk-nag', 'cfn-nag', 'prowler', 'terrascan', 'psrule'] as const;
/** One of {@link ALIAS_TOOLS}. */
export type AliasTool = (typeof ALIAS_TOOLS)[number];
/** Check ids of other scanners, by scanner. */
export type PolicyAliases = Readonly<Partial<Record<AliasTool, readonly string[]>>>;

/**
 * The compliance frameworks built-in policies map to, with their full names (the keys of
 * `frameworks:`). A user's policy may name others (an internal standard); built-in ones use these,
 * so `--framework` and the nightly compliance section see one spelling per framework.
 */
export const KNOWN_FRAMEWORKS = {
  'owasp-api-2023': 'OWASP API Security Top 10 2023',
  'aws-fsbp': 'AWS Foundational Security Best Practices',
  'cis-gcp-2.0': 'CIS Google Cloud Platform Foundation Benchmark 2.0',
  'nist-800-53-r5': 'NIST SP 800-53 Revision 5',
  'pci-dss-4.0': 'PCI DSS 4.0',
  mcsb: 'Microsoft cloud security benchmark',
  cwe: 'Common Weakness Enumeration',
} as const satisfies Readonly<Record<string, string>>;

/** What a policy's remediation can be given for: each provider, and `default` for the others. */
export const REMEDIATION_KEYS = [...PROVIDERS, 'default'] as const;
/** One of {@link REMEDIATION_KEYS}. */
export type RemediationKey = (typeof REMEDIATION_KEYS)[number];
/** Remediation texts by provider, as a policy file gives them; every key is optional. */
export type RemediationByProvider = Readonly<Partial<Record<RemediationKey, string>>>;

/** How each text is labelled where all of a policy's texts are shown together. */
export const REMEDIATION_LABELS: Readonly<Record<RemediationKey, string>> = {
  aws: 'AWS API Gateway',
  azure: 'Azure API Management',
  gcp: 'Google Cloud API Gateway and Cloud Endpoints',
  openapi: 'OpenAPI documents',
  default: 'Other gateways',
};

/** A policy's remediation texts in display order, each with its label; one unlabelled entry for a single text. */
export function remediationEntries(description: Pick<PolicyDescription, 'remediation' | 'remediationByProvider'>): Array<{ readonly key?: RemediationKey; readonly label?: string; readonly text: string }> {
  const byProvider = description.remediationByProvider;
  if (!byProvider) return [{ text: description.remediation }];
  return REMEDIATION_KEYS.flatMap((key) => (byProvider[key] !== undefined ? [{ key, label: REMEDIATION_LABELS[key], text: byProvider[key] }] : []));
}

/** The labelled, one-line-per-provider text of {@link PolicyDescription.remediation}. */
export function combinedRemediation(byProvider: RemediationByProvider): string {
  return remediationEntries({ remediation: '', remediationByProvider: byProvider })
    .map((entry) => `${entry.label}: ${entry.text}`)
    .join('\n');
}

/**
 * The remediation a finding on an entity of `provider` shows: the provider's own text, else the
 * policy's `default`, else every text labelled (a policy that names no text for this provider).
 */
export function remediationFor(description: Pick<PolicyDescription, 'remediation' | 'remediationByProvider'>, provider: Provider): string {
  const byProvider = description.remediationByProvider;
  return byProvider?.[provider] ?? byProvider?.default ?? description.remediation;
}

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
  /** For resources generated by a CDK, the construct path (`stack/api/resource`). */
  readonly construct?: string;
  /** For routes, `GET /users`; absent for other entities. */
  readonly routeKey?: string;
  /** Rendered from the policy's message template. Never contains a secret value. */
  readonly message: string;
  readonly remediation: string;
  /** Where to look: the field that caused the finding, or the enclosing block. */
  readonly location: SourceLocation;
  /** Other places that bear on it (the module line a literal is passed through). */
  readonly related?: readonly RelatedLocation[];
  /** Set when the entity stands for routes or an API the scan does not show. */
  readonly standIn?: StandIn;
  /**
   * For a finding of a policy that groups by setting (`group: { by: setting }`): the routes the
   * setting at fault affects, the finding being on the entity that owns it (a stage, say).
   */
  readonly routes?: readonly FindingRoute[];
  readonly origin: Origin;
  /** The gateway (API) the entity belongs to, when it belongs to one in the input (see {@link FindingGateway}). */
  readonly gateway?: FindingGateway;
  /** Who owns the resource at fault, when the config file, a tag or CODEOWNERS says (see {@link FindingOwner}). */
  readonly owner?: FindingOwner;
  /**
   * Identifies the finding across runs for baselines and SARIF `partialFingerprints`: a hash of the
   * policy, the entity's address and route, and the normalised text of the line at fault. Line
   * numbers are not part of it, so adding code above a finding does not make it new.
   */
  readonly fingerprint: string;
  /** Present when the finding is accepted by a suppression (in the source or in the config file): it does not fail the run. */
  readonly suppressed?: FindingSuppression;
  /** True when the finding is in the baseline given with `--baseline`: known before, it does not fail the run. */
  readonly baselined?: true;
}

/**
 * The gateway a finding's entity belongs to: its entity id and, when known, its name (an API's name
 * can be an unknown value in code). A gateway's own finding names itself.
 */
export interface FindingGateway {
  readonly id: string;
  readonly name?: string;
}

/**
 * Where an owner was read from: `tag` (the resource's or its gateway's tag or label named by
 * `owners.tag`), `config` (a glob of `owners.paths`), `codeowners` (the repository's CODEOWNERS file).
 */
export const OWNER_SOURCES = ['tag', 'config', 'codeowners'] as const;
/** One of {@link OWNER_SOURCES}. */
export type OwnerSource = (typeof OWNER_SOURCES)[number];

/** Who owns the resource a finding is on, and where that was read. */
export interface FindingOwner {
  /** As written: a team name, or CODEOWNERS owners joined by spaces (`@org/payments @alice`). */
  readonly name: string;
  readonly source: OwnerSource;
}

/** A route a grouped finding stands for (see {@link Finding.routes}). */
export interface FindingRoute {
  readonly entityId: string;
  readonly address: string;
  /** `GET /users`, as {@link Finding.routeKey}. */
  readonly routeKey: string;
  /** Absent when unknown (a method or path from an expression). */
  readonly method?: string;
  readonly path?: string;
  /** The route's own block. */
  readonly location: SourceLocation;
  /**
   * The fingerprint the finding on this route alone had before findings were grouped: a baseline
   * written then holds these, and still matches when it holds every route's.
   */
  readonly fingerprint: string;
}

/**
 * Where a suppression is written: `in-source` next to the code (a comment, CloudFormation `Metadata`,
 * OpenAPI `x-gatewarden-ignore`), `config` in `.gatewarden.yaml`.
 */
export type SuppressionKind = 'in-source' | 'config';

/** Why and until when a finding is accepted, and where that is written. */
export interface FindingSuppression {
  readonly kind: SuppressionKind;
  readonly reason?: string;
  readonly until?: string;
  readonly location: SourceLocation;
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
  /** Set when the entity stands for routes or an API the scan does not show. */
  readonly standIn?: StandIn;
  /** The gateway the entity belongs to, as {@link Finding.gateway}. */
  readonly gateway?: FindingGateway;
  /**
   * Set when the check is on the owner of a setting several routes or APIs share (a policy with
   * `group: { by: setting }`; an API Management service's TLS flag from a variable without a value):
   * the members whose checks it stands for, as {@link Finding.routes} without fingerprints.
   */
  readonly routes?: readonly UnevaluatedRoute[];
}

/** A route (or an API) whose unknown check a grouped {@link UnevaluatedCheck} stands for. */
export type UnevaluatedRoute = Omit<FindingRoute, 'fingerprint'>;

/** Counts of outcomes over all policy/entity pairs. */
export interface OutcomeCounts {
  readonly checks: number;
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly unknown: number;
  readonly errors: number;
}

/**
 * The checks of one policy in one run: `evaluated` counts the entities its `match` selected (not
 * applicable ones are left out, never a pass), split into `passed`, `failed` (findings, suppressed and
 * baselined ones included: accepting a risk does not make the check pass), `unknown` (an unknown value
 * was read) and `errors` (the expression failed). Compliance reports are computed from these.
 */
export interface PolicyChecks {
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  readonly errors: number;
}

/**
 * What an inline suppression says, whatever the syntax it is written in:
 * `route-requires-auth[,cors-not-open] [until=2027-03-31] [-- reason]`.
 */
export interface IgnoreDirective {
  readonly policyIds: readonly string[];
  readonly until?: string;
  readonly reason?: string;
}

/** A directive that could not be read, with what to write instead. */
export interface IgnoreDirectiveError {
  readonly error: string;
}

/** A `gatewarden:ignore` comment and the lines it covers. */
export interface CommentSuppression {
  readonly directive: IgnoreDirective | IgnoreDirectiveError;
  /** The comment itself. */
  readonly location: SourceLocation;
  /**
   * The lines covered: the block, attribute or element the comment is on or directly above (stacked
   * comments and blank lines in between are allowed). Undefined when nothing follows the comment.
   */
  readonly scope?: { readonly startLine: number; readonly endLine: number };
}
