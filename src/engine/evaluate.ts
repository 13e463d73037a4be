import { DEFAULT_LIMITS, formatLimit, limitDiagnostic, withLimits, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity, EntityKind, Gateway, Route } from '../model/entities.js';
import { lineLocation, type SourceLocation } from '../model/location.js';
import { ENTITY_SCHEMAS } from '../model/schema.js';
import { Unknown } from '../model/unknown.js';
import { decideAll, deepFreeze } from './decide.js';
import { findingFingerprint } from './fingerprint.js';
import { groupKey, groupedFinding, groupedUnknown, unknownGroupKey, type GroupMember, type UnknownMember } from './group.js';
import type { Policy } from './policy.js';
import { evaluateInChild, policyWorkerFile, stoppedBetween, type PolicyOutcome } from './policy-process.js';
import { SuppressionIndex, type SuppressionSources } from './suppressions.js';
import { remediationFor, type Finding, type FindingGateway, type OutcomeCounts, type PolicyChecks, type UnevaluatedCheck } from '../model/findings.js';
import { pushAll } from '../arrays.js';

/** The result of evaluating policies over an inventory. */
export interface EvaluationResult {
  readonly findings: readonly Finding[];
  readonly unevaluated: readonly UnevaluatedCheck[];
  readonly counts: OutcomeCounts;
  /** The checks of each policy by id, for compliance by framework (every policy given has an entry). */
  readonly policyChecks: ReadonlyMap<string, PolicyChecks>;
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
    // It is the API outside the scan that the entity belongs to: messages say so (message-names.ts).
    standIn: 'api-outside-scan',
  };
}

export { deepFreeze } from './decide.js';

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
  /**
   * When the evaluation happens: the date suppressions' `until` is compared with, and the instant
   * policies read as `now` (ages); the current time by default.
   */
  readonly today?: Date;
  /**
   * The text of a line of a scanned file (path relative to the scan root, 1-based line), for
   * fingerprints; undefined when the file cannot be read (a live resource, say).
   */
  readonly lineText?: (file: string, line: number) => string | undefined;
  /** Suppressions besides those on entities: comments in the files, the config file's. */
  readonly suppressions?: SuppressionSources;
  /**
   * The limits in force (`resolveLimits()` in settings.ts); the defaults for those not given. This
   * step reads `policy-time` (every policy) and `policy-memory` (the process of the user's policies).
   */
  readonly limits?: Partial<Limits>;
}

// The main process reads the clock every this many entities: often enough that a built-in policy
// stops within a few milliseconds of its time, rarely enough to cost nothing.
const CLOCK_EVERY = 16;

/**
 * Evaluates every policy against every entity of its kind. Outcomes: pass, fail (a finding), not
 * applicable (`match.where` false; never counted as a pass), unknown (the expression read an Unknown:
 * listed, not a finding). The model is frozen first, so policies cannot change it.
 *
 * Each policy has a budget: the `policy-time` limit over all its entities, and, for policies that
 * are not built in (`builtIn: false`, such as those of `--policies`), the `policy-memory` limit. The
 * user's policies run in a child process (recompiled there from their texts), so that one stuck in a
 * single evaluation can be stopped and one that fills its memory ends only that process. A policy over its budget reports nothing but an
 * `evaluation-error` naming it and the limit, and the others are evaluated as usual.
 *
 * Asynchronous since the budget was added: the child's answers are awaited.
 *
 * A policy with `group: { by: setting }` is decided per route (or API) like any other; its failures
 * on routes whose field at fault has the same owner (`fieldOwners`: a stage's stage-wide throttling),
 * or on APIs whose service setting is at fault, are then one finding on the owner listing the
 * members (see group.ts), suppressed as a member's own suppression or the owner's says.
 */
