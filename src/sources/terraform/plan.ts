import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import { Unknown, type ResourceRef } from '../../model/unknown.js';
import { lineStarts } from '../text-position.js';
import { jsonSyntaxError } from '../json-syntax.js';
import { DEFAULT_LIMITS } from '../../limits.js';
import { jsonNestingOverflow, nestingDiagnostic, type ReaderLimits } from '../nesting.js';
import { deepEqual } from './expression/evaluate.js';
import { setKey, type Value, type ValueObject } from '../view/value.js';
import { PlanConfiguration, isLeafExpression, moduleSteps, type PlanConfigModule, type PlanExpression, type PlanExpressions } from './plan-configuration.js';
import { PlanLocator } from './plan-positions.js';
import type { ResourceSource, ResourceView, ValueSource } from '../view/resource-view.js';

/** The part of a Terraform source instance a plan resource borrows: positions, provenance, construct. */
export type SourceResource = Pick<ResourceView, 'location' | 'locate' | 'valueSource' | 'valueFile' | 'textLines' | 'values' | 'construct'>;

/** How to read one plan. */
export interface PlanLoadOptions {
  /** The plan as shown to users (relative to the scan root). */
  readonly relPath: string;
  /** The root module the plan was made from, as shown to users (`.` for the scan root). */
  readonly rootModule: string;
  /** Which resource types to build (the ones an adapter reads); the others are skipped cheaply. */
  readonly include: (type: string) => boolean;
  /** The Terraform source of the same root, when present: for `file:line` and value provenance. */
  readonly source?: (address: string) => SourceResource | undefined;
  /** The limits in force (`depth` is checked before the plan is parsed); the defaults when absent. */
  readonly limits?: Pick<ReaderLimits, 'depth'>;
}

/** The resources of a plan that will exist after apply, and what could not be read. */
export interface PlanLoadResult {
  readonly resources: readonly ResourceView[];
  readonly diagnostics: readonly Diagnostic[];
}

interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change?: { readonly actions?: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown };
}

interface PlanJson {
  readonly format_version?: unknown;
  readonly terraform_version?: unknown;
  readonly variables?: Readonly<Record<string, { readonly value?: unknown }>>;
  readonly planned_values?: unknown;
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: { readonly root_module?: PlanConfigModule };
  readonly errored?: unknown;
  readonly complete?: unknown;
}

/** Whether a file's first bytes are `terraform show -json` output: it starts with `format_version` and `terraform_version`. */
export function looksLikeTerraformPlan(head: string): boolean {
  return /^\s*\{/.test(head) && /"format_version"\s*:/.test(head) && /"terraform_version"\s*:/.test(head);
}

/**
 * Reads a `terraform show -json` plan: the values every resource will have after apply, from
 * `resource_changes[].change.after`, with `after_unknown` parts as Unknown values linked (through the
 * plan's `configuration`) to the resources they come from. Destroyed resources are left out. A plan
 * nested deeper than `limits.depth` is not read (a `limit` diagnostic): its values are walked recursively.
 */
export function loadPlan(text: string, options: PlanLoadOptions): PlanLoadResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Before parsing: JSON.parse copes with any depth, but describing a syntax error and walking the values recurse.
  const tooDeep = jsonNestingOverflow(text, limits.depth);
  if (tooDeep) return { resources: [], diagnostics: [nestingDiagnostic(options.relPath, lineStarts(text), tooDeep, limits.depth, 'the plan')] };
  let plan: PlanJson;
  try {
    plan = JSON.parse(text) as PlanJson;
  } catch {
    const { message, line } = jsonSyntaxError(text);
    return {
      resources: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-error',
          message: `the plan is not valid JSON (${message}); it was not scanned. Is the file truncated? Write it again with terraform show -json plan.out > plan.json`,
          location: lineLocation(options.relPath, line),
        },
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan) || (plan.resource_changes === undefined && plan.planned_values === undefined)) {
    return {
      resources: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-error',
          message:
            'this is Terraform JSON output but not a plan (it has neither resource_changes nor planned_values; state output, perhaps); it was not scanned. Scan terraform show -json of a saved plan',
          location: lineLocation(options.relPath, 1),
        },
      ],
    };
  }
  if (typeof plan.format_version !== 'string' || !plan.format_version.startsWith('1.')) {
    diagnostics.push({
      severity: 'warning',
      code: 'unsupported',
      message: `plan format_version ${JSON.stringify(plan.format_version)} is not 1.x; it is read as 1.x and values may be missed`,
      location: lineLocation(options.relPath, 1),
    });
  }
  if (plan.errored === true || plan.complete === false) {
    diagnostics.push({
      severity: 'warning',
      code: 'unresolved',
      message: `the plan is ${plan.errored === true ? 'from a terraform plan that failed' : 'incomplete (deferred changes)'}; resources Terraform could not plan are missing from it`,
      location: lineLocation(options.relPath, 1),
    });
  }

  const changes = (plan.resource_changes ?? plannedValuesAsChanges(plan.planned_values)).filter(
    (change) => change.mode === 'managed' && change.change?.after !== null && change.change?.after !== undefined && !(change.change.actions?.length === 1 && change.change.actions[0] === 'delete'),
  );
  const configuration = new PlanConfiguration(plan.configuration?.root_module ?? {}, new Set(changes.map((change) => change.address)));
  const locator = new PlanLocator(options.relPath, text);
  const indexes = new Map((plan.resource_changes ?? []).map((change, index) => [change.address, index]));
  const context: PlanContext = { configuration, locator, variables: plan.variables ?? {}, options };
  const resources = changes.filter((change) => options.include(change.type)).map((change) => new PlanResource(change, indexes.get(change.address) ?? 0, context));
  return { resources, diagnostics };
}

