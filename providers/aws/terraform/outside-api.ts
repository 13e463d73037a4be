import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import type { TerraformContext } from '../../shared/terraform-context.js';

/** The prefix of every key {@link outsideApiKey} returns, so that it never equals a gateway's entity id. */
const OUTSIDE = 'outside-api:';

/**
 * A key for the API that an attribute (`rest_api_id`, `api_id`) names when that API is not in the
 * scan, so that the stages, method settings, usage plans and routes naming the same API are read
 * together: a stage's throttling applies to the routes of its API even when the API itself is defined
 * in another stack. `family` says whether the attribute names a REST API (`v1`) or an HTTP or
 * WebSocket API (`v2`).
 *
 * Two attributes name the same API only when that is certain: the same reference (`var.api_id`,
 * `data.aws_api_gateway_rest_api.shared.id`, a CloudFormation parameter or a named export), or the
 * same literal API id. A value that cannot be told apart from others (a remote state's outputs, whose
 * unknown does not say which output was read) gets a key of its own resource: joining two different
 * APIs would apply one's throttling to the other's routes and hide a finding.
 */
export function outsideApiKey(ctx: TerraformContext, value: Value | undefined, owner: ResourceView, family: 'v1' | 'v2'): string {
  // A REST API (v1) and an HTTP or WebSocket API (v2) are never the same API, whatever names them.
  const prefix = `${OUTSIDE}${family}:`;
  const reference = ctx.reference(value);
  if (reference) return `${prefix}${reference.address}#${reference.attribute}`;
  if (typeof value === 'string' && value !== '') return `${prefix}id:${value}`;
  return `${prefix}only:${owner.address}`;
}
