import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity, Suppression } from '../model/entities.js';
import type { SourceLocation } from '../model/location.js';
import type { CommentSuppression } from '../model/findings.js';
import type { FindingSuppression, SuppressionKind } from '../model/findings.js';

/** A suppression with the lines it covers: findings there, and entities whose block starts there. */
interface Scope {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly suppression: Suppression;
  /**
   * Whether entities whose block starts inside the scope are covered too. True for comments, whose
   * scope is the block below them; false for a resource's own suppressions, whose range may end on the
   * line where the next resource starts (YAML node ranges do).
   */
  readonly coversEntities: boolean;
}

/** A suppression of the config file, as the engine needs it (the config module matches addresses). */
export interface ExternalSuppression {
  readonly reason?: string;
  readonly until?: string;
  readonly location: SourceLocation;
}

/** The config file's suppressions, as the engine asks for them. */
export interface ExternalSuppressionMatcher {
  /** The suppression of a finding, if any; expiry is decided by the index. */
  find(finding: { readonly policyId: string; readonly address: string; readonly file: string }): ExternalSuppression | undefined;
  /**
   * After evaluation: suppressions in force that accepted nothing, as information; none of the
   * policies in `undecided`, which did not decide every entity (a finding may be behind an unknown).
   */
  unused(undecided: ReadonlySet<string>): Diagnostic[];
}

/** Where suppressions come from, besides those the adapters put on entities. */
export interface SuppressionSources {
  /** `gatewarden:ignore` comments of the files scanned. */
  readonly comments?: readonly CommentSuppression[];
  /** Suppressions by policy and address in `.gatewarden.yaml`. */
  readonly external?: ExternalSuppressionMatcher;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Decides which findings suppressions accept. Suppressions written next to the code (CloudFormation
 * `Metadata`, OpenAPI `x-gatewarden-ignore`, `gatewarden:ignore` comments) cover a block of lines: a
 * finding reported inside it, or on an entity whose block starts inside it, is accepted (a throttling
 * finding on a route that points at the stage is suppressed on the stage, where the user reads it).
 * Suppressions of the config file match by policy and address. Expired, malformed and reasonless
 * suppressions, and those naming no loaded policy, are reported once each.
 */
export class SuppressionIndex {
  /** Scopes by policy id: a finding only ever looks at its own policy's. */
  private readonly scopes = new Map<string, Scope[]>();
  /**
   * Written suppressions (by {@link writtenKey}) that accepted at least one finding. By key, not by
   * object: one written suppression stands on every entity it covers (a document-wide
   * `x-gatewarden-ignore` on each route), and used by one is used.
   */
  private readonly used = new Set<string>();
  /** Written suppressions worth checking for use: valid, in force, for a loaded policy. */
  private readonly candidates = new Map<string, { readonly suppression: Suppression; readonly where: string }>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    entities: readonly Entity[],
    private readonly policyIds: ReadonlySet<string>,
    /** `YYYY-MM-DD`: a suppression is in force through its `until` day. */
    private readonly today: string,
    private readonly sources: SuppressionSources = {},
  ) {
    const seen = new Set<string>();
    for (const entity of entities) {
      for (const suppression of entity.suppressions ?? []) {
        this.addScope({ file: entity.location.file, startLine: entity.location.startLine, endLine: entity.location.endLine, suppression, coversEntities: false });
        const key = writtenKey(suppression);
        if (seen.has(key)) continue;
        seen.add(key);
        if (this.check(suppression, `on ${entity.address}`, entity.address)) this.candidates.set(key, { suppression, where: `on ${entity.address}` });
      }
    }
    for (const comment of sources.comments ?? []) {
      const where = `in the comment at ${comment.location.file}:${comment.location.startLine}`;
      if ('error' in comment.directive) {
        this.warn(`the gatewarden:ignore comment at ${comment.location.file}:${comment.location.startLine} is ignored: ${comment.directive.error}`, comment.location);
        continue;
      }
      if (comment.scope === undefined) {
        this.warn(`the gatewarden:ignore comment at ${comment.location.file}:${comment.location.startLine} is followed by nothing it could apply to; put it on or above the block`, comment.location);
        continue;
      }
      for (const policyId of comment.directive.policyIds) {
        const suppression: Suppression = {
          policyId,
          ...(comment.directive.reason !== undefined ? { reason: comment.directive.reason } : {}),
          ...(comment.directive.until !== undefined ? { until: comment.directive.until } : {}),
          location: comment.location,
        };
        this.addScope({ file: comment.location.file, ...comment.scope, suppression, coversEntities: true });
        if (this.check(suppression, where)) this.candidates.set(writtenKey(suppression), { suppression, where });
      }
    }
  }

