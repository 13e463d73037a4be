import type { Diagnostic } from '../../model/diagnostic.js';
import type { SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import { isRecord } from '../../objects.js';
import { isValueObject, type Value, type ValueObject } from '../view/value.js';
import {
  ArmEvaluator,
  containsExpression,
  MAX_COPY_COUNT,
  member,
  type ArmParameterInfo,
  type CopyFrame,
  type EvaluationContext,
  type NameSegment,
} from './expressions.js';
import type { ArmParameterOrigin, GivenArmParameter } from './parameters.js';
import type { ArmTemplate } from './template.js';
import { DEFAULT_LIMITS, limitDiagnostic, type Limits } from '../../limits.js';

/**
 * One resource a template deploys, with child resources flattened (a child nested in its parent's
 * `resources` has its full type and name here) and its expressions resolved.
 */
export interface ArmResource {
  /**
   * A readable, stable id: the resource's id after `providers/`, namespace, then each type segment
   * followed by its name segment (`Microsoft.ApiManagement/service/apim/apis/orders-api`). An unknown
   * name segment is shown as the expression it comes from (`.../service/[parameters('apimName')]/...`).
   * A second resource with the same id (a copy loop whose name ignores `copyIndex()`) gets `#2`, `#3`...
   */
  readonly address: string;
  /** The full type (`Microsoft.ApiManagement/service/apis`), as written; ARM compares types without regard to case. */
  readonly type: string;
  /** The full name (`apim/orders-api`), or Unknown when a segment is. */
  readonly name: Value;
  /** The name's segments, one per type segment after the namespace (`['apim', 'orders-api']`). */
  readonly nameSegments: ReadonlyArray<string | Unknown>;
  readonly apiVersion: string | undefined;
  /** `properties`, resolved; Unknown where a value depends on the deployment. */
  readonly properties: ValueObject;
  /** The whole resource object resolved (`sku`, `identity`, Azure `location`, `tags`...), without `resources` and `copy`. */
  readonly body: ValueObject;
  /** The resource object as written, for decisions that depend on how a value was written. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The resolved `condition`: true when there is none. Resources whose condition is false are not listed. */
  readonly condition: boolean | Unknown;
  /**
   * Set when the condition (the resource's own, or an enclosing resource's or deployment's) cannot be
   * decided: the resource is read as if deployed, and whoever reads it reports this warning.
   */
  readonly unknownCondition?: Diagnostic;
  /** `dependsOn`, resolved: resource names, or `resourceId()` Unknowns whose ref names the resource. */
  readonly dependsOn: readonly Value[];
  /** The address of the resource this one is nested in, for a child written inside its parent. */
  readonly parent?: string;
  /** The resource `copy` loop and this instance's index (Unknown when the count is). */
  readonly copy?: { readonly name: string; readonly index: number | Unknown };
  /** The nested deployments (`Microsoft.Resources/deployments`) this resource is in, outermost first (`shared/apis`). */
  readonly deployment?: string;
  /** Strings of the resource that are exactly `[parameters('x')]`, with what the template says of `x`. */
  readonly parameterReferences: readonly ArmParameterReference[];
  /** The resource object in the file. */
  readonly location: SourceLocation;
  /**
   * Where a path under the resource object (`['properties', 'value']`) is written, or the nearest
   * enclosing part that is. Keys match without regard to case, as ARM reads them.
   */
  locate(path: ReadonlyArray<string | number>): SourceLocation;
  readonly template: ArmTemplate;
}

/** A value of a resource that is exactly one parameter: a secret written as its default is reported there. */
export interface ArmParameterReference {
  /** The path under the resource object, as written (`['properties', 'value']`). */
  readonly path: readonly string[];
  readonly parameter: ArmParameterInfo;
}

/** How to read a template. */
export interface ArmLoadOptions {
  /** Parameter values given with `--parameter` and `--parameter-file`. */
  readonly parameters: ReadonlyMap<string, GivenArmParameter>;
  /**
   * The `instances` limit: how many resource instances one template may expand to, copy loops and
   * nested deployments included (copy loops of 800 in deployments nested 8 deep would otherwise
   * be 800^8). The default when absent.
   */
  readonly limits?: Pick<Limits, 'instances'>;
}

/** The resources a template deploys. */
export interface ArmLoadResult {
  readonly resources: readonly ArmResource[];
  readonly diagnostics: readonly Diagnostic[];
  /** The template's parameters: type, secrecy, and where each value comes from. */
  readonly parameters: readonly ArmParameterInfo[];
}

const DEPLOYMENTS = 'microsoft.resources/deployments';
const MAX_NESTING = 8;

/** Tells whether two ARM resource types are the same (ARM ignores case in types). */
export function sameArmType(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Where a resource is nested. */
interface Parent {
  readonly type: string;
  readonly segments: readonly NameSegment[];
  readonly address: string;
}

/** The template (or nested deployment) being read. */
interface Scope {
  readonly evaluator: ArmEvaluator;
  /** Names of the enclosing nested deployments. */
  readonly deployment: readonly string[];
  readonly depth: number;
  /** A nested deployment's unknown condition, which holds for all its resources. */
  readonly inherited?: Diagnostic;
}

/**
 * Reads the resources of an ARM template: parameters, variables and expressions resolved; child
 * resources nested in their parent flattened into full types and names; resource `copy` loops
 * expanded (one instance with an unknown `copyIndex()` when the count is unknown); resources under a
 * false condition left out, with their children. Nested deployments with an inline template are read
 * too: with `expressionEvaluationOptions.scope` `inner`, as a template of their own with the
 * parameters the deployment passes; otherwise (`outer`, ARM's default) in the parent's scope. A
 * deployment that links its template is reported as not scanned.
 */
export function loadArmTemplate(template: ArmTemplate, options: ArmLoadOptions): ArmLoadResult {
  return new Loader(template).load(options);
}

class Loader {
  private readonly resources: ArmResource[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly evaluators: ArmEvaluator[] = [];
  private readonly addresses = new Map<string, number>();
  /** Instances read so far, against the `instances` limit. */
  private instances = 0;
  private instanceLimit: number = DEFAULT_LIMITS.instances;
  private overLimit = false;

  constructor(private readonly template: ArmTemplate) {}

  load(options: ArmLoadOptions): ArmLoadResult {
    this.instanceLimit = options.limits?.instances ?? DEFAULT_LIMITS.instances;
    const evaluator = this.evaluator([], this.template.data, options.parameters);
    this.visitList(member(this.template.data, 'resources'), ['resources'], undefined, { evaluator, deployment: [], depth: 0 }, { loops: [] });
    return {
      resources: this.resources,
      diagnostics: [...this.diagnostics, ...this.evaluators.flatMap((each) => each.diagnostics)],
      parameters: evaluator.parameterInfos(),
    };
  }

  private evaluator(root: readonly string[], data: Readonly<Record<string, unknown>>, parameters: ReadonlyMap<string, GivenArmParameter>): ArmEvaluator {
    const evaluator = new ArmEvaluator({ template: this.template, root, data, parameters });
    this.evaluators.push(evaluator);
    return evaluator;
  }

  /** Reads a `resources` array (or, in languageVersion 2.0 templates, an object keyed by symbolic name). */
  private visitList(list: unknown, listPath: readonly string[], parent: Parent | undefined, scope: Scope, context: EvaluationContext): void {
    const entries: Array<[string, unknown]> = Array.isArray(list) ? list.map((item, index) => [String(index), item]) : isRecord(list) ? Object.entries(list) : [];
    for (const [key, raw] of entries) this.visit(raw, [...listPath, key], parent, scope, context);
  }

  private visit(raw: unknown, path: readonly string[], parent: Parent | undefined, scope: Scope, context: EvaluationContext): void {
    const { evaluator } = scope;
    if (!isRecord(raw) || typeof member(raw, 'type') !== 'string') {
      this.diagnostics.push({ severity: 'warning', code: 'unsupported', message: 'a resource has no type; it is skipped', location: evaluator.locate(path) });
      return;
    }
    // languageVersion 2.0: an `existing` resource is read, not deployed, by this template.
    if (member(raw, 'existing') === true) return;
    const copy = member(raw, 'copy');
    if (!isRecord(copy)) {
      this.instance(raw, path, parent, scope, context, undefined);
      return;
    }
    const name = String(member(copy, 'name') ?? 'copy');
    let count = evaluator.copyCount(member(copy, 'count'), [...path, 'copy', 'count'], context);
    if (typeof count === 'number' && count > MAX_COPY_COUNT) count = new Unknown(`the copy count ${count} is over ARM's limit of ${MAX_COPY_COUNT}; Azure would reject the template`);
    if (count instanceof Unknown) {
      this.diagnostics.push({
        severity: 'warning',
        code: 'unresolved',
        message: `the count of copy loop ${name} is unknown (${count.reason}); one instance is read, with copyIndex() unknown`,
        location: evaluator.locate([...path, 'copy']),
      });
      const index = new Unknown(`the count of copy loop ${name} is unknown: ${count.reason}`);
      this.instance(raw, path, parent, scope, { loops: [...context.loops, { name, kind: 'resource', index }] }, { name, index });
      return;
    }
    for (let index = 0; index < count; index++) {
      const frame: CopyFrame = { name, kind: 'resource', index };
      this.instance(raw, path, parent, scope, { loops: [...context.loops, frame] }, { name, index });
    }
  }

  private instance(
    raw: Readonly<Record<string, unknown>>,
    path: readonly string[],
    parent: Parent | undefined,
    scope: Scope,
    context: EvaluationContext,
    copy: ArmResource['copy'],
  ): void {
    const { evaluator } = scope;
    if (++this.instances > this.instanceLimit) {
      if (!this.overLimit) {
        this.overLimit = true;
        this.diagnostics.push(
          limitDiagnostic({
            name: 'instances',
            limit: this.instanceLimit,
            what: `the template expands to more than ${this.instanceLimit.toLocaleString('en-US')} resource instances (copy loops and nested deployments); the first ones were checked and the others were not`,
            location: evaluator.locate([...path, 'copy']),
          }),
        );
      }
      return;
    }
    const locate = (under: ReadonlyArray<string | number>): SourceLocation => evaluator.locate([...path, ...writtenPath(raw, under)]);
    const condition = this.condition(raw, path, scope, context);
    if (condition === false) return;

    const written = member(raw, 'type') as string;
    const ownType = evaluator.evaluateString(written, [...path, 'type'], context);
    if (typeof ownType !== 'string') {
      this.diagnostics.push({ severity: 'warning', code: 'unresolved', message: 'the type of a resource is not known; it is skipped', location: locate(['type']) });
      return;
    }
    const ownSegments = evaluator.nameSegments(member(raw, 'name'), [...path, 'name'], context);
    const [type, segments] = fullTypeAndName(ownType, ownSegments, parent);
    const typeSegments = type.split('/');
    const nameCount = typeSegments.length - 1;
    let address: string;
    if (segments.length === nameCount) {
      address = [typeSegments[0], ...typeSegments.slice(1).flatMap((segment, index) => [segment, segments[index]!.text])].join('/');
    } else {
      address = `${type}/${segments.map((segment) => segment.text).join('/')}`;
      if (segments.every((segment) => typeof segment.value === 'string')) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'unsupported',
          message: `the name of ${address} has ${segments.length} segment${segments.length === 1 ? '' : 's'}, but its type needs ${nameCount}; Azure would reject it`,
          location: locate(['name']),
          address,
        });
      }
    }
    address = this.unique(address);

    const unknownCondition: Diagnostic | undefined =
      condition instanceof Unknown
        ? {
            severity: 'warning',
            code: 'unresolved',
            message: `the condition of ${address} is unknown (${condition.reason}); the resource is checked as if it were deployed`,
            location: locate(['condition']),
            address,
          }
        : scope.inherited;
    // A nested deployment's inline template is read as resources of their own (in its own scope,
    // maybe), not as a property of the deployment.
    const isDeployment = sameArmType(type, DEPLOYMENTS);
    const own = isDeployment ? withoutTemplate(raw) : raw;
    const body: ValueObject = {};
    for (const [key, item] of Object.entries(own)) {
      const lower = key.toLowerCase();
      if (lower === 'resources' || lower === 'copy') continue;
      Object.defineProperty(body, key, { value: evaluator.resolve(item, [...path, key], context), enumerable: true, writable: true, configurable: true });
    }
    const properties = member(body, 'properties');
    const apiVersion = member(body, 'apiVersion');
    const dependsOn = member(body, 'dependsOn');
    const known = segments.map((segment) => segment.value);
    const firstUnknown = known.find((segment): segment is Unknown => segment instanceof Unknown);
    const resource: ArmResource = {
      address,
      type,
      name: firstUnknown ?? known.join('/'),
      nameSegments: known,
      apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
      properties: isValueObject(properties as Value | undefined) ? (properties as ValueObject) : {},
      body,
      raw,
      condition: condition instanceof Unknown ? condition : true,
      ...(unknownCondition ? { unknownCondition } : {}),
      dependsOn: Array.isArray(dependsOn) ? dependsOn : [],
      ...(parent ? { parent: parent.address } : {}),
      ...(copy ? { copy } : {}),
      ...(scope.deployment.length > 0 ? { deployment: scope.deployment.join('/') } : {}),
      parameterReferences: parameterReferences(own, evaluator),
      location: evaluator.locate(path),
      locate,
      template: this.template,
    };
    this.resources.push(resource);

    if (isDeployment) this.deployment(resource, path, scope, context);
    // A child's condition is its own; an unknown one of its parent still holds for it.
    const childScope: Scope = unknownCondition ? { ...scope, inherited: unknownCondition } : scope;
    this.visitList(member(raw, 'resources'), [...path, writtenPath(raw, ['resources'])[0]!], { type, segments, address }, childScope, context);
  }

  /** The resolved `condition`: true when absent, false to leave the resource out, Unknown when undecidable. */
  private condition(raw: Readonly<Record<string, unknown>>, path: readonly string[], scope: Scope, context: EvaluationContext): boolean | Unknown {
    const written = member(raw, 'condition');
    if (written === undefined) return true;
    const value = scope.evaluator.resolve(written, [...path, ...writtenPath(raw, ['condition'])], context);
    if (typeof value === 'boolean' || value instanceof Unknown) return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return new Unknown('the condition is not a boolean; Azure would reject the template');
  }

  /** Reads the inline template of a nested deployment, or reports a linked one as not scanned. */
  private deployment(resource: ArmResource, path: readonly string[], scope: Scope, context: EvaluationContext): void {
    const raw = member(resource.raw, 'properties');
    const properties = isRecord(raw) ? raw : {};
    const inline = member(properties, 'template');
    const name = typeof resource.name === 'string' ? resource.name : resource.address;
    if (!isRecord(inline)) {
      const link = member(resource.properties, 'templateLink');
      const uri = isValueObject(link as Value | undefined) ? member(link as ValueObject, 'uri') : undefined;
      // The query string is left out: it is often a SAS token.
      const target = typeof uri === 'string' ? uri.split('?')[0] : isValueObject(link as Value | undefined) && member(link as ValueObject, 'id') !== undefined ? 'a template spec' : 'a template built at deployment';
      this.diagnostics.push({
        severity: 'warning',
        code: 'not-scanned',
        message: `nested deployment ${name} links its template (${target}); its resources are not scanned. Scan that template too, with its parameters`,
        location: resource.locate(['properties', 'templateLink']),
        address: resource.address,
      });
      return;
    }
    if (scope.depth >= MAX_NESTING) {
      this.diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `nested deployment ${name} is nested more than ${MAX_NESTING} deep; it is not scanned`, location: resource.location, address: resource.address });
      return;
    }
    // A deployment's unknown condition holds for every resource in it: say so once, here.
    if (resource.unknownCondition && resource.unknownCondition !== scope.inherited) this.diagnostics.push(resource.unknownCondition);
    const templatePath = [...path, ...writtenPath(resource.raw, ['properties', 'template'])];
    const options = member(properties, 'expressionEvaluationOptions');
    const evaluationScope = isRecord(options) ? member(options, 'scope') : undefined;
    const inner: Scope = {
      evaluator: scope.evaluator,
      deployment: [...scope.deployment, name],
      depth: scope.depth + 1,
      ...(resource.unknownCondition ? { inherited: resource.unknownCondition } : {}),
    };
    if (typeof evaluationScope === 'string' && evaluationScope.toLowerCase() === 'inner') {
      const given = this.passedParameters(properties, [...path, ...writtenPath(resource.raw, ['properties', 'parameters'])], scope.evaluator, context);
      const evaluator = this.evaluator([...scope.evaluator.root, ...templatePath], inline, given);
      this.visitList(member(inline, 'resources'), ['resources'], undefined, { ...inner, evaluator }, { loops: [] });
    } else {
      // Outer scope: the inline template's expressions read the parent's parameters and variables.
      this.visitList(member(inline, 'resources'), [...templatePath, 'resources'], undefined, inner, context);
    }
  }

  /** The parameters a nested deployment with inner scope passes, resolved in the parent, with where each comes from. */
  private passedParameters(properties: Readonly<Record<string, unknown>>, parametersPath: readonly string[], parent: ArmEvaluator, context: EvaluationContext): Map<string, GivenArmParameter> {
    const given = new Map<string, GivenArmParameter>();
    const passed = member(properties, 'parameters');
    if (!isRecord(passed)) return given;
    for (const [name, entry] of Object.entries(passed)) {
      if (!isRecord(entry)) continue;
      const valuePath = [...parametersPath, name, 'value'];
      if (isRecord(member(entry, 'reference'))) {
        given.set(name, { value: new Unknown(`parameter ${name} is read from Key Vault at deployment`), origin: { kind: 'key-vault', location: parent.locate([...parametersPath, name]) } });
        continue;
      }
      const raw = member(entry, 'value');
      if (raw === undefined) continue;
      given.set(name, { value: parent.resolve(raw, valuePath, context), origin: passedOrigin(raw, parent, valuePath) });
    }
    return given;
  }

  /** `#2`, `#3`... for a second resource with the same address. */
  private unique(address: string): string {
    const seen = this.addresses.get(address) ?? 0;
    this.addresses.set(address, seen + 1);
    return seen === 0 ? address : `${address}#${seen + 1}`;
  }
}

