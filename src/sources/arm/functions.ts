import { DEFAULT_LIMITS } from '../../limits.js';
import { Unknown } from '../../model/unknown.js';
import { findUnknown, isValueObject, setKey, type Value, type ValueObject } from '../view/value.js';
import { jsonNestingOverflow } from '../nesting.js';
import { pushAll } from '../../arrays.js';

/**
 * ARM template functions that depend on their arguments only (string, array, object, numeric,
 * comparison and conversion functions). Functions that read the template or the deployment
 * (`parameters`, `copyIndex`, `resourceId`, `reference`...) and those that evaluate their arguments
 * lazily (`if`, `and`, `or`, `coalesce`) are in the evaluator.
 *
 * A call ARM would reject (a wrong argument type) gives an Unknown saying why: the deployment would
 * fail, so the value is nothing gatewarden can judge.
 */

/** Parts of a `format()` string: literal text, and placeholders (`{0}`, `{1:D3}`). */
export type FormatPart = string | { readonly index: number; readonly spec: string | undefined };

/**
 * Calls a pure ARM function by name, in any case (messages use the name as written). Returns
 * undefined when the name is not one of them, so the caller can say the function is not evaluated.
 */
export function callArmFunction(name: string, args: readonly Value[]): Value | undefined {
  const implementation = FUNCTIONS.get(name.toLowerCase());
  return implementation ? implementation(args, name) : undefined;
}

/** Whether {@link callArmFunction} knows a function (names in any case). */
export function isPureArmFunction(name: string): boolean {
  return FUNCTIONS.has(name.toLowerCase());
}

type Implementation = (args: readonly Value[], name: string) => Value;

/** The first argument that is Unknown, so a call on an unknown value is unknown for the same reason. */
function unknownArgument(args: readonly Value[]): Unknown | undefined {
  return args.find((arg): arg is Unknown => arg instanceof Unknown);
}

/** Wraps a function so that an Unknown argument (at the top level) makes the result that Unknown. */
function strict(implementation: Implementation): Implementation {
  return (args, name) => unknownArgument(args) ?? implementation(args, name);
}

/** As {@link strict}, for functions that read whole values (`equals`, `string`): any Unknown inside counts. */
function deep(implementation: Implementation): Implementation {
  return (args, name) => {
    for (const arg of args) {
      const unknown = findUnknown(arg);
      if (unknown) return arg instanceof Unknown ? arg : new Unknown(`${name}() of a value with an unknown part: ${unknown.reason}`);
    }
    return implementation(args, name);
  };
}

function wrong(name: string, what: string): Unknown {
  return new Unknown(`${name}() ${what}; Azure would reject the template`);
}

/** Converts a value to text as ARM does in `concat`, `format` and `string`: booleans are `True`/`False`. */
export function armText(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return '';
  return JSON.stringify(value);
}

/**
 * Joins pieces into a string. With one unknown piece (`[concat(resourceId(...), '/apis')]`) the
 * result is that Unknown, so the link it carries survives, as in the CloudFormation and Terraform
 * readers; with several, an Unknown without a link.
 */
export function joinPieces(pieces: readonly Value[]): Value {
  const unknowns = pieces.filter((piece): piece is Unknown => piece instanceof Unknown);
  if (unknowns.length === 1) return unknowns[0]!;
  if (unknowns.length > 1) return new Unknown(`a string with unknown parts: ${unknowns[0]!.reason}`);
  return pieces.map(armText).join('');
}

