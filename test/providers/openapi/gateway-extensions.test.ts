import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Gateway, Route } from '../../../src/model/entities.js';
import { adaptOpenApiDocument } from '../../../providers/index.js';
import { lineLocation } from '../../../src/model/location.js';
import { readInventory } from '../../../src/pipeline/scan.js';

const policies = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../policies');

/** Adapts a document given as data, every part located at line 1. */
function adapt(data: unknown) {
  return adaptOpenApiDocument({ file: 'api.yaml', data, locate: () => lineLocation('api.yaml', 1) }, '');
}

describe('stand-alone documents keep their gateway extensions', () => {
  it('an API Gateway export: authorizers authenticate, the mock OPTIONS is a preflight, the key source applies', async () => {
    const inventory = await readInventory({ cwd: path.join(policies, 'authentication/route-requires-auth/test/openapi-document-aws') });
    const routes = inventory.entities.filter((e): e is Route => e.kind === 'route');
    expect(Object.fromEntries(routes.map((route) => [route.key, [route.auth.kind, route.auth.apiKeyRequired, route.isCorsPreflight]]))).toEqual({
      'GET /orders': ['cognito', false, false],
      'POST /orders': ['lambda', false, false],
      'OPTIONS /orders': ['none', false, true],
      'GET /prices': ['api-key', true, false],
    });
    expect(inventory.entities.find((e): e is Gateway => e.kind === 'gateway')).toMatchObject({ provider: 'aws', protocol: 'rest', aws: { apiKeySource: 'header' } });
    const authorizerKeys = adapt({ swagger: '2.0', info: { title: 'keys' }, 'x-amazon-apigateway-api-key-source': 'AUTHORIZER', paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } });
    expect(authorizerKeys.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'aws', aws: { apiKeySource: 'authorizer' } });
  });

  it('a Cloud Endpoints spec is recognised by its host, or by x-google-* below its top', () => {
    const paths = { '/echo': { post: { operationId: 'echo', responses: { 200: { description: 'ok' } } } } };
    const byHost = adapt({ swagger: '2.0', info: { title: 'echo' }, host: 'echo-api.endpoints.acme-prod.cloud.goog', paths });
    expect(byHost.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'gcp', gcp: { product: 'endpoints', service: 'echo-api.endpoints.acme-prod.cloud.goog' } });
    const apiGateway = adapt({ swagger: '2.0', info: { title: 'echo' }, host: 'echo-gw.apigateway.acme-prod.cloud.goog', paths });
    expect(apiGateway.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'gcp', gcp: { product: 'api-gateway' } });
    const byIssuer = adapt({ swagger: '2.0', info: { title: 'echo' }, securityDefinitions: { jwt: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'https://securetoken.google.com/acme-prod' } }, paths });
    expect(byIssuer.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'gcp' });
    const byBackend = adapt({ swagger: '2.0', info: { title: 'echo' }, paths: { '/echo': { post: { ...paths['/echo'].post, 'x-google-backend': { address: 'https://echo-abc123-ew.a.run.app' } } } } });
    expect(byBackend.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'gcp' });
    // Any other host is no sign of a Google gateway.
    const other = adapt({ swagger: '2.0', info: { title: 'echo' }, host: 'api.example.com', paths });
    expect(other.entities.find((e) => e.kind === 'gateway')).toMatchObject({ provider: 'openapi' });
  });
});
