import type { AwsRouteDetails } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { RouteDraft, StageDraft, StageIndex } from './drafts.js';
import { HTTP_ROUTE_KEY } from './stages.js';

/** What a route's stages present to its HTTP backend, with where the setting belongs. */
export interface BackendCertificate {
  readonly details: Pick<AwsRouteDetails, 'backendClientCertificate' | 'backendClientCertificateMissingOn'>;
  /** The stage at fault (or the first stage), whose block is where the certificate is set. */
  readonly stage: StageDraft;
  readonly location: SourceLocation;
}

/**
 * Whether a stage presents a client certificate to backends: `client_certificate_id` set (a
 * reference counts; a plan or state writes an unset one as ""). A stage a Terraform deployment
 * creates (`stage_name`) or SAM adds has none; one only named by method settings is defined
 * elsewhere, which cannot tell.
 */
function stageCertificate(stage: StageDraft): boolean | Unknown {
  if (stage.resource.type === 'aws_api_gateway_method_settings') return new Unknown('the stage is defined outside the scanned configuration, where its client certificate is set');
  if (!stage.isStageResource) return false;
  const value = stage.resource.values.client_certificate_id;
  return value !== undefined && value !== null && value !== '';
}

/**
 * Which stages can present a certificate for the route: REST stages (v1) for a REST route, v2
 * stages for a WebSocket route, none for an HTTP API route (HTTP APIs have no client certificates:
 * `client_certificate_id` is "supported only for WebSocket APIs"). A v2 route whose API is not in the
 * scan is taken for a WebSocket route only when its key cannot be an HTTP API's (`$connect`,
 * `sendmessage`); `$default` exists on both and is left out.
 */
function certificateStageVersion(draft: RouteDraft): 'v1' | 'v2' | undefined {
  const protocol = draft.gateway?.protocol;
  if (protocol === 'rest') return 'v1';
  if (protocol === 'websocket') return 'v2';
  if (protocol === 'http') return undefined;
  if (draft.throttle.kind === 'method-path') return 'v1';
  const key = draft.route.key;
  return key !== '$default' && key !== '?' && !HTTP_ROUTE_KEY.test(key) ? 'v2' : undefined;
}

/**
 * For a REST or WebSocket API route that calls an HTTP backend over the internet (not through a VPC
 * link): whether every stage it deploys to presents a client certificate, so the backend can refuse
 * calls that do not come through the gateway. Undefined where the question does not arise: no HTTP
 * backend, a private one, an HTTP API, or no stage of the API in the scan (the setting is then
 * written elsewhere and checked there).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html
 * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html
 */
export function backendCertificateOf(draft: RouteDraft, stages: StageIndex): BackendCertificate | undefined {
  if (draft.route.backendUrl === undefined || draft.route.backendPrivate === true) return undefined;
  const gatewayId = draft.route.parentId ?? draft.outsideApi;
  const version = certificateStageVersion(draft);
  if (gatewayId === undefined || version === undefined) return undefined;
  // By name, so that the stage a finding names does not depend on the order of the source.
  const byName = (stage: StageDraft): string => (typeof stage.name === 'string' ? stage.name : `\uffff${stage.id}`);
  const routeStages = (stages.byGateway.get(gatewayId) ?? []).filter((stage) => stage.version === version).sort((a, b) => (byName(a) < byName(b) ? -1 : byName(a) > byName(b) ? 1 : 0));
  if (routeStages.length === 0) return undefined;
  let unknown: { stage: StageDraft; reason: Unknown } | undefined;
  for (const stage of routeStages) {
    const value = stageCertificate(stage);
    if (value === false) {
      const missingOn = typeof stage.name === 'string' ? stage.name : stage.resource.address;
      return { details: { backendClientCertificate: false, backendClientCertificateMissingOn: missingOn }, stage, location: stage.location };
    }
    if (value instanceof Unknown && !unknown) unknown = { stage, reason: value };
  }
  if (unknown) return { details: { backendClientCertificate: unknown.reason }, stage: unknown.stage, location: unknown.stage.location };
  return { details: { backendClientCertificate: true }, stage: routeStages[0]!, location: routeStages[0]!.location };
}
