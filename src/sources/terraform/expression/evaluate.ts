import { DEFAULT_LIMITS } from '../../../limits.js';
import { Unknown } from '../../../model/unknown.js';
import type { Expr, TemplatePart } from './ast.js';
import { callFunction } from './functions.js';
import { ChildScope, type Scope } from './scope.js';
import { asBool, asNumber, deepEqual, DepthLimitError, step, EvalError, materialize, toTemplateString } from './value.js';
import { joinText } from '../../view/partial-text.js';
import { LazyObject, findUnknown, isValueObject, setKey, type Value, type ValueObject } from '../../view/value.js';
export { asBool, asNumber, deepEqual } from './value.js';

export { ChildScope, type Evaluate, type Scope } from './scope.js';

/**
 * How many evaluations may run inside one another: nested expressions, and references followed from
 * one value to the next (`local.a` refers to `local.b`, which refers to...). Each level takes stack
 * frames, up to some fifteen for a reference through a resource, so a generated chain of a thousand
 * locals overflowed the call stack; this bound keeps the deepest mix well within it.
 */
export const MAX_NESTED_EVALUATIONS = 2 * DEFAULT_LIMITS.depth;

// Evaluation is synchronous, so one counter for the whole process is exact.
let nestedEvaluations = 0;

/**
 * Evaluates an expression the way Terraform does during planning: unknown inputs give unknown results
 * (never a guess), and configuration errors throw {@link EvalError} ({@link DepthLimitError} when
 * evaluations nest deeper than {@link MAX_NESTED_EVALUATIONS}).
 */
export function evaluate(expr: Expr, scope: Scope): Value {
  return oneLevelDeeper(() => evaluateNode(expr, scope));
}

/**
 * Runs `compute` as one more level of evaluation; throws {@link DepthLimitError} when that is more
 * than {@link MAX_NESTED_EVALUATIONS}. Walks of written values (lists and objects in a body) that
 * evaluate what they hold count their levels with it too.
 */
export function oneLevelDeeper<T>(compute: () => T): T {
  if (nestedEvaluations >= MAX_NESTED_EVALUATIONS) {
    throw new DepthLimitError(DEFAULT_LIMITS.depth, `the value nests or refers to other values more than ${MAX_NESTED_EVALUATIONS} levels deep`);
  }
  nestedEvaluations++;
  try {
    return compute();
  } finally {
    nestedEvaluations--;
  }
}

function evaluateNode(expr: Expr, scope: Scope): Value {
  step();
  switch (expr.t) {
    case 'literal':
      return expr.value;
    case 'template':
      return evaluateTemplate(expr.parts, scope);
    case 'variable': {
      const value = scope.lookup(expr.name);
      if (value === undefined) throw new EvalError(`unknown name "${expr.name}"`);
      return value;
    }
    case 'attr':
      return getMember(evaluate(expr.object, scope), expr.name, describeExpr(expr.object));
    case 'index':
      return indexValue(evaluate(expr.object, scope), evaluate(expr.key, scope), describeExpr(expr.object));
    case 'splat':
      return splat(evaluate(expr.object, scope), expr.each, scope);
    case 'splatItem':
      throw new EvalError('splat item outside a splat');
    case 'call':
      // Arguments stay unevaluated: try() and can() must catch errors raised while evaluating them.
      return callFunction(expr.name, expr.args, expr.expandLast, scope, evaluate);
    case 'tuple':
      return expr.items.map((item) => evaluate(item, scope));
    case 'object': {
      const out: ValueObject = {};
      for (const item of expr.items) {
        const key = evaluate(item.key, scope);
        if (key instanceof Unknown) return new Unknown(`an object key is unknown: ${key.reason}`);
        setKey(out, toTemplateString(materialize(key)), evaluate(item.value, scope));
      }
      return out;
    }
    case 'conditional': {
      const condition = evaluate(expr.condition, scope);
      if (condition instanceof Unknown) return condition;
      return asBool(condition) ? evaluate(expr.then, scope) : evaluate(expr.otherwise, scope);
    }
    case 'unary': {
      const operand = evaluate(expr.operand, scope);
      if (operand instanceof Unknown) return operand;
      return expr.op === '!' ? !asBool(operand) : -asNumber(operand);
    }
    case 'binary':
      return evaluateBinary(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope));
    case 'for':
      return evaluateFor(expr, scope);
  }
}

