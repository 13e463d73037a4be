import { Unknown, type Maybe, type ResourceRef } from '../../src/model/unknown.js';
import type { Value, ValueObject } from '../../src/sources/view/value.js';

/**
 * Typed readers over evaluated configuration values. Each returns undefined when the value is absent
 * or null, keeps an Unknown as it is, and turns a value of the wrong type into an Unknown that says so,
 * so a surprising input is never read as a secure or insecure default.
 */

/** Reads a string (numbers and booleans are converted, as Terraform does). */
export function readString(value: Value | undefined): Maybe<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return new Unknown('expected a string');
}

/**
 * Reads when a resource was created (`created_date`, `create_time`), as `{ createdAt }` in RFC 3339
 * (UTC, with milliseconds only when they are not zero), ready to spread into an entity. Nothing when absent or unknown: an unknown
 * creation time is a resource the apply creates, which has no age yet. A text that is no time is
 * unknown, with why.
 */
export function readCreatedAt(value: Value | undefined): { readonly createdAt?: Maybe<string> } {
  if (typeof value !== 'string' || value === '') return {};
  const time = Date.parse(value);
  return { createdAt: Number.isNaN(time) ? new Unknown(`the creation time "${value.slice(0, 40)}" is not a date`) : new Date(time).toISOString().replace('.000Z', 'Z') };
}

/** Reads a number (numeric strings are converted). */
export function readNumber(value: Value | undefined): Maybe<number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown) return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return new Unknown('expected a number');
}

/** Reads a boolean (`"true"`/`"false"` strings are converted). */
export function readBool(value: Value | undefined): Maybe<boolean> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown) return value;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return new Unknown('expected a boolean');
}

/** Reads a list of strings; a list with an unknown element is unknown as a whole. */
export function readStringList(value: Value | undefined): Maybe<string[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown) return value;
  if (!Array.isArray(value)) return typeof value === 'string' ? [value] : new Unknown('expected a list of strings');
  const out: string[] = [];
  for (const item of value) {
    const text = readString(item);
    if (text instanceof Unknown) return new Unknown(`an element is unknown: ${text.reason}`);
    if (text !== undefined) out.push(text);
  }
  return out;
}

/** Reads an object or map. */
export function readObject(value: Value | undefined): Maybe<ValueObject> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown) return value;
  if (typeof value === 'object' && !Array.isArray(value)) return value as ValueObject;
  return new Unknown('expected an object');
}

/** Reads a list of nested blocks; one object counts as one block (the `.tf.json` shorthand). */
export function readBlocks(value: Value | undefined): Maybe<ValueObject[]> {
  if (value === undefined || value === null) return [];
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) return value.filter((item): item is ValueObject => typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Unknown));
  if (typeof value === 'object') return [value as ValueObject];
  return new Unknown('expected a block');
}

/** The resource a value refers to, when it is an attribute known only after apply (`x.id`). */
export function referenceOf(value: Value | undefined): ResourceRef | undefined {
  return value instanceof Unknown ? value.ref : undefined;
}


/**
 * Reads resource tags or labels: a map (`tags = { owner = "payments" }`, GCP `labels`, Azure `tags`,
 * an HTTP API's CloudFormation `Tags`) or a list of `{ Key, Value }` (a REST API's CloudFormation
 * `Tags`). Tags whose key or value is unknown are left out: a tag only names an owner when it is known.
 * Undefined when there are none.
 */
export function readTags(value: Value | undefined): Record<string, string> | undefined {
  if (value === undefined || value === null || value instanceof Unknown || typeof value !== 'object') return undefined;
  const tags: Record<string, string> = {};
  const put = (key: Value | undefined, text: Value | undefined): void => {
    const name = readString(key);
    const tag = readString(text);
    if (typeof name === 'string' && typeof tag === 'string') tags[name] = tag;
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Unknown)) put((item as ValueObject).Key, (item as ValueObject).Value);
    }
  } else {
    for (const [key, text] of Object.entries(value as ValueObject)) put(key, text);
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/**
 * Whether a value stands for an attribute of a resource (`aws_lb.web.arn`), as opposed to a value
 * that is simply not known: a variable without a value, a local or a module output built from one.
 * A link to a resource gatewarden does not read names that resource; an unresolved value may name
 * anything.
 */
export function refersToResource(value: Value | undefined): boolean {
  const address = referenceOf(value)?.address;
  if (address === undefined) return false;
  const local = address.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)+/, '');
  return !/^(var|local|module|each|count|path|terraform)\./.test(local);
}
