import type { Diagnostic } from '../../model/diagnostic.js';
import type { Suppression } from '../../model/entities.js';
import type { SourceLocation } from '../../model/location.js';
import { suppressionFromEntry } from '../suppressions/entry.js';
import { isRecord } from '../../objects.js';

/**
 * Reads `Metadata: { gatewarden: { ignore: [{ id, reason, until }] } }`, CloudFormation's place for
 * tool settings (cfn_nag and Checkov use resource Metadata the same way). A malformed entry is a
 * warning, never silently dropped: a user who wrote it believes the finding is accepted.
 */
export function readSuppressions(
  metadata: Readonly<Record<string, unknown>>,
  address: string,
  locate: (path: readonly string[]) => SourceLocation,
): { suppressions: Suppression[]; diagnostics: Diagnostic[] } {
  const suppressions: Suppression[] = [];
  const diagnostics: Diagnostic[] = [];
  const settings = metadata.gatewarden;
  if (settings === undefined) return { suppressions, diagnostics };
  const base = ['Metadata', 'gatewarden'];
  const warn = (message: string, at: readonly string[]): void => {
    diagnostics.push({ severity: 'warning', code: 'suppression', message, location: locate(at), address });
  };
  const ignore = isRecord(settings) ? settings.ignore : undefined;
  if (!Array.isArray(ignore)) {
    warn(`Metadata.gatewarden of ${address} must be { ignore: [{ id, reason, until }] }; nothing is suppressed`, base);
    return { suppressions, diagnostics };
  }
  ignore.forEach((entry: unknown, index) => {
    const at = [...base, 'ignore', String(index)];
    const suppression = suppressionFromEntry(entry, locate(at));
    if (suppression) suppressions.push(suppression);
    else warn(`suppression ${index + 1} of ${address} has no policy id (id: <policy-id>); it is ignored`, at);
  });
  return { suppressions, diagnostics };
}
