import { Unknown } from '../../../src/model/unknown.js';
import type { ComputedAttributeRule } from '../../../src/sources/terraform/instance.js';
import type { Value } from '../../../src/sources/view/value.js';

/**
 * `aws_api_gateway_resource.path` is computed by AWS, but it is always the parent's path plus
 * `path_part`. Knowing it lets the usual `method_path = "${trimprefix(aws_api_gateway_resource.x.path, "/")}/GET"`
 * resolve, so per-method settings can be matched to their routes.
 */
const apiGatewayResource: ComputedAttributeRule = (name, context) => {
  if (name !== 'path') return undefined;
  const part = context.configured('path_part');
  const parent = context.configured('parent_id');
  if (typeof part !== 'string' || !(parent instanceof Unknown) || !parent.ref) return undefined;
  let parentPath: Value | undefined;
  if (parent.ref.attribute === 'root_resource_id') parentPath = '/';
  else if (parent.ref.attribute === 'id') parentPath = context.referenced(parent, 'path');
  if (typeof parentPath !== 'string') return undefined;
  return parentPath === '/' ? `/${part}` : `${parentPath}/${part}`;
};

/** Computed-attribute rules for AWS resource types, by type. */
export const AWS_COMPUTED_ATTRIBUTES: ReadonlyMap<string, ComputedAttributeRule> = new Map([['aws_api_gateway_resource', apiGatewayResource]]);