/**
 * The full type and name segments of a resource. A child written inside its parent has a relative
 * type (`apis`) and name (`orders`); a child may also be written with its full type, and then with
 * its full name (or its own segment only, which is read relative to the parent).
 */
function fullTypeAndName(ownType: string, ownSegments: readonly NameSegment[], parent: Parent | undefined): [string, readonly NameSegment[]] {
  if (!parent) return [ownType, ownSegments];
  const typeSegments = ownType.split('/');
  const isFull = typeSegments.length > 1 && typeSegments[0]!.includes('.');
  if (!isFull) return [`${parent.type}/${ownType}`, [...parent.segments, ...ownSegments]];
  return [ownType, ownSegments.length === typeSegments.length - 1 ? ownSegments : [...parent.segments, ...ownSegments]];
}

/**
 * Where a value a parent deployment passes comes from: the parent parameter it is (wherever that one
 * comes from), a literal written in the parent, or something known at deployment.
 */
function passedOrigin(raw: unknown, parent: ArmEvaluator, valuePath: readonly string[]): ArmParameterOrigin {
  const parameter = parent.directParameter(raw);
  if (parameter !== undefined) {
    const source = parent.parameterInfo(parameter)?.source;
    if (!source || source.kind === 'none') return { kind: 'deploy-time' };
    return source.kind === 'default' ? { kind: 'template', location: source.location } : source;
  }
  return containsExpression(raw) ? { kind: 'deploy-time' } : { kind: 'template', location: parent.locate(valuePath) };
}

