import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { adaptAzureTerraform } from '../terraform/index.js';
import type { AzureCloud } from './clouds.js';
import { adviceFor } from './errors.js';
import type { AzureProblem, RawInstance } from './raw.js';
import { translateLiveInstance } from './translate.js';

export type { RawInstance } from './raw.js';

/** The diagnostic for one thing an instance's audit could not read. */
export function problemDiagnostic(problem: AzureProblem, instance: string, endpoint: string): Diagnostic {
  const address = { address: problem.resource };
  switch (problem.kind) {
    case 'limit':
      return limitDiagnostic({ name: problem.limit, limit: problem.value, found: problem.found, what: `${problem.operation}: ${problem.what}; API Management instance ${instance} is not audited`, ...address });
    case 'loop':
      return {
        severity: 'error',
        code: 'read-error',
        message: `${problem.operation} returned the same nextLink a second time, so the listing would never end; it was stopped after ${problem.itemsRead} items and API Management instance ${instance} is not audited. Resource Manager does not do this: check --endpoint-url`,
        ...address,
      };
    case 'call-failed': {
      const status = problem.status !== undefined ? `HTTP ${problem.status}, ` : '';
      return {
        severity: 'error',
        code: 'read-error',
        message: `reading ${problem.operation} failed (${status}${problem.code}): ${problem.message}; API Management instance ${instance} is not audited: ${adviceFor(problem, endpoint)}`,
        ...address,
      };
    }
  }
}

/**
 * Turns one API Management instance read from Resource Manager into the common model, through the
 * translation of ARM templates and the one API Management adapter, so that an audit and a scan of
 * the template (or Terraform) that created the instance give the same entities. Entities are named
 * by resource id. Pure: no I/O. The caller decides what to do with an instance that has problems.
 */
export function adaptAzureLive(raw: RawInstance, cloud: AzureCloud): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const translated = translateLiveInstance(raw, cloud);
  const adapted = adaptAzureTerraform(translated.resources, '');
  return { entities: adapted.entities, diagnostics: [...translated.diagnostics, ...adapted.diagnostics] };
}
