import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findIgnoreComments } from '../../src/sources/suppressions/comments.js';
import { arbitraryText, expectLocationInside, lineCount, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';

const TOKENS = ['# gatewarden:ignore route-requires-auth -- public\n', '// gatewarden:ignore a,b until=2030-01-01 -- reason\n', '/* gatewarden:ignore x */', '<!-- gatewarden:ignore cors-not-open: partner -->', 'gatewarden:ignore', ' gatewarden:ignore ', '#', '//', '/*', '*/', '<!--', '-->', '"', "'", '\\', '{', '}', '[', ']', '(', ')', '<a>', '</a>', '<b/>', '<<EOT\n', 'EOT\n', 'key: value\n', '  ', '\t', '\n', '\r\n', 'resource "a" "b" {\n', '}\n'];
const FILES = ['main.tf', 'template.yaml', 'policy.xml'] as const;

const commentSeeds = seeds((file) => /\.(tf|tfvars|ya?ml|xml)$/.test(file));

describe('inline suppressions on arbitrary and mutated input', () => {
  it('finds realistic files with suppressions to mutate', () => {
    expect(commentSeeds.filter((seed) => seed.text.includes('gatewarden:ignore')).length).toBeGreaterThanOrEqual(4);
  });

  it('finds comments and their scopes inside any text, in any of the three comment syntaxes', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(TOKENS).map((text) => ({ file: 'x', text })), mutatedSeed(commentSeeds, TOKENS)), fc.constantFrom(...FILES), ({ text }, file) => {
        const lines = lineCount(text);
        for (const comment of findIgnoreComments(file, text)) {
          expectLocationInside(comment.location, file, text);
          if (comment.scope) {
            expect(comment.scope.startLine).toBeGreaterThanOrEqual(1);
            expect(comment.scope.endLine).toBeGreaterThanOrEqual(comment.scope.startLine);
            expect(comment.scope.endLine).toBeLessThanOrEqual(lines);
          }
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('moves every comment and scope down by exactly the blank lines inserted above', () => {
    fc.assert(
      fc.property(mutatedSeed(commentSeeds, TOKENS), fc.constantFrom(...FILES), fc.integer({ min: 1, max: 4 }), ({ text }, file, shift) => {
        const before = findIgnoreComments(file, text);
        const after = findIgnoreComments(file, '\n'.repeat(shift) + text);
        expect(after).toEqual(
          before.map((comment) => ({
            ...comment,
            location: { ...comment.location, startLine: comment.location.startLine + shift, endLine: comment.location.endLine + shift },
            ...(comment.scope ? { scope: { startLine: comment.scope.startLine + shift, endLine: comment.scope.endLine + shift } } : {}),
          })),
        );
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('files of many suppressions that took quadratic time', () => {
  // Before, the time grew with the square of the comments: these took 32 s, 15 s, 22 s, 100 s and
  // 22 s; each takes well under a second now. The bound leaves room for a loaded machine.
  it.each([
    ['40,000 stacked comments above one block', 'main.tf', `${'# gatewarden:ignore x -- y\n'.repeat(40_000)}resource "a" "b" {}\n`],
    ['40,000 markers on one line', 'main.tf', `# ${'gatewarden:ignore '.repeat(40_000)}\n`],
    ['20,000 comments above unclosed blocks', 'main.tf', '# gatewarden:ignore x\nresource "a" "b" {\n'.repeat(20_000)],
    ['20,000 comments above unclosed elements', 'policy.xml', '<!-- gatewarden:ignore x -->\n<a>\n'.repeat(20_000)],
    ['3,000 comments above ever deeper YAML keys', 't.yaml', Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}# gatewarden:ignore x\n${' '.repeat(i)}a:`).join('\n')],
  ])('reads %s in linear time', (_, file, text) => {
    const started = performance.now();
    const comments = findIgnoreComments(file, text);
    expect(comments.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('narrows scopes to their first line only once the scan budget is spent', () => {
    const comments = findIgnoreComments('main.tf', '# gatewarden:ignore x\nresource "a" "b" {\n'.repeat(100_000));
    expect(comments[0]!.scope).toEqual({ startLine: 2, endLine: 200_001 });
    expect(comments.at(-1)!.scope).toEqual({ startLine: 200_000, endLine: 200_000 });
  });
});
