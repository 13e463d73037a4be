/**
 * A value gatewarden could not resolve: a variable without a value, an attribute known only after
 * apply, a module that was not read. Unknown is a value of its own so that nothing unresolved is ever
 * mistaken for secure or insecure: the engine turns any policy that touches one into "unknown".
 *
 * The class name matters: the CEL evaluator reports `Unsupported type: Unknown` when an expression
 * reads one, which is how the engine recognises an unevaluable check.
 */
export class Unknown {
  /** Always true; lets JSON consumers recognise the value (`{ "unknown": true, "reason": ... }`). */
  readonly unknown = true as const;

  /**
   * @param reason - why the value is unknown, written for a person ("var.stage_name has no value").
   * @param ref - for a resource attribute known only after apply, the instance and attribute it
   *   stands for; adapters use it to link resources (`rest_api_id = aws_api_gateway_rest_api.x.id`).
   * @param partial - for a value built from partly unknown parts (`jsonencode({...})` holding an ARN),
   *   the structure with its unknown leaves, so adapters can still read the known parts.
   */
  constructor(
    readonly reason: string,
    readonly ref?: ResourceRef,
    readonly partial?: unknown,
  ) {}

  /** Serialises as `{ unknown: true, reason }`: references and partial values stay internal. */
  toJSON(): { unknown: true; reason: string } {
    return { unknown: true, reason: this.reason };
  }
}

/** Points at one attribute of one resource instance, by Terraform-style address. */
export interface ResourceRef {
  /** Full instance address, e.g. `module.api.aws_api_gateway_rest_api.this[0]`. */
  readonly address: string;
  /** Attribute name, e.g. `id`, `root_resource_id`, `execution_arn`. */
  readonly attribute: string;
}

/** A value that may not be resolvable. */
export type Maybe<T> = T | Unknown;

/** Tells whether a value is an {@link Unknown}. */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** Returns the value when it is known and of the expected type, otherwise undefined. */
export function known<T>(value: Maybe<T> | undefined): T | undefined {
  return value instanceof Unknown ? undefined : value;
}
