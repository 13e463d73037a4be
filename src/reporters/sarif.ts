import { pathToFileURL } from 'node:url';
import { remediationEntries, type Finding, type FindingSuppression, type Severity, type UnevaluatedCheck } from '../model/findings.js';
import type { Diagnostic, DiagnosticCode, DiagnosticSeverity } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/location.js';
import type { ReportPolicy, ScanReport } from '../report/report.js';
import { entityLabel, escapeMarkdown, isFileLocation, lineRange, markdownDestination, pascalCase, policiesOf, standInSuffix } from './common.js';
import { escapeControl, stringifyJson } from '../escape.js';

/** The key of `partialFingerprints`; versioned so that a change of the hash can start a new key. */
export const SARIF_FINGERPRINT_KEY = 'gatewarden/v1';

/** The base id every artifact URI is relative to, resolved through `originalUriBaseIds` to the scan root. */
export const SARIF_SRCROOT = '%SRCROOT%';

/**
 * GitHub code scanning ranks security alerts by the rule's `security-severity` (a CVSS-like score:
 * over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low). Each value sits inside the band
 * of the same name; `info` has no band of its own and shows as low.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

type SarifLevel = 'error' | 'warning' | 'note';

/** The SARIF level of a severity: what blocks (error), what to look at (warning), the rest (note). */
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const DIAGNOSTIC_LEVEL: Readonly<Record<DiagnosticSeverity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

/** The notification descriptor of checks that read an unknown value. */
const UNEVALUATED = 'unevaluated-check' as const;

type NotificationId = DiagnosticCode | typeof UNEVALUATED;

/** What each notification means, for `tool.driver.notifications`; a Record so a new code cannot be forgotten. */
const NOTIFICATION_DESCRIPTIONS: Readonly<Record<NotificationId, string>> = {
  'parse-error': 'A file could not be parsed; its resources were not checked.',
  'read-error': 'A file could not be read; its resources were not checked.',
  unsupported: 'A construct gatewarden does not (fully) model; the result may miss something about it.',
  'not-scanned': 'Input that was skipped: not a format gatewarden reads, or out of reach (a remote template).',
  unresolved: 'A reference that could not be resolved.',
  'policy-error': 'A policy could not be loaded; its checks did not run.',
  'evaluation-error': 'A policy failed on an entity for a reason other than an unknown value.',
  suppression: 'A suppression that is expired, malformed, gives no reason or names no policy.',
  baseline: 'About the baseline file, such as entries no longer found.',
  config: 'About the configuration file, .gatewarden.yaml.',
  limit: 'Work stopped by a limit (file size, nesting depth, alias expansion, instances, entities, audit listings, policy time); the message says which and how to raise it.',
  'outside-roots': 'A file the input names, or a symbolic link, leads outside the scanned paths and was not read.',
  'duplicate-key': 'A key given more than once in one mapping: the last one was read, as CloudFormation reads it.',
  'invalid-value': 'A value of a shape the cloud or its tools reject; what it would configure is unknown.',
  'internal-error': 'A reader failed unexpectedly on one file; that file was not checked and the rest of the scan went on.',
  'not-a-gateway': 'An OpenAPI document used for something other than a gateway (an agent action group schema, a test fixture nothing deploys); it was not checked as a gateway.',
  'gateway-not-read': 'An OpenAPI document imported into a gateway by a configuration gatewarden does not read (Bicep): neither the gateway nor the document was checked.',
  [UNEVALUATED]: 'A check read a value known only at deploy time (or not given) and could not be decided; it is neither a pass nor a finding.',
};

type Json = Record<string, unknown>;

/**
 * Renders the report as SARIF 2.1.0 (one run), for GitHub code scanning and other SARIF viewers.
 *
 * Every finding is a result, suppressed and baselined ones included: SARIF carries their state
 * (`suppressions`, `baselineState`) so viewers hide them rather than lose them. `baselineState` is set
 * on every result only when the report holds a baselined finding, the one sign that a baseline was
 * used; without it, "new" would claim a comparison that never happened. Diagnostics and undecided
 * checks are tool execution notifications. Nothing beyond the report's findings is written: no entity
 * data, so no secret value. Texts meant for people (messages, descriptions, justifications) show the
 * control characters of input values as escapes, as the text output does; data (logical locations,
 * properties) keeps the exact values, in JSON escapes.
 */
