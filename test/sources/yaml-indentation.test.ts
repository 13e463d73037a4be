import { describe, expect, it } from 'vitest';
import { reindentLikeLibyaml } from '../../src/sources/yaml-indentation.js';
import { parseYamlLikeLibyaml } from '../../src/sources/yaml.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('re-indenting YAML as libyaml reads it', () => {
  it('indents only the lines inside a flow collection or a quoted scalar that need it, and maps offsets back', () => {
    const text = lines('Api:', '  Cors: {', '  AllowOrigin: "*",', 'MaxAge: 600 }', '  Description: "two', 'lines"', '  Name: orders');
    const reindented = reindentLikeLibyaml(text)!;
    expect(reindented.lines).toEqual([3, 4, 6]);
    // One space more than the key: what the `yaml` library asks for.
    expect(reindented.text).toBe(lines('Api:', '  Cors: {', '   AllowOrigin: "*",', '   MaxAge: 600 }', '  Description: "two', '   lines"', '  Name: orders'));
    // An offset in the added spaces is the line's start; past them, the character it was.
    expect(reindented.toOriginal(reindented.text.indexOf('MaxAge'))).toBe(text.indexOf('MaxAge'));
    expect(reindented.toOriginal(reindented.text.indexOf('   MaxAge'))).toBe(text.indexOf('MaxAge'));
    expect(reindented.toOriginal(reindented.text.indexOf('AllowOrigin'))).toBe(text.indexOf('AllowOrigin'));
    expect(reindented.toOriginal(reindented.text.indexOf('Name'))).toBe(text.indexOf('Name'));
  });

  it.each([
    ['YAML that needs nothing', lines('Api:', '  Cors: { AllowOrigin: "*" }', '  Types: [', '    EDGE ]')],
    ['a block scalar whose lines look like flow', lines('Api:', '  Body: |', '    {', '  paths: x')],
    ['text holding the lexer\'s control characters', lines('Api:', '  Cors: {', '\u0018AllowOrigin: x }')],
  ])('leaves %s as it is', (_what, text) => {
    expect(reindentLikeLibyaml(text)).toBeUndefined();
  });

  it('reads a 1 MB template with long block, plain and quoted scalars in time, each fed to the lexer once', () => {
    const long = (indent: number) => Array.from({ length: 8000 }, (_, i) => `${' '.repeat(indent)}word${i} and more words`).join('\n');
    const text = lines(
      'Resources:',
      '  Fn:',
      '    Properties:',
      '      Cors: {',
      '      AllowOrigin: "*" }',
      '      Code: |',
      long(8),
      '      Description: plain start',
      long(8),
      '      Summary: "quoted start',
      long(0),
      '      end"',
      '      Last: { a: 1,',
      'b: 2 }',
    );
    const started = process.hrtime.bigint();
    const reading = parseYamlLikeLibyaml(text, { uniqueKeys: false }, 100);
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(10);
    if ('tooDeep' in reading) throw new Error('not expected');
    expect(reading.document.errors).toEqual([]);
    expect(reading.reindented.slice(0, 1)).toEqual([5]);
    expect(reading.reindented.at(-1)).toBe(24011);
    expect((reading.document.toJS() as { Resources: { Fn: { Properties: { Last: unknown } } } }).Resources.Fn.Properties.Last).toEqual({ a: 1, b: 2 });
  });
});
