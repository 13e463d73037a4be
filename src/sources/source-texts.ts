import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files larger than this are not kept for line lookups: a 100 MB plan has no useful "line". */
const MAX_BYTES = 8 * 1024 * 1024;
/** Only the start of a long line is fingerprinted: minified JSON is one line. */
const MAX_LINE = 400;

/**
 * Reads scanned files a second time, on demand and once each, for what needs their text after the
 * model is built: `gatewarden:ignore` comments and the line a finding's fingerprint is made of.
 * Unreadable and very large files give `undefined`, never an error: the scan already reported them.
 */
export class SourceTexts {
  private readonly cache = new Map<string, string[] | undefined>();

  /** @param root the directory paths are relative to (the scan root). */
  constructor(private readonly root: string) {}

  /** The lines of a file (relative to the root), or undefined. */
  lines(file: string): readonly string[] | undefined {
    if (this.cache.has(file)) return this.cache.get(file);
    let lines: string[] | undefined;
    try {
      const full = path.resolve(this.root, file);
      if (statSync(full).size <= MAX_BYTES) lines = readFileSync(full, 'utf8').split(/\r?\n/);
    } catch {
      lines = undefined;
    }
    this.cache.set(file, lines);
    return lines;
  }

  /** The whole text of a file, or undefined. */
  text(file: string): string | undefined {
    return this.lines(file)?.join('\n');
  }

  /** Line `line` (1-based) of a file, cut to its first few hundred characters; undefined when unknown. */
  lineText(file: string, line: number): string | undefined {
    const text = this.lines(file)?.[line - 1];
    return text === undefined ? undefined : text.slice(0, MAX_LINE);
  }
}
