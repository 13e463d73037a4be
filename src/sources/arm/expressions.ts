import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import { isRecord } from '../../objects.js';
import { findUnknown, isValueObject, setKey, type Value, type ValueObject } from '../view/value.js';
import { armEquals, armText, callArmFunction, formatArgument, jsonToValue, parseFormat } from './functions.js';
import type { ArmParameterOrigin, GivenArmParameter } from './parameters.js';
import { ArmSyntaxError, classifyArmString, parseArmExpression, printArmExpression, type ArmExpression } from './syntax.js';
import type { ArmTemplate } from './template.js';

/** A parameter type as ARM declares it, in lower case (`secureString` is `securestring`). */
export type ArmParameterType = 'string' | 'securestring' | 'int' | 'bool' | 'object' | 'secureobject' | 'array';

/** Where a parameter's value comes from: the template's `defaultValue`, a value given for the deployment, or nowhere. */
export type ArmParameterSource =
  /** `literal` is false when the default is an expression (`[resourceGroup().location]`). */
  | { readonly kind: 'default'; readonly location: SourceLocation; readonly literal: boolean }
  | ArmParameterOrigin
  | { readonly kind: 'none' };

/** What a template declares about a parameter and where its value comes from. */
export interface ArmParameterInfo {
  /** The name as declared. */
  readonly name: string;
  readonly type: ArmParameterType;
  /** `securestring` or `secureObject`: Azure keeps the value out of logs and deployment history. */
  readonly secure: boolean;
  readonly source: ArmParameterSource;
  /** The declaration. */
  readonly location: SourceLocation;
}

/** One level of a `copy` loop being expanded: its name and the current index (Unknown when the count is). */
export interface CopyFrame {
  readonly name: string;
  readonly kind: 'resource' | 'property' | 'variable';
  readonly index: number | Unknown;
}

/** What an expression is evaluated within: the copy loops around it. */
export interface EvaluationContext {
  readonly loops: readonly CopyFrame[];
}

/** One `/`-separated segment of a resource name, with how to show it when it is unknown. */
export interface NameSegment {
  readonly value: string | Unknown;
  /** The segment for display: its value, or the expression it comes from (`[parameters('apimName')]`). */
  readonly text: string;
}

/** What the evaluator reads. */
export interface ArmEvaluatorInput {
  readonly template: ArmTemplate;
  /** Where the template object is in the file: `[]`, or the path of a nested deployment's inline template. */
  readonly root: readonly string[];
  /** The template object (the file's, or a nested deployment's `properties.template`). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Parameter values given for this deployment; names match the declarations without regard to case. */
  readonly parameters: ReadonlyMap<string, GivenArmParameter>;
}

/** ARM rejects copy loops over 800 iterations. */
export const MAX_COPY_COUNT = 800;
const MAX_DEPTH = 64;
const NO_LOOPS: EvaluationContext = { loops: [] };
const PARAMETER_TYPES = new Set<string>(['string', 'securestring', 'int', 'bool', 'object', 'secureobject', 'array']);
const DEPLOY_TIME = new Set(['resourcegroup', 'subscription', 'deployment', 'environment', 'tenant', 'managementgroup', 'utcnow', 'newguid', 'pickzones', 'providers', 'deployer']);
const HASHES = new Set(['uniquestring', 'guid']);
const RESOURCE_IDS = new Set(['resourceid', 'subscriptionresourceid', 'tenantresourceid', 'extensionresourceid', 'managementgroupresourceid']);

/** Looks a key up as ARM does: exactly, else without regard to case. */
export function member(object: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  const found = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return found === undefined ? undefined : object[found];
}

/** Whether raw template data holds an expression anywhere (a `[...]` string that is not escaped). */
export function containsExpression(raw: unknown): boolean {
  if (typeof raw === 'string') return classifyArmString(raw).kind === 'expression';
  if (Array.isArray(raw)) return raw.some(containsExpression);
  if (isRecord(raw)) return Object.values(raw).some(containsExpression);
  return false;
}

interface VariableDeclaration {
  readonly name: string;
  readonly raw: unknown;
  /** A loop from the top-level `copy` array of `variables`: the variable is the array it builds. */
  readonly loop?: Readonly<Record<string, unknown>>;
  readonly path: readonly string[];
}

