import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { adaptAwsTerraform } from '../terraform/index.js';
import type { LiveProblem, RawRegion } from './raw.js';
import { translateLiveRegion } from './translate.js';

export type { RawRegion } from './raw.js';

/** What to do about a failed call, by the service's error name. */
function hintFor(problem: LiveProblem, region: string): string {
  if (/AccessDenied|Unauthorized|Forbidden/i.test(problem.error)) {
    return `grant apigateway:GET on arn:aws:apigateway:${region}::/* to the audit's role (docs/audit-aws.md has the policy)`;
  }
  if (problem.error === 'UnrecognizedClientException' || problem.error === 'InvalidSignatureException') {
    return 'the region may not be enabled for the account, or the credentials are not valid there';
  }
  if (problem.error === 'TooManyRequestsException') return 'API Gateway kept throttling after retries; run the audit again, or with fewer regions at once';
  if (/Timeout|ECONN|ENOTFOUND|EAI_AGAIN|socket/i.test(`${problem.error} ${problem.message}`)) return 'the endpoint did not answer; check the network, a proxy, or --endpoint-url';
  return 'run the audit again; if it persists, check the credentials and the region';
}

/**
 * Turns one region of a live account into the common model: the objects are translated to the
 * Terraform shapes of the same API Gateway objects and read by the one AWS adapter, so an audit and
 * a scan of the code that created the API agree. Failed calls become errors: the audit is incomplete.
 * Pure: no I/O.
 */
export function adaptAwsLive(raw: RawRegion): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const adapted = adaptAwsTerraform(translateLiveRegion(raw), raw.account);
  const problems: Diagnostic[] = raw.problems.map((problem) => ({
    severity: 'error',
    code: 'read-error',
    message: `${problem.operation} failed in ${raw.region} of account ${raw.account}: ${problem.error}: ${problem.message}; what it reads is not audited. ${hintFor(problem, raw.region)}`,
    ...(problem.resource !== undefined ? { address: problem.resource } : {}),
  }));
  return { entities: adapted.entities, diagnostics: [...problems, ...adapted.diagnostics] };
}