/** Parses a .NET composite format string (`{0}-{1:D3}`, `{{` for a brace), or says why it cannot. */
export function parseFormat(format: string): FormatPart[] | string {
  const parts: FormatPart[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i]!;
    if (char === '{' && format[i + 1] === '{') {
      text += '{';
      i++;
    } else if (char === '}' && format[i + 1] === '}') {
      text += '}';
      i++;
    } else if (char === '{') {
      const close = format.indexOf('}', i);
      const match = close < 0 ? null : /^\s*(\d+)\s*(?:,\s*-?\d+\s*)?(?::(.*))?$/s.exec(format.slice(i + 1, close));
      if (!match) return `the format string has an invalid placeholder at character ${i + 1}`;
      if (text) parts.push(text);
      text = '';
      parts.push({ index: Number(match[1]), spec: match[2] });
      i = close;
    } else if (char === '}') {
      return `the format string has an unmatched } at character ${i + 1}`;
    } else {
      text += char;
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** Formats one argument for a placeholder: `D3` pads integers; other specifiers are not evaluated. */
export function formatArgument(value: Value, spec: string | undefined): Value {
  if (value instanceof Unknown || spec === undefined || spec === '') return value;
  const digits = /^[dD](\d*)$/.exec(spec);
  if (digits && typeof value === 'number' && Number.isInteger(value)) {
    const text = String(Math.abs(value)).padStart(Number(digits[1] || '0'), '0');
    return value < 0 ? `-${text}` : text;
  }
  return new Unknown(`format() with the specifier {:${spec}} is not evaluated by gatewarden`);
}

function format(args: readonly Value[], name: string): Value {
  const [template, ...values] = args;
  if (template instanceof Unknown) return template;
  if (typeof template !== 'string') return wrong(name, 'needs a format string first');
  const parts = parseFormat(template);
  if (typeof parts === 'string') return wrong(name, parts.replace('the format string', 'has a format string that'));
  const pieces: Value[] = [];
  for (const part of parts) {
    if (typeof part === 'string') pieces.push(part);
    else if (part.index >= values.length) return wrong(name, `has no argument {${part.index}}`);
    else pieces.push(formatArgument(values[part.index]!, part.spec));
  }
  return joinPieces(pieces);
}

function concat(args: readonly Value[], name: string): Value {
  if (args.length === 0) return wrong(name, 'needs arguments');
  // ARM concatenates arrays when given arrays, strings otherwise.
  if (Array.isArray(args[0])) {
    const out: Value[] = [];
    for (const arg of args) {
      if (arg instanceof Unknown) return arg;
      if (!Array.isArray(arg)) return wrong(name, 'mixes arrays with other values');
      pushAll(out, arg);
    }
    return out;
  }
  if (args.some((arg) => Array.isArray(arg) || isValueObject(arg))) {
    if (args[0] instanceof Unknown) return args[0];
    return wrong(name, 'mixes strings with arrays or objects');
  }
  return joinPieces(args);
}

/** Structural equality of known values; object keys in any order. */
export function armEquals(left: Value, right: Value): boolean {
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => armEquals(item, right[index]!));
  }
  if (isValueObject(left) || isValueObject(right)) {
    if (!isValueObject(left) || !isValueObject(right)) return false;
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && armEquals(left[key]!, right[key]!));
  }
  return left === right;
}

function isEmpty(value: Value): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isValueObject(value)) return Object.keys(value).length === 0;
  return false;
}

function text(name: string, value: Value | undefined, what = 'a string'): string | Unknown {
  if (value instanceof Unknown) return value;
  return typeof value === 'string' ? value : wrong(name, `needs ${what}`);
}

function integer(name: string, value: Value | undefined): number | Unknown {
  if (value instanceof Unknown) return value;
  return typeof value === 'number' && Number.isInteger(value) ? value : wrong(name, 'needs an integer');
}

/** Unwraps checked arguments: the first Unknown among them, or their plain values. */
function all<T>(values: ReadonlyArray<T | Unknown>): T[] | Unknown {
  const unknown = values.find((value): value is Unknown => value instanceof Unknown);
  return unknown ?? (values as T[]);
}

function stringFunction(implementation: (value: string, rest: readonly Value[], name: string) => Value): Implementation {
  return strict((args, name) => {
    const value = text(name, args[0]);
    return value instanceof Unknown ? value : implementation(value, args.slice(1), name);
  });
}

function arithmetic(operation: (a: number, b: number) => number | undefined): Implementation {
  return strict((args, name) => {
    const operands = all([integer(name, args[0]), integer(name, args[1])]);
    if (operands instanceof Unknown) return operands;
    const result = operation(operands[0]!, operands[1]!);
    return result === undefined ? wrong(name, 'divides by zero') : result;
  });
}

function comparison(test: (order: number) => boolean): Implementation {
  return strict((args, name) => {
    const [left, right] = args;
    if (typeof left === 'number' && typeof right === 'number') return test(left - right);
    if (typeof left === 'string' && typeof right === 'string') return test(left < right ? -1 : left > right ? 1 : 0);
    return wrong(name, 'compares two integers or two strings');
  });
}

