/**
 * The syntax of ARM template expressions: `[concat(parameters('name'), '-api')]`. A JSON string is an
 * expression when it starts with `[` and ends with `]`; `[[` at the start escapes a literal `[`.
 */

/** A parsed ARM expression. */
export type ArmExpression =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  /** `true`, `false` and `null` written without parentheses (ARM itself writes `true()`). */
  | { readonly kind: 'constant'; readonly value: boolean | null }
  /** A function call; `name` keeps its case and may be namespaced (`contoso.uniqueName`). */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ArmExpression[] }
  /** `target.name` */
  | { readonly kind: 'member'; readonly target: ArmExpression; readonly name: string }
  /** `target[index]` */
  | { readonly kind: 'index'; readonly target: ArmExpression; readonly index: ArmExpression };

/** What a JSON string in a template is: plain text, or an expression to evaluate. */
export type ArmString =
  | { readonly kind: 'literal'; readonly value: string }
  /** `source` is the text between the outer brackets. */
  | { readonly kind: 'expression'; readonly source: string };

/** Tells an expression string from a literal, undoing the `[[` escape. */
export function classifyArmString(text: string): ArmString {
  if (!text.startsWith('[') || !text.endsWith(']')) return { kind: 'literal', value: text };
  // `[[text]` is the literal `[text]`: only strings that would otherwise be expressions are escaped.
  if (text.startsWith('[[')) return { kind: 'literal', value: text.slice(1) };
  return { kind: 'expression', source: text.slice(1, -1) };
}

/** A syntax error in an expression, with the offset (in the expression source) where it was found. */
export class ArmSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ArmSyntaxError';
  }
}

type Token =
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'name'; readonly value: string; readonly offset: number }
  | { readonly kind: 'punctuation'; readonly value: '(' | ')' | '[' | ']' | ',' | '.'; readonly offset: number }
  | { readonly kind: 'end'; readonly offset: number };

const MAX_NESTING = 64;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "'") {
      // '' inside a string is one quote.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new ArmSyntaxError('a string is not closed', i);
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j++;
      }
      tokens.push({ kind: 'string', value, offset: i });
      i = j + 1;
    } else if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', value: Number(match[0]), offset: i });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(char)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', value: match[0], offset: i });
      i += match[0].length;
    } else if (char === '(' || char === ')' || char === '[' || char === ']' || char === ',' || char === '.') {
      tokens.push({ kind: 'punctuation', value: char, offset: i });
      i++;
    } else {
      throw new ArmSyntaxError(`unexpected character ${JSON.stringify(char)}`, i);
    }
  }
  tokens.push({ kind: 'end', offset: source.length });
  return tokens;
}

/** Parses the text between an expression's outer brackets. Throws {@link ArmSyntaxError}. */
export function parseArmExpression(source: string): ArmExpression {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (ahead = 0): Token => tokens[Math.min(position + ahead, tokens.length - 1)]!;
  const isPunctuation = (token: Token, value: string): boolean => token.kind === 'punctuation' && token.value === value;
  const expect = (value: string): void => {
    const token = peek();
    if (!isPunctuation(token, value)) throw new ArmSyntaxError(`expected ${value} but found ${describe(token)}`, token.offset);
    position++;
  };

  const expression = (depth: number): ArmExpression => {
    if (depth > MAX_NESTING) throw new ArmSyntaxError(`the expression nests more than ${MAX_NESTING} levels`, peek().offset);
    let result = primary(depth);
    for (;;) {
      const token = peek();
      if (isPunctuation(token, '.')) {
        position++;
        const name = peek();
        if (name.kind !== 'name') throw new ArmSyntaxError(`expected a property name after . but found ${describe(name)}`, name.offset);
        position++;
        result = { kind: 'member', target: result, name: name.value };
      } else if (isPunctuation(token, '[')) {
        position++;
        const index = expression(depth + 1);
        expect(']');
        result = { kind: 'index', target: result, index };
      } else {
        return result;
      }
    }
  };

  const primary = (depth: number): ArmExpression => {
    const token = peek();
    position++;
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind !== 'name') throw new ArmSyntaxError(`expected a value but found ${describe(token)}`, token.offset);
    let name = token.value;
    // A user-defined function is called with its namespace: `contoso.uniqueName(...)`.
    if (isPunctuation(peek(), '.') && peek(1).kind === 'name' && isPunctuation(peek(2), '(')) {
      name = `${name}.${(peek(1) as { value: string }).value}`;
      position += 2;
    }
    if (isPunctuation(peek(), '(')) {
      position++;
      const args: ArmExpression[] = [];
      if (!isPunctuation(peek(), ')')) {
        for (;;) {
          args.push(expression(depth + 1));
          if (isPunctuation(peek(), ',')) {
            position++;
            continue;
          }
          break;
        }
      }
      expect(')');
      return { kind: 'call', name, args };
    }
    const lower = name.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'constant', value: lower === 'true' };
    if (lower === 'null') return { kind: 'constant', value: null };
    throw new ArmSyntaxError(`${name} is not a function call (expected ${name}(...))`, token.offset);
  };

  if (peek().kind === 'end') throw new ArmSyntaxError('the expression is empty', 0);
  const result = expression(0);
  const rest = peek();
  if (rest.kind !== 'end') throw new ArmSyntaxError(`unexpected ${describe(rest)} after the expression`, rest.offset);
  return result;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'name':
      return token.value;
    case 'punctuation':
      return token.value;
  }
}

/** Writes an expression back as ARM syntax (without the outer brackets), for messages and addresses. */
export function printArmExpression(expression: ArmExpression): string {
  switch (expression.kind) {
    case 'string':
      return `'${expression.value.replaceAll("'", "''")}'`;
    case 'number':
      return String(expression.value);
    case 'constant':
      return String(expression.value);
    case 'call':
      return `${expression.name}(${expression.args.map(printArmExpression).join(', ')})`;
    case 'member':
      return `${printArmExpression(expression.target)}.${expression.name}`;
    case 'index':
      return `${printArmExpression(expression.target)}[${printArmExpression(expression.index)}]`;
  }
}
