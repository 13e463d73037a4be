/**
 * Appends every item to `target`. `target.push(...items)` passes each item as an argument, and past
 * about 120,000 of them V8 throws "Maximum call stack size exceeded": a large scan lost its whole
 * report that way.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** Items as prose: `a`, `a and b`, `a, b and c` (empty for none). */
export function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}
