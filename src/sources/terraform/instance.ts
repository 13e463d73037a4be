import { isAbsolute, join } from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import type { Expr } from './expression/ast.js';
import { ChildScope, evaluate, iterate, oneLevelDeeper, type Scope } from './expression/evaluate.js';
import { ExpressionSyntaxError, parseTemplateValue } from './expression/parse.js';
import { EvalError, LimitError, StepLimitError, UndeclaredReferenceError, materialize, type UndeclaredKind } from './expression/value.js';
import { LazyObject, isValueObject, setKey, type Value, type ValueObject } from '../view/value.js';
import type { RawObject, RawValue, TerraformFile } from './files.js';
import { asBlocks, isRawObject, locate, type BlockDefinition, type ModuleDefinition, type ResourceDefinition } from './module-definition.js';
import type { ResourceSource, ResourceView, ValueSource } from '../view/resource-view.js';
import { HEREDOC_TEXT } from './positions.js';
import { convertToType } from './type-constraint.js';
import { pushAll } from '../../arrays.js';
import { limitDiagnostic } from '../../limits.js';


/** Builds a value source at a path of a file. */
export function sourceAt(kind: WrittenKind, file: TerraformFile, path: readonly string[]): ValueSource {
  return { kind, location: locate(file, path) };
}

/** Where a value written in code comes from. */
type WrittenKind = Exclude<ValueSource['kind'], 'input'>;

/** A value given to a root variable from outside the module (tfvars file or command line). */
export interface InputValue {
  readonly value: Value;
  readonly source: ValueSource;
  /** For a value written in a tfvars file, the value as written there, to follow keys inside it to their lines. */
  readonly written?: { readonly raw: RawValue; readonly file: TerraformFile; readonly path: readonly string[] };
}

/**
 * What `each.key`, `each.value` and `count.index` stand for where a raw value is written: the
 * instance key, and the `for_each` whose element `each.value` is.
 */
interface ExpansionSite {
  readonly key?: string | number;
  readonly forEach?: { readonly raw: RawValue; readonly file: TerraformFile; readonly path: readonly string[] };
  /** Inside a `dynamic` block's content: its iterator, the element it stands for and its for_each. */
  readonly iterator?: { readonly name: string; readonly index: number; readonly forEach: { readonly raw: RawValue; readonly file: TerraformFile; readonly path: readonly string[] } };
}

/** How many references (a local naming a local naming a variable...) a value is followed through. */
const SOURCE_HOPS = 64;

/**
 * A reference with fixed steps (`var.x.a["b"]`, `local.m[each.key]`, `each.value.value`) as its root
 * name and steps, or undefined for any other expression. Keys written as `each.key` or `count.index`
 * are the instance's key.
 */
function traversal(raw: string | Expr, site: ExpansionSite | undefined): { root: string; steps: string[] } | undefined {
  let expr: Expr;
  try {
    expr = typeof raw === 'string' ? parseRaw(raw) : raw;
  } catch {
    return undefined;
  }
  const steps: string[] = [];
  while (expr.t === 'attr' || expr.t === 'index') {
    if (expr.t === 'attr') {
      steps.unshift(expr.name);
    } else {
      const key = stepKey(expr.key, site);
      if (key === undefined) return undefined;
      steps.unshift(key);
    }
    expr = expr.object;
  }
  return expr.t === 'variable' ? { root: expr.name, steps } : undefined;
}

