import type { AuthKind, RateLimit } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { attribute, childElements, textContent, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { PolicyDocument } from './document.js';
import type { EffectiveItem } from './effective.js';

/** Named values (`{{name}}` in policies), by name; unknown when their value cannot be resolved. */
export type NamedValues = ReadonlyMap<string, Maybe<string>>;

/** A setting read from the effective policy, with the element that decides it. */
export interface Located<T> {
  readonly value: T;
  readonly location: SourceLocation;
}

/**
 * Caller authentication enforced by policy elements. `validate-jwt` and `validate-azure-ad-token`
 * check a token (identity); `validate-client-certificate` a client certificate. `check-header` on a
 * credential header compares a static shared secret: HTTP basic credentials when the header is
 * `Authorization` and every value allowed is `Basic ...`, an API key otherwise. `authentication-*`
 * policies authenticate the gateway to the backend, not the caller, so they do not count.
 * @see https://learn.microsoft.com/azure/api-management/api-management-policies#authentication-and-authorization
 */
const CALLER_AUTH: Readonly<Record<string, AuthKind>> = {
  'validate-jwt': 'jwt',
  'validate-azure-ad-token': 'jwt',
  'validate-client-certificate': 'mtls',
};
/**
 * Headers whose value is a credential: `Authorization`, `Ocp-Apim-Subscription-Key`, `x-api-key`,
 * `x-functions-key` and other `...-key` headers, and those naming a token, secret or password.
 */
export const CREDENTIAL_HEADER = /authorization|api[-_]?key|(^|[-_])key$|subscription[-_]?key|token|secret|password|passwd|credential|signature/i;

/** A `validate-jwt` element that decides a route's authentication, and the document it is in. */
export interface JwtCheck {
  readonly element: XmlElement;
  readonly document: PolicyDocument;
}

/** Caller authentication with where it is decided and, for `validate-jwt`, the element that checks the token. */
export type LocatedCallerAuth = Located<Maybe<AuthKind>> & { readonly jwt?: JwtCheck };

/**
 * What a `validate-jwt` element checks of a token: the issuers and audiences it lists (named values
 * resolved; unknown when one cannot be), whether the signing keys are pinned by an `openid-config`
 * or `issuer-signing-keys` (then only that provider's tokens verify, whatever their `iss`), and
 * whether unsigned tokens are accepted (`require-signed-tokens="false"`).
 * @see https://learn.microsoft.com/azure/api-management/validate-jwt-policy
 */
export function readValidateJwt(check: JwtCheck, namedValues: NamedValues): { issuers: Maybe<string[]>; audiences: Maybe<string[]>; keysPinnedBy: string | undefined; unsignedAccepted: boolean } {
  const list = (container: string, item: string): Maybe<string[]> => {
    const values: string[] = [];
    for (const parent of childElements(check.element, container)) {
      for (const child of childElements(parent, item)) {
        const value = substitute(textContent(child).trim(), namedValues);
        if (value instanceof Unknown) return value;
        if (value !== '') values.push(value);
      }
    }
    return values;
  };
  return {
    issuers: list('issuers', 'issuer'),
    audiences: list('audiences', 'audience'),
    keysPinnedBy:
      childElements(check.element, 'openid-config').map((config) => `the signing keys of ${attribute(config, 'url') ?? 'its openid-config'}`)[0] ??
      (childElements(check.element, 'issuer-signing-keys').length > 0 ? 'its issuer-signing-keys' : undefined),
    unsignedAccepted: (attribute(check.element, 'require-signed-tokens') ?? 'true').trim().toLowerCase() === 'false',
  };
}

/** What is known of the request an effective policy runs for: its method decides many `<choose>` conditions. */
export interface RequestFacts {
  readonly method?: string;
}

/** Static shared credentials: weaker than identity, so a stronger check later in the policy decides. */
const STATIC_CREDENTIALS: ReadonlySet<AuthKind> = new Set(['api-key', 'basic']);

/**
 * The authentication the policy elements enforce: a kind, `undefined` for none, or unknown.
 * `namedValues` resolve `{{name}}` in the values a `check-header` compares.
 */
export function policyAuth(items: readonly EffectiveItem[], request: RequestFacts = {}, namedValues: NamedValues = new Map()): (Located<Maybe<AuthKind> | undefined> & { readonly jwt?: JwtCheck }) | undefined {
  let weak: Located<AuthKind> | undefined;
  let uncertain: Located<Unknown> | undefined;
  for (const item of items) {
    if (item.kind === 'unknown') {
      uncertain ??= { value: item.reason, location: item.location };
      continue;
    }
    const decided = elementAuth(item.element, item.document, 0, { ...request, namedValues });
    if (decided === undefined) continue;
    if (decided.value instanceof Unknown) uncertain ??= decided as Located<Unknown>;
    else if (STATIC_CREDENTIALS.has(decided.value)) weak ??= decided as Located<AuthKind>;
    else return decided;
  }
  if (uncertain) return uncertain;
  return weak;
}

function elementAuth(element: XmlElement, document: PolicyDocument, depth: number, request: RequestFacts & { readonly namedValues: NamedValues }): LocatedCallerAuth | undefined {
  const location = document.at(element.start);
  const kind = CALLER_AUTH[element.name];
  if (kind) return element.name === 'validate-jwt' ? { value: kind, location, jwt: { element, document } } : { value: kind, location };
  if (element.name === 'check-header') {
    const header = attribute(element, 'name') ?? '';
    const values = childElements(element, 'value');
    if (!CREDENTIAL_HEADER.test(header.trim()) || values.length === 0) return undefined;
    return { value: /^authorization$/i.test(header.trim()) && values.every((value) => isBasicCredential(textContent(value), request.namedValues)) ? 'basic' : 'api-key', location };
  }
  if (element.name === 'choose' && depth < 8) {
    const branchAuth = (branch: XmlElement): LocatedCallerAuth | undefined =>
      childElements(branch)
        .map((child) => elementAuth(child, document, depth + 1, request))
        .find((found) => found !== undefined);
    // A branch chosen by the request method alone is decided for this operation.
    const taken = takenBranch(element, request);
    if (taken !== undefined) return taken === null ? undefined : branchAuth(taken);
    // Otherwise authentication holds only if every branch, the otherwise branch included, has it.
    const branches = [...childElements(element, 'when'), ...childElements(element, 'otherwise')];
    const decided = branches.map(branchAuth);
    if (decided.every((found) => found === undefined)) return undefined;
    const hasOtherwise = childElements(element, 'otherwise').length > 0;
    const strong = decided.filter((found) => found !== undefined && !(found.value instanceof Unknown) && !STATIC_CREDENTIALS.has(found.value));
    if (hasOtherwise && strong.length === decided.length) return strong[0];
    return { value: new Unknown(`caller authentication in the policy of ${document.label} runs only under some <choose> conditions`), location };
  }
  return undefined;
}

/**
 * Whether an `Authorization` value a `check-header` allows is HTTP basic credentials (`Basic
 * dXNlcjpwYXNz`), with `{{named values}}` resolved. A value that cannot be resolved is not claimed
 * to be basic: it is a static credential either way.
 * @see https://www.rfc-editor.org/rfc/rfc7617
 */
function isBasicCredential(text: string, namedValues: NamedValues): boolean {
  const value = substitute(text, namedValues);
  return typeof value === 'string' && /^\s*basic\s+\S/i.test(value);
}

/**
 * The branch of a `<choose>` that runs, when every condition before it only tests the request
 * method (`@(context.Request.Method == "GET")`, with `!=`, `||`, `&&`): the element, `null` when no
 * branch runs, or undefined when a condition depends on anything else.
 */
export function takenBranch(choose: XmlElement, request: RequestFacts): XmlElement | null | undefined {
  if (request.method === undefined) return undefined;
  for (const when of childElements(choose, 'when')) {
    const holds = methodCondition(attribute(when, 'condition') ?? '', request.method);
    if (holds === undefined) return undefined;
    if (holds) return when;
  }
  return childElements(choose, 'otherwise')[0] ?? null;
}

const METHOD_TEST = /^\(?\s*context\.Request\.Method(?:\.ToUpper(?:Invariant)?\(\))?\s*(==|!=)\s*"([A-Za-z]+)"\s*\)?$/;

function methodCondition(condition: string, method: string): boolean | undefined {
  const expression = condition.trim().replace(/^@\((.*)\)$/s, '$1').trim();
  const test = (term: string): boolean | undefined => {
    const match = METHOD_TEST.exec(term.trim());
    if (!match) return undefined;
    const equal = match[2]!.toUpperCase() === method.toUpperCase();
    return match[1] === '==' ? equal : !equal;
  };
  for (const [separator, combine] of [
    ['||', (values: boolean[]) => values.some(Boolean)],
    ['&&', (values: boolean[]) => values.every(Boolean)],
  ] as const) {
    if (!expression.includes(separator)) continue;
    const values = expression.split(separator).map(test);
    return values.some((value) => value === undefined) ? undefined : combine(values as boolean[]);
  }
  return test(expression);
}

const RATE_ELEMENTS = new Set(['rate-limit', 'rate-limit-by-key']);
const QUOTA_ELEMENTS = new Set(['quota', 'quota-by-key']);

/**
 * The rate limit the policy enforces: the strictest unconditional `rate-limit`/`rate-limit-by-key`
 * (calls per renewal period, as requests per second and a burst of `calls`), with a `quota` when one
 * is set. A quota alone also bounds consumption and counts. Undefined when nothing limits calls.
 */
export function policyRateLimit(items: readonly EffectiveItem[], namedValues: NamedValues): Located<Maybe<RateLimit>> | undefined {
  let best: Located<RateLimit> | undefined;
  let quota: Located<RateLimit> | undefined;
  let uncertain: Located<Unknown> | undefined;
  for (const item of items) {
    if (item.kind === 'unknown') {
      uncertain ??= { value: item.reason, location: item.location };
      continue;
    }
    const { element, document } = item;
    const location = document.at(element.start);
    if (RATE_ELEMENTS.has(element.name)) {
      const limit = callsPerPeriod(element, namedValues);
      if (limit instanceof Unknown) uncertain ??= { value: limit, location };
      else if (!best || (limit.rateLimit as number) < (best.value.rateLimit as number)) best = { value: limit, location };
    } else if (QUOTA_ELEMENTS.has(element.name)) {
      const limit = callsPerPeriod(element, namedValues);
      if (!(limit instanceof Unknown)) quota ??= { value: limit, location };
    } else if (element.name === 'choose' && childElements(element).some((branch) => childElements(branch).some((child) => RATE_ELEMENTS.has(child.name)))) {
      uncertain ??= { value: new Unknown(`the rate limit in the policy of ${document.label} applies only under some <choose> conditions`), location };
    }
  }
  if (best && quota?.value.quota) return { value: { ...best.value, quota: quota.value.quota }, location: best.location };
  if (best) return best;
  if (uncertain) return uncertain;
  return quota;
}

/** `calls` per `renewal-period` seconds as a rate; `{{named values}}` resolved. */
function callsPerPeriod(element: XmlElement, namedValues: NamedValues): Maybe<RateLimit> {
  const calls = numberAttribute(element, 'calls', namedValues);
  const period = numberAttribute(element, 'renewal-period', namedValues);
  if (calls instanceof Unknown) return calls;
  if (period instanceof Unknown) return period;
  if (calls === undefined) return new Unknown(`<${element.name}> sets no calls (a bandwidth-only quota)`);
  if (period === undefined || period <= 0) return new Unknown(`<${element.name}> has no renewal-period`);
  const limit: RateLimit = { rateLimit: calls / period, burstLimit: calls, source: 'policy' };
  return QUOTA_ELEMENTS.has(element.name) ? { ...limit, quota: { limit: calls, period: `${period}s` } } : limit;
}

function numberAttribute(element: XmlElement, name: string, namedValues: NamedValues): Maybe<number> | undefined {
  const raw = attribute(element, name);
  if (raw === undefined) return undefined;
  const value = substitute(raw, namedValues);
  if (value instanceof Unknown) return value;
  if (value.trim().startsWith('@')) return new Unknown(`${name} of <${element.name}> is a policy expression, computed per request`);
  const number = Number(value);
  return Number.isFinite(number) ? number : new Unknown(`${name} of <${element.name}> is not a number`);
}

/** Replaces `{{named-value}}` references; unknown when one is missing or unresolved. */
export function substitute(text: string, namedValues: NamedValues): Maybe<string> {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
    const value = namedValues.get(match[1]!);
    if (value === undefined) return new Unknown(`named value ${match[1]} is not in the scanned configuration`);
    if (value instanceof Unknown) return new Unknown(`named value ${match[1]}: ${value.reason}`);
    out += text.slice(last, match.index) + value;
    last = match.index! + match[0].length;
  }
  return out + text.slice(last);
}

