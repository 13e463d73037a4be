import type { Method, MethodSetting } from '@aws-sdk/client-api-gateway';
import type { Origin, SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { awsResourceType } from '../../shared/source-names.js';
import { TranslatedView } from '../../shared/translate.js';
import type { RawRegion } from './raw.js';
import { unescapeLivePolicy } from '../resource-policy.js';

/**
 * A live API Gateway object in the Terraform shape of the same object, named by its ARN. Every part of
 * a live resource is at the resource: there are no lines to point at, so no field needs mapping.
 */
function liveView(type: string, address: string, name: string, values: ValueObject, location: SourceLocation, origin: Origin): ResourceView {
  return new TranslatedView({
    format: 'live',
    type,
    // The ARN: how an audit names what it found.
    address,
    name,
    source: { type: awsResourceType(type), name: address },
    modulePath: '',
    rootModule: `${origin.account ?? ''}/${origin.region ?? ''}`,
    values,
    location,
    origin,
    fields: {},
    locateSource: () => location,
  });
}

/** Drops undefined fields, so that absent settings stay absent (not null) for the adapter. */
function defined(values: Record<string, Value | undefined>): ValueObject {
  const out: ValueObject = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

/** The console's host for a partition. */
function consoleHost(partition: string, region: string): string {
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

/**
 * Turns one region's API Gateway objects into the Terraform shapes of the same objects, for the one
 * AWS adapter: the same semantics as a scan of the code that created them. Identifiers are the real
 * ones, so links (a method to its API and resource, a WAF ACL to its stage) resolve by value. Pure.
 */
export function translateLiveRegion(raw: RawRegion): ResourceView[] {
  const { partition, region, account } = raw;
  const origin: Origin = { format: 'live', account, region };
  const arn = (path: string): string => `arn:${partition}:apigateway:${region}::${path}`;
  const console = `https://${consoleHost(partition, region)}/apigateway/main`;
  const out: ResourceView[] = [];
  const add = (type: string, path: string, name: string, values: ValueObject, url: string): void => {
    const address = arn(path);
    out.push(liveView(type, address, name, values, { file: address, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, url }, origin));
  };

  for (const { api, resources, authorizers, stages, gatewayResponses, requestValidators } of raw.restApis) {
    const id = api.id ?? '';
    const apiPath = `/restapis/${id}`;
    const apiUrl = `${console}/apis/${id}/resources?api=${id}&region=${region}`;
    const root = resources.find((resource) => resource.path === '/');
    add(
      'aws_api_gateway_rest_api',
      apiPath,
      api.name ?? id,
      defined({
        id,
        name: api.name,
        root_resource_id: root?.id,
        api_key_source: api.apiKeySource,
        disable_execute_api_endpoint: api.disableExecuteApiEndpoint,
        endpoint_configuration: api.endpointConfiguration ? [defined({ types: api.endpointConfiguration.types, vpc_endpoint_ids: api.endpointConfiguration.vpcEndpointIds })] : undefined,
        policy: api.policy === undefined ? undefined : unescapeLivePolicy(api.policy),
        // GetRestApis returns the API's tags: owners are read from them.
        tags: api.tags,
      }),
      apiUrl,
    );
    for (const resource of resources) {
      const resourceUrl = `${console}/apis/${id}/resources/${resource.id ?? ''}?api=${id}&region=${region}`;
      if (resource !== root) {
        add('aws_api_gateway_resource', `${apiPath}/resources/${resource.id ?? ''}`, resource.path ?? '', defined({ id: resource.id, rest_api_id: id, parent_id: resource.parentId, path_part: resource.pathPart }), resourceUrl);
      }
      for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
        translateMethod(add, `${apiPath}/resources/${resource.id ?? ''}/methods/${httpMethod}`, `${httpMethod} ${resource.path ?? ''}`, id, resource.id ?? '', httpMethod, method, resourceUrl);
      }
    }
    for (const validator of requestValidators ?? []) {
      add(
        'aws_api_gateway_request_validator',
        `${apiPath}/requestvalidators/${validator.id ?? ''}`,
        validator.name ?? validator.id ?? '',
        defined({ id: validator.id, name: validator.name, rest_api_id: id, validate_request_body: validator.validateRequestBody, validate_request_parameters: validator.validateRequestParameters }),
        apiUrl,
      );
    }
    for (const authorizer of authorizers) {
      add(
        'aws_api_gateway_authorizer',
        `${apiPath}/authorizers/${authorizer.id ?? ''}`,
        authorizer.name ?? '',
        defined({
          id: authorizer.id,
          name: authorizer.name,
          rest_api_id: id,
          type: authorizer.type,
          identity_source: authorizer.identitySource,
          authorizer_uri: authorizer.authorizerUri,
          authorizer_result_ttl_in_seconds: authorizer.authorizerResultTtlInSeconds,
          provider_arns: authorizer.providerARNs,
        }),
        `${console}/apis/${id}/authorizers?api=${id}&region=${region}`,
      );
    }
    for (const stage of stages) {
      const stagePath = `${apiPath}/stages/${stage.stageName ?? ''}`;
      const stageUrl = `${console}/apis/${id}/stages?api=${id}&region=${region}`;
      add(
        'aws_api_gateway_stage',
        stagePath,
        stage.stageName ?? '',
        defined({
          arn: arn(stagePath),
          rest_api_id: id,
          stage_name: stage.stageName,
          deployment_id: stage.deploymentId,
          xray_tracing_enabled: stage.tracingEnabled,
          cache_cluster_enabled: stage.cacheClusterEnabled,
          client_certificate_id: stage.clientCertificateId,
          access_log_settings: stage.accessLogSettings?.destinationArn ? [defined({ destination_arn: stage.accessLogSettings.destinationArn, format: stage.accessLogSettings.format })] : undefined,
          // Read for secrets-in-config, which reports a credential by name and place, never its value.
          variables: stage.variables,
        }),
        stageUrl,
      );
      for (const [methodPath, setting] of Object.entries(stage.methodSettings ?? {})) {
        add('aws_api_gateway_method_settings', `${stagePath}/methodsettings/${methodPath}`, methodPath, defined({ rest_api_id: id, stage_name: stage.stageName, method_path: methodPath, settings: [methodSettings(setting)] }), stageUrl);
      }
      if (stage.webAclArn) {
        add('aws_wafv2_web_acl_association', `${stagePath}/webacl`, stage.webAclArn, { resource_arn: arn(stagePath), web_acl_arn: stage.webAclArn }, stageUrl);
      }
    }
    for (const response of gatewayResponses) {
      // Responses API Gateway ships with no parameters change nothing; the customised ones can add CORS headers.
      if (response.defaultResponse === true && Object.keys(response.responseParameters ?? {}).length === 0) continue;
      add(
        'aws_api_gateway_gateway_response',
        `${apiPath}/gatewayresponses/${response.responseType ?? ''}`,
        response.responseType ?? '',
        defined({ rest_api_id: id, response_type: response.responseType, status_code: response.statusCode, response_parameters: response.responseParameters }),
        `${console}/apis/${id}/gateway-responses?api=${id}&region=${region}`,
      );
    }
  }

  for (const { plan, keys } of raw.usagePlans) {
    const planUrl = `${console}/usage-plans/${plan.id ?? ''}?region=${region}`;
    add(
      'aws_api_gateway_usage_plan',
      `/usageplans/${plan.id ?? ''}`,
      plan.name ?? '',
      defined({
        id: plan.id,
        name: plan.name,
        api_stages: (plan.apiStages ?? []).map((stage) =>
          defined({
            api_id: stage.apiId,
            stage: stage.stage,
            throttle: Object.entries(stage.throttle ?? {}).map(([path, limits]) => defined({ path, rate_limit: limits.rateLimit, burst_limit: limits.burstLimit })),
          }),
        ),
        throttle_settings: plan.throttle ? [defined({ rate_limit: plan.throttle.rateLimit, burst_limit: plan.throttle.burstLimit })] : undefined,
        quota_settings: plan.quota ? [defined({ limit: plan.quota.limit, offset: plan.quota.offset, period: plan.quota.period })] : undefined,
      }),
      planUrl,
    );
    for (const key of keys) add('aws_api_gateway_usage_plan_key', `/usageplans/${plan.id ?? ''}/keys/${key.id ?? ''}`, key.name ?? '', defined({ usage_plan_id: plan.id, key_id: key.id, key_type: key.type }), planUrl);
  }
  for (const key of raw.apiKeys) {
    add('aws_api_gateway_api_key', `/apikeys/${key.id ?? ''}`, key.name ?? '', defined({ id: key.id, name: key.name, enabled: key.enabled, created_date: key.createdDate?.toISOString() }), `${console}/api-keys/${key.id ?? ''}?region=${region}`);
  }
  for (const { domain, mappings } of raw.domainNames) {
    const name = domain.domainName ?? '';
    const url = `${console}/publish/domain-names?domain=${name}&region=${region}`;
    add(
      'aws_api_gateway_domain_name',
      `/domainnames/${name}`,
      name,
      defined({
        domain_name: name,
        security_policy: domain.securityPolicy,
        endpoint_configuration: domain.endpointConfiguration ? [defined({ types: domain.endpointConfiguration.types })] : undefined,
        mutual_tls_authentication: domain.mutualTlsAuthentication?.truststoreUri ? [defined({ truststore_uri: domain.mutualTlsAuthentication.truststoreUri })] : undefined,
      }),
      url,
    );
    for (const mapping of mappings) add('aws_api_gateway_base_path_mapping', `/domainnames/${name}/basepathmappings/${mapping.basePath ?? '(none)'}`, mapping.basePath ?? '', defined({ domain_name: name, api_id: mapping.restApiId, stage_name: mapping.stage, base_path: mapping.basePath }), url);
  }

  for (const { api, routes, authorizers, integrations, stages } of raw.v2Apis) {
    const id = api.ApiId ?? '';
    const apiPath = `/apis/${id}`;
    const apiUrl = `${console}/develop/routes?api=${id}&region=${region}`;
    const cors = api.CorsConfiguration;
    add(
      'aws_apigatewayv2_api',
      apiPath,
      api.Name ?? id,
      defined({
        id,
        name: api.Name,
        protocol_type: api.ProtocolType,
        route_selection_expression: api.RouteSelectionExpression,
        disable_execute_api_endpoint: api.DisableExecuteApiEndpoint,
        tags: api.Tags,
        cors_configuration: cors
          ? [defined({ allow_origins: cors.AllowOrigins, allow_methods: cors.AllowMethods, allow_headers: cors.AllowHeaders, allow_credentials: cors.AllowCredentials, expose_headers: cors.ExposeHeaders, max_age: cors.MaxAge })]
          : undefined,
      }),
      apiUrl,
    );
    for (const route of routes) {
      add(
        'aws_apigatewayv2_route',
        `${apiPath}/routes/${route.RouteId ?? ''}`,
        route.RouteKey ?? '',
        defined({
          api_id: id,
          route_key: route.RouteKey,
          authorization_type: route.AuthorizationType,
          authorizer_id: route.AuthorizerId,
          api_key_required: route.ApiKeyRequired,
          authorization_scopes: route.AuthorizationScopes,
          // GetRoutes writes the target as "integrations/<id>"; the integration is found by its id.
          target: route.Target?.replace(/^integrations\//, ''),
        }),
        apiUrl,
      );
    }
    for (const authorizer of authorizers) {
      add(
        'aws_apigatewayv2_authorizer',
        `${apiPath}/authorizers/${authorizer.AuthorizerId ?? ''}`,
        authorizer.Name ?? '',
        defined({
          id: authorizer.AuthorizerId,
          api_id: id,
          name: authorizer.Name,
          authorizer_type: authorizer.AuthorizerType,
          identity_sources: authorizer.IdentitySource,
          authorizer_uri: authorizer.AuthorizerUri,
          authorizer_result_ttl_in_seconds: authorizer.AuthorizerResultTtlInSeconds,
          jwt_configuration: authorizer.JwtConfiguration ? [defined({ audience: authorizer.JwtConfiguration.Audience, issuer: authorizer.JwtConfiguration.Issuer })] : undefined,
        }),
        `${console}/develop/authorization?api=${id}&region=${region}`,
      );
    }
    for (const integration of integrations) {
      add(
        'aws_apigatewayv2_integration',
        `${apiPath}/integrations/${integration.IntegrationId ?? ''}`,
        integration.IntegrationId ?? '',
        defined({ id: integration.IntegrationId, api_id: id, integration_type: integration.IntegrationType, integration_uri: integration.IntegrationUri, connection_type: integration.ConnectionType, request_parameters: integration.RequestParameters }),
        `${console}/develop/integrations?api=${id}&region=${region}`,
      );
    }
    for (const stage of stages) {
      const settings = stage.DefaultRouteSettings;
      add(
        'aws_apigatewayv2_stage',
        `${apiPath}/stages/${stage.StageName ?? ''}`,
        stage.StageName ?? '',
        defined({
          api_id: id,
          name: stage.StageName,
          default_route_settings: settings ? [defined({ throttling_rate_limit: settings.ThrottlingRateLimit, throttling_burst_limit: settings.ThrottlingBurstLimit, detailed_metrics_enabled: settings.DetailedMetricsEnabled, data_trace_enabled: settings.DataTraceEnabled, logging_level: settings.LoggingLevel })] : undefined,
          route_settings: Object.entries(stage.RouteSettings ?? {}).map(([routeKey, limits]) => defined({ route_key: routeKey, throttling_rate_limit: limits.ThrottlingRateLimit, throttling_burst_limit: limits.ThrottlingBurstLimit, data_trace_enabled: limits.DataTraceEnabled, logging_level: limits.LoggingLevel })),
          access_log_settings: stage.AccessLogSettings?.DestinationArn ? [defined({ destination_arn: stage.AccessLogSettings.DestinationArn, format: stage.AccessLogSettings.Format })] : undefined,
          stage_variables: stage.StageVariables,
          client_certificate_id: stage.ClientCertificateId,
        }),
        `${console}/deploy/stages?api=${id}&region=${region}`,
      );
    }
  }
  for (const { domain, mappings } of raw.v2DomainNames) {
    const name = domain.DomainName ?? '';
    // REST custom domains are listed by both APIs; the v1 listing already has them.
    if (raw.domainNames.some((candidate) => candidate.domain.domainName === name)) continue;
    const configuration = domain.DomainNameConfigurations?.[0];
    const url = `${console}/publish/domain-names?domain=${name}&region=${region}`;
    add(
      'aws_apigatewayv2_domain_name',
      `/domainnames/${name}`,
      name,
      defined({
        domain_name: name,
        domain_name_configuration: configuration ? [defined({ security_policy: configuration.SecurityPolicy, endpoint_type: configuration.EndpointType })] : undefined,
        mutual_tls_authentication: domain.MutualTlsAuthentication?.TruststoreUri ? [defined({ truststore_uri: domain.MutualTlsAuthentication.TruststoreUri })] : undefined,
      }),
      url,
    );
    for (const mapping of mappings) add('aws_apigatewayv2_api_mapping', `/domainnames/${name}/apimappings/${mapping.ApiMappingId ?? ''}`, mapping.ApiMappingKey ?? '', defined({ domain_name: name, api_id: mapping.ApiId, stage: mapping.Stage, api_mapping_key: mapping.ApiMappingKey }), url);
  }
  return out;
}

/** A method, its integration and integration responses, each as its Terraform resource. */
function translateMethod(
  add: (type: string, path: string, name: string, values: ValueObject, url: string) => void,
  path: string,
  name: string,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  method: Method,
  url: string,
): void {
  const identity = { rest_api_id: apiId, resource_id: resourceId, http_method: httpMethod };
  add(
    'aws_api_gateway_method',
    path,
    name,
    defined({
      ...identity,
      authorization: method.authorizationType,
      authorizer_id: method.authorizerId,
      api_key_required: method.apiKeyRequired,
      authorization_scopes: method.authorizationScopes,
      request_validator_id: method.requestValidatorId,
      request_models: method.requestModels,
      request_parameters: method.requestParameters,
    }),
    url,
  );
  const integration = method.methodIntegration;
  if (!integration) return;
  add('aws_api_gateway_integration', `${path}/integration`, name, defined({ ...identity, type: integration.type, uri: integration.uri, connection_type: integration.connectionType, integration_http_method: integration.httpMethod, cache_key_parameters: integration.cacheKeyParameters, request_parameters: integration.requestParameters }), url);
  for (const [statusCode, response] of Object.entries(integration.integrationResponses ?? {})) {
    add('aws_api_gateway_integration_response', `${path}/integration/responses/${statusCode}`, `${name} ${statusCode}`, defined({ ...identity, status_code: statusCode, response_parameters: response.responseParameters }), url);
  }
}

/**
 * A stage's method setting. The service returns throttling values for every setting; one missing
 * from a response is unknown, not the -1 that Terraform writes for an unset value.
 */
function methodSettings(setting: MethodSetting): ValueObject {
  const missing = new Unknown('the API response has no throttling value for this method setting');
  return defined({
    throttling_rate_limit: setting.throttlingRateLimit ?? missing,
    throttling_burst_limit: setting.throttlingBurstLimit ?? missing,
    caching_enabled: setting.cachingEnabled,
    cache_data_encrypted: setting.cacheDataEncrypted,
    metrics_enabled: setting.metricsEnabled,
    logging_level: setting.loggingLevel,
    data_trace_enabled: setting.dataTraceEnabled,
  });
}
