/**
 * A small, tolerant, position-aware XML parser for Azure API Management policy documents.
 *
 * APIM policies are "XML" that embeds C# policy expressions (`@(...)`, `@{...}`) which are often not
 * well-formed XML: they contain raw `"` inside `"`-quoted attributes, `<` and `>` in generics and
 * comparisons, `&&`, and so on. APIM accepts them because it cuts the expressions out before the XML
 * reader sees them. A standard XML parser rejects such documents or silently mangles them, so this
 * parser recognises expressions the way APIM does: a value or text that starts with `@(` or `@{` is
 * scanned as C# up to its matching close, skipping string and char literals.
 *
 * Everything else is ordinary XML (elements, attributes, text, comments, CDATA, processing
 * instructions). The scanner is a single forward pass with an explicit element stack, so it is linear
 * in the input and deep nesting cannot overflow the call stack.
 */

import { positionAt } from '../text-position.js';

/** 1-based line and column, and 0-based offset, relative to the start of the parsed text. */
export interface XmlPosition {
  /** 0-based UTF-16 offset into the text as given (a leading BOM counts). */
  readonly offset: number;
  /** 1-based line; only `\n` breaks lines, so `\r\n` is one break (as in `src/sources/text-position.ts`). */
  readonly line: number;
  /** 1-based column in UTF-16 code units; a tab is one column. */
  readonly column: number;
}

/** An attribute of an element, as written in the start tag. */
export interface XmlAttribute {
  readonly name: string;
  /**
   * The value with entity references decoded (also inside policy expressions, as APIM does before
   * compiling them), otherwise as written: line breaks and tabs are not normalised to spaces.
   */
  readonly value: string;
  /** Where the attribute's name starts. */
  readonly start: XmlPosition;
  /** Where the value starts: just after the opening quote. */
  readonly valueStart: XmlPosition;
  /** True when the value (after leading whitespace) is a policy expression, `@(...)` or `@{...}`. */
  readonly isExpression: boolean;
}

/** An element with its attributes and children in document order. */
export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  /** Child elements, text and comments; text that is only whitespace is dropped. */
  readonly children: readonly XmlNode[];
  /** Where the start tag's `<` is. */
  readonly start: XmlPosition;
  /** Just past the element's last character: the `>` of its end tag, or of `/>`. */
  readonly end: XmlPosition;
  /** True for `<base/>`, false for `<base></base>`. */
  readonly selfClosing: boolean;
}

/** A run of character data, or one CDATA section. */
export interface XmlText {
  readonly kind: 'text';
  /** The text with entity references decoded (CDATA is taken literally); not trimmed. */
  readonly text: string;
  /** Where the run starts, including any leading whitespace. */
  readonly start: XmlPosition;
  /** True when the text (after leading whitespace) is a policy expression, `@(...)` or `@{...}`. */
  readonly isExpression: boolean;
  /** True when the text came from a `<![CDATA[...]]>` section. */
  readonly cdata: boolean;
}

/** A comment, `<!-- text -->`. */
export interface XmlComment {
  readonly kind: 'comment';
  /** What is between `<!--` and `-->`, as written. */
  readonly text: string;
  /** Where the comment's `<` is. */
  readonly start: XmlPosition;
}

/** A node inside an element. */
export type XmlNode = XmlElement | XmlText | XmlComment;

/** Why the document is not well formed, and where. */
export interface XmlProblem {
  /** A clause for people, without a trailing period: `closing tag </inbound> does not match <cors> opened at line 3`. */
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The result of {@link parseXml}: the root element, or the problems that prevented reading it. */
export interface XmlDocument {
  /** The document element; absent whenever there is any problem. */
  readonly root?: XmlElement;
  readonly problems: readonly XmlProblem[];
}

/** Parses a policy document. On any well-formedness problem `root` is undefined and `problems` says where. */
export function parseXml(text: string): XmlDocument {
  return new Parser(text).parse();
}

/** The value of an attribute, or undefined. */
export function attribute(element: XmlElement, name: string): string | undefined {
  for (const candidate of element.attributes) if (candidate.name === name) return candidate.value;
  return undefined;
}

/** Child elements (not text/comments), optionally only those with a name. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.kind === 'element' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

/** The concatenated text content of an element (trimmed), e.g. `<origin>*</origin>` -> `*`. */
export function textContent(element: XmlElement): string {
  // Like the DOM's textContent, this includes descendants' text; comments are not content. A stack of
  // pending nodes (pushed in reverse) keeps document order without recursion.
  let out = '';
  const pending: XmlNode[] = [...element.children].reverse();
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'element') for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
  }
  return out.trim();
}

