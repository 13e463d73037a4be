import type { Diagnostic } from './diagnostic.js';
import type { Entity } from './entities.js';

/** Everything read from the input: entities of the common model plus what could not be read. */
export interface Inventory {
  readonly entities: readonly Entity[];
  readonly diagnostics: readonly Diagnostic[];
  /** Files read (relative to the scan root), whether or not they held any gateway resource. */
  readonly files: readonly string[];
}
