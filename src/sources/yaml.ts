import { Composer, Lexer, LineCounter, Parser, YAMLParseError, isAlias, isCollection, isNode, isPair, visit, type Alias, type CST, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';
import type { NestingOverflow } from './nesting.js';
import { reindentLikeLibyaml } from './yaml-indentation.js';

/** Options of {@link parseYamlDocument}: the `yaml` library's, without `prettyErrors` (positions stay offsets). */
export type YamlParseOptions = Omit<ParseOptions, 'prettyErrors'> & DocumentOptions & SchemaOptions;

/** A parsed YAML document, or where its text nests deeper than the limit (it was then not composed). */
export type YamlParseResult = { readonly document: Document.Parsed } | { readonly tooDeep: NestingOverflow };

/**
 * Parses one YAML document as the `yaml` library's `parseDocument` does, but measures the nesting of
 * the syntax tree first. The library's lexer and parser are loops; its composer recurses once per
 * level, and on input a few thousand levels deep it overflows the stack (it catches that as a
 * document error, but a regular expression compiled that close to the stack's end has aborted the
 * whole process in V8). So over-deep text is never composed.
 */
export function parseYamlDocument(text: string, options: YamlParseOptions, depthLimit: number): YamlParseResult {
  const tokens = syntaxTree(text, options, depthLimit);
  if (!Array.isArray(tokens)) return { tooDeep: tokens };
  const tooDeep = cstNestingOverflow(tokens, depthLimit);
  if (tooDeep) return { tooDeep };
  let document: Document.Parsed | undefined;
  for (const composed of new Composer(options).compose(tokens, true, text.length)) {
    if (!document) {
      document = composed;
    } else {
      // As parseDocument() reports it.
      document.errors.push(new YAMLParseError([composed.range[0], composed.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(..., forceDoc = true) always yields a document, even for empty text.
  return { document: document! };
}

/** A YAML document read as libyaml-based parsers read it (see {@link parseYamlLikeLibyaml}). */
export interface LibyamlReading {
  readonly document: Document.Parsed;
  /** Lines of the text read (they are the original's: re-indenting keeps every line's number). */
  readonly lineCounter: LineCounter;
  /** The original text's offset for an offset of the document's nodes and errors. */
  toOriginal(offset: number): number;
  /** 1-based lines that were read re-indented (empty when the text was read as it is). */
  readonly reindented: readonly number[];
}

/**
 * Parses one YAML document as {@link parseYamlDocument} does, but accepts what libyaml-based parsers
 * accept and the `yaml` library rejects for its indentation alone: flow collections and multi-line
 * quoted scalars whose lines are indented less than their parent (see `reindentLikeLibyaml`).
 * CloudFormation (SnakeYAML), the SAM CLI and cfn-lint (PyYAML), API Gateway's OpenAPI import and
 * Terraform's `yamldecode` (go-yaml) are such parsers, so a template they deploy is read. The text is
 * first read as it is; only when that fails is it read re-indented. When the re-indented reading fails
 * too, its errors are the ones to report: they leave out the shapes those parsers accept, and so fall
 * on the line PyYAML reports far more often than the first reading's (measured on mutated templates).
 * Positions are the original text's.
 */
export function parseYamlLikeLibyaml(text: string, options: Omit<YamlParseOptions, 'lineCounter'>, depthLimit: number): LibyamlReading | { readonly tooDeep: NestingOverflow } {
  const lineCounter = new LineCounter();
  const parsed = parseYamlDocument(text, { ...options, lineCounter }, depthLimit);
  if ('tooDeep' in parsed) return parsed;
  const asWritten: LibyamlReading = { document: parsed.document, lineCounter, toOriginal: (offset) => offset, reindented: [] };
  if (parsed.document.errors.length === 0) return asWritten;
  const reindented = reindentLikeLibyaml(text);
  if (!reindented) return asWritten;
  const retryLines = new LineCounter();
  const retry = parseYamlDocument(reindented.text, { ...options, lineCounter: retryLines }, depthLimit);
  if ('tooDeep' in retry) return { tooDeep: { ...retry.tooDeep, offset: reindented.toOriginal(retry.tooDeep.offset) } };
  return { document: retry.document, lineCounter: retryLines, toOriginal: (offset) => reindented.toOriginal(offset), reindented: reindented.lines };
}

/**
 * Tokens the parser holds open besides collections (the document, a scalar being read, a key), so
 * that its stack is only stopped when the collections in it go past the limit.
 */
const PARSER_STACK_SLACK = 4;

/**
 * The syntax tree of a text, as `Parser.parse()` builds it, fed one lexeme at a time so that its
 * stack of open nodes can be watched: the parser closes nodes recursively, and a dedent that closes
 * a few thousand block sequences (`- - - - ...` on one line) overflowed the call stack inside it. The
 * parse stops, with where, once more collections are open than the limit allows.
 */
function syntaxTree(text: string, options: YamlParseOptions, depthLimit: number): CST.Token[] | NestingOverflow {
  const parser = new Parser(options.lineCounter?.addNewLine);
  const tokens: CST.Token[] = [];
  // As Parser.parse() does before its first lexeme.
  options.lineCounter?.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > depthLimit + PARSER_STACK_SLACK) return { offset: parser.offset, depth: depthLimit + 1, atLeast: true };
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

/** Where a YAML syntax tree nests collections deeper than `limit`, and how deep it goes. */
function cstNestingOverflow(tokens: readonly CST.Token[], limit: number): NestingOverflow | undefined {
  const stack: Array<{ readonly token: CST.Token; readonly depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  let deepest = 0;
  let over: number | undefined;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { token, depth } = item;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (inner > limit && (over === undefined || token.offset < over)) over = token.offset;
    // A pair inside a flow sequence (`[a: b]`, `[? a]`) is composed as a mapping of its own: one level more.
    const pairsAreMaps = token.type === 'flow-collection' && token.start.source === '[';
    for (const entry of token.items as readonly CST.CollectionItem[]) {
      const pair = pairsAreMaps && (entry.key !== undefined || entry.sep !== undefined || entry.start.some((part) => part.type === 'explicit-key-ind'));
      const depth = pair ? inner + 1 : inner;
      if (pair && depth > deepest) deepest = depth;
      if (pair && depth > limit && (over === undefined || token.offset < over)) over = token.offset;
      if (entry.key) stack.push({ token: entry.key, depth });
      if (entry.value) stack.push({ token: entry.value, depth });
    }
  }
  return over === undefined ? undefined : { offset: over, depth: deepest };
}

/**
 * Resolves a document's aliases in one pass. `Alias.resolve(document)` walks the whole document for
 * every alias, so a file of many aliases took quadratic time (ten thousand took minutes). The same
 * rule applies: an alias names the last node with that anchor before it in document order (which may
 * be its own ancestor, a cycle the caller must stop).
 */
export function aliasResolver(document: Document): (alias: Alias) => Node | undefined {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  visit(document, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  return (alias) => targets.get(alias);
}

/**
 * How many nodes expanding every alias of a document would add, when that is more than `limit`
 * (undefined otherwise). `nodes` is left out when it is too large to write (an exponential bomb), and
 * an alias to one of its own ancestors expands forever, so it is over any limit. Each node is sized
 * once: an anchored node's expanded size is remembered for every alias to it, so this is linear.
 */
export function aliasExpansionOverflow(document: Document, resolve: (alias: Alias) => Node | undefined, limit: number): { readonly nodes?: number } | undefined {
  const sizes = new Map<Node, number>();
  const inProgress = new Set<Node>();
  let written = 0;
  const sizeOf = (node: Node): number => {
    if (!isAlias(node)) return sizes.get(node) ?? 1;
    const target = resolve(node);
    if (!target) return 1;
    // Sizes only grow, so an exponential bomb ends at Infinity, which is still over the limit.
    if (inProgress.has(target)) return Number.POSITIVE_INFINITY;
    return sizes.get(target) ?? 1;
  };
  // Post-order over the document as written, with a stack: an alias's target is either finished
  // (it comes before the alias in document order) or one of the alias's ancestors (in progress).
  const root = document.contents;
  const stack: Array<{ readonly node: Node; expanded: boolean }> = root ? [{ node: root, expanded: false }] : [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (!top.expanded) {
      top.expanded = true;
      inProgress.add(top.node);
      // Pushed last to first, so that they are finished in document order.
      const children = childNodes(top.node);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, expanded: false });
      continue;
    }
    stack.pop();
    written++;
    if (!isAlias(top.node)) {
      let size = 1;
      for (const child of childNodes(top.node)) size += sizeOf(child);
      sizes.set(top.node, size);
    }
    inProgress.delete(top.node);
  }
  const added = (root ? sizeOf(root) : 0) - written;
  if (!(added > limit)) return undefined;
  return Number.isSafeInteger(added) ? { nodes: added } : {};
}

/** The nodes directly inside a collection (keys and values of a mapping); none for scalars and aliases. */
function childNodes(node: Node): Node[] {
  if (!isCollection(node)) return [];
  const out: Node[] = [];
  for (const item of node.items) {
    if (isPair(item)) {
      if (isNode(item.key)) out.push(item.key);
      if (isNode(item.value)) out.push(item.value);
    } else if (isNode(item)) {
      out.push(item);
    }
  }
  return out;
}