// Character codes the scanner compares against.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const QUOTE = 34;
const DOLLAR = 36;
const AMP = 38;
const APOS = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const HYPHEN = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const SEMICOLON = 59;
const LT = 60;
const EQUALS = 61;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const LBRACE = 123;
const RBRACE = 125;
const BOM = 0xfeff;

/** From how many attributes on a tag duplicates are found with a Set. */
const MANY_ATTRIBUTES = 16;

/** How far an entity reference inside an expression may reach: `&#x10FFFF;` with room for leading zeros. */
const MAX_REFERENCE = 32;

/** How far past a char literal's escape to look for its closing `'` (`'\u0041'`, `'\x41'`). */
const CHAR_ESCAPE_LOOKAHEAD = 8;

// A Map, not an object literal, so `&constructor;` cannot reach Object.prototype.
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
const ENTITY = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function isNameStart(c: number): boolean {
  // ASCII letters, `_` and `:`, plus anything non-ASCII: precise Unicode name classes buy nothing here.
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE || c === COLON || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === HYPHEN || c === DOT;
}

/** A numeric character reference's code point, or undefined when it names no character. */
function validCodePoint(digits: string, radix: number): number | undefined {
  const code = Number.parseInt(digits, radix);
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return code;
}

/** Decodes the five predefined entities and numeric references; anything else (`&name;`, a bare `&`) stays as written. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (match, decimal: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (named !== undefined) return NAMED_ENTITIES.get(named) ?? match;
    const code = decimal !== undefined ? validCodePoint(decimal, 10) : validCodePoint(hex ?? '', 16);
    return code === undefined ? match : String.fromCodePoint(code);
  });
}

// Shared by every element without attributes or children: a large policy has tens of thousands of
// `<base/>`-like elements, and not allocating for them keeps the parse fast.
const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);
const NO_CHILDREN: readonly XmlNode[] = Object.freeze([]);

/** Thrown to abandon the parse at the first problem that leaves the structure ambiguous. */
class Stop extends Error {}

/** An element whose start tag has been read and whose end tag has not. */
interface OpenElement {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlNode[];
  readonly start: XmlPosition;
}

class Parser {
  private readonly text: string;
  private readonly lineStarts: number[];
  private readonly problems: XmlProblem[] = [];
  /** Width in UTF-16 units of the character last read by {@link codeAt} (an entity is one character). */
  private width = 1;

