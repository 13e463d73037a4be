import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { adaptAzureTerraform } from '../../../providers/azure/terraform/index.js';
import { adaptApiOps } from '../../../providers/azure/apiops/index.js';
import { isTextDocumentError, parseTextDocument } from '../../../src/sources/openapi/document.js';
import { viewOf } from '../../helpers/resource-view.js';
import { startFakeArm, type FakeArm, type FakeService } from '../../helpers/fake-arm.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SUB = '5e0c2b7a-91d4-4c3e-8f6a-2b4d6f8a0c1e';
const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/rg-orders/providers/Microsoft.ApiManagement/service/apim-orders`;
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const VALIDATE_BODY = '<policies><inbound><base /><validate-content unspecified-content-type-action="prevent" max-size="4096" size-exceeded-action="prevent" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Orders API read live: the operation contracts (request representations, query parameters) come with the operations. */
const service: FakeService = {
  resourceGroup: 'rg-orders',
  name: 'apim-orders',
  apis: [
    {
      name: 'orders',
      properties: { displayName: 'Orders', path: 'orders', protocols: ['https'] },
      operations: [
        { name: 'search', properties: { method: 'GET', urlTemplate: '/search', request: { queryParameters: [{ name: 'q', type: 'string', required: true }] } } },
        { name: 'list', properties: { method: 'GET', urlTemplate: '/', request: { queryParameters: [{ name: 'page', type: 'integer', required: false }] } } },
        { name: 'cancel', properties: { method: 'DELETE', urlTemplate: '/{id}', request: { representations: [{ contentType: 'application/json' }] } } },
        { name: 'create', properties: { method: 'POST', urlTemplate: '/' }, policy: VALIDATE_BODY },
      ],
    },
  ],
};

describe('APIM request validation', () => {
  it('reads the operation contract and policies of a live instance: a required query parameter and a declared body without validation are findings', async () => {
    fake = await startFakeArm({ subscriptions: { [SUB]: { services: [service] } } });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, retryDelayMs: 5, subscriptions: [SUB] });
    const findings = report.findings.filter((finding) => finding.policyId === 'apim-request-validation');
    expect(findings.map((finding) => [finding.address, finding.routeKey, finding.severity])).toEqual([
      [`${SERVICE_ID}/apis/orders/operations/cancel`, 'DELETE /orders/{id}', 'low'],
      [`${SERVICE_ID}/apis/orders/operations/search`, 'GET /orders/search', 'low'],
    ]);
  });

  it('reads what an imported OpenAPI document declares: OAS3 requestBody, Swagger body parameters with or without a schema, required query and header parameters', async () => {
    const spec = {
      openapi: '3.0.1',
      info: { title: 'Orders', version: '1' },
      paths: {
        '/orders': {
          post: { operationId: 'create', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } },
          get: { operationId: 'list', parameters: [{ name: 'tenant', in: 'header', required: true, schema: { type: 'string' } }] },
        },
        '/orders/{id}': { delete: { operationId: 'remove', requestBody: { content: { 'application/json': {} } } }, get: { operationId: 'show' } },
      },
    };
    const { entities } = adaptAzureTerraform([
      viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'apim', sku_name: 'Developer_1' } }),
      viewOf({ type: 'azurerm_api_management_api', name: 'orders', values: { name: 'orders', api_management_name: 'apim', resource_group_name: 'rg', path: 'orders', protocols: ['https'], import: [{ content_format: 'openapi+json', content_value: JSON.stringify(spec) }] } }),
    ]);
    const routes = entities.flatMap((route) => (route.kind === 'route' ? [[route.key, route.declaresRequestBody, route.requestBodySchema, route.requiredParameters, route.requestValidation]] : []));
    expect(routes).toEqual([
      ['GET /orders/orders', false, false, true, { body: false, parameters: false }],
      ['POST /orders/orders', true, true, false, { body: false, parameters: false }],
      ['GET /orders/orders/{id}', false, false, false, { body: false, parameters: false }],
      ['DELETE /orders/orders/{id}', true, false, false, { body: false, parameters: false }],
    ]);
    // Swagger 2.0: a body parameter is a body, its schema the body's schema.
    const swagger = { swagger: '2.0', info: { title: 'Orders', version: '1' }, paths: { '/orders': { put: { operationId: 'replace', parameters: [{ name: 'order', in: 'body', schema: { type: 'object' } }] }, patch: { operationId: 'patch', parameters: [{ name: 'order', in: 'body' }] } } } };
    const imported = adaptAzureTerraform([
      viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'apim', sku_name: 'Developer_1' } }),
      viewOf({ type: 'azurerm_api_management_api', name: 'orders', values: { name: 'orders', api_management_name: 'apim', resource_group_name: 'rg', path: 'orders', protocols: ['https'], import: [{ content_format: 'swagger-json', content_value: JSON.stringify(swagger) }] } }),
    ]).entities.flatMap((route) => (route.kind === 'route' ? [[route.key, route.declaresRequestBody, route.requestBodySchema]] : []));
    expect(imported).toEqual([
      ['PUT /orders/orders', true, true],
      ['PATCH /orders/orders', true, false],
    ]);
  });
});

describe('APIM request body schemas of raw bytes', () => {
  const svc = viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'apim', sku_name: 'Developer_1' } });
  const inApi = { api_management_name: 'apim', api_name: 'photos' };
  const api = (values: Record<string, unknown> = {}) => viewOf({ type: 'azurerm_api_management_api', name: 'photos', values: { name: 'photos', api_management_name: 'apim', resource_group_name: 'rg', path: 'photos', protocols: ['https'], ...values } as never });
  const bodies = (entities: ReturnType<typeof adaptAzureTerraform>['entities']) => entities.flatMap((route) => (route.kind === 'route' ? [[route.key, route.declaresRequestBody, route.requestBodySchema]] : []));

  it('a representation of a binary media type needs no schema (as in an OpenAPI document); a JSON one without a schema has none', () => {
    const operation = (name: string, method: string, contentType: string) =>
      viewOf({ type: 'azurerm_api_management_api_operation', name, values: { ...inApi, operation_id: name, method, url_template: `/${name}`, request: [{ representation: [{ content_type: contentType }] }] } });
    const { entities } = adaptAzureTerraform([svc, api(), operation('upload', 'PUT', 'image/jpeg'), operation('archive', 'POST', 'application/zip'), operation('raw', 'POST', 'application/octet-stream; charset=binary'), operation('create', 'POST', 'application/json')]);
    expect(bodies(entities)).toEqual([
      ['PUT /photos/upload', true, true],
      ['POST /photos/archive', true, true],
      ['POST /photos/raw', true, true],
      ['POST /photos/create', true, false],
    ]);
  });

  it('so does an imported OpenAPI requestBody of a binary media type without a schema', () => {
    const spec = { openapi: '3.0.1', info: { title: 'Photos', version: '1' }, paths: { '/photos': { put: { operationId: 'upload', requestBody: { content: { 'image/png': {} } } }, post: { operationId: 'describe', requestBody: { content: { 'application/json': {} } } } } } };
    const { entities } = adaptAzureTerraform([svc, api({ import: [{ content_format: 'openapi+json', content_value: JSON.stringify(spec) }] })]);
    expect(bodies(entities)).toEqual([
      ['PUT /photos/photos', true, true],
      ['POST /photos/photos', true, false],
    ]);
  });

  it('an APIOps requestBody that states no media type has no schema (it is not taken for raw bytes)', () => {
    const doc = (file: string, text: string) => {
      const parsed = parseTextDocument(text);
      if (isTextDocumentError(parsed)) throw new Error(parsed.error);
      return { file, data: parsed.data, lineOf: (at: Parameters<typeof parsed.lineOf>[0]) => parsed.lineOf(at) };
    };
    const information = doc('apis/photos/apiInformation.json', '{\n  "properties": {\n    "path": "photos",\n    "subscriptionRequired": false\n  }\n}\n');
    const specification = doc('apis/photos/specification.yaml', 'openapi: 3.0.1\ninfo: { title: Photos, version: "1" }\npaths:\n  /photos:\n    post:\n      operationId: add\n      requestBody: { description: a photo }\n      responses: { "201": { description: ok } }\n    put:\n      operationId: replace\n      requestBody: { content: { image/png: {} } }\n      responses: { "200": { description: ok } }\n');
    const { entities } = adaptApiOps({ root: '', service: 'apim', artifacts: [{ kind: 'api', names: ['photos'], information, specification }] });
    expect(entities.flatMap((route) => (route.kind === 'route' ? [[route.key, route.declaresRequestBody, route.requestBodySchema]] : []))).toEqual([
      ['PUT /photos/photos', true, true],
      ['POST /photos/photos', true, false],
    ]);
  });
});

describe('APIM validation and cache semantics, on the model', () => {
  const inService = { api_management_name: 'contoso' };
  const inApi = { ...inService, api_name: 'orders' };
  const service = (apiPolicy: string, extra: ReturnType<typeof viewOf>[] = []) =>
    adaptAzureTerraform([
      viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'contoso', sku_name: 'Developer_1' } }),
      viewOf({ type: 'azurerm_api_management_api', name: 'orders', values: { ...inService, name: 'orders', path: 'orders', protocols: ['https'], subscription_required: false } }),
      viewOf({ type: 'azurerm_api_management_api_operation', name: 'create', values: { ...inApi, operation_id: 'create', method: 'POST', url_template: '/' } }),
      viewOf({ type: 'azurerm_api_management_api_operation', name: 'list', values: { ...inApi, operation_id: 'list', method: 'GET', url_template: '/' } }),
      viewOf({ type: 'azurerm_api_management_api_policy', name: 'orders', values: { ...inApi, xml_content: apiPolicy } }),
      ...extra,
    ]).entities.flatMap((entity) => (entity.kind === 'route' ? [entity] : []));

  it('resolves a named value in an action, and takes the branch of a <choose> on the method', () => {
    const routes = service(
      `<policies><inbound><base /><choose><when condition="@(context.Request.Method != &quot;GET&quot;)"><validate-content unspecified-content-type-action="{{body-action}}" max-size="1024" size-exceeded-action="detect" /></when></choose></inbound></policies>`,
      [viewOf({ type: 'azurerm_api_management_named_value', name: 'action', values: { ...inService, name: 'body-action', display_name: 'body-action', value: 'prevent' } })],
    );
    expect(routes.map((route) => [route.key, route.requestValidation])).toEqual([
      ['POST /orders', { body: true, parameters: false }],
      ['GET /orders', { body: false, parameters: false }],
    ]);
  });

  it('keys a cache on the caller by developer, by the token header, or not at all', () => {
    const jwt = '<validate-jwt header-name="X-Token"><openid-config url="https://login.example/.well-known/openid-configuration" /></validate-jwt>';
    const cacheOf = (lookup: string) => service(`<policies><inbound><base />${jwt}${lookup}</inbound></policies>`).map((route) => route.cache);
    expect(cacheOf('<cache-lookup vary-by-developer="false"><vary-by-header>Accept</vary-by-header></cache-lookup>')[0]).toEqual({ stage: 'the cache-lookup of API orders', keyParameters: ['Accept'], keyIncludesCaller: false });
    expect(cacheOf('<cache-lookup vary-by-developer="false"><vary-by-header>x-token</vary-by-header><vary-by-query-parameter>page</vary-by-query-parameter></cache-lookup>')[0]).toEqual({ stage: 'the cache-lookup of API orders', keyParameters: ['x-token', '?page'], keyIncludesCaller: true });
    expect(cacheOf('<cache-lookup vary-by-developer="true" />')[0]).toMatchObject({ keyIncludesCaller: true });
    expect(cacheOf('')[0]).toBeUndefined();
  });
});
