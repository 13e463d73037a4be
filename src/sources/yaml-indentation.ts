import { CST, Lexer } from 'yaml';
import { lineStarts, positionAt } from './text-position.js';

/**
 * A YAML text with some lines indented further so that the `yaml` library reads it as libyaml-based
 * parsers do, and the way back to the text's own offsets.
 */
export interface Reindented {
  /** The text with spaces added at the start of some lines; every line keeps its number. */
  readonly text: string;
  /** 1-based numbers of the lines that were indented further. */
  readonly lines: readonly number[];
  /** The offset in the original text of an offset in {@link text} (a position in added spaces maps to the line's start). */
  toOriginal(offset: number): number;
}

/**
 * How many times the text's length the lexer may rescan while this pass feeds it line by line. The
 * lexer rescans what it holds open at each line (a block scalar, a multi-line plain scalar), so a
 * long one costs its length at every line of it; past this the text is left as it is.
 */
const RESCAN_BUDGET_FACTOR = 64;
const RESCAN_BUDGET_MIN = 8 * 1024 * 1024;

// Marks the lexer emits that are not text of the input (a document starts, a scalar follows, a flow
// collection ended too early). An input holding these control characters itself is not re-indented.
const MARKS = new Set([CST.DOCUMENT, CST.SCALAR, CST.FLOW_END]);

/**
 * Indents the lines that PyYAML and libyaml accept but the `yaml` library rejects for their
 * indentation: inside a flow collection (`Cors: {` at the end of a line, its entries at the key's
 * indentation or at column 0, `[` continued at column 0) and in the continuation lines of a multi-line
 * quoted scalar (`Description: "...` continued at column 0). libyaml-based parsers (PyYAML, so the SAM
 * CLI and cfn-lint; SnakeYAML, so CloudFormation; go-yaml, so Terraform's `yamldecode`) ignore
 * indentation in both places; YAML 1.2 and the `yaml` library require such lines to be indented more
 * than the enclosing block. Adding spaces at a line start inside a flow collection or a quoted scalar
 * changes no value (leading white space is folded away there), so the re-indented text reads as those
 * parsers read the original.
 *
 * Lines those parsers reject stay as they are: a document marker (`---`, `...`) at column 0, and a
 * flow line that starts with a tab (libyaml does not skip tabs before a token). Which lines are inside
 * a flow collection or a quoted scalar is decided by the `yaml` library's own lexer, fed line by line,
 * never by a guess at the syntax; the lines that surely continue a scalar it holds open are fed in one
 * piece, so that a long block scalar is not rescanned at each of its lines. Returns undefined when no
 * line needs it (or the text holds the lexer's control characters, or rescanning would cost too much;
 * the text is then read as it is).
 */
export function reindentLikeLibyaml(text: string): Reindented | undefined {
  for (const mark of MARKS) if (text.includes(mark)) return undefined;
  const lexer = new Lexer();
  const budget = Math.max(RESCAN_BUDGET_MIN, text.length * RESCAN_BUDGET_FACTOR);
  let spent = 0;
  const lines = text.split('\n');
  // The re-indented text so far, one piece a line; `fed` is its length and `consumed` how much of it
  // the lexer has turned into lexemes (the rest it holds until it sees more).
  const pieces: string[] = [];
  const paddedStarts: number[] = [];
  const added: number[] = [];
  const padded: number[] = [];
  let fed = 0;
  let consumed = 0;
  // The indentation the lines of each open flow collection need (see requiredIndent), outermost first.
  const flows: number[] = [];
  let afterScalarMark = false;
  // The last lexeme that is not white space, a comment or a line break: a block scalar header means
  // that what the lexer holds is that scalar's content.
  let lastMeaningful: string | null = null;
  const take = (lexemes: Iterable<string>): void => {
    for (const lexeme of lexemes) {
      if (MARKS.has(lexeme)) {
        if (lexeme === CST.FLOW_END) flows.length = 0;
        afterScalarMark = lexeme === CST.SCALAR;
        if (afterScalarMark) lastMeaningful = 'scalar';
        continue;
      }
      if (!afterScalarMark) {
        const type = CST.tokenType(lexeme);
        if (type === 'flow-map-start' || type === 'flow-seq-start') flows.push(requiredIndent(pieces, paddedStarts, consumed));
        else if (type === 'flow-map-end' || type === 'flow-seq-end') flows.pop();
        if (type !== 'space' && type !== 'comment' && type !== 'newline') lastMeaningful = type;
      }
      afterScalarMark = false;
      consumed += lexeme.length;
    }
  };
  /** Feeds lines `from` to `to` (exclusive) to the lexer in one piece, each with `pads[k]` spaces added. */
  const feed = (from: number, to: number, pads: (index: number) => number): boolean => {
    let chunk = '';
    for (let index = from; index < to; index++) {
      const pad = pads(index);
      if (pad > 0) padded.push(index + 1);
      added.push(pad);
      const piece = `${' '.repeat(pad)}${lines[index]!}${index === lines.length - 1 ? '' : '\n'}`;
      paddedStarts.push(fed);
      pieces.push(piece);
      fed += piece.length;
      chunk += piece;
    }
    // The lexer rescans what it holds open each time it is fed.
    spent += fed - consumed;
    if (spent > budget) return false;
    take(lexer.lex(chunk, to < lines.length));
    return true;
  };
  let i = 0;
  while (i < lines.length) {
    const held = consumed < fed ? charAt(pieces, paddedStarts, consumed) : '';
    const quoted = held === '"' || held === "'";
    const blockScalar = held !== '' && lastMeaningful === 'block-scalar-header';
    let to = i + 1;
    let pads: (index: number) => number = () => 0;
    if (quoted) {
      // Up to the line that closes the scalar, found as the lexer finds it, in one piece.
      to = closingLine(lines, i, held);
      const target = flows.length > 0 ? flows[0]! : requiredIndent(pieces, paddedStarts, consumed);
      pads = (index) => padding(lines[index]!, target, true);
    } else if (blockScalar) {
      // Every line indented at least as much as the content's first line continues the scalar.
      const indent = contentIndent(pieces, paddedStarts, consumed);
      if (indent !== undefined && continuesBlockScalar(lines[i]!, indent)) while (to < lines.length && continuesBlockScalar(lines[to]!, indent)) to++;
    } else if (flows.length > 0) {
      const target = flows[0]!;
      pads = (index) => padding(lines[index]!, target, false);
    } else if (held !== '') {
      // A multi-line plain scalar: a line indented as much as the lexer requires, with nothing that
      // could end the scalar (`: `, ` #`), continues it.
      const indent = requiredIndent(pieces, paddedStarts, consumed);
      if (continuesPlainScalar(lines[i]!, indent)) while (to < lines.length && continuesPlainScalar(lines[to]!, indent)) to++;
    }
    if (i === 0) pads = () => 0;
    if (!feed(i, to, pads)) return undefined;
    i = to;
  }
  if (padded.length === 0) return undefined;
  const paddedText = pieces.join('');
  const originalStarts = lineStarts(text);
  return {
    text: paddedText,
    lines: padded,
    toOriginal(offset) {
      const { line, column } = positionAt(paddedStarts, offset);
      return originalStarts[line - 1]! + Math.max(0, column - 1 - added[line - 1]!);
    },
  };
}

