/**
 * Tells whether a value is a plain object: not null, not an array, and made by an object literal,
 * `JSON.parse`, a YAML or JSON parser or `Object.create(null)`, so its own keys are its fields.
 * Instances of classes are not records: an `Unknown` standing for an unresolved value, or a `Date`
 * that a YAML timestamp became, would otherwise be read as an object with no fields.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
