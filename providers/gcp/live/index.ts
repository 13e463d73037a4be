import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { adaptGcpTerraform } from '../terraform/index.js';
import { adviceFor } from './errors.js';
import type { LiveProblem, RawProject } from './raw.js';
import { translateLiveProject } from './translate.js';

export type { RawProject } from './raw.js';

/** Whether a problem is an API not enabled in a project that was found, not named: nothing of it can be audited or exist there. */
export function isNotEnabled(problem: LiveProblem): boolean {
  return problem.kind === 'call-failed' && problem.failure.errorClass === 'disabled' && problem.api !== 'apikeys.googleapis.com';
}

/** The diagnostic for one thing a project's audit could not read. */
function problemDiagnostic(problem: LiveProblem, raw: RawProject, explicit: boolean): Diagnostic {
  const address = problem.resource !== undefined ? { address: problem.resource } : {};
  switch (problem.kind) {
    case 'limit':
      return limitDiagnostic({ name: problem.limit, limit: problem.value, found: problem.found, what: problem.what, ...address });
    case 'loop':
      return { severity: 'error', code: 'read-error', message: `${problem.operation} in project ${raw.project} returned the page token "${problem.token}" a second time, so the listing would never end; it was stopped after ${problem.itemsRead} items and the rest is not audited. Google APIs do not do this: check --endpoint-url`, ...address };
    case 'not-read':
      return { severity: 'warning', code: 'not-scanned', message: problem.message, address: problem.resource };
    case 'call-failed': {
      const { failure } = problem;
      const what = failure.status !== undefined ? `${failure.error} (HTTP ${failure.status})` : failure.error;
      const message = `${problem.operation} failed in project ${raw.project}: ${what}: ${failure.message}; what it reads is not audited. ${adviceFor(failure, problem.api, raw.project, problem.permission)}`;
      // API Gateway or Service Management not enabled in a project found by the search: no API
      // can exist there, so the audit is not missing anything. In a project named with --project,
      // the user expected APIs: an error.
      if (!explicit && isNotEnabled(problem)) return { severity: 'info', code: 'not-scanned', message: `${problem.api} is not enabled in project ${raw.project}; it was skipped`, ...address };
      // Keys can outlive the API Keys API being enabled, so they are named; but an organization's
      // projects mostly do not enable it, and an audit of them all would never be complete.
      if (!explicit && problem.failure.errorClass === 'disabled') return { severity: 'warning', code: 'not-scanned', message, ...address };
      return { severity: 'error', code: 'read-error', message, ...address };
    }
  }
}

/**
 * Turns one live project into the common model: its objects are translated to the Terraform shapes
 * of the same objects and read by the one GCP adapter, so that an audit and a scan of the code (or
 * the OpenAPI document) that created them agree. Failed calls and bounded listings become
 * diagnostics. `explicit`: the project was named with --project. Pure: no I/O.
 */
export function adaptGcpLive(raw: RawProject, explicit: boolean): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const adapted = adaptGcpTerraform(translateLiveProject(raw));
  return { entities: adapted.entities, diagnostics: [...raw.problems.map((problem) => problemDiagnostic(problem, raw, explicit)), ...adapted.diagnostics] };
}
