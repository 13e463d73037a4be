import type { ResourceView } from '../../src/sources/view/resource-view.js';

/**
 * Adapters know every resource by the Terraform type it is translated into, but a message is read by
 * the person who wrote the source: "no aws_api_gateway_integration for MyMethod" means nothing to a
 * CloudFormation user. Every message of an adapter that names a resource or a type of resource takes
 * the name from here, which picks the source's own.
 */

/**
 * AWS's own resource type of each API Gateway object the AWS adapter reads by Terraform type (the names
 * of CloudFormation, Cloud Control and AWS Config). A part that AWS keeps inside another resource
 * (a method's integration, a stage's method settings) has that resource's type.
 */
const AWS_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_api_gateway_rest_api: 'AWS::ApiGateway::RestApi',
  aws_api_gateway_resource: 'AWS::ApiGateway::Resource',
  aws_api_gateway_method: 'AWS::ApiGateway::Method',
  aws_api_gateway_integration: 'AWS::ApiGateway::Method',
  aws_api_gateway_integration_response: 'AWS::ApiGateway::Method',
  aws_api_gateway_authorizer: 'AWS::ApiGateway::Authorizer',
  aws_api_gateway_request_validator: 'AWS::ApiGateway::RequestValidator',
  aws_api_gateway_deployment: 'AWS::ApiGateway::Deployment',
  aws_api_gateway_stage: 'AWS::ApiGateway::Stage',
  aws_api_gateway_method_settings: 'AWS::ApiGateway::Stage',
  aws_api_gateway_usage_plan: 'AWS::ApiGateway::UsagePlan',
  aws_api_gateway_usage_plan_key: 'AWS::ApiGateway::UsagePlanKey',
  aws_api_gateway_api_key: 'AWS::ApiGateway::ApiKey',
  aws_api_gateway_gateway_response: 'AWS::ApiGateway::GatewayResponse',
  aws_api_gateway_domain_name: 'AWS::ApiGateway::DomainName',
  aws_api_gateway_base_path_mapping: 'AWS::ApiGateway::BasePathMapping',
  aws_apigatewayv2_api: 'AWS::ApiGatewayV2::Api',
  aws_apigatewayv2_route: 'AWS::ApiGatewayV2::Route',
  aws_apigatewayv2_authorizer: 'AWS::ApiGatewayV2::Authorizer',
  aws_apigatewayv2_integration: 'AWS::ApiGatewayV2::Integration',
  aws_apigatewayv2_stage: 'AWS::ApiGatewayV2::Stage',
  aws_apigatewayv2_domain_name: 'AWS::ApiGatewayV2::DomainName',
  aws_apigatewayv2_api_mapping: 'AWS::ApiGatewayV2::ApiMapping',
  aws_wafv2_web_acl_association: 'AWS::WAFv2::WebACLAssociation',
  aws_wafregional_web_acl_association: 'AWS::WAFRegional::WebACLAssociation',
};

/** The property that holds a part AWS keeps inside another resource, by the part's Terraform type. */
const AWS_PARTS: Readonly<Record<string, string>> = {
  aws_api_gateway_integration: 'Integration',
  aws_api_gateway_integration_response: 'IntegrationResponses',
  aws_api_gateway_method_settings: 'MethodSettings',
};

/** The ARM type of each API Management object the Azure adapter reads by azurerm type. */
const ARM_TYPES: Readonly<Record<string, string>> = {
  azurerm_api_management: 'Microsoft.ApiManagement/service',
  azurerm_api_management_policy: 'Microsoft.ApiManagement/service/policies',
  azurerm_api_management_api: 'Microsoft.ApiManagement/service/apis',
  azurerm_api_management_api_operation: 'Microsoft.ApiManagement/service/apis/operations',
  azurerm_api_management_api_policy: 'Microsoft.ApiManagement/service/apis/policies',
  azurerm_api_management_api_operation_policy: 'Microsoft.ApiManagement/service/apis/operations/policies',
  azurerm_api_management_product: 'Microsoft.ApiManagement/service/products',
  azurerm_api_management_product_api: 'Microsoft.ApiManagement/service/products/apis',
  azurerm_api_management_product_policy: 'Microsoft.ApiManagement/service/products/policies',
  azurerm_api_management_subscription: 'Microsoft.ApiManagement/service/subscriptions',
  azurerm_api_management_named_value: 'Microsoft.ApiManagement/service/namedValues',
  azurerm_api_management_policy_fragment: 'Microsoft.ApiManagement/service/policyFragments',
  azurerm_api_management_backend: 'Microsoft.ApiManagement/service/backends',
  azurerm_api_management_authorization_server: 'Microsoft.ApiManagement/service/authorizationServers',
  azurerm_api_management_openid_connect_provider: 'Microsoft.ApiManagement/service/openidConnectProviders',
};

function own(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** AWS's resource type for a Terraform type of the AWS adapter (the type itself when there is none). */
export function awsResourceType(terraformType: string): string {
  return own(AWS_RESOURCE_TYPES, terraformType) ?? terraformType;
}

/** Whether a view is read from Terraform, whose names are the adapters' own. */
function isTerraform(view: ResourceView): boolean {
  return view.format === 'terraform' || view.format === 'terraform-json' || view.format === 'terraform-plan';
}

/**
 * Names a resource in a message as its source does: a Terraform address (`aws_api_gateway_method.get`),
 * or the source's type and name (`AWS::ApiGateway::Method GetMethod`, an ARM type and name, a live
 * resource's type and ARN).
 */
export function describeResource(view: ResourceView): string {
  return isTerraform(view) ? view.address : `${view.source.type} ${view.source.name}`;
}

/**
 * Names a type of resource, known to the adapter by its Terraform type, as the source of `view` does:
 * the Terraform type for Terraform; for CloudFormation and live AWS, AWS's resource type, or the
 * property that holds a part kept inside another resource (`Integration` of a method); for ARM, the
 * ARM type. A type with no other name keeps its Terraform one.
 */
export function describeType(view: ResourceView, terraformType: string): string {
  switch (view.format) {
    case 'cloudformation':
    case 'live':
      return own(AWS_PARTS, terraformType) ?? awsResourceType(terraformType);
    case 'arm':
    case 'apiops':
      return own(ARM_TYPES, terraformType) ?? terraformType;
    default:
      return terraformType;
  }
}