/** An effective `<cors>` element's settings. */
export interface PolicyCors {
  readonly element: XmlElement;
  readonly document: PolicyDocument;
  readonly allowOrigins: Maybe<readonly string[]>;
  readonly allowMethods: Maybe<readonly string[]>;
  readonly allowHeaders: Maybe<readonly string[]>;
  readonly allowCredentials: Maybe<boolean>;
  /**
   * Where the origin at fault is written: the first `<origin>` holding a wildcard (`*`, `https://*`),
   * else the first `<origin>`, else `<allowed-origins>`, else `<cors>`.
   */
  readonly originsLocation: SourceLocation;
}

/**
 * The `<cors>` elements that run for a request. APIM answers a preflight from the first one; later
 * ones matter for the response headers of actual requests, so each is reported on its own.
 * @see https://learn.microsoft.com/azure/api-management/cors-policy
 */
export function policyCors(items: readonly EffectiveItem[], namedValues: NamedValues): PolicyCors[] {
  const out: PolicyCors[] = [];
  for (const item of items) {
    if (item.kind !== 'element' || item.element.name !== 'cors') continue;
    const { element, document } = item;
    const list = (container: string, entry: string): Maybe<readonly string[]> => {
      const values: string[] = [];
      for (const parent of childElements(element, container)) {
        for (const child of childElements(parent, entry)) {
          const value = substitute(textContent(child), namedValues);
          if (value instanceof Unknown) return value;
          values.push(value);
        }
      }
      return values;
    };
    const credentials = attribute(element, 'allow-credentials');
    const origins = childElements(element, 'allowed-origins')[0];
    const originElements = childElements(element, 'allowed-origins').flatMap((parent) => childElements(parent, 'origin'));
    // A finding on the origins is about the wildcard: it points at that <origin>, the line to change.
    const atFault = originElements.find((origin) => textContent(origin).includes('*')) ?? originElements[0];
    out.push({
      element,
      document,
      allowOrigins: list('allowed-origins', 'origin'),
      allowMethods: list('allowed-methods', 'method'),
      allowHeaders: list('allowed-headers', 'header'),
      allowCredentials: credentials === undefined ? false : credentials.trim().toLowerCase() === 'true' ? true : credentials.trim().toLowerCase() === 'false' ? false : new Unknown('allow-credentials is not true or false'),
      originsLocation: document.at((atFault ?? origins ?? element).start),
    });
  }
  return out;
}

