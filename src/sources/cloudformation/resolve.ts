import { Unknown } from '../../model/unknown.js';
import type { Value, ValueObject } from '../view/value.js';
import { isRecord } from '../../objects.js';
import { joinText, knownParts } from '../view/partial-text.js';

/** Marks a property removed by `Ref: AWS::NoValue` (directly or through `Fn::If`). */
export const NO_VALUE = Symbol('AWS::NoValue');

/** A resolved value, or the marker that the property is to be left out. */
export type Resolved = Value | typeof NO_VALUE;

/** What the resolver reads from the template and from the user. */
export interface ResolverInput {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  readonly conditions: Readonly<Record<string, unknown>>;
  /** Logical ids of the template's resources, so `Ref` and `Fn::GetAtt` can tell them from parameters. */
  readonly resourceIds: ReadonlySet<string>;
  /** Parameter values given for this deployment (`--parameter`, a parameters file, a nested stack's Parameters). */
  readonly overrides: ReadonlyMap<string, Value>;
  /** Prefix of resource ids in references (`Nested/` for a nested stack), so links stay within the stack. */
  readonly idPrefix: string;
  /**
   * What each `Fn::Transform` of `AWS::Include` inserts, by the transform's object as written: the
   * snippet read from its file (its intrinsic functions are then resolved, as CloudFormation does
   * after inserting it), or an Unknown saying why it was not read.
   */
  readonly included?: ReadonlyMap<object, unknown>;
}

const DEPLOY_TIME = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::URLSuffix', 'AWS::NotificationARNs', 'AWS::Partition']);

/** An intrinsic function call: an object with exactly one key that is `Ref`, `Condition` or `Fn::...`. */
function intrinsic(value: unknown): [string, unknown] | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  return name === 'Ref' || name === 'Condition' || name.startsWith('Fn::') ? [name, value[name]] : undefined;
}

/**
 * Evaluates CloudFormation intrinsic functions as CloudFormation would at deploy time, as far as a
 * template allows: parameters (defaults or given values), mappings and conditions resolve; a `Ref` or
 * `Fn::GetAtt` to a resource becomes an Unknown that keeps the link; deploy-time values (the account,
 * the region, `Fn::ImportValue`, SSM parameters) are Unknown with the reason.
 */
export class CloudFormationResolver {
  private readonly parameterValues = new Map<string, Value>();
  private readonly conditionValues = new Map<string, boolean | Unknown>();
  private readonly evaluatingConditions = new Set<string>();

  constructor(private readonly input: ResolverInput) {}

  /** The value of a parameter: the given value, else the default, else Unknown. */
  parameter(name: string): Value {
    const cached = this.parameterValues.get(name);
    if (cached !== undefined) return cached;
    const declaration = this.input.parameters[name];
    const type = isRecord(declaration) && typeof declaration.Type === 'string' ? declaration.Type : 'String';
    let value: Value;
    if (type.startsWith('AWS::SSM::Parameter::Value')) {
      value = new Unknown(`parameter ${name} is read from SSM Parameter Store at deploy time`);
    } else if (this.input.overrides.has(name)) {
      value = this.input.overrides.get(name)!;
    } else if (isRecord(declaration) && declaration.Default !== undefined) {
      value = toValue(declaration.Default);
    } else if (isRecord(declaration) && Array.isArray(declaration.AllowedValues) && declaration.AllowedValues.length === 1) {
      // CloudFormation refuses any other value: a parameter with one allowed value can only be that one.
      value = toValue(declaration.AllowedValues[0]);
    } else {
      value = new Unknown(`parameter ${name} has no default and no value (give it with --parameter ${name}=... or --parameter-file)`);
    }
    if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof value === 'string') value = value.split(',').map((part) => part.trim());
    if (type === 'Number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) value = Number(value);
    this.parameterValues.set(name, value);
    return value;
  }

  /** Whether a named condition holds (Unknown when it depends on a deploy-time value). */
  condition(name: string): boolean | Unknown {
    const cached = this.conditionValues.get(name);
    if (cached !== undefined) return cached;
    if (this.evaluatingConditions.has(name)) return new Unknown(`condition ${name} refers to itself`);
    this.evaluatingConditions.add(name);
    let result: boolean | Unknown;
    if (!(name in this.input.conditions)) {
      result = new Unknown(`condition ${name} is not defined`);
    } else {
      const value = this.resolve(this.input.conditions[name]);
      result = value instanceof Unknown ? value : typeof value === 'boolean' ? value : new Unknown(`condition ${name} is not a boolean`);
    }
    this.evaluatingConditions.delete(name);
    this.conditionValues.set(name, result);
    return result;
  }