/**
 * Evaluates ARM template expressions (`[concat(parameters('apimName'), '/orders')]`) as Azure would at
 * deployment, as far as a template allows: parameters (given values, else defaults), variables,
 * `copy` loops and the string, array, object, logical and numeric functions resolve; a `resourceId()`
 * becomes an Unknown whose ref names the resource (`apim/orders`, attribute `id`) so adapters can link;
 * `reference()`/`list*()` are Unknown with a ref (`reference`, `listKeys`) whose attribute grows with
 * the properties read (`reference.gatewayUrl`); values known only at deployment (`resourceGroup()`,
 * `uniqueString()`) and functions gatewarden does not evaluate are Unknown with the reason.
 *
 * Names of parameters, variables and functions are matched without regard to case, as ARM does.
 */
export class ArmEvaluator {
  /** Problems met while evaluating (invalid expressions), each reported once. */
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();
  private readonly declarations = new Map<string, { name: string; raw: Readonly<Record<string, unknown>> }>();
  private readonly given = new Map<string, GivenArmParameter>();
  private readonly parameterValues = new Map<string, Value>();
  private readonly variables = new Map<string, VariableDeclaration>();
  private readonly variableValues = new Map<string, Value>();
  private readonly evaluating: string[] = [];
  private readonly parsed = new Map<string, ArmExpression | ArmSyntaxError>();

  constructor(private readonly input: ArmEvaluatorInput) {
    const parameters = member(input.data, 'parameters');
    if (isRecord(parameters)) {
      for (const [name, raw] of Object.entries(parameters)) this.declarations.set(name.toLowerCase(), { name, raw: isRecord(raw) ? raw : {} });
    }
    for (const [name, given] of input.parameters) this.given.set(name.toLowerCase(), given);
    const variables = member(input.data, 'variables');
    if (isRecord(variables)) {
      for (const [name, raw] of Object.entries(variables)) {
        if (name.toLowerCase() === 'copy' && Array.isArray(raw)) {
          raw.forEach((loop, index) => {
            const loopName = isRecord(loop) ? member(loop, 'name') : undefined;
            if (isRecord(loop) && typeof loopName === 'string') {
              this.variables.set(loopName.toLowerCase(), { name: loopName, raw: loop, loop, path: ['variables', name, String(index)] });
            }
          });
        } else {
          this.variables.set(name.toLowerCase(), { name, raw, path: ['variables', name] });
        }
      }
    }
  }

  /** The template this evaluator reads. */
  get template(): ArmTemplate {
    return this.input.template;
  }

  /** Where the template object is in the file (`[]` for the file's own template). */
  get root(): readonly string[] {
    return this.input.root;
  }

  /** Where a path (relative to the template object) is written, or the nearest enclosing part. */
  locate(path: readonly string[]): SourceLocation {
    return (
      this.input.template.positions.nearest([...this.input.root, ...path]) ?? lineLocation(this.input.template.file, 1)
    );
  }

  /** The value of a parameter: the given value (converted to the declared type), else its default, else Unknown. */
  parameter(name: string): Value {
    const key = name.toLowerCase();
    const declaration = this.declarations.get(key);
    if (!declaration) return new Unknown(`parameter ${name} is not declared in the template`);
    const cached = this.parameterValues.get(key);
    if (cached !== undefined) return cached;
    const marker = `parameter ${declaration.name}`;
    if (this.evaluating.includes(marker)) return new Unknown(`the default value of parameter ${declaration.name} refers to itself (${[...this.evaluating.slice(this.evaluating.indexOf(marker)), marker].join(' → ')})`);
    const type = parameterType(declaration.raw);
    const given = this.given.get(key);
    let value: Value;
    if (given) {
      value = given.origin.kind === 'command-line' ? convertGiven(declaration.name, type, given.value) : given.value;
    } else if (member(declaration.raw, 'defaultValue') !== undefined) {
      this.evaluating.push(marker);
      value = this.resolve(member(declaration.raw, 'defaultValue'), ['parameters', declaration.name, 'defaultValue']);
      this.evaluating.pop();
    } else {
      value = new Unknown(`parameter ${declaration.name} has no default and no value (give it with --parameter ${declaration.name}=... or --parameter-file)`);
    }
    this.parameterValues.set(key, value);
    return value;
  }

