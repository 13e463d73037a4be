// The audit case of `npm run bench`: a fake account (200 REST APIs of 20 resources each, 50 HTTP APIs)
// behind a fake API Gateway that allows 10 requests per second, as the real control plane does. The
// audit runs with the real SDK clients. Targets: at most 5 API calls per REST API on average, and a
// wall time within 1.3x of the minimum that rate limit allows for the calls made.

import { startFakeAws } from '../test/helpers/fake-aws.mjs';

/** The fake account's one region, in the service's wire format. */
export function auditAccount({ restApis = 200, resourcesPerApi = 20, httpApis = 50 } = {}) {
  const rest = Array.from({ length: restApis }, (_, index) => {
    const id = `rest${String(index).padStart(6, '0')}`;
    const resources = [{ id: `${id}root`, path: '/' }];
    for (let r = 1; r < resourcesPerApi; r++) {
      resources.push({
        id: `${id}r${r}`,
        parentId: `${id}root`,
        pathPart: `items${r}`,
        path: `/items${r}`,
        resourceMethods: {
          GET: { httpMethod: 'GET', authorizationType: r % 5 === 0 ? 'NONE' : 'AWS_IAM', apiKeyRequired: false, methodIntegration: { type: 'AWS_PROXY', httpMethod: 'POST', uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:${id}/invocations` } },
        },
      });
    }
    return {
      api: { id, name: `service-${index}`, endpointConfiguration: { types: ['REGIONAL'] }, apiKeySource: 'HEADER', rootResourceId: `${id}root` },
      resources,
      authorizers: [],
      stages: [{ stageName: 'prod', deploymentId: `${id}dep`, methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 50, metricsEnabled: true } } }],
      gatewayResponses: [],
    };
  });
  const http = Array.from({ length: httpApis }, (_, index) => {
    const id = `http${String(index).padStart(6, '0')}`;
    return {
      api: { apiId: id, name: `http-${index}`, protocolType: 'HTTP' },
      routes: [{ routeId: `${id}r1`, routeKey: 'GET /status', authorizationType: 'NONE' }],
      authorizers: [],
      integrations: [],
      stages: [{ stageName: '$default', defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 20 } }],
    };
  });
  return { restApis: rest, v2Apis: http };
}

/** Runs the audit case with `auditAws` (gatewarden's built audit of the registry's `aws` provider), and returns what the bench reports. */
export async function runAuditCase(auditAws, { rateLimitPerSecond = 10, cwd } = {}) {
  const region = 'eu-west-1';
  const account = auditAccount();
  const fake = await startFakeAws({ regions: { [region]: account }, rateLimitPerSecond });
  try {
    const started = performance.now();
    const { report, calls } = await auditAws({ cwd, endpointUrl: fake.url, regions: [region], credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' } });
    const wallMs = performance.now() - started;
    const apiGateway = fake.requests.filter((request) => request.service === 'apigateway');
    return {
      restApis: account.restApis.length,
      httpApis: account.v2Apis.length,
      calls,
      requests: apiGateway.length,
      throttled: apiGateway.length - calls,
      wallMs,
      minimumMs: (calls / rateLimitPerSecond) * 1000,
      summary: report.summary,
    };
  } finally {
    await fake.close();
  }
}