/**
 * Renders a template. An interpolation whose value is unknown leaves a hole in the text rather than
 * making all of it unknown (see partial-text.ts): an OpenAPI document rendered with one missing
 * variable is still read, and only what that variable fills in is unknown. A directive whose condition
 * or collection is unknown still makes the whole text unknown: which lines it writes is not known.
 */
function evaluateTemplate(parts: readonly TemplatePart[], scope: Scope): Value {
  const pieces: Array<string | Unknown> = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      pieces.push(part);
      continue;
    }
    if (part.t === 'interp') {
      const value = materialize(evaluate(part.expr, scope));
      pieces.push(value instanceof Unknown ? value : toTemplateString(value));
    } else if (part.t === 'if') {
      const condition = evaluate(part.condition, scope);
      if (condition instanceof Unknown) return condition;
      const inner = evaluateTemplate(asBool(condition) ? part.then : part.otherwise, scope);
      pieces.push(inner instanceof Unknown ? inner : toTemplateString(inner));
    } else {
      const collection = materialize(evaluate(part.collection, scope));
      if (collection instanceof Unknown) return collection;
      for (const [key, item] of iterate(collection)) {
        const names = new Map<string, Value>([[part.valueVar, item]]);
        if (part.keyVar !== undefined) names.set(part.keyVar, key);
        const inner = evaluateTemplate(part.body, new ChildScope(scope, names));
        pieces.push(inner instanceof Unknown ? inner : toTemplateString(inner));
      }
    }
  }
  return joinText(pieces);
}

/** Reads `object.name`, keeping unknowns unknown and resource references linkable. */
export function getMember(object: Value, name: string, describe: string): Value {
  if (object instanceof Unknown) return object.ref ? new Unknown(object.reason) : object;
  if (object instanceof LazyObject) {
    const member = object.get(name);
    if (member === undefined) throw new EvalError(`${object.describe()} has no attribute "${name}"`);
    return member;
  }
  if (isValueObject(object)) {
    if (!Object.hasOwn(object, name)) throw new EvalError(`${describe} has no attribute "${name}"`);
    return object[name]!;
  }
  if (Array.isArray(object)) {
    // Terraform allows `list.attr` only through splats; a count/for_each resource read without an index is the usual mistake.
    throw new EvalError(`${describe} is a list; use an index or [*] to read "${name}"`);
  }
  throw new EvalError(`cannot read "${name}" from a ${object === null ? 'null' : typeof object} value (${describe})`);
}

function indexValue(object: Value, key: Value, describe: string): Value {
  if (object instanceof Unknown) return object.ref ? new Unknown(object.reason) : object;
  if (key instanceof Unknown) return key;
  const plainKey = materialize(key);
  if (Array.isArray(object)) {
    const index = asNumber(plainKey);
    if (!Number.isInteger(index) || index < 0 || index >= object.length) {
      throw new EvalError(`index ${index} is out of range for ${describe} (length ${object.length})`);
    }
    return object[index]!;
  }
  const name = toTemplateString(plainKey);
  return getMember(object, name, describe);
}

function splat(object: Value, each: Expr, scope: Scope): Value {
  if (object instanceof Unknown) return object;
  if (object === null) return [];
  const items = Array.isArray(object) ? object : [object];
  return items.map((item) => evaluateSplatItem(each, item, scope));
}