  /** What the template declares about a parameter, and where its value comes from. */
  parameterInfo(name: string): ArmParameterInfo | undefined {
    const declaration = this.declarations.get(name.toLowerCase());
    if (!declaration) return undefined;
    const type = parameterType(declaration.raw);
    const given = this.given.get(name.toLowerCase());
    const defaultValue = member(declaration.raw, 'defaultValue');
    const source: ArmParameterSource = given
      ? given.origin
      : defaultValue !== undefined
        ? { kind: 'default', location: this.locate(['parameters', declaration.name, 'defaultValue']), literal: !containsExpression(defaultValue) }
        : { kind: 'none' };
    return { name: declaration.name, type, secure: type === 'securestring' || type === 'secureobject', source, location: this.locate(['parameters', declaration.name]) };
  }

  /** Every parameter the template declares, in order. */
  parameterInfos(): ArmParameterInfo[] {
    return [...this.declarations.values()].map((declaration) => this.parameterInfo(declaration.name)!);
  }

  /** The value of a variable; a variable that refers to itself, directly or not, is Unknown. */
  variable(name: string): Value {
    const key = name.toLowerCase();
    const declaration = this.variables.get(key);
    if (!declaration) return new Unknown(`variable ${name} is not defined in the template`);
    const cached = this.variableValues.get(key);
    if (cached !== undefined) return cached;
    const marker = `variable ${declaration.name}`;
    if (this.evaluating.includes(marker)) {
      return new Unknown(`variable ${declaration.name} refers to itself (${[...this.evaluating.slice(this.evaluating.indexOf(marker)), marker].join(' → ')})`);
    }
    this.evaluating.push(marker);
    const value = declaration.loop ? this.copyArray(declaration.loop, declaration.path, NO_LOOPS, 'variable') : this.resolve(declaration.raw, declaration.path);
    this.evaluating.pop();
    this.variableValues.set(key, value);
    return value;
  }

  /**
   * Resolves template data: expressions in strings are evaluated, arrays and objects recursively, and
   * a `copy` array in an object (property and variable iteration) builds the arrays it names.
   *
   * @param path - where the data is, relative to the template object, for diagnostics.
   */
  resolve(raw: unknown, path: readonly string[], context: EvaluationContext = NO_LOOPS, depth = 0): Value {
    if (depth > 256) return new Unknown('the value nests too deeply');
    if (typeof raw === 'string') return this.evaluateString(raw, path, context);
    if (Array.isArray(raw)) return raw.map((item, index) => this.resolve(item, [...path, String(index)], context, depth + 1));
    if (isRecord(raw)) {
      const out: ValueObject = {};
      const loops = propertyLoops(raw);
      for (const [key, item] of Object.entries(raw)) {
        if (loops && key === loops.key) continue;
        setKey(out, key, this.resolve(item, [...path, key], context, depth + 1));
      }
      if (loops) {
        loops.loops.forEach((loop, index) => setKey(out, String(member(loop, 'name')), this.copyArray(loop, [...path, loops.key, String(index)], context, 'property')));
      }
      return out;
    }
    return jsonToValue(raw);
  }

  /** Evaluates one JSON string of the template: an expression, or literal text (`[[` unescaped). */
  evaluateString(text: string, path: readonly string[], context: EvaluationContext = NO_LOOPS): Value {
    const classified = classifyArmString(text);
    if (classified.kind === 'literal') return classified.value;
    const expression = this.parse(classified.source, path);
    return expression instanceof Unknown ? expression : this.evaluate(expression, context, 0);
  }

  /**
   * The `count` of a resource `copy` loop: a number, or Unknown (with the reason) when it cannot be
   * known or ARM would reject it.
   */
  copyCount(raw: unknown, path: readonly string[], context: EvaluationContext): number | Unknown {
    const count = this.resolve(raw, path, context);
    if (count instanceof Unknown) return count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return new Unknown('the copy count is not a whole number; Azure would reject the template');
    return count;
  }