export function renderSarif(report: ScanReport): string {
  const rules = policiesOf(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const baselineUsed = report.findings.some((finding) => finding.baselined);
  // Notification descriptors: the diagnostic codes met, in order, then undecided checks.
  const descriptorIds = [...new Set<NotificationId>([...report.diagnostics.map((diagnostic) => diagnostic.code), ...(report.unevaluated.length > 0 ? [UNEVALUATED] : [])])];
  const descriptor = (id: NotificationId): Json => ({ id, index: descriptorIds.indexOf(id) });
  const notifications = [
    ...report.diagnostics.map((diagnostic) => diagnosticNotification(diagnostic, descriptor(diagnostic.code))),
    ...report.unevaluated.map((check) => uncheckedNotification(check, descriptor(UNEVALUATED), ruleIndex.get(check.policyId))),
  ];

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map(ruleOf),
            ...(descriptorIds.length > 0
              ? { notifications: descriptorIds.map((id) => ({ id, shortDescription: { text: NOTIFICATION_DESCRIPTIONS[id] ?? id } })) }
              : {}),
          },
        },
        invocations: [{ executionSuccessful: !report.summary.incomplete, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        originalUriBaseIds: { [SARIF_SRCROOT]: { uri: directoryUri(report.scanRoot) } },
        results: report.findings.map((finding) => resultOf(finding, ruleIndex.get(finding.policyId), baselineUsed)),
      },
    ],
  };
  return `${stringifyJson(sarif)}\n`;
}

function ruleOf(policy: ReportPolicy): Json {
  const frameworkTags = Object.entries(policy.frameworks).flatMap(([framework, controls]) => controls.map((control) => `${framework}/${control}`));
  const { references } = policy;
  // Policies of --policies are input too: their texts are escaped like any other value.
  // A policy with remediation per provider shows every provider's text, labelled: a rule covers all of them.
  const remediation = remediationEntries(policy);
  const remediationText = remediation.length === 1 && remediation[0]!.label === undefined ? `Remediation: ${escapeControl(policy.remediation)}` : `Remediation:\n${remediation.map((entry) => `- ${entry.label}: ${escapeControl(entry.text)}`).join('\n')}`;
  const remediationMarkdown =
    remediation.length === 1 && remediation[0]!.label === undefined
      ? `**Remediation:** ${escapeMarkdown(policy.remediation)}`
      : `**Remediation:**\n\n${remediation.map((entry) => `- **${entry.label}:** ${escapeMarkdown(entry.text)}`).join('\n')}`;
  const helpText = [escapeControl(policy.description), remediationText, ...(references.length > 0 ? [`References:\n${references.map((reference) => `- ${escapeControl(reference)}`).join('\n')}`] : [])].join('\n\n');
  const helpMarkdown = [
    // Descriptions are prose that mentions XML (`<base/>`) and wildcards ("*"): escaped, they render as written.
    escapeMarkdown(policy.description),
    remediationMarkdown,
    ...(references.length > 0 ? [`**References:**\n\n${references.map((reference) => `- ${markdownDestination(reference)}`).join('\n')}`] : []),
  ].join('\n\n');
  return {
    id: policy.id,
    name: pascalCase(policy.id),
    shortDescription: { text: escapeControl(policy.title) },
    fullDescription: { text: escapeControl(policy.description) },
    ...(references[0] !== undefined ? { helpUri: references[0] } : {}),
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: SARIF_LEVEL[policy.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[policy.severity],
      tags: ['security', policy.category, ...frameworkTags],
      precision: 'high',
      severity: policy.severity,
      builtIn: policy.builtIn,
    },
  };
}

function resultOf(finding: Finding, ruleIndex: number | undefined, baselineUsed: boolean): Json {
  const { location, origin } = finding;
  const live = origin.format === 'live' || !isFileLocation(location);
  const properties: Json = {
    severity: finding.severity,
    provider: finding.provider,
    entityKind: finding.entityKind,
    format: origin.format,
    ...(finding.routeKey !== undefined ? { routeKey: finding.routeKey } : {}),
    ...(finding.construct !== undefined ? { construct: finding.construct } : {}),
    ...(finding.standIn !== undefined ? { standIn: finding.standIn } : {}),
    // The routes a finding on a setting stands for, each with the fingerprint its own finding had.
    ...(finding.routes !== undefined
      ? {
          routes: finding.routes.map((route) => ({
            entityId: route.entityId,
            address: route.address,
            routeKey: route.routeKey,
            ...(route.method !== undefined ? { method: route.method } : {}),
            ...(route.path !== undefined ? { path: route.path } : {}),
            ...(isFileLocation(route.location) ? { file: route.location.file, startLine: route.location.startLine } : {}),
            fingerprint: route.fingerprint,
          })),
        }
      : {}),
    ...(location.pointer !== undefined ? { pointer: location.pointer } : {}),
    ...(location.url !== undefined ? { url: location.url } : {}),
    ...(origin.account !== undefined ? { account: origin.account } : {}),
    ...(origin.region !== undefined ? { region: origin.region } : {}),
  };
  return {
    ruleId: finding.policyId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SARIF_LEVEL[finding.severity],
    message: { text: escapeControl(`${finding.message} (${entityLabel(finding)})${standInSuffix(finding)}`) },
    locations: [
      {
        // A live resource has no file: its ARN is a logical location only, never an artifact URI.
        ...(live ? {} : { physicalLocation: physicalLocationOf(location) }),
        logicalLocations: [{ fullyQualifiedName: finding.address, kind: 'resource' }],
      },
    ],
    ...relatedLocationsOf(finding),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.suppressed ? { suppressions: [suppressionOf(finding.suppressed)] } : {}),
    ...(baselineUsed ? { baselineState: finding.baselined ? 'unchanged' : 'new' } : {}),
    properties,
  };
}

