import { describe, expect, it } from 'vitest';
import { Unknown } from '../src/model/unknown.js';
import { isRecord } from '../src/objects.js';

describe('isRecord', () => {
  it('accepts plain objects: literals, parsed JSON, objects without a prototype', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(JSON.parse('{"a":1}'))).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
  });

  it('rejects null, arrays, primitives, Unknown and dates', () => {
    for (const value of [null, undefined, [], 'x', 1, true, new Unknown('not known'), new Date(0)]) expect(isRecord(value), String(value)).toBe(false);
  });
});