  /**
   * Evaluates a resource name into its `/`-separated segments. A name built with `concat` or
   * `format` is evaluated piece by piece, so that `[concat(parameters('apimName'), '/orders')]` keeps
   * `orders` known when the service name is not.
   */
  nameSegments(raw: unknown, path: readonly string[], context: EvaluationContext): NameSegment[] {
    let pieces: Piece[];
    if (typeof raw === 'number') raw = String(raw);
    if (typeof raw !== 'string') {
      pieces = [{ value: new Unknown('the resource name is not a string; Azure would reject the template'), text: '?' }];
    } else {
      const classified = classifyArmString(raw);
      if (classified.kind === 'literal') {
        pieces = [{ value: classified.value, text: classified.value }];
      } else {
        const expression = this.parse(classified.source, path);
        pieces = expression instanceof Unknown ? [{ value: expression, text: raw }] : this.pieces(expression, context, 0);
      }
    }
    const segments: Array<{ parts: Array<string | Unknown>; text: string }> = [{ parts: [], text: '' }];
    for (const piece of pieces) {
      if (typeof piece.value === 'string') {
        piece.value.split('/').forEach((part, index) => {
          if (index > 0) segments.push({ parts: [], text: '' });
          const current = segments[segments.length - 1]!;
          current.parts.push(part);
          current.text += part;
        });
      } else {
        const current = segments[segments.length - 1]!;
        current.parts.push(piece.value);
        current.text += piece.text;
      }
    }
    return segments.map(({ parts, text }) => {
      const unknowns = parts.filter((part): part is Unknown => part instanceof Unknown);
      if (unknowns.length === 0) return { value: parts.join(''), text };
      const alone = unknowns.length === 1 && parts.every((part) => part instanceof Unknown || part === '');
      return { value: alone ? unknowns[0]! : new Unknown(`part of the name is unknown: ${unknowns[0]!.reason}`), text };
    });
  }

  /** The parameter a string refers to when it is exactly `[parameters('name')]`, else undefined. */
  directParameter(raw: unknown): string | undefined {
    if (typeof raw !== 'string') return undefined;
    const classified = classifyArmString(raw);
    if (classified.kind !== 'expression') return undefined;
    let expression: ArmExpression;
    try {
      expression = parseArmExpression(classified.source);
    } catch {
      return undefined;
    }
    if (expression.kind !== 'call' || expression.name.toLowerCase() !== 'parameters' || expression.args.length !== 1) return undefined;
    const [argument] = expression.args;
    return argument?.kind === 'string' ? argument.value : undefined;
  }

  /** Builds the array of a `copy` loop (`{ name, count, input }`) of a property or variable. */
  private copyArray(loop: Readonly<Record<string, unknown>>, path: readonly string[], context: EvaluationContext, kind: CopyFrame['kind']): Value {
    const name = String(member(loop, 'name'));
    const count = this.copyCount(member(loop, 'count'), [...path, 'count'], context);
    const input = member(loop, 'input');
    const instance = (index: number | Unknown): Value => this.resolve(input, [...path, 'input'], { loops: [...context.loops, { name, kind, index }] });
    if (count instanceof Unknown) {
      // The array's length is unknown; one instance, with copyIndex() unknown, is kept as its known part.
      const reason = `the count of copy loop ${name} is unknown: ${count.reason}`;
      return new Unknown(reason, undefined, [instance(new Unknown(reason))]);
    }
    if (count > MAX_COPY_COUNT) return new Unknown(`copy loop ${name} has ${count} iterations, over ARM's limit of ${MAX_COPY_COUNT}; Azure would reject the template`);
    return Array.from({ length: count }, (_, index) => instance(index));
  }

