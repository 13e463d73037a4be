import type { SourceLocation } from './model/location.js';

/**
 * What kind of failure stopped gatewarden. Stable: embedders may switch on it. `credentials`: the
 * cloud refused or could not find the credentials; `network`: the cloud's endpoint could not be
 * reached or did not answer (DNS, connection refused, timeout, TLS), so the credentials were not judged.
 */
export type ErrorCode = 'usage' | 'path-not-found' | 'policy-load' | 'output' | 'credentials' | 'network' | 'config' | 'baseline' | 'internal';

/**
 * An error a person can act on: what went wrong, where, and what to do. Thrown only at the edges
 * (CLI, loaders); everything inside a scan becomes a diagnostic instead.
 */
export class GatewardenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'GatewardenError';
  }
}
