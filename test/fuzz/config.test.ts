import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { GatewardenError } from '../../src/errors.js';
import { arbitraryText, expectLocationInside, fuzzFixture, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';

const TOKENS = ['fail-on: high\n', 'policies:\n', '  enable: [', '  disable:\n', '  severity:\n', '    route-requires-auth: low\n', 'exclude:\n', '  - "**/test/**"\n', 'vars:\n', '  region: eu-west-1\n', 'var-files: [a.tfvars]\n', 'parameters:\n', 'baseline: b.json\n', 'suppressions:\n', '  - policy: cors-not-open\n', '    address: aws_x.y\n', '    path: "a/**"\n', '    reason: ok\n', '    until: 2026-01-01\n', 'limits:\n', '  depth: 300\n', '  file-size: 1GiB\n', '&a ', '*a', '<<: ', '- ', ': ', '[', ']', '{', '}', ',', '"', "'", '#', '---\n', '\n', '  ', '\t', '~', '!!str ', '?', '!'];

const configSeeds = seeds((file) => file.startsWith('test/fixtures/config/') && /\.ya?ml$/.test(file));

/** Parses a config; a GatewardenError('config') pointing inside the text is the one allowed failure. */
function parse(text: string): LoadedConfig | GatewardenError {
  try {
    return parseConfig(text, '/fuzz/.gatewarden.yaml', (file) => file.replace('/fuzz/', ''), { today: '2026-06-15' });
  } catch (error) {
    if (error instanceof GatewardenError && error.code === 'config') {
      if (error.location) expectLocationInside(error.location, '.gatewarden.yaml', text);
      return error;
    }
    throw error;
  }
}

describe('the config loader on arbitrary and mutated input', () => {
  it('finds realistic config files to mutate', () => {
    expect(configSeeds.length).toBeGreaterThan(30);
  });

  it('reads any text into a config or a config error pointing inside it, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(TOKENS).map((text) => ({ file: 'c.yaml', text })), mutatedSeed(configSeeds, TOKENS)), ({ text }) => {
        const result = parse(text);
        if (!(result instanceof GatewardenError)) for (const warning of result.warnings) if (warning.location) expectLocationInside(warning.location, '.gatewarden.yaml', text);
      }),
      { numRuns: runs(150) },
    );
  });

  it('reads a valid config the same after a line above it, with every location one line lower', () => {
    const valid = configSeeds.filter((seed) => seed.file.includes('/valid/'));
    /** The value with every location moved down by `lines`. */
    const moved = (value: unknown, lines: number): unknown => {
      if (Array.isArray(value)) return value.map((item) => moved(item, lines));
      if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, moved(item, lines)]));
      if (typeof value !== 'object' || value === null) return value;
      const out = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, moved(item, lines)]));
      if ('file' in out && typeof out.startLine === 'number' && typeof out.endLine === 'number') return { ...out, startLine: out.startLine + lines, endLine: out.endLine + lines };
      return out;
    };
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.constantFrom('# a comment\n', '\n', '---\n'), ({ text }, line) => {
        const before = parse(text);
        const after = parse(line + text);
        expect(before).not.toBeInstanceOf(GatewardenError);
        expect((after as LoadedConfig).config).toEqual(moved((before as LoadedConfig).config, 1));
      }),
      { numRuns: runs(30) },
    );
  });
});

describe('config files that crashed or hung the loader (test/fixtures/fuzz)', () => {
  it.each(['yaml/dash-sequence.yaml.fuzz', 'yaml/deep-flow.yaml.fuzz'])('rejects %s as over the depth limit with a config error at its line', (name) => {
    const text = fuzzFixture(name);
    const error = parse(text);
    expect(error).toBeInstanceOf(GatewardenError);
    expect((error as GatewardenError).message).toMatch(/nests more than 200 levels deep.*"depth" limit/);
    expect((error as GatewardenError).location).toMatchObject({ file: '.gatewarden.yaml', startLine: expect.any(Number) });
  });

  it('follows thousands of anchors in linear time', () => {
    // Each alias was resolved by walking the whole document: 5,000 took about 2 s, 20,000 half a minute.
    const text = `exclude: &e0 ["a/**"]\n${Array.from({ length: 20_000 }, (_, i) => `# ${i}\n`).join('')}${Array.from({ length: 3_000 }, (_, i) => `x${i}: *e0`).join('\n')}\n`;
    const started = performance.now();
    expect(parse(text)).toBeInstanceOf(GatewardenError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