  private parse(source: string, path: readonly string[]): ArmExpression | Unknown {
    let parsed = this.parsed.get(source);
    if (parsed === undefined) {
      try {
        parsed = parseArmExpression(source);
      } catch (error) {
        if (!(error instanceof ArmSyntaxError)) throw error;
        parsed = error;
      }
      this.parsed.set(source, parsed);
    }
    if (!(parsed instanceof ArmSyntaxError)) return parsed;
    const location = this.locate(path);
    const key = `${location.file}:${location.startLine}:${location.startColumn}:${parsed.message}`;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      // The expression itself is not quoted: it may hold a secret.
      this.diagnostics.push({
        severity: 'warning',
        code: 'unresolved',
        message: `the template expression is not valid (${parsed.message}, at character ${parsed.offset + 2}); Azure would reject it, and gatewarden reads its value as unknown`,
        location,
      });
    }
    return new Unknown(`the template expression is not valid: ${parsed.message}`);
  }

  private evaluate(expression: ArmExpression, context: EvaluationContext, depth: number): Value {
    if (depth > MAX_DEPTH) return new Unknown('the expression nests too deeply');
    switch (expression.kind) {
      case 'string':
      case 'number':
      case 'constant':
        return expression.value;
      case 'member':
        return access(this.evaluate(expression.target, context, depth + 1), expression.name);
      case 'index':
        return access(this.evaluate(expression.target, context, depth + 1), this.evaluate(expression.index, context, depth + 1));
      case 'call':
        return this.call(expression, context, depth);
    }
  }

  private call(call: Extract<ArmExpression, { kind: 'call' }>, context: EvaluationContext, depth: number): Value {
    const name = call.name.toLowerCase();
    const argument = (index: number): Value => {
      const expression = call.args[index];
      return expression === undefined ? null : this.evaluate(expression, context, depth + 1);
    };
    const args = (): Value[] => call.args.map((_, index) => argument(index));
    if (name.includes('.')) return new Unknown(`the user-defined function ${call.name}() is not evaluated by gatewarden`);
    switch (name) {
      case 'parameters':
      case 'variables': {
        const key = argument(0);
        if (key instanceof Unknown) return key;
        if (typeof key !== 'string') return new Unknown(`${call.name}() needs a name; Azure would reject the template`);
        return name === 'parameters' ? this.parameter(key) : this.variable(key);
      }
      case 'copyindex':
        return copyIndex(args(), context);
      case 'if': {
        const condition = argument(0);
        if (typeof condition === 'boolean') return argument(condition ? 1 : 2);
        if (!(condition instanceof Unknown)) return new Unknown('if() needs a boolean condition; Azure would reject the template');
        // Either branch will do when both are the same known value.
        const [whenTrue, whenFalse] = [argument(1), argument(2)];
        return findUnknown(whenTrue) === undefined && findUnknown(whenFalse) === undefined && armEquals(whenTrue, whenFalse) ? whenTrue : condition;
      }
      case 'and':
      case 'or': {
        const decisive = name === 'or';
        let unknown: Unknown | undefined;
        for (let index = 0; index < call.args.length; index++) {
          const value = argument(index);
          if (value === decisive) return decisive;
          if (value instanceof Unknown) unknown ??= value;
          else if (typeof value !== 'boolean') return new Unknown(`${call.name}() needs booleans; Azure would reject the template`);
        }
        return unknown ?? !decisive;
      }
      case 'coalesce': {
        for (let index = 0; index < call.args.length; index++) {
          const value = argument(index);
          if (value !== null) return value;
        }
        return null;
      }
      case 'reference':
      case 'listkeys':
      case 'listsecrets':
        return deployedValue(call.name, argument(0));
      default:
        break;
    }
    if (RESOURCE_IDS.has(name)) return resourceId(call.name, args(), name === 'extensionresourceid');
    if (name.startsWith('list')) return deployedValue(call.name, argument(0));
    if (DEPLOY_TIME.has(name)) return new Unknown(`${call.name}() is known at deployment`);
    if (HASHES.has(name)) return new Unknown(`${call.name}() is a hash of deployment values, computed at deployment`);
    return callArmFunction(call.name, args()) ?? new Unknown(`the function ${call.name}() is not evaluated by gatewarden`);
  }

  /** Evaluates a name expression into pieces: `concat` and `format` piece by piece, anything else whole. */
  private pieces(expression: ArmExpression, context: EvaluationContext, depth: number): Piece[] {
    if (depth < MAX_DEPTH && expression.kind === 'call') {
      const name = expression.name.toLowerCase();
      if (name === 'concat' && expression.args.length > 0) return expression.args.flatMap((argument) => this.pieces(argument, context, depth + 1));
      if (name === 'format' && expression.args.length > 0) {
        const template = this.evaluate(expression.args[0]!, context, depth + 1);
        const parts = typeof template === 'string' ? parseFormat(template) : undefined;
        if (Array.isArray(parts)) {
          return parts.flatMap((part): Piece[] => {
            if (typeof part === 'string') return [{ value: part, text: part }];
            const argument = expression.args[part.index + 1];
            if (!argument) return [{ value: new Unknown(`format() has no argument {${part.index}}; Azure would reject the template`), text: `{${part.index}}` }];
            if (part.spec === undefined) return this.pieces(argument, context, depth + 1);
            return [piece(formatArgument(this.evaluate(argument, context, depth + 1), part.spec), argument)];
          });
        }
      }
    }
    return [piece(this.evaluate(expression, context, depth + 1), expression)];
  }
}

