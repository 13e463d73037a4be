import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity, EntityKind, Gateway, Route } from '../model/entities.js';
import { lineLocation, type SourceLocation } from '../model/location.js';
import { ENTITY_SCHEMAS } from '../model/schema.js';
import { Unknown } from '../model/unknown.js';
import type { CelProgram } from './cel.js';
import type { MessagePart, Policy } from './policy.js';
import { findingFingerprint } from './fingerprint.js';
import { SuppressionIndex, type SuppressionSources } from './suppressions.js';
import type { Finding, Outcome, OutcomeCounts, Severity, UnevaluatedCheck } from './types.js';

/** The result of evaluating policies over an inventory. */
export interface EvaluationResult {
  readonly findings: readonly Finding[];
  readonly unevaluated: readonly UnevaluatedCheck[];
  readonly counts: OutcomeCounts;
  /** Expressions that failed for a reason other than an unknown value (a policy bug or a model gap). */
  readonly diagnostics: readonly Diagnostic[];
}

/** A stand-in for a gateway that is not part of the input, so `gateway.*` reads are unknown, not errors. */
function missingGateway(entity: Entity): Gateway {
  const unknown = new Unknown('the API this belongs to is not in the scanned input');
  return {
    kind: 'gateway',
    id: `${entity.id}#gateway`,
    provider: entity.provider,
    origin: entity.origin,
    parentId: null,
    address: unknown.reason,
    modulePath: entity.modulePath,
    location: entity.location,
    fieldLocations: {},
    name: unknown,
    protocol: 'rest',
    endpointType: unknown,
    definedByOpenApi: false,
  };
}

/** Freezes an object graph so that no policy or engine step can change the model it reads. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
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

function render(parts: readonly MessagePart[], context: Record<string, unknown>): string {
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

/** Finds the gateway an entity belongs to by following parent ids. */
function gatewayResolver(entities: readonly Entity[]): (entity: Entity) => Gateway | undefined {
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return (entity) => {
    let current: Entity | undefined = entity;
    for (let depth = 0; current && depth < 8; depth++) {
      if (current.kind === 'gateway') return current;
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return undefined;
  };
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluationOptions {
  /** The date suppressions' `until` is compared with; today by default. */
  readonly today?: Date;
  /**
   * The text of a line of a scanned file (path relative to the scan root, 1-based line), for
   * fingerprints; undefined when the file cannot be read (a live resource, say).
   */
  readonly lineText?: (file: string, line: number) => string | undefined;
  /** Suppressions besides those on entities: comments in the files, the config file's. */
  readonly suppressions?: SuppressionSources;
}

/**
 * Evaluates every policy against every entity of its kind. Outcomes: pass, fail (a finding), not
 * applicable (`match.where` false; never counted as a pass), unknown (the expression read an Unknown:
 * listed, not a finding). The model is frozen first, so policies cannot change it.
 */
export function evaluatePolicies(entities: readonly Entity[], policies: readonly Policy[], options: EvaluationOptions = {}): EvaluationResult {
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  deepFreeze(entities);
  const findings: Finding[] = [];
  const unevaluated: UnevaluatedCheck[] = [];
  const diagnostics: Diagnostic[] = [];
  const counts = { checks: 0, passed: 0, failed: 0, notApplicable: 0, unknown: 0, errors: 0 };
  const gatewayOf = gatewayResolver(entities);
  const byKind = new Map<EntityKind, Entity[]>();
  for (const entity of entities) {
    const list = byKind.get(entity.kind);
    if (list) list.push(entity);
    else byKind.set(entity.kind, [entity]);
  }
  const reportedErrors = new Set<string>();
  const suppressions = new SuppressionIndex(entities, new Set(policies.map((policy) => policy.id)), today, options.suppressions);

  for (const policy of policies) {
    const kind = policy.match.kind;
    const variable = ENTITY_SCHEMAS[kind].variable;
    for (const entity of byKind.get(kind) ?? []) {
      counts.checks++;
      const context: Record<string, unknown> = { [variable]: entity };
      if (kind !== 'gateway') context.gateway = gatewayOf(entity) ?? missingGateway(entity);
      const location = (policy.location ? entity.fieldLocations[policy.location] : undefined) ?? entity.location;
      const routeKey = entity.kind === 'route' ? (entity as Route).key : undefined;
      const outcome = decide(policy, context);
      switch (outcome.outcome) {
        case 'pass':
          counts.passed++;
          break;
        case 'not-applicable':
          counts.notApplicable++;
          break;
        case 'unknown':
          counts.unknown++;
          unevaluated.push({
            policyId: policy.id,
            entityKind: kind,
            entityId: entity.id,
            address: entity.address,
            ...(routeKey !== undefined ? { routeKey } : {}),
            reason: outcome.reason,
            location,
          });
          break;
        case 'error': {
          counts.errors++;
          const key = `${policy.id}|${outcome.reason}`;
          if (!reportedErrors.has(key)) {
            reportedErrors.add(key);
            diagnostics.push({
              severity: 'error',
              code: 'evaluation-error',
              message: `policy ${policy.id} could not be evaluated on ${entity.address}: ${outcome.reason} (fix the policy's expression, e.g. guard optional fields with has())`,
              location: lineLocation(policy.file, 1),
              address: entity.address,
            });
          }
          break;
        }
        case 'fail': {
          counts.failed++;
          const suppressed = suppressions.find(entity, policy.id, location);
          findings.push({
            policyId: policy.id,
            title: policy.title,
            severity: outcome.severity,
            category: policy.category,
            provider: entity.provider,
            entityKind: kind,
            entityId: entity.id,
            address: entity.address,
            modulePath: entity.modulePath,
            ...(entity.construct !== undefined ? { construct: entity.construct } : {}),
            ...(routeKey !== undefined ? { routeKey } : {}),
            message: outcome.message,
            remediation: policy.remediation,
            location,
            origin: entity.origin,
            fingerprint: findingFingerprint({
              policyId: policy.id,
              entityId: entity.id,
              ...(routeKey !== undefined ? { routeKey } : {}),
              ...lineTextOf(options, location),
            }),
            ...(suppressed ? { suppressed } : {}),
          });
          break;
        }
      }
    }
  }
  // Read after every check: unused suppressions are known only once all findings are decided.
  diagnostics.push(...suppressions.diagnostics, ...suppressions.unused());
  return { findings, unevaluated, counts, diagnostics };
}

function lineTextOf(options: EvaluationOptions, location: SourceLocation): { lineText?: string } {
  const text = options.lineText?.(location.file, location.startLine);
  return text === undefined ? {} : { lineText: text };
}

type Decision =
  | { readonly outcome: Exclude<Outcome, 'fail' | 'unknown'> }
  | { readonly outcome: 'fail'; readonly severity: Severity; readonly message: string }
  | { readonly outcome: 'unknown' | 'error'; readonly reason: string };

function decide(policy: Policy, context: Record<string, unknown>): Decision {
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
  for (const variant of compiled.variants) {
    const when = run(variant.when, context, '');
    // A variant whose condition cannot be decided keeps the policy's base severity.
    if ('value' in when && when.value === true) {
      return { outcome: 'fail', severity: variant.severity, message: render(variant.message ?? compiled.message, context) };
    }
  }
  return { outcome: 'fail', severity: policy.severity, message: render(compiled.message, context) };
}
