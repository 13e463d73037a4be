import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';
import { readHeaderMapping } from '../../../providers/aws/semantics.js';

// Messages a reader can act on (issue 15): an API whose name is an expression is named by its logical
// id or address; a response header value API Gateway refuses (an unquoted `*`) is reported as invalid
// where it is written and decides nothing; findings point at the value at fault; a Swagger 2.0
// root-level `security`, which the REST import may not apply, leaves the operations that inherit it
// unknown.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/actionable-messages');
type Report = Awaited<ReturnType<typeof scan>>;

const findings = (report: Report, policyId: string): string[] =>
  report.findings
    .filter((f) => f.policyId === policyId)
    .map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine} ${f.message}`)
    .sort();
const unevaluated = (report: Report, policyId: string): string[] =>
  report.unevaluated
    .filter((u) => u.policyId === policyId)
    .map((u) => `${u.entityId} ${u.location.file}:${u.location.startLine}`)
    .sort();
const diagnostics = (report: Report): string[] => report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`).sort();

describe('readHeaderMapping', () => {
  it.each([
    ["'*'", { literal: '*' }],
    ["'https://shop.example.com'", { literal: 'https://shop.example.com' }],
    ["  'true' ", { literal: 'true' }],
    ['method.request.header.Origin', { literal: '*' }],
  ])('reads %s as a literal', (expression, expected) => {
    expect(readHeaderMapping(expression)).toEqual(expected);
  });

  it.each(['integration.response.header.Access-Control-Allow-Origin', 'integration.response.body.origin', 'stageVariables.allowedOrigin', 'context.domainName', 'method.request.querystring.origin'])(
    'reads %s as known only per request',
    (expression) => {
      const mapping = readHeaderMapping(expression);
      expect('unknown' in mapping && mapping.unknown.reason).toContain(expression);
    },
  );

  it.each(['*', 'https://shop.example.com', 'GET,POST', "'*", ''])('reads %j as invalid: API Gateway refuses it', (expression) => {
    const mapping = readHeaderMapping(expression);
    expect('invalid' in mapping && mapping.invalid).toContain('is not an API Gateway mapping expression');
  });
});

describe('Terraform: an API named by a variable without a default, invalid and quoted origins, a heredoc body', () => {
  let report: Report;
  beforeAll(async () => {
    report = await scan({ cwd: path.join(fixtures, 'terraform') });
  });

  it('names the API by its address, and points each finding at the value at fault', () => {
    expect(findings(report, 'route-requires-auth')).toEqual([
      'aws_api_gateway_method.list_orders main.tf:15 GET /orders on aws_api_gateway_rest_api.orders accepts unauthenticated calls',
      // The body starts on line 10 of catalog.tf: the operation's own `security` is on line 17.
      'aws_api_gateway_rest_api.catalog/GET /products catalog.tf:17 GET /products on catalog-v1 accepts unauthenticated calls',
      // `body = local.shipping_spec` (line 22): at the `security` line of the local's heredoc.
      'aws_api_gateway_rest_api.shipping/GET /shipments/{id}/label shipping.tf:12 GET /shipments/{id}/label on shipping accepts unauthenticated calls',
      // No security anywhere: at the operation itself (jsonencode keys are located in the HCL).
      'aws_api_gateway_rest_api.tracking/GET /tracking/{id} shipping.tf:32 GET /tracking/{id} on tracking accepts unauthenticated calls',
    ]);
    expect(findings(report, 'cors-not-open')).toEqual([
      'aws_api_gateway_integration_response.invoices_options_200 main.tf:78 CORS on aws_api_gateway_rest_api.orders (OPTIONS /invoices) allows any origin',
      // The Access-Control-Allow-Origin line of the heredoc, not its x-amazon-apigateway-integration.
      'aws_api_gateway_rest_api.catalog/OPTIONS /products/cors catalog.tf:33 CORS on catalog-v1 (OPTIONS /products) allows any origin',
    ]);
    expect(report.findings.map((f) => f.message).join('\n')).not.toContain('(unknown)');
  });

  it('reports the unquoted * as invalid at its line, and the API API Gateway refuses to deploy as not checked', () => {
    expect(diagnostics(report)).toEqual(['error invalid-value main.tf:83', 'warning invalid-value main.tf:44']);
    expect(report.diagnostics.find((d) => d.severity === 'warning')!.message).toBe(
      `aws_api_gateway_integration_response.orders_options_200: method.response.header.Access-Control-Allow-Origin: "*" is not an API Gateway mapping expression: a static header value is written between single quotes ("'*'"), and API Gateway refuses this one ("Invalid mapping expression specified"), so the deployment fails`,
    );
    expect(report.diagnostics.find((d) => d.severity === 'error')!.message).toContain('aws_api_gateway_rest_api.orders_beta is not checked: API Gateway refuses to deploy it');
    // Nothing of the refused API is checked: neither the CORS the value would have meant nor its routes.
    expect(unevaluated(report, 'cors-not-open')).toEqual([]);
    expect(report.findings.filter((f) => f.entityId.includes('orders_options'))).toEqual([]);
  });
});

describe('Terraform: a document rendered by the caller and passed to a module as `body = var.body`', () => {
  it('locates its operations in the template file the caller renders, never at lines counted from the module\'s `body`', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'terraform-module') });
    // Counted from `body = var.body` (line 13 of the module), the operation landed on line 13 of the
    // caller's main.tf, which has 9 lines. The templatefile() is followed to loyalty.yaml, line 7 being
    // the operation (it has no security of its own).
    expect(findings(report, 'route-requires-auth')).toEqual(['module.loyalty_api.aws_apigatewayv2_api.this/GET /points loyalty.yaml:7 GET /points on loyalty accepts unauthenticated calls']);
  });
});

