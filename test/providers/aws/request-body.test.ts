import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { Unknown } from '../../../src/model/unknown.js';
import { audit } from '../../../src/pipeline/audit.js';
import { readInventory } from '../../../src/pipeline/scan.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeAws } from '../../helpers/fake-aws.mjs';

// A REST method declared as a resource (aws_api_gateway_method, AWS::ApiGateway::Method, a live
// method) declares a request body when its request_models maps a content type to a model: the
// model is the body's schema, so it declares the schema too.

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const fixtures = path.join(here, '../../fixtures/aws/request-body');

/** Each route of a scan as `key declaresRequestBody requestBodySchema line-of-declaresRequestBody`. */
async function bodies(dir: string): Promise<string[]> {
  const { entities } = await readInventory({ cwd: dir });
  const show = (value: Route['declaresRequestBody']): string => (value instanceof Unknown ? 'unknown' : String(value));
  return entities
    .filter((entity): entity is Route => entity.kind === 'route')
    .map((route) => `${route.key} ${show(route.declaresRequestBody)} ${show(route.requestBodySchema)} ${route.fieldLocations.declaresRequestBody?.startLine ?? '-'}`)
    .sort();
}

describe('AWS REST methods declared as resources: declaresRequestBody', () => {
  it('reads request_models in Terraform: a model declares a body, none or an empty map none, a variable without a value is unknown', async () => {
    expect(await bodies(path.join(fixtures, 'terraform'))).toEqual([
      'DELETE /orders false false 55',
      'GET /orders false false -',
      'POST /orders true true 28',
      'PUT /orders unknown unknown 46',
    ]);
  });

  it('reads RequestModels in CloudFormation', async () => {
    expect(await bodies(path.join(fixtures, 'cloudformation'))).toEqual(['GET /orders false false -', 'POST /orders true true 28']);
  });

  describe('live, with the real SDK against a fake API Gateway', () => {
    let fake: { url: string; close(): Promise<void> } | undefined;
    afterEach(async () => {
      await fake?.close();
      fake = undefined;
    });

    it('reads the requestModels GetResources returns with each method', async () => {
      // A probe policy that reports every route declaring a body and leaves the others unknown or
      // passing, so that the audit's own findings show what the model holds.
      const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-request-body-'));
      mkdirSync(path.join(dir, 'probe'));
      writeFileSync(
        path.join(dir, 'probe/policy.yaml'),
        [
          'id: probe',
          'title: Probe of declaresRequestBody',
          'severity: low',
          'category: request-validation',
          'description: Reports each route that declares a request body.',
          'remediation: None.',
          'match:',
          '  kind: route',
          '  where: "has(route.declaresRequestBody)"',
          'assert: "!route.declaresRequestBody"',
          'message: "{{route.key}} declares a body"',
          '',
        ].join('\n'),
      );
      const lambda = { type: 'AWS_PROXY', uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations' };
      const method = (httpMethod: string, extra: Record<string, unknown>) => ({ httpMethod, authorizationType: 'AWS_IAM', apiKeyRequired: false, methodIntegration: lambda, ...extra });
      const api = {
        api: { id: 'b0dy000001', name: 'orders-live', endpointConfiguration: { types: ['REGIONAL'] } },
        resources: [
          { id: 'r00t', path: '/' },
          { id: 'ord3rs', parentId: 'r00t', pathPart: 'orders', path: '/orders', resourceMethods: { POST: method('POST', { requestModels: { 'application/json': 'Order' } }), GET: method('GET', {}) } },
        ],
      };
      fake = (await startFakeAws({ regions: { 'eu-west-1': { restApis: [api] } } })) as { url: string; close(): Promise<void> };
      const { report } = await audit('aws', {
        cwd: repo,
        endpointUrl: fake.url,
        credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
        regions: ['eu-west-1'],
        maxAttempts: 5,
        builtInPolicies: false,
        policyDirs: [dir],
      });
      expect(report.findings.map((f) => `${f.policyId} ${f.routeKey}`)).toEqual(['probe POST /orders']);
      expect(report.unevaluated.filter((u) => u.policyId === 'probe')).toEqual([]);
    });
  });
});
