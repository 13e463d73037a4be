import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';

// The quick start scans samples/; samples/README.md lists these findings for readers.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('bundled samples', () => {
  it('the insecure variant reports exactly the findings samples/README.md documents', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-terraform/insecure'] });
    const root = 'samples/aws-terraform/insecure';
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`${root}/`, ''), f.location.startLine, f.severity])).toEqual([
      ['cors-not-open', 'module.storefront_api.aws_apigatewayv2_api.this', 'modules/http-api/main.tf', 7, 'critical'],
      ['route-requires-auth', 'module.storefront_api.aws_apigatewayv2_route.this["GET /catalog"]', 'modules/http-api/main.tf', 46, 'high'],
      ['throttling-configured', 'module.storefront_api.aws_apigatewayv2_route.this["GET /catalog"]', 'modules/http-api/main.tf', 51, 'medium'],
      ['throttling-configured', 'module.storefront_api.aws_apigatewayv2_route.this["GET /me"]', 'modules/http-api/main.tf', 51, 'medium'],
      ['throttling-configured', 'module.storefront_api.aws_apigatewayv2_route.this["PUT /me/preferences"]', 'modules/http-api/main.tf', 51, 'medium'],
      ['route-requires-auth', 'aws_api_gateway_method.list_orders', 'rest-api.tf', 38, 'high'],
      ['route-requires-auth', 'aws_api_gateway_method.create_order', 'rest-api.tf', 55, 'medium'],
      ['route-requires-auth', 'aws_api_gateway_method.get_order', 'rest-api.tf', 73, 'high'],
      ['cors-not-open', 'aws_api_gateway_integration_response.orders_options_200', 'rest-api.tf', 135, 'high'],
      ['cors-not-open', 'aws_api_gateway_gateway_response.cors["DEFAULT_4XX"]', 'rest-api.tf', 150, 'medium'],
      ['cors-not-open', 'aws_api_gateway_gateway_response.cors["DEFAULT_5XX"]', 'rest-api.tf', 150, 'medium'],
      ['throttling-configured', 'aws_api_gateway_method.get_order', 'rest-api.tf', 232, 'medium'],
      ['no-static-api-keys', 'aws_api_gateway_api_key.partner_acme', 'rest-api.tf', 262, 'high'],
    ]);
  });

  it('the fixed variant is clean and complete', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-terraform/fixed'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, unevaluated: 0, warnings: 0, findings: { total: 0 } });
    expect(report.summary.routes).toBe(7);
  });

  it('scanning both together keeps them apart', async () => {
    const report = await scan({ cwd: repo, paths: ['samples'] });
    expect(report.summary).toMatchObject({ incomplete: false, gateways: 4, routes: 14, findings: { total: 13 } });
    expect(report.findings.every((finding) => finding.location.file.startsWith('samples/aws-terraform/insecure/'))).toBe(true);
  });
});
