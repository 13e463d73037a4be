import type { SourceLocation } from './model/location.js';

/**
 * What kind of failure stopped gatewarden. Stable: embedders may switch on it. `credentials`: the
 * cloud refused or could not find the credentials; `network`: the cloud's endpoint could not be
 * reached or did not answer (DNS, connection refused, timeout, TLS), so the credentials were not judged.
 */
export type ErrorCode = 'usage' | 'path-not-found' | 'policy-load' | 'output' | 'credentials' | 'config' | 'baseline' | 'internal';

/**
 * An error a person can act on: what went wrong, where, and what to do. Thrown only at the edges
 * (CLI, loaders); everything inside a scan becomes a diagnostic instead.
 *
 * Messages quote what the user wrote (file names, config values), which may hold control characters:
 * the CLI escapes them before they reach standard error. An error that lists several problems gives
 * them as `details`, one per line, so that the CLI can keep those line breaks and escape everything else.
 */
export class GatewardenError extends Error {
  /** The message without its details. */
  readonly summary: string;
  /** Further lines: the problems listed under the summary, without their indentation. */
  readonly details: readonly string[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: SourceLocation,
    details: readonly string[] = [],
  ) {
    super([message, ...details.map((line) => `  ${line}`)].join('\n'));
    this.name = 'GatewardenError';
    this.summary = message;
    this.details = details;
  }
}
