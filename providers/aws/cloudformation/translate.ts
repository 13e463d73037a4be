import { joinWithAnd } from '../../../src/arrays.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { CfnResource } from '../../../src/sources/cloudformation/stack.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { TranslatedView, renameFields, sourcePathOf, type FieldMap, type NestedMapping, type Path } from '../../shared/translate.js';
import { IMPLICIT_STAGE, ROUTES_ONLY_IN_SOURCE } from '../terraform/drafts.js';

/**
 * CloudFormation and Terraform both mirror the API Gateway API, under different names
 * (`AuthorizationType` and `authorization`, `Stage.MethodSettings` and `aws_api_gateway_method_settings`).
 * CloudFormation resources are therefore renamed into the Terraform shapes of the same API objects and
 * handed to the one AWS adapter, so that both formats get the same defaults and effective settings by
 * construction, instead of two adapters drifting apart. Positions map back to the template.
 */

function isObject(value: unknown): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** One Terraform-shaped view of a CloudFormation resource (or of part of one: a method's integration). */
function translatedView(cfn: CfnResource, type: string, values: ValueObject, fields: FieldMap, base: Path, suffix: string): ResourceView {
  const construct = cfn.metadata['aws:cdk:path'];
  return new TranslatedView({
    format: 'cloudformation',
    type,
    address: `${cfn.address}${suffix}`,
    name: cfn.logicalId,
    // The logical id with its nested stack's prefix: unique in the scan, and what the template says.
    source: { type: cfn.type, name: cfn.address },
    modulePath: cfn.stackPrefix.replace(/\/$/, ''),
    rootModule: cfn.template.file,
    values,
    location: base.length > 0 ? cfn.locate(base) : cfn.location,
    fields,
    base,
    locateSource: (path) => cfn.locate(path),
    ...(typeof construct === 'string' ? { construct } : {}),
    ...(cfn.suppressions.length > 0 ? { suppressions: cfn.suppressions } : {}),
    textLines: (sourcePath) => cfn.textStart(sourcePath),
    valueSource: (_field, sourcePath) => {
      // A value from a parameter default is written in the template; a given one is not.
      const prop = sourcePath?.length === 1 && base.length === 0 ? sourcePath[0] : undefined;
      if (typeof prop !== 'string' || prop === '') return undefined;
      const parameter = cfn.parameterSources[prop];
      if (!parameter) return undefined;
      if (parameter.kind !== 'written') return { kind: 'input', location: parameter.location };
      // Reported at the default, where the fix goes; the property that reads the parameter is related.
      return { kind: 'default', location: parameter.location, related: [{ location: cfn.locate([prop]), message: `read by ${cfn.address} here` }] };
    },
  });
}

const REST_API: FieldMap = {
  name: 'Name',
  body: 'Body',
  api_key_source: 'ApiKeySourceType',
  disable_execute_api_endpoint: 'DisableExecuteApiEndpoint',
  policy: 'Policy',
  endpoint_configuration: { at: ['EndpointConfiguration'], single: true, fields: { types: 'Types', vpc_endpoint_ids: 'VpcEndpointIds' } },
  tags: 'Tags',
};
const RESOURCE: FieldMap = { rest_api_id: 'RestApiId', parent_id: 'ParentId', path_part: 'PathPart' };
const METHOD: FieldMap = {
  rest_api_id: 'RestApiId',
  resource_id: 'ResourceId',
  http_method: 'HttpMethod',
  authorization: 'AuthorizationType',
  authorizer_id: 'AuthorizerId',
  api_key_required: 'ApiKeyRequired',
  authorization_scopes: 'AuthorizationScopes',
  request_validator_id: 'RequestValidatorId',
  request_models: 'RequestModels',
  request_parameters: 'RequestParameters',
};
const REQUEST_VALIDATOR: FieldMap = {
  name: 'Name',
  rest_api_id: 'RestApiId',
  validate_request_body: 'ValidateRequestBody',
  validate_request_parameters: 'ValidateRequestParameters',
};
const INTEGRATION: FieldMap = { type: 'Type', uri: 'Uri', cache_key_parameters: 'CacheKeyParameters', connection_type: 'ConnectionType', request_parameters: 'RequestParameters' };
const INTEGRATION_RESPONSE: FieldMap = { status_code: 'StatusCode', response_parameters: 'ResponseParameters' };
const AUTHORIZER: FieldMap = {
  name: 'Name',
  rest_api_id: 'RestApiId',
  type: 'Type',
  identity_source: 'IdentitySource',
  authorizer_uri: 'AuthorizerUri',
  authorizer_result_ttl_in_seconds: 'AuthorizerResultTtlInSeconds',
  provider_arns: 'ProviderARNs',
};
const STAGE: FieldMap = {
  rest_api_id: 'RestApiId',
  stage_name: 'StageName',
  deployment_id: 'DeploymentId',
  xray_tracing_enabled: 'TracingEnabled',
  cache_cluster_enabled: 'CacheClusterEnabled',
  client_certificate_id: 'ClientCertificateId',
  access_log_settings: { at: ['AccessLogSetting'], single: true, fields: { destination_arn: 'DestinationArn', format: 'Format' } },
  // A Deployment's StageDescription sets these for every method of the stage it creates.
  data_trace_enabled: 'DataTraceEnabled',
  logging_level: 'LoggingLevel',
  variables: 'Variables',
  tags: 'Tags',
};
/** The settings of a method setting, written on the setting object itself (or on a stage, for all methods). */
const METHOD_SETTING_FIELDS: FieldMap = {
  throttling_rate_limit: 'ThrottlingRateLimit',
  throttling_burst_limit: 'ThrottlingBurstLimit',
  caching_enabled: 'CachingEnabled',
  cache_data_encrypted: 'CacheDataEncrypted',
  metrics_enabled: 'MetricsEnabled',
  logging_level: 'LoggingLevel',
  data_trace_enabled: 'DataTraceEnabled',
};
const METHOD_SETTING: FieldMap = { settings: { at: [], single: true, fields: METHOD_SETTING_FIELDS } };
/** A usage plan's stages: a list in both shapes (its per-method `Throttle` map is located by {@link keyedList}). */
const USAGE_PLAN_STAGES: NestedMapping = { at: ['ApiStages'], fields: { api_id: 'ApiId', stage: 'Stage', throttle: 'Throttle' } };
const USAGE_PLAN: FieldMap = {
  name: 'UsagePlanName',
  throttle_settings: { at: ['Throttle'], single: true, fields: { rate_limit: 'RateLimit', burst_limit: 'BurstLimit' } },
  quota_settings: { at: ['Quota'], single: true, fields: { limit: 'Limit', period: 'Period', offset: 'Offset' } },
  api_stages: USAGE_PLAN_STAGES,
};
/** The limits of one method of a usage plan stage (`ApiStages[i].Throttle["/pets/GET"]`). */
const USAGE_PLAN_THROTTLE: FieldMap = { rate_limit: 'RateLimit', burst_limit: 'BurstLimit' };
/** The settings of one route of an HTTP or WebSocket stage (`RouteSettings["GET /items"]`). */
const ROUTE_SETTING: FieldMap = { throttling_rate_limit: 'ThrottlingRateLimit', throttling_burst_limit: 'ThrottlingBurstLimit', logging_level: 'LoggingLevel', data_trace_enabled: 'DataTraceEnabled' };

/**
 * Where a field of a list made from a map is written. CloudFormation keys route settings by route key
 * and a usage plan's per-method throttles by method path, where Terraform lists them with that key as
 * a field: entry `i` of the view is the map's `i`th key (the order the list is made in), its key
 * field is the key itself, and its other fields are below the key.
 */
function keyedList(at: Path, keys: readonly string[], fields: FieldMap, keyField: string): (rest: Path) => Path {
  return (rest) => {
    const index = rest[0];
    if (typeof index !== 'number' || index >= keys.length) return at;
    const entry = [...at, keys[index]!];
    if (rest.length === 1 || rest[1] === keyField) return entry;
    return [...entry, ...(sourcePathOf(fields, rest.slice(1)) ?? [])];
  };
}

/** The keys of a map property, in the order the translation lists its entries. */
function keysOf(value: Value | undefined): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

const API_KEY: FieldMap = { name: 'Name', value: 'Value', enabled: 'Enabled' };
const GATEWAY_RESPONSE: FieldMap = { rest_api_id: 'RestApiId', response_type: 'ResponseType', status_code: 'StatusCode', response_parameters: 'ResponseParameters' };
const DOMAIN: FieldMap = {
  domain_name: 'DomainName',
  security_policy: 'SecurityPolicy',
  endpoint_configuration: { at: ['EndpointConfiguration'], single: true, fields: { types: 'Types' } },
  mutual_tls_authentication: { at: ['MutualTlsAuthentication'], single: true, fields: { truststore_uri: 'TruststoreUri' } },
};
const HTTP_API: FieldMap = {
  name: 'Name',
  protocol_type: 'ProtocolType',
  body: 'Body',
  target: 'Target',
  route_key: 'RouteKey',
  disable_execute_api_endpoint: 'DisableExecuteApiEndpoint',
  tags: 'Tags',
  cors_configuration: {
    at: ['CorsConfiguration'],
    single: true,
    fields: { allow_origins: 'AllowOrigins', allow_methods: 'AllowMethods', allow_headers: 'AllowHeaders', allow_credentials: 'AllowCredentials' },
  },
};
const ROUTE: FieldMap = {
  api_id: 'ApiId',
  route_key: 'RouteKey',
  authorization_type: 'AuthorizationType',
  authorizer_id: 'AuthorizerId',
  authorization_scopes: 'AuthorizationScopes',
  api_key_required: 'ApiKeyRequired',
  target: 'Target',
};
const HTTP_AUTHORIZER: FieldMap = {
  api_id: 'ApiId',
  authorizer_type: 'AuthorizerType',
  name: 'Name',
  identity_sources: 'IdentitySource',
  authorizer_result_ttl_in_seconds: 'AuthorizerResultTtlInSeconds',
  jwt_configuration: { at: ['JwtConfiguration'], single: true, fields: { audience: 'Audience', issuer: 'Issuer' } },
};
const HTTP_INTEGRATION: FieldMap = { api_id: 'ApiId', integration_type: 'IntegrationType', integration_uri: 'IntegrationUri', connection_type: 'ConnectionType', request_parameters: 'RequestParameters' };
const HTTP_STAGE: FieldMap = {
  api_id: 'ApiId',
  name: 'StageName',
  stage_variables: 'StageVariables',
  // Only WebSocket APIs present it to their HTTP backends; an HTTP API has none.
  client_certificate_id: 'ClientCertificateId',
  default_route_settings: {
    at: ['DefaultRouteSettings'],
    single: true,
    fields: { throttling_rate_limit: 'ThrottlingRateLimit', throttling_burst_limit: 'ThrottlingBurstLimit', data_trace_enabled: 'DataTraceEnabled', logging_level: 'LoggingLevel' },
  },
  access_log_settings: { at: ['AccessLogSettings'], single: true, fields: { destination_arn: 'DestinationArn', format: 'Format' } },
  tags: 'Tags',
};
const HTTP_DOMAIN: FieldMap = {
  domain_name: 'DomainName',
  domain_name_configuration: { at: ['DomainNameConfigurations'], fields: { security_policy: 'SecurityPolicy', endpoint_type: 'EndpointType' } },
  mutual_tls_authentication: { at: ['MutualTlsAuthentication'], single: true, fields: { truststore_uri: 'TruststoreUri' } },
};
const WAF_ASSOCIATION: FieldMap = { resource_arn: 'ResourceArn' };
const BASE_PATH_MAPPING: FieldMap = { domain_name: 'DomainName', api_id: 'RestApiId', stage_name: 'Stage', base_path: 'BasePath' };
const API_MAPPING: FieldMap = { domain_name: 'DomainName', api_id: 'ApiId', stage: 'Stage', api_mapping_key: 'ApiMappingKey' };

/**
 * An API whose OpenAPI body is in `BodyS3Location`: the file the template names by a local path (read
 * by the template's reader, positions in that file), or an S3 object only the deployment reads.
 */
function withBodyLocation(cfn: CfnResource, values: ValueObject, fields: FieldMap): FieldMap {
  if (cfn.properties.BodyS3Location === undefined || cfn.properties.Body !== undefined) return fields;
  const linked = cfn.documents?.BodyS3Location;
  values.body = linked !== undefined ? (linked as Value) : new Unknown('the OpenAPI body is read from S3 (BodyS3Location) at deploy time; point BodyS3Location at the file in the repository (aws cloudformation package uploads it), or scan that file too');
  return { ...fields, body: 'BodyS3Location' };
}

/** `/~1users/GET` style method settings of a stage: ResourcePath and HttpMethod to Terraform's method_path. */
function methodPath(resourcePath: Value | undefined, httpMethod: Value | undefined): Value {
  if (resourcePath instanceof Unknown) return resourcePath;
  if (httpMethod instanceof Unknown) return httpMethod;
  const resource = String(resourcePath ?? '/*').replace(/~1/g, '/').replace(/^\/+/, '');
  const method = String(httpMethod ?? '*');
  return resource === '' ? `/${method}` : `${resource}/${method}`;
}

/**
 * The properties CloudFormation requires of the gateway resources read here (each type's resource
 * schema, "Required: Yes" in the CloudFormation template reference). A resource without one is
 * rejected when the stack is created ("required key [HttpMethod] not found"), so it configures
 * nothing: it is reported and not read, instead of being checked as a method of no API at no path.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-method.html
 */
const REQUIRED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApiGateway::Method': ['HttpMethod', 'ResourceId', 'RestApiId'],
  'AWS::ApiGateway::Resource': ['ParentId', 'PathPart', 'RestApiId'],
  'AWS::ApiGateway::Stage': ['RestApiId'],
  'AWS::ApiGateway::Deployment': ['RestApiId'],
  'AWS::ApiGateway::Authorizer': ['Name', 'RestApiId', 'Type'],
  'AWS::ApiGatewayV2::Route': ['ApiId', 'RouteKey'],
  'AWS::ApiGatewayV2::Stage': ['ApiId', 'StageName'],
  'AWS::ApiGatewayV2::Integration': ['ApiId', 'IntegrationType'],
  'AWS::ApiGatewayV2::Authorizer': ['ApiId', 'AuthorizerType', 'Name'],
};

