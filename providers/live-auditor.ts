import type { Diagnostic } from '../src/model/diagnostic.js';
import type { Entity } from '../src/model/entities.js';
import type { Limits } from '../src/limits.js';

// The contract between `gatewarden audit <provider>` and one live provider. A provider is one folder
// (providers/<cloud>/live/) plus one line in LIVE_AUDITORS (providers/live.ts). Its descriptor is
// light: the cloud SDK is loaded by `audit()` only, never by the CLI's help or option parsing.

/**
 * A command-line option of one provider, declared once: parsed, validated and shown in help from this.
 * The same shape as the CLI's `CliOption` (src/cli/options.ts), which providers cannot import.
 */
export type LiveOption =
  | {
      /** The long flag without dashes: `role-arn`. */
      readonly name: string;
      readonly type: 'string';
      /** The value as help shows it: `ARN`, `FILE`, `LIST`. */
      readonly value: string;
      readonly multiple?: boolean;
      /** One sentence for the help text. */
      readonly description: string;
    }
  | { readonly name: string; readonly type: 'boolean'; readonly description: string };

/** The values parseArgs gives for a provider's options. */
export type LiveOptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** Why an audit stopped before it read everything it was asked to. */
export type AuditStopReason =
  /** Its time limit (`timeoutMs`, `--timeout`) passed. */
  | 'timeout'
  /** The caller's signal fired (Ctrl-C). */
  | 'interrupted'
  /** It listed more items than the `entities` limit allows. */
  | 'entities';

/** What the pipeline gives a provider's audit: the limits and the one signal that stops it. */
export interface LiveAuditContext {
  /** The directory relative paths given in options (an accounts file) resolve against. */
  readonly cwd: string;
  readonly limits: Limits;
  /**
   * Fires when the audit must stop: its deadline, Ctrl-C, the `entities` budget. Every call listens
   * to it; what was not finished is named in a `not-scanned` diagnostic.
   */
  readonly stop: AbortSignal;
  /**
   * Counts items as they are listed against the `entities` limit; false when the budget is spent (the
   * audit is then stopped, and `operation` is named as where it happened).
   */
  takeItems(count: number, operation: string): boolean;
  /** Why the audit stopped, for a message: `the audit's time limit (--timeout 30 min) passed`. */
  stoppedBecause(): string;
  /** What to do about a part not audited because of the stop; `narrower` is the option of a smaller run (`--regions eu-west-1`). */
  remedy(narrower?: string): string;
  progress(message: string): void;
}

/** What a provider's audit read: the model's entities, and everything it could not read. */
export interface LiveReadResult {
  /** What was audited, as the report names it: `aws:123456789012/eu-west-1`. */
  readonly targets: readonly string[];
  readonly entities: readonly Entity[];
  readonly diagnostics: readonly Diagnostic[];
  /** The API calls it made (for the figures of `npm run bench`). */
  readonly calls: number;
}

/** One live provider of `gatewarden audit`. */
export interface LiveAuditor<Options> {
  /** The name after `gatewarden audit`. */
  readonly name: string;
  /** One line for `gatewarden audit --help`. */
  readonly summary: string;
  /** The provider's own options; the shared ones (formats, config, baseline, limits, timeout) are the CLI's. */
  readonly options: readonly LiveOption[];
  /** Help text after the options: credentials, permissions, examples. */
  readonly notes: string;
  /** Turns the parsed values of {@link options} into the audit's options; throws a usage error for a bad value. */
  parseOptions(values: LiveOptionValues): Options;
  /**
   * Loads the audit itself, with the cloud's SDK. Apart from the audit so that loading the SDK does
   * not count against the audit's time limit.
   */
  load(): Promise<LiveAudit<Options>>;
}

/** Reads a provider's accounts read-only into the model. A failure inside is a diagnostic, not a throw. */
export type LiveAudit<Options> = (options: Options, context: LiveAuditContext) => Promise<LiveReadResult>;
