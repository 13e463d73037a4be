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
    let offset = entry.offset;
    if (path.length > 0) {
      const after = this.keyAfter('after', offset, entry.end);
      if (after !== undefined) {
        offset = after;
        for (const segment of path) {
          if (typeof segment === 'number' || /^\d+$/.test(String(segment))) continue;
          const found = this.keyAfter(String(segment), offset, entry.end);
          if (found === undefined) break;
          offset = found;
        }
      }
    }
    return { ...this.at(offset), pointer };
  }

  private at(offset: number): Omit<SourceLocation, 'pointer'> {
    this.starts ??= lineStarts(this.text);
    const { line, column } = positionAt(this.starts, offset);
    return { file: this.file, startLine: line, startColumn: column, endLine: line, endColumn: column };
  }

  /** Offset of `"key":` between `from` and `to`. */
  private keyAfter(key: string, from: number, to: number): number | undefined {
    const needle = `${JSON.stringify(key)}`;
    let at = this.text.indexOf(needle, from);
    while (at >= 0 && at < to) {
      const rest = this.text.slice(at + needle.length, at + needle.length + 8);
      if (/^\s*:/.test(rest)) return at;
      at = this.text.indexOf(needle, at + needle.length);
    }
    return undefined;
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
