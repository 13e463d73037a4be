import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { childElements, parseXml, type XmlElement, type XmlPosition } from '../../../src/sources/apim-policy/xml.js';

/** The four scopes APIM policies inherit through, outermost first. */
export const POLICY_SCOPES = ['global', 'product', 'api', 'operation'] as const;
/** One of {@link POLICY_SCOPES}. */
export type PolicyScope = (typeof POLICY_SCOPES)[number];

/** The sections of a policy document, in the order a request meets them. */
export type PolicySection = 'inbound' | 'backend' | 'outbound' | 'on-error';

/** A policy as the source declares it: its XML text, or a link to it, and where it is written. */
export interface PolicyText {
  /** The XML (`xml_content`, ARM `value` with format `xml`/`rawxml`); unknown when it cannot be resolved. */
  readonly xml?: Maybe<string>;
  /** Set when the policy is fetched from a URL at deployment (`xml_link`, `rawxml-link`). */
  readonly link?: Maybe<string>;
  /** The policy resource, or its XML attribute. */
  readonly location: SourceLocation;
  /** Where line 1 of the XML is, when the XML's lines are a file's lines (a heredoc, `file()`). */
  readonly lines?: { readonly file: string; readonly firstLine: number } | undefined;
}

/** A policy document of one scope, parsed, with its elements' positions mapped to source lines. */
export interface PolicyDocument {
  readonly scope: PolicyScope;
  /** Names the scope for people: `the global policy`, `product gold`, `API orders`, `operation get-order`. */
  readonly label: string;
  /** The address of the resource that declares the policy. */
  readonly address: string;
  /** The `<policies>` element; absent when the document could not be read. */
  readonly root?: XmlElement;
  /** Why the document cannot be read (a link, an unresolved value, XML that is not well formed). */
  readonly unknown?: Unknown;
  /** Where the policy is declared. */
  readonly location: SourceLocation;
  /** Where a position inside the XML is in the source. */
  at(position: XmlPosition): SourceLocation;
}

/**
 * Parses one scope's policy. A linked policy, an unresolved value, an empty document or XML that is
 * not well formed is reported and becomes an unknown document: the effective policy of every
 * operation under it is then partly unknown, never assumed empty.
 */
export function readPolicyDocument(scope: PolicyScope, label: string, text: PolicyText, address: string): { document: PolicyDocument; diagnostics: Diagnostic[] } {
  const at = (position: XmlPosition): SourceLocation =>
    text.lines
      ? { file: text.lines.file, startLine: text.lines.firstLine + position.line - 1, startColumn: position.column, endLine: text.lines.firstLine + position.line - 1, endColumn: position.column }
      : text.location;
  const base = { scope, label, address, location: text.location, at };
  const unknown = (reason: string, diagnostic?: Omit<Diagnostic, 'address'>): { document: PolicyDocument; diagnostics: Diagnostic[] } => ({
    document: { ...base, unknown: new Unknown(reason) },
    diagnostics: diagnostic ? [{ ...diagnostic, address }] : [],
  });
  if (text.link !== undefined) {
    const shown = typeof text.link === 'string' ? linkShown(text.link) : undefined;
    const url = shown !== undefined ? ` (${shown})` : '';
    return unknown(`the policy of ${label} is fetched from a URL at deployment${url}`, {
      severity: 'warning',
      code: 'not-scanned',
      message: `the policy of ${label} is linked${url}, so gatewarden cannot read it; what it enforces is unknown. Put the XML in the configuration (xml_content, format rawxml) to have it checked`,
      location: text.location,
    });
  }
  if (text.xml instanceof Unknown) {
    return unknown(`the policy of ${label} cannot be resolved: ${text.xml.reason}`, {
      severity: 'warning',
      code: 'unresolved',
      message: `the policy of ${label} cannot be resolved (${text.xml.reason}); what it enforces is unknown`,
      location: text.location,
    });
  }
  if (text.xml === undefined || text.xml.trim() === '') {
    return unknown(`the policy of ${label} is empty`, {
      severity: 'warning',
      code: 'unsupported',
      message: `the policy of ${label} is empty; API Management needs a <policies> document, so what it enforces is unknown`,
      location: text.location,
    });
  }
  const parsed = parseXml(text.xml);
  if (!parsed.root) {
    const problem = parsed.problems[0];
    const where = problem ? at({ offset: 0, line: problem.line, column: problem.column }) : text.location;
    return unknown(`the policy of ${label} is not well-formed XML`, {
      severity: 'error',
      code: 'parse-error',
      message: `the policy of ${label} is not well-formed XML: ${problem?.message ?? 'it could not be parsed'}; it was not checked`,
      location: where,
    });
  }
  const deep = tooDeep(parsed.root);
  if (deep) {
    return unknown(`the policy of ${label} nests its elements more than ${MAX_POLICY_DEPTH} deep`, {
      severity: 'error',
      code: 'parse-error',
      message: `the policy of ${label} nests its elements more than ${MAX_POLICY_DEPTH} deep (an element at line ${deep.start.line} is inside ${MAX_POLICY_DEPTH} others); it was not checked, and what it enforces is unknown`,
      location: at(deep.start),
    });
  }
  if (parsed.root.name !== 'policies' && parsed.root.name !== 'fragment') {
    return unknown(`the policy of ${label} is not a <policies> document`, {
      severity: 'error',
      code: 'parse-error',
      message: `the policy of ${label} starts with <${parsed.root.name}>, not <policies>; it was not checked`,
      location: at(parsed.root.start),
    });
  }
  return { document: { ...base, root: parsed.root }, diagnostics: [] };
}

/**
 * A policy link as reports may show it: scheme, host and path. Links point at blob storage with a
 * SAS token (`?sv=...&sig=...`) or carry `user:password@`, and every unknown that follows from the
 * policy quotes this text in every output; the query, fragment and user info are left out. A link
 * that is not a URL is not shown at all: its text may be anything.
 */
export function linkShown(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  // The user info is dropped without a mark (the host says where the policy is); a query is marked, so
  // that the link is not taken for one that needs none.
  return `${url.protocol}//${url.host}${url.pathname}${url.search !== '' || url.hash !== '' ? '?[redacted]' : ''}`;
}

/**
 * How deep a policy's elements may nest. The parser keeps its own stack, but the checks walk the
 * elements recursively: a document of 200,000 nested `<choose>` (a few megabytes) overflowed the call
 * stack and lost every policy of its scan unit (an APIOps folder, an ARM template). Real policies
 * nest `<choose>`, `<when>` and `<retry>` a few levels; 200 is the depth limit of JSON and YAML values.
 */
export const MAX_POLICY_DEPTH = 200;

/** The first element nested deeper than {@link MAX_POLICY_DEPTH}, found without recursion. */
function tooDeep(root: XmlElement): XmlElement | undefined {
  const stack: Array<{ element: XmlElement; depth: number }> = [{ element: root, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.depth > MAX_POLICY_DEPTH) return next.element;
    for (const child of next.element.children) if (child.kind === 'element') stack.push({ element: child, depth: next.depth + 1 });
  }
  return undefined;
}

/** A section of a document (`<inbound>`), or undefined when the document has none. */
export function sectionOf(document: PolicyDocument, section: PolicySection): XmlElement | undefined {
  return document.root ? childElements(document.root, section)[0] : undefined;
}
