import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { isUnknown } from '../../../src/model/unknown.js';
import { readInventory } from '../../../src/pipeline/scan.js';

// Where each source writes a REST API's resource policy, read into route.aws.resourcePolicy, with the
// line of the statement that decided it.

async function routesOf(file: string, text: string): Promise<Map<string, Route>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-respol-'));
  writeFileSync(path.join(dir, file), text);
  const inventory = await readInventory({ cwd: dir });
  const routes = new Map<string, Route>();
  for (const entity of inventory.entities) if (entity.kind === 'route') routes.set(entity.key, entity);
  return routes;
}

function verdict(route: Route | undefined): unknown {
  const value = route?.aws?.resourcePolicy;
  return isUnknown(value) ? 'unknown' : value;
}

const TERRAFORM = `
resource "aws_api_gateway_rest_api" "office" {
  name   = "office"
  policy = data.aws_iam_policy_document.office.json
}

data "aws_iam_policy_document" "office" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["192.0.2.0/24"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*/DELETE/*"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/admin"]
    }
  }
}

resource "aws_api_gateway_method" "rooms" {
  rest_api_id   = aws_api_gateway_rest_api.office.id
  resource_id   = aws_api_gateway_rest_api.office.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "purge" {
  rest_api_id   = aws_api_gateway_rest_api.office.id
  resource_id   = aws_api_gateway_rest_api.office.root_resource_id
  http_method   = "DELETE"
  authorization = "NONE"
}

resource "aws_api_gateway_stage" "live" {
  rest_api_id   = aws_api_gateway_rest_api.office.id
  deployment_id = "d1"
  stage_name    = "live"
}

resource "aws_api_gateway_rest_api" "plain" {
  name = "plain"
}

resource "aws_api_gateway_method" "plain" {
  rest_api_id   = aws_api_gateway_rest_api.plain.id
  resource_id   = aws_api_gateway_rest_api.plain.root_resource_id
  http_method   = "PUT"
  authorization = "NONE"
}
`;

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  BillingApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ResourcePolicy:
          AwsAccountWhitelist:
            - "111122223333"
  VaultApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration:
        Type: PRIVATE
  Invoices:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref BillingApi
            Path: /invoices
            Method: get
        Secrets:
          Type: Api
          Properties:
            RestApiId: !Ref VaultApi
            Path: /secrets
            Method: get
`;

const CLOUDFORMATION_JSON = `{
  "Resources": {
    "Api": {
      "Type": "AWS::ApiGateway::RestApi",
      "Properties": {
        "Name": "text-policy",
        "Policy": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"execute-api:Invoke\\", \\"Resource\\": \\"execute-api:/*\\"}]}"
      }
    },
    "Get": {
      "Type": "AWS::ApiGateway::Method",
      "Properties": { "RestApiId": { "Ref": "Api" }, "ResourceId": { "Fn::GetAtt": ["Api", "RootResourceId"] }, "HttpMethod": "GET", "AuthorizationType": "NONE" }
    }
  }
}
`;

const SAM_GLOBALS = `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      ResourcePolicy:
        SourceVpcWhitelist:
          - vpce-0123456789abcdef0
Resources:
  Things:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties:
            Path: /things
            Method: get
`;

describe('resource policies from every source', () => {
  it('renders data.aws_iam_policy_document (principals, not_principals, condition blocks) and points at the deciding statement', async () => {
    const routes = await routesOf('main.tf', TERRAFORM);
    expect(verdict(routes.get('GET /'))).toBe('restricted-network');
    // The Deny with not_principals covers DELETE for every anonymous caller.
    expect(verdict(routes.get('DELETE /'))).toBe('denied');
    // No resource policy and not PRIVATE: nothing restricts the route, and the field is absent.
    expect(routes.get('PUT /')?.aws).toBeUndefined();
    expect(routes.get('GET /')?.fieldLocations['aws.resourcePolicy']?.startLine).toBe(4);
  });

  it('renders SAM account lists as a named-principal Allow, and closes a PRIVATE API without a policy', async () => {
    const routes = await routesOf('template.yaml', SAM);
    expect(verdict(routes.get('GET /invoices'))).toBe('restricted-principal');
    expect(routes.get('GET /invoices')?.fieldLocations['aws.resourcePolicy']?.startLine).toBe(9);
    expect(verdict(routes.get('GET /secrets'))).toBe('denied');
  });

  it("reads Globals.Api's ResourcePolicy for SAM's implicit API, and points there", async () => {
    const routes = await routesOf('template.yaml', SAM_GLOBALS);
    expect(verdict(routes.get('GET /things'))).toBe('restricted-network');
    expect(routes.get('GET /things')?.fieldLocations['aws.resourcePolicy']?.startLine).toBe(6);
  });

  it('reads a CloudFormation Policy written as JSON text', async () => {
    const routes = await routesOf('template.json', CLOUDFORMATION_JSON);
    expect(verdict(routes.get('GET /'))).toBe('public');
  });
});