/** A piece of a resource name: known text, or an Unknown shown as the expression it comes from. */
interface Piece {
  readonly value: string | Unknown;
  readonly text: string;
}

function piece(value: Value, expression: ArmExpression): Piece {
  if (typeof value === 'string') return { value, text: value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: armText(value), text: armText(value) };
  if (value instanceof Unknown) return { value, text: `[${printArmExpression(expression)}]` };
  return { value: new Unknown('part of the resource name is not a string; Azure would reject the template'), text: `[${printArmExpression(expression)}]` };
}

function parameterType(declaration: Readonly<Record<string, unknown>>): ArmParameterType {
  const type = member(declaration, 'type');
  const lower = typeof type === 'string' ? type.toLowerCase() : 'string';
  return PARAMETER_TYPES.has(lower) ? (lower as ArmParameterType) : 'string';
}

/** Converts a command-line string to the declared type (`--parameter count=5` for an `int`). */
function convertGiven(name: string, type: ArmParameterType, value: Value): Value {
  if (typeof value !== 'string') return value;
  // The value itself is never quoted in a reason: it may be a secret.
  switch (type) {
    case 'int':
      return /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : new Unknown(`parameter ${name} is an int, but the value given with --parameter is not a whole number`);
    case 'bool':
      return /^\s*(true|false)\s*$/i.test(value) ? value.trim().toLowerCase() === 'true' : new Unknown(`parameter ${name} is a bool, but the value given with --parameter is not true or false`);
    case 'object':
    case 'secureobject':
    case 'array': {
      try {
        const parsed = jsonToValue(JSON.parse(value));
        if (type === 'array' ? Array.isArray(parsed) : isValueObject(parsed)) return parsed;
      } catch {
        // Reported below.
      }
      return new Unknown(`parameter ${name} is an ${type === 'array' ? 'array' : 'object'}, but the value given with --parameter is not JSON of that type`);
    }
    default:
      return value;
  }
}

/** A `copy` array of property or variable loops in an object (`{ "copy": [{ name, count, input }] }`). */
function propertyLoops(raw: Readonly<Record<string, unknown>>): { key: string; loops: Array<Readonly<Record<string, unknown>>> } | undefined {
  const key = Object.keys(raw).find((candidate) => candidate.toLowerCase() === 'copy');
  const value = key === undefined ? undefined : raw[key];
  if (key === undefined || !Array.isArray(value) || value.length === 0) return undefined;
  const loops = value.filter(isRecord);
  // Anything else named `copy` (a property of some resource type) is data.
  if (loops.length !== value.length || !loops.every((loop) => typeof member(loop, 'name') === 'string' && member(loop, 'input') !== undefined)) return undefined;
  return { key, loops };
}

/** `.name` or `[index]` on a value. */
function access(target: Value, key: Value): Value {
  if (key instanceof Unknown) return key;
  if (target instanceof Unknown) return follow(target, key);
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) return new Unknown('an array is indexed with something other than a whole number; Azure would reject the template');
    return key >= 0 && key < target.length ? target[key]! : new Unknown(`index ${key} is out of range (the array has ${target.length} elements); Azure would reject the template`);
  }
  if (isValueObject(target)) {
    if (typeof key !== 'string') return new Unknown('an object is indexed with something other than a property name; Azure would reject the template');
    const found = member(target, key);
    return found === undefined ? new Unknown(`the object has no property ${key}; Azure would reject the template`) : (found as Value);
  }
  return new Unknown(`cannot read ${typeof key === 'string' ? `.${key}` : `[${armText(key)}]`} of ${target === null ? 'null' : `a ${typeof target}`}; Azure would reject the template`);
}

