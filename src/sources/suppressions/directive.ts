import type { IgnoreDirective, IgnoreDirectiveError } from '../../model/findings.js';

export type { IgnoreDirective, IgnoreDirectiveError } from '../../model/findings.js';

const POLICY_ID = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * Parses the text after `gatewarden:ignore` (or an `x-gatewarden-ignore` string). The reason is
 * everything after ` -- `; a reason separated by a single `-` or `:` is accepted too, because that is
 * what people type when they do not remember the syntax, and losing their reason would be worse.
 */
export function parseIgnoreDirective(text: string): IgnoreDirective | IgnoreDirectiveError {
  let head = text.trim();
  let reason: string | undefined;
  const separator = /\s--\s*|\s-\s+|^--\s*/.exec(head);
  if (separator) {
    reason = head.slice(separator.index + separator[0].length).trim();
    head = head.slice(0, separator.index).trim();
  }
  const policyIds: string[] = [];
  let until: string | undefined;
  for (const word of head.split(/[\s,]+/).filter(Boolean)) {
    const option = /^(until|expires)[=:](.*)$/i.exec(word);
    if (option) {
      until = option[2]!;
      continue;
    }
    // `route-requires-auth: public endpoint` — an id followed by a colon and the reason.
    const colon = word.indexOf(':');
    if (colon > 0 && reason === undefined && POLICY_ID.test(word.slice(0, colon))) {
      policyIds.push(word.slice(0, colon));
      reason = `${word.slice(colon + 1)} ${head.slice(head.indexOf(word) + word.length)}`.trim();
      break;
    }
    if (!POLICY_ID.test(word)) return { error: `"${word}" is not a policy id; write gatewarden:ignore <policy-id> [until=YYYY-MM-DD] -- <reason>` };
    policyIds.push(word);
  }
  if (policyIds.length === 0) return { error: 'it names no policy; write gatewarden:ignore <policy-id> [until=YYYY-MM-DD] -- <reason>' };
  return {
    policyIds,
    ...(until !== undefined ? { until } : {}),
    ...(reason !== undefined && reason !== '' ? { reason } : {}),
  };
}

/** Narrows a parse result. */
export function isIgnoreDirectiveError(value: IgnoreDirective | IgnoreDirectiveError): value is IgnoreDirectiveError {
  return 'error' in value;
}
