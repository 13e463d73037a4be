import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../helpers/without-logging.js';
import { parseIgnoreDirective } from '../../src/sources/suppressions/directive.js';
import { findIgnoreComments } from '../../src/sources/suppressions/comments.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const today = new Date('2026-11-29T00:00:00Z');

describe('gatewarden:ignore directives', () => {
  it.each([
    ['route-requires-auth until=2027-03-31 -- public health check', { policyIds: ['route-requires-auth'], until: '2027-03-31', reason: 'public health check' }],
    ['route-requires-auth,cors-not-open -- both accepted', { policyIds: ['route-requires-auth', 'cors-not-open'], reason: 'both accepted' }],
    ['route-requires-auth cors-not-open', { policyIds: ['route-requires-auth', 'cors-not-open'] }],
    ['route-requires-auth: the reason after a colon', { policyIds: ['route-requires-auth'], reason: 'the reason after a colon' }],
    ['route-requires-auth - a single dash', { policyIds: ['route-requires-auth'], reason: 'a single dash' }],
    ['throttling-configured expires=2027-01-01', { policyIds: ['throttling-configured'], until: '2027-01-01' }],
  ])('reads %j', (text, expected) => {
    expect(parseIgnoreDirective(text)).toEqual(expected);
  });

  it.each(['', '-- only a reason', 'until=2027-01-01'])('rejects %j: no policy', (text) => {
    expect(parseIgnoreDirective(text)).toEqual({ error: expect.stringContaining('names no policy') });
  });
});

describe('the lines a comment covers', () => {
  it('is the HCL block below, skipping braces in strings and heredocs', () => {
    const text = [
      '# gatewarden:ignore a -- r', // 1
      'resource "x" "y" {', // 2
      '  name = "{not a brace"', // 3
      '  doc  = <<EOT', // 4
      '  }', // 5
      '  EOT', // 6
      '}', // 7
      'resource "x" "z" {}', // 8
    ].join('\n');
    expect(findIgnoreComments('main.tf', text).map((c) => c.scope)).toEqual([{ startLine: 2, endLine: 7 }]);
  });

  it('is the line itself for a trailing comment, or the block that line opens', () => {
    const text = ['a = 1 # gatewarden:ignore p -- r', 'b = {  // gatewarden:ignore q -- r', '  c = 1', '}'].join('\n');
    expect(findIgnoreComments('main.tf', text).map((c) => c.scope)).toEqual([
      { startLine: 1, endLine: 1 },
      { startLine: 2, endLine: 4 },
    ]);
  });

  it('is the YAML node below, with its deeper-indented children', () => {
    const text = ['Resources:', '  # gatewarden:ignore p -- r', '  Api:', '    Type: X', '', '    # a note', '    Properties: {}', '  Other:', '    Type: Y'].join('\n');
    expect(findIgnoreComments('t.yaml', text).map((c) => c.scope)).toEqual([{ startLine: 3, endLine: 7 }]);
  });

  it('is the XML element below, with tags spanning lines and expressions holding < and >', () => {
    const text = [
      '<inbound>',
      '  <!-- gatewarden:ignore p -- r -->',
      '  <choose>',
      '    <when condition="@(context.Request.Body.As<string>().Length > 0)">',
      '      <set-header name="x"',
      '                  exists-action="override"><value>1</value></set-header>',
      '    </when>',
      '  </choose>',
      '  <cors />',
      '</inbound>',
    ].join('\n');
    expect(findIgnoreComments('policy.xml', text).map((c) => c.scope)).toEqual([{ startLine: 3, endLine: 8 }]);
  });

  it('is one element when its self-closing tag spans lines', () => {
    const text = ['<inbound>', '  <!-- gatewarden:ignore p -- r -->', '  <rate-limit calls="100"', '              renewal-period="60" />', '  <cors />', '</inbound>'].join('\n');
    expect(findIgnoreComments('policy.xml', text).map((c) => c.scope)).toEqual([{ startLine: 3, endLine: 4 }]);
  });

  it('ignores the marker in strings and in JSON files', () => {
    expect(findIgnoreComments('main.tf', 'description = "see # gatewarden:ignore p"')).toEqual([]);
    expect(findIgnoreComments('t.yaml', "Description: 'ask # gatewarden:ignore p'")).toEqual([]);
    expect(findIgnoreComments('a.json', '{"x": "# gatewarden:ignore p"}')).toEqual([]);
  });
});

