import type { SourceLocation } from '../../model/location.js';
import { positionAt } from '../text-position.js';

/**
 * Source positions of a file, keyed by path. In a Terraform file a top-level block is
 * `[type, ...labels]` (`resource/aws_api_gateway_method/get`), a nested block adds
 * `[type, ...labels, occurrence]` (`.../settings/0`), an attribute adds its name, and keys inside an
 * object-valued attribute (`body = jsonencode({ paths = ... })`) add theirs; both the HCL and the JSON
 * readers produce it. CloudFormation and ARM templates key it by the JSON/YAML path of each node.
 *
 * Ranges are kept as character offsets packed in one number and turned into lines and columns only
 * when asked for: most of a file's positions are never reported.
 */
export class PositionIndex {
  private readonly ranges = new Map<string, number>();
  /** Ranges that do not fit the packed form (files over 64 MiB). */
  private readonly large = new Map<string, readonly [number, number]>();

  /**
   * @param file - the file as shown to users.
   * @param lineStartOffsets - offsets at which each line of the file starts (see `lineStarts`).
   */
  constructor(
    readonly file: string,
    private readonly lineStartOffsets: readonly number[],
  ) {}

  /** Records where a path is defined, as character offsets (end exclusive). The first definition wins. */
  set(path: readonly string[], start: number, end: number): void {
    const key = path.join(SEPARATOR);
    if (this.ranges.has(key) || this.large.has(key)) return;
    const length = Math.max(end - start, 0);
    if (start < RANGE_BASE && length < RANGE_BASE) this.ranges.set(key, start * RANGE_BASE + length);
    else this.large.set(key, [start, start + length]);
  }

  /** Returns the location of exactly this path, if known. */
  get(path: readonly string[]): SourceLocation | undefined {
    return this.lookup(path.join(SEPARATOR));
  }

  /** Returns the location of the path or of its nearest recorded ancestor. */
  nearest(path: readonly string[]): SourceLocation | undefined {
    // Build every prefix key once, longest first, without re-joining the path for each length.
    const keys: string[] = [];
    let key = '';
    for (let i = 0; i < path.length; i++) {
      key = i === 0 ? path[0]! : `${key}${SEPARATOR}${path[i]}`;
      keys.push(key);
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const found = this.lookup(keys[i]!);
      if (found) return found;
    }
    return undefined;
  }

  /** Every recorded path. */
  *paths(): IterableIterator<string[]> {
    for (const key of this.ranges.keys()) yield key.split(SEPARATOR);
    for (const key of this.large.keys()) yield key.split(SEPARATOR);
  }

  /** The character range (end exclusive) of exactly this path, if known. */
  rangeOf(path: readonly string[]): readonly [number, number] | undefined {
    return this.rangeOfKey(path.join(SEPARATOR));
  }

  private rangeOfKey(key: string): readonly [number, number] | undefined {
    const packed = this.ranges.get(key);
    if (packed !== undefined) return [Math.floor(packed / RANGE_BASE), Math.floor(packed / RANGE_BASE) + (packed % RANGE_BASE)];
    return this.large.get(key);
  }

  /** Every recorded path (joined with U+001F) and its location, for tests. */
  *entries(): IterableIterator<[string, SourceLocation]> {
    for (const key of [...this.ranges.keys(), ...this.large.keys()]) yield [key, this.lookup(key)!];
  }

  /** Number of recorded paths. */
  get size(): number {
    return this.ranges.size + this.large.size;
  }

  private lookup(key: string): SourceLocation | undefined {
    const range = this.rangeOfKey(key);
    return range ? this.locationOf(range[0], range[1]) : undefined;
  }

  private locationOf(start: number, end: number): SourceLocation {
    const from = positionAt(this.lineStartOffsets, start);
    const to = positionAt(this.lineStartOffsets, end);
    return { file: this.file, startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  }
}

// A control character cannot occur in a Terraform identifier and is very unlikely in an object key.
const SEPARATOR = '\u001f';

// start * 2^26 + length stays exact in a double while both are below 2^26 (64 MiB).
const RANGE_BASE = 2 ** 26;
