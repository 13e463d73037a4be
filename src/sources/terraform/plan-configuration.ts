import type { ResourceRef } from '../../model/unknown.js';

/** An expression in a plan's `configuration`: a constant, references, or (for blocks) nested expressions. */
export interface PlanExpression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

/** Expressions of a resource or block: attribute name to expression, or to a list of nested block expressions. */
export type PlanExpressions = Readonly<Record<string, PlanExpression | readonly PlanExpressions[]>>;

/** A module in the plan's `configuration` section. */
export interface PlanConfigModule {
  readonly resources?: ReadonlyArray<{ readonly address: string; readonly mode?: string; readonly expressions?: PlanExpressions }>;
  readonly module_calls?: Readonly<Record<string, { readonly source?: string; readonly expressions?: PlanExpressions; readonly module?: PlanConfigModule }>>;
  readonly variables?: Readonly<Record<string, { readonly default?: unknown; readonly sensitive?: boolean }>>;
  readonly outputs?: Readonly<Record<string, { readonly expression?: PlanExpression }>>;
}

/** Tells a leaf expression (`constant_value` / `references`) from nested block expressions. */
export function isLeafExpression(value: unknown): value is PlanExpression {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('constant_value' in value || 'references' in value);
}

/** Splits `module.api["orders"].module.db[0]` into `[{ name: 'api', key: '["orders"]' }, { name: 'db', key: '[0]' }]`. */
export function moduleSteps(moduleAddress: string): Array<{ name: string; key: string }> {
  const steps: Array<{ name: string; key: string }> = [];
  const pattern = /module\.([A-Za-z0-9_-]+)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)/g;
  for (const match of moduleAddress.matchAll(pattern)) steps.push({ name: match[1]!, key: match[2] ?? '' });
  return steps;
}

/**
 * Resolves references in a plan's `configuration` to the resource instances they end at, following
 * `var.x` into the calling module's argument and `module.m.out` into the module's output, so that
 * links survive IDs that are unknown until apply and module boundaries. `local.x` cannot be followed:
 * a plan does not record locals.
 */
export class PlanConfiguration {
  /** Instance addresses by the address without the last instance key (`x.y["a"]` under `x.y`). */
  private readonly instances = new Map<string, string[]>();

  constructor(
    private readonly root: PlanConfigModule,
    /** Every resource instance address in the plan, for picking instances of counted resources. */
    private readonly addresses: ReadonlySet<string>,
  ) {
    for (const address of addresses) {
      const base = address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$/, '');
      if (base === address) continue;
      const list = this.instances.get(base);
      if (list) list.push(address);
      else this.instances.set(base, [address]);
    }
  }

  /** The configuration module of a module instance address (keys ignored). */
  module(moduleAddress: string): PlanConfigModule | undefined {
    let current: PlanConfigModule | undefined = this.root;
    for (const step of moduleSteps(moduleAddress)) current = current?.module_calls?.[step.name]?.module;
    return current;
  }

  /** The expressions of a resource (`type.name` inside a module instance). */
  expressions(moduleAddress: string, resourceAddress: string): PlanExpressions | undefined {
    return this.module(moduleAddress)?.resources?.find((resource) => resource.address === resourceAddress)?.expressions;
  }

  /** The root module's variable declarations. */
  rootVariables(): PlanConfigModule['variables'] {
    return this.root.variables;
  }

  /**
   * The resource attribute a list of references ends at, seen from a module instance; `instanceKey`
   * is the referencing resource's own key, used to pick the matching instance of a `for_each` peer.
   */
  resolve(moduleAddress: string, references: readonly string[], instanceKey: string, depth = 0): ResourceRef | undefined {
    if (depth > 16) return undefined;
    for (const reference of references) {
      const found = this.resolveOne(moduleAddress, reference, instanceKey, depth);
      if (found) return found;
    }
    return undefined;
  }

  private resolveOne(moduleAddress: string, reference: string, instanceKey: string, depth: number): ResourceRef | undefined {
    const prefix = moduleAddress ? `${moduleAddress}.` : '';
    const variable = /^var\.([A-Za-z0-9_-]+)/.exec(reference);
    if (variable) {
      if (!moduleAddress) return undefined;
      const steps = moduleSteps(moduleAddress);
      const last = steps[steps.length - 1]!;
      const parentAddress = steps.slice(0, -1).map((step) => `module.${step.name}${step.key}`).join('.');
      const argument = this.module(parentAddress)?.module_calls?.[last.name]?.expressions?.[variable[1]!];
      return isLeafExpression(argument) && argument.references ? this.resolve(parentAddress, argument.references, instanceKey, depth + 1) : undefined;
    }
    const output = /^module\.([A-Za-z0-9_-]+)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)\.([A-Za-z0-9_-]+)/.exec(reference);
    if (output) {
      const childAddress = `${prefix}module.${output[1]}${output[2] ?? ''}`;
      const expression = this.module(childAddress)?.outputs?.[output[3]!]?.expression;
      return expression?.references ? this.resolve(childAddress, expression.references, instanceKey, depth + 1) : undefined;
    }
    const resource = /^((?:data\.)?[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_-]+)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)\.([A-Za-z0-9_-]+)/.exec(reference);
    if (!resource || /^(each|count|path|terraform|self|local)\./.test(reference)) return undefined;
    const base = `${prefix}${resource[1]}`;
    const attribute = resource[3]!;
    if (resource[2]) return { address: `${base}${resource[2]}`, attribute };
    if (this.addresses.has(base)) return { address: base, attribute };
    // A for_each/count peer referenced as `x[each.key]` shows as plain `x`: take the instance with the same key.
    if (instanceKey && this.addresses.has(`${base}${instanceKey}`)) return { address: `${base}${instanceKey}`, attribute };
    const instances = this.instances.get(base) ?? [];
    return instances.length === 1 ? { address: instances[0]!, attribute } : undefined;
  }
}
