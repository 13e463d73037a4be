import { Environment } from '@marcbachmann/cel-js';
import type { EntityKind } from '../model/entities.js';
import { ENTITY_SCHEMAS, type CelSchema } from '../model/schema.js';

/** A compiled CEL expression: call it with a context; `check()` type-checks it. */
export type CelProgram = ReturnType<Environment['parse']>;

const environments = new Map<EntityKind, Environment>();

/**
 * The CEL environment for policies on one entity kind: the entity under its variable name
 * (`route`, `apiKey`, ...) and, for everything but gateways, the `gateway` it belongs to.
 */
export function environmentFor(kind: EntityKind): Environment {
  let env = environments.get(kind);
  if (!env) {
    env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    const { variable, schema } = ENTITY_SCHEMAS[kind];
    env.registerVariable({ name: variable, schema: toCelSchema(schema) });
    if (kind !== 'gateway') env.registerVariable({ name: 'gateway', schema: toCelSchema(ENTITY_SCHEMAS.gateway.schema) });
    environments.set(kind, env);
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
export function compileExpression(kind: EntityKind, expression: string): CompileResult {
  const env = environmentFor(kind);
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

function describeError(error: unknown): { error: string; offset?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const range = (error as { range?: { start?: number } } | undefined)?.range;
  // cel-js appends a source excerpt with a caret; the first line is the message.
  const first = message.split('\n')[0] ?? message;
  return typeof range?.start === 'number' ? { error: first, offset: range.start } : { error: first };
}
