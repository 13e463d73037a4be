import type { SourceLocation } from '../../model/location.js';

/**
 * Source positions of a Terraform file, keyed by path: a top-level block is `[type, ...labels]`
 * (`resource/aws_api_gateway_method/get`), a nested block adds `[type, ...labels, occurrence]`
 * (`.../settings/0`), an attribute adds its name, and keys inside an object-valued attribute
 * (`body = jsonencode({ paths = ... })`) add theirs. Both the HCL and the JSON readers produce it.
 */
export class PositionIndex {
  private readonly entries_ = new Map<string, SourceLocation>();

  constructor(readonly file: string) {}

  /** Records where a path is defined. The first definition wins. */
  set(path: readonly string[], location: SourceLocation): void {
    const key = path.join(SEPARATOR);
    if (!this.entries_.has(key)) this.entries_.set(key, location);
  }

  /** Returns the location of exactly this path, if known. */
  get(path: readonly string[]): SourceLocation | undefined {
    return this.entries_.get(path.join(SEPARATOR));
  }

  /** Returns the location of the path or of its nearest recorded ancestor. */
  nearest(path: readonly string[]): SourceLocation | undefined {
    for (let length = path.length; length > 0; length--) {
      const found = this.get(path.slice(0, length));
      if (found) return found;
    }
    return undefined;
  }

  /** Every recorded path (joined with U+001F) and its location, for tests. */
  entries(): IterableIterator<[string, SourceLocation]> {
    return this.entries_.entries();
  }

  /** Number of recorded paths (for tests and diagnostics). */
  get size(): number {
    return this.entries_.size;
  }
}

// A control character cannot occur in a Terraform identifier and is very unlikely in an object key.
const SEPARATOR = '\u001f';
