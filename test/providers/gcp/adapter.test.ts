import { describe, expect, it } from 'vitest';
import type { Entity, EntityKind } from '../../../src/model/entities.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { adaptGcpTerraform } from '../../../providers/gcp/terraform/index.js';
import { refTo, viewOf } from '../../helpers/resource-view.js';

const byId = (entities: readonly Entity[], kind: EntityKind, id: string): Entity | undefined => entities.find((entity) => entity.kind === kind && entity.id === id);

/** A Swagger 2.0 document with Google's extensions: a JWT issuer, API keys, a quota and CORS to the backend. */
const SPEC = `swagger: "2.0"
info: { title: orders, version: "1.0" }
x-google-endpoints:
  - name: orders.apigateway.acme.cloud.goog
    allowCors: true
x-google-backend: { address: "https://orders.a.run.app" }
securityDefinitions:
  api_key: { type: apiKey, name: key, in: query }
  firebase:
    type: oauth2
    flow: implicit
    authorizationUrl: ""
    x-google-issuer: "https://securetoken.google.com/acme"
    x-google-jwks_uri: "https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com"
security:
  - firebase: []
x-google-management:
  metrics:
    - { name: read-requests, valueType: INT64, metricKind: DELTA }
  quota:
    limits:
      - { name: read-limit, metric: read-requests, unit: "1/min/{project}", values: { STANDARD: 600 } }
paths:
  /healthz:
    get:
      operationId: health
      security: []
      responses: { "200": { description: ok } }
  /orders:
    get:
      operationId: listOrders
      security:
        - api_key: []
      x-google-quota:
        metricCosts: { read-requests: 1 }
      responses: { "200": { description: ok } }
    post:
      operationId: createOrder
      x-google-quota:
        metricCosts: { read-requests: 1 }
      responses: { "200": { description: ok } }
`;

/** An API, a config that embeds the document (base64, as `filebase64()` gives it) and a gateway serving it. */
function apiGateway(): ResourceView[] {
  const api = viewOf({ type: 'google_api_gateway_api', name: 'orders', values: { api_id: 'orders', display_name: 'Orders API' } });
  const config = viewOf({
    type: 'google_api_gateway_api_config',
    name: 'orders',
    values: { api: refTo(api, 'api_id'), openapi_documents: [{ document: [{ path: 'openapi.yaml', contents: Buffer.from(SPEC).toString('base64') }] }] },
  });
  const gateway = viewOf({ type: 'google_api_gateway_gateway', name: 'orders', values: { gateway_id: 'orders-gw', api_config: refTo(config) } });
  return [api, config, gateway];
}

describe('the GCP adapter, given Terraform-shaped views', () => {
  it('makes the API a gateway served by the gateways in the input', () => {
    const { entities, diagnostics } = adaptGcpTerraform(apiGateway());
    expect(diagnostics).toEqual([]);
    expect(byId(entities, 'gateway', 'google_api_gateway_api.orders')).toMatchObject({
      provider: 'gcp',
      name: 'Orders API',
      definedByOpenApi: true,
      gcp: { product: 'api-gateway', service: 'orders', allowCors: true, gateways: ['orders-gw'] },
    });
  });

  it('gives each operation the security of the document or its own', () => {
    const routes = adaptGcpTerraform(apiGateway()).entities.filter((entity) => entity.kind === 'route');
    expect(routes.map((route) => route.id).sort()).toEqual([
      'google_api_gateway_api_config.orders/GET /healthz',
      'google_api_gateway_api_config.orders/GET /orders',
      'google_api_gateway_api_config.orders/POST /orders',
    ]);
    const route = (key: string): Entity => routes.find((entity) => entity.id.endsWith(key))!;
    expect(route('GET /healthz')).toMatchObject({ parentId: 'google_api_gateway_api.orders', auth: { kind: 'none', source: 'openapi-operation' } });
    expect(route('POST /orders')).toMatchObject({ auth: { kind: 'jwt' } });
    expect(route('GET /orders')).toMatchObject({ auth: { kind: 'api-key', apiKeyRequired: true }, gcp: { quotaMetrics: ['read-requests'], backendAddress: 'https://orders.a.run.app' } });
  });

  it('limits an operation by its quota when callers present an API key, and not otherwise', () => {
    const routes = adaptGcpTerraform(apiGateway()).entities;
    // 600 a minute is 10 a second.
    expect(byId(routes, 'route', 'google_api_gateway_api_config.orders/GET /orders')).toMatchObject({ rateLimit: { rateLimit: 10, burstLimit: 600, source: 'openapi' } });
    // Charged against the same metric, but without an API key API Gateway cannot tell callers apart.
    expect(byId(routes, 'route', 'google_api_gateway_api_config.orders/POST /orders')).toMatchObject({ key: 'POST /orders', auth: { kind: 'jwt' }, gcp: { quotaMetrics: ['read-requests'] } });
    expect(byId(routes, 'route', 'google_api_gateway_api_config.orders/POST /orders')).not.toHaveProperty('rateLimit');
  });

  it('reports a config whose API cannot be resolved, and checks nothing of it', () => {
    const [, config] = apiGateway();
    const orphan = viewOf({ type: config!.type, name: 'orphan', values: { ...config!.values, api: null } });
    const { entities, diagnostics } = adaptGcpTerraform([orphan]);
    expect(entities).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'unresolved', address: 'google_api_gateway_api_config.orphan' }]);
  });

  it('reads a Cloud Endpoints service from its OpenAPI text', () => {
    const service = viewOf({ type: 'google_endpoints_service', name: 'orders', values: { service_name: 'orders.endpoints.acme.cloud.goog', openapi_config: SPEC } });
    const { entities } = adaptGcpTerraform([service]);
    expect(byId(entities, 'gateway', 'google_endpoints_service.orders')).toMatchObject({ name: 'orders', gcp: { product: 'endpoints', service: 'orders.endpoints.acme.cloud.goog', allowCors: true } });
    expect(byId(entities, 'route', 'google_endpoints_service.orders/GET /healthz')).toMatchObject({ auth: { kind: 'none' } });
  });
});
