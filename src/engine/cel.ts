import { Environment, type Limits as CelLimits } from '@marcbachmann/cel-js';
import type { EntityKind } from '../model/entities.js';
import { ENTITY_SCHEMAS, type CelSchema } from '../model/schema.js';

/** A compiled CEL expression: call it with a context; `check()` type-checks it. */
export type CelProgram = ReturnType<Environment['parse']>;

/** A piece of a message template: literal text or a compiled placeholder. */
export type MessagePart = string | { readonly program: CelProgram };

/**
 * The structural limits of every policy expression, enforced by the CEL parser when a policy loads.
 * They bound the size of what is compiled (and the recursion of the evaluator, which walks the tree),
 * far above what a hand-written policy needs: the largest built-in expression has about 50 nodes and
 * a nesting depth of 4. They do not bound the cost of running an expression (the library has no such
 * limit: a comprehension inside a comprehension multiplies), which the `policy-time` and
 * `policy-memory` limits do in evaluate.ts.
 */
export const CEL_LIMITS: CelLimits = {
  maxAstNodes: 5_000,
  maxDepth: 64,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  maxCallArguments: 32,
};

const environments = new Map<string, Environment>();

/**
 * What a group message (`group.message` of a policy) reads besides the entity: the list of the
 * members the finding stands for, `group.routes` for a policy on routes, `group.apis` for one on
 * gateways (the APIs of an API Management service). The list is known only once every member is
 * decided, so the message is rendered on the first member with {@link GROUP_ROUTES_SLOT} in its
 * place, and the engine puts the list there.
 */
export const GROUP_SCHEMAS = { route: { routes: 'string' }, gateway: { apis: 'string' } } as const;

/** The kinds of entity whose findings can group (see {@link GROUP_SCHEMAS}). */
export type GroupedKind = keyof typeof GROUP_SCHEMAS;

/** Whether findings of a policy on `kind` can group. */
export function isGroupedKind(kind: EntityKind): kind is GroupedKind {
  return Object.hasOwn(GROUP_SCHEMAS, kind);
}

/** What `group.routes` (or `group.apis`) holds while a group message is rendered; replaced by the list of members. */
export const GROUP_ROUTES_SLOT = '\u0000gatewarden:group.routes\u0000';

/** The CEL type of each parameter a policy declares (`parameters:`), by name. */
export type ParameterSchema = Readonly<Record<string, 'double' | 'string' | 'bool'>>;

/** Which templates an environment compiles: a policy's own, or its group message (with `group`). */
export type TemplateScope = 'entity' | 'group';

/**
 * The CEL environment for policies on one entity kind: the entity under its variable name
 * (`route`, `apiKey`, ...) and, for everything but gateways, the `gateway` it belongs to; `now`, the
 * time the evaluation started (a timestamp: `now - timestamp(apiKey.createdAt)` is an age); `params`,
 * the policy's parameters, when it declares some; for a group message, `group` as well.
 */
export function environmentFor(kind: EntityKind, scope: TemplateScope = 'entity', parameters?: ParameterSchema): Environment {
  const declared = parameters && Object.keys(parameters).length > 0 ? parameters : undefined;
  const key = `${kind}|${scope}|${declared ? JSON.stringify(Object.entries(declared).sort()) : ''}`;
  let env = environments.get(key);
  if (!env) {
    env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, limits: CEL_LIMITS });
    const { variable, schema } = ENTITY_SCHEMAS[kind];
    env.registerVariable({ name: variable, schema: toCelSchema(schema) });
    if (kind !== 'gateway') env.registerVariable({ name: 'gateway', schema: toCelSchema(ENTITY_SCHEMAS.gateway.schema) });
    env.registerVariable('now', 'google.protobuf.Timestamp');
    if (declared) env.registerVariable({ name: 'params', schema: { ...declared } });
    if (scope === 'group' && isGroupedKind(kind)) env.registerVariable({ name: 'group', schema: toCelSchema(GROUP_SCHEMAS[kind]) });
    environments.set(key, env);
  }
  return env;
}

type CelSchemaInput = { [field: string]: string | CelSchemaInput };

function toCelSchema(schema: CelSchema): CelSchemaInput {
  const out: CelSchemaInput = {};
  for (const [field, type] of Object.entries(schema)) out[field] = typeof type === 'string' ? type : toCelSchema(type);
  return out;
}

/** The outcome of compiling an expression: a program and its type, or an error with its offset. */
export type CompileResult = { readonly program: CelProgram; readonly type: string } | { readonly error: string; readonly offset?: number };

/** Parses and type-checks an expression against the model. */
export function compileExpression(kind: EntityKind, expression: string, scope: TemplateScope = 'entity', parameters?: ParameterSchema): CompileResult {
  const env = environmentFor(kind, scope, parameters);
  let program: CelProgram;
  try {
    program = env.parse(expression);
  } catch (error) {
    return describeError(error);
  }
  const checked = env.check(expression);
  if (!checked.valid) return describeError(checked.error);
  return { program, type: String(checked.type) };
}

const PLACEHOLDER = /\{\{\s*(.+?)\s*\}\}/g;

/**
 * Compiles a message template: literal text and `{{ expr }}` placeholders. Every placeholder that
 * does not compile is listed, so that one load reports them all.
 */
export function compileTemplate(
  kind: EntityKind,
  template: string,
  scope: TemplateScope = 'entity',
  parameters?: ParameterSchema,
): { readonly parts: MessagePart[] } | { readonly errors: ReadonlyArray<{ readonly placeholder: string; readonly error: string }> } {
  const parts: MessagePart[] = [];
  const errors: Array<{ placeholder: string; error: string }> = [];
  let last = 0;
  for (const placeholder of template.matchAll(PLACEHOLDER)) {
    if (placeholder.index > last) parts.push(template.slice(last, placeholder.index));
    const result = compileExpression(kind, placeholder[1]!, scope, parameters);
    if ('error' in result) errors.push({ placeholder: placeholder[1]!, error: result.error });
    else parts.push({ program: result.program });
    last = placeholder.index + placeholder[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return errors.length > 0 ? { errors } : { parts };
}

const LIMIT_EXCEEDED = /^Exceeded (max\w+) \((\d+)\)/;
const LIMIT_MEANING: Readonly<Record<string, string>> = {
  maxAstNodes: 'the expression is too large: more than $ nodes',
  maxDepth: 'the expression nests too deeply: more than $ levels of calls, fields, indexes and literals',
  maxListElements: 'a list literal has more than $ elements',
  maxMapEntries: 'a map literal has more than $ entries',
  maxCallArguments: 'a call has more than $ arguments',
};

function describeError(error: unknown): { error: string; offset?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const range = (error as { range?: { start?: number } } | undefined)?.range;
  // cel-js appends a source excerpt with a caret; the first line is the message.
  let first = message.split('\n')[0] ?? message;
  const limit = LIMIT_EXCEEDED.exec(first);
  // The structural limits are fixed (CEL_LIMITS): say what was too big, and that the fix is in the policy.
  if (limit) first = `${(LIMIT_MEANING[limit[1]!] ?? `over the CEL limit ${limit[1]} of $`).replace('$', limit[2]!)} (CEL ${limit[1]}); split the policy or simplify the expression`;
  return typeof range?.start === 'number' ? { error: first, offset: range.start } : { error: first };
}
