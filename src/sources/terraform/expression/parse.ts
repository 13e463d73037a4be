import { DEFAULT_LIMITS } from '../../../limits.js';
import type { BinaryOp, Expr, ForSpec, ObjectItem, TemplatePart } from './ast.js';
import { DepthLimitError } from './value.js';

/** A syntax error in an HCL expression; `offset` is the character position in the parsed text. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

const BINARY_PRECEDENCE: ReadonlyArray<readonly BinaryOp[]> = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/**
 * Parses a string value as `@cdktf/hcl2json` returns it (or as written in a `.tf.json` file): a
 * template whose escapes are already decoded, where `${...}` interpolates, `%{...}` is a directive and
 * `$${` / `%%{` stand for the literal text. A template that is exactly one interpolation yields the
 * interpolated expression itself, so `"${var.list}"` keeps its list type, as in Terraform.
 *
 * Throws {@link ExpressionSyntaxError}, or {@link DepthLimitError} when the expression nests deeper
 * than `depthLimit` (the parser and the evaluator recurse per level).
 */
export function parseTemplateValue(text: string, depthLimit = DEFAULT_LIMITS.depth): Expr {
  return parseTemplateAt(text, depthLimit, 0);
}

function parseTemplateAt(text: string, depthLimit: number, depth: number): Expr {
  if (!text.includes('${') && !text.includes('%{')) return { t: 'literal', value: text };
  const parser = new Parser(text, 0, depthLimit, depth);
  const parts = parser.templateParts('end', false);
  return templateExpr(parts);
}

/**
 * Parses one HCL expression written out in full, e.g. `var.a == "b" ? 1 : 2`. Throws as
 * {@link parseTemplateValue} does.
 */
export function parseExpression(text: string, depthLimit = DEFAULT_LIMITS.depth): Expr {
  const parser = new Parser(text, 0, depthLimit, 0);
  const expr = parser.expression();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail(`unexpected "${parser.peekChar()}"`);
  return expr;
}

function templateExpr(parts: TemplatePart[]): Expr {
  if (parts.length === 0) return { t: 'literal', value: '' };
  if (parts.length === 1) {
    const only = parts[0]!;
    if (typeof only === 'string') return { t: 'literal', value: only };
    if (only.t === 'interp') return only.expr;
  }
  return { t: 'template', parts };
}

type TemplateEnd = 'end' | 'quote' | 'directive';

class Parser {
  constructor(
    private readonly src: string,
    private pos: number,
    private readonly depthLimit: number,
    /**
     * How deeply the expression being read nests. Every construct that makes the syntax tree one level
     * deeper counts, the recursive ones (brackets, `!`, `? :`, directives) and the chained ones
     * (`a.b.c`, `1 + 2 + 3`), so the tree the evaluator walks is no deeper than a few times the limit.
     */
    private depth: number,
  ) {}

  /** Goes one level deeper; `levels` undoes it. */
  private enter(): void {
    if (++this.depth > this.depthLimit) throw new DepthLimitError(this.depthLimit, `the expression nests deeper than ${this.depthLimit} levels (at offset ${this.pos})`);
  }

