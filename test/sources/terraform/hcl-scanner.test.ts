import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanHclPositions } from '../../../src/sources/terraform/hcl-scanner.js';
import { HEREDOC_TEXT } from '../../../src/sources/terraform/positions.js';
import { indexHclPositions } from '../../helpers/tree-sitter-positions.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function hclFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === '.git' || name === 'dist') continue;
    if (statSync(full).isDirectory()) hclFiles(full, out);
    else if (name.endsWith('.tf') || name.endsWith('.tfvars')) out.push(full);
  }
  return out;
}

const UGLY = `# comment with { braces } and "quotes"
locals {
  a = "x" // trailing comment
  b = { "key with spaces" = 1, plain = [1, { nested = true }] }
}

resource "aws_x" "y" {
  single = "\${var.a} and \${"nested \\"string\\" }"} $\${literal}"
  heredoc = <<-EOT
    not { a block
    EOT
  cond = var.a == "x" ? { a = 1 } : { b = 2 }
  forx = { for k, v in local.b : k => v }
  call = merge({ one = 1 }, { two = 2 })
  /* block comment = "not an attribute" */
  inline { x = 1 }
  inline { x = 2 }
  dynamic "setting" {
    for_each = [1]
    content {
      v = setting.value
    }
  }
}
`;

describe('the HCL position scanner', () => {
  // Files hcl2json rejects never reach the scanner; they are tested for robustness below.
  const invalid = ['test/fixtures/terraform/syntax-error/broken.tf', 'test/fixtures/secrets/broken-near-secret/main.tf', 'test/fixtures/terraform/empty/empty.tf', 'test/fixtures/terraform/empty/comments-only.tf'];
  const files = [...hclFiles(path.join(repo, 'policies')), ...hclFiles(path.join(repo, 'samples')), ...hclFiles(path.join(repo, 'test/fixtures'))].filter(
    (file) => !invalid.includes(path.relative(repo, file)),
  );

  it('has files to compare with', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('agrees with tree-sitter on a file full of awkward constructs', async () => {
    const expected = await indexHclPositions('ugly.tf', UGLY);
    const actual = scanHclPositions('ugly.tf', UGLY);
    // The scanner also records where heredoc text starts (for documents embedded in heredocs).
    const withoutHeredocText = [...actual.entries()].filter(([key]) => !key.endsWith(HEREDOC_TEXT));
    expect(Object.fromEntries(withoutHeredocText)).toEqual(Object.fromEntries(expected.entries()));
    expect(actual.get(['resource', 'aws_x', 'y', 'inline', '1', 'x'])).toMatchObject({ startLine: 17 });
    // The heredoc opens on line 9; its text starts on line 10.
    expect(actual.get(['resource', 'aws_x', 'y', 'heredoc', HEREDOC_TEXT])).toMatchObject({ startLine: 10, startColumn: 1 });
  });

  // Every position tree-sitter knows must match. The scanner may know more: tree-sitter's CST walk
  // does not reach into some nested objects (quoted keys holding multi-line objects) that it does.
  it.each(files.map((file) => [path.relative(repo, file), file]))('agrees with tree-sitter on %s', async (_, file) => {
    const text = readFileSync(file, 'utf8');
    const expected = Object.fromEntries((await indexHclPositions('f.tf', text)).entries());
    const actual = Object.fromEntries(scanHclPositions('f.tf', text).entries());
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(actual).toMatchObject(expected);
  });

  it('never throws or hangs on text that is not HCL', () => {
    for (const text of ['resource "a" "b" {', '= = =', '"unterminated', '<<EOT\nno end', '{{{{', 'a = [1, 2', 'x = "${', '\u0000\u0001']) {
      expect(() => scanHclPositions('bad.tf', text)).not.toThrow();
    }
  });
});