/**
 * API Gateway's API ids are ten lowercase letters and digits. A literal `RestApiId`/`ApiId` of any
 * other shape (`MyRestApi`, a logical id written without `!Ref`) names no API: CloudFormation fails to
 * create the resource ("Invalid API identifier specified"), so it is reported, not read as a resource
 * of "an API outside the scan".
 */
const API_ID = /^[a-z0-9]{10}$/;

/** The error for a resource that lacks properties CloudFormation requires, or undefined. */
function missingRequiredDiagnostic(cfn: CfnResource): Diagnostic | undefined {
  for (const property of ['RestApiId', 'ApiId']) {
    const raw = cfn.rawProperties[property];
    if (!(REQUIRED_PROPERTIES[cfn.type] ?? []).includes(property) || typeof raw !== 'string' || API_ID.test(raw)) continue;
    const named = cfn.template.data.Resources !== null && typeof cfn.template.data.Resources === 'object' && raw in (cfn.template.data.Resources as Record<string, unknown>);
    return {
      severity: 'error',
      code: 'invalid-value',
      message: `${cfn.type} ${cfn.address} has ${property} ${JSON.stringify(raw)}, which is not an API Gateway API id (ten lowercase letters and digits): CloudFormation fails to create it ("Invalid API identifier specified"), so it is not checked. ${named ? `Write !Ref ${raw} to name the API of this template` : 'Give the id of the API, or !Ref or !ImportValue of it'}`,
      location: cfn.locate([property]),
      address: cfn.address,
    };
  }
  const missing = (REQUIRED_PROPERTIES[cfn.type] ?? []).filter((property) => cfn.properties[property] === undefined || cfn.properties[property] === null);
  if (missing.length === 0) return undefined;
  return {
    severity: 'error',
    code: 'invalid-value',
    message: `${cfn.type} ${cfn.address} has no ${joinWithAnd(missing)}, which CloudFormation requires: the stack is rejected, so this resource configures nothing and is not checked. Add ${missing.length === 1 ? 'it' : 'them'}, or leave the template out of the scan if it is not meant to be deployed (a test fixture)`,
    location: cfn.location,
    address: cfn.address,
  };
}

