import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInventory, scan } from '../../../src/pipeline/scan.js';

// Tags and labels are read into the model where each source writes them: owners come from them.

const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-tags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tagsOf(file: string, text: string): Promise<Array<[string, string, Record<string, string> | undefined]>> {
  const folder = mkdtempSync(path.join(dir, 'case-'));
  writeFileSync(path.join(folder, file), text);
  const inventory = await readInventory({ cwd: folder, paths: ['.'] });
  return inventory.entities.filter((entity) => entity.kind === 'gateway' || entity.kind === 'stage').map((entity) => [entity.kind, entity.id, entity.tags]);
}

describe('tags and labels in the model', () => {
  it('reads Terraform tags, leaving out a tag whose value is unknown', async () => {
    const tags = await tagsOf(
      'main.tf',
      'variable "team" {}\nresource "aws_apigatewayv2_api" "api" {\n  name = "api"\n  protocol_type = "HTTP"\n  tags = { Owner = "team-api", Team = var.team }\n}\n',
    );
    expect(tags).toEqual([['gateway', 'aws_apigatewayv2_api.api', { Owner: 'team-api' }]]);
  });

  it('reads CloudFormation Tags as a REST API list of Key and Value, and an HTTP API map', async () => {
    const tags = await tagsOf(
      'template.yaml',
      [
        'Resources:',
        '  Rest:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties:',
        '      Name: rest',
        '      Tags: [{ Key: owner, Value: team-rest }]',
        '  Http:',
        '    Type: AWS::ApiGatewayV2::Api',
        '    Properties:',
        '      Name: http',
        '      ProtocolType: HTTP',
        '      Tags: { owner: team-http }',
        '',
      ].join('\n'),
    );
    expect(tags).toEqual([
      ['gateway', 'template.yaml:Rest', { owner: 'team-rest' }],
      ['gateway', 'template.yaml:Http', { owner: 'team-http' }],
    ]);
  });

  it('reads SAM Tags of a Serverless Api and HttpApi, from the resource and from Globals, onto the API and its stage', async () => {
    const tags = await tagsOf(
      'template.yaml',
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals:',
        '  HttpApi:',
        '    Tags: { team: team-global }',
        'Resources:',
        '  Rest:',
        '    Type: AWS::Serverless::Api',
        '    Properties:',
        '      StageName: prod',
        '      Tags: { owner: team-rest }',
        '      DefinitionBody: { swagger: "2.0", info: { title: rest, version: "1" }, paths: { /a: { get: { responses: {} } } } }',
        '  Http:',
        '    Type: AWS::Serverless::HttpApi',
        '    Properties:',
        '      Tags: { owner: team-http }',
        '      DefinitionBody: { openapi: "3.0.1", info: { title: http, version: "1" }, paths: { /a: { get: { responses: {} } } } }',
        '',
      ].join('\n'),
    );
    expect(tags).toEqual([
      ['gateway', 'template.yaml:Rest', { owner: 'team-rest' }],
      ['gateway', 'template.yaml:Http', { team: 'team-global', owner: 'team-http' }],
      ['stage', 'template.yaml:RestprodStage', { owner: 'team-rest' }],
      // The stage SAM's deployment also creates ("Stage") is not tagged: its findings' owner is the API's.
      ['stage', 'template.yaml:RestDeployment/stage', undefined],
      ['stage', 'template.yaml:HttpApiGatewayDefaultStage', { team: 'team-global', owner: 'team-http' }],
    ]);
  });

  it("gives a SAM API's findings the owner its Tags name, its routes' through the API", async () => {
    const folder = mkdtempSync(path.join(dir, 'case-'));
    writeFileSync(
      path.join(folder, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Orders:',
        '    Type: AWS::Serverless::HttpApi',
        '    Properties:',
        '      Tags: { team: team-orders }',
        '  ListOrders:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        '      InlineCode: exports.handler = async () => ({})',
        '      Events:',
        '        List: { Type: HttpApi, Properties: { ApiId: !Ref Orders, Path: /orders, Method: GET } }',
        '',
      ].join('\n'),
    );
    const { parseConfig } = await import('../../../src/config/load.js');
    const config = parseConfig('owners: { tag: team }\n', path.join(folder, '.gatewarden.yaml'), (file) => file);
    const report = await scan({ cwd: folder, config });
    const route = report.findings.find((finding) => finding.policyId === 'route-requires-auth')!;
    expect(route).toMatchObject({ routeKey: 'GET /orders', owner: { name: 'team-orders', source: 'tag' } });
    expect(new Set(report.findings.map((finding) => `${finding.owner?.name} ${finding.owner?.source}`))).toEqual(new Set(['team-orders tag']));
  });

  it("gives an API Management API its service's tags", async () => {
    const tags = await tagsOf(
      'apim.tf',
      [
        'resource "azurerm_api_management" "svc" {',
        '  name = "svc"',
        '  location = "westeurope"',
        '  resource_group_name = "rg"',
        '  publisher_name = "p"',
        '  publisher_email = "p@example.com"',
        '  sku_name = "Developer_1"',
        '  tags = { owner = "team-apim" }',
        '}',
        'resource "azurerm_api_management_api" "orders" {',
        '  name = "orders"',
        '  api_management_name = azurerm_api_management.svc.name',
        '  resource_group_name = "rg"',
        '  revision = "1"',
        '  path = "orders"',
        '  protocols = ["https"]',
        '}',
        '',
      ].join('\n'),
    );
    expect(tags).toEqual([['gateway', 'azurerm_api_management_api.orders', { owner: 'team-apim' }]]);
  });

  it('gives a GCP API the labels of the gateways that serve its configs, under its own', async () => {
    const tf = [
      'resource "google_api_gateway_api" "api" {',
      '  provider = google-beta',
      '  api_id = "orders"',
      '  labels = { owner = "team-api" }',
      '}',
      'resource "google_api_gateway_api_config" "v1" {',
      '  provider = google-beta',
      '  api = google_api_gateway_api.api.api_id',
      '  api_config_id = "v1"',
      '  labels = { team = "team-config" }',
      '}',
      'resource "google_api_gateway_gateway" "gw" {',
      '  provider = google-beta',
      '  api_config = google_api_gateway_api_config.v1.id',
      '  gateway_id = "orders-gw"',
      '  labels = { owner = "team-gateway", env = "prod" }',
      '}',
      '',
    ].join('\n');
    expect(await tagsOf('gcp.tf', tf)).toEqual([['gateway', 'google_api_gateway_api.api', { owner: 'team-api', env: 'prod' }]]);
    expect(await tagsOf('gcp.tf', tf.replace('  labels = { owner = "team-api" }\n', ''))).toEqual([['gateway', 'google_api_gateway_api.api', { owner: 'team-gateway', env: 'prod' }]]);
  });

  it('reads GCP labels', async () => {
    const tags = await tagsOf('gcp.tf', 'resource "google_api_gateway_api" "api" {\n  provider = google-beta\n  api_id = "orders"\n  labels = { owner = "team-gcp" }\n}\n');
    expect(tags).toEqual([['gateway', 'google_api_gateway_api.api', { owner: 'team-gcp' }]]);
  });
});
