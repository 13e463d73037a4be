import type { Suppression } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import { isIgnoreDirectiveError, parseIgnoreDirective } from '../../src/sources/suppressions/directive.js';
import { suppressionFromEntry } from '../../src/sources/suppressions/entry.js';
import { IGNORE_EXTENSION, type DocPath, type IgnoreExtension } from './reader.js';

/**
 * Reads `x-gatewarden-ignore` values into suppressions. Each entry is `{ id, reason, until }` (as in
 * CloudFormation `Metadata`) or a string in the comment syntax (`route-requires-auth until=2027-03-31
 * -- reason`); a single entry needs no list. Entries that cannot apply are kept as invalid, so the
 * engine reports them where they are written.
 */
export function suppressionsFromExtensions(extensions: readonly IgnoreExtension[], locate: (pointer: DocPath) => SourceLocation): Suppression[] {
  const out: Suppression[] = [];
  for (const extension of extensions) {
    const entries = Array.isArray(extension.value) ? extension.value : [extension.value];
    entries.forEach((entry: unknown, index) => {
      const pointer = Array.isArray(extension.value) ? [...extension.pointer, index] : extension.pointer;
      const location = locate(pointer);
      if (typeof entry === 'string') {
        const directive = parseIgnoreDirective(entry);
        if (isIgnoreDirectiveError(directive)) {
          out.push({ policyId: entry, location, invalid: `"${entry}": ${directive.error}` });
          return;
        }
        for (const policyId of directive.policyIds) {
          out.push({ policyId, ...(directive.reason !== undefined ? { reason: directive.reason } : {}), ...(directive.until !== undefined ? { until: directive.until } : {}), location });
        }
        return;
      }
      out.push(suppressionFromEntry(entry, location) ?? { policyId: '(none)', location, invalid: `${IGNORE_EXTENSION} entries need an id: { id: <policy-id>, reason: ..., until: YYYY-MM-DD }` });
    });
  }
  return out;
}

/** `{ suppressions }` when there are any, for spreading into an entity. */
export function suppressionsField(suppressions: readonly Suppression[]): { suppressions?: readonly Suppression[] } {
  return suppressions.length > 0 ? { suppressions } : {};
}