/** A deployment resource without its `properties.template`. */
function withoutTemplate(raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const properties = key.toLowerCase() === 'properties' && isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([name]) => name.toLowerCase() !== 'template')) : value;
    Object.defineProperty(out, key, { value: properties, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Maps a path to the keys as written (`properties` may be written `Properties`). */
function writtenPath(raw: unknown, path: ReadonlyArray<string | number>): string[] {
  const out: string[] = [];
  let current: unknown = raw;
  for (const segment of path) {
    const key = String(segment);
    if (isRecord(current)) {
      const found = Object.hasOwn(current, key) ? key : (Object.keys(current).find((candidate) => candidate.toLowerCase() === key.toLowerCase()) ?? key);
      out.push(found);
      current = current[found];
    } else {
      out.push(key);
      current = Array.isArray(current) ? current[Number(key)] : undefined;
    }
  }
  return out;
}

/** Every string of a resource (children excluded) that is exactly `[parameters('x')]`. */
function parameterReferences(raw: Readonly<Record<string, unknown>>, evaluator: ArmEvaluator): ArmParameterReference[] {
  const out: ArmParameterReference[] = [];
  const walk = (value: unknown, path: string[]): void => {
    const name = evaluator.directParameter(value);
    if (name !== undefined) {
      const parameter = evaluator.parameterInfo(name);
      if (parameter) out.push({ path, parameter });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, String(index)]));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) if (path.length > 0 || key.toLowerCase() !== 'resources') walk(item, [...path, key]);
    }
  };
  walk(raw, []);
  return out;
}
