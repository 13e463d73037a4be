import { createHash } from 'node:crypto';

/** What a finding's fingerprint is made of; never its line number. */
export interface FingerprintInput {
  readonly policyId: string;
  /** The entity's id: its address, prefixed with the root module, stack or plan it was read from. */
  readonly entityId: string;
  readonly routeKey?: string;
  /** The text of the line the finding points at, if the source is a file that could be read. */
  readonly lineText?: string;
}

/** Bumped if the recipe changes, so old baselines are recognised as such rather than silently ignored. */
export const FINGERPRINT_VERSION = 1;

/**
 * A stable identity for a finding across runs, for baselines and SARIF `partialFingerprints`. It
 * hashes the policy, the entity and route, and the line at fault with whitespace collapsed: code added
 * above a finding or reformatted around it keeps the fingerprint, while a changed value on the
 * offending line (another origin, another authorization type) makes it a new finding.
 */
export function findingFingerprint(input: FingerprintInput): string {
  const content = normaliseLine(input.lineText ?? '');
  return createHash('sha256')
    .update(JSON.stringify([FINGERPRINT_VERSION, input.policyId, input.entityId, input.routeKey ?? '', content]))
    .digest('hex')
    .slice(0, 32);
}

/** Collapses whitespace and drops a trailing `gatewarden:ignore` comment, which does not change what the line configures. */
export function normaliseLine(line: string): string {
  const ignore = line.search(/(#|\/\/|<!--)\s*gatewarden:ignore\b/);
  const code = ignore >= 0 ? line.slice(0, ignore) : line;
  return code.replace(/\s+/g, ' ').trim();
}
