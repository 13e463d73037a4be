import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import type { GatewayDraft } from './drafts.js';

// API Gateway refuses to deploy an API whose definition holds a value it rejects: a response header
// mapping that is not a mapping expression (an unquoted `*`: "Invalid mapping expression specified"),
// an AWS_PROXY integration whose uri is an HTTP address ("Invalid ARN specified in the request"). The
// import or the stack update fails and nothing of that API is served. Its routes, stages and CORS are therefore not checked (a finding
// would describe a gateway that cannot exist); the invalid values keep their warnings, and one error
// per API says why it is not checked, so the scan is incomplete.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html

/**
 * The APIs of the scan whose deployment API Gateway refuses, by gateway id: those whose OpenAPI body
 * holds such a value, and `fromResources`, whose integration or gateway responses map one (see emitCors).
 */
export function refusedGateways(gateways: ReadonlyMap<string, GatewayDraft>, fromResources: ReadonlySet<string>): Map<string, GatewayDraft> {
  const refused = new Map<string, GatewayDraft>();
  for (const gateway of gateways.values()) {
    if (fromResources.has(gateway.id) || gateway.openApi?.api.locatedProblems.some((problem) => problem.refusesDeployment === true)) refused.set(gateway.id, gateway);
  }
  return refused;
}

/**
 * The entities that remain once the refused APIs are taken out (each API and everything under it, by
 * parent), and an error for each of those APIs.
 */
export function withoutRefused(entities: readonly Entity[], refused: ReadonlyMap<string, GatewayDraft>): { readonly entities: Entity[]; readonly diagnostics: Diagnostic[] } {
  if (refused.size === 0) return { entities: [...entities], diagnostics: [] };
  const removed = new Set(refused.keys());
  let grew = true;
  while (grew) {
    grew = false;
    for (const entity of entities) {
      if (!removed.has(entity.id) && entity.parentId !== null && removed.has(entity.parentId)) {
        removed.add(entity.id);
        grew = true;
      }
    }
  }
  const diagnostics: Diagnostic[] = [...refused.values()].map((gateway) => ({
    severity: 'error',
    code: 'invalid-value',
    message: `${gateway.resource.address} is not checked: API Gateway refuses to deploy it, since its definition holds a value API Gateway rejects (see the invalid-value warnings: a response header mapping that is not a mapping expression, an aws_proxy integration whose uri is not an ARN); none of its routes, stages and CORS settings is served. Fix those values, then scan again`,
    location: gateway.resource.location,
    address: gateway.resource.address,
  }));
  return { entities: entities.filter((entity) => !removed.has(entity.id)), diagnostics };
}