/**
 * A property of an unknown value. Reading into `reference(...)` or `listKeys(...)` extends the
 * attribute its ref names (`reference.gatewayUrl`); reading into anything else (the `id` of
 * `resourceId()`) drops the ref, which would no longer say what the value is.
 */
function follow(target: Unknown, key: Value): Unknown {
  if (!target.ref) return target;
  const attribute = target.ref.attribute;
  if (attribute.startsWith('reference') || attribute.startsWith('list')) {
    return new Unknown(target.reason, { address: target.ref.address, attribute: `${attribute}.${typeof key === 'string' || typeof key === 'number' ? String(key) : '?'}` });
  }
  return new Unknown(target.reason);
}

/** `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`. */
function copyIndex(args: readonly Value[], context: EvaluationContext): Value {
  const unknown = args.find((arg): arg is Unknown => arg instanceof Unknown);
  if (unknown) return unknown;
  const [first, second] = args;
  const loopName = typeof first === 'string' ? first : undefined;
  const offset = typeof first === 'number' ? first : typeof second === 'number' ? second : 0;
  const loops = context.loops;
  // Without a name, copyIndex() is the resource loop's; property and variable loops are named.
  const frame =
    loopName !== undefined
      ? loops.findLast((candidate) => candidate.name.toLowerCase() === loopName.toLowerCase())
      : (loops.findLast((candidate) => candidate.kind === 'resource') ?? loops[loops.length - 1]);
  if (!frame) return new Unknown(`copyIndex(${loopName === undefined ? '' : `'${loopName}'`}) is used outside ${loopName === undefined ? 'a' : 'that'} copy loop; Azure would reject the template`);
  return frame.index instanceof Unknown ? frame.index : frame.index + offset;
}

/**
 * `resourceId([subscriptionId], [resourceGroupName], type, name1, name2...)` and its variants: an
 * Unknown whose ref is the resource's full name (`apim/orders`), attribute `id`.
 */
function resourceId(functionName: string, args: readonly Value[], extension: boolean): Unknown {
  const values = extension ? args.slice(1) : args;
  // The type is the first argument with a provider namespace (`Microsoft.ApiManagement/service`):
  // optional subscription and resource group arguments come before it.
  const typeIndex = values.findIndex((value) => typeof value === 'string' && /^[^/\s]+\.[^/\s]+\/[^/\s]/.test(value));
  if (typeIndex < 0) {
    const unknown = values.find((value): value is Unknown => value instanceof Unknown);
    return unknown ? new Unknown(`${functionName}() of an unknown resource type: ${unknown.reason}`) : new Unknown(`${functionName}() names no resource type; Azure would reject the template`);
  }
  const type = values[typeIndex] as string;
  const names = values.slice(typeIndex + 1);
  const unknown = names.find((value): value is Unknown => value instanceof Unknown);
  if (unknown) return new Unknown(`the id of a ${type} whose name is unknown (${unknown.reason}) is known at deployment`);
  if (names.some((name) => typeof name === 'object')) return new Unknown(`${functionName}() needs string names; Azure would reject the template`);
  const address = names.map(armText).join('/');
  return new Unknown(`the id of ${type} ${address} is known at deployment`, { address, attribute: 'id' });
}

/** `reference(...)` and `listKeys(...)`-style calls: read from the deployed resource, with a ref to it. */
function deployedValue(functionName: string, target: Value): Unknown {
  const address = target instanceof Unknown ? (target.ref?.attribute === 'id' ? target.ref.address : undefined) : typeof target === 'string' ? target : undefined;
  const reason =
    functionName.toLowerCase() === 'reference'
      ? `reference() reads the deployed resource${address ? ` ${address}` : ''} at deployment`
      : `${functionName}() reads keys or secrets of the deployed resource${address ? ` ${address}` : ''} at deployment`;
  return new Unknown(reason, address === undefined ? undefined : { address, attribute: functionName.toLowerCase() === 'reference' ? 'reference' : functionName });
}