  /** Resolves a template value, recursively. */
  resolve(raw: unknown, depth = 0): Resolved {
    if (depth > 64) return new Unknown('the value nests intrinsic functions too deeply');
    if (typeof raw === 'string' && raw.includes('{{resolve:')) return dynamicReference(raw);
    const call = intrinsic(raw);
    if (call?.[0] === 'Fn::Transform' && this.input.included?.has(raw as object)) {
      const snippet = this.input.included.get(raw as object);
      return snippet instanceof Unknown ? snippet : this.resolve(snippet, depth + 1);
    }
    if (call) {
      // `!Sub "{{resolve:ssm-secure:/${Env}/key}}"` builds a dynamic reference; it is one all the same.
      const result = this.call(call[0], call[1], depth);
      const text = typeof result === 'string' ? result : knownParts(result)?.text;
      return text?.includes('{{resolve:') ? dynamicReference(text) : result;
    }
    if (Array.isArray(raw)) {
      const out: Value[] = [];
      for (const item of raw) {
        const value = this.resolve(item, depth + 1);
        if (value !== NO_VALUE) out.push(value);
      }
      return out;
    }
    if (isRecord(raw)) {
      const out: ValueObject = {};
      for (const [key, item] of Object.entries(raw)) {
        const value = this.resolve(item, depth + 1);
        if (value !== NO_VALUE) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return toValue(raw);
  }

  private call(name: string, argument: unknown, depth: number): Resolved {
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Condition':
        return this.condition(String(argument));
      case 'Fn::GetAtt': {
        const [resource, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
        return this.reference(resource ?? '', attribute ?? '');
      }
      case 'Fn::Sub':
        return this.sub(argument, depth);
      case 'Fn::Join': {
        const [delimiter, list] = Array.isArray(argument) ? argument : [];
        const items = this.resolve(list, depth + 1);
        if (items instanceof Unknown) return items;
        if (!Array.isArray(items)) return new Unknown('Fn::Join needs a list');
        const pieces: Resolved[] = [];
        items.forEach((item, index) => pieces.push(...(index > 0 ? [String(delimiter ?? '')] : []), item));
        return joinParts(pieces);
      }
      case 'Fn::Select': {
        const [index, list] = Array.isArray(argument) ? argument : [];
        const position = this.resolve(index, depth + 1);
        const items = this.resolve(list, depth + 1);
        if (position instanceof Unknown) return position;
        if (items instanceof Unknown) return items;
        return Array.isArray(items) ? (items[Number(position)] ?? new Unknown('Fn::Select index is out of range')) : new Unknown('Fn::Select needs a list');
      }
      case 'Fn::Split': {
        const [delimiter, text] = Array.isArray(argument) ? argument : [];
        const value = this.resolve(text, depth + 1);
        if (value instanceof Unknown) return value;
        return typeof value === 'string' ? value.split(String(delimiter)) : new Unknown('Fn::Split needs a string');
      }
      case 'Fn::If': {
        const [conditionName, whenTrue, whenFalse] = Array.isArray(argument) ? argument : [];
        const holds = this.condition(String(conditionName));
        if (holds instanceof Unknown) return holds;
        return this.resolve(holds ? whenTrue : whenFalse, depth + 1);
      }
      case 'Fn::Equals': {
        const [left, right] = (Array.isArray(argument) ? argument : []).map((item) => this.resolve(item, depth + 1));
        if (left instanceof Unknown) return left;
        if (right instanceof Unknown) return right;
        return JSON.stringify(left) === JSON.stringify(right) || String(left) === String(right);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = (Array.isArray(argument) ? argument : []).map((item) => this.resolve(item, depth + 1));
        const decisive = name === 'Fn::Or';
        if (values.some((value) => value === decisive)) return decisive;
        const unknown = values.find((value) => value instanceof Unknown);
        return unknown ?? !decisive;
      }
      case 'Fn::Not': {
        const [value] = (Array.isArray(argument) ? argument : [argument]).map((item) => this.resolve(item, depth + 1));
        return value instanceof Unknown ? value : !value;
      }
      case 'Fn::FindInMap': {
        const [mapName, first, second] = (Array.isArray(argument) ? argument : []).map((item) => this.resolve(item, depth + 1));
        for (const part of [mapName, first, second]) if (part instanceof Unknown) return part;
        const map = this.input.mappings[String(mapName)];
        const level = isRecord(map) ? map[String(first)] : undefined;
        const found = isRecord(level) ? level[String(second)] : undefined;
        return found === undefined ? new Unknown(`Fn::FindInMap found no ${String(mapName)}.${String(first)}.${String(second)}`) : toValue(found);
      }
      case 'Fn::Base64': {
        const value = this.resolve(argument, depth + 1);
        return typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value instanceof Unknown ? value : new Unknown('Fn::Base64 needs a string');
      }
      case 'Fn::Length': {
        const value = this.resolve(argument, depth + 1);
        return Array.isArray(value) ? value.length : value instanceof Unknown ? value : new Unknown('Fn::Length needs a list');
      }
      case 'Fn::ToJsonString': {
        const value = this.resolve(argument, depth + 1);
        return containsUnknown(value) ? new Unknown('Fn::ToJsonString of a value with an unknown part', undefined, value) : JSON.stringify(value);
      }
      case 'Fn::ImportValue':
        return new Unknown('Fn::ImportValue is resolved from another stack at deploy time');
      case 'Fn::GetAZs':
        return new Unknown('Fn::GetAZs is resolved at deploy time');
      case 'Fn::Cidr':
        return new Unknown('Fn::Cidr is not evaluated by gatewarden');
      default:
        return new Unknown(`${name} is not evaluated by gatewarden`);
    }
  }

  private ref(name: string): Resolved {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (DEPLOY_TIME.has(name)) {
      // `--parameter AWS::Region=eu-west-1` pins a pseudo parameter for a scan of one deployment.
      return this.input.overrides.get(name) ?? new Unknown(`${name} is known at deploy time (give it with --parameter ${name}=...)`);
    }
    if (this.input.resourceIds.has(name)) return this.reference(name, 'Ref');
    if (name in this.input.parameters) return this.parameter(name);
    return new Unknown(`Ref ${name} names no parameter or resource of the template`);
  }

  private reference(logicalId: string, attribute: string): Unknown {
    const address = `${this.input.idPrefix}${logicalId}`;
    return new Unknown(`${address}${attribute === 'Ref' ? '' : `.${attribute}`} is known only after deployment`, { address, attribute });
  }

  /** `Fn::Sub`: `${Param}`, `${Resource}`, `${Resource.Attribute}`, `${AWS::Region}`, `${!Literal}`. */
  private sub(argument: unknown, depth: number): Resolved {
    const [template, variables] = Array.isArray(argument) ? [argument[0], argument[1]] : [argument, undefined];
    if (typeof template !== 'string') return new Unknown('Fn::Sub needs a string');
    const local = new Map<string, Resolved>();
    if (isRecord(variables)) for (const [key, raw] of Object.entries(variables)) local.set(key, this.resolve(raw, depth + 1));
    const parts: Resolved[] = [];
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push(template.slice(last, match.index));
      last = match.index! + match[0].length;
      const name = match[1]!.trim();
      if (name.startsWith('!')) {
        parts.push(`\${${name.slice(1)}}`);
      } else if (local.has(name)) {
        parts.push(local.get(name)!);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        parts.push(this.reference(name.slice(0, dot), name.slice(dot + 1)));
      } else {
        parts.push(this.ref(name));
      }
    }
    parts.push(template.slice(last));
    if (parts.some((part) => part instanceof Unknown)) return joinParts(parts);
    const meaningful = parts.filter((part) => part !== '');
    // `!Sub "${Api}"` alone is the value itself, link included.
    if (meaningful.length === 1 && typeof meaningful[0] !== 'string') return meaningful[0]!;
    return joinParts(parts);
  }
}

/**
 * Joins resolved pieces into a string. With one unknown piece (`integrations/${Integration}`) the result
 * is unknown with that piece's reason and link, so the link survives, as Terraform's templates do; with
 * several, an Unknown without a link. Either way the known pieces are kept around the unknown ones
 * (partial-text.ts): a `Body` written as one `Fn::Sub` over the document's text is still read.
 */
function joinParts(parts: readonly Resolved[]): Resolved {
  return joinText(
    parts.map((part) => (part instanceof Unknown ? part : part === NO_VALUE ? '' : typeof part === 'object' && part !== null ? JSON.stringify(part) : String(part))),
    'single',
  );
}

/**
 * `{{resolve:secretsmanager:...}}` and `{{resolve:ssm:...}}` are read from a secret store at deploy
 * time: the template holds a reference, not the value.
 */
function dynamicReference(text: string): Unknown {
  const service = /\{\{resolve:([a-z-]+):/.exec(text)?.[1] ?? 'unknown';
  return new Unknown(`resolved from ${service} at deploy time (a dynamic reference)`, { address: `{{resolve:${service}}}`, attribute: 'value' });
}

function containsUnknown(value: Resolved): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some((item) => containsUnknown(item as Resolved));
  return false;
}

/** Converts parsed JSON/YAML into a Value. */
export function toValue(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.map(toValue);
  if (raw instanceof Unknown) return raw;
  if (typeof raw === 'object') {
    const out: ValueObject = {};
    for (const [key, item] of Object.entries(raw)) Object.defineProperty(out, key, { value: toValue(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return String(raw);
}
