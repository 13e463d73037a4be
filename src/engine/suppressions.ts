import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity, Suppression } from '../model/entities.js';
import type { SourceLocation } from '../model/location.js';
import type { FindingSuppression } from './types.js';

/** A suppression with the block it is written in: it covers findings on that block's entities and inside it. */
interface Scope {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly suppression: Suppression;
  readonly address: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Decides which findings inline suppressions accept. A suppression written on a resource applies to
 * findings on the entities made from that resource and to findings reported inside its block (a
 * throttling finding on a route that points at the stage is suppressed on the stage, where the user
 * reads it). Expired, malformed and reasonless suppressions, and those naming no policy, are reported once each.
 */
export class SuppressionIndex {
  private readonly scopes: Scope[] = [];
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    entities: readonly Entity[],
    private readonly policyIds: ReadonlySet<string>,
    /** `YYYY-MM-DD`: a suppression is in force through its `until` day. */
    private readonly today: string,
  ) {
    const seen = new Set<string>();
    for (const entity of entities) {
      for (const suppression of entity.suppressions ?? []) {
        this.scopes.push({ file: entity.location.file, startLine: entity.location.startLine, endLine: entity.location.endLine, suppression, address: entity.address });
        const key = locationKey(suppression.location);
        if (seen.has(key)) continue;
        seen.add(key);
        this.check(suppression, entity.address);
      }
    }
  }

  /** The suppression that accepts `policyId` on `entity` reported at `location`, if one is in force. */
  find(entity: Entity, policyId: string, location: SourceLocation): FindingSuppression | undefined {
    const own = (entity.suppressions ?? []).filter((suppression) => suppression.policyId === policyId);
    const enclosing = this.scopes
      .filter((scope) => scope.suppression.policyId === policyId && scope.file === location.file && scope.startLine <= location.startLine && location.startLine <= scope.endLine)
      .map((scope) => scope.suppression);
    for (const suppression of [...own, ...enclosing]) {
      if (!this.inForce(suppression)) continue;
      return {
        ...(suppression.reason !== undefined ? { reason: suppression.reason } : {}),
        ...(suppression.until !== undefined ? { until: suppression.until } : {}),
        location: suppression.location,
      };
    }
    return undefined;
  }

  private inForce(suppression: Suppression): boolean {
    if (suppression.until === undefined) return true;
    return ISO_DATE.test(suppression.until) && suppression.until >= this.today;
  }

  /** Problems with a suppression as written, reported whether or not it ever matches a finding. */
  private check(suppression: Suppression, address: string): void {
    const warn = (message: string): void => {
      this.diagnostics.push({ severity: 'warning', code: 'unsupported', message, location: suppression.location, address });
    };
    const what = `the suppression of ${suppression.policyId} on ${address}`;
    if (!this.policyIds.has(suppression.policyId)) warn(`${what} names no loaded policy; check the id against docs/policies.md or your --policies directory`);
    if (suppression.until !== undefined && !ISO_DATE.test(suppression.until)) {
      warn(`${what} has an expiry "${suppression.until}" that is not a date (YYYY-MM-DD); it does not apply`);
    } else if (suppression.until !== undefined && suppression.until < this.today) {
      warn(`${what} expired on ${suppression.until}; its findings are reported again`);
    }
    if (suppression.reason === undefined) warn(`${what} gives no reason; write why the risk is accepted`);
  }
}

function locationKey(location: SourceLocation): string {
  return `${location.file}:${location.startLine}:${location.startColumn}`;
}