  /** The suppression that accepts `policyId` on `entity` reported at `location`, if one is in force. */
  find(entity: Entity, policyId: string, location: SourceLocation): FindingSuppression | undefined {
    const within = (scope: Scope, file: string, line: number): boolean => scope.file === file && scope.startLine <= line && line <= scope.endLine;
    const own = (entity.suppressions ?? []).filter((suppression) => suppression.policyId === policyId);
    const enclosing = (this.scopes.get(policyId) ?? [])
      .filter((scope) => within(scope, location.file, location.startLine) || (scope.coversEntities && within(scope, entity.location.file, entity.location.startLine)))
      .map((scope) => scope.suppression);
    for (const suppression of [...own, ...enclosing]) {
      if (suppression.invalid === undefined && this.inForce(suppression.until)) {
        this.used.add(writtenKey(suppression));
        return accepted('in-source', suppression);
      }
    }
    const external = this.sources.external?.find({ policyId, address: entity.address, file: location.file });
    if (external && this.inForce(external.until)) return accepted('config', external);
    return undefined;
  }

  /**
   * Suppressions in force that accepted nothing: the finding was fixed, or the suppression is not on
   * the block it means. Information, not a warning: a stale suppression hides nothing, but it would
   * silently accept the next mistake written in its place.
   */
  unused(undecided: ReadonlySet<string> = new Set()): Diagnostic[] {
    // A policy stopped by its budget, or with checks left unknown, may have had the very finding a
    // suppression accepts: telling to remove it would be wrong advice.
    const out: Diagnostic[] = [...this.candidates]
      .filter(([key, { suppression }]) => !this.used.has(key) && !undecided.has(suppression.policyId))
      .map(([, { suppression, where }]) => ({
        severity: 'info',
        code: 'suppression',
        message: `the suppression of ${suppression.policyId} ${where} accepted no finding: the finding is fixed, or the suppression is not on the block it means; remove or move it`,
        location: suppression.location,
      }));
    return [...out, ...(this.sources.external?.unused(undecided) ?? [])];
  }

  private addScope(scope: Scope): void {
    const list = this.scopes.get(scope.suppression.policyId);
    if (list) list.push(scope);
    else this.scopes.set(scope.suppression.policyId, [scope]);
  }

  private inForce(until: string | undefined): boolean {
    if (until === undefined) return true;
    return ISO_DATE.test(until) && until >= this.today;
  }

  private warn(message: string, location: SourceLocation, address?: string): void {
    this.diagnostics.push({ severity: 'warning', code: 'suppression', message, location, ...(address !== undefined ? { address } : {}) });
  }

  /**
   * Problems with a suppression as written, reported whether or not it ever matches a finding. True
   * when it has none and is in force (so whether it is used is worth saying).
   */
  private check(suppression: Suppression, where: string, address?: string): boolean {
    const what = `the suppression of ${suppression.policyId} ${where}`;
    const warn = (message: string): void => this.warn(message, suppression.location, address);
    if (suppression.invalid !== undefined) {
      warn(`a suppression ${where} is ignored: ${suppression.invalid}`);
      return false;
    }
    if (!this.policyIds.has(suppression.policyId)) warn(`${what} names no loaded policy; check the id with "gatewarden policies list"`);
    if (suppression.until !== undefined && !ISO_DATE.test(suppression.until)) {
      warn(`${what} has an expiry "${suppression.until}" that is not a date (YYYY-MM-DD); it does not apply`);
    } else if (suppression.until !== undefined && suppression.until < this.today) {
      warn(`${what} expired on ${suppression.until}; its findings are reported again`);
    }
    if (suppression.reason === undefined) warn(`${what} gives no reason; write why the risk is accepted`);
    return this.policyIds.has(suppression.policyId) && this.inForce(suppression.until);
  }
}

function accepted(kind: SuppressionKind, suppression: { reason?: string; until?: string; location: SourceLocation }): FindingSuppression {
  return {
    kind,
    ...(suppression.reason !== undefined ? { reason: suppression.reason } : {}),
    ...(suppression.until !== undefined ? { until: suppression.until } : {}),
    location: suppression.location,
  };
}

/** A written suppression: where it is written and which policy it names. */
function writtenKey(suppression: Suppression): string {
  const { location } = suppression;
  return `${location.file}:${location.startLine}:${location.startColumn}|${suppression.policyId}`;
}
