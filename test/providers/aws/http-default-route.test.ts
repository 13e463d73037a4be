import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';

// In an HTTP API's OpenAPI body, `/$default` with x-amazon-apigateway-any-method is the route
// `$default` (how API Gateway exports the catch-all route): named so, and throttled by the stage's
// route settings for `$default`.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/http-default-route');

describe('the $default route of an HTTP API body', () => {
  it('is the route $default, throttled by its route key', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.routeKey} ${f.location.startLine}`).sort()).toEqual([
      'aws_apigatewayv2_api.proxy/$default $default 10',
      'aws_apigatewayv2_api.proxy/GET /health GET /health 21',
    ]);
    // The stage throttles only $default: the finding lists GET /health alone.
    const throttling = report.findings.filter((f) => f.policyId === 'throttling-configured');
    expect(throttling.map((f) => `${f.entityId} ${f.location.startLine} ${(f.routes ?? []).map((r) => r.routeKey).join(',')}`)).toEqual(['aws_apigatewayv2_stage.default 34 GET /health']);
  });
});
