import { posix } from 'node:path';
import { DEFAULT_LIMITS } from '../../../limits.js';
import { Unknown } from '../../../model/unknown.js';
import { describeNesting, valueNestingOverflow } from '../../nesting.js';
import { parseYamlLikeLibyaml } from '../../yaml.js';
import { stringify as stringifyYaml } from 'yaml';
import { knownParts, PartialText, partialTextOf, partialValue, transformKnownParts } from '../../view/partial-text.js';
import type { Expr } from './ast.js';
import type { Evaluate, Scope } from './scope.js';
import { parseTemplateValue } from './parse.js';
import { asBool, asNumber, deepEqual, DepthLimitError, LimitError, step, EvalError, UndeclaredReferenceError, formatNumber, materialize, toTemplateString, typeName } from './value.js';
import { findUnknown, isValueObject, setKey, type Value, type ValueObject } from '../../view/value.js';
import { createContext, runInContext, type Context } from 'node:vm';

type Fn = (args: Value[], scope: Scope, evaluate: Evaluate) => Value;

/**
 * Calls a Terraform built-in. Arguments arrive unevaluated so that `try` and `can` can catch
 * errors. Functions gatewarden does not implement return an Unknown naming the function, never a guess.
 */
export function callFunction(name: string, argExprs: readonly Expr[], expandLast: boolean, scope: Scope, evaluate: Evaluate): Value {
  if (name === 'try') {
    for (const arg of argExprs) {
      try {
        return materialize(evaluate(arg, scope));
      } catch (error) {
        // A limit is gatewarden's, not a Terraform error: the value is unknown, not try()'s fallback.
        // An undeclared reference is rejected by Terraform before try() runs.
        if (!(error instanceof EvalError) || error instanceof LimitError || error instanceof UndeclaredReferenceError) throw error;
      }
    }
    throw new EvalError('no argument of try() could be evaluated');
  }
  if (name === 'can') {
    try {
      const value = materialize(evaluate(argExprs[0] ?? { t: 'literal', value: null }, scope));
      return value instanceof Unknown ? value : true;
    } catch (error) {
      if (error instanceof EvalError && !(error instanceof LimitError) && !(error instanceof UndeclaredReferenceError)) return false;
      throw error;
    }
  }
  const fn = FUNCTIONS[name];
  if (!fn) return new Unknown(`function ${name}() is not evaluated by gatewarden`);
  let args = argExprs.map((arg) => materialize(evaluate(arg, scope)));
  if (expandLast && args.length > 0) {
    const last = args[args.length - 1]!;
    if (last instanceof Unknown) return last;
    if (!Array.isArray(last)) throw new EvalError(`the expanded argument of ${name}() must be a list`);
    args = [...args.slice(0, -1), ...last];
  }
  return fn(args, scope, evaluate);
}

/** Returns the first top-level Unknown among the arguments. */
function firstUnknown(args: Value[]): Unknown | undefined {
  return args.find((arg): arg is Unknown => arg instanceof Unknown);
}

/**
 * An unknown argument as the unknown result of a function that transforms it: without the known parts
 * of its text (partial-text.ts), which are the argument's, not the result's (`lower(templatefile(...))`).
 */
function resultOf(unknown: Unknown): Unknown {
  return knownParts(unknown) ? new Unknown(unknown.reason, unknown.ref) : unknown;
}

/** Wraps a function that needs every argument fully known (no Unknown anywhere inside). */
function strict(fn: Fn): Fn {
  return (args, scope, evaluate) => {
    for (const arg of args) {
      const unknown = findUnknown(arg, step);
      if (unknown) return resultOf(unknown);
    }
    return fn(args, scope, evaluate);
  };
}

/** Wraps a function that needs its top-level arguments known but tolerates unknowns inside them. */
function shallow(fn: Fn): Fn {
  return (args, scope, evaluate) => {
    const unknown = firstUnknown(args);
    return unknown ? resultOf(unknown) : fn(args, scope, evaluate);
  };
}

/** A string argument, or the partial text of an unknown one; a wholly unknown string is one hole. */
function textWithHoles(value: Value | undefined): string | PartialText {
  if (value instanceof Unknown) return partialTextOf(value);
  return str(value);
}

