import type { RouteCache } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { attribute, childElements, textContent, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { PolicyDocument } from './document.js';
import type { EffectiveItem } from './effective.js';
import { substitute, takenBranch, type Located, type NamedValues, type RequestFacts } from './semantics.js';

/** The elements that check a caller's token, and where each reads it from by default. */
const TOKEN_CHECKS: Readonly<Record<string, string | undefined>> = {
  'validate-jwt': undefined,
  'validate-azure-ad-token': 'Authorization',
};

/** Where the caller's credential travels: a header or a query parameter. */
interface CredentialSource {
  readonly header?: string;
  readonly query?: string;
}

/**
 * Whether the effective inbound policy serves cached responses to the route's authenticated
 * callers, and what the cache key holds. A `cache-lookup` keys responses on the URL, plus the
 * headers (`vary-by-header`) and query parameters (`vary-by-query-parameter`) it lists, plus the
 * subscription's developer with `vary-by-developer="true"` (or their groups). By default a request
 * that carries an `Authorization` header is not cached at all (`allow-private-response-caching`
 * is false): then a token in that header keeps the caller's responses out of the cache, and the
 * route is not cached for them (undefined). The caller is in the key when the developer is, or the
 * header or query parameter the token checks read their token from.
 * Unknown when the lookup runs under a `<choose>` the request method does not decide, or an
 * attribute is a policy expression. Parts of the policy that cannot be read are not searched.
 * @see https://learn.microsoft.com/azure/api-management/cache-lookup-policy
 */
export function policyCache(items: readonly EffectiveItem[], request: RequestFacts, namedValues: NamedValues): Located<Maybe<RouteCache>> | undefined {
  const credentials: CredentialSource[] = [];
  let lookup: { element: XmlElement; document: PolicyDocument } | undefined;
  let uncertain: Located<Unknown> | undefined;
  const visit = (element: XmlElement, document: PolicyDocument, depth: number): void => {
    if (element.name in TOKEN_CHECKS) credentials.push(credentialSource(element, TOKEN_CHECKS[element.name]));
    else if (element.name === 'cache-lookup') lookup ??= { element, document };
    else if (element.name === 'choose' && depth < 8) {
      const taken = takenBranch(element, request);
      if (taken === null) return;
      if (taken !== undefined) {
        for (const child of childElements(taken)) visit(child, document, depth + 1);
        return;
      }
      const anyLookup = [...childElements(element, 'when'), ...childElements(element, 'otherwise')].some((branch) => childElements(branch, 'cache-lookup').length > 0);
      if (anyLookup) uncertain ??= { value: new Unknown(`the cache-lookup in the policy of ${document.label} runs only under some <choose> conditions`), location: document.at(element.start) };
    }
  };
  // A part of the policy that cannot be read could hold a cache-lookup too; it is not made an
  // unknown here: other checks already leave the route unknown for it, and caching is rare enough
  // that every token-checked operation of such a service turning unknown would be noise.
  for (const item of items) if (item.kind === 'element') visit(item.element, item.document, 0);
  if (!lookup) return uncertain;
  const { element, document } = lookup;
  const location = document.at(element.start);
  const flagOf = (name: string): Maybe<boolean> => {
    const raw = attribute(element, name);
    if (raw === undefined) return false;
    const value = substitute(raw, namedValues);
    if (value instanceof Unknown) return value;
    if (value.trim().startsWith('@')) return new Unknown(`${name} of <cache-lookup> is a policy expression, computed per request`);
    return value.trim().toLowerCase() === 'true';
  };
  const headers = childElements(element, 'vary-by-header').map((child) => textContent(child).trim());
  const queries = childElements(element, 'vary-by-query-parameter').map((child) => textContent(child).trim());
  const stage = `the cache-lookup of ${document.label}`;
  const byDeveloper = flagOf('vary-by-developer');
  if (byDeveloper === true) return { value: { stage, keyParameters: [...headers, ...queries.map((query) => `?${query}`)], keyIncludesCaller: true }, location };
  const privateCaching = flagOf('allow-private-response-caching');
  const inAuthorization = credentials.length > 0 && credentials.every((source) => /^authorization$/i.test(source.header ?? ''));
  // Requests with an Authorization header bypass the cache unless private caching is allowed.
  if (inAuthorization && privateCaching === false) return undefined;
  const keyed = credentials.length === 0 ? headers.some((header) => /^authorization$/i.test(header)) : credentials.every((source) =>
    source.header !== undefined ? headers.some((header) => header.toLowerCase() === source.header!.toLowerCase()) : source.query !== undefined && queries.includes(source.query),
  );
  const unknownFlag = [byDeveloper, inAuthorization ? privateCaching : false].find((value) => value instanceof Unknown) as Unknown | undefined;
  return { value: { stage, keyParameters: [...headers, ...queries.map((query) => `?${query}`)], keyIncludesCaller: keyed ? true : (unknownFlag ?? false) }, location };
}

/** Where a token check reads the token: its header-name, its query-parameter-name, else the default. */
function credentialSource(element: XmlElement, defaultHeader: string | undefined): CredentialSource {
  const header = attribute(element, 'header-name');
  if (header !== undefined) return { header: header.trim() };
  const query = attribute(element, 'query-parameter-name');
  if (query !== undefined) return { query: query.trim() };
  // token-value reads an expression: nothing a cache key could vary by.
  return defaultHeader !== undefined ? { header: defaultHeader } : {};
}