/** Whether an effective `ip-filter action="allow"` admits every address; false when there is none. */
export function ipFilterAllowsAll(items: readonly EffectiveItem[]): Located<Maybe<boolean>> | undefined {
  for (const item of items) {
    if (item.kind !== 'element' || item.element.name !== 'ip-filter') continue;
    const { element, document } = item;
    if ((attribute(element, 'action') ?? '').toLowerCase() !== 'allow') continue;
    const everything =
      childElements(element, 'address-range').some((range) => attribute(range, 'from')?.trim() === '0.0.0.0' && attribute(range, 'to')?.trim() === '255.255.255.255') ||
      childElements(element, 'address').some((address) => ['0.0.0.0/0', '*'].includes(textContent(address)));
    return { value: everything, location: document.at(element.start) };
  }
  return undefined;
}

/**
 * The backend URL a `set-backend-service` sets (the last one wins), if any: its `base-url`, or the
 * URL of the backend entity its `backend-id` names (then `backendId` names it, so that the route can
 * point at where that URL is written too).
 */
export function policyBackendUrl(items: readonly EffectiveItem[], namedValues: NamedValues, backends: ReadonlyMap<string, Maybe<string>> = new Map()): (Located<Maybe<string>> & { readonly backendId?: string }) | undefined {
  let found: (Located<Maybe<string>> & { readonly backendId?: string }) | undefined;
  for (const item of items) {
    if (item.kind !== 'element' || item.element.name !== 'set-backend-service') continue;
    const location = item.document.at(item.element.start);
    const url = attribute(item.element, 'base-url');
    const id = attribute(item.element, 'backend-id');
    if (url !== undefined) {
      found = { value: url.trim().startsWith('@') ? new Unknown('the backend URL is a policy expression') : substitute(url, namedValues), location };
    } else if (id !== undefined) {
      found = { value: backends.get(id) ?? new Unknown(`backend ${id} is not in the scanned configuration`), location, backendId: id };
    }
  }
  return found;
}
