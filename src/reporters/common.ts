import { escapeControl, UNSAFE_CHARACTERS } from '../escape.js';
import { STAND_IN_NOTES, type EntityKind, type RelatedLocation, type StandIn } from '../model/entities.js';
import type { SourceLocation } from '../model/location.js';
import type { UnevaluatedRoute } from '../model/findings.js';
import type { ReportPolicy, ScanReport } from '../report/report.js';

/**
 * True when a location is a file in the scanned tree. A resource read from a live account has its ARN
 * in `file` and a console link in `url`; pointing a CI system at that "file" would be wrong.
 */
export function isFileLocation(location: SourceLocation): boolean {
  return location.url === undefined;
}

/**
 * Names the entity of a finding or check: its address, then its route in brackets unless the address
 * already ends with it (routes from an OpenAPI body are addressed `api/GET /users`).
 */
export function entityLabel(entity: { readonly address: string; readonly routeKey?: string }): string {
  const { address, routeKey } = entity;
  return routeKey !== undefined && !address.endsWith(routeKey) ? `${address} [${routeKey}]` : address;
}

/** `file:line` for a file, the ARN alone for a live resource (it has no lines). */
export function where(location: SourceLocation): string {
  return isFileLocation(location) ? `${location.file}:${Math.max(1, location.startLine)}` : location.file;
}

/**
 * A location's lines and columns as SARIF regions and GitHub annotations want them: 1-based, never
 * line 0, columns only where they say something.
 */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
  /** Absent for a range that starts at the beginning of its line. */
  readonly startColumn?: number;
  /** Exclusive; absent for a range that runs to the end of `endLine`. */
  readonly endColumn?: number;
}

/**
 * Normalises a location to a {@link LineRange}. Adapters often end a block at column 1 of the line
 * after it (the end column is exclusive); that range really ends with the line before, so it becomes
 * "to the end of the previous line" instead of pulling an extra line into the annotation. A zero-width
 * or inverted range on one line (a pointer into a one-line plan) keeps its start only.
 */
export function lineRange(location: SourceLocation): LineRange {
  const startLine = Math.max(1, location.startLine);
  let endLine = Math.max(startLine, location.endLine);
  let endColumn: number | undefined = location.endColumn;
  if (endLine > startLine && endColumn <= 1) {
    endLine--;
    endColumn = undefined;
  }
  const startColumn = location.startColumn > 1 ? location.startColumn : undefined;
  if (endColumn !== undefined && (endColumn <= 1 || (endLine === startLine && endColumn <= (startColumn ?? 1)))) endColumn = undefined;
  return { startLine, endLine, ...(startColumn !== undefined ? { startColumn } : {}), ...(endColumn !== undefined ? { endColumn } : {}) };
}

/** Turns `route-requires-auth` into `RouteRequiresAuth`, the form SARIF rule names take. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** An invisible break that GitHub's autolinks and mentions do not cross; an entity, so the source shows it. */
const ZERO_WIDTH_SPACE = '&#8203;';

/**
 * Escapes text for Markdown so that it renders as written: no emphasis, code, links, HTML or table
 * breaks from a resource name or a message. Control characters are shown as escapes first
 * ({@link escapeControl}: a line break becomes `\n`, since table cells and list items are one line).
 * Only what is special inline is escaped (parentheses mean nothing once `[` is escaped), plus a start
 * that would open a heading, list or quote. GitHub also links bare URLs, `www.` names, `@mentions`
 * (which notify people) and `#123` references: a zero-width space after `@`, before `://` and inside
 * `www.` and `#1` keeps them text, as Renovate does in its pull request bodies.
 */
export function escapeMarkdown(text: string): string {
  return escapeControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/^(\s*)([#+\-=]|\d+[.)])/, '$1\\$2')
    // `#` first: the entity that the others insert has a `#` and a digit itself.
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `${ZERO_WIDTH_SPACE}://`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * A URL as a Markdown link destination: in angle brackets, which allow any URL, with the characters
 * that would end them (or split a table cell) and control characters percent-encoded.
 */
export function markdownDestination(url: string): string {
  return `<${url.replace(/[<>\s|]/g, (character) => encodeURIComponent(character)).replace(UNSAFE_CHARACTERS, (character) => encodeURIComponent(character))}>`;
}

/**
 * The report's policies, then a stand-in for any policy a finding names that the list lacks (built
 * from the finding), so that SARIF rule references and JUnit suites always resolve.
 */
export function policiesOf(report: ScanReport): ReportPolicy[] {
  const policies = [...report.policies];
  const known = new Set(policies.map((policy) => policy.id));
  for (const finding of report.findings) {
    if (known.has(finding.policyId)) continue;
    known.add(finding.policyId);
    policies.push({ id: finding.policyId, title: finding.title, severity: finding.severity, category: finding.category, description: finding.title, remediation: finding.remediation, references: [], frameworks: {}, builtIn: false });
  }
  return policies;
}

/**
 * What a report writes after the entity of a finding or check that stands for routes or an API the
 * scan does not show: ` (stands for the API's routes, which are not in the scanned configuration)`,
 * or nothing. A reader must see that the finding is about what was written, not about a route seen.
 */
export function standInSuffix(entity: { readonly standIn?: StandIn }): string {
  const note = standInNote(entity);
  return note === undefined ? '' : ` (${note})`;
}

/** The note of {@link standInSuffix} alone, or undefined for an entity that stands for itself. */
export function standInNote(entity: { readonly standIn?: StandIn }): string | undefined {
  return entity.standIn === undefined ? undefined : STAND_IN_NOTES[entity.standIn];
}

/** `also at main.tf:12: passed to module "api" here`, one per related location of a finding. */
export function relatedLines(finding: { readonly related?: readonly RelatedLocation[] }): string[] {
  return (finding.related ?? []).map((related) => `also at ${where(related.location)}: ${related.message}`);
}

/** How many routes of a grouped finding text reports list before "and N more". */
export const ROUTES_LISTED = 10;

/**
 * `affects GET /orders (aws_api_gateway_method.list_orders at main.tf:19)`, one per route a grouped
 * finding stands for (see `Finding.routes`), the first {@link ROUTES_LISTED}, then how many more; the
 * JSON and SARIF reports list them all.
 */
export function routeLines(finding: { readonly routes?: readonly UnevaluatedRoute[]; readonly entityKind?: EntityKind }): string[] {
  const routes = finding.routes ?? [];
  const lines = routes.slice(0, ROUTES_LISTED).map((route) => `affects ${route.routeKey} (${route.address} at ${where(route.location)})`);
  // A finding on a gateway (an API Management service) stands for APIs, not routes.
  const members = finding.entityKind === 'gateway' ? 'APIs' : 'routes';
  if (routes.length > ROUTES_LISTED) lines.push(`affects ${routes.length - ROUTES_LISTED} more ${members} (listed in the JSON and SARIF reports)`);
  return lines;
}
