import { joinWithAnd } from '../../../src/arrays.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { AWS_PROVIDER_SCHEMA_VERSION, AWS_RESOURCE_ARGUMENTS } from './arguments.generated.js';

// A written configuration that `terraform validate` rejects deploys nothing, so its gateway
// resources are reported and not read: checked, a stage without an API was a stand-in "of an API
// outside the scan", a method without an HTTP method a "? ?" route, a Checkov fixture's deployment
// with a `tags` block a stage of an API that cannot exist. Only written configurations are checked
// here: a plan holds what Terraform accepted.

// Arguments the AWS provider requires ("(Required)" in its documentation) that place a resource (its
// API, a method's resource and HTTP method, a route's key); the others, when missing, leave a value
// unknown as before.
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

// Arguments every resource of the AWS provider 6.x accepts that the generated 5.x schema lacks
// (`region`, added to every resource in 6.0): a configuration written for either major version is
// accepted. Arguments 6.0 removed (a deployment's `stage_name`) stay accepted through the 5.x schema.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade
const ADDED_IN_6 = ['region'];

// API Gateway's API ids are ten lowercase letters and digits. A literal `rest_api_id`/`api_id` of
// any other shape ("some rest api id", a resource name written without `.id`) names no API: the apply
// fails ("Invalid API identifier specified"), so the resource is not read as one "of an API outside
// the scan". Only a literal written in the resource itself is judged: a variable's default may be
// replaced when the configuration is applied.
const API_ID = /^[a-z0-9]{10}$/;

function isWritten(resource: ResourceView): boolean {
  return resource.format === 'terraform' || resource.format === 'terraform-json';
}

/** Whether an attribute's value is written in the resource itself, not given through a variable or local. */
function writtenInResource(resource: ResourceView, argument: string): boolean {
  const source = resource.valueSource(argument);
  if (source === undefined) return true;
  const here = resource.locate([argument]);
  return source.location.file === here.file && source.location.startLine >= here.startLine && (source.location.endLine ?? source.location.startLine) <= (here.endLine ?? here.startLine);
}

/** The arguments of a written resource that its resource type does not have, or none. */
function unsupportedArguments(resource: ResourceView): string[] {
  const schema = AWS_RESOURCE_ARGUMENTS[resource.type];
  if (schema === undefined) return [];
  return Object.keys(resource.values).filter((name) => !schema.attributes.includes(name) && !schema.blocks.includes(name) && !ADDED_IN_6.includes(name));
}

/** Where an argument is written: an attribute's line, or a nested block's first line. */
function argumentLocation(resource: ResourceView, name: string): ReturnType<ResourceView['locate']> {
  return Array.isArray(resource.values[name]) && resource.values[name].length > 0 ? resource.locate([name, 0]) : resource.locate([name]);
}

/** The error for a written resource that `terraform validate` or the apply rejects, or undefined. */
function rejection(resource: ResourceView): Diagnostic | undefined {
  const missing = (REQUIRED_ARGUMENTS[resource.type] ?? []).filter((argument) => resource.values[argument] === undefined || resource.values[argument] === null);
  if (missing.length > 0) {
    return {
      severity: 'error',
      code: 'invalid-value',
      message: `${resource.address} has no ${joinWithAnd(missing)}, which the AWS provider requires: terraform validate rejects the configuration ("Missing required argument"), so this resource deploys nothing and is not checked. Set ${missing.length === 1 ? 'it' : 'them'}, or leave the file out of the scan if it is not meant to be applied (a test fixture)`,
      location: resource.location,
      address: resource.address,
    };
  }
  const unsupported = unsupportedArguments(resource);
  if (unsupported.length > 0) {
    return {
      severity: 'error',
      code: 'invalid-value',
      message: `${resource.address} sets ${joinWithAnd(unsupported)}, which ${resource.type} does not have (AWS provider ${AWS_PROVIDER_SCHEMA_VERSION} and 6.x): terraform validate rejects the configuration ("Unsupported argument" or "Unsupported block type"), so this resource deploys nothing and is not checked. Remove or rename ${unsupported.length === 1 ? 'it' : 'them'}, or leave the file out of the scan if it is not meant to be applied (a test fixture)`,
      location: argumentLocation(resource, unsupported[0]!),
      address: resource.address,
    };
  }
  for (const argument of ['rest_api_id', 'api_id']) {
    const value = resource.values[argument];
    if (!(REQUIRED_ARGUMENTS[resource.type] ?? []).includes(argument) || typeof value !== 'string' || API_ID.test(value) || !writtenInResource(resource, argument)) continue;
    return {
      severity: 'error',
      code: 'invalid-value',
      message: `${resource.address} has ${argument} ${JSON.stringify(value)}, which is not an API Gateway API id (ten lowercase letters and digits): the apply fails ("Invalid API identifier specified"), so this resource configures nothing and is not checked. Refer to the API's id (aws_api_gateway_rest_api.NAME.id, a variable, a data source) or write the id of an existing API`,
      location: resource.locate([argument]),
      address: resource.address,
    };
  }
  return undefined;
}

/**
 * The resources the AWS provider accepts, and an error for each written resource it rejects (at the
 * value at fault, or the resource's block; the resource is left out): a required argument missing, an
 * argument its type does not have, an API id that cannot be one. Resources of plans and of other
 * formats are kept as they are.
 */
export function withRequiredArguments(resources: readonly ResourceView[]): { readonly kept: ResourceView[]; readonly diagnostics: Diagnostic[] } {
  const kept: ResourceView[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    const rejected = isWritten(resource) ? rejection(resource) : undefined;
    if (rejected === undefined) kept.push(resource);
    else diagnostics.push(rejected);
  }
  return { kept, diagnostics };
}
