import type { SourceLocation } from '../../model/location.js';
import { lineStarts, positionAt } from '../text-position.js';

const RESOURCE_ADDRESS = /^(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_-]+(?:\[.*\])?$/;

/** Escapes one JSON pointer segment (RFC 6901). */
function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Finds where a resource and its attributes are written in a plan's JSON text, by searching the text
 * rather than parsing it again with positions: `terraform show -json` writes one line of up to
 * hundreds of megabytes, and most resources are never reported. Every location carries the JSON
 * pointer; a single-line plan gives line 1 with it, a pretty-printed one the real line.
 */
export class PlanLocator {
  private entries?: Map<string, { readonly offset: number; readonly end: number }>;
  private starts?: number[];
  private singleLine?: boolean;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  /**
   * The location of `path` (through `change.after`) of the `index`-th entry of `resource_changes`,
   * or of the entry itself when the path is empty or not found.
   */
  locate(address: string, index: number, path: ReadonlyArray<string | number>): SourceLocation {
    const entry = this.entryOf(address);
    const pointer = `/resource_changes/${index}${path.length > 0 ? `/change/after/${path.map(pointerSegment).join('/')}` : ''}`;
    if (!entry) return { ...this.at(0), pointer };
    // Search inside the entry only: a miss must not scan the rest of a plan of hundreds of megabytes.
    const window = this.text.slice(entry.offset, entry.end);
    let offset = 0;
    if (path.length > 0) {
      const after = keyIn(window, 'after', 0);
      if (after !== undefined) {
        offset = after;
        for (const segment of path) {
          if (typeof segment === 'number' || /^\d+$/.test(String(segment))) continue;
          const found = keyIn(window, String(segment), offset);
          if (found === undefined) break;
          offset = found;
        }
      }
    }
    return { ...this.at(entry.offset + offset), pointer };
  }

  private at(offset: number): Omit<SourceLocation, 'pointer'> {
    // A plan as terraform show -json writes it is one line: no need to index line starts.
    this.singleLine ??= this.text.indexOf('\n') < 0 || this.text.indexOf('\n') === this.text.length - 1;
    if (this.singleLine) return { file: this.file, startLine: 1, startColumn: offset + 1, endLine: 1, endColumn: offset + 1 };
    this.starts ??= lineStarts(this.text);
    const { line, column } = positionAt(this.starts, offset);
    return { file: this.file, startLine: line, startColumn: column, endLine: line, endColumn: column };
  }

  /** Where each `resource_changes` entry's `"address"` is, built in one pass on first use. */
  private entryOf(address: string): { offset: number; end: number } | undefined {
    if (!this.entries) {
      this.entries = new Map();
      const section = this.text.indexOf('"resource_changes"');
      if (section >= 0) {
        const pattern = /"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
        pattern.lastIndex = section;
        let previous: { address: string; offset: number } | undefined;
        const close = (end: number): void => {
          if (previous && !this.entries!.has(previous.address)) this.entries!.set(previous.address, { offset: previous.offset, end });
        };
        for (let match = pattern.exec(this.text); match; match = pattern.exec(this.text)) {
          let decoded: string;
          try {
            decoded = JSON.parse(`"${match[1]}"`) as string;
          } catch {
            continue;
          }
          // Entries begin with their address; an attribute named "address" inside values is skipped.
          if (!RESOURCE_ADDRESS.test(decoded)) continue;
          close(match.index);
          previous = { address: decoded, offset: match.index };
        }
        close(this.text.length);
      }
    }
    return this.entries.get(address);
  }
}

/** Offset of `"key":` in a piece of JSON text, from `from` on. */
function keyIn(text: string, key: string, from: number): number | undefined {
  const needle = JSON.stringify(key);
  for (let at = text.indexOf(needle, from); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    if (/^\s*:/.test(text.slice(at + needle.length, at + needle.length + 8))) return at;
  }
  return undefined;
}
