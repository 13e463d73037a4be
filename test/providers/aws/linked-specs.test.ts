import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { readInventory, scan } from '../../../src/pipeline/scan.js';

// OpenAPI documents that a configuration renders or points at, read as that API's definition with
// their x-amazon-apigateway-* extensions, even when one input of the rendering has no value.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/specs');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.address}${f.routeKey ? ` ${f.routeKey}` : ''} ${f.location.file}:${f.location.startLine}`).sort();
const unevaluated = (report: Report): string[] => report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.routeKey ?? ''} ${u.location.file}:${u.location.startLine} ${u.reason}`).sort();

describe('Terraform: templatefile() with a variable that has no value', () => {
  const cwd = path.join(fixtures, 'terraform-templatefile');

  it('checks CORS and routes of the rendered documents; only what the missing variables fill in is unknown', async () => {
    const report = await scan({ cwd });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual([
      'cors-not-open module.orders_api.aws_apigatewayv2_api.storefront modules/orders-api/storefront.yaml.tpl:6',
      'route-requires-auth module.orders_api.aws_apigatewayv2_api.storefront GET /orders/{orderId}/status modules/orders-api/storefront.yaml.tpl:34',
    ]);
    // The preflight's integration is a whole object from a variable without a value: whether it is a
    // mock (a preflight needs no authentication) is unknown, and the check says why.
    expect(unevaluated(report)).toEqual([
      'route-requires-auth module.orders_api.aws_api_gateway_rest_api.partners OPTIONS /orders modules/orders-api/partners.json.tpl:17 route.isCorsPreflight is unknown: variable "preflight_integration" has no value (set it with --var, --var-file or terraform.tfvars)',
    ]);
    // The templates are the APIs' definitions, not documents of their own.
    expect(report.files).not.toContain('modules/orders-api/storefront.yaml.tpl');
  });

  it('keeps what the known parts of an unknown URI say: a Lambda integration', async () => {
    const inventory = await readInventory({ cwd });
    const routes = inventory.entities.filter((e): e is Route => e.kind === 'route');
    const byKey = (key: string): Route => routes.find((route) => route.key === key)!;
    expect(byKey('POST /orders')).toMatchObject({ integration: 'lambda', auth: { kind: 'iam' } });
    expect(byKey('GET /orders')).toMatchObject({ integration: 'lambda', auth: { kind: 'jwt' } });
    expect(byKey('OPTIONS /orders').integration).toMatchObject({ unknown: true, reason: expect.stringContaining('"preflight_integration" has no value') });
  });

  it('reads the documents with every value given', async () => {
    const report = await scan({ cwd, vars: new Map([['orders_handler_arn', 'arn:aws:lambda:eu-west-1:123456789012:function:orders'], ['preflight_integration', '{"type":"mock","requestTemplates":{"application/json":"{\\"statusCode\\": 200}"}}']]) });
    expect(report.unevaluated).toEqual([]);
    expect(findings(report)).toHaveLength(2);
  });
});
