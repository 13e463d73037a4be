import { FileAccess } from '../sources/file-access.js';
import { LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type CST } from 'yaml';
import { formatLimit, type LimitHit, type Limits } from '../limits.js';
import { pushAll } from '../arrays.js';

// Policy files and their test expectations come from directories the user names, and in CI from the
// repository being scanned (`policies.dirs` of its .gatewarden.yaml): they are untrusted input. Each
// is read within the `file-size`, `depth` and `yaml-alias-nodes` limits, checked before the library
// does the work they bound: the size before reading, the depth on the library's concrete syntax tree
// (built without recursion) before composing nodes (which recurses), the nodes aliases add before
// expanding them into JavaScript values.

/** The limits a policy file is read within. */
export type YamlLimits = Pick<Limits, 'file-size' | 'depth' | 'yaml-alias-nodes'>;

/** Why a YAML file was not read: a message, or a limit it went over; both with the line at fault. */
export type YamlProblem = { readonly line: number; readonly message: string } | { readonly line: number; readonly hit: Omit<LimitHit, 'location'> };

/** A YAML file read within the limits: its document (for node positions), line counter and value. */
export interface YamlRead {
  readonly doc: ReturnType<typeof parseDocument>;
  readonly lineCounter: LineCounter;
  readonly data: unknown;
}

/**
 * Reads a file's text through the file-access layer: it must lead inside `root` (the policy
 * directory: a `policy.yaml` that links to `/proc/self/environ` is not read), be a regular file (a
 * FIFO would wait forever), and be within the `file-size` limit. `what` names the file in messages
 * ("the policy file").
 */
export function readTextWithin(file: string, limit: number, what: string, root: string): { readonly text: string } | { readonly problem: YamlProblem } {
  // Messages name the file as `what`: the diagnostic's location already says which file it is.
  const read = new FileAccess({ roots: [root], limits: { 'file-size': limit }, display: () => what }).read(file);
  if (read.ok) return { text: read.text };
  if (read.refusal === 'too-large' && read.size !== undefined) return { problem: { line: 1, hit: sizeHit(read.size, limit, what) } };
  if (read.refusal === 'outside-roots') return { problem: { line: 1, message: `${what} is a symbolic link that leads outside its policy directory (to ${read.realPath ?? 'elsewhere'}); it was not read` } };
  return { problem: { line: 1, message: read.message } };
}

function sizeHit(size: number, limit: number, what: string): Omit<LimitHit, 'location'> {
  return { name: 'file-size', limit, found: size, what: `${what} is ${formatLimit('file-size', size)}; it was not loaded` };
}

/**
 * Parses one YAML document within the limits. Never throws: every problem (a syntax error, a limit
 * met, a failure of the library) is returned with its line, so one bad file cannot stop the others.
 */
