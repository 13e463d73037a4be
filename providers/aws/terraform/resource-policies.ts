import type { ResourcePolicyAccess } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { evaluateResourcePolicy } from '../resource-policy.js';
import type { RouteDraft, StageIndex } from './drafts.js';

/** A route's resource-policy verdict and the place that decided it. */
export interface RouteResourcePolicy {
  readonly access: Maybe<ResourcePolicyAccess>;
  readonly location: SourceLocation;
}

/**
 * What its REST API's resource policy leaves of a route's exposure, on the stages the API deploys to.
 * Undefined when nothing restricts the route: an HTTP or WebSocket API, or a REST API with no policy
 * that is not PRIVATE. A PRIVATE API without a policy cannot be invoked at all: API Gateway requires a
 * resource policy that grants access before a private API can be called.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html
 */
export function routeResourcePolicy(draft: RouteDraft, stages: StageIndex): RouteResourcePolicy | undefined {
  const gateway = draft.gateway;
  if (!gateway || gateway.protocol !== 'rest') return undefined;
  const policy = gateway.resourcePolicy;
  if (!policy) {
    const location = gateway.resource.locate(['endpoint_configuration']);
    if (gateway.endpointType === 'private') return { access: 'denied', location };
    if (gateway.endpointType instanceof Unknown) {
      return { access: new Unknown(`the API has no resource policy and its endpoint type is unknown (${gateway.endpointType.reason}); a PRIVATE API without one cannot be invoked`), location };
    }
    return undefined;
  }
  const verdict = evaluateResourcePolicy(policy.document, { method: draft.route.method, path: draft.route.path, stages: stageNames(stages, gateway.id) });
  return { access: verdict.access, location: policy.locate(verdict.statement !== undefined ? ['Statement', verdict.statement] : []) };
}

function stageNames(stages: StageIndex, gatewayId: string): Maybe<string[]> {
  const drafts = stages.byGateway.get(gatewayId) ?? [];
  if (drafts.length === 0) return new Unknown('no stage of the API is in the scanned configuration');
  const names: string[] = [];
  for (const draft of drafts) {
    if (draft.name instanceof Unknown) return new Unknown(`the name of a stage of the API is unknown (${draft.name.reason})`);
    names.push(draft.name);
  }
  return names;
}
