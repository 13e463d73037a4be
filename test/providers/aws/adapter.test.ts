import { describe, expect, it } from 'vitest';
import type { Entity, EntityKind } from '../../../src/model/entities.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { adaptAwsTerraform } from '../../../providers/aws/terraform/index.js';
import { refTo, viewOf } from '../../helpers/resource-view.js';

const byId = (entities: readonly Entity[], kind: EntityKind, id: string): Entity | undefined => entities.find((entity) => entity.kind === kind && entity.id === id);

/** A REST API with one resource, two methods (one open, one behind Cognito) and a throttled stage. */
function restApi(): ResourceView[] {
  const api = viewOf({ type: 'aws_api_gateway_rest_api', name: 'api', values: { name: 'orders' } });
  const users = viewOf({ type: 'aws_api_gateway_resource', name: 'users', values: { rest_api_id: refTo(api), parent_id: refTo(api, 'root_resource_id'), path_part: 'users' } });
  const pool = viewOf({ type: 'aws_api_gateway_authorizer', name: 'pool', values: { name: 'pool', rest_api_id: refTo(api), type: 'COGNITO_USER_POOLS', provider_arns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc'] } });
  const link = { rest_api_id: refTo(api), resource_id: refTo(users) };
  return [
    api,
    users,
    pool,
    viewOf({ type: 'aws_api_gateway_method', name: 'get', values: { ...link, http_method: 'GET', authorization: 'NONE' } }),
    viewOf({ type: 'aws_api_gateway_method', name: 'post', values: { ...link, http_method: 'POST', authorization: 'COGNITO_USER_POOLS', authorizer_id: refTo(pool), api_key_required: true } }),
    viewOf({ type: 'aws_api_gateway_integration', name: 'get', values: { ...link, http_method: 'GET', type: 'AWS_PROXY', uri: 'arn:aws:apigateway:eu-west-1:lambda:path/functions/x/invocations' } }),
    viewOf({ type: 'aws_api_gateway_stage', name: 'prod', values: { rest_api_id: refTo(api), stage_name: 'prod' } }),
    viewOf({ type: 'aws_api_gateway_method_settings', name: 'all', values: { rest_api_id: refTo(api), stage_name: 'prod', method_path: '*/*', settings: [{ throttling_rate_limit: 100, throttling_burst_limit: 50 }] } }),
  ];
}

describe('the AWS adapter, given Terraform-shaped views', () => {
  it('makes a route per REST method, with its path from the resource chain and its effective auth', () => {
    const { entities, diagnostics } = adaptAwsTerraform(restApi());
    expect(diagnostics).toEqual([]);
    expect(byId(entities, 'gateway', 'aws_api_gateway_rest_api.api')).toMatchObject({ name: 'orders', protocol: 'rest', endpointType: 'edge', parentId: null });
    expect(byId(entities, 'route', 'aws_api_gateway_method.get')).toMatchObject({
      key: 'GET /users',
      parentId: 'aws_api_gateway_rest_api.api',
      auth: { kind: 'none', apiKeyRequired: false, source: 'method' },
      integration: 'lambda',
    });
    expect(byId(entities, 'route', 'aws_api_gateway_method.post')).toMatchObject({
      key: 'POST /users',
      auth: { kind: 'cognito', apiKeyRequired: true, authorizerId: 'aws_api_gateway_authorizer.pool' },
    });
    expect(byId(entities, 'authorizer', 'aws_api_gateway_authorizer.pool')).toMatchObject({ type: 'cognito', attached: true });
  });

  it('takes throttling from the "*/*" method settings of the stage, for the stage and each route', () => {
    const { entities } = adaptAwsTerraform(restApi());
    expect(byId(entities, 'stage', 'aws_api_gateway_stage.prod')).toMatchObject({ name: 'prod', throttle: { rateLimit: 100, burstLimit: 50, source: 'stage' } });
    expect(byId(entities, 'route', 'aws_api_gateway_method.get')).toMatchObject({ rateLimit: { rateLimit: 100, burstLimit: 50, stage: 'prod' } });
  });

  it('prefixes ids with the root module when given one', () => {
    const { entities } = adaptAwsTerraform(restApi(), 'envs/prod');
    expect(byId(entities, 'route', 'envs/prod:aws_api_gateway_method.get')).toMatchObject({ parentId: 'envs/prod:aws_api_gateway_rest_api.api', address: 'aws_api_gateway_method.get' });
  });

  it('reads an HTTP API: JWT route auth and the API-wide CORS configuration', () => {
    const api = viewOf({
      type: 'aws_apigatewayv2_api',
      name: 'http',
      values: {
        name: 'items',
        protocol_type: 'HTTP',
        cors_configuration: [{ allow_origins: ['https://app.example.com'], allow_methods: ['GET', 'POST'], allow_headers: ['authorization'], allow_credentials: true }],
      },
    });
    const jwt = viewOf({
      type: 'aws_apigatewayv2_authorizer',
      name: 'jwt',
      values: { api_id: refTo(api), authorizer_type: 'JWT', name: 'jwt', identity_sources: ['$request.header.Authorization'], jwt_configuration: [{ issuer: 'https://issuer.example.com', audience: ['items'] }] },
    });
    const route = viewOf({ type: 'aws_apigatewayv2_route', name: 'get', values: { api_id: refTo(api), route_key: 'GET /items', authorization_type: 'JWT', authorizer_id: refTo(jwt) } });
    const { entities } = adaptAwsTerraform([api, jwt, route]);
    expect(byId(entities, 'gateway', 'aws_apigatewayv2_api.http')).toMatchObject({ protocol: 'http', name: 'items' });
    expect(byId(entities, 'route', 'aws_apigatewayv2_route.get')).toMatchObject({ method: 'GET', path: '/items', auth: { kind: 'jwt', authorizerId: 'aws_apigatewayv2_authorizer.jwt' } });
    expect(byId(entities, 'authorizer', 'aws_apigatewayv2_authorizer.jwt')).toMatchObject({ jwtIssuer: 'https://issuer.example.com', jwtAudiences: ['items'] });
    const cors = entities.find((entity) => entity.kind === 'cors');
    expect(cors).toMatchObject({
      parentId: 'aws_apigatewayv2_api.http',
      source: 'api-config',
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization'],
      allowCredentials: true,
    });
  });

  it('says which Terraform resource is missing when a method has no integration', () => {
    const views = restApi().filter((view) => view.type !== 'aws_api_gateway_integration');
    const route = byId(adaptAwsTerraform(views).entities, 'route', 'aws_api_gateway_method.get') as { integration: unknown };
    expect(route.integration).toBeInstanceOf(Unknown);
    expect((route.integration as Unknown).reason).toBe('no aws_api_gateway_integration for aws_api_gateway_method.get is in the scanned configuration');
  });
});

/** The views the CloudFormation translation makes of a template: logical ids, and the template's own types. */
function cloudFormationApi(): ResourceView[] {
  const cfn = (type: string, terraformType: string, logicalId: string, values: ResourceView['values']): ResourceView =>
    viewOf({ type: terraformType, name: logicalId, address: logicalId, format: 'cloudformation', source: { type, name: logicalId }, file: 'template.yaml', values });
  const api = cfn('AWS::ApiGateway::RestApi', 'aws_api_gateway_rest_api', 'Api', { name: 'orders' });
  const users = cfn('AWS::ApiGateway::Resource', 'aws_api_gateway_resource', 'Users', { rest_api_id: refTo(api), parent_id: refTo(api, 'root_resource_id'), path_part: 'users' });
  // CloudFormation's default AuthorizationType is NONE; the translation writes it.
  const method = cfn('AWS::ApiGateway::Method', 'aws_api_gateway_method', 'GetUsers', { authorization: 'NONE', rest_api_id: refTo(api), resource_id: refTo(users), http_method: 'GET' });
  const throttled = cfn('AWS::ApiGateway::Stage', 'aws_api_gateway_stage', 'Prod', { rest_api_id: refTo(api), stage_name: 'prod' });
  return [api, users, method, throttled];
}

describe('the AWS adapter, given CloudFormation-shaped views', () => {
  it('keeps logical ids as entity ids and the template as the origin', () => {
    const { entities } = adaptAwsTerraform(cloudFormationApi());
    expect(byId(entities, 'gateway', 'Api')).toMatchObject({ origin: { format: 'cloudformation', file: 'template.yaml' }, address: 'Api' });
    expect(byId(entities, 'route', 'GetUsers')).toMatchObject({ key: 'GET /users', parentId: 'Api', auth: { kind: 'none', source: 'method' } });
    expect(byId(entities, 'stage', 'Prod')).toMatchObject({ name: 'prod', parentId: 'Api' });
  });

  it('names the missing integration as the template does: the Integration of an AWS::ApiGateway::Method', () => {
    const route = byId(adaptAwsTerraform(cloudFormationApi()).entities, 'route', 'GetUsers') as { integration: unknown };
    expect((route.integration as Unknown).reason).toBe('no Integration for AWS::ApiGateway::Method GetUsers is in the scanned configuration');
  });

  it('leaves a route without throttling when the stage sets none', () => {
    const { entities } = adaptAwsTerraform(cloudFormationApi());
    expect(byId(entities, 'route', 'GetUsers')).toMatchObject({ key: 'GET /users', unthrottledStage: 'prod' });
    expect(byId(entities, 'route', 'GetUsers')).not.toHaveProperty('rateLimit');
    expect(byId(entities, 'stage', 'Prod')).toMatchObject({ name: 'prod' });
    expect(byId(entities, 'stage', 'Prod')).not.toHaveProperty('throttle');
  });
});