describe('inline suppressions in every format', () => {
  it('accept the findings they cover, with their reason, and leave the others', async () => {
    const report = await scan({ cwd: repo, paths: ['test/fixtures/suppressions'], today });
    const rows = report.findings.map((finding) => [
      finding.policyId,
      finding.entityId.replace('test/fixtures/suppressions/', ''),
      `${finding.location.file.replace('test/fixtures/suppressions/', '')}:${finding.location.startLine}`,
      finding.suppressed ? `${finding.suppressed.kind} at ${finding.suppressed.location.startLine}: ${finding.suppressed.reason ?? '(no reason)'}` : 'reported',
    ]);
    expect(rows).toEqual([
      // The store API's service is public, in no virtual network, and its policy filters no caller
      // nor strips the backend's headers: reported on the service, the API and the <outbound>.
      ['apim-network-exposure', 'apim:azurerm_api_management.apim#apis', 'apim/main.tf:1', 'reported'],
      ['apim-inbound-restricted', 'apim:azurerm_api_management_api.store', 'apim/main.tf:10', 'reported'],
      ['route-requires-auth', 'apim:azurerm_api_management_api_operation.list', 'apim/main.tf:18', 'reported'],
      ['cors-not-open', 'apim:azurerm_api_management_api_policy.store/cors', 'apim/main.tf:32', 'in-source at 29: the storefront widget is embedded on partner sites'],
      ['apim-backend-headers-removed', 'apim:azurerm_api_management_api.store', 'apim/main.tf:41', 'reported'],
      ['route-requires-auth', 'cloudformation/template.yaml:HealthGet', 'cloudformation/template.yaml:21', 'in-source at 14: probed by the load balancer'],
      // A comment for another policy on the line does not accept this one.
      ['route-requires-auth', 'cloudformation/template.yaml:OrdersGet', 'cloudformation/template.yaml:36', 'reported'],
      ['route-requires-auth', 'openapi/catalog.yaml/GET /products', 'openapi/catalog.yaml:10', 'in-source at 6: the whole catalog is public on purpose'],
      ['route-requires-auth', 'openapi/partners.json/GET /health', 'openapi/partners.json:6', 'in-source at 7: monitoring calls it without credentials'],
      ['route-requires-auth', 'openapi/partners.json/GET /orders', 'openapi/partners.json:13', 'reported'],
      ['route-requires-auth', 'terraform:aws_api_gateway_method.health', 'terraform/main.tf:21', "in-source at 15: the load balancer's health check carries no credentials"],
      ['route-requires-auth', 'terraform:aws_api_gateway_method.status', 'terraform/main.tf:34', 'in-source at 34: public status page, no data'],
      // Expired: reported again.
      ['route-requires-auth', 'terraform:aws_api_gateway_method.legacy', 'terraform/main.tf:48', 'reported'],
      // No reason: applies, with a warning.
      ['route-requires-auth', 'terraform:aws_api_gateway_method.metrics', 'terraform/main.tf:62', 'in-source at 57: (no reason)'],
      // No policy id: ignored, with a warning.
      ['route-requires-auth', 'terraform:aws_api_gateway_method.orders', 'terraform/main.tf:76', 'reported'],
      ['route-requires-auth', 'terraform:aws_api_gateway_rest_api.partners/GET /ping', 'terraform/main.tf:87', 'in-source at 88: uptime probe'],
      ['route-requires-auth', 'terraform:aws_api_gateway_rest_api.partners/GET /partners', 'terraform/main.tf:93', 'reported'],
    ]);
    expect(report.summary.suppressed).toBe(8);
  });

  it('warn about expired, reasonless and malformed suppressions where they are written', async () => {
    const report = await scan({ cwd: repo, paths: ['test/fixtures/suppressions'], today });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.location?.file.replace('test/fixtures/suppressions/', '')}:${d.location?.startLine} ${d.message.replace(/test\/fixtures\/suppressions\//g, '')}`)).toEqual([
      'info cloudformation/template.yaml:36 the suppression of cors-not-open in the comment at cloudformation/template.yaml:36 accepted no finding: the finding is fixed, or the suppression is not on the block it means; remove or move it',
      'warning openapi/partners.json:12 a suppression on openapi/partners.json/GET /orders is ignored: x-gatewarden-ignore entries need an id: { id: <policy-id>, reason: ..., until: YYYY-MM-DD }',
      'warning terraform/main.tf:43 the suppression of route-requires-auth in the comment at terraform/main.tf:43 expired on 2020-01-31; its findings are reported again',
      'warning terraform/main.tf:57 the suppression of route-requires-auth in the comment at terraform/main.tf:57 gives no reason; write why the risk is accepted',
      'warning terraform/main.tf:71 the gatewarden:ignore comment at terraform/main.tf:71 is ignored: it names no policy; write gatewarden:ignore <policy-id> [until=YYYY-MM-DD] -- <reason>',
    ]);
  });
});

describe('inline suppressions and plans', () => {
  it('accept a plan finding through the comment at the .tf line it maps to', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-plan-suppression-'));
    cpSync(path.join(repo, 'test/fixtures/plans/existing-and-destroyed'), dir, { recursive: true });
    const main = path.join(dir, 'main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace('resource "aws_api_gateway_method" "kept_get" {', '# gatewarden:ignore route-requires-auth -- kept public until the partner API moves\nresource "aws_api_gateway_method" "kept_get" {'));
    const report = await scan({ cwd: dir, paths: ['plan.json'], today });
    const finding = report.findings.find((f) => f.policyId === 'route-requires-auth')!;
    expect(finding.origin.format).toBe('terraform-plan');
    expect(finding.location).toMatchObject({ file: 'main.tf', startLine: 12 });
    expect(finding.suppressed).toEqual({ kind: 'in-source', reason: 'kept public until the partner API moves', location: expect.objectContaining({ file: 'main.tf', startLine: 7 }) });
  });
});

describe('a suppression that accepted nothing', () => {
  it('is not called stale when its policy could not decide the entity (an unknown value): the finding may be behind it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-undecided-'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      'variable "origins" {}\n# gatewarden:ignore cors-not-open -- the origins come from the deployment pipeline\nresource "aws_apigatewayv2_api" "api" {\n  name          = "api"\n  protocol_type = "HTTP"\n  cors_configuration {\n    allow_origins = var.origins\n  }\n}\n',
    );
    const report = await scan({ cwd: dir, today });
    expect(report.unevaluated.map((check) => check.policyId)).toContain('cors-not-open');
    expect(report.diagnostics.filter((d) => d.code === 'suppression')).toEqual([]);
    // Decided, the same suppression that accepts nothing is reported as stale.
    const decided = await scan({ cwd: dir, today, vars: new Map([['origins', '["https://app.example.com"]']]) });
    expect(decided.diagnostics.filter((d) => d.code === 'suppression').map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['info main.tf:2']);
  });
});
