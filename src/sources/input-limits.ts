import { isAlias, isMap, isPair, isSeq, type Document } from 'yaml';
import { DEFAULT_LIMITS, limitDiagnostic, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';

// Checks made on input text before it reaches a parser or a walker of ours. Most walkers recurse
// (the structure they follow is a tree); a JSON file nested 3,000 levels deep overflowed the stack
// and lost the whole report. Depth is measured here, without recursion, and a file over the `depth`
// limit is reported instead of read.

/** The syntaxes whose nesting {@link textDepth} measures. */
export type NestingSyntax = 'json' | 'yaml' | 'hcl';

/**
 * The nesting depth of a text, measured without parsing it, stopping as soon as it passes `cap`:
 * brackets (`{`, `[`, and `(` in HCL) outside strings and comments, plus for YAML the levels of
 * block indentation. An estimate that never undercounts what a parser would build from brackets.
 */
export function textDepth(text: string, syntax: NestingSyntax, cap = Number.POSITIVE_INFINITY): number {
  return syntax === 'yaml' ? yamlDepth(text, cap) : syntax === 'json' ? jsonDepth(text, cap) : hclDepth(text, cap);
}

/**
 * JSON's depth, on the hot path of a 100 MB plan: strings are skipped with `indexOf` (native) rather
 * than character by character, which keeps the check under a tenth of `JSON.parse`'s time.
 */
function jsonDepth(text: string, cap: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = text.indexOf('"', i + 1);
      // A quote preceded by an odd number of backslashes is escaped: look further.
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return max;
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) {
        max = depth;
        if (max > cap) return max;
      }
    } else if ((c === 0x7d /* } */ || c === 0x5d) /* ] */ && depth > 0) {
      depth--;
    }
  }
  return max;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** HCL's depth: braces, brackets and parentheses outside strings and comments. */
function hclDepth(text: string, cap: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // A string: skip to its end (escapes included). What `${ ... }` nests inside it is left to the
      // expression parser's own depth guard.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
        else if (d === 0x0a) break;
      }
    } else if (c === 0x23 /* # */) {
      i = lineEnd(text, i);
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      i = lineEnd(text, i);
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */ || c === 0x28 /* ( */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > cap) return max;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */ || c === 0x29 /* ) */) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/**
 * YAML nests by indentation as well as by flow brackets: the depth of a line is the number of
 * enclosing block levels (a stack of indentations) plus the flow brackets open on it, and each `- `
 * that starts a nested sequence on the same line.
 */
function yamlDepth(text: string, cap: number): number {
  const indents: number[] = [];
  let max = 0;
  let flow = 0;
  let start = 0;
  while (start < text.length) {
    const end = lineEnd(text, start);
    let i = start;
    while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
    const blank = i === end || text.charCodeAt(i) === 0x23 /* # */;
    if (!blank) {
      if (flow === 0) {
        const indent = i - start;
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
      // Compact nested sequences (`- - - x`) open a level each.
      let dashes = 0;
      while (text.charCodeAt(i) === 0x2d /* - */ && (text.charCodeAt(i + 1) === 0x20 || i + 1 === end)) {
        dashes++;
        i += 2;
        while (i < end && text.charCodeAt(i) === 0x20) i++;
      }
      let quote = 0;
      for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (quote !== 0) {
          if (c === quote) quote = 0;
          else if (c === 0x5c && quote === 0x22) i++;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x23 && (text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x09)) break;
        else if (c === 0x7b || c === 0x5b) {
          flow++;
          if (indents.length + dashes + flow > max) max = indents.length + dashes + flow;
        } else if ((c === 0x7d || c === 0x5d) && flow > 0) flow--;
      }
      if (indents.length + dashes > max) max = indents.length + dashes;
      if (max > cap) return max;
    }
    start = end + 1;
  }
  return max;
}

/**
 * The limit diagnostic for a file nested deeper than the `depth` limit, or undefined when it is
 * within it. `what` names the file's kind for the message ("the template", "the plan").
 */
export function depthProblem(text: string, syntax: NestingSyntax, file: string, what: string, limits: Pick<Limits, 'depth'> = DEFAULT_LIMITS): Diagnostic | undefined {
  const depth = textDepth(text, syntax, limits.depth);
  if (depth <= limits.depth) return undefined;
  return limitDiagnostic({ name: 'depth', limit: limits.depth, what: `${what} nests deeper than ${limits.depth} levels; it was not read`, location: lineLocation(file, 1) });
}

/**
 * How many nodes expanding a YAML document's aliases adds (each alias stands for a copy of the node
 * it names, aliases inside that copy included), counted without expanding anything and stopping once
 * past `cap`. An "alias bomb" of a few kilobytes adds billions: counting first is what keeps
 * `toJS()` and our own converters from trying.
 */
export function aliasExpansion(document: Document, cap: number): number {
  // Sizes bottom-up, in one pass over the document as written and without recursion: an anchor comes
  // before its aliases in YAML, so the node an alias names is complete when the alias is met (or in
  // progress, for an alias inside the node it names: a cycle, which toJS refuses too).
  const sizes = new Map<unknown, number>();
  const children = (node: unknown): readonly unknown[] => (isMap(node) || isSeq(node) ? node.items : isPair(node) ? [node.key, node.value] : []);
  let added = 0;
  const stack: Array<{ node: unknown; next: number; size: number }> = [{ node: document.contents, next: 0, size: 1 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const items = children(frame.node);
    if (frame.next < items.length) {
      const child = items[frame.next++];
      if (isAlias(child)) {
        const expanded = sizes.get(child.resolve(document)) ?? 1;
        added += expanded;
        if (added > cap) return added;
        frame.size = Math.min(frame.size + expanded, cap + 1);
      } else if (isMap(child) || isSeq(child) || isPair(child)) {
        stack.push({ node: child, next: 0, size: 1 });
      } else {
        frame.size = Math.min(frame.size + 1, cap + 1);
      }
      continue;
    }
    stack.pop();
    sizes.set(frame.node, frame.size);
    const parent = stack[stack.length - 1];
    if (parent) parent.size = Math.min(parent.size + frame.size, cap + 1);
  }
  return added;
}

/** The limit diagnostic for a YAML document whose aliases expand past the `yaml-alias-nodes` limit, or undefined. */
export function aliasProblem(document: Document, file: string, what: string, limits: Pick<Limits, 'yaml-alias-nodes'> = DEFAULT_LIMITS): Diagnostic | undefined {
  const limit = limits['yaml-alias-nodes'];
  const added = aliasExpansion(document, limit);
  if (added <= limit) return undefined;
  return limitDiagnostic({
    name: 'yaml-alias-nodes',
    limit,
    what: `the YAML aliases (*anchor) of ${what} expand to more than ${limit.toLocaleString('en-US')} nodes (an "alias bomb"?); it was not read`,
    location: lineLocation(file, 1),
  });
}
