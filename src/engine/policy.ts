import type { EntityKind } from '../model/entities.js';
import type { CelProgram, MessagePart } from './cel.js';
import type { PolicyDescription, Severity } from '../model/findings.js';

/** A policy as written in `policies/<category>/<id>/policy.yaml`. */
export interface PolicyDefinition extends PolicyDescription {
  readonly match: { readonly kind: EntityKind; readonly where?: string };
  /** CEL; true means compliant. */
  readonly assert: string;
  /** Message template; `{{ expr }}` placeholders are CEL expressions. */
  readonly message: string;
  /** The model field a finding points at (`auth`, `rateLimit`); the entity's block when absent. */
  readonly location?: string;
  /** Alternative severities and messages for special cases; the first whose `when` holds applies. */
  readonly variants: readonly PolicyVariant[];
}

/** A special case of a policy's failures, with its own severity and message. */
export interface PolicyVariant {
  readonly when: string;
  readonly severity: Severity;
  readonly message?: string;
}

export type { MessagePart } from './cel.js';

/** A loaded, validated and compiled policy, ready to evaluate. */
export interface Policy extends PolicyDefinition {
  /** The policy file, relative to the scan root or absolute for built-ins. */
  readonly file: string;
  /** True for policies shipped with gatewarden. */
  readonly builtIn: boolean;
  readonly compiled: {
    readonly where?: CelProgram;
    readonly assert: CelProgram;
    readonly message: readonly MessagePart[];
    readonly variants: ReadonlyArray<{ readonly when: CelProgram; readonly severity: Severity; readonly message?: readonly MessagePart[] }>;
  };
}
