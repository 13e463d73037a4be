import type { SourceLocation } from './location.js';

/**
 * How much a diagnostic matters. `error` means part of the input was not checked, so the result is
 * incomplete (exit code 2); `warning` is worth reading but leaves the result complete.
 */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** What kind of problem a diagnostic reports. Stable: tools may filter on it. */
export type DiagnosticCode =
  | 'parse-error'
  | 'read-error'
  | 'unsupported'
  | 'not-scanned'
  | 'unresolved'
  | 'policy-error'
  | 'evaluation-error'
  /** A suppression that is expired, malformed, reasonless or names no policy. */
  | 'suppression'
  /** About the `--baseline` file (entries no longer found). */
  | 'baseline'
  /** About `.gatewarden.yaml`. */
  | 'config'
  /** Work stopped by one of the limits (`limits:` in `.gatewarden.yaml`, `--limit`); the message names it. */
  | 'limit'
  /** A file the input names (through `file()`, a module source, a symlink...) is outside the scan roots and was not read. */
  | 'outside-roots'
  /**
   * A key given more than once in one mapping. The last one is read, as CloudFormation does; the
   * message names the key and the lines of each.
   */
  | 'duplicate-key'
  /**
   * A value of a shape the cloud or its tools reject (an OpenAPI `security` that is a map instead of
   * a list): what it would configure is unknown, never read as secure or insecure.
   */
  | 'invalid-value'
  /** A reader failed in a way it did not foresee; the file is not scanned and the rest goes on. */
  | 'internal-error'
  /**
   * An OpenAPI document that is not a gateway's (an agent's tool schema, a test fixture nothing deploys):
   * it is not checked as a gateway, and the message says what uses it and how to check it anyway.
   */
  | 'not-a-gateway'
  /**
   * An OpenAPI document imported into a gateway by a configuration gatewarden does not read (a Bicep
   * file that imports it into API Management): the gateway exists but is not checked, and the document
   * is not checked as a stand-alone gateway either (its security section is not what the gateway
   * enforces). An error: the result is incomplete. The message names the import and how to check it.
   */
  | 'gateway-not-read';

/** A problem met while reading input or evaluating policies, with where it happened. */
export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  readonly code: DiagnosticCode;
  /** What went wrong and what to do about it, for a person. Never contains a secret value. */
  readonly message: string;
  readonly location?: SourceLocation;
  /** The resource address concerned, when there is one. */
  readonly address?: string;
}
