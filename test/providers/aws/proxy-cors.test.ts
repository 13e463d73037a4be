import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInventory, scan } from '../../../src/pipeline/scan.js';
import { isProxyIntegration } from '../../../providers/aws/semantics.js';

// A proxy integration (AWS_PROXY, HTTP_PROXY) returns the backend's response as it is: integration
// responses written for it are never applied, so their Access-Control-Allow-* headers are not the
// API's CORS. Non-proxy integrations and mock preflights keep theirs.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision');
type Report = Awaited<ReturnType<typeof scan>>;
const cors = (report: Report): string[] =>
  report.findings.filter((f) => f.policyId === 'cors-not-open').map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine}`).sort();

describe('isProxyIntegration', () => {
  it.each([
    ['AWS_PROXY', true],
    ['aws_proxy', true],
    ['HTTP_PROXY', true],
    ['http_proxy', true],
    ['AWS', false],
    ['HTTP', false],
    ['MOCK', false],
  ])('%s: %s', (type, expected) => {
    expect(isProxyIntegration(type)).toBe(expected);
  });
});

describe('integration responses of proxy integrations are not CORS', () => {
  it('in Terraform, CloudFormation and OpenAPI bodies alike; non-proxy and mock responses still are', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'proxy-cors') });
    expect(cors(report)).toEqual([
      // GET /bookings: an HTTP (non-proxy) integration, whose integration response the caller gets.
      'aws_api_gateway_integration_response.list main.tf:62',
      // GET /reviews/summary: an http (non-proxy) integration.
      'reviews.openapi.yaml/GET /reviews/summary/cors reviews.openapi.yaml:44',
      // OPTIONS /rooms: the mock preflight.
      'template.yaml:RoomsPreflight/IntegrationResponses/0 template.yaml:43',
    ]);
    // POST /bookings (AWS_PROXY), GET /rooms (AWS_PROXY), POST /reviews (aws_proxy) and
    // GET /reviews/{id} (http_proxy) have no CORS entity at all: their backends decide.
    const inventory = await readInventory({ cwd: path.join(fixtures, 'proxy-cors') });
    expect(inventory.entities.filter((entity) => entity.kind === 'cors').map((entity) => entity.id).sort()).toEqual([
      'aws_api_gateway_integration_response.list',
      'reviews.openapi.yaml/GET /reviews/summary/cors',
      'template.yaml:RoomsPreflight/IntegrationResponses/0',
    ]);
    expect(report.unevaluated.filter((u) => u.policyId === 'cors-not-open')).toEqual([]);
  });
});