export function readYamlWithin(text: string, limits: YamlLimits, what: string): YamlRead | { readonly problems: readonly YamlProblem[] } {
  try {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > limits['file-size']) return { problems: [{ line: 1, hit: sizeHit(size, limits['file-size'], what) }] };
    const lineCounter = new LineCounter();
    const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
    const tooDeep = deepestOver(new Parser(lineCounter.addNewLine).parse(text), limits.depth);
    if (tooDeep) {
      return {
        problems: [{ line: lineOf(tooDeep.offset), hit: { name: 'depth', limit: limits.depth, found: tooDeep.depth, what: `${what} nests ${tooDeep.depth} levels deep; it was not loaded` } }],
      };
    }
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) return { problems: doc.errors.map((error) => ({ line: lineOf(error.pos[0]), message: error.message.split('\n')[0] ?? 'invalid YAML' })) };
    const aliases = aliasExpansion(doc, limits['yaml-alias-nodes']);
    if (aliases && 'cycle' in aliases) return { problems: [{ line: lineOf(aliases.offset), message: `${what} has an alias inside its own anchor, which would expand forever` }] };
    if (aliases) {
      return {
        problems: [
          {
            line: lineOf(aliases.offset),
            hit: { name: 'yaml-alias-nodes', limit: limits['yaml-alias-nodes'], found: aliases.added, what: `the aliases of ${what} add at least ${formatLimit('yaml-alias-nodes', aliases.added)} nodes when expanded; it was not loaded` },
          },
        ],
      };
    }
    // The expansion was counted above, within a limit the user can raise: the library's own guess
    // (a fixed ratio of alias uses) would refuse files the limit allows.
    return { doc, lineCounter, data: doc.toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    return { problems: [{ line: 1, message: `${what} could not be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }] };
  }
}

/** The first collection (in document order) deeper than `limit`, and the greatest depth met. */
function deepestOver(tokens: Iterable<CST.Token>, limit: number): { offset: number; depth: number } | undefined {
  let over: number | undefined;
  let deepest = 0;
  // An explicit stack: the point is to measure input that would overflow a recursive walk.
  const stack: Array<[CST.Token | null | undefined, number]> = [];
  for (const token of tokens) {
    stack.push([token, 0]);
    while (stack.length > 0) {
      const [current, depth] = stack.pop()!;
      if (!current) continue;
      if (current.type === 'document') {
        stack.push([current.value, depth]);
        continue;
      }
      if (current.type !== 'block-map' && current.type !== 'block-seq' && current.type !== 'flow-collection') continue;
      const inner = depth + 1;
      deepest = Math.max(deepest, inner);
      if (inner > limit && (over === undefined || current.offset < over)) over = current.offset;
      for (const item of current.items) {
        if (item.key) stack.push([item.key, inner]);
        if (item.value) stack.push([item.value, inner]);
      }
    }
  }
  return over === undefined ? undefined : { offset: over, depth: deepest };
}

type YamlNode = NonNullable<ReturnType<typeof parseDocument>['contents']>;

/**
 * Counts the nodes aliases add when the document is expanded, in document order, and returns the
 * alias at which the count first goes over `limit`. An alias adds the expanded size of its anchor,
 * which itself counts the aliases inside it: a "billion laughs" of ten nested lists of ten aliases is
 * caught after a few levels, without expanding anything.
 */
function aliasExpansion(doc: ReturnType<typeof parseDocument>, limit: number): { offset: number; added: number } | { offset: number; cycle: true } | undefined {
  const sizes = new Map<unknown, number>();
  const childrenOf = (node: unknown): unknown[] => {
    if (isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value]);
    // A copy: the walk below reverses it, which must not reorder the document.
    if (isSeq(node)) return [...node.items];
    if (isPair(node)) return [node.key, node.value];
    return [];
  };
  // The expanded size of a node (1 per scalar, collection and pair member), by an iterative
  // post-order walk memoised per node, so an anchor used a million times is measured once.
  const expandedSize = (root: unknown): number | 'cycle' => {
    const stack: Array<{ node: unknown; expanded: boolean }> = [{ node: root, expanded: false }];
    const onStack = new Set<unknown>();
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (sizes.has(top.node)) {
        stack.pop();
        continue;
      }
      const target = isAlias(top.node) ? top.node.resolve(doc) : undefined;
      const children = isAlias(top.node) ? [target] : childrenOf(top.node);
      if (!top.expanded) {
        // An alias inside its own anchor would expand forever.
        if (onStack.has(top.node)) return 'cycle';
        onStack.add(top.node);
        top.expanded = true;
        for (const child of children) if (child !== null && child !== undefined && !sizes.has(child)) stack.push({ node: child, expanded: false });
        continue;
      }
      stack.pop();
      onStack.delete(top.node);
      const own = isAlias(top.node) ? 0 : 1;
      sizes.set(top.node, children.reduce<number>((sum, child) => sum + (child === null || child === undefined ? 0 : (sizes.get(child) ?? 0)), own));
    }
    return sizes.get(root) ?? 0;
  };
  let added = 0;
  const order: unknown[] = doc.contents ? [doc.contents] : [];
  while (order.length > 0) {
    const node = order.pop() as YamlNode | null | undefined;
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      const size = expandedSize(node);
      if (size === 'cycle') return { offset: node.range?.[0] ?? 0, cycle: true };
      added += size;
      if (added > limit) return { offset: node.range?.[0] ?? 0, added };
      continue;
    }
    if (isScalar(node)) continue;
    pushAll(order, childrenOf(node).reverse());
  }
  return undefined;
}
