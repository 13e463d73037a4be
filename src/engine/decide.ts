import { Unknown } from '../model/unknown.js';
import { GROUP_ROUTES_SLOT, type CelProgram } from './cel.js';
import { withReadableNames } from './message-names.js';
import type { MessagePart, Policy } from './policy.js';
import type { Outcome, Severity } from '../model/findings.js';

// Deciding one policy on one entity, shared by the main process (built-in policies) and the child
// that evaluates the user's policies (policy-worker.ts). Decisions are plain data, so that they cross
// from one process to the other as they are.

/** Freezes an object graph so that no policy or engine step can change the model it reads. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** What one policy concluded on one entity. */
export type Decision =
  | { readonly outcome: Exclude<Outcome, 'fail' | 'unknown'> }
  | {
      readonly outcome: 'fail';
      readonly severity: Severity;
      readonly message: string;
      /** Which variant applied (its index), or -1 for the policy's own severity and message. */
      readonly variant: number;
      /** For a policy that groups its findings: the group message, with `group.routes` (`group.apis`) still to fill in. */
      readonly groupMessage?: string;
    }
  | { readonly outcome: 'unknown' | 'error'; readonly reason: string };

/** What deciding a policy needs: its texts (to explain unknowns), base severity and compiled programs. */
export type DecidablePolicy = Pick<Policy, 'severity' | 'assert' | 'match' | 'compiled' | 'params'>;

/**
 * The decisions of one policy on a list of contexts, one per context in order; or, when the policy
 * used up its time (`deadline`, a `performance.now()` value) before the end, how many it had
 * decided (the last of them took it past its time).
 */
export type PolicyRun = { readonly decisions: readonly Decision[] } | { readonly stoppedAfter: number };

/**
 * Decides a policy on every context until `deadline`. The clock is read every `checkEvery` contexts:
 * reading it costs more than a built-in policy's decision.
 */
export function decideAll(policy: DecidablePolicy, contexts: ReadonlyArray<Record<string, unknown>>, deadline: number, checkEvery = 1, onContext?: (index: number) => void): PolicyRun {
  const decisions: Decision[] = new Array<Decision>(contexts.length);
  for (let index = 0; index < contexts.length; index++) {
    if (index % checkEvery === 0) {
      if (performance.now() > deadline) return { stoppedAfter: index };
      onContext?.(index);
    }
    const context = contexts[index]!;
    // Contexts are shared by every policy of a kind; a policy's parameters are its own.
    decisions[index] = decide(policy, policy.params ? { ...context, params: policy.params } : context);
  }
  // A policy that finished a little late keeps its results: the limit is there to stop the runaway.
  return { decisions };
}

/** Decides one policy on one context: `where`, then `assert`, then the variants and the message. */
export function decide(policy: DecidablePolicy, context: Record<string, unknown>): Decision {
  const { compiled } = policy;
  if (compiled.where) {
    const where = run(compiled.where, context, policy.match.where ?? '');
    if ('unknown' in where) return { outcome: 'unknown', reason: where.unknown };
    if ('error' in where) return { outcome: 'error', reason: where.error };
    if (where.value !== true) return { outcome: 'not-applicable' };
  }
  const assertion = run(compiled.assert, context, policy.assert);
  if ('unknown' in assertion) return { outcome: 'unknown', reason: assertion.unknown };
  if ('error' in assertion) return { outcome: 'error', reason: assertion.error };
  if (assertion.value === true) return { outcome: 'pass' };
  // The group message is rendered here, where the policy's budget holds, with a slot for the list of
  // routes that only the engine knows once every entity is decided.
  const grouped = compiled.group ? { groupMessage: render(compiled.group.message, { ...context, group: { routes: GROUP_ROUTES_SLOT, apis: GROUP_ROUTES_SLOT } }) } : {};
  for (const [index, variant] of compiled.variants.entries()) {
    const when = run(variant.when, context, '');
    // A variant whose condition cannot be decided keeps the policy's base severity.
    if ('value' in when && when.value === true) {
      return { outcome: 'fail', severity: variant.severity, message: render(variant.message ?? compiled.message, context), variant: index, ...grouped };
    }
  }
  return { outcome: 'fail', severity: policy.severity, message: render(compiled.message, context), variant: -1, ...grouped };
}

const UNKNOWN_ERROR = /Unsupported type: Unknown/;

/** The outcome of one expression on one context. */
type ExpressionResult = { readonly value: unknown } | { readonly unknown: string } | { readonly error: string };

function run(program: CelProgram, context: Record<string, unknown>, expressionText: string): ExpressionResult {
  try {
    return { value: program(context) };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    if (UNKNOWN_ERROR.test(message)) return { unknown: unknownReason(context, expressionText) };
    return { error: message };
  }
}

/**
 * Explains an unknown outcome: the unknown values in the context whose field names the expression
 * mentions (falling back to every unknown value in the context).
 */
function unknownReason(context: Record<string, unknown>, expressionText: string): string {
  const found: Array<{ path: string; reason: string }> = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (value instanceof Unknown) {
      found.push({ path, reason: value.reason });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location' || key === 'fieldLocations' || key === 'origin') continue;
      walk(child, path ? `${path}.${key}` : key, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(context)) walk(value, name, 0);
  const words = new Set(expressionText.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const relevant = found.filter((entry) => words.has(entry.path.split('.').pop() ?? ''));
  const chosen = (relevant.length > 0 ? relevant : found).slice(0, 3);
  return chosen.map((entry) => `${entry.path} is unknown: ${entry.reason}`).join('; ') || 'a value the policy reads is unknown';
}

/** Renders a message; an unknown entity name reads as its address (see message-names.ts). */
function render(parts: readonly MessagePart[], decisionContext: Record<string, unknown>): string {
  const context = withReadableNames(decisionContext) as Record<string, unknown>;
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const result = run(part.program, context, '');
      if (!('value' in result)) return '(unknown)';
      return display(result.value);
    })
    .join('');
}

function display(value: unknown): string {
  if (value instanceof Unknown || value === undefined) return '(unknown)';
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return '(object)';
  if (typeof value === 'object' && value !== null) return '(object)';
  return String(value);
}