/** Turns CloudFormation resources into Terraform-shaped ones; other resource types are left out. */
export function translateResources(resources: readonly CfnResource[]): { resources: ResourceView[]; diagnostics: Diagnostic[] } {
  const byAddress = new Map(resources.map((resource) => [resource.address, resource]));
  const relink = (value: Value): Value => relinkValue(value, byAddress);
  const out: ResourceView[] = [];
  const diagnostics = new Set<Diagnostic>();
  const add = (cfn: CfnResource, type: string, values: ValueObject, fields: FieldMap, base: Path = [], suffix = ''): void => {
    const linked = relink(values) as ValueObject;
    for (const [field, property] of [['rest_api_id', 'RestApiId'], ['api_id', 'ApiId']] as const) {
      const link = outsideApiLink(cfn, cfn.rawProperties[property], linked[field]);
      if (link) linked[field] = link;
    }
    out.push(translatedView(cfn, type, linked, fields, base, suffix));
    // Reported once per condition, only for resources that are read (SAM's generated ones share their source's).
    if (cfn.unknownCondition) diagnostics.add(cfn.unknownCondition);
  };

  for (const cfn of resources) {
    const p = cfn.properties;
    const missing = missingRequiredDiagnostic(cfn);
    if (missing !== undefined) {
      diagnostics.add(missing);
      continue;
    }
    switch (cfn.type) {
      case 'AWS::ApiGateway::RestApi': {
        const values = renameFields(p, REST_API);
        if (p[ROUTES_ONLY_IN_SOURCE] === true) values[ROUTES_ONLY_IN_SOURCE] = true;
        const fields = withBodyLocation(cfn, values, REST_API);
        // Policy is of type Json: usually written as an object, where Terraform has a JSON string. It
        // is kept as an object, with its unknown parts and positions, for the resource policy to be evaluated.
        add(cfn, 'aws_api_gateway_rest_api', values, fields);
        break;
      }
      case 'AWS::ApiGateway::Resource':
        add(cfn, 'aws_api_gateway_resource', renameFields(p, RESOURCE), RESOURCE);
        break;
      case 'AWS::ApiGateway::Method': {
        // CloudFormation's default AuthorizationType is NONE, as the API's.
        add(cfn, 'aws_api_gateway_method', { authorization: 'NONE', ...renameFields(p, METHOD) }, METHOD);
        const integration = p.Integration;
        if (isObject(integration)) {
          // An unknown HttpMethod still names this method: the integration is linked to it by that.
          const httpMethod = p.HttpMethod instanceof Unknown ? new Unknown(p.HttpMethod.reason, { address: cfn.address, attribute: 'http_method' }) : (p.HttpMethod ?? null);
          const link = { rest_api_id: p.RestApiId ?? null, resource_id: p.ResourceId ?? null, http_method: httpMethod };
          add(cfn, 'aws_api_gateway_integration', { ...link, ...renameFields(integration, INTEGRATION) }, INTEGRATION, ['Integration'], '/Integration');
          const responses = integration.IntegrationResponses;
          if (Array.isArray(responses)) {
            responses.forEach((response, index) => {
              if (isObject(response)) add(cfn, 'aws_api_gateway_integration_response', { ...link, ...renameFields(response, INTEGRATION_RESPONSE) }, INTEGRATION_RESPONSE, ['Integration', 'IntegrationResponses', index], `/IntegrationResponses/${index}`);
            });
          }
        }
        break;
      }
      case 'AWS::ApiGateway::RequestValidator':
        add(cfn, 'aws_api_gateway_request_validator', renameFields(p, REQUEST_VALIDATOR), REQUEST_VALIDATOR);
        break;
      case 'AWS::ApiGateway::Authorizer':
        add(cfn, 'aws_api_gateway_authorizer', { type: 'TOKEN', ...renameFields(p, AUTHORIZER) }, AUTHORIZER);
        break;
      case 'AWS::ApiGateway::Deployment': {
        add(
          cfn,
          'aws_api_gateway_deployment',
          { rest_api_id: p.RestApiId ?? null, ...(p.StageName !== undefined ? { stage_name: p.StageName } : {}), ...(p[IMPLICIT_STAGE] === 'sam-stage' ? { [IMPLICIT_STAGE]: 'sam-stage' } : {}) },
          { rest_api_id: 'RestApiId', stage_name: 'StageName' },
        );
        // StageDescription creates the stage named StageName with these settings.
        const description = p.StageDescription;
        if (isObject(description) && p.StageName !== undefined) {
          const stage: ValueObject = { rest_api_id: p.RestApiId ?? null, stage_name: p.StageName, ...renameFields(description, STAGE) };
          add(cfn, 'aws_api_gateway_stage', stage, STAGE, ['StageDescription'], '/Stage');
          addMethodSettings(cfn, description, p.RestApiId, p.StageName, ['StageDescription'], add);
        }
        break;
      }
      case 'AWS::ApiGateway::Stage':
        add(cfn, 'aws_api_gateway_stage', renameFields(p, STAGE), STAGE);
        addMethodSettings(cfn, p, p.RestApiId, p.StageName, [], add);
        break;
      case 'AWS::ApiGateway::UsagePlan': {
        const values = renameFields(p, USAGE_PLAN);
        if (Array.isArray(values.api_stages)) {
          const rawStages = cfn.rawProperties.ApiStages;
          values.api_stages = values.api_stages.map((resolved, index) => {
            const link = isObject(resolved) ? outsideApiLink(cfn, Array.isArray(rawStages) && isRecord(rawStages[index]) ? rawStages[index].ApiId : undefined, resolved.api_id) : undefined;
            const stage = link && isObject(resolved) ? { ...resolved, api_id: link } : resolved;
            if (!isObject(stage) || !isObject(stage.throttle)) return stage;
            // CloudFormation keys per-method throttles by "/path/METHOD"; Terraform lists them with a path.
            const throttle = Object.entries(stage.throttle).map(([path, limits]) => ({ path, rate_limit: isObject(limits) ? (limits.RateLimit ?? null) : null, burst_limit: isObject(limits) ? (limits.BurstLimit ?? null) : null }));
            return { ...stage, throttle };
          });
        }
        const stages = Array.isArray(p.ApiStages) ? p.ApiStages : [];
        const fields: FieldMap = {
          ...USAGE_PLAN,
          // A per-method throttle is written under its method path: located there, not at the stage.
          api_stages: (rest) => {
            const [index, field] = rest;
            if (typeof index !== 'number' || field !== 'throttle') return sourcePathOf({ api_stages: USAGE_PLAN_STAGES }, ['api_stages', ...rest])!;
            const stage = stages[index];
            return [...USAGE_PLAN_STAGES.at, index, ...keyedList(['Throttle'], keysOf(isObject(stage) ? stage.Throttle : undefined), USAGE_PLAN_THROTTLE, 'path')(rest.slice(2))];
          },
        };
        add(cfn, 'aws_api_gateway_usage_plan', values, fields);
        break;
      }
      case 'AWS::ApiGateway::ApiKey':
        // Without a Name, CloudFormation makes one from the stack and logical id; the logical id is
        // the part a reader recognises, and the name is only a label in messages.
        // CloudFormation, like the API, creates a key disabled unless Enabled is true (Terraform's default is true).
        add(cfn, 'aws_api_gateway_api_key', { name: cfn.logicalId, enabled: false, ...renameFields(p, API_KEY) }, API_KEY);
        break;
      case 'AWS::ApiGateway::GatewayResponse':
        add(cfn, 'aws_api_gateway_gateway_response', renameFields(p, GATEWAY_RESPONSE), GATEWAY_RESPONSE);
        break;
      case 'AWS::ApiGateway::DomainName':
        add(cfn, 'aws_api_gateway_domain_name', renameFields(p, DOMAIN), DOMAIN);
        break;
      case 'AWS::ApiGatewayV2::Api': {
        const values = renameFields(p, HTTP_API);
        if (p[ROUTES_ONLY_IN_SOURCE] === true) values[ROUTES_ONLY_IN_SOURCE] = true;
        add(cfn, 'aws_apigatewayv2_api', values, withBodyLocation(cfn, values, HTTP_API));
        break;
      }
      case 'AWS::ApiGatewayV2::Route':
        add(cfn, 'aws_apigatewayv2_route', renameFields(p, ROUTE), ROUTE);
        break;
      case 'AWS::ApiGatewayV2::Authorizer':
        add(cfn, 'aws_apigatewayv2_authorizer', renameFields(p, HTTP_AUTHORIZER), HTTP_AUTHORIZER);
        break;
      case 'AWS::ApiGatewayV2::Integration':
        add(cfn, 'aws_apigatewayv2_integration', renameFields(p, HTTP_INTEGRATION), HTTP_INTEGRATION);
        break;
      case 'AWS::ApiGatewayV2::Stage': {
        const values = renameFields(p, HTTP_STAGE);
        // CloudFormation keys route settings by route key; Terraform lists them with a route_key.
        const settings = p.RouteSettings;
        if (isObject(settings)) {
          values.route_settings = Object.entries(settings).map(([routeKey, limits]) => ({
            route_key: routeKey,
            ...(isObject(limits) && limits.ThrottlingRateLimit !== undefined ? { throttling_rate_limit: limits.ThrottlingRateLimit } : {}),
            ...(isObject(limits) && limits.ThrottlingBurstLimit !== undefined ? { throttling_burst_limit: limits.ThrottlingBurstLimit } : {}),
            ...(isObject(limits) && limits.LoggingLevel !== undefined ? { logging_level: limits.LoggingLevel } : {}),
            ...(isObject(limits) && limits.DataTraceEnabled !== undefined ? { data_trace_enabled: limits.DataTraceEnabled } : {}),
          }));
        }
        add(cfn, 'aws_apigatewayv2_stage', values, { ...HTTP_STAGE, route_settings: keyedList(['RouteSettings'], keysOf(settings), ROUTE_SETTING, 'route_key') });
        break;
      }
      case 'AWS::ApiGateway::BasePathMapping':
        add(cfn, 'aws_api_gateway_base_path_mapping', renameFields(p, BASE_PATH_MAPPING), BASE_PATH_MAPPING);
        break;
      case 'AWS::ApiGatewayV2::ApiMapping':
        add(cfn, 'aws_apigatewayv2_api_mapping', renameFields(p, API_MAPPING), API_MAPPING);
        break;
      case 'AWS::ApiGatewayV2::DomainName':
        add(cfn, 'aws_apigatewayv2_domain_name', renameFields(p, HTTP_DOMAIN), HTTP_DOMAIN);
        break;
      case 'AWS::WAFv2::WebACLAssociation':
      case 'AWS::WAFRegional::WebACLAssociation': {
        add(cfn, cfn.type === 'AWS::WAFv2::WebACLAssociation' ? 'aws_wafv2_web_acl_association' : 'aws_wafregional_web_acl_association', { resource_arn: stageArnLink(cfn, byAddress) ?? p.ResourceArn ?? null }, WAF_ASSOCIATION);
        break;
      }
      default:
        break;
    }
  }
  return { resources: out, diagnostics: [...diagnostics] };
}