  constructor(text: string) {
    this.text = text;
    // A BOM is not a column an editor shows, so line 1 starts after it.
    this.lineStarts = [text.charCodeAt(0) === BOM ? 1 : 0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  parse(): XmlDocument {
    let root: XmlElement | undefined;
    try {
      root = this.document();
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
    }
    return root && this.problems.length === 0 ? { root, problems: [] } : { problems: this.problems };
  }

  private position(offset: number): XmlPosition {
    return { offset, ...positionAt(this.lineStarts, offset) };
  }

  /** Records a problem the parse can continue past (the structure is still clear). */
  private report(message: string, offset: number): void {
    const { line, column } = this.position(offset);
    this.problems.push({ message, line, column });
  }

  /** Records a problem after which the structure is ambiguous, and stops. */
  private fail(message: string, offset: number): never {
    this.report(message, offset);
    throw new Stop(message);
  }

  private document(): XmlElement | undefined {
    const text = this.text;
    const n = text.length;
    const stack: OpenElement[] = [];
    let root: XmlElement | undefined;
    let i = this.lineStarts[0]!;
    if (text.slice(i).trim() === '') this.fail('the policy document is empty', i);

    // Finished elements go to their parent, or become the root. Elements are built when they close
    // (their end is known only then), which is still document order among their siblings.
    const attach = (element: XmlElement): void => {
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
    };

    while (i < n) {
      if (text.charCodeAt(i) !== LT) {
        i = this.characterData(i, stack[stack.length - 1], root);
        continue;
      }
      const next = text.charCodeAt(i + 1);
      if (next === BANG) {
        if (text.startsWith('<!--', i)) {
          const close = text.indexOf('-->', i + 4);
          if (close < 0) this.fail('comment is never closed (missing "-->")', i);
          stack[stack.length - 1]?.children.push({ kind: 'comment', text: text.slice(i + 4, close), start: this.position(i) });
          i = close + 3;
        } else if (text.startsWith('<![CDATA[', i)) {
          const parent = stack[stack.length - 1];
          if (!parent) this.outsideRoot(i, root);
          const close = text.indexOf(']]>', i + 9);
          if (close < 0) this.fail('CDATA section is never closed (missing "]]>")', i);
          const content = text.slice(i + 9, close);
          parent.children.push({ kind: 'text', text: content, start: this.position(i), isExpression: startsExpression(content), cdata: true });
          i = close + 3;
        } else {
          this.fail('"<!" starts neither a comment nor a CDATA section', i);
        }
      } else if (next === QUESTION) {
        // The XML declaration and processing instructions carry nothing a policy check needs.
        const close = text.indexOf('?>', i + 2);
        if (close < 0) this.fail('processing instruction is never closed (missing "?>")', i);
        i = close + 2;
      } else if (next === SLASH) {
        const nameEnd = this.nameEnd(i + 2);
        const name = text.slice(i + 2, nameEnd);
        if (name === '') this.fail('"</" is not followed by an element name', i);
        const close = this.skipWhitespace(nameEnd);
        if (text.charCodeAt(close) !== GT) this.fail(`closing tag </${name}> is missing its ">"`, i);
        const open = stack.pop();
        if (!open) this.fail(`closing tag </${name}> has no matching opening tag`, i);
        if (open.name !== name) this.fail(`closing tag </${name}> does not match <${open.name}> opened at line ${open.start.line}`, i);
        i = close + 1;
        attach({ kind: 'element', name, attributes: open.attributes, children: open.children, start: open.start, end: this.position(i), selfClosing: false });
      } else if (isNameStart(next)) {
        if (stack.length === 0 && root) this.fail(`second root element <${text.slice(i + 1, this.nameEnd(i + 1))}> after <${root.name}>; a document has one root element`, i);
        i = this.startTag(i, stack, attach);
      } else {
        this.fail('"<" starts no tag, comment or CDATA section (write &lt; for a literal "<")', i);
      }
    }

    const unclosed = stack[stack.length - 1];
    if (unclosed) this.fail(`element <${unclosed.name}> opened at line ${unclosed.start.line} is never closed`, unclosed.start.offset);
    if (!root) this.fail('the policy document has no root element', this.lineStarts[0]!);
    return root;
  }

  /** Reads character data starting at `start` (not a `<`) and returns where it ends. */
  private characterData(start: number, parent: OpenElement | undefined, root: XmlElement | undefined): number {
    const text = this.text;
    const first = this.skipWhitespace(start);
    let end: number;
    let isExpression = false;
    if (parent && this.expressionAt(first)) {
      // An expression's C# may contain `<` (generics, comparisons, strings), so its end is found by
      // balancing brackets, not by the next `<`.
      const close = this.scanExpression(first);
      if (close < 0) this.fail(`policy expression starting with "${text.slice(first, first + 2)}" is never closed`, first);
      isExpression = true;
      end = text.indexOf('<', close);
    } else {
      end = text.indexOf('<', first);
    }
    if (end < 0) end = text.length;
    if (first < end) {
      if (!parent) this.outsideRoot(first, root);
      parent.children.push({ kind: 'text', text: decodeEntities(text.slice(start, end)), start: this.position(start), isExpression, cdata: false });
    }
    return end;
  }

  private outsideRoot(offset: number, root: XmlElement | undefined): never {
    this.fail(root ? `text after the root element <${root.name}>` : 'text before the root element', offset);
  }

  /** Reads a start tag at `start` (a `<` followed by a name) and returns the offset after it. */
  private startTag(start: number, stack: OpenElement[], attach: (element: XmlElement) => void): number {
    const text = this.text;
    const n = text.length;
    const nameEnd = this.nameEnd(start + 1);
    const name = text.slice(start + 1, nameEnd);
    const attributes: XmlAttribute[] = [];
    let seen: Set<string> | undefined;
    let i = nameEnd;
    for (;;) {
      i = this.skipWhitespace(i);
      if (i >= n) this.fail(`tag <${name}> is never closed (missing ">")`, start);
      const c = text.charCodeAt(i);
      if (c === GT) {
        stack.push({ name, attributes: attributes.length > 0 ? attributes : NO_ATTRIBUTES, children: [], start: this.position(start) });
        return i + 1;
      }
      if (c === SLASH && text.charCodeAt(i + 1) === GT) {
        attach({ kind: 'element', name, attributes: attributes.length > 0 ? attributes : NO_ATTRIBUTES, children: NO_CHILDREN, start: this.position(start), end: this.position(i + 2), selfClosing: true });
        return i + 2;
      }
      if (!isNameStart(c)) this.fail(`unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? c))} in tag <${name}>`, i);

      const attributeStart = i;
      const attributeNameEnd = this.nameEnd(i);
      const attributeName = text.slice(i, attributeNameEnd);
      i = this.skipWhitespace(attributeNameEnd);
      if (text.charCodeAt(i) !== EQUALS) {
        // `<x disabled>`: the tag's extent is still clear, so keep reading to find further problems.
        this.report(`attribute "${attributeName}" of <${name}> has no value`, attributeStart);
        i = attributeNameEnd;
        continue;
      }
      i = this.skipWhitespace(i + 1);
      const quote = text.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) this.fail(`the value of attribute "${attributeName}" of <${name}> is not in quotes`, attributeStart);
      const valueStart = i + 1;
      let valueEnd = valueStart;
      let isExpression = false;
      const first = this.skipWhitespace(valueStart);
      if (this.expressionAt(first)) {
        // Raw quotes of the attribute's own kind may appear inside the expression's C# strings
        // (APIM accepts `value="@(x.Get("a"))"`), so the value ends only after the expression does.
        const close = this.scanExpression(first);
        if (close < 0) this.fail(`policy expression starting with "${text.slice(first, first + 2)}" is never closed`, first);
        isExpression = true;
        valueEnd = close;
      }
      for (;;) {
        if (valueEnd >= n) this.fail(`the value of attribute "${attributeName}" of <${name}> is never closed`, attributeStart);
        const v = text.charCodeAt(valueEnd);
        if (v === quote) break;
        // XML forbids `<` in attribute values; seeing one almost always means the closing quote is
        // missing, and reporting it here beats a confusing error many lines later.
        if (v === LT) this.fail(`the value of attribute "${attributeName}" of <${name}> contains "<": its closing quote is missing, or the "<" should be written &lt;`, attributeStart);
        valueEnd++;
      }
      // Elements have a handful of attributes, so a linear search beats allocating a Set per tag; a
      // Set takes over only for a tag with very many, to stay linear.
      if (attributes.length === MANY_ATTRIBUTES) seen = new Set(attributes.map((other) => other.name));
      const duplicate = seen ? seen.has(attributeName) : attributes.some((other) => other.name === attributeName);
      if (duplicate) this.report(`attribute "${attributeName}" appears more than once in <${name}>`, attributeStart);
      seen?.add(attributeName);
      attributes.push({
        name: attributeName,
        value: decodeEntities(text.slice(valueStart, valueEnd)),
        start: this.position(attributeStart),
        valueStart: this.position(valueStart),
        isExpression,
      });
      i = valueEnd + 1;
    }
  }

  private nameEnd(start: number): number {
    const text = this.text;
    if (!isNameStart(text.charCodeAt(start))) return start;
    let i = start + 1;
    while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
    return i;
  }

  private skipWhitespace(start: number): number {
    const text = this.text;
    let i = start;
    while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
    return i;
  }

  /** True when a policy expression, `@(` or `@{`, starts at `offset`. */
  private expressionAt(offset: number): boolean {
    const text = this.text;
    if (text.charCodeAt(offset) !== AT) return false;
    const next = text.charCodeAt(offset + 1);
    return next === LPAREN || next === LBRACE;
  }

  /**
   * The character at `i` as the C# compiler will see it, after APIM decodes entity references: `&quot;`
   * is a quote that opens a string. Sets {@link width} to how many code units it takes in the text.
   */
  private codeAt(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    this.width = 1;
    if (c !== AMP) return c;
    // References are short, so look at most MAX_REFERENCE characters ahead: C#'s `&&` and a `;` far
    // away must not make this scan the rest of the document.
    const limit = Math.min(text.length, i + MAX_REFERENCE);
    let semicolon = i + 1;
    while (semicolon < limit && text.charCodeAt(semicolon) !== SEMICOLON) semicolon++;
    if (semicolon >= limit) return c;
    const body = text.slice(i + 1, semicolon);
    let code: number | undefined;
    if (body.startsWith('#x')) code = /^#x[0-9a-fA-F]+$/.test(body) ? validCodePoint(body.slice(2), 16) : undefined;
    else if (body.startsWith('#')) code = /^#[0-9]+$/.test(body) ? validCodePoint(body.slice(1), 10) : undefined;
    else code = NAMED_ENTITIES.get(body)?.charCodeAt(0);
    if (code === undefined) return c;
    this.width = semicolon + 1 - i;
    return code;
  }

  /**
   * Scans the policy expression whose `@` is at `start` and returns the offset just past its closing
   * `)` or `}`, or -1 when it never closes. Brackets are balanced outside C# string and char literals
   * and comments; `(`/`{` are counted together, which is enough because valid C# nests them properly.
   */
  private scanExpression(start: number): number {
    const n = this.text.length;
    let depth = 0;
    let i = start + 1;
    while (i < n) {
      const c = this.codeAt(i);
      const w = this.width;
      switch (c) {
        case LPAREN:
        case LBRACE:
          depth++;
          i += w;
          break;
        case RPAREN:
        case RBRACE:
          i += w;
          if (--depth === 0) return i;
          break;
        case QUOTE:
          i = this.skipString(i + w);
          break;
        case APOS:
          i = this.skipCharLiteral(i + w);
          break;
        case AT:
        case DOLLAR:
          i = this.skipPrefixedString(i, c);
          break;
        case SLASH:
          i = this.skipComment(i, w);
          break;
        default:
          i += w;
      }
    }
    return -1;
  }

  /** Skips a regular (or `$` interpolated) string whose opening `"` ends just before `i`. */
  private skipString(start: number): number {
    const n = this.text.length;
    let i = start;
    while (i < n) {
      const c = this.codeAt(i);
      i += this.width;
      if (c === QUOTE) return i;
      if (c === BACKSLASH && i < n) {
        this.codeAt(i);
        i += this.width;
      }
    }
    return n;
  }

  /** Skips a verbatim string (`@"..."`, where `""` is a quote) whose opening `"` ends just before `i`. */
  private skipVerbatimString(start: number): number {
    const n = this.text.length;
    let i = start;
    while (i < n) {
      const c = this.codeAt(i);
      i += this.width;
      if (c !== QUOTE) continue;
      if (this.codeAt(i) !== QUOTE) return i;
      i += this.width;
    }
    return n;
  }

  /** At a `@` or `$`: skips `@"..."`, `$"..."`, `@$"..."` or `$@"..."`, or just the character. */
  private skipPrefixedString(start: number, first: number): number {
    const firstWidth = this.width;
    let i = start + firstWidth;
    let verbatim = first === AT;
    let c = this.codeAt(i);
    if (c === (first === AT ? DOLLAR : AT)) {
      verbatim = true;
      i += this.width;
      c = this.codeAt(i);
    }
    if (c !== QUOTE) return start + firstWidth;
    i += this.width;
    return verbatim ? this.skipVerbatimString(i) : this.skipString(i);
  }

  /**
   * Skips a char literal whose opening `'` ends just before `start` (`'x'`, `'"'`, `'\''`, `'\u0041'`).
   * When what follows is not a char literal, only the `'` is skipped, so a stray apostrophe cannot
   * swallow the rest of the expression.
   */
  private skipCharLiteral(start: number): number {
    const n = this.text.length;
    let i = start;
    let c = this.codeAt(i);
    if (i >= n || c === APOS || c === LF) return start;
    i += this.width;
    if (c === BACKSLASH) {
      if (i >= n) return start;
      this.codeAt(i);
      i += this.width;
      for (let k = 0; k < CHAR_ESCAPE_LOOKAHEAD && i < n; k++) {
        c = this.codeAt(i);
        i += this.width;
        if (c === APOS) return i;
        if (c === LF) break;
      }
      return start;
    }
    return this.codeAt(i) === APOS ? i + this.width : start;
  }

  /** At a `/`: skips a `//` or `/* *\/` comment, or just the character. */
  private skipComment(start: number, width: number): number {
    const text = this.text;
    const next = text.charCodeAt(start + width);
    if (next === SLASH) {
      const end = text.indexOf('\n', start);
      return end < 0 ? text.length : end;
    }
    if (next === STAR) {
      const end = text.indexOf('*/', start + width + 1);
      return end < 0 ? text.length : end + 2;
    }
    return start + width;
  }
}

/** True when text (after leading whitespace) is a policy expression. */
function startsExpression(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed.startsWith('@(') || trimmed.startsWith('@{');
}
