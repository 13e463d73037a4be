import type { EntityKind } from '../model/entities.js';
import { Unknown } from '../model/unknown.js';
import { compileExpression, compileTemplate, type TemplateScope } from './cel.js';
import { parameterSchemaOf } from './policy.js';
import { decideAll, deepFreeze, type DecidablePolicy } from './decide.js';
import { ANSWERED, DECIDING, PROGRESS_FD, write, type FromPolicyProcess, type ToPolicyProcess } from './policy-process.js';
import type { MessagePart } from './policy.js';

// The child process that evaluates the user's policies (started by policy-process.ts). It holds a
// copy of the entities those policies read and decides one policy at a time on request. A policy that
// runs past its time here is stopped between two entities; one stuck on a single entity is stopped by
// the parent ending this process, and one that fills its heap (--max-old-space-size) ends it.

let contexts = new Map<EntityKind, ReadonlyArray<Record<string, unknown>>>();
let policies: Array<DecidablePolicy | { readonly error: string }> = [];

const post = (message: FromPolicyProcess): void => {
  write(PROGRESS_FD, ANSWERED, 1);
  process.send!(message);
};

// The parent gone (it ended, or was killed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ToPolicyProcess) => {
  if (message.type === 'init') {
    try {
      contexts = new Map(Object.entries(message.contexts).map(([kind, list]) => [kind as EntityKind, deepFreeze(revive(list) as Array<Record<string, unknown>>)]));
      policies = message.policies.map(compile);
      post({ type: 'ready' });
    } catch (error) {
      post({ type: 'failed', reason: reasonOf(error) });
    }
    return;
  }
  const policy = policies[message.policy];
  if (!policy || 'error' in policy) {
    post({ type: 'failed', policy: message.policy, reason: policy ? policy.error : 'no such policy' });
    return;
  }
  try {
    const run = decideAll(policy, contexts.get(policy.match.kind) ?? [], performance.now() + message.timeMs, 1, (index) => write(PROGRESS_FD, DECIDING, index));
    post({ type: 'result', policy: message.policy, run });
  } catch (error) {
    post({ type: 'failed', policy: message.policy, reason: reasonOf(error) });
  }
});

function reasonOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

/**
 * Compiles a policy again from its texts: compiled programs are functions, which cannot be sent
 * between processes. They compiled in the parent already, so an error here is unexpected.
 */
function compile(texts: ToPolicyProcessPolicy): DecidablePolicy | { readonly error: string } {
  const kind = texts.match.kind;
  const parameters = texts.parameters ? parameterSchemaOf(texts.parameters) : undefined;
  const program = (expression: string) => {
    const result = compileExpression(kind, expression, 'entity', parameters);
    if ('error' in result) throw new Error(`${expression} does not compile: ${result.error}`);
    return result.program;
  };
  const template = (text: string, scope: TemplateScope = 'entity'): MessagePart[] => {
    const result = compileTemplate(kind, text, scope, parameters);
    if ('errors' in result) throw new Error(`the message "${text}" does not compile: ${result.errors[0]!.error}`);
    return result.parts;
  };
  try {
    return {
      severity: texts.severity,
      ...(texts.params ? { params: texts.params } : {}),
      assert: texts.assert,
      match: texts.match,
      compiled: {
        ...(texts.match.where !== undefined ? { where: program(texts.match.where) } : {}),
        assert: program(texts.assert),
        message: template(texts.message),
        variants: texts.variants.map((variant) => ({
          when: program(variant.when),
          severity: variant.severity,
          ...(variant.message !== undefined ? { message: template(variant.message) } : {}),
        })),
        ...(texts.group ? { group: { message: template(texts.group.message, 'group') } } : {}),
      },
    };
  } catch (error) {
    return { error: reasonOf(error) };
  }
}

type ToPolicyProcessPolicy = Extract<ToPolicyProcess, { type: 'init' }>['policies'][number];

/**
 * Turns the copies of {@link Unknown} values back into Unknowns. A copy between processes keeps an
 * object's fields but not its class, and the class is what makes CEL report an unknown value
 * (`Unsupported type: Unknown`) instead of reading `{ unknown: true, reason }` as a map. That shape
 * is the model's own serialisation of an Unknown, so no other value of the model has it.
 */
function revive(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const record = value as Record<string, unknown>;
  if (record.unknown === true && typeof record.reason === 'string' && !Array.isArray(value)) {
    const unknown = new Unknown(record.reason, record.ref as Unknown['ref'], record.partial === undefined ? undefined : revive(record.partial, seen));
    seen.set(value, unknown);
    return unknown;
  }
  // Shared objects (the gateway of many routes) stay shared: the V8 serializer keeps them so.
  seen.set(value, value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = revive(value[index], seen);
  } else if (!(value instanceof Map)) {
    for (const key of Object.keys(record)) record[key] = revive(record[key], seen);
  }
  return value;
}
