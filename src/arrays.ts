/**
 * Appends every item to `target`. `target.push(...items)` passes each item as an argument, and past
 * about 120,000 of them V8 throws "Maximum call stack size exceeded": a large scan lost its whole
 * report that way.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