  private leave(levels = 1): void {
    this.depth -= levels;
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  peekChar(): string {
    return this.src[this.pos] ?? '';
  }

  fail(message: string): never {
    throw new ExpressionSyntaxError(`${message} at offset ${this.pos}`, this.pos);
  }

  /** Skips white space, newlines and the three HCL comment styles. */
  skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.pos++;
      } else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const close = s.indexOf('*/', this.pos + 2);
        this.pos = close < 0 ? s.length : close + 2;
      } else {
        return;
      }
    }
  }

  private lookingAt(token: string): boolean {
    return this.src.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.lookingAt(token)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }

  private identifier(): string | undefined {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  private keyword(word: string): boolean {
    this.skipSpace();
    if (!this.lookingAt(word)) return false;
    const next = this.src[this.pos + word.length] ?? '';
    if (/[A-Za-z0-9_-]/.test(next)) return false;
    this.pos += word.length;
    return true;
  }

  expression(): Expr {
    this.enter();
    const condition = this.binary(0);
    this.skipSpace();
    let expr = condition;
    if (this.peekChar() === '?') {
      this.pos++;
      const then = this.expression();
      this.expect(':');
      const otherwise = this.expression();
      expr = { t: 'conditional', condition, then, otherwise };
    }
    this.leave();
    return expr;
  }

  private binary(level: number): Expr {
    if (level >= BINARY_PRECEDENCE.length) return this.unary();
    let left = this.binary(level + 1);
    const ops = BINARY_PRECEDENCE[level]!;
    let chained = 0;
    for (;;) {
      this.skipSpace();
      const op = ops.find((candidate) => this.isOperator(candidate));
      if (!op) break;
      this.pos += op.length;
      // `a + b + c` nests to the left: each operator makes the tree one level deeper.
      this.enter();
      chained++;
      const right = this.binary(level + 1);
      left = { t: 'binary', op, left, right };
    }
    this.leave(chained);
    return left;
  }

  /** True when `op` starts here and is not the prefix of a longer operator (`<` vs `<=`, `=` vs `==`). */
  private isOperator(op: BinaryOp): boolean {
    if (!this.lookingAt(op)) return false;
    const next = this.src[this.pos + op.length];
    if ((op === '<' || op === '>') && next === '=') return false;
    if (op === '/' && (next === '/' || next === '*')) return false;
    return true;
  }

  private unary(): Expr {
    this.skipSpace();
    const c = this.peekChar();
    if ((c === '!' && this.src[this.pos + 1] !== '=') || (c === '-' && !/[0-9]/.test(this.src[this.pos + 1] ?? ''))) {
      this.pos++;
      this.enter();
      const operand = this.unary();
      this.leave();
      return { t: 'unary', op: c, operand };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Expr): Expr {
    let expr = base;
    let chained = 0;
    for (;; chained++) {
      // `a.b[0].c` nests to the left: each step makes the tree one level deeper.
      if (chained > 0) this.enter();
      this.skipSpace();
      if (this.lookingAt('[*]')) {
        this.pos += 3;
        expr = { t: 'splat', object: expr, each: this.splatTail() };
      } else if (this.lookingAt('.*')) {
        this.pos += 2;
        expr = { t: 'splat', object: expr, each: this.splatTail(true) };
      } else if (this.peekChar() === '[') {
        this.pos++;
        const key = this.expression();
        this.expect(']');
        expr = { t: 'index', object: expr, key };
      } else if (this.peekChar() === '.' && !this.lookingAt('...')) {
        this.pos++;
        this.skipSpace();
        const digits = /^[0-9]+/.exec(this.src.slice(this.pos, this.pos + 32));
        if (digits) {
          this.pos += digits[0].length;
          expr = { t: 'index', object: expr, key: { t: 'literal', value: Number(digits[0]) } };
        } else {
          const name = this.identifier();
          if (name === undefined) this.fail('expected an attribute name after "."');
          expr = { t: 'attr', object: expr, name };
        }
      } else {
        this.leave(chained);
        return expr;
      }
    }
  }

  /** The traversal applied to each element after `[*]` (full splat) or `.*` (attribute-only splat). */
  private splatTail(attributeOnly = false): Expr {
    let each: Expr = { t: 'splatItem' };
    for (let chained = 0; ; chained++) {
      if (chained > 0) this.enter();
      this.skipSpace();
      if (this.peekChar() === '.' && !this.lookingAt('...') && !this.lookingAt('.*')) {
        this.pos++;
        const name = this.identifier();
        if (name === undefined) this.fail('expected an attribute name in a splat');
        each = { t: 'attr', object: each, name };
      } else if (!attributeOnly && this.peekChar() === '[' && !this.lookingAt('[*]')) {
        this.pos++;
        const key = this.expression();
        this.expect(']');
        each = { t: 'index', object: each, key };
      } else {
        this.leave(chained);
        return each;
      }
    }
  }

  private primary(): Expr {
    this.skipSpace();
    const c = this.peekChar();
    if (c === '"') {
      this.pos++;
      return templateExpr(this.templateParts('quote', true));
    }
    if (c === '<' && this.lookingAt('<<')) return this.heredoc();
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(this.src[this.pos + 1] ?? ''))) return this.number();
    if (c === '(') {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (c === '[') return this.tupleOrFor();
    if (c === '{') return this.objectOrFor();
    const name = this.identifier();
    if (name === undefined) this.fail(c ? `unexpected "${c}"` : 'unexpected end of expression');
    if (name === 'true') return { t: 'literal', value: true };
    if (name === 'false') return { t: 'literal', value: false };
    if (name === 'null') return { t: 'literal', value: null };
    // A function call needs the parenthesis right after the name (provider::ns::fn is not supported).
    if (this.peekChar() === '(') {
      this.pos++;
      const args: Expr[] = [];
      let expandLast = false;
      this.skipSpace();
      while (!this.eat(')')) {
        args.push(this.expression());
        if (this.eat('...')) expandLast = true;
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      return { t: 'call', name, args, expandLast };
    }
    return { t: 'variable', name };
  }

  private number(): Expr {
    const match = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!match) this.fail('bad number');
    this.pos += match[0].length;
    return { t: 'literal', value: Number(match[0]) };
  }

  private tupleOrFor(): Expr {
    this.pos++;
    if (this.keyword('for')) {
      const spec = this.forClause(']', false);
      return { t: 'for', spec };
    }
    const items: Expr[] = [];
    while (!this.eat(']')) {
      items.push(this.expression());
      if (!this.eat(',')) {
        this.expect(']');
        break;
      }
    }
    return { t: 'tuple', items };
  }

  private objectOrFor(): Expr {
    this.pos++;
    if (this.keyword('for')) {
      const spec = this.forClause('}', true);
      return { t: 'for', spec };
    }
    const items: ObjectItem[] = [];
    while (!this.eat('}')) {
      const key = this.objectKey();
      this.skipSpace();
      if (!this.eat('=') && !this.eat(':')) this.fail('expected "=" or ":" after an object key');
      const value = this.expression();
      items.push({ key, value });
      this.eat(',');
    }
    return { t: 'object', items };
  }

  /** An object key: a bare identifier is the literal name; anything else is an expression. */
  private objectKey(): Expr {
    this.skipSpace();
    const start = this.pos;
    const name = this.identifier();
    if (name !== undefined) {
      this.skipSpace();
      const c = this.peekChar();
      if ((c === '=' && this.src[this.pos + 1] !== '=') || c === ':') return { t: 'literal', value: name };
      this.pos = start;
    }
    return this.expression();
  }

  private forClause(close: ']' | '}', objectResult: boolean): ForSpec {
    const first = this.identifier();
    if (first === undefined) this.fail('expected a variable name after "for"');
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.eat(',')) {
      keyVar = first;
      const second = this.identifier();
      if (second === undefined) this.fail('expected a second variable name in "for"');
      valueVar = second;
    }
    if (!this.keyword('in')) this.fail('expected "in"');
    const collection = this.expression();
    this.expect(':');
    let keyExpr: Expr | undefined;
    if (objectResult) {
      keyExpr = this.expression();
      this.expect('=>');
    }
    const valueExpr = this.expression();
    const group = objectResult && this.eat('...');
    let condition: Expr | undefined;
    if (this.keyword('if')) condition = this.expression();
    this.expect(close);
    return {
      ...(keyVar !== undefined ? { keyVar } : {}),
      valueVar,
      collection,
      ...(keyExpr !== undefined ? { keyExpr } : {}),
      valueExpr,
      ...(condition !== undefined ? { condition } : {}),
      group,
    };
  }

  private heredoc(): Expr {
    const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!match) this.fail('bad heredoc');
    this.pos += match[0].length;
    const marker = match[2]!;
    const lines: string[] = [];
    for (;;) {
      if (this.atEnd()) this.fail(`heredoc ${marker} is not closed`);
      const eol = this.src.indexOf('\n', this.pos);
      const line = this.src.slice(this.pos, eol < 0 ? this.src.length : eol);
      this.pos = eol < 0 ? this.src.length : eol + 1;
      if (line.trim() === marker) break;
      lines.push(line);
    }
    if (match[1] === '-') {
      const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const strip = indents.length ? indents.reduce((a, b) => Math.min(a, b)) : 0;
      for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.slice(strip);
    }
    const body = lines.length ? lines.join('\n') + '\n' : '';
    // A heredoc's template may hold heredocs in turn: its parser starts at this depth.
    return parseTemplateAt(body, this.depthLimit, this.depth);
  }

  /**
   * Reads template parts up to the end of input, a closing quote, or (inside a directive body) the
   * next `%{`. `decodeEscapes` is true for quoted strings inside expressions, which are raw source.
   */
  templateParts(end: TemplateEnd, decodeEscapes: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = '';
    const src = this.src;
    const flush = (): void => {
      if (text) parts.push(text);
      text = '';
    };
    for (;;) {
      if (this.pos >= src.length) {
        if (end === 'quote') this.fail('unterminated string');
        if (end === 'directive') this.fail('template directive is not closed');
        break;
      }
      const c = src[this.pos]!;
      if (end === 'quote' && c === '"') {
        this.pos++;
        break;
      }
      if (decodeEscapes && c === '\\') {
        text += this.escape();
        continue;
      }
      if ((c === '$' || c === '%') && src[this.pos + 1] === c && src[this.pos + 2] === '{') {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === '$' && src[this.pos + 1] === '{') {
        this.pos += 2;
        if (this.stripMarker()) text = text.trimEnd();
        flush();
        const expr = this.expression();
        this.skipSpace();
        const stripAfter = this.stripMarker();
        this.expectTemplateClose();
        parts.push({ t: 'interp', expr });
        if (stripAfter) this.skipTemplateSpace();
        continue;
      }
      if (c === '%' && src[this.pos + 1] === '{') {
        if (end === 'directive' && this.directiveKeywordAhead(['else', 'endif', 'endfor'])) {
          flush();
          return parts;
        }
        this.pos += 2;
        if (this.stripMarker()) text = text.trimEnd();
        flush();
        parts.push(this.directive(decodeEscapes));
        continue;
      }
      text += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private escape(): string {
    const next = this.src[this.pos + 1] ?? '';
    this.pos += 2;
    switch (next) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = next === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + len);
        const code = /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : Number.NaN;
        // String.fromCodePoint throws a RangeError on anything that is not a code point (`\uZZZZ`, `\UFFFFFFFF`).
        if (!(code >= 0 && code <= 0x10ffff)) this.fail(`"\\${next}${hex}" is not a valid Unicode escape`);
        this.pos += len;
        return String.fromCodePoint(code);
      }
      default:
        return next;
    }
  }

  private stripMarker(): boolean {
    this.skipSpace();
    if (this.peekChar() === '~') {
      this.pos++;
      return true;
    }
    return false;
  }

  private expectTemplateClose(): void {
    this.skipSpace();
    if (this.peekChar() !== '}') this.fail('expected "}" to close the interpolation');
    this.pos++;
  }

  private skipTemplateSpace(): void {
    while (/[ \t\r\n]/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private directiveKeywordAhead(words: string[]): boolean {
    const save = this.pos;
    this.pos += 2;
    this.stripMarker();
    const word = this.identifier();
    this.pos = save;
    return word !== undefined && words.includes(word);
  }

  /** Parses `%{ if ... }`, `%{ for ... }` up to and including its closing directive. */
  private directive(decodeEscapes: boolean): TemplatePart {
    this.enter();
    const part = this.directiveBody(decodeEscapes);
    this.leave();
    return part;
  }

  private directiveBody(decodeEscapes: boolean): TemplatePart {
    const word = this.identifier();
    if (word === 'if') {
      const condition = this.expression();
      this.closeDirective();
      const then = this.templateParts('directive', decodeEscapes);
      let otherwise: TemplatePart[] = [];
      if (this.closingKeyword() === 'else') {
        otherwise = this.templateParts('directive', decodeEscapes);
        if (this.closingKeyword() !== 'endif') this.fail('expected %{endif}');
      }
      return { t: 'if', condition, then, otherwise };
    }
    if (word === 'for') {
      const first = this.identifier();
      if (first === undefined) this.fail('expected a variable in %{for}');
      let keyVar: string | undefined;
      let valueVar = first;
      if (this.eat(',')) {
        keyVar = first;
        const second = this.identifier();
        if (second === undefined) this.fail('expected a second variable in %{for}');
        valueVar = second;
      }
      if (!this.keyword('in')) this.fail('expected "in" in %{for}');
      const collection = this.expression();
      this.closeDirective();
      const body = this.templateParts('directive', decodeEscapes);
      if (this.closingKeyword() !== 'endfor') this.fail('expected %{endfor}');
      return { t: 'for', ...(keyVar !== undefined ? { keyVar } : {}), valueVar, collection, body };
    }
    return this.fail(`unknown template directive "${word ?? ''}"`);
  }

  /** Consumes `%{ else }` / `%{ endif }` / `%{ endfor }` and returns the keyword. */
  private closingKeyword(): string {
    this.pos += 2;
    this.stripMarker();
    const word = this.identifier() ?? '';
    this.closeDirective();
    return word;
  }

  private closeDirective(): void {
    const strip = this.stripMarker();
    this.expectTemplateClose();
    if (strip) this.skipTemplateSpace();
  }
}
