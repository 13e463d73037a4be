import { joinWithAnd } from '../../../src/arrays.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';

// Arguments the AWS provider requires of the gateway resources read here ("(Required)" in the
// provider's documentation): those that place a resource (its API, a method's resource and HTTP
// method, a route's key); the others, when missing, leave a value unknown as before. A configuration that leaves one out is refused by `terraform validate`
// ("Missing required argument") and deploys nothing, so such a resource is reported and not read:
// checked, a stage without an API was a stand-in "of an API outside the scan" and a method without
// an HTTP method a "? ?" route. Only written configurations can lack them: a plan holds what
// Terraform accepted.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage

const REQUIRED_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_resource: ['rest_api_id'],
  aws_api_gateway_method: ['rest_api_id', 'resource_id', 'http_method'],
  aws_api_gateway_integration: ['rest_api_id', 'resource_id', 'http_method'],
  aws_api_gateway_deployment: ['rest_api_id'],
  aws_api_gateway_stage: ['rest_api_id'],
  aws_api_gateway_method_settings: ['rest_api_id'],
  aws_api_gateway_authorizer: ['rest_api_id'],
  aws_apigatewayv2_route: ['api_id', 'route_key'],
  aws_apigatewayv2_stage: ['api_id'],
  aws_apigatewayv2_integration: ['api_id'],
  aws_apigatewayv2_authorizer: ['api_id'],
};

/**
 * The resources the AWS provider accepts, and an error for each written resource that lacks an
 * argument it requires (at the resource's block; the resource is left out). Resources of plans and
 * of other formats are kept as they are.
 */
export function withRequiredArguments(resources: readonly ResourceView[]): { readonly kept: ResourceView[]; readonly diagnostics: Diagnostic[] } {
  const kept: ResourceView[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    const required = resource.format === 'terraform' || resource.format === 'terraform-json' ? REQUIRED_ARGUMENTS[resource.type] : undefined;
    const missing = (required ?? []).filter((argument) => resource.values[argument] === undefined || resource.values[argument] === null);
    if (missing.length === 0) {
      kept.push(resource);
      continue;
    }
    diagnostics.push({
      severity: 'error',
      code: 'invalid-value',
      message: `${resource.address} has no ${joinWithAnd(missing)}, which the AWS provider requires: terraform validate rejects the configuration ("Missing required argument"), so this resource deploys nothing and is not checked. Set ${missing.length === 1 ? 'it' : 'them'}, or leave the file out of the scan if it is not meant to be applied (a test fixture)`,
      location: resource.location,
      address: resource.address,
    });
  }
  return { kept, diagnostics };
}
