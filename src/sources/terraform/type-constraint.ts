import { Unknown } from '../../model/unknown.js';
import type { Expr } from './expression/ast.js';
import { evaluate } from './expression/evaluate.js';
import { parseTemplateValue } from './expression/parse.js';
import { LazyObject, isValueObject, setKey, type Value, type ValueObject } from '../view/value.js';
import { materialize } from './expression/value.js';

const NO_NAMES = { lookup: () => undefined, readFile: () => new Unknown('files are not read in type defaults'), fileExists: () => new Unknown('files are not looked at in type defaults'), baseDir: '.' };

/**
 * Converts a variable's value to its declared type the way Terraform does before the module sees it:
 * attributes declared `optional(type, default)` get their default, primitives are converted
 * (`"5"` to 5 for a number). Anything this does not understand leaves the value as it is.
 */
export function convertToType(typeRaw: unknown, value: Value): Value {
  if (typeof typeRaw !== 'string' || value instanceof Unknown) return value;
  let type: Expr;
  try {
    type = parseTemplateValue(typeRaw);
  } catch {
    return value;
  }
  return convert(type, materialize(value), 0);
}

function convert(type: Expr, value: Value, depth: number): Value {
  if (depth > 32 || value === null || value instanceof Unknown || value instanceof LazyObject) return value;
  if (type.t === 'variable') return convertPrimitive(type.name, value);
  if (type.t !== 'call') return value;
  const [inner] = type.args;
  switch (type.name) {
    case 'list':
    case 'set':
      return Array.isArray(value) && inner ? value.map((item) => convert(inner, item, depth + 1)) : value;
    case 'map': {
      if (!isValueObject(value) || !inner) return value;
      const out: ValueObject = {};
      for (const key of Object.keys(value)) setKey(out, key, convert(inner, value[key]!, depth + 1));
      return out;
    }
    case 'tuple':
      if (!Array.isArray(value) || inner?.t !== 'tuple') return value;
      return value.map((item, index) => (inner.items[index] ? convert(inner.items[index]!, item, depth + 1) : item));
    case 'object':
      return inner?.t === 'object' && isValueObject(value) ? convertObject(inner, value, depth) : value;
    default:
      return value;
  }
}

function convertObject(declaration: Extract<Expr, { t: 'object' }>, value: ValueObject, depth: number): Value {
  const out: ValueObject = { ...value };
  for (const item of declaration.items) {
    if (item.key.t !== 'literal' || typeof item.key.value !== 'string') continue;
    const name = item.key.value;
    let attributeType = item.value;
    let fallback: Value | undefined;
    if (attributeType.t === 'call' && attributeType.name === 'optional') {
      const [optionalType, defaultExpr] = attributeType.args;
      if (!optionalType) continue;
      attributeType = optionalType;
      fallback = defaultExpr ? safeEvaluate(defaultExpr) : null;
    }
    const present = Object.hasOwn(value, name) && value[name] !== null;
    if (present) setKey(out, name, convert(attributeType, value[name]!, depth + 1));
    else if (fallback !== undefined) setKey(out, name, convert(attributeType, fallback, depth + 1));
  }
  return out;
}

function safeEvaluate(expr: Expr): Value {
  try {
    return materialize(evaluate(expr, NO_NAMES));
  } catch {
    return new Unknown('the default of an optional attribute could not be evaluated');
  }
}

function convertPrimitive(name: string, value: Value): Value {
  switch (name) {
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    case 'number':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    case 'bool':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}
