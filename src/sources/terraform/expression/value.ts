import { Unknown } from '../../../model/unknown.js';
import type { LimitName } from '../../../limits.js';
import { LazyObject, isValueObject, setKey, type Value, type ValueObject } from '../../view/value.js';

/** An error in the evaluated configuration itself (a type mismatch, a missing key). `try()` catches it. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

/** What kind of name a reference to something undeclared names, in Terraform's own words. */
export type UndeclaredKind = 'resource' | 'data resource' | 'input variable' | 'local value' | 'module call';

/**
 * A reference to something the module does not declare (`var.x` with no `variable "x"`,
 * `aws_api_gateway_rest_api.example` with no such resource). Terraform rejects the whole
 * configuration for it ("Reference to undeclared resource") before anything is evaluated, so `try()`
 * and `can()` do not catch it.
 */
export class UndeclaredReferenceError extends EvalError {
  constructor(
    readonly kind: UndeclaredKind,
    /** The reference as written: `aws_api_gateway_rest_api.example`, `var.x`, `data.aws_vpc.main`. */
    readonly reference: string,
  ) {
    super(`reference to undeclared ${kind} ${reference}`);
    this.name = 'UndeclaredReferenceError';
  }
}

/**
 * An expression, or a value it builds, nested deeper than the `depth` limit: parsing or evaluating
 * further would recurse past the call stack. Evaluation stops with it (as with any {@link EvalError});
 * the loader reports it as a `limit` diagnostic.
 */
export class LimitError extends EvalError {
  constructor(
    /** The limit gone over. */
    readonly limitName: LimitName,
    /** The limit in force. */
    readonly limit: number,
    /** What went over it, e.g. "the expression nests deeper than 200 levels". */
    readonly what: string,
  ) {
    super(`${what} (the "${limitName}" limit is ${limit})`);
    this.name = 'LimitError';
  }
}

/** A value or expression nested deeper than the `depth` limit. */
export class DepthLimitError extends LimitError {
  constructor(limit: number, what: string) {
    super('depth', limit, what);
    this.name = 'DepthLimitError';
  }
}

/** Evaluation that went over the `evaluation-steps` limit: loops, encodings and walks of values. */
export class StepLimitError extends LimitError {
  constructor(
    limit: number,
    /** Whether this is the evaluation that spent the budget (reported), rather than one after it. */
    readonly first: boolean,
  ) {
    super('evaluation-steps', limit, `evaluating this root module took more than ${limit.toLocaleString('en-US')} steps (a nested for expression, or a value that doubles at every reference); what it had not evaluated by then is unknown`);
    this.name = 'StepLimitError';
  }
}

// Evaluation is synchronous, so one budget for the whole process is exact; the loader starts it
// for each root module.
let stepsLeft = Number.POSITIVE_INFINITY;
let stepLimit = Number.POSITIVE_INFINITY;
let spentReported = false;

/** Gives the evaluation of one root module its budget of steps (the `evaluation-steps` limit). */
export function startEvaluationBudget(limit: number): void {
  stepLimit = limit;
  stepsLeft = limit;
  spentReported = false;
}

/**
 * Counts `count` steps of evaluation work (an iteration of a for expression, a node encoded or
 * walked); throws {@link StepLimitError} once the budget is spent. A few kilobytes of configuration
 * can ask for a billion iterations, or a value that doubles at every reference to 2^24 elements.
 */
export function step(count = 1): void {
  stepsLeft -= count;
  if (stepsLeft >= 0) return;
  // Every evaluation after the one that spent the budget fails too (the root's work is bounded); only
  // the first is reported, where it happened.
  const first = !spentReported;
  spentReported = true;
  throw new StepLimitError(stepLimit, first);
}

/** Converts lazy objects into plain values, recursively. Unknown stays Unknown. */
export function materialize(value: Value): Value {
  if (value instanceof LazyObject) {
    const out: ValueObject = {};
    for (const key of value.keys()) {
      const member = value.get(key);
      if (member !== undefined) setKey(out, key, materialize(member));
    }
    return out;
  }
  if (Array.isArray(value)) return value.some((item) => item instanceof LazyObject) ? value.map(materialize) : value;
  return value;
}

/** Names a value's type as Terraform error messages do, without showing the value itself. */
export function typeName(value: Value | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof Unknown) return 'unknown';
  if (Array.isArray(value)) return 'list';
  if (value instanceof LazyObject || typeof value === 'object') return 'object';
  return typeof value;
}

/** Converts a primitive to the string Terraform would interpolate; throws for collections and null. */
export function toTemplateString(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  throw new EvalError(`cannot use a ${typeName(value)} value in a string`);
}

/** Formats numbers as Terraform does: integers without a fraction, others in shortest form. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

/** Structural equality of two fully known values. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]!));
  if (isValueObject(a) && isValueObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key]!, b[key]!));
  }
  return false;
}

/** Converts to bool as Terraform does (`"true"` and `"false"` strings are accepted). */
export function asBool(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new EvalError(`a bool is required, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
}

/** Converts to number as Terraform does (numeric strings are accepted). */
export function asNumber(value: Value): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new EvalError(`a number is required, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
}