describe('CloudFormation: an API named !Sub "${AWS::StackName}-api"', () => {
  let report: Report;
  beforeAll(async () => {
    report = await scan({ cwd: path.join(fixtures, 'cloudformation') });
  });

  it('names the API by its logical id', () => {
    expect(findings(report, 'route-requires-auth')).toEqual(['template.yaml:ReservationsGet template.yaml:23 GET /reservations on ApiGateway accepts unauthenticated calls']);
    expect(findings(report, 'cors-not-open')).toEqual(['template.yaml:GuestsOptions/IntegrationResponses/0 template.yaml:73 CORS on ApiGateway (OPTIONS /guests) allows any origin']);
  });

  it('reports the unquoted * as invalid at its line, and the API API Gateway refuses to deploy as not checked', () => {
    expect(diagnostics(report)).toEqual(['error invalid-value template.yaml:82', 'warning invalid-value template.yaml:45']);
    // Named as the template names it, not by the Terraform type it is read as.
    expect(report.diagnostics.find((d) => d.severity === 'warning')!.message).toMatch(/^AWS::ApiGateway::Method ReservationsOptions: method\.response\.header\.Access-Control-Allow-Origin: "\*" is not an API Gateway mapping expression/);
    expect(report.diagnostics.find((d) => d.severity === 'error')!.message).toContain('BetaApi is not checked: API Gateway refuses to deploy it');
    expect(unevaluated(report, 'cors-not-open')).toEqual([]);
  });
});

describe('SAM: Cors written without the quotes API Gateway needs', () => {
  let report: Report;
  beforeAll(async () => {
    report = await scan({ cwd: path.join(fixtures, 'sam') });
  });

  it('reports Cors: "*" as invalid at that line and its API as not checked; the quoted AllowOrigin is a finding at its line', () => {
    expect(diagnostics(report)).toEqual(['error invalid-value template.yaml:7', 'warning invalid-value template.yaml:11']);
    // API Gateway refuses to deploy FeedbackApi: none of its routes, stages and CORS is checked.
    expect(unevaluated(report, 'cors-not-open')).toEqual([]);
    expect(report.findings.filter((f) => f.entityId.includes('Feedback'))).toEqual([]);
    expect(findings(report, 'cors-not-open')).toEqual([
      'template.yaml:NewsletterApisubscribeOptionsMethod/IntegrationResponses/0 template.yaml:20 CORS on NewsletterApi (OPTIONS /subscribe) allows any origin',
    ]);
  });
});

describe('stand-alone documents with API Gateway extensions: root-level security and invalid response values', () => {
  let report: Report;
  beforeAll(async () => {
    report = await scan({ cwd: path.join(fixtures, 'openapi') });
  });

  it('reports an open operation at its own `security`, and applies a 3.0 root-level security', () => {
    expect(findings(report, 'route-requires-auth')).toEqual([
      'payments.swagger.yaml/POST /payments/{id}/refund payments.swagger.yaml:48 POST /payments/{id}/refund on payments accepts unauthenticated calls',
      'receipts.openapi.yaml/GET /receipts/public receipts.openapi.yaml:27 GET /receipts/public on receipts accepts unauthenticated calls',
    ]);
    // GET /receipts inherits the 3.0 root-level Cognito authorizer: no finding, nothing unknown.
    expect(report.unevaluated.filter((u) => u.entityId.startsWith('receipts.openapi.yaml') && u.policyId === 'route-requires-auth')).toEqual([]);
  });

  it('leaves an operation inheriting a Swagger 2.0 root-level security unknown, with a warning at that security', () => {
    expect(unevaluated(report, 'route-requires-auth')).toEqual(['payments.swagger.yaml/GET /payments payments.swagger.yaml:18']);
    // POST /payments names the authorizer itself: authenticated, neither a finding nor unknown.
    expect(diagnostics(report)).toEqual(['error invalid-value payouts.swagger.yaml:1', 'warning invalid-value payouts.swagger.yaml:22', 'warning unsupported payments.swagger.yaml:18']);
    const warning = report.diagnostics.find((d) => d.code === 'unsupported')!;
    expect(warning.message).toContain('root-level security in a Swagger 2.0 document');
    expect(warning.message).toContain('Write the security requirement on each operation');
  });

  it('reports the unquoted * of an OPTIONS mock as invalid and its document as not checked, and a specific origin as no finding', () => {
    // payouts.swagger.yaml: API Gateway refuses to import it, so nothing of it is checked.
    expect(report.findings.filter((f) => f.entityId.startsWith('payouts'))).toEqual([]);
    expect(report.unevaluated.filter((u) => u.entityId.startsWith('payouts'))).toEqual([]);
    // payments.swagger.yaml: its preflight answers one origin.
    expect(unevaluated(report, 'cors-not-open')).toEqual([]);
    expect(findings(report, 'cors-not-open')).toEqual([]);
  });
});

describe('a WebSocket API without a $connect route', () => {
  it('is said to have none, at the API', async () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../policies/authentication/route-requires-auth/test/websocket-without-connect');
    const report = await scan({ cwd: dir });
    expect(findings(report, 'route-requires-auth')).toEqual([
      'aws_apigatewayv2_api.chat/$connect main.tf:2 chat has no $connect route, so it accepts every WebSocket connection without authentication; add a $connect route with an authorizer or AWS_IAM',
    ]);
  });
});
