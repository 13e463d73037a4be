import type { EntityKind } from '../model/entities.js';
import type { CelProgram, MessagePart, ParameterSchema } from './cel.js';
import type { ParameterType, ParameterValue, PolicyDescription, PolicyParameter, Severity } from '../model/findings.js';

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
  /** How the policy's findings combine into one per setting at fault; one per entity when absent. */
  readonly group?: PolicyGroup;
  /**
   * Values the policy's expressions read as `params.NAME` (a key's largest age in days, say), each
   * with its default; `.gatewarden.yaml` sets them per policy (`policies.parameters`).
   */
  readonly parameters?: Readonly<Record<string, PolicyParameter>>;
}

// The parameter vocabulary lives in the model, so that the config layer checks values with the same
// isParameterValue without importing the engine.
export { PARAMETER_TYPES, isParameterValue, type ParameterType, type ParameterValue, type PolicyParameter } from '../model/findings.js';

const CEL_TYPE: Readonly<Record<ParameterType, 'double' | 'string' | 'bool'>> = { number: 'double', string: 'string', boolean: 'bool' };

/** The CEL types of a policy's parameters, for compiling its expressions. */
export function parameterSchemaOf(parameters: Readonly<Record<string, PolicyParameter>>): ParameterSchema {
  return Object.fromEntries(Object.entries(parameters).map(([name, parameter]) => [name, CEL_TYPE[parameter.type]]));
}

/**
 * What findings group by. `setting`: the owner of the field the policy points at (`location`), as
 * the adapter records it in `fieldOwners` (the stage whose stage-wide throttling a route has).
 */
export const GROUP_BY = ['setting'] as const;
/** One of {@link GROUP_BY}. */
export type GroupBy = (typeof GROUP_BY)[number];

/**
 * `group: { by: setting, message }`: the failures of routes whose field at fault has the same owner,
 * with the same severity and variant, are one finding at the owner that lists the routes. `message`
 * is a template like the policy's, read on the first route, where `{{group.routes}}` is the list of
 * the routes (`GET /a, POST /b and 3 more`).
 */
export interface PolicyGroup {
  readonly by: GroupBy;
  readonly message: string;
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
  /**
   * The values its expressions read as `params`: each declared parameter's default, or the value
   * `.gatewarden.yaml` gives it. Absent when the policy declares none.
   */
  readonly params?: Readonly<Record<string, ParameterValue>>;
  readonly compiled: {
    readonly where?: CelProgram;
    readonly assert: CelProgram;
    readonly message: readonly MessagePart[];
    readonly variants: ReadonlyArray<{ readonly when: CelProgram; readonly severity: Severity; readonly message?: readonly MessagePart[] }>;
    /** The group message, compiled with the `group` variable besides the entity's. */
    readonly group?: { readonly message: readonly MessagePart[] };
  };
}
