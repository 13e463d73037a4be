import type { RelatedLocation } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';

/** Where a field's value is written, when that is elsewhere than the field, and the places it passes through. */
export interface WrittenElsewhere {
  readonly location: SourceLocation;
  readonly related?: readonly RelatedLocation[];
}

/**
 * Where the literal a field holds is written, when the source can follow it there (a module's caller,
 * a variable default, a tfvars entry, through an object variable and a `dynamic` block): that is where
 * the fix goes, and the field that reads it is related. Undefined when the value is written in the
 * field itself, computed, or given from outside the code: the field's own location stands then.
 */
export function writtenElsewhere(resource: ResourceView, path: ReadonlyArray<string | number>): WrittenElsewhere | undefined {
  const found = path.length === 1 && typeof path[0] === 'string' ? resource.valueSource(path[0]) : resource.valueSourceAt?.(path);
  if (!found || found.kind === 'cli' || found.kind === 'input') return undefined;
  const own = resource.locate(path);
  if (found.location.file === own.file && found.location.startLine === own.startLine) return undefined;
  return { location: found.location, ...(found.related && found.related.length > 0 ? { related: found.related } : {}) };
}
