import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from './helpers/without-logging.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('scanning several root modules at once', () => {
  it('keeps resources with the same address in different roots apart', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'terraform/two-roots') });
    expect(report.summary).toMatchObject({ gateways: 2, routes: 2, incomplete: false });
    expect(report.findings.map((finding) => [finding.policyId, finding.entityId, finding.location.file, finding.location.startLine, finding.message])).toEqual([
      ['route-requires-auth', 'a:aws_api_gateway_method.get', 'a/main.tf', 16, 'GET /items on api-a accepts unauthenticated calls'],
      // Neither root associates a web ACL: one finding per root, at its own stage.
      ['waf-attached', 'a:aws_api_gateway_stage.prod', 'a/main.tf', 19, 'stage prod of api-a has no AWS WAF web ACL: every request from the internet reaches its authorizers and backends unfiltered'],
      ['waf-attached', 'b:aws_api_gateway_stage.prod', 'b/main.tf', 19, 'stage prod of api-b has no AWS WAF web ACL: every request from the internet reaches its authorizers and backends unfiltered'],
    ]);
  });
});

describe('the library entry point', () => {
  it('exports the scan pipeline and its steps', async () => {
    const library = await import('../src/index.js');
    expect(Object.keys(library)).toEqual(expect.arrayContaining(['scan', 'readInventory', 'loadPolicies', 'evaluatePolicies', 'REPORTERS', 'audit', 'Unknown', 'GatewardenError']));
    const report = await library.scan({ cwd: path.join(fixtures, 'cli/clean') });
    expect(library.exitCodeFor(report, 'low')).toBe(0);
  });

  it('leaves the CLI out: it is the layer above the library, at gatewarden/cli', async () => {
    const library = await import('../src/index.js');
    expect(Object.keys(library)).not.toContain('cli');
    const manifest = JSON.parse(readFileSync(path.join(fixtures, '..', '..', 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(manifest.exports['./cli']?.default).toBe('./dist/src/cli/cli.js');
  });
});

describe('CDK for Terraform output', () => {
  it('scans cdktf.out stacks and names each finding by its construct path', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'cdktf') });
    expect(report.findings.map((f) => [f.policyId, f.address, f.construct, f.location.file, f.location.startLine])).toEqual([
      ['route-requires-auth', 'aws_api_gateway_method.OrdersApi_ListOrders_3F1A9C2B', 'orders-api/OrdersApi/ListOrders', 'cdktf.out/stacks/orders-api/cdk.tf.json', 32],
      ['request-validation', 'aws_api_gateway_method.OrdersApi_CreateOrder_8A6C1E3F', 'orders-api/OrdersApi/CreateOrder', 'cdktf.out/stacks/orders-api/cdk.tf.json', 37],
      ['cors-not-open', 'aws_apigatewayv2_api.Storefront_HttpApi_5B7D9F11', 'orders-api/Storefront/HttpApi', 'cdktf.out/stacks/orders-api/cdk.tf.json', 87],
    ]);
  });
});