/**
 * The line after the one that closes a quoted scalar left open before line `from`, as the lexer
 * looks for it: the next `'` that is not doubled, or the next `"` after an even number of
 * backslashes. A document marker at column 0 ends the search before its line (it ends the scalar
 * for every parser, as an error).
 */
function closingLine(lines: readonly string[], from: number, quote: string): number {
  for (let index = from; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^(---|\.\.\.)([ \t\r]|$)/.test(line)) return Math.max(index, from + 1);
    for (let at = line.indexOf(quote); at !== -1; at = line.indexOf(quote, at + 1)) {
      if (quote === "'") {
        if (line[at + 1] === "'") {
          at++;
          continue;
        }
        return index + 1;
      }
      let backslashes = 0;
      while (line[at - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 0) return index + 1;
    }
  }
  return lines.length;
}

/** The indentation of the first line with content in the block scalar the lexer holds from `offset`. */
function contentIndent(pieces: readonly string[], starts: readonly number[], offset: number): number | undefined {
  const first = positionAt(starts, offset).line - 1;
  for (let index = first; index < pieces.length; index++) {
    const piece = index === first ? pieces[index]!.slice(offset - starts[index]!) : pieces[index]!;
    const content = /^( *)[^ \r\n]/.exec(piece);
    if (content) return content[1]!.length;
  }
  return undefined;
}

/**
 * An indentation that surely satisfies the lexer for the lines after a node starting at `offset` in
 * block context (a flow collection, a quoted or plain scalar): it asks for one more than the column
 * where the node's line starts after `- `, `? `, `: ` (a key's column), and never more than the
 * node's own column. One more space than the lexer wants changes nothing in these places.
 */
function requiredIndent(pieces: readonly string[], starts: readonly number[], offset: number): number {
  const { line, column } = positionAt(starts, offset);
  const content = /^ *(?:[-?:](?: +|$))*/.exec(pieces[line - 1]!)![0].length;
  return Math.min(column - 1, content + 1);
}

/** Whether a line surely continues a plain scalar (in block context) whose lines need `indent` spaces. */
function continuesPlainScalar(line: string, indent: number): boolean {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  return spaces >= indent && spaces < line.replace(/\r$/, '').length && !/:([ \t\r]|$)|(^|[ \t])#/.test(line);
}

/** Whether a line is, whatever follows, still part of a block scalar whose content is indented `indent` spaces. */
function continuesBlockScalar(line: string, indent: number): boolean {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  return spaces >= indent || /^ *\r?$/.test(line);
}

/**
 * The spaces to add before a line so that it starts at `target`, or 0 when it needs none or must stay
 * as written. `quotedScalar`: the line continues a quoted scalar, where libyaml skips tabs too and `#`
 * is text; between the entries of a flow collection it skips only spaces.
 */
function padding(line: string, target: number, quotedScalar: boolean): number {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  if (spaces >= target) return 0;
  const rest = line.slice(spaces).replace(/\r$/, '');
  if (rest === '') return 0;
  // A document marker at column 0 ends the document for every parser.
  if (spaces === 0 && /^(---|\.\.\.)([ \t]|$)/.test(rest)) return 0;
  if (rest.startsWith('\t') && !quotedScalar) return 0;
  // The lexer accepts a comment line in a flow collection at any indentation.
  if (rest.startsWith('#') && !quotedScalar) return 0;
  return target - spaces;
}

/** The character at an offset of the text made of `pieces` (each starting at `starts[i]`). */
function charAt(pieces: readonly string[], starts: readonly number[], offset: number): string {
  const { line } = positionAt(starts, offset);
  return pieces[line - 1]![offset - starts[line - 1]!] ?? '';
}
