import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { readInventory } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] =>
  report.findings
    .map((f) => `${f.policyId} ${f.address} ${path.basename(f.location.file)}:${f.location.startLine}${f.construct ? ` ${f.construct}` : ''}`)
    .sort();

function template(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-sam-'));
  writeFileSync(path.join(dir, 'template.yaml'), text);
  return dir;
}

describe('a SAM application', () => {
  it('reports what SAM would deploy: implicit APIs, per-event Auth overrides, Globals, usage plans', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'sam') });
    expect(report.diagnostics).toEqual([]);
    expect(findings(report)).toEqual(
      [
        // PetsApi sets Cors "'*'" itself, overriding the restricted Globals.Api.Cors: one open preflight per path.
        'cors-not-open PetsApipetsOptionsMethod/IntegrationResponses/0 template.yaml:59',
        'cors-not-open PetsApipetsimportOptionsMethod/IntegrationResponses/0 template.yaml:59',
        'cors-not-open PetsApipetspetIdOptionsMethod/IntegrationResponses/0 template.yaml:59',
        'cors-not-open PetsApipetspublicOptionsMethod/IntegrationResponses/0 template.yaml:59',
        // Authorizer: NONE on the event overrides PetsApi's Cognito default.
        'route-requires-auth ListPetsFunction.PublicPets template.yaml:107',
        // NONE plus ApiKeyRequired: a key alone (medium).
        'route-requires-auth PetFunction.ImportPets template.yaml:138',
        // Events without RestApiId/ApiId land on the implicit APIs, which have no authorizer.
        'route-requires-auth LegacyFunction.Health template.yaml:148',
        'route-requires-auth LegacyFunction.StripeWebhook template.yaml:153',
        'route-requires-auth StatusFunction.Status template.yaml:166',
        'route-requires-auth CatalogFunction.BrowseCatalog template.yaml:210',
        // Body methods without a RequestModel: nothing checks their input at the gateway.
        'request-validation PetFunction.CreatePet template.yaml:124',
        'request-validation PetFunction.ImportPets template.yaml:131',
        'request-validation LegacyFunction.StripeWebhook template.yaml:153',
        // The implicit REST API's Prod stage gets its settings from Globals.Api only: no throttling
        // there. One finding on the stage, listing its four routes (below).
        'throttling-configured ServerlessRestApiProdStage template.yaml:20',
        // The implicit HTTP API's $default stage: one route.
        'throttling-configured ServerlessHttpApiApiGatewayDefaultStage template.yaml:166',
        // No web ACL on either REST stage (PetsApi's is at its MethodSettings, where its stage
        // settings are written; the implicit API's at Globals.Api). The HTTP APIs cannot take one.
        'waf-attached PetsApiprodStage template.yaml:77',
        'waf-attached ServerlessRestApiProdStage template.yaml:20',
      ].sort(),
    );
    expect(report.findings.find((f) => f.address === 'PetFunction.ImportPets' && f.policyId === 'route-requires-auth')!.severity).toBe('medium');
    expect(report.findings.find((f) => f.address === 'ServerlessRestApiProdStage')!.routes!.map((route) => route.address)).toEqual([
      'LegacyFunction.Health',
      'ServerlessRestApihealthOptionsMethod',
      'ServerlessRestApiwebhooksstripeOptionsMethod',
      'LegacyFunction.StripeWebhook',
    ]);
    const inventory = await readInventory({ cwd: path.join(fixtures, 'sam') });
    const routes = inventory.entities.filter((entity): entity is Route => entity.kind === 'route');
    // Preflights only on the paths the API defines, not on the intermediate /webhooks resource.
    expect(routes.filter((route) => route.method === 'OPTIONS').map((route) => `${route.parentId} ${route.path}`).sort()).toEqual([
      'template.yaml:PetsApi /pets',
      'template.yaml:PetsApi /pets/import',
      'template.yaml:PetsApi /pets/public',
      'template.yaml:PetsApi /pets/{petId}',
      'template.yaml:ServerlessRestApi /health',
      'template.yaml:ServerlessRestApi /webhooks/stripe',
    ]);
    // SAM puts the default authorizer on preflights too (AddDefaultAuthorizerToCorsPreflight defaults to true).
    expect(routes.find((route) => route.key === 'OPTIONS /pets')!.auth).toMatchObject({ kind: 'cognito' });
    // The usage plan's generated key is an API key AWS generates.
    expect(inventory.entities.filter((entity) => entity.kind === 'api-key').map((key) => `${key.address} ${JSON.stringify((key as { valueSource: unknown }).valueSource)}`)).toEqual(['PetsApiApiKey "generated"']);
  });

  it('models the extra "Stage" stage SAM deploys without OpenApiVersion', async () => {
    const text = (openApiVersion: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod${openApiVersion}
      Auth:
        DefaultAuthorizer: AWS_IAM
      MethodSettings:
        - { ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /items, Method: get }
`;
    const withStage = await scan({ cwd: template(text('')) });
    // One throttling finding on SAM's implicit "Stage" stage, at the API, listing the route; the
    // implicit stage has no web ACL, like the prod stage.
    expect(findings(withStage)).toEqual(['throttling-configured ApiDeployment template.yaml:3', 'waf-attached ApiDeployment template.yaml:3', 'waf-attached ApiprodStage template.yaml:9']);
    const implicit = withStage.findings.find((f) => f.policyId === 'throttling-configured')!;
    expect(implicit.routes!.map((route) => route.address)).toEqual(['Fn.Get']);
    expect(implicit.message).toContain('the stage SAM creates implicitly when OpenApiVersion is not set');
    const without = await scan({ cwd: template(text('\n      OpenApiVersion: "3.0.1"')) });
    // With OpenApiVersion, only the prod stage is deployed (its MethodSettings a line lower).
    expect(findings(without)).toEqual(['waf-attached ApiprodStage template.yaml:10']);
  });

  it('merges Globals as SAM does: lists are additive, maps merge all the way down', async () => {
    const dir = template(`Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    OpenApiVersion: "3.0.1"
    MethodSettings:
      - { ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 }
    Auth:
      Authorizers:
        Tokens:
          FunctionArn: arn:aws:lambda:eu-west-1:111122223333:function:authorizer
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Tokens
      MethodSettings:
        - { ResourcePath: "/~1items", HttpMethod: POST, ThrottlingRateLimit: 5, ThrottlingBurstLimit: 5 }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Events:
        List: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } }
        Create: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: post } }
