import { describe, expect, it } from 'vitest';
import { escapeControl, stringifyJson } from '../src/escape.js';

describe('escapeControl', () => {
  it('shows line breaks, tabs and other C0 controls as escapes', () => {
    expect(escapeControl('a\nb\r\nc\td\u0000e\u0007f\u001b[2Jg')).toBe('a\\nb\\r\\nc\\td\\u0000e\\u0007f\\u001b[2Jg');
  });

  it('shows DEL, C1 controls, bidi controls and line separators as escapes', () => {
    expect(escapeControl('\u007f\u0085\u009b2J\u202a\u202e\u2066\u2069\u061c\u200e\u200f\u2028\u2029')).toBe(
      '\\u007f\\u0085\\u009b2J\\u202a\\u202e\\u2066\\u2069\\u061c\\u200e\\u200f\\u2028\\u2029',
    );
  });

  it('leaves everything else as it is, backslashes and non-ASCII letters included', () => {
    const ordinary = 'C:\\path\\n "quoted" <b> é ü 日本 😀 ::error:: %0A';
    expect(escapeControl(ordinary)).toBe(ordinary);
  });

  it('makes one line of any value', () => {
    expect(escapeControl('x\n::error file=a.tf::pwned\r\u2028y').split('\n')).toHaveLength(1);
  });
});

describe('stringifyJson', () => {
  it('writes what JSON.stringify leaves raw as \\u escapes, with the same values', () => {
    const value = { name: 'a\u001b[2J\u009b\u202e\u2028\u007f\nb', 'key\u202e': [1, 'é'] };
    const text = stringifyJson(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    expect(text).toContain('"a\\u001b[2J\\u009b\\u202e\\u2028\\u007f\\nb"');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('indents like JSON.stringify(value, null, 2) by default', () => {
    expect(stringifyJson({ a: [1] })).toBe(JSON.stringify({ a: [1] }, null, 2));
  });
});
