import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      'error unresolved main.tf:94',
    ]);
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      'the document in google_api_gateway_api_config.placeholder is not an OpenAPI document (no "swagger" or "openapi" version); its operations are not checked',
      'the contents of google_api_gateway_api_config.binary decode to binary data, not an OpenAPI document; its operations are not checked',
      'the OpenAPI document of google_api_gateway_api_config.from_variable cannot be resolved (variable "partner_spec_b64" has no value (set it with --var, --var-file or terraform.tfvars)); its operations are not checked',
    ]);
    expect(report.summary.incomplete).toBe(true);
  });

  it('reports a gRPC config without a service config file as not scanned, never as an API without methods', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'gatewarden-grpc-'));
    try {
      copyFileSync(path.join(fixtures, 'ugly/api_descriptor.pb'), path.join(copy, 'api_descriptor.pb'));
      writeFileSync(
        path.join(copy, 'main.tf'),
        'resource "google_api_gateway_api" "rpc" {\n  api_id = "rpc"\n}\nresource "google_api_gateway_api_config" "rpc" {\n  api = google_api_gateway_api.rpc.api_id\n  grpc_services {\n    file_descriptor_set {\n      path = "api_descriptor.pb"\n      contents = filebase64("api_descriptor.pb")\n    }\n  }\n}\n',
      );
      const report = await scan({ cwd: copy });
      expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location!.startLine} ${d.message}`)).toEqual([
        'warning not-scanned 4 google_api_gateway_api_config.rpc defines a gRPC API (grpc_services) without a service config file gatewarden can read (managed_service_configs); its methods are not checked',
      ]);
      expect(report.findings).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("checks the gRPC config's methods: those of its descriptor set, with the rules of its service config file", async () => {
    const report = await scan({ cwd: path.join(fixtures, 'ugly') });
    const method = (name: string) => `google_api_gateway_api_config.grpc/POST /acme.shipping.v1.ShippingService/${name}`;
    expect(findings(report)).toEqual([
      // GetShipment needs a Google ID token and an API key; TrackShipment neither (allow_unregistered_calls, no auth rule).
      `route-requires-auth ${method('TrackShipment')} api_config.yaml:13 high`,
      // No quota limit at all: one finding on the API, naming both methods.
      'throttling-configured google_api_gateway_api.ugly api_config.yaml:2 medium',
    ]);
    const inventory = await readInventory({ cwd: path.join(fixtures, 'ugly'), paths: ['.'] });
    const routes = inventory.entities.filter((entity): entity is Extract<Entity, { kind: 'route' }> => entity.kind === 'route');
    expect(routes.map((route) => `${route.key} ${route.auth.kind} ${route.auth.apiKeyRequired} ${route.gcp?.backendAddress}`)).toEqual([
      'POST /acme.shipping.v1.ShippingService/GetShipment jwt true grpcs://shipping-grpc-9x8w7v-uc.a.run.app',
      'POST /acme.shipping.v1.ShippingService/TrackShipment none false grpcs://shipping-grpc-9x8w7v-uc.a.run.app',
    ]);
  });
});

describe('a Cloud Endpoints gRPC service (google_endpoints_service with grpc_config)', () => {
  const dir = path.join(fixtures, 'endpoints-grpc');
  const method = (name: string) => `google_endpoints_service.shipping/POST /acme.shipping.v1.ShippingService/${name}`;

  it("checks each method of the descriptor set's services that the service config serves, with its rules' lines", async () => {
    const report = await scan({ cwd: dir });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual([
      // The rule at fault: the authentication rule that waives the token, or the usage section that leaves the key required.
      `route-requires-auth ${method('ListShipments')} api_config.yaml:17 medium`,
      `route-requires-auth ${method('TrackShipment')} api_config.yaml:20 high`,
      // Charged against no quota limit: the fix is a metric rule (line 49). CancelShipment is named by
      // no rule: only the descriptor set says it exists.
      `throttling-configured ${method('CancelShipment')} api_config.yaml:49 medium`,
      `throttling-configured ${method('GetShipment')} api_config.yaml:49 medium`,
      `throttling-configured ${method('TrackShipment')} api_config.yaml:49 medium`,
    ]);
    // ShippingAdmin is in the descriptor set, but apis does not list it: Endpoints does not serve it.
    const inventory = await readInventory({ cwd: dir, paths: ['.'] });
    expect(inventory.entities.filter((entity) => entity.kind === 'route').map((entity) => (entity as Extract<Entity, { kind: 'route' }>).key)).toEqual([
      'POST /acme.shipping.v1.ShippingService/GetShipment',
      'POST /acme.shipping.v1.ShippingService/TrackShipment',
      'POST /acme.shipping.v1.ShippingService/ListShipments',
      'POST /acme.shipping.v1.ShippingService/CancelShipment',
    ]);
    expect(inventory.entities.find((entity) => entity.kind === 'gateway')).toMatchObject({ name: 'Shipping gRPC API', gcp: { product: 'endpoints', service: 'shipping.endpoints.acme-shipping-prod.cloud.goog' } });
  });

  it('checks only the methods the rules name when the descriptor set is not known, and says the others are not checked', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'gatewarden-grpc-'));
    try {
      copyFileSync(path.join(dir, 'api_config.yaml'), path.join(copy, 'api_config.yaml'));
      writeFileSync(path.join(copy, 'main.tf'), readFileSync(path.join(dir, 'main.tf'), 'utf8').replace('filebase64("${path.module}/api_descriptor.pb")', 'var.descriptor').concat('\nvariable "descriptor" {}\n'));
      const report = await scan({ cwd: copy });
      expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${path.basename(d.location!.file)}:${d.location!.startLine} ${d.message}`)).toEqual([
        'warning not-scanned api_config.yaml:7 the methods of acme.shipping.v1.ShippingService are defined in the descriptor set, which was not read: only the 3 the service config\'s rules name (acme.shipping.v1.ShippingService.GetShipment, acme.shipping.v1.ShippingService.ListShipments, acme.shipping.v1.ShippingService.TrackShipment) are checked, any other is not',
        'warning unresolved main.tf:13 the descriptor set of google_endpoints_service.shipping cannot be resolved (variable "descriptor" has no value (set it with --var, --var-file or terraform.tfvars)); only the methods its service config\'s rules name are checked',
      ]);
      // CancelShipment, which no rule names, is not a route: not reported clean, not reported at all.
      expect(findings(report).map((finding) => finding.replace(/ \S+:\d+ /, ' '))).toEqual([
        `route-requires-auth ${method('ListShipments')} medium`,
        `route-requires-auth ${method('TrackShipment')} high`,
        `throttling-configured ${method('GetShipment')} medium`,
        `throttling-configured ${method('TrackShipment')} medium`,
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports a grpc_config that is not a service config, and checks no method of it', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'gatewarden-grpc-'));
    try {
      writeFileSync(path.join(copy, 'main.tf'), 'resource "google_endpoints_service" "rpc" {\n  service_name = "rpc.endpoints.p.cloud.goog"\n  grpc_config = "- not\\n- a service config\\n"\n  protoc_output_base64 = "AAEC"\n}\n');
      const report = await scan({ cwd: copy });
      expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location!.startLine} ${d.message}`)).toEqual([
        'error parse-error 3 the gRPC service config of google_endpoints_service.rpc is not a mapping (type: google.api.Service); its methods are not checked',
      ]);
      expect(report.summary.incomplete).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
