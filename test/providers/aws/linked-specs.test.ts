import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { readInventory } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

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
      // The partners REST API's POST /orders has no request validator.
      'request-validation module.orders_api.aws_api_gateway_rest_api.partners POST /orders modules/orders-api/partners.json.tpl:9',
      'route-requires-auth module.orders_api.aws_apigatewayv2_api.storefront GET /orders/{orderId}/status modules/orders-api/storefront.yaml.tpl:34',
      // The partners REST stage has no web ACL (the HTTP API's stage cannot take one).
      'waf-attached module.orders_api.aws_api_gateway_stage.partners modules/orders-api/main.tf:41',
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
    // The same findings: none of them depends on the values the variables fill in.
    expect(findings(report)).toEqual([
      'cors-not-open module.orders_api.aws_apigatewayv2_api.storefront modules/orders-api/storefront.yaml.tpl:6',
      'request-validation module.orders_api.aws_api_gateway_rest_api.partners POST /orders modules/orders-api/partners.json.tpl:9',
      'route-requires-auth module.orders_api.aws_apigatewayv2_api.storefront GET /orders/{orderId}/status modules/orders-api/storefront.yaml.tpl:34',
      'waf-attached module.orders_api.aws_api_gateway_stage.partners modules/orders-api/main.tf:41',
    ]);
  });
});

describe('SAM: DefinitionUri and AWS::Include with a local path', () => {
  const cwd = path.join(fixtures, 'sam-linked');

  it("reads each file as its API's definition, with its extensions, and reports at the file's lines", async () => {
    const report = await scan({ cwd });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual([
      // The DefinitionUri file's mock preflight answers any origin.
      'cors-not-open OrdersApi api/orders.yaml:33',
      'cors-not-open StorefrontApi api/storefront.yaml:6',
      'route-requires-auth OrdersApi GET /orders/{id}/receipt api/orders.yaml:36',
      'route-requires-auth StorefrontApi GET /catalog api/storefront.yaml:34',
      // OrdersApi's REST stage has no web ACL, reported where the template writes its stage settings.
      'waf-attached OrdersApiprodStage template.yaml:26',
    ]);
  });

  it('reads them once, as the APIs that name them, not again as documents of their own', async () => {
    const report = await scan({ cwd });
    expect(report.findings.filter((f) => f.provider === 'openapi' || f.address.startsWith('api/'))).toEqual([]);
    const inventory = await readInventory({ cwd });
    expect(inventory.entities.filter((e) => e.kind === 'gateway').map((e) => e.address).sort()).toEqual(['OrdersApi', 'StorefrontApi']);
    // The included snippet's Fn::Sub is resolved as CloudFormation does after inserting it: the ARN is
    // known at deployment only, and the integration is a Lambda one.
    const cart = inventory.entities.find((e): e is Route => e.kind === 'route' && e.key === 'POST /cart')!;
    expect(cart).toMatchObject({ integration: 'lambda', auth: { kind: 'jwt' } });
    expect(cart.fieldLocations.auth).toMatchObject({ file: 'api/storefront.yaml', startLine: 25 });
  });

  it('never reads a definition outside the scanned paths, and says which APIs lose their routes', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'sam-outside') });
    expect(report.diagnostics.map((d) => `${d.location?.file}:${d.location?.startLine} ${d.severity} ${d.code} ${d.address}`).sort()).toEqual([
      'template.yaml:12 error outside-roots SharedApi',
      'template.yaml:12 error unresolved SharedApi',
      'template.yaml:20 error not-scanned ArchivedApi',
      'template.yaml:27 error unresolved ReportsApi',
      'template.yaml:37 error read-error InvoicesApi',
      'template.yaml:37 error unresolved InvoicesApi',
    ]);
    expect(report.diagnostics[0]!.message).toContain('../sam-linked/api/orders.yaml is outside the scanned paths and was not read');
    expect(report.diagnostics.find((d) => d.address === 'ReportsApi')!.message).toContain('s3://acme-api-definitions/reports.yaml is read at deploy time');
    // What the template writes itself is still checked: ArchivedApi's stage sets no throttling, and
    // its stand-in route stands for the routes its unread definition holds; the REST stages of the
    // APIs whose definition is unread still have no web ACL.
    expect(report.findings.map((f) => [f.policyId, f.address, f.routeKey, f.location.startLine, f.standIn])).toEqual([
      ['waf-attached', 'SharedApiprodStage', undefined, 7, undefined],
      ['throttling-configured', 'ArchivedApiprodStage', '* /* (stage prod)', 15, 'routes-outside-scan'],
      ['waf-attached', 'ArchivedApiprodStage', undefined, 15, undefined],
    ]);
    expect(report.summary.incomplete).toBe(true);
  });
});

describe('CloudFormation: a Body written as Fn::Sub over the document', () => {
  const cwd = path.join(fixtures, 'cfn-sub-body');

  it('reads the document with the attribute and the parameter it cannot resolve unknown, at the lines of the block', async () => {
    const report = await scan({ cwd });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual([
      'route-requires-auth PartnerApi GET /shipments/{id}/label template.yaml:64',
      // No web ACL association names the REST stage.
      'waf-attached PartnerStage template.yaml:77',
    ]);
    expect(unevaluated(report)).toEqual([
      'cors-not-open PartnerApi  template.yaml:57 cors.allowOrigins is unknown: parameter PartnerPortalOrigin has no default and no value (give it with --parameter PartnerPortalOrigin=... or --parameter-file)',
    ]);
    const inventory = await readInventory({ cwd });
    // `${HandlerArn}` is a !GetAtt of a function created with the stack: unknown, yet the URI says Lambda.
    expect(inventory.entities.find((e): e is Route => e.kind === 'route' && e.key === 'GET /shipments')).toMatchObject({ integration: 'lambda', auth: { kind: 'iam' } });
  });

  it('finds the open origin once the parameter is given', async () => {
    const report = await scan({ cwd, parameters: new Map([['PartnerPortalOrigin', '*']]) });
    expect(findings(report)).toContain('cors-not-open PartnerApi template.yaml:57');
  });
});