function addMethodSettings(
  cfn: CfnResource,
  owner: ValueObject,
  restApiId: Value | undefined,
  stageName: Value | undefined,
  base: Path,
  add: (cfn: CfnResource, type: string, values: ValueObject, fields: FieldMap, base: Path, suffix: string) => void,
): void {
  // Stage-wide throttling and caching set on the stage (StageDescription) are the "*/*" method setting.
  const stageWide = ['ThrottlingRateLimit', 'ThrottlingBurstLimit', 'CachingEnabled', 'CacheDataEncrypted'];
  if (stageWide.some((key) => owner[key] !== undefined)) {
    add(
      cfn,
      'aws_api_gateway_method_settings',
      { rest_api_id: restApiId ?? null, stage_name: stageName ?? null, method_path: '*/*', settings: [renameFields(owner, METHOD_SETTING_FIELDS)] },
      {
        settings: {
          at: [],
          single: true,
          fields: { throttling_rate_limit: 'ThrottlingRateLimit', throttling_burst_limit: 'ThrottlingBurstLimit', caching_enabled: 'CachingEnabled', cache_data_encrypted: 'CacheDataEncrypted' },
        },
      },
      base,
      '/Throttle',
    );
  }
  const settings = owner.MethodSettings;
  if (!Array.isArray(settings)) return;
  settings.forEach((setting, index) => {
    if (!isObject(setting)) return;
    add(
      cfn,
      'aws_api_gateway_method_settings',
      { rest_api_id: restApiId ?? null, stage_name: stageName ?? null, method_path: methodPath(setting.ResourcePath, setting.HttpMethod), settings: [renameFields(setting, METHOD_SETTING_FIELDS)] },
      METHOD_SETTING,
      [...base, 'MethodSettings', index],
      `/MethodSettings/${index}`,
    );
  });
}

