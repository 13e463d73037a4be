import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../../src/model/entities.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { readInventory } from '../../../src/pipeline/scan.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aws/model');
let inventory: Inventory;

beforeAll(async () => {
  inventory = await readInventory({ cwd: fixture });
});

function entity(id: string): Entity {
  const found = inventory.entities.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no entity ${id}; have ${inventory.entities.map((e) => e.id).join(', ')}`);
  return found;
}

// The adapter's effective settings, one row per entity: what each Terraform construct means.
describe('AWS Terraform adapter: effective settings', () => {
  it('reads everything without diagnostics', () => {
    expect(inventory.diagnostics).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['aws_api_gateway_rest_api.private', { kind: 'gateway', protocol: 'rest', endpointType: 'private', aws: { apiKeySource: 'authorizer', disableExecuteApiEndpoint: true, hasResourcePolicy: true } }],
    ['aws_apigatewayv2_api.socket', { kind: 'gateway', protocol: 'websocket', endpointType: 'regional' }],
    [
      'aws_api_gateway_method.accounts_get',
      {
        key: 'GET /v1/accounts',
        path: '/v1/accounts',
        auth: { kind: 'lambda', apiKeyRequired: false, source: 'method', authorizerId: 'aws_api_gateway_authorizer.lambda', scopes: [] },
        integration: 'aws-service',
        isCorsPreflight: false,
        // Weakest stage wins: the legacy stage's per-method override (5000/s) beats live's 500/s.
        rateLimit: { rateLimit: 5000, burstLimit: 2000, source: 'method-settings', stage: 'legacy' },
      },
    ],
    ['aws_api_gateway_method.accounts_any', { method: 'ANY', auth: { kind: 'iam', apiKeyRequired: false, source: 'method', scopes: [] }, integration: 'http-proxy', rateLimit: { rateLimit: 1000, burstLimit: 300, source: 'stage', stage: 'legacy' } }],
    ['aws_api_gateway_stage.live', { name: 'live', throttle: { rateLimit: 500, burstLimit: 250, source: 'stage' }, accessLogging: true, tracing: true, cacheEnabled: true, cacheEncrypted: true, wafAttached: true }],
    ['aws_api_gateway_deployment.private/stage', { kind: 'stage', name: 'legacy', accessLogging: false, wafAttached: false }],
    ['aws_api_gateway_authorizer.lambda', { type: 'lambda', attached: true, identitySources: ['method.request.header.Authorization', 'context.sourceIp'], resultTtlSeconds: 0 }],
    ['aws_api_gateway_authorizer.unused', { type: 'cognito', attached: false, resultTtlSeconds: 300 }],
    ['aws_api_gateway_api_key.from_random', { valueSource: 'generated', enabled: true }],
    ['aws_api_gateway_domain_name.api', { name: 'api.example.com', securityPolicy: 'TLS_1_2', mutualTls: true, endpointType: 'regional', gatewayIds: ['aws_api_gateway_rest_api.private'] }],
    ['aws_apigatewayv2_domain_name.socket', { securityPolicy: 'TLS_1_2', mutualTls: false, endpointType: 'regional', gatewayIds: ['aws_apigatewayv2_api.socket'] }],
    // Quick create: AWS adds an open $default route and an unthrottled $default stage.
    ['aws_apigatewayv2_api.quick/quick-create-route', { key: '$default', method: 'ANY', auth: { kind: 'none', apiKeyRequired: false, source: 'default' }, integration: 'lambda' }],
    ['aws_apigatewayv2_api.quick/$default-stage', { kind: 'stage', name: '$default' }],
    // WebSocket message routes carry the authentication of $connect.
    ['aws_apigatewayv2_route.socket_connect', { key: '$connect', method: 'WEBSOCKET', auth: { kind: 'iam', apiKeyRequired: false, source: 'route', scopes: [] } }],
    ['aws_apigatewayv2_route.socket_send', { key: 'send', auth: { kind: 'iam', apiKeyRequired: false, source: 'connect-route', scopes: [] }, integration: 'lambda' }],
  ])('%s', (id, expected) => {
    expect(entity(id)).toMatchObject(expected);
  });

  it('leaves the throttle of a route without any limit absent, not zero', () => {
    expect(entity('aws_apigatewayv2_api.quick/quick-create-route')).not.toHaveProperty('rateLimit');
  });

  it('makes the limit of routes whose API has no stage unknown, with the reason', () => {
    expect(JSON.parse(JSON.stringify(entity('aws_apigatewayv2_route.socket_send')))).toMatchObject({
      rateLimit: { unknown: true, reason: 'no stage of this API is in the scanned configuration; throttling is set per stage' },
    });
  });
});

describe('AWS Terraform adapter: locations', () => {
  it.each<[string, string, number]>([
    ['aws_api_gateway_method.accounts_get', 'auth', 48],
    ['aws_api_gateway_method.accounts_get', 'rateLimit', 126],
    ['aws_api_gateway_method.accounts_any', 'rateLimit', 116],
    ['aws_api_gateway_method.accounts_get', 'integration', 56],
    ['aws_api_gateway_domain_name.api', 'securityPolicy', 134],
  ])('%s %s points at line %i', (id, field, line) => {
    expect(entity(id).fieldLocations[field]).toMatchObject({ file: 'main.tf', startLine: line });
  });

  it('points an entity at the first line of its block', () => {
    expect(entity('aws_api_gateway_stage.live').location).toMatchObject({ file: 'main.tf', startLine: 82, endLine: 92 });
  });
});