export async function evaluatePolicies(entities: readonly Entity[], policies: readonly Policy[], options: EvaluationOptions = {}): Promise<EvaluationResult> {
  // One instant for the whole evaluation: every policy that reads `now` (a key's age) sees the same time.
  const now = options.today ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const limits = withLimits(DEFAULT_LIMITS, options.limits);
  deepFreeze(entities);
  const findings: Finding[] = [];
  const unevaluated: UnevaluatedCheck[] = [];
  const diagnostics: Diagnostic[] = [];
  const counts = { checks: 0, passed: 0, failed: 0, notApplicable: 0, unknown: 0, errors: 0 };
  const gatewayOf = gatewayResolver(entities);
  const policyChecks = new Map<string, PolicyChecks>();
  // What a finding says of its gateway, computed once per entity: every policy of its kind asks.
  const findingGateways = new Map<Entity, FindingGateway | null>();
  const findingGatewayOf = (entity: Entity): FindingGateway | undefined => {
    let known = findingGateways.get(entity);
    if (known === undefined) {
      const gateway = gatewayOf(entity);
      known = gateway ? { id: gateway.id, ...(typeof gateway.name === 'string' ? { name: gateway.name } : {}) } : null;
      findingGateways.set(entity, known);
    }
    return known ?? undefined;
  };
  const entityById = new Map(entities.map((entity) => [entity.id, entity]));
  const byKind = new Map<EntityKind, Entity[]>();
  for (const entity of entities) {
    const list = byKind.get(entity.kind);
    if (list) list.push(entity);
    else byKind.set(entity.kind, [entity]);
  }
  // One context per entity, shared by the policies of its kind.
  const contexts = new Map<EntityKind, Array<Record<string, unknown>>>();
  for (const kind of new Set(policies.map((policy) => policy.match.kind))) {
    const variable = ENTITY_SCHEMAS[kind].variable;
    contexts.set(
      kind,
      (byKind.get(kind) ?? []).map((entity) => (kind === 'gateway' ? { [variable]: entity, now } : { [variable]: entity, gateway: gatewayOf(entity) ?? missingGateway(entity), now })),
    );
  }
  const suppressions = new SuppressionIndex(entities, new Set(policies.map((policy) => policy.id)), today, options.suppressions);

  const outcomes = new Map<Policy, PolicyOutcome>();
  /** Policies that did not decide every entity: a suppression of theirs that accepted nothing may yet be needed. */
  const undecided = new Set<string>();
  const isolated = policies.filter((policy) => !policy.builtIn);
  const workerFile = isolated.length > 0 ? policyWorkerFile() : undefined;
  // Started before the built-in policies run, so that the child starts while they do; it is given
  // a policy to run (and its time starts) only once they are done and this process is free to watch.
  const childOutcomes = workerFile !== undefined ? evaluateInChild(workerFile, isolated, contexts, { timeMs: limits['policy-time'], memoryBytes: limits['policy-memory'] }) : undefined;
  for (const policy of policies) {
    // Without the compiled child entry (TypeScript sources never built) the user's policies run
    // here too, within their time between two entities but with no stop inside one.
    if (policy.builtIn || workerFile === undefined) outcomes.set(policy, inProcess(policy, contexts.get(policy.match.kind) ?? [], limits['policy-time']));
  }
  if (childOutcomes) (await childOutcomes).forEach((outcome, index) => outcomes.set(isolated[index]!, outcome));

  for (const policy of policies) {
    const kind = policy.match.kind;
    const list = byKind.get(kind) ?? [];
    const outcome = outcomes.get(policy)!;
    if (!('decisions' in outcome)) {
      // Part of a policy's results, cut where the clock happened to stop it, would differ from run to
      // run: none are reported, and every check of the policy counts as an error.
      counts.checks += list.length;
      counts.errors += list.length;
      policyChecks.set(policy.id, { evaluated: list.length, passed: 0, failed: 0, unknown: 0, errors: list.length });
      diagnostics.push(budgetDiagnostic(policy, outcome, list, limits));
      undecided.add(policy.id);
      continue;
    }
    const reportedErrors = new Set<string>();
    // The policy's findings in entity order; a group takes the place of its first member.
    const ordered: Array<Finding | { readonly group: string }> = [];
    const groups = new Map<string, GroupMember[]>();
    // Unknown checks in entity order; a group of them takes the place of its first member.
    const orderedUnknown: Array<UnevaluatedCheck | { readonly group: string }> = [];
    const unknownGroups = new Map<string, UnknownMember[]>();
    // The owner of the field at fault of a grouping policy (see fieldOwners): an owner that is neither
    // in the inventory nor described by the member cannot carry a grouped result.
    const ownerOf = (entity: Entity): Entity | undefined => {
      const ownerId = policy.group && policy.location && (entity.kind === 'route' || entity.kind === 'gateway') ? entity.fieldOwners?.[policy.location] : undefined;
      return ownerId === undefined ? undefined : (entityById.get(ownerId) ?? ownerOutsideInventory(entity, ownerId));
    };
    const checks = { evaluated: 0, passed: 0, failed: 0, unknown: 0, errors: 0 };
    list.forEach((entity, index) => {
      counts.checks++;
      const decision = outcome.decisions[index]!;
      if (decision.outcome !== 'not-applicable') checks.evaluated++;
      const gateway = findingGatewayOf(entity);
      const inGateway = gateway !== undefined ? { gateway } : {};
      const location = (policy.location ? entity.fieldLocations[policy.location] : undefined) ?? entity.location;
      const routeKey = entity.kind === 'route' ? (entity as Route).key : undefined;
      const related = policy.location ? entity.fieldRelated?.[policy.location] : undefined;
      const standIn = entity.standIn !== undefined ? { standIn: entity.standIn } : {};
      switch (decision.outcome) {
        case 'pass':
          counts.passed++;
          checks.passed++;
          break;
        case 'not-applicable':
          counts.notApplicable++;
          break;
        case 'unknown': {
          counts.unknown++;
          checks.unknown++;
          undecided.add(policy.id);
          const check: UnevaluatedCheck = {
            policyId: policy.id,
            entityKind: kind,
            entityId: entity.id,
            address: entity.address,
            ...(routeKey !== undefined ? { routeKey } : {}),
            reason: decision.reason,
            location,
            ...standIn,
            ...inGateway,
          };
          // A setting of the owner that is unknown (a service's TLS flag from a variable without a
          // value) is one unknown check on the owner, listing its members, as its finding would be.
          const owner = ownerOf(entity);
          if (owner === undefined) {
            orderedUnknown.push(check);
            break;
          }
          const member: UnknownMember = { check, route: entity as Route | Gateway, owner };
          joinGroup(unknownGroups, orderedUnknown, unknownGroupKey(member), member);
          break;
        }
        case 'error': {
          counts.errors++;
          checks.errors++;
          undecided.add(policy.id);
          if (!reportedErrors.has(decision.reason)) {
            reportedErrors.add(decision.reason);
            diagnostics.push({
              severity: 'error',
              code: 'evaluation-error',
              message: `policy ${policy.id} could not be evaluated on ${entity.address}: ${decision.reason} (fix the policy's expression, e.g. guard optional fields with has())`,
              location: lineLocation(policy.file, 1),
              address: entity.address,
            });
          }
          break;
        }
        case 'fail': {
          counts.failed++;
          checks.failed++;
          const suppressed = suppressions.find(entity, policy.id, location);
          const finding: Finding = {
            policyId: policy.id,
            title: policy.title,
            severity: decision.severity,
            category: policy.category,
            provider: entity.provider,
            entityKind: kind,
            entityId: entity.id,
            address: entity.address,
            modulePath: entity.modulePath,
            ...(entity.construct !== undefined ? { construct: entity.construct } : {}),
            ...(routeKey !== undefined ? { routeKey } : {}),
            message: decision.message,
            // The entity's provider's own text: an Azure finding never suggests an AWS authorizer.
            remediation: remediationFor(policy, entity.provider),
            location,
            ...(related !== undefined && related.length > 0 ? { related } : {}),
            ...standIn,
            origin: entity.origin,
            ...inGateway,
            fingerprint: findingFingerprint({
              policyId: policy.id,
              entityId: entity.id,
              ...(routeKey !== undefined ? { routeKey } : {}),
              ...lineTextOf(options, location),
            }),
            ...(suppressed ? { suppressed } : {}),
          };
          // Without an owner that can carry the finding, the member keeps its own.
          const owner = ownerOf(entity);
          if (owner === undefined || decision.groupMessage === undefined) {
            ordered.push(finding);
            break;
          }
          const member = { finding, route: entity as Route | Gateway, owner, variant: decision.variant, groupMessage: decision.groupMessage };
          joinGroup(groups, ordered, groupKey(member), member);
          break;
        }
      }
    });
    policyChecks.set(policy.id, checks);
    for (const item of orderedUnknown) unevaluated.push('group' in item ? groupedUnknown(unknownGroups.get(item.group)!) : item);
    for (const item of ordered) {
      if (!('group' in item)) {
        findings.push(item);
        continue;
      }
      const members = groups.get(item.group)!;
      const { owner, finding } = members[0]!;
      // What accepts the finding on its owner (a comment on the stage, a config entry naming it),
      // for members none of whose own suppressions did.
      const ownerSuppression = finding.suppressed ? undefined : suppressions.find(owner, policy.id, finding.location);
      findings.push(
        groupedFinding(
          members,
          (entityId) => findingFingerprint({ policyId: policy.id, entityId, ...lineTextOf(options, finding.location) }),
          ownerSuppression,
        ),
      );
    }
  }
  // Read after every check: unused suppressions are known only once all findings are decided.
  pushAll(diagnostics, suppressions.diagnostics);
  pushAll(diagnostics, suppressions.unused(undecided));
  return { findings, unevaluated, counts, policyChecks, diagnostics };
}

