import { describe, expect, it } from 'vitest';
import { ArmSyntaxError, classifyArmString, parseArmExpression, printArmExpression } from '../../../src/sources/arm/syntax.js';

describe('ARM expression syntax', () => {
  it('tells expressions from literals, with [[ escaping a literal [', () => {
    expect(classifyArmString("[parameters('a')]")).toEqual({ kind: 'expression', source: "parameters('a')" });
    expect(classifyArmString('[[not an expression]')).toEqual({ kind: 'literal', value: '[not an expression]' });
    expect(classifyArmString('[test] value')).toEqual({ kind: 'literal', value: '[test] value' });
    expect(classifyArmString('plain')).toEqual({ kind: 'literal', value: 'plain' });
  });

  it('parses literals, calls, namespaced calls, member access and indexes', () => {
    const expression = parseArmExpression("concat(parameters('a').b['c'][0], 'it''s', -1, true, null, contoso.prefix('x'))");
    expect(expression).toEqual({
      kind: 'call',
      name: 'concat',
      args: [
        {
          kind: 'index',
          target: { kind: 'index', target: { kind: 'member', target: { kind: 'call', name: 'parameters', args: [{ kind: 'string', value: 'a' }] }, name: 'b' }, index: { kind: 'string', value: 'c' } },
          index: { kind: 'number', value: 0 },
        },
        { kind: 'string', value: "it's" },
        { kind: 'number', value: -1 },
        { kind: 'constant', value: true },
        { kind: 'constant', value: null },
        { kind: 'call', name: 'contoso.prefix', args: [{ kind: 'string', value: 'x' }] },
      ],
    });
    expect(printArmExpression(expression)).toBe("concat(parameters('a').b['c'][0], 'it''s', -1, true, null, contoso.prefix('x'))");
  });

  it('reports syntax errors with an offset', () => {
    for (const [source, message, offset] of [
      ["concat('a'", 'expected ) but found the end of the expression', 10],
      ["concat('a)", 'a string is not closed', 7],
      ['', 'the expression is empty', 0],
      ["parameters('a') x", 'unexpected x after the expression', 16],
      ['foo', 'foo is not a function call (expected foo(...))', 0],
      ['a(#)', 'unexpected character "#"', 2],
    ] as const) {
      expect(() => parseArmExpression(source), source).toThrow(new ArmSyntaxError(message, offset));
    }
  });
});
