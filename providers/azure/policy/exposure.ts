import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { attribute, childElements, textContent, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { PolicyDocument } from './document.js';
import type { EffectiveItem } from './effective.js';
import { ipFilterAllowsAll, type Located } from './semantics.js';

// What an operation's effective policy lets through to it, and what it lets out to its callers:
// facts for the traffic-filtering and exposure policies, read from the same effective sections
// (global, product, API, operation combined through <base/>) as authentication and limits.

/**
 * A fact with the place that decides it and the policy document that place is in: a finding about
 * it belongs to that document, which a global or product policy shares among several APIs.
 */
export type DecidedIn<T> = Located<T> & { readonly document?: PolicyDocument };

/**
 * Whether the effective inbound policy admits only some callers: an `ip-filter action="allow"` that
 * does not admit every address, or a `check-header` of `X-Azure-FDID`, Front Door's documented way to
 * accept only the traffic of one Front Door profile. Undefined when it has neither; unknown when a
 * part of the policy cannot be read (an include-fragment outside the scan) and nothing else restricts.
 * @see https://learn.microsoft.com/azure/api-management/ip-filter-policy
 * @see https://learn.microsoft.com/azure/frontdoor/front-door-faq#how-do-i-lock-down-the-access-to-my-backend-to-only-azure-front-door-
 */
export function inboundRestriction(items: readonly EffectiveItem[]): DecidedIn<Maybe<boolean>> | undefined {
  const filter = ipFilterAllowsAll(items);
  if (filter && filter.value === false) return { value: true, location: filter.location };
  for (const item of items) {
    if (item.kind !== 'element' || item.element.name !== 'check-header') continue;
    if ((attribute(item.element, 'name') ?? '').trim().toLowerCase() === 'x-azure-fdid') return { value: true, location: item.document.at(item.element.start), document: item.document };
  }
  const unreadable = items.find((item) => item.kind === 'unknown');
  if (unreadable?.kind === 'unknown') return { value: new Unknown(`a part of the inbound policy cannot be read (${unreadable.reason.reason})`), location: unreadable.location, document: unreadable.document };
  if (filter?.value instanceof Unknown) return filter;
  return undefined;
}

/**
 * `context.LastError` other than its status code: the message, source, reason, section, path or
 * policy id of the error, or the whole object serialised.
 * @see https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies#lasterror
 */
const LAST_ERROR_DETAILS = /context\s*\.\s*LastError(?!\s*\.\s*StatusCode\b)/;

/** Elements whose content goes elsewhere than the caller's response: logs, traces, side requests. */
const NOT_TO_CALLER = new Set(['send-request', 'send-one-way-request', 'log-to-eventhub', 'trace', 'emit-metric', 'set-variable', 'cache-store-value']);

/** Elements that write the response the caller gets. */
const TO_CALLER = new Set(['set-body', 'set-header', 'return-response']);

/**
 * The first element of an effective outbound or on-error section that writes error details
 * (`context.LastError.Message`, `.Source`, `.Reason`...) into the response the caller gets:
 * `set-body`, `set-header` or `return-response`, anywhere under a `<choose>`. Error details in a
 * log, a trace or a side request stay inside and are not counted. Undefined when there is none.
 */
export function errorDetailsReturned(items: readonly EffectiveItem[]): DecidedIn<true> | DecidedIn<Unknown> | undefined {
  for (const item of items) {
    if (item.kind !== 'element') continue;
    const found = findReturned(item.element, false);
    if (found) return { value: true, location: item.document.at(found.start), document: item.document };
  }
  // A part that cannot be read (a policy outside the scan, a broken fragment) may be the one that
  // returns the details: nothing readable does, so the answer is unknown, never a pass.
  const unreadable = items.find((item) => item.kind === 'unknown');
  if (unreadable?.kind === 'unknown') return { value: new Unknown(`a part of the outbound or on-error policy cannot be read (${unreadable.reason.reason})`), location: unreadable.location, document: unreadable.document };
  return undefined;
}

function findReturned(element: XmlElement, toCaller: boolean): XmlElement | undefined {
  if (NOT_TO_CALLER.has(element.name)) return undefined;
  const writes = toCaller || TO_CALLER.has(element.name);
  if (writes && (LAST_ERROR_DETAILS.test(textContent(element)) || element.attributes.some((a) => LAST_ERROR_DETAILS.test(a.value)))) {
    const inner = childElements(element).map((child) => findReturned(child, true)).find((found) => found !== undefined);
    return inner ?? element;
  }
  for (const child of childElements(element)) {
    const found = findReturned(child, writes);
    if (found) return found;
  }
  return undefined;
}

/**
 * Response headers that name the backend's software and version, which Microsoft's "protect your
 * API" tutorial strips in the outbound policy. `Server` is left out: backends behind APIM often set
 * it without a version, and APIM answers with its own on the responses it generates.
 * @see https://learn.microsoft.com/azure/api-management/transform-api#set-and-remove-headers
 */
export const BACKEND_DISCLOSURE_HEADERS = ['X-Powered-By', 'X-AspNet-Version'] as const;

/**
 * Which of {@link BACKEND_DISCLOSURE_HEADERS} the effective outbound section leaves in the response:
 * those no top-level `set-header exists-action="delete"` removes. Unknown when a part of the section
 * cannot be read and some header is not removed by what can.
 */
export function disclosureHeadersKept(items: readonly EffectiveItem[]): Maybe<string[]> {
  const removed = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'element' || item.element.name !== 'set-header') continue;
    if ((attribute(item.element, 'exists-action') ?? '').trim().toLowerCase() !== 'delete') continue;
    removed.add((attribute(item.element, 'name') ?? '').trim().toLowerCase());
  }
  const kept = BACKEND_DISCLOSURE_HEADERS.filter((header) => !removed.has(header.toLowerCase()));
  const unreadable = items.find((item) => item.kind === 'unknown');
  if (kept.length > 0 && unreadable?.kind === 'unknown') return new Unknown(`a part of the outbound policy cannot be read (${unreadable.reason.reason})`);
  return kept;
}