function evaluateSplatItem(expr: Expr, item: Value, scope: Scope): Value {
  switch (expr.t) {
    case 'splatItem':
      return item;
    case 'attr':
      return getMember(evaluateSplatItem(expr.object, item, scope), expr.name, 'splat item');
    case 'index':
      return indexValue(evaluateSplatItem(expr.object, item, scope), evaluate(expr.key, scope), 'splat item');
    default:
      return evaluate(expr, scope);
  }
}

function evaluateFor(expr: Extract<Expr, { t: 'for' }>, scope: Scope): Value {
  const { spec } = expr;
  const collection = materialize(evaluate(spec.collection, scope));
  if (collection instanceof Unknown) return collection;
  const tuple: Value[] = [];
  const object: ValueObject = {};
  const groups = new Map<string, Value[]>();
  for (const [key, item] of iterate(collection)) {
    step();
    const names = new Map<string, Value>([[spec.valueVar, item]]);
    if (spec.keyVar !== undefined) names.set(spec.keyVar, key);
    const inner = new ChildScope(scope, names);
    if (spec.condition) {
      const keep = evaluate(spec.condition, inner);
      if (keep instanceof Unknown) return new Unknown(`a for expression filter is unknown: ${keep.reason}`);
      if (!asBool(keep)) continue;
    }
    if (spec.keyExpr === undefined) {
      tuple.push(evaluate(spec.valueExpr, inner));
      continue;
    }
    const resultKey = materialize(evaluate(spec.keyExpr, inner));
    if (resultKey instanceof Unknown) return new Unknown(`a for expression key is unknown: ${resultKey.reason}`);
    const keyText = toTemplateString(resultKey);
    const value = evaluate(spec.valueExpr, inner);
    if (spec.group) {
      const list = groups.get(keyText) ?? [];
      list.push(value);
      groups.set(keyText, list);
    } else {
      setKey(object, keyText, value);
    }
  }
  if (spec.keyExpr === undefined) return tuple;
  for (const [key, list] of groups) setKey(object, key, list);
  return object;
}

/** Iterates a list (index, item), set or map (key, value), as `for` and `for_each` do. */
export function iterate(collection: Value): Array<[Value, Value]> {
  if (Array.isArray(collection)) return collection.map((item, index) => [index, item]);
  if (isValueObject(collection)) return Object.keys(collection).sort().map((key) => [key, collection[key]!]);
  throw new EvalError(`cannot iterate over a ${collection === null ? 'null' : typeof collection} value`);
}

function evaluateBinary(op: string, left: Value, right: Value): Value {
  if (op === '&&' || op === '||') {
    const decisive = op === '||';
    for (const side of [left, right]) if (!(side instanceof Unknown) && asBool(side) === decisive) return decisive;
    if (left instanceof Unknown) return left;
    if (right instanceof Unknown) return right;
    return !decisive;
  }
  if (op === '==' || op === '!=') {
    const l = materialize(left);
    const r = materialize(right);
    const unknown = findUnknown(l, step) ?? findUnknown(r, step);
    if (unknown) return unknown;
    const same = deepEqual(l, r);
    return op === '==' ? same : !same;
  }
  if (left instanceof Unknown) return left;
  if (right instanceof Unknown) return right;
  const a = asNumber(left);
  const b = asNumber(right);
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new EvalError('division by zero');
      return a / b;
    case '%':
      if (b === 0) throw new EvalError('modulo by zero');
      return a % b;
    default:
      throw new EvalError(`unsupported operator ${op}`);
  }
}

/** Renders a traversal for messages (`aws_api_gateway_rest_api.api`), never a value. */
export function describeExpr(expr: Expr): string {
  switch (expr.t) {
    case 'variable':
      return expr.name;
    case 'attr':
      return `${describeExpr(expr.object)}.${expr.name}`;
    case 'index':
      return `${describeExpr(expr.object)}[${expr.key.t === 'literal' ? JSON.stringify(expr.key.value) : '…'}]`;
    case 'call':
      return `${expr.name}(…)`;
    default:
      return 'expression';
  }
}