function minMax(pick: (values: number[]) => number): Implementation {
  return strict((args, name) => {
    const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (list.length === 0) return wrong(name, 'needs values');
    const numbers = all(list.map((value) => integer(name, value)));
    return numbers instanceof Unknown ? numbers : pick(numbers);
  });
}

function sequence(name: string, value: Value | undefined): string | Value[] | Unknown {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string' || Array.isArray(value)) return value;
  return wrong(name, 'needs a string or an array');
}

function decodeBase64(name: string, value: Value | undefined): string | Unknown {
  const encoded = text(name, value);
  if (encoded instanceof Unknown) return encoded;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded.replace(/\s/g, ''))) return wrong(name, 'needs base64 text');
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** Converts parsed JSON into a Value (keys named `__proto__` stay data). */
export function jsonToValue(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.map(jsonToValue);
  if (raw instanceof Unknown) return raw;
  if (typeof raw === 'object') {
    const out: ValueObject = {};
    for (const [key, item] of Object.entries(raw)) setKey(out, key, jsonToValue(item));
    return out;
  }
  return String(raw);
}

function parseJson(name: string, value: Value | undefined): Value {
  const source = text(name, value);
  if (source instanceof Unknown) return source;
  // jsonToValue() and every later walk recurse per level of the value.
  if (jsonNestingOverflow(source, DEFAULT_LIMITS.depth)) return new Unknown(`${name}() was given JSON nested deeper than ${DEFAULT_LIMITS.depth} levels (the "depth" limit)`);
  try {
    return jsonToValue(JSON.parse(source));
  } catch {
    return wrong(name, 'needs valid JSON text');
  }
}

function union(args: readonly Value[], name: string): Value {
  if (args.every(isValueObject)) {
    const out: ValueObject = {};
    for (const arg of args) for (const key of Object.keys(arg)) setKey(out, key, arg[key]!);
    return out;
  }
  if (args.every(Array.isArray)) {
    const out: Value[] = [];
    for (const arg of args) for (const item of arg) if (!out.some((existing) => armEquals(existing, item))) out.push(item);
    return out;
  }
  return wrong(name, 'needs all arrays or all objects');
}

function intersection(args: readonly Value[], name: string): Value {
  if (args.every(isValueObject)) {
    const [first, ...rest] = args;
    const out: ValueObject = {};
    for (const key of Object.keys(first ?? {})) {
      if (rest.every((other) => Object.hasOwn(other, key) && armEquals(other[key]!, first![key]!))) setKey(out, key, first![key]!);
    }
    return out;
  }
  if (args.every(Array.isArray)) {
    const [first, ...rest] = args;
    return (first ?? []).filter((item) => rest.every((other) => other.some((candidate) => armEquals(candidate, item))));
  }
  return wrong(name, 'needs all arrays or all objects');
}

