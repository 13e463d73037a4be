import type { Suppression } from '../../model/entities.js';
import type { SourceLocation } from '../../model/location.js';

/**
 * Reads a suppression written as data, `{ id, reason, until }`: CloudFormation `Metadata` and OpenAPI
 * `x-gatewarden-ignore` entries. Undefined when the entry is not an object with a policy id, so that
 * each format reports that in its own words.
 */
export function suppressionFromEntry(entry: unknown, location: SourceLocation): Suppression | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || entry instanceof Date) return undefined;
  const { id, reason, until } = entry as Record<string, unknown>;
  if (typeof id !== 'string' || id.trim() === '') return undefined;
  return {
    policyId: id.trim(),
    ...(typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
    // YAML 1.1 readers turn 2027-01-31 into a Date; keep the calendar day either way.
    ...(until instanceof Date ? { until: until.toISOString().slice(0, 10) } : until !== undefined && until !== null ? { until: String(until) } : {}),
    location,
  };
}