/**
 * The owner of a member's field that is no entity of the inventory, as the member describes it
 * (`fieldOwnerEntities`: the API Management service of an API), as an entity of the member's kind
 * that carries the group's finding; undefined when the member does not describe it.
 */
function ownerOutsideInventory(member: Entity, ownerId: string): Entity | undefined {
  const owner = member.fieldOwnerEntities?.[ownerId];
  if (owner === undefined || member.kind !== 'gateway') return undefined;
  return {
    kind: 'gateway',
    id: ownerId,
    provider: member.provider,
    origin: member.origin,
    parentId: null,
    address: owner.address,
    modulePath: owner.modulePath,
    location: owner.location,
    fieldLocations: {},
    ...(owner.suppressions !== undefined ? { suppressions: owner.suppressions } : {}),
    name: owner.name ?? owner.address,
    protocol: member.protocol,
    endpointType: member.endpointType,
    definedByOpenApi: false,
  };
}

/**
 * Adds a member to its group, and holds the group's place in `ordered` at its first member, so that
 * the grouped finding or unknown check stands where the first of them would have.
 */
function joinGroup<M, T>(groups: Map<string, M[]>, ordered: Array<T | { readonly group: string }>, key: string, member: M): void {
  const group = groups.get(key);
  if (group) group.push(member);
  else {
    groups.set(key, [member]);
    ordered.push({ group: key });
  }
}