/** A plan without `resource_changes` (older Terraform): `planned_values` has known values only. */
function plannedValuesAsChanges(plannedValues: unknown): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const walk = (module: unknown, moduleAddress: string): void => {
    if (typeof module !== 'object' || module === null) return;
    const { resources, child_modules: children } = module as { resources?: Array<Record<string, unknown>>; child_modules?: Array<Record<string, unknown>> };
    for (const resource of resources ?? []) {
      changes.push({
        address: String(resource.address),
        ...(moduleAddress ? { module_address: moduleAddress } : {}),
        mode: String(resource.mode),
        type: String(resource.type),
        name: String(resource.name),
        ...(resource.index !== undefined ? { index: resource.index as string | number } : {}),
        change: { actions: ['create'], after: resource.values ?? {} },
      });
    }
    for (const child of children ?? []) walk(child, String(child.address ?? ''));
  };
  walk((plannedValues as { root_module?: unknown } | undefined)?.root_module, '');
  return changes;
}

interface PlanContext {
  readonly configuration: PlanConfiguration;
  readonly locator: PlanLocator;
  readonly variables: Readonly<Record<string, { readonly value?: unknown }>>;
  readonly options: PlanLoadOptions;
}

const ABSENT = Symbol('absent');

function instanceKey(index: string | number | undefined): string {
  if (index === undefined) return '';
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

/** A resource as the plan says it will be after apply, seen through the adapter interface. */
class PlanResource implements ResourceView {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly modulePath: string;
  readonly format = 'terraform-plan' as const;
  readonly rootModule: string;
  readonly source: ResourceSource;
  readonly values: Readonly<Record<string, Value>>;
  private readonly expressions: PlanExpressions | undefined;
  /** The configuration's own view of this resource, when the plan's configuration was read with it. */
  private readonly written: SourceResource | undefined;

  constructor(
    change: ResourceChange,
    private readonly index: number,
    private readonly context: PlanContext,
  ) {
    this.address = change.address;
    this.type = change.type;
    this.name = change.name;
    this.source = { type: change.type, name: change.address };
    this.modulePath = change.module_address ?? '';
    this.rootModule = context.options.rootModule;
    const localAddress = `${change.type}.${change.name}`;
    this.expressions = context.configuration.expressions(this.modulePath, localAddress);
    this.written = context.options.source?.(change.address);
    const built = this.build(change.change?.after, change.change?.after_unknown, this.expressions, [], instanceKey(change.index));
    this.values = built !== ABSENT && typeof built === 'object' && built !== null && !Array.isArray(built) && !(built instanceof Unknown) ? (built as ValueObject) : {};
  }

  get construct(): string | undefined {
    return this.written?.construct;
  }

  get location(): SourceLocation {
    return this.written?.location ?? this.context.locator.locate(this.address, this.index, []);
  }

  locate(path: ReadonlyArray<string | number>): SourceLocation {
    return this.written ? this.written.locate(path) : this.context.locator.locate(this.address, this.index, path);
  }

  textLines(attribute: string): { readonly file: string; readonly firstLine: number } | undefined {
    return this.written?.textLines(attribute);
  }

  valueFile(attribute: string | ReadonlyArray<string | number>): string | undefined {
    return this.written?.valueFile(attribute);
  }

  configures(attribute: string): boolean | undefined {
    return this.expressions === undefined ? undefined : this.expressions[attribute] !== undefined;
  }

  /**
   * Where a value is written. With the source present and agreeing with the plan, the source says
   * (variable default, tfvars, module argument). Otherwise the plan's configuration: a constant is
   * written in the code, a variable whose plan value equals its default too; any other value came
   * from outside the code (a CI secret in TF_VAR_..., say).
   */
  valueSource(attribute: string): ValueSource | undefined {
    const value = this.values[attribute];
    if (this.written) {
      const written = this.written.valueSource(attribute);
      if (written && deepEqual(this.written.values[attribute] as Value, value as Value)) return written;
    }
    const location = this.locate([attribute]);
    const expression = this.expressions?.[attribute];
    if (!isLeafExpression(expression)) return undefined;
    return this.writtenInCode(expression, this.modulePath, value, 0) ? { kind: 'module-input', location } : { kind: 'input', location };
  }

  private writtenInCode(expression: PlanExpression, moduleAddress: string, value: Value | undefined, depth: number): boolean {
    if (expression.constant_value !== undefined) return true;
    const references = expression.references ?? [];
    const variable = references.length === 1 ? /^var\.([A-Za-z0-9_-]+)$/.exec(references[0]!) : null;
    if (!variable || depth > 16) return false;
    const name = variable[1]!;
    if (!moduleAddress) {
      const declared = this.context.configuration.rootVariables()?.[name];
      return declared?.default !== undefined && deepEqual(declared.default as Value, this.context.variables[name]?.value as Value);
    }
    const steps = moduleSteps(moduleAddress);
    const parent = steps.slice(0, -1).map((step) => `module.${step.name}${step.key}`).join('.');
    const argument = this.context.configuration.module(parent)?.module_calls?.[steps[steps.length - 1]!.name]?.expressions?.[name];
    return isLeafExpression(argument) && this.writtenInCode(argument, parent, value, depth + 1);
  }

  /**
   * Merges `after` with `after_unknown`. An unknown part that the configuration sets becomes an
   * Unknown linked to the resource it refers to; one the configuration does not set is left out, so
   * that adapters apply the same defaults as for the source (the provider computes it).
   */
  private build(after: unknown, unknown: unknown, expression: unknown, path: readonly string[], key: string): Value | typeof ABSENT {
    if (unknown === true) {
      if (expression === undefined) return ABSENT;
      return new Unknown(`${this.address}.${path.join('.')} is known only after apply`, this.referenceFor(expression, path, key));
    }
    if (Array.isArray(after)) {
      const items = Array.isArray(unknown) ? unknown : [];
      const expressions = Array.isArray(expression) ? expression : undefined;
      return after.map((item, i) => {
        const built = this.build(item, items[i], expressions ? expressions[i] : expression, [...path, String(i)], key);
        return built === ABSENT ? null : built;
      });
    }
    if (typeof after === 'object' && after !== null) {
      const out: ValueObject = {};
      const unknownObject = typeof unknown === 'object' && unknown !== null && !Array.isArray(unknown) ? (unknown as Record<string, unknown>) : {};
      const blockExpressions = typeof expression === 'object' && expression !== null && !isLeafExpression(expression) ? (expression as Record<string, unknown>) : undefined;
      for (const name of new Set([...Object.keys(after), ...Object.keys(unknownObject)])) {
        const child = this.build((after as Record<string, unknown>)[name], unknownObject[name], blockExpressions ? blockExpressions[name] : isLeafExpression(expression) ? expression : undefined, [...path, name], key);
        if (child !== ABSENT) setKey(out, name, child);
      }
      return out;
    }
    if (after === undefined) return ABSENT;
    return after as Value;
  }

  /** The resource a configured, unknown value refers to: from the configuration, else from the source. */
  private referenceFor(expression: unknown, path: readonly string[], key: string): ResourceRef | undefined {
    const references = isLeafExpression(expression) ? expression.references : undefined;
    const resolved = references ? this.context.configuration.resolve(this.modulePath, references, key) : undefined;
    if (resolved) return resolved;
    // A plan does not record locals: the source, when present, can still tell where a value comes from.
    let value: unknown = this.written?.values;
    for (const segment of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    return value instanceof Unknown ? value.ref : undefined;
  }
}
