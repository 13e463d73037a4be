import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { adaptAwsTerraform } from '../terraform/index.js';
import { adviceFor } from './errors.js';
import type { LiveProblem, RawRegion } from './raw.js';
import { translateLiveRegion } from './translate.js';

export type { RawRegion } from './raw.js';

/** The diagnostic for one thing a region's audit could not read. */
function problemDiagnostic(problem: LiveProblem, raw: RawRegion): Diagnostic {
  const address = problem.resource !== undefined ? { address: problem.resource } : {};
  switch (problem.kind) {
    case 'limit':
      return limitDiagnostic({ name: problem.limit, limit: problem.value, found: problem.found, what: problem.what, ...address });
    case 'loop':
      // Not a limit: no value of one would let the listing end. The endpoint is at fault.
      return {
        severity: 'error',
        code: 'read-error',
        message: `${problem.operation} in ${raw.region} of account ${raw.account} returned the page token "${problem.token}" a second time, so the listing would never end; it was stopped after ${problem.itemsRead} items and the rest is not audited. API Gateway does not do this: check --endpoint-url, or report it to AWS support`,
        ...address,
      };
    case 'call-failed':
      return {
        severity: 'error',
        code: 'read-error',
        message: `${problem.operation} failed in ${raw.region} of account ${raw.account}: ${problem.error}: ${problem.message}; what it reads is not audited. ${adviceFor(problem, raw.region, raw.partition)}`,
        ...address,
      };
  }
}

/**
 * Turns one region of a live account into the common model: the objects are translated to the
 * Terraform shapes of the same API Gateway objects and read by the one AWS adapter, so an audit and
 * a scan of the code that created the API agree. Failed calls, listings stopped by a limit or a
 * loop become errors: the audit is incomplete. Pure: no I/O.
 */
export function adaptAwsLive(raw: RawRegion): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const adapted = adaptAwsTerraform(translateLiveRegion(raw), raw.account);
  return { entities: adapted.entities, diagnostics: [...raw.problems.map((problem) => problemDiagnostic(problem, raw)), ...adapted.diagnostics] };
}