const FUNCTIONS = new Map<string, Implementation>([
  // Strings
  ['concat', concat],
  ['format', format],
  ['tolower', stringFunction((value) => value.toLowerCase())],
  ['toupper', stringFunction((value) => value.toUpperCase())],
  ['trim', stringFunction((value) => value.trim())],
  [
    'replace',
    strict((args, name) => {
      const parts = all([text(name, args[0]), text(name, args[1]), text(name, args[2])]);
      if (parts instanceof Unknown) return parts;
      const [value, old, replacement] = parts as [string, string, string];
      return old === '' ? value : value.split(old).join(replacement);
    }),
  ],
  [
    'substring',
    strict((args, name) => {
      const value = text(name, args[0]);
      if (value instanceof Unknown) return value;
      const start = args[1] === undefined ? 0 : integer(name, args[1]);
      const length = args[2] === undefined ? undefined : integer(name, args[2]);
      if (start instanceof Unknown) return start;
      if (length instanceof Unknown) return length;
      if (start < 0 || start > value.length || (length !== undefined && (length < 0 || start + length > value.length))) return wrong(name, 'reads past the end of the string');
      return value.substring(start, length === undefined ? undefined : start + length);
    }),
  ],
  [
    'split',
    strict((args, name) => {
      const value = text(name, args[0]);
      if (value instanceof Unknown) return value;
      const delimiters = Array.isArray(args[1]) ? args[1] : [args[1] ?? null];
      const checked = all(delimiters.map((delimiter) => text(name, delimiter, 'string delimiters')));
      if (checked instanceof Unknown) return checked;
      let pieces = [value];
      for (const delimiter of checked) pieces = pieces.flatMap((piece) => (delimiter === '' ? [piece] : piece.split(delimiter)));
      return pieces;
    }),
  ],
  // startsWith, endsWith, indexOf and lastIndexOf ignore case in ARM.
  ['startswith', stringFunction((value, [prefix], name) => (typeof prefix === 'string' ? value.toLowerCase().startsWith(prefix.toLowerCase()) : wrong(name, 'needs strings')))],
  ['endswith', stringFunction((value, [suffix], name) => (typeof suffix === 'string' ? value.toLowerCase().endsWith(suffix.toLowerCase()) : wrong(name, 'needs strings')))],
  ['indexof', stringFunction((value, [part], name) => (typeof part === 'string' ? value.toLowerCase().indexOf(part.toLowerCase()) : wrong(name, 'needs strings')))],
  ['lastindexof', stringFunction((value, [part], name) => (typeof part === 'string' ? value.toLowerCase().lastIndexOf(part.toLowerCase()) : wrong(name, 'needs strings')))],
  [
    'padleft',
    strict((args, name) => {
      const value = typeof args[0] === 'number' ? String(args[0]) : text(name, args[0]);
      const width = integer(name, args[1]);
      const pad = args[2] === undefined ? ' ' : text(name, args[2]);
      const checked = all([value, width, pad]);
      if (checked instanceof Unknown) return checked;
      return (checked[0] as string).padStart(checked[1] as number, (checked[2] as string).slice(0, 1) || ' ');
    }),
  ],
  ['base64', stringFunction((value) => Buffer.from(value, 'utf8').toString('base64'))],
  ['base64tostring', strict((args, name) => decodeBase64(name, args[0]))],
  [
    'base64tojson',
    strict((args, name) => {
      const decoded = decodeBase64(name, args[0]);
      return decoded instanceof Unknown ? decoded : parseJson(name, decoded);
    }),
  ],
  ['uricomponent', stringFunction((value) => encodeURIComponent(value))],
  [
    'uricomponenttostring',
    stringFunction((value, _rest, name) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return wrong(name, 'needs an encoded URI component');
      }
    }),
  ],
  [
    'uri',
    strict((args, name) => {
      const parts = all([text(name, args[0]), text(name, args[1])]);
      if (parts instanceof Unknown) return parts;
      try {
        return new URL(parts[1]!, parts[0]!).toString();
      } catch {
        return wrong(name, 'needs an absolute base URI');
      }
    }),
  ],
  // Conversions
  ['string', deep((args) => armText(args[0] ?? null))],
  [
    'int',
    strict((args, name) => {
      const value = args[0];
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
      return wrong(name, 'needs an integer or a string of digits');
    }),
  ],
  [
    'bool',
    strict((args, name) => {
      const value = args[0];
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      return wrong(name, "needs 'true', 'false' or a number");
    }),
  ],
  ['json', strict((args, name) => parseJson(name, args[0]))],
  ['array', strict((args) => (Array.isArray(args[0]) ? args[0] : [args[0] ?? null]))],
  ['createarray', (args) => [...args]],
  [
    'createobject',
    (args, name) => {
      if (args.length % 2 !== 0) return wrong(name, 'needs pairs of keys and values');
      const out: ValueObject = {};
      for (let i = 0; i < args.length; i += 2) {
        const key = args[i]!;
        if (key instanceof Unknown) return new Unknown(`createObject() with an unknown key: ${key.reason}`);
        if (typeof key !== 'string') return wrong(name, 'needs string keys');
        setKey(out, key, args[i + 1]!);
      }
      return out;
    },
  ],
  // Logic and comparison
  ['true', () => true],
  ['false', () => false],
  ['null', () => null],
  ['not', strict((args, name) => (typeof args[0] === 'boolean' ? !args[0] : wrong(name, 'needs a boolean')))],
  ['equals', deep((args, name) => (args.length === 2 ? armEquals(args[0]!, args[1]!) : wrong(name, 'needs two values')))],
  ['less', comparison((order) => order < 0)],
  ['lessorequals', comparison((order) => order <= 0)],
  ['greater', comparison((order) => order > 0)],
  ['greaterorequals', comparison((order) => order >= 0)],
  ['empty', strict((args) => isEmpty(args[0] ?? null))],
  // Collections
  [
    'length',
    strict((args, name) => {
      const value = args[0];
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (isValueObject(value)) return Object.keys(value).length;
      return wrong(name, 'needs a string, an array or an object');
    }),
  ],
  [
    'contains',
    (args, name) => {
      const [container, item] = args;
      if (container instanceof Unknown) return container;
      if (typeof container === 'string') {
        if (item instanceof Unknown) return item;
        return typeof item === 'string' || typeof item === 'number' ? container.includes(String(item)) : wrong(name, 'needs a string to look for');
      }
      if (Array.isArray(container)) {
        const unknown = findUnknown(item) ?? findUnknown(container);
        if (container.some((element) => findUnknown(element) === undefined && findUnknown(item) === undefined && armEquals(element, item!))) return true;
        return unknown ? new Unknown(`contains() with an unknown part: ${unknown.reason}`) : false;
      }
      if (isValueObject(container)) {
        if (item instanceof Unknown) return item;
        // Property names are case-insensitive in ARM.
        return typeof item === 'string' ? Object.keys(container).some((key) => key.toLowerCase() === item.toLowerCase()) : wrong(name, 'needs a property name');
      }
      return wrong(name, 'needs a string, an array or an object');
    },
  ],
  [
    'first',
    strict((args, name) => {
      const value = sequence(name, args[0]);
      if (value instanceof Unknown) return value;
      return typeof value === 'string' ? value.slice(0, 1) : (value[0] ?? null);
    }),
  ],
  [
    'last',
    strict((args, name) => {
      const value = sequence(name, args[0]);
      if (value instanceof Unknown) return value;
      return typeof value === 'string' ? value.slice(-1) : (value[value.length - 1] ?? null);
    }),
  ],
  [
    'skip',
    strict((args, name) => {
      const value = sequence(name, args[0]);
      const count = integer(name, args[1]);
      if (value instanceof Unknown) return value;
      if (count instanceof Unknown) return count;
      return value.slice(Math.max(count, 0));
    }),
  ],
  [
    'take',
    strict((args, name) => {
      const value = sequence(name, args[0]);
      const count = integer(name, args[1]);
      if (value instanceof Unknown) return value;
      if (count instanceof Unknown) return count;
      return value.slice(0, Math.max(count, 0));
    }),
  ],
  [
    'join',
    strict((args, name) => {
      const [list, delimiter] = args;
      if (!Array.isArray(list) || typeof delimiter !== 'string') return wrong(name, 'needs an array and a string');
      const pieces: Value[] = [];
      list.forEach((item, index) => pieces.push(...(index > 0 ? [delimiter] : []), item));
      return joinPieces(pieces);
    }),
  ],
  [
    'range',
    strict((args, name) => {
      const bounds = all([integer(name, args[0]), integer(name, args[1])]);
      if (bounds instanceof Unknown) return bounds;
      const [start, count] = bounds as [number, number];
      if (count < 0 || count > 10_000) return wrong(name, 'needs a count between 0 and 10000');
      return Array.from({ length: count }, (_, index) => start + index);
    }),
  ],
  ['union', strict(union)],
  ['intersection', strict(intersection)],
  [
    'items',
    strict((args, name) => {
      const value = args[0];
      if (!isValueObject(value)) return wrong(name, 'needs an object');
      return Object.keys(value)
        .sort((a, b) => a.localeCompare(b))
        .map((key) => ({ key, value: value[key]! }));
    }),
  ],
  ['objectkeys', strict((args, name) => (isValueObject(args[0]) ? Object.keys(args[0]) : wrong(name, 'needs an object')))],
  // Numbers
  ['add', arithmetic((a, b) => a + b)],
  ['sub', arithmetic((a, b) => a - b)],
  ['mul', arithmetic((a, b) => a * b)],
  ['div', arithmetic((a, b) => (b === 0 ? undefined : Math.trunc(a / b)))],
  ['mod', arithmetic((a, b) => (b === 0 ? undefined : a % b))],
  ['min', minMax((values) => values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY))],
  ['max', minMax((values) => values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY))],
]);