/** Other places bearing on a finding (the module line that reads a literal), as SARIF `relatedLocations`. */
function relatedLocationsOf(finding: Finding): Json {
  const related = (finding.related ?? []).filter((place) => isFileLocation(place.location));
  if (related.length === 0) return {};
  return {
    relatedLocations: related.map((place, index) => ({ id: index + 1, physicalLocation: physicalLocationOf(place.location), message: { text: escapeControl(place.message) } })),
  };
}

function suppressionOf(suppression: FindingSuppression): Json {
  return {
    kind: suppression.kind === 'config' ? 'external' : 'inSource',
    status: 'accepted',
    ...(suppression.reason !== undefined ? { justification: escapeControl(suppression.reason) } : {}),
    ...(isFileLocation(suppression.location) ? { location: { physicalLocation: physicalLocationOf(suppression.location) } } : {}),
    ...(suppression.until !== undefined ? { properties: { until: suppression.until } } : {}),
  };
}

function diagnosticNotification(diagnostic: Diagnostic, descriptor: Json): Json {
  const { location } = diagnostic;
  const locations: Json[] = [];
  if (location && isFileLocation(location)) {
    locations.push({ physicalLocation: physicalLocationOf(location), ...(diagnostic.address !== undefined ? { logicalLocations: [{ fullyQualifiedName: diagnostic.address, kind: 'resource' }] } : {}) });
  } else if (location || diagnostic.address !== undefined) {
    locations.push({ logicalLocations: [{ fullyQualifiedName: diagnostic.address ?? location!.file, kind: 'resource' }] });
  }
  return {
    descriptor,
    level: DIAGNOSTIC_LEVEL[diagnostic.severity],
    message: { text: escapeControl(diagnostic.message) },
    ...(locations.length > 0 ? { locations } : {}),
  };
}

/**
 * An undecided check: a warning, because the scan is incomplete without it. The notification's
 * descriptor says what happened (`unevaluated-check`); `associatedRule` names the policy, which is
 * what SARIF provides that field for.
 */
function uncheckedNotification(check: UnevaluatedCheck, descriptor: Json, ruleIndex: number | undefined): Json {
  return {
    descriptor,
    associatedRule: { id: check.policyId, ...(ruleIndex !== undefined ? { index: ruleIndex } : {}) },
    level: 'warning',
    message: { text: escapeControl(`${check.policyId} could not be decided on ${entityLabel(check)}${standInSuffix(check)}: ${check.reason}`) },
    locations: [
      {
        ...(isFileLocation(check.location) ? { physicalLocation: physicalLocationOf(check.location) } : {}),
        logicalLocations: [{ fullyQualifiedName: check.address, kind: 'resource' }],
      },
    ],
  };
}

function physicalLocationOf(location: SourceLocation): Json {
  const { startLine, startColumn, endLine, endColumn } = lineRange(location);
  return {
    artifactLocation: artifactLocationOf(location.file),
    region: {
      startLine,
      ...(startColumn !== undefined ? { startColumn } : {}),
      endLine,
      ...(endColumn !== undefined ? { endColumn } : {}),
    },
  };
}

/**
 * Report paths are relative to the scan root with `/` separators, which is what `%SRCROOT%` resolves.
 * Each segment is percent-encoded so that a space or a colon does not make an invalid or absolute URI.
 * A path with no relative form (another drive on Windows) is an absolute `file:` URI instead.
 */
function artifactLocationOf(file: string): Json {
  if (/^([A-Za-z]:)?[\\/]/.test(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SARIF_SRCROOT };
}

/** `originalUriBaseIds` needs an absolute URI ending with a slash, or relative URIs resolve to its parent. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
