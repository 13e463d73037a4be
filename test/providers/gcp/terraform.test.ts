import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../../src/model/entities.js';
import { readInventory, scan } from '../../../src/pipeline/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/gcp');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.address} ${path.basename(f.location.file)}:${f.location.startLine} ${f.severity}`).sort();

describe('GCP API Gateway from Terraform', () => {
  const dir = path.join(fixtures, 'api-gateway');

  it('reads the spec a config embeds with filebase64(), with lines in the spec file', async () => {
    const inventory = await readInventory({ cwd: dir });
    expect(inventory.diagnostics).toEqual([]);
    const byKey = (key: string): Entity => inventory.entities.find((e) => e.kind === 'route' && (e as { key: string }).key === key)!;
    expect(inventory.entities.find((e) => e.kind === 'gateway')).toMatchObject({
      id: 'google_api_gateway_api.orders',
      provider: 'gcp',
      name: 'Orders API',
      gcp: { product: 'api-gateway', service: 'orders', allowCors: true, gateways: ['orders-gw'] },
    });
    // The operation's own security replaces the global one; [] means none.
    expect(byKey('GET /healthz')).toMatchObject({ auth: { kind: 'none', source: 'openapi-operation' } });
    // One requirement with two schemes: both are needed, the token authenticates.
    expect(byKey('GET /orders/{orderId}')).toMatchObject({ auth: { kind: 'jwt', apiKeyRequired: true }, rateLimit: { rateLimit: 10, burstLimit: 600, source: 'openapi' } });
    expect(byKey('GET /catalog')).toMatchObject({ auth: { kind: 'api-key' }, rateLimit: { burstLimit: 600 } });
    // An operation's x-google-backend replaces the document's: plain http, no ID token to the backend.
    expect(byKey('GET /invoices/{invoiceId}')).toMatchObject({ gcp: { backendAddress: 'http://legacy.internal.example.com/v1', backendAuthDisabled: true } });
    // A quota without an API key counts no caller: no limit.
    expect(byKey('GET /orders')).not.toHaveProperty('rateLimit');
    expect(byKey('GET /orders')).toMatchObject({ gcp: { quotaMetrics: ['read-requests'] } });
    expect(byKey('GET /healthz').fieldLocations.auth).toMatchObject({ file: 'openapi.yaml', startLine: 82 });
  });

  it('reports the open health check, the key-only catalogue and the operations no quota limits', async () => {
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual([
      'backend-https google_api_gateway_api_config.orders/GET /invoices/{invoiceId} openapi.yaml:157 medium',
      'route-requires-auth google_api_gateway_api_config.orders/GET /catalog openapi.yaml:172 medium',
      'route-requires-auth google_api_gateway_api_config.orders/GET /healthz openapi.yaml:82 high',
      'throttling-configured google_api_gateway_api_config.orders/GET /healthz openapi.yaml:78 medium',
      'throttling-configured google_api_gateway_api_config.orders/GET /invoices/{invoiceId} openapi.yaml:153 medium',
      'throttling-configured google_api_gateway_api_config.orders/GET /orders openapi.yaml:90 medium',
      'throttling-configured google_api_gateway_api_config.orders/POST /orders openapi.yaml:99 medium',
      'throttling-configured google_api_gateway_api_config.orders/POST /orders/{orderId}/events openapi.yaml:134 medium',
    ]);
    expect(report.findings.find((f) => f.address.endsWith('GET /orders') && f.policyId === 'throttling-configured')!.message).toBe(
      'GET /orders on Orders API is charged against quota metrics, but callers need no API key, so API Gateway cannot count their calls: nothing limits them',
    );
  });
});

describe('a config that names its API by .name', () => {
  const dir = path.join(fixtures, 'api-config-by-name');

  it('is linked to that API, even when the API id is not known, and its spec is checked', async () => {
    const inventory = await readInventory({ cwd: dir });
    expect(inventory.diagnostics).toEqual([]);
    const gateways = inventory.entities.filter((e) => e.kind === 'gateway');
    expect(gateways).toHaveLength(1);
    expect(gateways[0]).toMatchObject({ id: 'google_api_gateway_api.inventory', name: 'Inventory API', gcp: { product: 'api-gateway', gateways: ['inventory-gw'], service: { unknown: true } } });
    expect(inventory.entities.filter((e) => e.kind === 'route').every((route) => route.parentId === 'google_api_gateway_api.inventory')).toBe(true);
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual([
      'route-requires-auth google_api_gateway_api_config.inventory/GET /items inventory.yaml:29 medium',
      'route-requires-auth google_api_gateway_api_config.inventory/GET /items/{id}/stock inventory.yaml:44 high',
      'throttling-configured google_api_gateway_api_config.inventory/GET /items/{id}/stock inventory.yaml:42 medium',
    ]);
  });
});

describe('Cloud Endpoints from Terraform', () => {
  it('reads openapi_config from templatefile(), with lines in the template', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'endpoints') });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual(['throttling-configured google_endpoints_service.payments/POST /v1/charges/{chargeId}/refunds openapi.yaml.tftpl:118 medium']);
    const inventory = await readInventory({ cwd: path.join(fixtures, 'endpoints') });
    expect(inventory.entities.find((e) => e.kind === 'gateway')).toMatchObject({ gcp: { product: 'endpoints', service: 'payments.endpoints.acme-payments-prod.cloud.goog' } });
  });
});

describe('a misspelled quota metric', () => {
  it('is reported at its line, and the operation it should limit has no limit', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'misspelled-quota') });
    expect(report.diagnostics.map((d) => `${d.severity} ${path.basename(d.location!.file)}:${d.location!.startLine} ${d.message}`)).toEqual([
      'warning openapi.yaml:50 POST /items charges metric "request_metric", which x-google-management.metrics does not define (did you mean "request-metric"?); no quota applies to it',
    ]);
    expect(findings(report)).toContain('throttling-configured google_api_gateway_api_config.inventory/POST /items openapi.yaml:48 medium');
    expect(findings(report).filter((f) => f.includes('GET /items') && f.startsWith('throttling'))).toEqual([]);
  });
});

describe('API configs that are not OpenAPI documents', () => {
  it('gives a diagnostic for each, never a crash or an empty API that looks clean', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'ugly') });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${path.basename(d.location!.file)}:${d.location!.startLine}`)).toEqual([
      'error parse-error main.tf:39',
      'error parse-error main.tf:53',
      'warning not-scanned main.tf:59',
      'error unresolved main.tf:94',
    ]);
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      'the document in google_api_gateway_api_config.placeholder is not an OpenAPI document (no "swagger" or "openapi" version); its operations are not checked',
      'the contents of google_api_gateway_api_config.binary decode to binary data, not an OpenAPI document; its operations are not checked',
      'google_api_gateway_api_config.grpc defines a gRPC API (grpc_services); gatewarden reads OpenAPI documents only, so its methods are not checked',
      'the OpenAPI document of google_api_gateway_api_config.from_variable cannot be resolved (variable "partner_spec_b64" has no value (set it with --var, --var-file or terraform.tfvars)); its operations are not checked',
    ]);
    expect(report.summary.incomplete).toBe(true);
  });
});
