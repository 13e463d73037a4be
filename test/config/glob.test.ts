import { describe, expect, it } from 'vitest';
import { GlobSyntaxError, compileGlobs, globProblem, compileGlob, normalizeGlobPath } from '../../src/config/glob.js';

/** [pattern, path, matches] */
type Case = readonly [string, string, boolean];

const check = (cases: readonly Case[]): void => {
  const wrong = cases.filter(([pattern, file, expected]) => compileGlobs([pattern])(file) !== expected);
  expect(wrong).toEqual([]);
};

describe('glob patterns', () => {
  it('"*" matches within one segment, including nothing and leading dots', () => {
    check([
      ['*.tf', 'main.tf', true],
      ['*.tf', '.tf', true],
      ['*.tf', 'main.tf.json', false],
      ['modules/*.tf', 'modules/api.tf', true],
      ['modules/*.tf', 'modules/api/main.tf', false],
      ['modules/*', 'modules/.terraform', true],
      ['a*b', 'ab', true],
      ['a*b', 'a/b', false],
      ['a**b', 'axxb', true],
      ['a**b', 'a/x/b', false],
    ]);
  });

  it('"?" matches one character, never "/"', () => {
    check([
      ['main.t?', 'main.tf', true],
      ['main.t?', 'main.t', false],
      ['main.t?', 'main.tfx', false],
      ['a?b', 'a/b', false],
    ]);
  });

  it('"**" matches any number of whole segments, including zero', () => {
    check([
      ['**/test', 'test', true],
      ['**/test', 'a/b/test', true],
      ['**/test/fixtures/**', 'test/fixtures/x.tf', true],
      ['**/test/fixtures/**', 'pkg/a/test/fixtures/deep/x.tf', true],
      ['**/test/fixtures/**', 'pkg/test/x.tf', false],
      ['**/test/fixtures/**', 'pkg/latest/fixtures/x.tf', false],
      ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true],
      ['a/**/b', 'a/xb', false],
      ['a/**', 'a/x', true],
      ['a/**', 'a/x/y/z.tf', true],
      ['a/**', 'ab/x', false],
      ['a/**', 'a', false],
      ['**', 'anything/at/all.tf', true],
      ['**/*.tf', 'main.tf', true],
      ['**/*.tf', 'a/b/main.tf', true],
      ['**/*.tf', 'a/b/main.json', false],
    ]);
  });

  it('character classes: members, ranges, negation, never "/"', () => {
    check([
      ['[abc].tf', 'b.tf', true],
      ['[abc].tf', 'd.tf', false],
      ['v[0-9].tf', 'v7.tf', true],
      ['v[0-9].tf', 'vx.tf', false],
      ['[!abc].tf', 'd.tf', true],
      ['[!abc].tf', 'a.tf', false],
      ['[^abc].tf', 'd.tf', true],
      ['x[!a]y', 'x/y', false],
      ['x[/]y', 'x/y', false],
      ['[]x].tf', '].tf', true],
      ['[.]tf', '.tf', true],
      ['[.]tf', 'xtf', false],
      ['[\\d].tf', 'd.tf', true],
      ['[\\d].tf', '1.tf', false],
    ]);
  });

  it('"{a,b}" alternatives, with wildcards and nesting', () => {
    check([
      ['{examples,samples}/**', 'examples/a.tf', true],
      ['{examples,samples}/**', 'samples/a.tf', true],
      ['{examples,samples}/**', 'other/a.tf', false],
      ['*.{tf,json}', 'x.json', true],
      ['*.{tf,json}', 'x.yaml', false],
      ['{*.tf,{x,y}.json}', 'y.json', true],
      ['{*.tf,{x,y}.json}', 'z.json', false],
      ['main{,.override}.tf', 'main.tf', true],
      ['main{,.override}.tf', 'main.override.tf', true],
      ['{**/fixtures,docs}/**', 'a/b/fixtures/x', true],
    ]);
  });

  it('a pattern without "/" matches a name at any depth; one with "/" is anchored', () => {
    check([
      ['fixtures', 'fixtures', true],
      ['fixtures', 'a/b/fixtures', true],
      ['fixtures', 'a/fixtures/x.tf', true],
      ['fixtures', 'a/myfixtures/x.tf', false],
      ['*.tfvars', 'envs/prod/x.tfvars', true],
      ['examples/**', 'examples/a.tf', true],
      ['examples/**', 'sub/examples/a.tf', false],
      ['/main.tf', 'main.tf', true],
      ['/main.tf', 'modules/main.tf', false],
      ['./main.tf', 'main.tf', true],
      ['./main.tf', 'modules/main.tf', false],
      ['modules/api', 'modules/api/main.tf', true],
      ['modules/api', 'x/modules/api/main.tf', false],
    ]);
  });

  it('a pattern naming a directory excludes everything under it; a trailing "/" means directories only', () => {
    check([
      ['examples', 'examples/a/b.tf', true],
      ['examples/', 'examples/a/b.tf', true],
      ['examples/', 'x/examples/a.tf', true],
      ['examples/', 'examples', false],
      ['build/', 'build', false],
      ['build', 'build', true],
      ['a/**/', 'a/x.tf', false],
      ['a/**/', 'a/d/x.tf', true],
      ['*.tf', 'weird.tf/inside.json', true],
    ]);
  });

  it('a path with a trailing "/" is a directory: it matches when a pattern covers all of it', () => {
    check([
      ['examples', 'examples/', true],
      ['examples/', 'examples/', true],
      ['examples/**', 'examples/', true],
      ['examples/*', 'examples/', true],
      ['examples/*.tf', 'examples/', false],
      ['**/test/fixtures/**', 'a/test/fixtures/', true],
      ['**/test/fixtures/**', 'a/test/', false],
      ['*.tf', 'modules/', false],
    ]);
  });

  it('escapes and literal regular-expression characters', () => {
    check([
      ['\\*.tf', '*.tf', true],
      ['\\*.tf', 'a.tf', false],
      ['a+b(c).tf', 'a+b(c).tf', true],
      ['a.tf', 'aXtf', false],
      ['$x^', '$x^', true],
      ['a}b', 'a}b', true],
      ['a,b', 'a,b', true],
    ]);
  });

  it('is case-sensitive', () => {
    check([
      ['*.TF', 'main.tf', false],
      ['Examples', 'examples/a.tf', false],
    ]);
  });

  it('normalizes paths: backslashes, "./", doubled slashes', () => {
    expect(normalizeGlobPath('./a//b\\c.tf')).toBe('a/b/c.tf');
    expect(compileGlobs(['a/b/*.tf'])('./a//b/c.tf')).toBe(true);
  });

  it('"/", "." and "./" name the base directory: everything', () => {
    for (const pattern of ['/', '.', './']) expect(compileGlobs([pattern])('a/b.tf')).toBe(true);
  });

  it('combines patterns: any match', () => {
    const excluded = compileGlobs(['examples/**', '**/test/fixtures/**', '*.generated.tf']);
    expect(excluded('examples/x.tf')).toBe(true);
    expect(excluded('pkg/test/fixtures/y.tf')).toBe(true);
    expect(excluded('modules/api.generated.tf')).toBe(true);
    expect(excluded('modules/api.tf')).toBe(false);
    expect(compileGlobs([])('anything')).toBe(false);
  });

  it('rejects what it cannot compile, saying where', () => {
    const problems: Array<[string, RegExp]> = [
      ['', /empty pattern/],
      ['   ', /empty pattern/],
      ['!keep.tf', /negation/],
      ['modules/[ab.tf', /unclosed "\[" .* \(at character 9\)/],
      ['{a,b', /unclosed "\{"/],
      ['a{b,{c,d}', /unclosed "\{"/],
      ['x\\', /escapes nothing/],
      ['[z-a]', /invalid character range/],
      [`${'*a'.repeat(512)}b`, /a pattern may be at most 1,024 characters, and this one has 1,025 characters in the glob pattern "\*a\*a.{36}…" \(at character 1025\)/],
    ];
    for (const [pattern, message] of problems) {
      expect(() => compileGlob(pattern), pattern).toThrow(GlobSyntaxError);
      expect(globProblem(pattern), pattern).toMatch(message);
    }
    expect(() => compileGlobs(['ok/**', '[bad'])).toThrow(GlobSyntaxError);
    expect(globProblem('examples/**')).toBeUndefined();
    // The longest pattern allowed still compiles, and matches in linear time.
    expect(compileGlob(`${'*a'.repeat(511)}*b`).test(`${'a'.repeat(4000)}b`)).toBe(true);
  });
});
