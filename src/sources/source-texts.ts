import path from 'node:path';
import type { FileAccess } from './file-access.js';

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
  private readonly texts = new Map<string, string | undefined>();
  /** Split only for files a finding points into; comments are looked for in the whole text. */
  private readonly lines = new Map<string, readonly string[] | undefined>();

  /**
   * @param root the directory paths are relative to (the scan root).
   * @param access the scan's file access: the same boundary, and the same decoding (a BOM removed,
   * UTF-16 decoded), so lines here are the lines the readers saw.
   */
  constructor(
    private readonly root: string,
    private readonly access: FileAccess,
  ) {}

  /** The whole text of a file (relative to the root), or undefined. */
  text(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const full = path.resolve(this.root, file);
    const read = this.access.read(full, { maxBytes: MAX_BYTES });
    const text = read.ok ? read.text : undefined;
    this.texts.set(file, text);
    return text;
  }

  /** Line `line` (1-based) of a file, cut to its first few hundred characters; undefined when unknown. */
  lineText(file: string, line: number): string | undefined {
    if (!this.lines.has(file)) this.lines.set(file, this.text(file)?.split(/\r?\n/));
    const text = this.lines.get(file)?.[line - 1];
    return text === undefined ? undefined : text.slice(0, MAX_LINE);
  }
}