/** Decides a policy in this process, within its time (checked between entities). */
function inProcess(policy: Policy, contexts: ReadonlyArray<Record<string, unknown>>, timeMs: number): PolicyOutcome {
  const run = decideAll(policy, contexts, performance.now() + timeMs, CLOCK_EVERY);
  return 'decisions' in run ? run : stoppedBetween(run);
}

/**
 * The `evaluation-error` of a policy stopped by its budget (worded by {@link limitDiagnostic}: which
 * limit, how to raise it) or whose process failed. It names the policy and, when known, the entity
 * it was deciding.
 */
function budgetDiagnostic(policy: Policy, outcome: Exclude<PolicyOutcome, { decisions: unknown }>, entities: readonly Entity[], limits: Limits): Diagnostic {
  const location = lineLocation(policy.file, 1);
  const entity = 'at' in outcome ? entities[outcome.at] : undefined;
  const on = entity ? ` on ${entity.address}${entity.kind === 'route' ? ` (${(entity as Route).key})` : ''}` : '';
  const address = entity ? { address: entity.address } : {};
  if ('failed' in outcome) {
    return { severity: 'error', code: 'evaluation-error', message: `policy ${policy.id} could not be evaluated: ${outcome.failed}; it reports nothing in this run`, location, ...address };
  }
  const kinds = `${entities.length} ${policy.match.kind}${entities.length === 1 ? '' : 's'}`;
  const what =
    outcome.stopped === 'policy-time'
      ? `policy ${policy.id} was stopped after ${formatLimit('policy-time', limits['policy-time'])}${on}, with ${outcome.decided} of ${kinds} decided; it reports nothing in this run`
      : outcome.at < 0
        ? `policy ${policy.id} was not evaluated: the process of the user's policies ran out of memory while receiving the ${kinds} it reads`
        : `policy ${policy.id} ran out of memory${on} and was stopped, with ${outcome.decided} of ${kinds} decided; it reports nothing in this run`;
  const name = outcome.stopped;
  return { ...limitDiagnostic({ name, limit: limits[name], what, location, ...address }), code: 'evaluation-error' };
}

function lineTextOf(options: EvaluationOptions, location: SourceLocation): { lineText?: string } {
  const text = options.lineText?.(location.file, location.startLine);
  return text === undefined ? {} : { lineText: text };
}