`);
    const report = await scan({ cwd: dir });
    // Authenticated and throttled; only the POST body is not validated at the gateway (no RequestModel),
    // and the stage has no web ACL (at its MethodSettings).
    expect(findings(report)).toEqual(['request-validation Fn.Create template.yaml:28', 'waf-attached ApiprodStage template.yaml:18']);
    const routes = (await readInventory({ cwd: dir })).entities.filter((entity): entity is Route => entity.kind === 'route');
    expect(routes.map((route) => `${route.key} ${route.auth.kind} ${JSON.stringify(route.rateLimit)}`).sort()).toEqual([
      'GET /items lambda {"rateLimit":100,"burstLimit":50,"source":"stage","stage":"prod"}',
      'POST /items lambda {"rateLimit":5,"burstLimit":5,"source":"method-settings","stage":"prod"}',
    ]);
  });
});

describe('a CDK cloud assembly', () => {
  it('reads cdk.out through its manifest and names each finding by its construct path', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'cdk') });
    expect(report.diagnostics).toEqual([]);
    expect(report.files).toEqual(['cdk.out/OrdersStack.template.json']);
    expect(findings(report)).toEqual(
      [
        // defaultCorsPreflightOptions with Cors.ALL_ORIGINS: an open MOCK preflight on each resource.
        'cors-not-open OrdersApiOPTIONS3B3E4330/IntegrationResponses/0 OrdersStack.template.json:295 OrdersStack/OrdersApi/Default/OPTIONS/Resource',
        'cors-not-open OrdersApiordersOPTIONSEF8B4CF0/IntegrationResponses/0 OrdersStack.template.json:359 OrdersStack/OrdersApi/Default/orders/OPTIONS/Resource',
        'cors-not-open StorefrontApi9335EB79 OrdersStack.template.json:656 OrdersStack/StorefrontApi/Resource',
        // The preflights themselves are not reported as unauthenticated; GET /orders has no authorizer.
        'route-requires-auth OrdersApiordersGETCB4E4D5D OrdersStack.template.json:478 OrdersStack/OrdersApi/Default/orders/GET/Resource',
        // POST /orders has no request validator.
        'request-validation OrdersApiordersPOSTAD0E8A63 OrdersStack.template.json:602 OrdersStack/OrdersApi/Default/orders/POST/Resource',
        'route-requires-auth StorefrontApiGETproductsF53B02CF OrdersStack.template.json:745 OrdersStack/StorefrontApi/GET--products/Resource',
        // DeploymentStage.prod has no MethodSettings; the HTTP API's $default stage no DefaultRouteSettings.
        // One finding per stage, named by the stage's construct path.
        'throttling-configured OrdersApiDeploymentStageprod80C33D00 OrdersStack.template.json:266 OrdersStack/OrdersApi/DeploymentStage.prod/Resource',
        'throttling-configured StorefrontApiDefaultStageD5D2C068 OrdersStack.template.json:667 OrdersStack/StorefrontApi/DefaultStage/Resource',
        // No CfnWebACLAssociation names the REST stage (the HTTP API's stage cannot take one).
        'waf-attached OrdersApiDeploymentStageprod80C33D00 OrdersStack.template.json:266 OrdersStack/OrdersApi/DeploymentStage.prod/Resource',
      ].sort(),
    );
  });

  it('follows a CDK nested stack through its aws:asset:path metadata, with construct paths', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'gatewarden-cdk-'));
    const out = path.join(project, 'cdk.out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'cdk.out'), JSON.stringify({ version: '36.0.0' }));
    writeFileSync(
      path.join(out, 'manifest.json'),
      JSON.stringify({ version: '36.0.0', artifacts: { AppStack: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'AppStack.template.json' } } } }, null, 1),
    );
    const nestedFile = 'AppStackApiNestedStackB7E4D2C1.nested.template.json';
    writeFileSync(
      path.join(out, 'AppStack.template.json'),
      JSON.stringify(
        {
          Resources: {
            ApiNestedStackApiNestedStackResource4A2B9E10: {
              Type: 'AWS::CloudFormation::Stack',
              Properties: {
                TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/cdk-hnb659fds-assets/', 'a1b2c3.json']] },
                Parameters: { referencetoAppStackStageName: 'live' },
              },
              Metadata: { 'aws:cdk:path': 'AppStack/Api.NestedStack/Api.NestedStackResource', 'aws:asset:path': nestedFile, 'aws:asset:property': 'TemplateURL' },
            },
          },
        },
        null,
        1,
      ),
    );
    writeFileSync(
      path.join(out, nestedFile),
      JSON.stringify(
        {
          Parameters: { referencetoAppStackStageName: { Type: 'String' } },
          Resources: {
            HttpApiF5A9A8A7: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'nested', ProtocolType: 'HTTP' }, Metadata: { 'aws:cdk:path': 'AppStack/Api/HttpApi/Resource' } },
            HttpApiDefaultStage3EEB07D6: {
              Type: 'AWS::ApiGatewayV2::Stage',
              Properties: { ApiId: { Ref: 'HttpApiF5A9A8A7' }, StageName: { Ref: 'referencetoAppStackStageName' }, AutoDeploy: true },
              Metadata: { 'aws:cdk:path': 'AppStack/Api/HttpApi/DefaultStage/Resource' },
            },
            HttpApiGETorders1C4D2E3F: {
              Type: 'AWS::ApiGatewayV2::Route',
              Properties: { ApiId: { Ref: 'HttpApiF5A9A8A7' }, RouteKey: 'GET /orders', AuthorizationType: 'NONE' },
              Metadata: { 'aws:cdk:path': 'AppStack/Api/HttpApi/GET--orders/Resource' },
            },
          },
        },
        null,
        1,
      ),
    );
    const report = await scan({ cwd: project });
    expect(report.diagnostics).toEqual([]);
    expect(report.files).toEqual([`cdk.out/${nestedFile}`, 'cdk.out/AppStack.template.json'].sort());
    expect(findings(report)).toEqual([
      `route-requires-auth ApiNestedStackApiNestedStackResource4A2B9E10/HttpApiGETorders1C4D2E3F ${nestedFile}:40 AppStack/Api/HttpApi/GET--orders/Resource`,
      `throttling-configured ApiNestedStackApiNestedStackResource4A2B9E10/HttpApiDefaultStage3EEB07D6 ${nestedFile}:18 AppStack/Api/HttpApi/DefaultStage/Resource`,
    ]);
    // The stage name comes from the parent's Parameters.
    expect(report.findings.find((f) => f.policyId === 'throttling-configured')!.message).toMatch(/^stage live of /);
  });

  it('finds the assembly from the project directory, the cdk.out directory or its manifest alike', async () => {
    const key = (report: Report) => findings(report).join('\n');
    const project = await scan({ cwd: path.join(fixtures, 'cdk') });
    expect(key(await scan({ cwd: path.join(fixtures, 'cdk/cdk.out') }))).toBe(key(project));
    expect(key(await scan({ cwd: path.join(fixtures, 'cdk'), paths: ['cdk.out/manifest.json'] }))).toBe(key(project));
  });
});
