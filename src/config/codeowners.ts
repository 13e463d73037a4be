import path from 'node:path';
import { compileGlob } from './glob.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';
import type { FileAccess } from '../sources/file-access.js';

// CODEOWNERS (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners)
// names the owners of a repository's files; gatewarden reads it as the last resort for the owner of
// a finding in a file. GitHub and GitLab read the first of these that exists, in this order.

/** Where a repository keeps its CODEOWNERS file, relative to its root, in the order GitHub looks. */
export const CODEOWNERS_FILES = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** One rule of a CODEOWNERS file. */
export interface CodeownersRule {
  readonly pattern: string;
  /** The owners as written (`@org/team`, `@user`, `mail@example.com`); empty: the files have no owner. */
  readonly owners: readonly string[];
  readonly test: (relPath: string) => boolean;
}

/** A read CODEOWNERS file: its rules in file order, and the repository root its patterns are relative to. */
export interface Codeowners {
  readonly root: string;
  /** The file, as reports show it. */
  readonly file: string;
  readonly rules: readonly CodeownersRule[];
}

/**
 * The rules of a CODEOWNERS text. Patterns follow `.gitignore` as GitHub's do, which is what the
 * config file's globs already implement (glob.ts). GitLab's `[Section]` headers and `^` optional
 * sections are skipped as headers, their rules kept. A pattern gatewarden cannot compile (`!x`, which
 * GitHub does not support either) becomes a warning, never a guess.
 */
export function parseCodeowners(text: string, file: string): { rules: CodeownersRule[]; diagnostics: Diagnostic[] } {
  const rules: CodeownersRule[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || /^\^?\[[^\]]*\](\[\d+\])?(\s+\S.*)?$/.test(line)) return;
    // An escaped space (`my\ file`) belongs to the pattern.
    const [pattern = '', ...owners] = line.split(/(?<!\\)\s+/);
    try {
      const matcher = compileGlob(pattern.replace(/\\ /g, ' '));
      rules.push({ pattern, owners, test: (relPath) => matcher.test(relPath) });
    } catch (error) {
      diagnostics.push({
        severity: 'warning',
        code: 'config',
        message: `the CODEOWNERS pattern "${pattern.slice(0, 80)}" is ignored: ${error instanceof Error ? error.message : String(error)}`,
        location: lineLocation(file, index + 1),
      });
    }
  });
  return { rules, diagnostics };
}

/**
 * Reads the CODEOWNERS file of the repository `root` (the first of {@link CODEOWNERS_FILES}), through
 * the scan's file access widened to the repository, as the config file is: a link out of it is not
 * followed. Undefined when there is none.
 */
export function readCodeowners(root: string, access: FileAccess): { codeowners?: Codeowners; diagnostics: Diagnostic[] } {
  const inRepository = access.withRoots([root]);
  for (const name of CODEOWNERS_FILES) {
    const file = path.join(root, name);
    if (inRepository.exists(file) !== true) continue;
    const read = inRepository.read(file);
    const shown = access.display(file);
    if (!read.ok) return { diagnostics: [{ severity: 'warning', code: 'read-error', message: `${read.message}; owners are not read from it`, location: lineLocation(shown, 1) }] };
    const { rules, diagnostics } = parseCodeowners(read.text, shown);
    return { codeowners: { root, file: shown, rules }, diagnostics };
  }
  return { diagnostics: [] };
}

/**
 * The owners of a file (absolute) by CODEOWNERS: the last rule that matches wins, as on GitHub;
 * undefined when none matches, the matching rule names nobody, or the file is outside the repository.
 */
export function codeownersOf(codeowners: Codeowners, absoluteFile: string): readonly string[] | undefined {
  const relative = path.relative(codeowners.root, absoluteFile).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) return undefined;
  for (let index = codeowners.rules.length - 1; index >= 0; index--) {
    const rule = codeowners.rules[index]!;
    if (rule.test(relative)) return rule.owners.length > 0 ? rule.owners : undefined;
  }
  return undefined;
}