function str(value: Value | undefined): string {
  if (value === undefined) throw new EvalError('missing argument');
  return toTemplateString(value);
}

function list(value: Value | undefined): Value[] {
  if (Array.isArray(value)) return value;
  throw new EvalError(`a list is required, got ${typeName(value)}`);
}

function object(value: Value | undefined): ValueObject {
  if (isValueObject(value)) return value;
  throw new EvalError(`a map is required, got ${typeName(value)}`);
}

function collection(value: Value | undefined): Value[] {
  if (Array.isArray(value)) return value;
  if (isValueObject(value)) return Object.keys(value).sort().map((key) => value[key]!);
  throw new EvalError(`a collection is required, got ${typeName(value)}`);
}

function distinct(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
  return out;
}

/** Terraform sets of strings iterate in lexical order; other element types keep insertion order. */
function toSet(items: Value[]): Value[] {
  const unique = distinct(items);
  return unique.every((item) => typeof item === 'string') ? [...(unique as string[])].sort() : unique;
}

/** JSON as Terraform's jsonencode writes it: object keys sorted, no extra white space. */
function encodeJson(value: Value): string {
  // Each node written counts: a value built as [a, a] at every reference is 2^24 nodes at 24 levels.
  step();
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (isValueObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${encodeJson(value[key]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Like {@link encodeJson}, for a value with unknown parts: each unknown is written as a string holding
 * its token (or its text with tokens), so that the text parses and the tokens read back as unknowns.
 */
function encodeJsonWithHoles(value: Value, holes: Map<string, Unknown>): string {
  step();
  if (value instanceof Unknown) {
    const text = partialTextOf(value);
    for (const [token, unknown] of text.holes) holes.set(token, unknown);
    return JSON.stringify(text.text);
  }
  if (Array.isArray(value)) return `[${value.map((item) => encodeJsonWithHoles(item, holes)).join(',')}]`;
  if (isValueObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${encodeJsonWithHoles(value[key]!, holes)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Replaces unknown parts with their text with tokens, for an encoder that writes plain data. */
function withHoles(value: Value, holes: Map<string, Unknown>): unknown {
  step();
  if (value instanceof Unknown) {
    const text = partialTextOf(value);
    for (const [token, unknown] of text.holes) holes.set(token, unknown);
    return text.text;
  }
  if (Array.isArray(value)) return value.map((item) => withHoles(item, holes));
  if (isValueObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) Object.defineProperty(out, key, { value: withHoles(value[key]!, holes), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** YAML as Terraform's yamlencode writes it, near enough for reading it back: block style, keys sorted. */
function encodeYaml(value: unknown): string {
  return stringifyYaml(value, { lineWidth: 0, sortMapEntries: true, aliasDuplicateObjects: false });
}

/** Text an encoder wrote with tokens, as a value: a string, or an unknown string with known parts. */
function encoded(text: string, holes: ReadonlyMap<string, Unknown>, what: string): Value {
  if (holes.size === 0) return text;
  const first = holes.values().next().value!;
  return new Unknown(`${what} of a value with an unknown part: ${first.reason}`, undefined, new PartialText(text, holes));
}

/** Converts parsed JSON/YAML into Terraform values (dates and other YAML types become strings). */
/** Decoded data, unless it nests deeper than the limit (fromData() and every later walk recurse per level). */
function withinDepth(data: unknown, what: string): unknown {
  const tooDeep = valueNestingOverflow(data, DEFAULT_LIMITS.depth);
  if (tooDeep) throw new DepthLimitError(DEFAULT_LIMITS.depth, `the value decoded by ${what} nests ${tooDeep.depth} levels deep`);
  return data;
}

function fromData(data: unknown): Value {
  if (data === null || typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') return data;
  if (Array.isArray(data)) return data.map(fromData);
  if (data instanceof Date) return data.toISOString();
  if (typeof data === 'object') {
    const out: ValueObject = {};
    for (const [key, item] of Object.entries(data as Record<string, unknown>)) setKey(out, key, fromData(item));
    return out;
  }
  return String(data);
}

/** The widest field format() pads to: `%999999999d` would build a gigabyte string (a RangeError). */
const MAX_FORMAT_WIDTH = 10_000;

function formatString(spec: string, args: Value[]): string {
  let next = 0;
  return spec.replace(/%(%|([-+# 0]*)([0-9]*)(?:\.[0-9]+)?([sdfqvtbeEgGxXo]))/g, (match, body: string, flags = '', width = '', verb?: string) => {
    if (body === '%') return '%';
    const value = args[next++];
    if (value === undefined) throw new EvalError('format() has too few arguments');
    const text = formatVerb(match, verb, value);
    const size = Number(width || 0);
    if (size > MAX_FORMAT_WIDTH) throw new EvalError(`format() was given a width over ${MAX_FORMAT_WIDTH}`);
    if (text.length >= size) return text;
    if ((flags as string).includes('-')) return text.padEnd(size);
    return (flags as string).includes('0') && /[dfxXob]/.test(verb ?? '') ? text.padStart(size, '0') : text.padStart(size);
  });
}

function formatVerb(match: string, verb: string | undefined, value: Value): string {
  switch (verb) {
    case 'd':
      return formatNumber(Math.trunc(asNumber(value)));
    case 'f': {
      const precision = /\.([0-9]+)/.exec(match)?.[1];
      const digits = precision === undefined ? 6 : Number(precision);
      // toFixed() throws a RangeError past 100 digits.
      if (digits > 100) throw new EvalError('format() was given a precision over 100');
      return asNumber(value).toFixed(digits);
    }
    case 'q':
      return JSON.stringify(toTemplateString(value));
    case 't':
      return String(asBool(value));
    case 'x':
      return Math.trunc(asNumber(value)).toString(16);
    case 'X':
      return Math.trunc(asNumber(value)).toString(16).toUpperCase();
    case 'o':
      return Math.trunc(asNumber(value)).toString(8);
    case 'b':
      return Math.trunc(asNumber(value)).toString(2);
    case 'v':
      return Array.isArray(value) || isValueObject(value) ? encodeJson(value) : toTemplateString(value);
    default:
      return toTemplateString(value);
  }
}

/** How long one regular expression of `replace()` may run. */
const REGEX_TIME_MS = 500;

let regexContext: Context | undefined;

/**
 * `text.replace(new RegExp(source, 'g'), replacement)`, stopped after {@link REGEX_TIME_MS}.
 * Terraform runs RE2, which never backtracks; JavaScript's engine does, and a pattern such as
 * `(a+)+$` (written by whoever wrote the scanned configuration) takes exponential time on a few dozen
 * characters. V8 can interrupt a regular expression only from a `vm` script's timeout, so the match
 * runs in one, with the values passed as data, never as code.
 */
function replaceWithin(text: string, source: string, replacement: string): string {
  regexContext ??= createContext({});
  regexContext.text = text;
  regexContext.source = source;
  regexContext.replacement = replacement;
  try {
    return runInContext("text.replace(new RegExp(source, 'g'), replacement)", regexContext, { timeout: REGEX_TIME_MS }) as string;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new EvalError(`the regular expression of replace() ran for more than ${REGEX_TIME_MS} ms (it backtracks; Terraform's RE2 would not) and was stopped`);
    }
    throw error;
  } finally {
    // Not kept alive until the next call: the text may be a whole file.
    regexContext.text = '';
  }
}

function readText(scope: Scope, path: Value | undefined): string | Unknown {
  return scope.readFile(absolutePath(scope, path));
}

function absolutePath(scope: Scope, path: Value | undefined): string {
  const file = str(path);
  return posix.isAbsolute(file) ? file : posix.join(scope.baseDir, file);
}

/**
 * `templatefile(path, vars)`. The path must be known; the variables need not be: a variable without a
 * value leaves a hole in the rendered text (partial-text.ts), so that a document rendered from the
 * template is still read, with only what that variable fills in unknown.
 */
function templateFile(args: Value[], scope: Scope, evaluate: Evaluate): Value {
  const path = findUnknown(args[0], step);
  if (path) return resultOf(path);
  const text = readText(scope, args[0]);
  if (text instanceof Unknown) return text;
  return renderTemplate(text, args[1] ?? {}, scope, evaluate);
}

/**
 * Renders a template text with variables, as `templatefile()` does (and the `template_file` data
 * source of the hashicorp/template provider): the template sees only `given`; a variable without a
 * value leaves a hole in the text; `file()` paths in it resolve in `scope`.
 */
export function renderTemplate(text: string, given: Value, scope: Scope, evaluate: Evaluate): Value {
  // A map that is unknown as a whole: each name the template reads is unknown with its reason.
  const vars = given instanceof Unknown ? undefined : object(given);
  const template = parseTemplateValue(text);
  // The template sees only the variables passed to it, as in Terraform; file() paths still resolve.
  const templateScope: Scope = {
    lookup: (name) => (vars === undefined ? resultOf(given as Unknown) : Object.hasOwn(vars, name) ? vars[name] : undefined),
    readFile: (path, as) => scope.readFile(path, as),
    fileExists: (path) => scope.fileExists(path),
    baseDir: scope.baseDir,
  };
  return materialize(evaluate(template, templateScope));
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  // Collections
  lookup: shallow((args) => {
    const map = object(args[0]);
    const key = str(args[1]);
    if (Object.hasOwn(map, key)) return map[key]!;
    if (args.length > 2) return args[2]!;
    throw new EvalError(`lookup() found no key "${key}" and no default was given`);
  }),
  merge: shallow((args) => {
    const out: ValueObject = {};
    for (const arg of args) {
      if (arg === null) continue;
      const map = object(arg);
      for (const key of Object.keys(map)) setKey(out, key, map[key]!);
    }
    return out;
  }),
  concat: shallow((args) => args.flatMap((arg) => list(arg))),
  flatten: shallow((args) => {
    const flat = (items: Value[]): Value[] => {
      step(items.length);
      return items.flatMap((item) => (Array.isArray(item) ? flat(item) : [item]));
    };
    return flat(list(args[0]));
  }),
  distinct: strict((args) => distinct(list(args[0]))),
  compact: strict((args) => list(args[0]).filter((item) => item !== null && item !== '')),
  keys: shallow((args) => Object.keys(object(args[0])).sort()),
  values: shallow((args) => collection(args[0])),
  length: shallow((args) => {
    const value = args[0];
    if (typeof value === 'string') return [...value].length;
    return collection(value).length;
  }),
  element: shallow((args) => {
    const items = list(args[0]);
    if (items.length === 0) throw new EvalError('element() of an empty list');
    const index = asNumber(args[1]!);
    return items[((index % items.length) + items.length) % items.length]!;
  }),
  contains: strict((args) => collection(args[0]).some((item) => deepEqual(item, args[1]!))),
  zipmap: strict((args) => {
    const keys = list(args[0]);
    const values = list(args[1]);
    const out: ValueObject = {};
    keys.forEach((key, i) => setKey(out, str(key), values[i] ?? null));
    return out;
  }),
  slice: shallow((args) => list(args[0]).slice(asNumber(args[1]!), asNumber(args[2]!))),
  reverse: shallow((args) => [...list(args[0])].reverse()),
  sort: strict((args) => list(args[0]).map((item) => str(item)).sort()),
  range: strict((args) => {
    const numbers = args.map((arg) => asNumber(arg));
    const [start, end, step] = numbers.length === 1 ? [0, numbers[0]!, 1] : [numbers[0]!, numbers[1]!, numbers[2] ?? 1];
    if (step === 0) throw new EvalError('range() step must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new EvalError('range() is too long');
    }
    return out;
  }),
  one: shallow((args) => {
    const items = collection(args[0]);
    if (items.length > 1) throw new EvalError('one() got more than one element');
    return items[0] ?? null;
  }),
  coalesce: (args) => {
    for (const arg of args) {
      if (arg instanceof Unknown) return arg;
      if (arg !== null && arg !== '') return arg;
    }
    throw new EvalError('no non-null argument to coalesce()');
  },
  coalescelist: (args) => {
    for (const arg of args) {
      if (arg instanceof Unknown) return arg;
      if (list(arg).length > 0) return arg;
    }
    throw new EvalError('no non-empty list argument to coalescelist()');
  },
  alltrue: strict((args) => list(args[0]).every((item) => asBool(item))),
  anytrue: strict((args) => list(args[0]).some((item) => asBool(item))),
  sum: strict((args) => list(args[0]).reduce<number>((total, item) => total + asNumber(item), 0)),
  setunion: strict((args) => toSet(args.flatMap((arg) => list(arg)))),

  // Strings
  format: strict((args) => formatString(str(args[0]), args.slice(1))),
  formatlist: strict((args) => {
    const lists = args.slice(1).filter(Array.isArray);
    const count = lists.length ? lists.reduce((longest, l) => Math.max(longest, l.length), 0) : 1;
    return Array.from({ length: count }, (_, i) =>
      formatString(str(args[0]), args.slice(1).map((arg) => (Array.isArray(arg) ? arg[i]! : arg))),
    );
  }),
  join: strict((args) => list(args[1]).map((item) => str(item)).join(str(args[0]))),
  split: strict((args) => {
    const text = str(args[1]);
    return text === '' ? [] : text.split(str(args[0]));
  }),
  replace: (args) => {
    const search = findUnknown(args[1], step);
    if (search) return resultOf(search);
    const pattern = str(args[1]);
    const text = textWithHoles(args[0]);
    const replacement = textWithHoles(args[2]);
    // Terraform treats /.../ as a regular expression; plain text otherwise.
    const regex = pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/');
    const replaceIn = (input: string, replacementText: string): string => {
      if (!regex) return input.split(pattern).join(replacementText);
      try {
        new RegExp(pattern.slice(1, -1), 'g');
      } catch {
        // Terraform's RE2 syntax differs from JavaScript's in places; a pattern neither reads is an error in the configuration.
        throw new EvalError('replace() was given a regular expression that is not valid');
      }
      return replaceWithin(input, pattern.slice(1, -1), replacementText.replace(/\$\{(\w+)\}/g, '$<$1>'));
    };
    if (typeof text === 'string' && typeof replacement === 'string') return replaceIn(text, replacement);
    // An unknown replacement (`replace(file("spec.yaml"), "__BACKEND__", var.url)`) leaves a hole where
    // it goes. Unknown parts of the text are kept where the search text cannot touch them; a regular
    // expression over such a text could match in a way that depends on them: the result is unknown.
    const holes = new Map<string, Unknown>([...(typeof text === 'string' ? [] : text.holes), ...(typeof replacement === 'string' ? [] : replacement.holes)]);
    const replacementText = typeof replacement === 'string' ? replacement : replacement.text;
    if (typeof text === 'string') return partialValue(replaceIn(text, replacementText), holes);
    const whole = args[0] instanceof Unknown ? resultOf(args[0]) : new Unknown('the text given to replace() is unknown');
    if (regex) return whole;
    const replaced = transformKnownParts(text, pattern, (input) => replaceIn(input, replacementText));
    return replaced ? partialValue(replaced.text, holes) : whole;
  },
  lower: strict((args) => str(args[0]).toLowerCase()),
  upper: strict((args) => str(args[0]).toUpperCase()),
  title: strict((args) => str(args[0]).replace(/\b\w/g, (c) => c.toUpperCase())),
  trimspace: strict((args) => str(args[0]).trim()),
  trimprefix: strict((args) => {
    const text = str(args[0]);
    const prefix = str(args[1]);
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }),
  trimsuffix: strict((args) => {
    const text = str(args[0]);
    const suffix = str(args[1]);
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  }),
  trim: strict((args) => {
    const cut = new Set(str(args[1]));
    const chars = [...str(args[0])];
    let start = 0;
    let end = chars.length;
    while (start < end && cut.has(chars[start]!)) start++;
    while (end > start && cut.has(chars[end - 1]!)) end--;
    return chars.slice(start, end).join('');
  }),
  chomp: strict((args) => str(args[0]).replace(/[\r\n]+$/, '')),
  substr: strict((args) => {
    const chars = [...str(args[0])];
    const offset = asNumber(args[1]!);
    const length = asNumber(args[2]!);
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  }),
  startswith: strict((args) => str(args[0]).startsWith(str(args[1]))),
  endswith: strict((args) => str(args[0]).endsWith(str(args[1]))),
  strcontains: strict((args) => str(args[0]).includes(str(args[1]))),

  // Encoding
  jsonencode: (args) => {
    const value = args[0] ?? null;
    const unknown = findUnknown(value, step);
    if (!unknown) return encodeJson(value);
    // Terraform would make the whole string unknown; keep the text with a hole for each unknown part,
    // so that a document built with jsonencode() is read with only those parts unknown.
    const holes = new Map<string, Unknown>();
    const text = encodeJsonWithHoles(value, holes);
    return new Unknown(`jsonencode() of a value with an unknown part: ${unknown.reason}`, undefined, new PartialText(text, holes));
  },
  yamlencode: (args) => {
    const holes = new Map<string, Unknown>();
    const data = withHoles(args[0] ?? null, holes);
    return encoded(encodeYaml(data), holes, 'yamlencode()');
  },
  jsondecode: strict((args) => {
    let data: unknown;
    try {
      data = JSON.parse(str(args[0]));
    } catch {
      throw new EvalError('jsondecode() was given text that is not JSON');
    }
    return fromData(withinDepth(data, 'jsondecode()'));
  }),
  yamldecode: strict((args) => {
    // Terraform decodes with go-yaml (a port of libyaml), which accepts what parseYamlLikeLibyaml does.
    const parsed = parseYamlLikeLibyaml(str(args[0]), {}, DEFAULT_LIMITS.depth);
    if ('tooDeep' in parsed) throw new DepthLimitError(DEFAULT_LIMITS.depth, `the text given to yamldecode() nests ${describeNesting(parsed.tooDeep, DEFAULT_LIMITS.depth)} deep`);
    let data: unknown;
    try {
      if (parsed.document.errors.length > 0) throw parsed.document.errors[0];
      data = parsed.document.toJS({ maxAliasCount: 100 });
    } catch {
      throw new EvalError('yamldecode() was given text that is not YAML');
    }
    return fromData(withinDepth(data, 'yamldecode()'));
  }),
  base64encode: strict((args) => Buffer.from(str(args[0]), 'utf8').toString('base64')),
  base64decode: strict((args) => Buffer.from(str(args[0]), 'base64').toString('utf8')),

  // Type conversion
  tostring: shallow((args) => (args[0] === null ? null : str(args[0]))),
  tonumber: shallow((args) => (args[0] === null ? null : asNumber(args[0]!))),
  tobool: shallow((args) => (args[0] === null ? null : asBool(args[0]!))),
  tolist: shallow((args) => collection(args[0])),
  toset: strict((args) => toSet(collection(args[0]))),
  tomap: shallow((args) => object(args[0])),

  // Numbers
  // Reduced, not spread: `max(var.big_list...)` passes every element as an argument.
  min: strict((args) => args.map((arg) => asNumber(arg)).reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)),
  max: strict((args) => args.map((arg) => asNumber(arg)).reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)),
  abs: strict((args) => Math.abs(asNumber(args[0]!))),
  ceil: strict((args) => Math.ceil(asNumber(args[0]!))),
  floor: strict((args) => Math.floor(asNumber(args[0]!))),

  // Files, read only inside the scanned directories
  file: strict((args, scope) => readText(scope, args[0])),
  filebase64: strict((args, scope) => scope.readFile(absolutePath(scope, args[0]), 'base64')),
  fileexists: strict((args, scope) => scope.fileExists(absolutePath(scope, args[0]))),
  templatefile: templateFile,
  basename: strict((args) => posix.basename(str(args[0]))),
  dirname: strict((args) => posix.dirname(str(args[0]))),
  abspath: strict((args, scope) => posix.resolve(scope.baseDir, str(args[0]))),
};

/** Names of the built-ins gatewarden evaluates; everything else yields an Unknown. */
export const SUPPORTED_FUNCTIONS: readonly string[] = ['try', 'can', ...Object.keys(FUNCTIONS)].sort();

