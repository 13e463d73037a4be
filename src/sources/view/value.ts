import { Unknown } from '../../model/unknown.js';

/**
 * A value read from a source: JSON-like data, an {@link Unknown}, or a {@link LazyObject} whose
 * members are computed only when read. Every source (Terraform, CloudFormation, ARM, live data)
 * resolves its values into this one shape, so that adapters read them the same way.
 */
export type Value = string | number | boolean | null | Value[] | ValueObject | Unknown | LazyObject;

/** An object or map of values. */
export interface ValueObject {
  [key: string]: Value;
}

/**
 * An object whose attributes are evaluated on first read. Terraform's resource instances, modules and
 * the `var`/`local` namespaces are lazy so that one reference does not force the whole configuration,
 * and so that reference cycles are detected instead of looping. It is part of {@link Value} because
 * evaluation hands such objects around before they are materialised.
 */
export abstract class LazyObject {
  /** Returns the member, or undefined when there is no such member. */
  abstract get(key: string): Value | undefined;
  /** Lists the members, for iteration and conversion to a plain object. */
  abstract keys(): string[];
  /** Describes the object in error messages (`var`, `aws_api_gateway_rest_api.api`). */
  abstract describe(): string;
}

/** Tells whether a value is a plain object/map (not a list, lazy object or unknown). */
export function isValueObject(value: Value | undefined): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof LazyObject);
}

/** Sets a key without ever touching an object's prototype (`__proto__` is data here). */
export function setKey(target: ValueObject, key: string, value: Value): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Finds the first Unknown anywhere inside a value, or undefined when the value is fully known.
 * `count` is told the length of every list walked, so that an evaluator with a budget of steps
 * (Terraform's) can charge the walk to it; other sources walk for free.
 */
export function findUnknown(value: Value | undefined, count?: (steps: number) => void): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    count?.(value.length);
    for (const item of value) {
      const found = findUnknown(item, count);
      if (found) return found;
    }
    return undefined;
  }
  if (isValueObject(value)) {
    for (const key of Object.keys(value)) {
      const found = findUnknown(value[key], count);
      if (found) return found;
    }
  }
  return undefined;
}
