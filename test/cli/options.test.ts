import { describe, expect, expectTypeOf, it } from 'vitest';
import { GatewardenError } from '../../src/errors.js';
import { mergeOptions, parseCommandLine, renderOptions, type CliOption } from '../../src/cli/options.js';

// A provider module would export its options like this.
const PROVIDER_OPTIONS = [
  { name: 'project', type: 'string', value: 'ID', description: 'the project to audit' },
  { name: 'zones', short: 'z', type: 'string', value: 'LIST', multiple: true, description: 'zones (repeatable)' },
] as const satisfies readonly CliOption[];
const SHARED = [
  { name: 'no-color', type: 'boolean', description: 'no colours' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
] as const satisfies readonly CliOption[];

describe('parseCommandLine', () => {
  it('reads the options of a provider and the shared ones, typed by name', () => {
    const { values, positionals } = parseCommandLine({ command: 'audit demo', options: [...PROVIDER_OPTIONS, ...SHARED], positionals: true }, ['--project', 'p1', '-z', 'a', '--zones', 'b', 'rest']);
    expect(values).toEqual({ project: 'p1', zones: ['a', 'b'], 'no-color': false, help: false });
    expect(positionals).toEqual(['rest']);
    expectTypeOf(values.project).toEqualTypeOf<string | undefined>();
    expectTypeOf(values.zones).toEqualTypeOf<string[] | undefined>();
    expectTypeOf(values['no-color']).toEqualTypeOf<boolean>();
  });

  it('throws a usage error naming the closest option and the command help', () => {
    const line = { command: 'audit demo', options: [...PROVIDER_OPTIONS, ...SHARED], positionals: false };
    expect(() => parseCommandLine(line, ['--projet', 'p1'])).toThrow(new GatewardenError('usage', 'unknown option "--projet" for audit demo; did you mean --project? Run "gatewarden audit demo --help" to see its options'));
    expect(() => parseCommandLine({ ...line, refused: { zone: 'say --zones' } }, ['--zone', 'a'])).toThrow(new GatewardenError('usage', 'say --zones'));
  });
});

describe('renderOptions', () => {
  it('puts descriptions at column 26, after a long name on a line of their own, wrapped at 100 columns (74 characters of description)', () => {
    const long = { name: 'create-baseline', type: 'string', value: 'FILE', description: 'word '.repeat(20).trim() } as const satisfies CliOption;
    expect(renderOptions([...PROVIDER_OPTIONS, long, ...SHARED])).toBe(
      [
        '      --project ID        the project to audit',
        '  -z, --zones LIST        zones (repeatable)',
        '      --create-baseline FILE',
        `                          ${'word '.repeat(15).trim()}`,
        `                          ${'word '.repeat(5).trim()}`,
        '      --no-color          no colours',
        '  -h, --help              show this help',
        '',
      ].join('\n'),
    );
  });
});

describe('mergeOptions', () => {
  it('keeps the first declaration of each name, in order', () => {
    const other = { name: 'help', type: 'boolean', description: 'other' } as const satisfies CliOption;
    expect(mergeOptions(SHARED, [other], PROVIDER_OPTIONS).map((option) => option.name)).toEqual(['no-color', 'help', 'project', 'zones']);
    expect(mergeOptions(SHARED, [other])[1]).toBe(SHARED[1]);
  });
});