/**
 * An API id from a parameter without a value, or from another stack's export, is unknown and carries
 * no reference, so resources naming the same outside API could not be read together (a stage's
 * throttling with the methods of its API, a usage plan with the stage). The parameter or the export
 * name is that reference: the same parameter, or the same export, is the same API. Other unknown ids
 * (an import whose name is computed) stay apart.
 */
function outsideApiLink(cfn: CfnResource, raw: unknown, value: Value | undefined): Value | undefined {
  if (!(value instanceof Unknown) || value.ref || !isRecord(raw)) return undefined;
  const keys = Object.keys(raw);
  if (keys.length !== 1) return undefined;
  if (typeof raw.Ref === 'string') return new Unknown(value.reason, { address: `${cfn.stackPrefix}Parameters.${raw.Ref}`, attribute: 'value' });
  if (typeof raw['Fn::ImportValue'] === 'string') return new Unknown(value.reason, { address: `Fn::ImportValue ${raw['Fn::ImportValue']}`, attribute: 'value' });
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** CloudFormation attribute names to the Terraform ones the adapter links by. */
const ATTRIBUTES: Readonly<Record<string, string>> = { Ref: 'id', RootResourceId: 'root_resource_id', Arn: 'arn', ApiId: 'id', ApiEndpoint: 'api_endpoint' };

/**
 * Rewrites links to the Terraform attribute names. A `Ref` to a stage is the stage's name in
 * CloudFormation (usage plans and method settings use it), so it becomes that name when it is known.
 */
function relinkValue(value: Value, byAddress: ReadonlyMap<string, CfnResource>): Value {
  if (value instanceof Unknown) {
    const ref = value.ref;
    if (!ref) return value;
    const target = byAddress.get(ref.address);
    if (target && ref.attribute === 'Ref' && (target.type === 'AWS::ApiGateway::Stage' || target.type === 'AWS::ApiGatewayV2::Stage')) {
      const name = target.properties.StageName;
      if (typeof name === 'string') return name;
    }
    return new Unknown(value.reason, { address: ref.address, attribute: ATTRIBUTES[ref.attribute] ?? ref.attribute.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase() }, value.partial);
  }
  if (Array.isArray(value)) return value.map((item) => relinkValue(item, byAddress));
  if (isObject(value)) {
    const out: ValueObject = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: relinkValue(item, byAddress), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * A WAF association's ResourceArn is built with Fn::Sub from the API and the stage
 * (`arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}`): the stage it names links it.
 */
function stageArnLink(cfn: CfnResource, byAddress: ReadonlyMap<string, CfnResource>): Value | undefined {
  const raw = cfn.rawProperties.ResourceArn;
  const template = isObject(raw as Value) ? (raw as Record<string, unknown>)['Fn::Sub'] : undefined;
  const text = Array.isArray(template) ? template[0] : template;
  if (typeof text !== 'string') return undefined;
  const link = (target: CfnResource): Value => new Unknown(`the ARN of ${target.address} is known only after deployment`, { address: target.address, attribute: 'arn' });
  for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) {
    const target = byAddress.get(`${cfn.stackPrefix}${match[1]}`);
    if (target?.type === 'AWS::ApiGateway::Stage') return link(target);
  }
  // `/restapis/${Api}/stages/dev`: the stage of that API with that literal name (SAM's `StageName: dev`).
  const byName = /\/restapis\/\$\{([A-Za-z0-9]+)\}\/stages\/([A-Za-z0-9_-]+)$/.exec(text);
  if (byName) {
    for (const target of byAddress.values()) {
      if (target.type !== 'AWS::ApiGateway::Stage' || target.stackPrefix !== cfn.stackPrefix || target.properties.StageName !== byName[2]) continue;
      // Written `!Ref Api`, or made by SAM (its generated stage holds the reference, not the raw property).
      const raw = target.rawProperties.RestApiId;
      const api = target.properties.RestApiId;
      if ((isObject(raw as Value) && (raw as Record<string, unknown>).Ref === byName[1]) || (api instanceof Unknown && api.ref?.address === `${cfn.stackPrefix}${byName[1]}`)) return link(target);
    }
  }
  return undefined;
}