/** The branch of a conditional whose condition is known, or undefined. */
function knownBranch(expr: Extract<Expr, { t: 'conditional' }>, scope: Scope): Expr | undefined {
  try {
    const condition = materialize(evaluate(expr.condition, scope));
    return typeof condition === 'boolean' ? (condition ? expr.then : expr.otherwise) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether texts given to replace() keep the lines of what they change: none holds a line break. */
function keepsLines(args: readonly Expr[], scope: Scope): boolean {
  try {
    return args.every((arg) => {
      const text = materialize(evaluate(arg, scope));
      return text instanceof Unknown || (typeof text === 'string' && !text.includes('\n'));
    });
  } catch {
    return false;
  }
}

/** The key an index expression names when it is fixed: a literal, or the instance's own key. */
function stepKey(key: Expr, site: ExpansionSite | undefined): string | undefined {
  if (key.t === 'literal') return typeof key.value === 'string' || typeof key.value === 'number' ? String(key.value) : undefined;
  if (key.t === 'attr' && key.object.t === 'variable' && site?.key !== undefined) {
    const own = (key.object.name === 'each' && key.name === 'key' && typeof site.key === 'string') || (key.object.name === 'count' && key.name === 'index' && typeof site.key === 'number');
    if (own) return String(site.key);
  }
  return undefined;
}

/** The name an object constructor's key gives (`a = ...`, `"a" = ...`), or undefined when computed. */
function objectKeyName(key: Expr): string | undefined {
  if (key.t === 'literal') return key.value === null ? undefined : String(key.value);
  if (key.t === 'variable') return key.name;
  if (key.t === 'template' && key.parts.every((part) => typeof part === 'string')) return key.parts.join('');
  return undefined;
}

/** Whether a location is inside another (or is it). */
function within(inner: SourceLocation, outer: SourceLocation): boolean {
  if (inner.file !== outer.file) return false;
  const starts = inner.startLine > outer.startLine || (inner.startLine === outer.startLine && inner.startColumn >= outer.startColumn);
  const ends = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return starts && ends;
}

/** Services a module instance needs from the loader: child modules, files, diagnostics. */
export interface InstanceHost {
  /** Resolves a module call's `source` to a loaded definition, or says why it cannot (the diagnostic to report). */
  resolveModule(caller: ModuleInstance, name: string, source: string): ModuleDefinition | ModuleProblem;
  /** Reads a file for `file()` and the like; `at` is the expression reading it, for the diagnostic of a refusal. */
  readFile(path: string, at?: SourceLocation, as?: 'text' | 'base64'): string | Unknown;
  /** Answers `fileexists()`: an Unknown (and a diagnostic at `at`) for a path outside the scan roots. */
  fileExists(path: string, at?: SourceLocation): boolean | Unknown;
  /** The `instances` limit: the most instances one resource or module call may expand to. */
  readonly instanceLimit: number;
  /**
   * Takes `wanted` instances from the budget of the whole configuration (the `entities` limit) and
   * says how many may be made; the first time it runs out, it reports which limit stopped what.
   */
  takeInstances(wanted: number, location: SourceLocation, address: string): number;
  /** Renders an absolute path relative to the scan root, as shown to users. */
  relativePath(path: string): string;
  report(diagnostic: Diagnostic): void;
  /** Whether every Terraform file of a module directory was read and parsed (so what it lacks is undeclared). */
  isModuleComplete(dir: string): boolean;
  /** Marks a root module as rejected by Terraform, with the error that says why (reported once per location). */
  rejectRoot(rootDir: string, diagnostic: Diagnostic): void;
  /** Records an instance so that references to it can be followed by {@link ComputedAttributeRule}s. */
  registerInstance(instance: ResourceInstance): void;
  /** Asks the providers for an attribute Terraform computes but whose value follows from configuration. */
  computedAttribute(instance: ResourceInstance, name: string): Value | undefined;
}

/** Why a module call is not followed: the diagnostic's severity, code and message. */
export interface ModuleProblem {
  readonly severity: Diagnostic['severity'];
  readonly code: Diagnostic['code'];
  readonly message: string;
}

/** What a computed-attribute rule can read: the resource's own configuration, and resources it refers to. */
export interface ComputedAttributeContext {
  /** A configured attribute of this resource (evaluated), or undefined when not set. */
  configured(name: string): Value | undefined;
  /** Reads an attribute of the resource a value refers to (`parent_id` -> that resource's `path`). */
  referenced(value: Value | undefined, name: string): Value | undefined;
}

/**
 * A provider's knowledge of an attribute that Terraform only knows after apply but that follows from
 * configuration, such as `aws_api_gateway_resource.path` (the parent's path plus `path_part`).
 * Returning undefined leaves the attribute unknown.
 */
export type ComputedAttributeRule = (name: string, context: ComputedAttributeContext) => Value | undefined;

// `//` is a comment key in Terraform JSON (cdktf puts its construct metadata there).
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', '//']);
const MODULE_META = new Set([...META_ARGUMENTS, 'source', 'version', 'providers']);

/** Key of a symbol property holding an evaluated body's path in its file's position index. */
export const POSITION = Symbol('position');

const templateCache = new Map<string, Expr>();

/** Parses a raw string as a template, once per distinct string. */
function parseRaw(text: string): Expr {
  let expr = templateCache.get(text);
  if (!expr) {
    expr = parseTemplateValue(text);
    if (templateCache.size > 50_000) templateCache.clear();
    templateCache.set(text, expr);
  }
  return expr;
}

/** An evaluated body: attribute values plus the position path of the block. */
export type EvaluatedBody = ValueObject & { [POSITION]?: readonly string[] };

function tagPosition(object: ValueObject, path: readonly string[]): EvaluatedBody {
  Object.defineProperty(object, POSITION, { value: path, enumerable: false });
  return object as EvaluatedBody;
}

/** Describes one instance key as Terraform prints it: `[0]` or `["GET /users"]`. */
function keySuffix(key: string | number | undefined): string {
  if (key === undefined) return '';
  if (key === '*') return '[*]';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

interface Expansion {
  readonly key?: string | number;
  readonly names: ReadonlyMap<string, Value>;
}

/**
 * One instance of a module: the root module, or one `module` call (times its count/for_each key).
 * Evaluates variables, locals, resources and outputs lazily, with cycle detection.
 */
export class ModuleInstance implements Scope {
  private readonly variableCache = new Map<string, Value>();
  private readonly localCache = new Map<string, Value>();
  private readonly resourceCache = new Map<string, ResourceInstance[] | Unknown>();
  private readonly childCache = new Map<string, ModuleInstance[] | Unknown>();
  private readonly evaluating = new Set<string>();
  private readonly namespaces = new Map<string, Value>();

  constructor(
    readonly host: InstanceHost,
    readonly definition: ModuleDefinition,
    /** `''` for the root, `module.api` or `module.api["x"]` for a child instance. */
    readonly address: string,
    /** For a child: the call's arguments, evaluated in the caller's scope. */
    private readonly inputs: ReadonlyMap<string, () => Value>,
    /** For a child: where the part of each argument at the given steps is written, for value provenance. */
    private readonly inputSources: ReadonlyMap<string, (steps: readonly string[]) => ValueSource | undefined>,
    /** For the root: tfvars and command-line values. */
    private readonly rootValues: ReadonlyMap<string, InputValue>,
    readonly rootDir: string,
    /** Dotted module-call path from the root (`api.child`), as `.terraform/modules/modules.json` keys it. */
    readonly callPath: string,
    /** The count index or for_each key of this instance of its module call. */
    readonly key?: string | number,
    /** The directories of the modules that called this one, root first: a module calling one of them is a cycle. */
    private readonly callers: readonly string[] = [],
    /** For a child: the file each argument's text is read from in the caller, when it is one (see {@link fileOf}). */
    private readonly inputFiles: ReadonlyMap<string, (hops: number) => string | undefined> = new Map(),
  ) {}

  get baseDir(): string {
    return this.rootDir;
  }

  /** The expression being evaluated, so that a file it may not read is reported where it is written. */
  private site: { readonly file: TerraformFile; readonly path: readonly string[] } | undefined;

  private siteLocation(): SourceLocation | undefined {
    return this.site ? locate(this.site.file, this.site.path) : undefined;
  }

  readFile(path: string, as?: 'text' | 'base64'): string | Unknown {
    return this.host.readFile(path, this.siteLocation(), as);
  }

  fileExists(path: string): boolean | Unknown {
    return this.host.fileExists(path, this.siteLocation());
  }

  lookup(name: string): Value | undefined {
    const cached = this.namespaces.get(name);
    if (cached !== undefined) return cached;
    const value = this.namespace(name);
    if (value !== undefined) this.namespaces.set(name, value);
    return value;
  }

  private namespace(name: string): Value | undefined {
    switch (name) {
      case 'var':
        return new NamespaceObject('var', () => [...this.definition.variables.keys()], (key) => (this.definition.variables.has(key) ? this.variable(key) : undeclared('input variable', `var.${key}`)));
      case 'local':
        return new NamespaceObject('local', () => [...this.definition.locals.keys()], (key) => (this.definition.locals.has(key) ? this.local(key) : undeclared('local value', `local.${key}`)));
      case 'module':
        return new NamespaceObject('module', () => [...this.definition.moduleCalls.keys()], (key) => (this.definition.moduleCalls.has(key) ? this.moduleCallValue(key) : undeclared('module call', `module.${key}`)));
      case 'data':
        return new NamespaceObject('data', () => this.resourceTypes('data'), (type) => this.resourceTypeValue('data', type) ?? undeclaredResourceType('data', type));
      case 'path':
        return { module: this.definition.dir, root: this.rootDir, cwd: this.rootDir };
      case 'terraform':
        return { workspace: 'default' };
      default:
        return this.resourceTypeValue('managed', name) ?? undeclaredResourceType('managed', name);
    }
  }

  private resourceTypes(mode: 'managed' | 'data'): string[] {
    const types = new Set<string>();
    for (const resource of this.definition.resources.values()) if (resource.mode === mode) types.add(resource.type);
    return [...types];
  }

  private resourceTypeValue(mode: 'managed' | 'data', type: string): Value | undefined {
    const names: string[] = [];
    for (const resource of this.definition.resources.values()) if (resource.mode === mode && resource.type === type) names.push(resource.name);
    if (names.length === 0) return undefined;
    const prefix = mode === 'data' ? `data.${type}` : type;
    return new NamespaceObject(prefix, () => names, (name) => {
      const definition = this.definition.resources.get(`${prefix}.${name}`);
      return definition ? this.resourceValue(definition) : undeclared(mode === 'data' ? 'data resource' : 'resource', `${prefix}.${name}`);
    });
  }

  /** Runs `compute` unless it is already running (a reference cycle), which yields an Unknown. */
  private guarded(key: string, compute: () => Value): Value {
    if (this.evaluating.has(key)) return new Unknown(`${key} refers to itself through a cycle`);
    this.evaluating.add(key);
    try {
      return compute();
    } finally {
      this.evaluating.delete(key);
    }
  }

  /** Evaluates a raw value in a scope, turning configuration errors into an Unknown plus a diagnostic. */
  evaluateRaw(raw: RawValue, scope: Scope, file: TerraformFile, path: readonly string[], address?: string): Value {
    if (typeof raw === 'string') {
      const outer = this.site;
      this.site = { file, path };
      try {
        return evaluate(parseRaw(raw), scope);
      } catch (error) {
        return this.failure(error, file, path, address);
      } finally {
        this.site = outer;
      }
    }
    if (!Array.isArray(raw) && !isRawObject(raw)) return raw;
    try {
      // A list of references to lists of references...: each level counts towards the evaluation depth.
      return oneLevelDeeper(() => {
        if (Array.isArray(raw)) return raw.map((item, i) => this.evaluateRaw(item, scope, file, [...path, String(i)], address));
        const out: ValueObject = {};
        for (const key of Object.keys(raw)) setKey(out, key, this.evaluateRaw(raw[key]!, scope, file, [...path, key], address));
        return tagPosition(out, path);
      });
    } catch (error) {
      if (!(error instanceof LimitError)) throw error;
      return this.failure(error, file, path, address);
    }
  }

  private failure(error: unknown, file: TerraformFile, path: readonly string[], address?: string): Unknown {
    if (error instanceof LimitError) {
      if (error instanceof StepLimitError && !error.first) return new Unknown(error.message);
      // Over a limit the result is incomplete: an error that says how to raise it, not a warning.
      this.host.report(limitDiagnostic({ name: error.limitName, limit: error.limit, what: `${error.what}; the value is treated as unknown`, location: locate(file, path), ...(address ? { address } : {}) }));
      return new Unknown(error.message);
    }
    if (!(error instanceof EvalError) && !(error instanceof ExpressionSyntaxError)) throw error;
    if (error instanceof UndeclaredReferenceError) return this.undeclaredReference(error, file, path, address);
    const what = error instanceof ExpressionSyntaxError ? 'could not read the expression' : 'could not evaluate';
    this.host.report({
      severity: 'warning',
      code: 'unresolved',
      message: `${what}: ${error.message}; the value is treated as unknown`,
      location: locate(file, path),
      ...(address ? { address } : {}),
    });
    return new Unknown(`${what} (${error.message})`);
  }

  /**
   * A reference to something the module does not declare. When every Terraform file of the module
   * was read, Terraform rejects the configuration ("Reference to undeclared ..."), so the root module
   * is marked rejected (nothing of it is checked) with an error here. When some file of the module
   * was not read (a scan of single files, a file that did not parse), the name may be declared there:
   * the value is unknown, with a warning.
   */
  private undeclaredReference(error: UndeclaredReferenceError, file: TerraformFile, path: readonly string[], address?: string): Unknown {
    const where = { location: locate(file, path), ...(address ? { address } : {}) };
    if (this.host.isModuleComplete(this.definition.dir)) {
      const wording = error.kind === 'data resource' ? 'resource' : error.kind === 'module call' ? 'module' : error.kind;
      this.host.rejectRoot(this.rootDir, {
        severity: 'error',
        code: 'invalid-value',
        message: `${error.reference} is not declared in module ${this.host.relativePath(this.definition.dir)}: terraform validate rejects the configuration ("Reference to undeclared ${wording}"), so nothing in root module ${this.host.relativePath(this.rootDir)} is deployed or checked. Declare it or correct the name, or leave the directory out of the scan if it is not meant to be applied (a test fixture)`,
        ...where,
      });
      return new Unknown(`${error.reference} is not declared`);
    }
    this.host.report({
      severity: 'warning',
      code: 'unresolved',
      message: `${error.reference} is not declared in the files read of module ${this.host.relativePath(this.definition.dir)} (some of its files were not scanned or not parsed); the value is treated as unknown`,
      ...where,
    });
    return new Unknown(`${error.reference} is not declared in the files read`);
  }

  /**
   * Evaluates a resource or nested block body: attributes, nested blocks (lists of bodies) and
   * `dynamic` blocks expanded over their for_each. Meta-arguments are left out.
   */
  evaluateBody(raw: RawObject, scope: Scope, file: TerraformFile, path: readonly string[], address: string, skip = META_ARGUMENTS): EvaluatedBody {
    const out: ValueObject = {};
    for (const key of Object.keys(raw)) {
      if (skip.has(key)) continue;
      const value = raw[key]!;
      if (key === 'dynamic' && isRawObject(value)) {
        this.expandDynamic(value, scope, file, [...path, 'dynamic'], address, out);
        continue;
      }
      const evaluated = this.evaluateAttributeOrBlocks(value, scope, file, [...path, key], address);
      const generated = out[key];
      // Static blocks first, then those a `dynamic` block of the same name generated.
      setKey(out, key, Array.isArray(generated) && Array.isArray(evaluated) ? [...evaluated, ...generated] : evaluated);
    }
    return tagPosition(out, path);
  }

  private evaluateAttributeOrBlocks(raw: RawValue, scope: Scope, file: TerraformFile, path: readonly string[], address: string): Value {
    if (Array.isArray(raw) && raw.length > 0 && raw.every(isRawObject)) {
      return raw.map((block, i) => this.evaluateBody(block as RawObject, scope, file, [...path, String(i)], address));
    }
    return this.evaluateRaw(raw, scope, file, path, address);
  }

  private expandDynamic(raw: RawObject, scope: Scope, file: TerraformFile, path: readonly string[], address: string, out: ValueObject): void {
    for (const [blockName, specs] of Object.entries(raw)) {
      const generated: Value[] = [];
      let unknown: Unknown | undefined;
      asBlocks(specs).forEach((spec, i) => {
        const specPath = [...path, blockName, String(i)];
        const iterator = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, '') : blockName;
        const collection = materialize(this.evaluateRaw(spec.for_each ?? null, scope, file, [...specPath, 'for_each'], address));
        if (collection instanceof Unknown) {
          unknown = new Unknown(`the for_each of dynamic "${blockName}" is unknown: ${collection.reason}`);
          return;
        }
        if (collection === null) return;
        let entries: Array<[Value, Value]>;
        try {
          entries = iterate(collection);
        } catch (error) {
          unknown = this.failure(error, file, [...specPath, 'for_each'], address);
          return;
        }
        const content = asBlocks(spec.content)[0] ?? {};
        for (const [key, value] of entries) {
          const child = new ChildScope(scope, new Map([[iterator, { key, value }]]));
          generated.push(this.evaluateBody(content, child, file, [...specPath, 'content', '0'], address));
        }
      });
      const existing = out[blockName];
      if (unknown) setKey(out, blockName, unknown);
      else setKey(out, blockName, Array.isArray(existing) ? [...existing, ...generated] : generated);
    }
  }

  /** The value of `var.name` in this instance. */
  variable(name: string): Value {
    const cached = this.variableCache.get(name);
    if (cached !== undefined) return cached;
    const value = this.guarded(`var.${name}`, () => this.computeVariable(name));
    this.variableCache.set(name, value);
    return value;
  }

  private computeVariable(name: string): Value {
    const definition = this.definition.variables.get(name)!;
    const input = this.inputs.get(name);
    if (input) return convertToType(definition.body.type, input());
    const given = this.rootValues.get(name);
    if (given) return convertToType(definition.body.type, given.value);
    if (Object.hasOwn(definition.body, 'default')) {
      const fallback = this.evaluateRaw(definition.body.default!, emptyScope(this), definition.file, [...definition.path, 'default']);
      return convertToType(definition.body.type, fallback);
    }
    const where = this.address ? `of ${this.address} ` : '';
    const hint = this.address ? 'pass it in the module block' : 'set it with --var, --var-file or terraform.tfvars';
    // The reference marks the value as supplied from outside the code at apply time (a CI secret, say).
    return new Unknown(`variable "${name}" ${where}has no value (${hint})`, { address: `${this.prefix()}var.${name}`, attribute: 'value' });
  }

  /**
   * Where the value of `var.name` (or its part at `steps`: `var.name.a["b"]`) is written, when it
   * comes from code rather than outside input.
   */
  variableSource(name: string, steps: readonly string[] = [], hops = 0): ValueSource | undefined {
    const definition = this.definition.variables.get(name);
    if (!definition) return undefined;
    if (this.inputs.has(name)) return this.inputSources.get(name)?.(steps);
    const given = this.rootValues.get(name);
    if (given) return given.written ? this.sourceOf(given.written.raw, given.written.file, given.written.path, steps, 'tfvars', undefined, hops + 1) : given.source;
    if (Object.hasOwn(definition.body, 'default')) return this.sourceOf(definition.body.default!, definition.file, [...definition.path, 'default'], steps, 'default', undefined, hops + 1);
    return undefined;
  }

  /** The value of `local.name` in this instance. */
  local(name: string): Value {
    const cached = this.localCache.get(name);
    if (cached !== undefined) return cached;
    const definition = this.definition.locals.get(name)!;
    const value = this.guarded(`local.${name}`, () => this.evaluateRaw(definition.raw, this, definition.file, definition.path));
    this.localCache.set(name, value);
    return value;
  }

  /** The instances of one resource block, after count/for_each expansion (or an Unknown). */
  resourceInstances(definition: ResourceDefinition): ResourceInstance[] | Unknown {
    const key = definition.mode === 'data' ? `data.${definition.type}.${definition.name}` : `${definition.type}.${definition.name}`;
    const cached = this.resourceCache.get(key);
    if (cached) return cached;
    const expansions = this.expand(definition, `${this.prefix()}${key}`);
    const result =
      expansions instanceof Unknown ? expansions : expansions.map((expansion) => new ResourceInstance(this, definition, expansion));
    this.resourceCache.set(key, result);
    return result;
  }

  private prefix(): string {
    return this.address ? `${this.address}.` : '';
  }

  /**
   * Expands count/for_each into instance keys and the names (`count`, `each`) each instance sees,
   * within what is left of the whole tree's budget: `count = 10000` in a module called with
   * `count = 10000` is a hundred million instances, though each block is within the `instances` limit.
   */
  private expand(block: BlockDefinition, address: string): Expansion[] | Unknown {
    const expansions = this.expandBlock(block, address);
    if (expansions instanceof Unknown) return expansions;
    const allowed = this.host.takeInstances(expansions.length, locate(block.file, block.path), address);
    return allowed < expansions.length ? expansions.slice(0, allowed) : expansions;
  }

  private expandBlock(block: BlockDefinition, address: string): Expansion[] | Unknown {
    const { body, file, path } = block;
    if (Object.hasOwn(body, 'count')) {
      const count = materialize(this.guarded(`${address}.count`, () => this.evaluateRaw(body.count!, this, file, [...path, 'count'], address)));
      if (count instanceof Unknown) return this.unknownExpansion(block, address, 'count', count, { count: { index: new Unknown(`count.index of ${address} is unknown`) } });
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        return this.unknownExpansion(block, address, 'count', new Unknown('count is not a whole number'), { count: { index: new Unknown(`count.index of ${address} is unknown`) } });
      }
      return Array.from({ length: this.withinInstanceLimit(block, address, 'count', count) }, (_, index) => ({ key: index, names: new Map([['count', { index }]]) }));
    }
    if (Object.hasOwn(body, 'for_each')) {
      const collection = materialize(this.guarded(`${address}.for_each`, () => this.evaluateRaw(body.for_each!, this, file, [...path, 'for_each'], address)));
      const unknownEach = { each: { key: new Unknown(`each.key of ${address} is unknown`), value: new Unknown(`each.value of ${address} is unknown`) } };
      if (collection instanceof Unknown) return this.unknownExpansion(block, address, 'for_each', collection, unknownEach);
      if (Array.isArray(collection)) {
        if (!collection.every((item) => typeof item === 'string')) {
          return this.unknownExpansion(block, address, 'for_each', new Unknown('for_each needs a map or a set of strings'), unknownEach);
        }
        const keys = [...new Set(collection as string[])].sort();
        return keys.slice(0, this.withinInstanceLimit(block, address, 'for_each', keys.length)).map((key) => ({ key, names: new Map([['each', { key, value: key }]]) }));
      }
      if (isValueObject(collection)) {
        const keys = Object.keys(collection).sort();
        return keys.slice(0, this.withinInstanceLimit(block, address, 'for_each', keys.length)).map((key) => ({ key, names: new Map([['each', { key, value: collection[key]! }]]) }));
      }
      return this.unknownExpansion(block, address, 'for_each', new Unknown('for_each needs a map or a set of strings'), unknownEach);
    }
    return [{ names: new Map() }];
  }

  /**
   * How many of `wanted` instances are expanded: all of them up to the `instances` limit; beyond it the
   * first ones, and a limit diagnostic says the rest were not checked.
   */
  private withinInstanceLimit(block: BlockDefinition, address: string, argument: 'count' | 'for_each', wanted: number): number {
    const limit = this.host.instanceLimit;
    if (wanted <= limit) return wanted;
    this.host.report(
      limitDiagnostic({
        name: 'instances',
        limit,
        found: wanted,
        what: `the ${argument} of ${address} makes ${wanted.toLocaleString('en-US')} instances; the first ${limit.toLocaleString('en-US')} were checked and the others were not`,
        location: locate(block.file, [...block.path, argument]),
        address,
      }),
    );
    return limit;
  }

  /**
   * When count/for_each cannot be resolved, the block is still checked once, as `address[*]`, with
   * unknown `count.index` / `each`: whatever depends on them stays unknown instead of being guessed.
   */
  private unknownExpansion(block: BlockDefinition, address: string, argument: string, reason: Unknown, names: Record<string, Value>): Expansion[] {
    this.host.report({
      severity: 'warning',
      code: 'unresolved',
      message: `the ${argument} of ${address} could not be resolved (${reason.reason}); its instances are checked once as ${address}[*], and anything that depends on ${argument === 'count' ? 'count.index' : 'each.key/each.value'} is unknown`,
      location: locate(block.file, [...block.path, argument]),
      address,
    });
    return [{ key: '*', names: new Map(Object.entries(names)) }];
  }

  /** The value a reference to a resource yields: one instance, a list (count) or a map (for_each). */
  private resourceValue(definition: ResourceDefinition): Value {
    const instances = this.resourceInstances(definition);
    if (instances instanceof Unknown) return instances;
    return expansionValue(definition.body, instances.map((instance) => [instance.key, instance.reference()]));
  }

  /** The value of `module.name`: its outputs, per instance. */
  private moduleCallValue(name: string): Value {
    const children = this.children(name);
    if (children instanceof Unknown) return children;
    const call = this.definition.moduleCalls.get(name)!;
    return expansionValue(call.body, children.map((child) => [child.key, child.outputsObject()]));
  }

  /** The instances of a module call, or an Unknown when the module could not be loaded. */
  children(name: string): ModuleInstance[] | Unknown {
    const cached = this.childCache.get(name);
    if (cached) return cached;
    const call = this.definition.moduleCalls.get(name)!;
    const result = this.computeChildren(name, call);
    this.childCache.set(name, result);
    return result;
  }

  private computeChildren(name: string, call: BlockDefinition): ModuleInstance[] | Unknown {
    const address = `${this.prefix()}module.${name}`;
    const source = typeof call.body.source === 'string' ? call.body.source : undefined;
    if (source === undefined) return new Unknown(`${address} has no literal source`);
    const definition = this.host.resolveModule(this, name, source);
    if (!('dir' in definition)) {
      this.host.report({ ...definition, location: locate(call.file, [...call.path, 'source']), address });
      return new Unknown(`${address} was not read: ${definition.message}`);
    }
    // Terraform rejects a module that calls itself, directly or through others: expanding it would never end.
    const chain = [...this.callers, this.definition.dir];
    if (chain.includes(definition.dir)) {
      const cycle = [...chain.slice(chain.indexOf(definition.dir)), definition.dir].map((dir) => this.host.relativePath(dir)).join(' -> ');
      this.host.report({
        severity: 'error',
        code: 'unresolved',
        message: `module ${address} calls a module that is already calling it (${cycle}); Terraform rejects such a cycle, and its resources are not checked past this call`,
        location: locate(call.file, [...call.path, 'source']),
        address,
      });
      return new Unknown(`${address} is part of a module cycle`);
    }
    const expansions = this.expand(call, address);
    if (expansions instanceof Unknown) return expansions;
    return expansions.map((expansion) => {
      const childAddress = `${address}${keySuffix(expansion.key)}`;
      const scope = new ChildScope(this, expansion.names);
      const inputs = new Map<string, () => Value>();
      const sources = new Map<string, (steps: readonly string[]) => ValueSource | undefined>();
      const files = new Map<string, (hops: number) => string | undefined>();
      const site: ExpansionSite = {
        ...(expansion.key !== undefined ? { key: expansion.key } : {}),
        ...(call.body.for_each !== undefined ? { forEach: { raw: call.body.for_each, file: call.file, path: [...call.path, 'for_each'] } } : {}),
      };
      for (const [argument, raw] of Object.entries(call.body)) {
        if (MODULE_META.has(argument)) continue;
        inputs.set(argument, () => this.evaluateRaw(raw, scope, call.file, [...call.path, argument], childAddress));
        files.set(argument, (hops) => this.fileOf(raw, scope, site, hops));
        sources.set(argument, (steps) => {
          const found = this.sourceOf(raw, call.file, [...call.path, argument], steps, 'module-input', site);
          const passed = locate(call.file, [...call.path, argument]);
          // Written elsewhere and passed on here: the argument is one of the places it goes through.
          if (!found || within(found.location, passed)) return found;
          return { ...found, related: [{ location: passed, message: `passed to ${childAddress} as ${argument} here` }, ...(found.related ?? [])] };
        });
      }
      const callPath = this.callPath ? `${this.callPath}.${name}` : name;
      return new ModuleInstance(this.host, definition, childAddress, inputs, sources, new Map(), this.rootDir, callPath, expansion.key, chain, files);
    });
  }

  /**
   * Where the data of a raw value (or its part at `steps`, keys and indexes below it) is written: the
   * value itself when it is written here; for a reference with fixed steps (`var.x`, `local.m.k`,
   * `each.value.value`, `var.list[count.index]`), wherever that is written in turn, through module
   * arguments, variable defaults and tfvars, locals and the `for_each` an `each.value` comes from.
   * Undefined when the data is computed (a function, a resource attribute) or the part is not written
   * in the literal (an optional attribute's default): the caller keeps its own location then.
   */
  sourceOf(raw: RawValue, file: TerraformFile, path: readonly string[], steps: readonly string[] = [], kind: WrittenKind = 'module-input', site?: ExpansionSite, hops = 0): ValueSource | undefined {
    if (hops > SOURCE_HOPS) return undefined;
    if (typeof raw === 'string') {
      // A tfvars file holds values, never references: `"${var.x}"` there is text.
      if (kind === 'tfvars') return steps.length === 0 ? sourceAt(kind, file, path) : undefined;
      let expr: Expr;
      try {
        expr = parseRaw(raw);
      } catch {
        return steps.length === 0 ? sourceAt(kind, file, path) : undefined;
      }
      return this.sourceOfExpr(expr, file, path, steps, kind, site, hops);
    }
    const [step, ...rest] = steps;
    if (step === undefined) return sourceAt(kind, file, path);
    const part = Array.isArray(raw) ? (/^\d+$/.test(step) ? raw[Number(step)] : undefined) : isRawObject(raw) && Object.hasOwn(raw, step) ? raw[step] : undefined;
    return part === undefined ? undefined : this.sourceOf(part, file, [...path, step], rest, kind, site, hops);
  }

  /**
   * {@link sourceOf} for an expression: a reference is followed (see there; inside a `dynamic`
   * block, `<iterator>.value` is the for_each element the block was made from); a conditional whose
   * condition is known, a tuple `[...]` or an object `{...}` lead to the part the steps name, so that
   * `for_each = var.on ? [var.cors] : []` leads to what `var.cors` is. Anything else is written here
   * when no steps are left, else undefined.
   */
  private sourceOfExpr(expr: Expr, file: TerraformFile, path: readonly string[], steps: readonly string[], kind: WrittenKind, site: ExpansionSite | undefined, hops: number): ValueSource | undefined {
    if (hops > SOURCE_HOPS) return undefined;
    const only = expr.t === 'template' && expr.parts.length === 1 ? expr.parts[0] : undefined;
    if (only !== undefined && typeof only !== 'string' && only.t === 'interp') return this.sourceOfExpr(only.expr, file, path, steps, kind, site, hops + 1);
    if (expr.t === 'conditional') {
      let condition: Value;
      try {
        condition = materialize(evaluate(expr.condition, this));
      } catch {
        return undefined;
      }
      if (typeof condition !== 'boolean') return undefined;
      return this.sourceOfExpr(condition ? expr.then : expr.otherwise, file, path, steps, kind, site, hops + 1);
    }
    // A document encoded from an object (`jsonencode(var.openapi_config)`): its keys are the object's.
    if (expr.t === 'call' && (expr.name === 'jsonencode' || expr.name === 'yamlencode') && expr.args.length === 1 && steps.length > 0 && !expr.expandLast) {
      return this.sourceOfExpr(expr.args[0]!, file, path, steps, kind, site, hops + 1);
    }
    const [step, ...after] = steps;
    if (expr.t === 'tuple' && step !== undefined) {
      const item = /^\d+$/.test(step) ? expr.items[Number(step)] : undefined;
      return item ? this.sourceOfExpr(item, file, path, after, kind, site, hops + 1) : undefined;
    }
    if (expr.t === 'object' && step !== undefined) {
      const item = expr.items.find((candidate) => objectKeyName(candidate.key) === step);
      return item ? this.sourceOfExpr(item.value, file, path, after, kind, site, hops + 1) : undefined;
    }
    const reference = traversal(expr, site);
    if (!reference) return steps.length === 0 ? sourceAt(kind, file, path) : undefined;
    const [name, ...inner] = reference.steps;
    if (name === undefined) return undefined;
    const rest = [...inner, ...steps];
    if (reference.root === 'var') return this.variableSource(name, rest, hops + 1);
    if (reference.root === 'local') {
      const local = this.definition.locals.get(name);
      return local ? this.sourceOf(local.raw, local.file, local.path, rest, 'module-input', undefined, hops + 1) : undefined;
    }
    if (reference.root === 'each' && name === 'value' && site?.forEach && typeof site.key === 'string') {
      // each.value is the for_each collection's element at the instance key.
      return this.sourceOf(site.forEach.raw, site.forEach.file, site.forEach.path, [site.key, ...rest], 'module-input', undefined, hops + 1);
    }
    if (site?.iterator && reference.root === site.iterator.name && name === 'value') {
      // A dynamic block's iterator value is the for_each collection's element the block was made from.
      const { forEach, index } = site.iterator;
      return this.sourceOf(forEach.raw, forEach.file, forEach.path, [String(index), ...rest], 'module-input', { ...(site.key !== undefined ? { key: site.key } : {}), ...(site.forEach ? { forEach: site.forEach } : {}) }, hops + 1);
    }
    return undefined;
  }

  /**
   * The file (absolute) whose text a raw value is, line for line, so that positions in a document
   * read from it are that file's: `file(x)`, `templatefile(x, vars)` and `filebase64(x)`, through
   * `base64encode()`, a `replace()` that changes no line and a conditional whose condition is known,
   * and through references to where the text comes from: a module variable to the caller's argument
   * (evaluated in the caller, so that `${path.module}` is the caller's), a local, and a
   * `data "template_file"`'s `rendered` to its `template`. Undefined for anything else (a heredoc, a
   * value built in place, a root variable).
   */
  fileOf(raw: RawValue, scope: Scope, site: ExpansionSite | undefined, hops = 0): string | undefined {
    if (hops > SOURCE_HOPS || typeof raw !== 'string') return undefined;
    let expr: Expr;
    try {
      expr = parseRaw(raw);
    } catch {
      return undefined;
    }
    return this.fileOfExpr(expr, scope, site, hops);
  }

  private fileOfExpr(start: Expr, scope: Scope, site: ExpansionSite | undefined, hops: number): string | undefined {
    let expr = start;
    for (;;) {
      const only = expr.t === 'template' && expr.parts.length === 1 ? expr.parts[0] : undefined;
      if (only !== undefined && typeof only !== 'string' && only.t === 'interp') expr = only.expr;
      // base64encode(file(x)) is file x, encoded: the adapter decodes it and its lines are x's. So are
      // the lines of replace(file(x), "__BACKEND__", var.url), when neither text holds a line break.
      else if (expr.t === 'call' && expr.args[0] && (expr.name === 'base64encode' || (expr.name === 'replace' && keepsLines(expr.args.slice(1), scope)))) expr = expr.args[0];
      // `local.is_http ? var.body : null`: the branch a known condition takes.
      else if (expr.t === 'conditional') {
        const branch = knownBranch(expr, scope);
        if (branch === undefined) return undefined;
        expr = branch;
      } else break;
    }
    if (expr.t === 'call') {
      if (!['file', 'templatefile', 'filebase64'].includes(expr.name) || !expr.args[0]) return undefined;
      try {
        const file = materialize(evaluate(expr.args[0], scope));
        return typeof file === 'string' ? (isAbsolute(file) ? file : join(this.baseDir, file)) : undefined;
      } catch {
        return undefined;
      }
    }
    const reference = traversal(expr, site);
    if (!reference) return undefined;
    const [name, ...rest] = reference.steps;
    if (name === undefined) return undefined;
    if (reference.root === 'var' && rest.length === 0) return this.inputFiles.get(name)?.(hops + 1);
    if (reference.root === 'local' && rest.length === 0) {
      const local = this.definition.locals.get(name);
      return local ? this.fileOf(local.raw, this, undefined, hops + 1) : undefined;
    }
    // data.template_file.spec.rendered (or .spec[0].rendered): the template, rendered with its vars.
    if (reference.root === 'data' && name === 'template_file' && rest.at(-1) === 'rendered' && (rest.length === 2 || rest.length === 3)) {
      const definition = this.definition.resources.get(`data.template_file.${rest[0]}`);
      const template = definition?.body.template;
      return template === undefined ? undefined : this.fileOf(template, this, undefined, hops + 1);
    }
    return undefined;
  }

  /** The module's outputs as a lazy object. */
  outputsObject(): LazyObject {
    return new NamespaceObject(this.address || 'module', () => [...this.definition.outputs.keys()], (name) => {
      const output = this.definition.outputs.get(name);
      if (!output) return undefined;
      return this.guarded(`output.${name}`, () => this.evaluateRaw(output.body.value ?? null, this, output.file, [...output.path, 'value'], this.address));
    });
  }

  /**
   * Every resource instance of this module and of its child modules, recursively. Module cycles end at
   * the call that closes them (see {@link children}), so the recursion is bounded by the module tree.
   */
  collectResources(out: ResourceInstance[]): void {
    for (const definition of this.definition.resources.values()) {
      if (definition.mode !== 'managed') continue;
      const instances = this.resourceInstances(definition);
      if (!(instances instanceof Unknown)) pushAll(out, instances);
    }
    for (const name of this.definition.moduleCalls.keys()) {
      const children = this.children(name);
      if (!(children instanceof Unknown)) for (const child of children) child.collectResources(out);
    }
  }
}

/** Stops evaluation at a reference to something the module does not declare (see {@link UndeclaredReferenceError}). */
function undeclared(kind: UndeclaredKind, reference: string): never {
  throw new UndeclaredReferenceError(kind, reference);
}

/**
 * A reference to a resource type this module does not declare (`aws_lambda_function.f.invoke_arn`
 * when the function lives elsewhere): Terraform rejects it, and so does evaluation, at `type.name`.
 * A name that cannot be a resource type is left to the evaluator's own "unknown name" error.
 */
function undeclaredResourceType(mode: 'managed' | 'data', type: string): Value | undefined {
  if (!/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(type)) return undefined;
  const prefix = mode === 'data' ? `data.${type}` : type;
  return new NamespaceObject(prefix, () => [], (name) => undeclared(mode === 'data' ? 'data resource' : 'resource', `${prefix}.${name}`));
}

function emptyScope(module: ModuleInstance): Scope {
  return { lookup: () => undefined, readFile: (path, as) => module.readFile(path, as), fileExists: (path) => module.fileExists(path), baseDir: module.baseDir };
}

/** A count resource is referenced as a list, a for_each resource as a map, others as one object. */
function expansionValue(body: RawObject, entries: Array<[string | number | undefined, Value]>): Value {
  if (entries.length === 1 && entries[0]![0] === '*') {
    return new Unknown('the instances are unknown because count/for_each could not be resolved');
  }
  if (Object.hasOwn(body, 'count')) return entries.map(([, value]) => value);
  if (Object.hasOwn(body, 'for_each')) {
    const out: ValueObject = {};
    for (const [key, value] of entries) setKey(out, String(key), value);
    return out;
  }
  return entries[0]?.[1] ?? null;
}

/** A namespace (`var`, `local`, a resource type) whose members are computed on first read. */
class NamespaceObject extends LazyObject {
  constructor(
    private readonly label: string,
    private readonly listKeys: () => string[],
    private readonly read: (key: string) => Value | undefined,
  ) {
    super();
  }

  get(key: string): Value | undefined {
    return this.read(key);
  }

  keys(): string[] {
    return this.listKeys();
  }

  describe(): string {
    return this.label;
  }
}

/** One instance of a resource or data source, with its attributes evaluated on demand. */
export class ResourceInstance implements ResourceView {
  readonly key?: string | number;
  readonly address: string;
  private readonly scope: Scope;
  private readonly attributeCache = new Map<string, Value>();
  private body?: EvaluatedBody;

  constructor(
    readonly module: ModuleInstance,
    readonly definition: ResourceDefinition,
    expansion: Expansion,
  ) {
    if (expansion.key !== undefined) this.key = expansion.key;
    const base = definition.mode === 'data' ? `data.${definition.type}.${definition.name}` : `${definition.type}.${definition.name}`;
    this.address = `${module.address ? `${module.address}.` : ''}${base}${keySuffix(expansion.key)}`;
    this.scope = new ChildScope(module, expansion.names);
    module.host.registerInstance(this);
  }

  get type(): string {
    return this.definition.type;
  }

  get name(): string {
    return this.definition.name;
  }

  get mode(): 'managed' | 'data' {
    return this.definition.mode;
  }

  /** Terraform's own names are the view's: the type and the address. */
  get source(): ResourceSource {
    return { type: this.definition.type, name: this.address };
  }

  /** The module path part of the address (`module.api`), empty at the root. */
  get modulePath(): string {
    return this.module.address;
  }

  get rootModule(): string {
    return this.module.host.relativePath(this.module.rootDir);
  }

  /** cdktf writes the construct path into `"//": { "metadata": { "path": ... } }` of each resource. */
  get construct(): string | undefined {
    const comment = this.definition.body['//'];
    const metadata = isRawObject(comment) && isRawObject(comment.metadata) ? comment.metadata : undefined;
    return typeof metadata?.path === 'string' ? metadata.path : undefined;
  }

  get file(): TerraformFile {
    return this.definition.file;
  }

  /** The block's location. */
  get location(): SourceLocation {
    return locate(this.definition.file, this.definition.path);
  }

  get format(): 'terraform' | 'terraform-json' {
    return this.definition.file.format === 'json' ? 'terraform-json' : 'terraform';
  }

  get values(): EvaluatedBody {
    return this.attributes();
  }

  /** All attributes and nested blocks, evaluated. */
  attributes(): EvaluatedBody {
    this.body ??= this.module.evaluateBody(this.definition.body, this.scope, this.definition.file, this.definition.path, this.address);
    return this.body;
  }

  /** One attribute, evaluated on its own (so references between resources do not force whole bodies). */
  attribute(name: string): Value | undefined {
    if (this.body) return this.body[name];
    if (!Object.hasOwn(this.definition.body, name) || META_ARGUMENTS.has(name)) return undefined;
    const cached = this.attributeCache.get(name);
    if (cached !== undefined) return cached;
    const value = this.module.evaluateBody({ [name]: this.definition.body[name]! }, this.scope, this.definition.file, this.definition.path, this.address)[name]!;
    this.attributeCache.set(name, value);
    return value;
  }

  /**
   * The location of a field, given as a path through the evaluated attributes (`['settings', 0,
   * 'throttling_rate_limit']`). Falls back to the nearest enclosing block or key that has a position.
   */
  locate(path: ReadonlyArray<string | number>): SourceLocation {
    let base: readonly string[] = this.definition.path;
    let rest: string[] = [];
    let current: Value | undefined = this.attributes();
    for (const segment of path) {
      rest.push(String(segment));
      if (current === undefined || current === null || current instanceof Unknown || current instanceof LazyObject) {
        current = undefined;
        continue;
      }
      current = Array.isArray(current) ? current[Number(segment)] : isValueObject(current) ? current[String(segment)] : undefined;
      const position = isValueObject(current) ? (current as EvaluatedBody)[POSITION] : undefined;
      if (position) {
        base = position;
        rest = [];
      }
    }
    return this.definition.file.positions.nearest([...base, ...rest]) ?? this.location;
  }

  /**
   * Where the value of a top-level attribute is written (see {@link ModuleInstance.sourceOf}). When
   * that is elsewhere (a literal passed into the module, a tfvars entry), this attribute is its first
   * related location: `read by <address> here`.
   */
  valueSource(name: string): ValueSource | undefined {
    const raw = this.definition.body[name];
    if (raw === undefined) return undefined;
    const { file, path, body } = this.definition;
    const site: ExpansionSite = {
      ...(this.key !== undefined ? { key: this.key } : {}),
      ...(body.for_each !== undefined ? { forEach: { raw: body.for_each, file, path: [...path, 'for_each'] } } : {}),
    };
    const found = this.module.sourceOf(raw, file, [...path, name], [], 'module-input', site);
    const here = locate(file, [...path, name]);
    if (!found || within(found.location, here)) return found;
    return { ...found, related: [{ location: here, message: `read by ${this.address} here` }, ...(found.related ?? [])] };
  }

  /**
   * {@link valueSource} for an attribute of a nested block (`['cors_configuration', 0,
   * 'allow_origins']`), written in the resource or generated by its single `dynamic` block of that
   * name; undefined for other paths.
   */
  valueSourceAt(path: ReadonlyArray<string | number>): ValueSource | undefined {
    if (path.length === 1 && typeof path[0] === 'string') return this.valueSource(path[0]);
    const [first, ...steps] = path;
    // Inside a top-level attribute's value (a key of the object `jsonencode(var.openapi_config)` encodes).
    if (typeof first === 'string' && !Array.isArray(this.definition.body[first]) && this.definition.body[first] !== undefined && !META_ARGUMENTS.has(first)) {
      const { file, path: at, body } = this.definition;
      const site: ExpansionSite = {
        ...(this.key !== undefined ? { key: this.key } : {}),
        ...(body.for_each !== undefined ? { forEach: { raw: body.for_each, file, path: [...at, 'for_each'] } } : {}),
      };
      return this.module.sourceOf(body[first]!, file, [...at, first], steps.map(String), 'module-input', site);
    }
    const [block, index, name] = path;
    if (path.length !== 3 || typeof block !== 'string' || typeof index !== 'number' || typeof name !== 'string') return undefined;
    const { file, path: at, body } = this.definition;
    const resourceSite: ExpansionSite = {
      ...(this.key !== undefined ? { key: this.key } : {}),
      ...(body.for_each !== undefined ? { forEach: { raw: body.for_each, file, path: [...at, 'for_each'] } } : {}),
    };
    // Static blocks come first, then those the dynamic block generates (see evaluateBody).
    const statics = Array.isArray(body[block]) ? (body[block] as RawValue[]).filter(isRawObject) : [];
    let raw: RawValue | undefined;
    let rawPath: string[];
    let site = resourceSite;
    if (index < statics.length) {
      raw = statics[index]![name];
      rawPath = [...at, block, String(index), name];
    } else {
      const dynamic = body.dynamic;
      const specs = isRawObject(dynamic) && dynamic[block] !== undefined ? asBlocks(dynamic[block]) : [];
      const spec = specs.length === 1 ? specs[0]! : undefined;
      if (!spec) return undefined;
      raw = (asBlocks(spec.content)[0] ?? {})[name];
      const specPath = [...at, 'dynamic', block, '0'];
      rawPath = [...specPath, 'content', '0', name];
      const iterator = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, '') : block;
      site = { ...resourceSite, iterator: { name: iterator, index: index - statics.length, forEach: { raw: spec.for_each ?? null, file, path: [...specPath, 'for_each'] } } };
    }
    if (raw === undefined) return undefined;
    const found = this.module.sourceOf(raw, file, rawPath, [], 'module-input', site);
    const here = locate(file, rawPath);
    if (!found || within(found.location, here)) return found;
    return { ...found, related: [{ location: here, message: `read by ${this.address} here` }, ...(found.related ?? [])] };
  }

  textLines(name: string): { readonly file: string; readonly firstLine: number } | undefined {
    const heredoc = this.definition.file.positions.get([...this.definition.path, name, HEREDOC_TEXT]);
    if (heredoc) return { file: heredoc.file, firstLine: heredoc.startLine };
    const file = this.valueFile(name);
    return file === undefined ? undefined : { file, firstLine: 1 };
  }

  valueFile(attribute: string | ReadonlyArray<string | number>): string | undefined {
    const path = typeof attribute === 'string' ? [attribute] : attribute;
    let raw: RawValue | undefined = this.definition.body;
    for (const segment of path) {
      // A nested block is a list of objects in hcl2json's output (one object in .tf.json shorthand).
      if (Array.isArray(raw)) raw = typeof segment === 'number' ? raw[segment] : undefined;
      else if (isRawObject(raw)) raw = typeof segment === 'number' && segment === 0 ? raw : raw[String(segment)];
      else return undefined;
    }
    if (raw === undefined) return undefined;
    const site: ExpansionSite = this.key !== undefined ? { key: this.key } : {};
    const file = this.module.fileOf(raw, this.scope, site);
    return file === undefined ? undefined : this.module.host.relativePath(file);
  }

  private readonly computedCache = new Map<string, Value | undefined>();

  private computed(name: string): Value | undefined {
    if (this.computedCache.has(name)) return this.computedCache.get(name);
    // Guard against a rule that (through a reference cycle) asks for the same attribute again.
    this.computedCache.set(name, undefined);
    const value = this.module.host.computedAttribute(this, name);
    this.computedCache.set(name, value);
    return value;
  }

  /** The lazy object other expressions see when they refer to this instance. */
  reference(): LazyObject {
    return new NamespaceObject(
      this.address,
      () => Object.keys(this.definition.body).filter((key) => !META_ARGUMENTS.has(key)),
      (name) => {
        const configured = this.attribute(name);
        if (configured !== undefined) return configured;
        const computed = this.computed(name);
        if (computed !== undefined) return computed;
        // Attributes not set in configuration are computed by the provider: known only after apply.
        return new Unknown(`${this.address}.${name} is known only after apply`, { address: this.address, attribute: name });
      },
    );
  }
}
