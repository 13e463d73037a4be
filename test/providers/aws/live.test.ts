import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditLive, type AuditOptions } from '../../../src/pipeline/audit.js';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan, withoutLogging } from '../../helpers/without-logging.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeAws } from '../../helpers/fake-aws.mjs';
import { awsConformanceAccount, epochSecondsDaysAgo } from '../../helpers/live-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const conformance = awsConformanceAccount();
const credentials = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' };

interface FakeRequest {
  method: string;
  path: string;
  query: string;
  region: string;
  service: string;
}
interface Fake {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** An audit against the fake, with every policy. */
async function auditAll(fakeOptions: Record<string, unknown>, options: Partial<AuditOptions<'aws'>> = {}) {
  fake = (await startFakeAws(fakeOptions)) as Fake;
  return auditLive('aws', { cwd: repo, endpointUrl: fake.url, credentials, regions: ['eu-west-1'], maxAttempts: 5, ...options });
}

/**
 * An audit against the fake without the findings of the logging policies: the conformance stage
 * writes access logs but no execution log and no trace, and the tests that use this are about other
 * concerns (logging has tests of its own below and in policies/logging/).
 */
async function audit(fakeOptions: Record<string, unknown>, options: Partial<AuditOptions<'aws'>> = {}) {
  const result = await auditAll(fakeOptions, options);
  return { ...result, report: withoutLogging(result.report) };
}

describe('gatewarden audit aws, with the real SDK against a fake API Gateway', () => {
  it('gives live findings their gateway, account and the owner the API tag names', async () => {
    const restApis = conformance.restApis as Array<{ api: Record<string, unknown> }>;
    const tagged = { ...conformance, restApis: restApis.map((entry: { api: Record<string, unknown> }) => ({ ...entry, api: { ...entry.api, tags: { Owner: 'team-live' } } })) };
    const { parseConfig } = await import('../../../src/config/load.js');
    const config = parseConfig('owners: { tag: owner }\n', path.join(repo, '.gatewarden.yaml'), (file) => file);
    const { report } = await audit({ regions: { 'eu-west-1': tagged } }, { config });
    expect(report.findings.length).toBeGreaterThan(0);
    const gateways = new Set(report.findings.map((finding) => `${finding.gateway?.id} ${finding.gateway?.name} ${finding.origin.account} ${finding.owner?.name} ${finding.owner?.source}`));
    const api = restApis[0]!.api as { id: string; name: string };
    expect([...gateways]).toEqual([`123456789012:arn:aws:apigateway:eu-west-1::/restapis/${api.id} ${api.name} 123456789012 team-live tag`]);
  });

  it('gives the findings a scan of the Terraform that created the API gives', async () => {
    const { report } = await audit({ regions: { 'eu-west-1': conformance } });
    const key = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const code = await scan({ cwd: path.join(repo, 'test/fixtures/conformance/hcl') });
    // A key's value is never read from an account, so where it came from cannot be judged there.
    expect(key(report.findings)).toEqual(key(code.findings.filter((f) => f.policyId !== 'no-static-api-keys')));
    expect(report.summary).toMatchObject({ incomplete: false, gateways: 1, routes: 2, files: 0 });
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
  });

  it('reads access logging of REST and HTTP stages as a scan reads it (stage-access-logging)', async () => {
    const http = {
      api: { apiId: 'h77p000001', name: 'payments', protocolType: 'HTTP' },
      routes: [{ routeId: 'r1', routeKey: 'GET /pay', authorizationType: 'AWS_IAM' }],
      stages: [
        // The wire format of API Gateway v2 (camelCase); the SDK hands the auditor PascalCase.
        { stageName: '$default', accessLogSettings: { destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:payments', format: '$context.requestTime $context.routeKey $context.status' } },
        { stageName: 'canary' },
        { stageName: 'live', accessLogSettings: { destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:payments', format: '{"id":"$context.requestId","ip":"$context.identity.sourceIp"}' } },
      ],
    };
    const { report } = await auditAll({ regions: { 'eu-west-1': { ...conformance, v2Apis: [http] } } });
    const logging = report.findings.filter((f) => f.policyId === 'stage-access-logging').map((f) => `${f.address} ${f.severity}`).sort();
    // The REST stage of the conformance API logs the request id, source address and caller: it passes.
    expect(logging).toEqual(['arn:aws:apigateway:eu-west-1::/apis/h77p000001/stages/$default low', 'arn:aws:apigateway:eu-west-1::/apis/h77p000001/stages/canary medium']);
  });

  it('reads execution logging levels and X-Ray tracing of REST and WebSocket stages (stage-execution-logging, stage-tracing)', async () => {
    const rest = conformance.restApis as Array<Record<string, unknown>>;
    const stages = [
      // Every method logs INFO but one, whose override turns logging off; the stage traces.
      { deploymentId: 'dep123', stageName: 'prod', tracingEnabled: true, methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false }, 'items/GET': { loggingLevel: 'OFF', dataTraceEnabled: false } } },
      { deploymentId: 'dep123', stageName: 'beta', tracingEnabled: false, methodSettings: { '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: false } } },
    ];
    const socket = {
      api: { apiId: 'w5s0ck3t01', name: 'chat', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' },
      routes: [{ routeId: 'c1', routeKey: '$connect', authorizationType: 'AWS_IAM' }],
      stages: [
        { stageName: 'live', defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: false }, routeSettings: { sendmessage: { loggingLevel: 'OFF' } } },
        { stageName: 'canary', defaultRouteSettings: { loggingLevel: 'INFO' } },
      ],
    };
    const { report } = await auditAll({ regions: { 'eu-west-1': { ...conformance, restApis: [{ ...rest[0]!, stages }], v2Apis: [socket] } } });
    const found = (policy: string) => report.findings.filter((f) => f.policyId === policy).map((f) => `${f.address.replace(/^.*::/, '')} ${f.severity}`).sort();
    expect(found('stage-execution-logging')).toEqual(['/apis/w5s0ck3t01/stages/live medium', `/restapis/${String((rest[0]!.api as { id: string }).id)}/stages/prod medium`]);
    expect(found('stage-tracing')).toEqual([`/restapis/${String((rest[0]!.api as { id: string }).id)}/stages/beta low`]);
    expect(report.unevaluated.filter((check) => check.policyId.startsWith('stage-'))).toEqual([]);
  });

  it('reads web ACLs and custom domains as a scan reads them (waf-attached, execute-api-endpoint-disabled)', async () => {
    const ledger = {
      api: { id: 'l3dg3r0001', name: 'ledger', apiKeySource: 'HEADER', endpointConfiguration: { types: ['REGIONAL'] }, disableExecuteApiEndpoint: false, rootResourceId: 'r00t000001' },
      resources: [{ id: 'r00t000001', path: '/', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'AWS_IAM', methodIntegration: { type: 'MOCK' } } } }],
      stages: [
        { deploymentId: 'dep1', stageName: 'prod', webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ledger/0a1b2c3d' },
        { deploymentId: 'dep1', stageName: 'beta' },
      ],
    };
    // Its methods were all deleted after it was deployed: its stage serves nothing, and a live
    // account shows every method there is, so waf-attached does not apply to it.
    const emptied = {
      api: { id: '3mpt13d001', name: 'emptied', endpointConfiguration: { types: ['REGIONAL'] }, disableExecuteApiEndpoint: true, rootResourceId: 'r00t000002' },
      resources: [{ id: 'r00t000002', path: '/' }, { id: 'n0th1ng001', parentId: 'r00t000002', pathPart: 'old', path: '/old' }],
      stages: [{ deploymentId: 'dep2', stageName: 'prod' }],
    };
    const domainNames = [{ domain: { domainName: 'ledger.example.com', securityPolicy: 'TLS_1_2', endpointConfiguration: { types: ['REGIONAL'] } }, mappings: [{ basePath: '(none)', restApiId: 'l3dg3r0001', stage: 'prod' }] }];
    const { report } = await audit({ regions: { 'eu-west-1': { restApis: [ledger, emptied], domainNames } } });
    const rows = report.findings
      .filter((f) => f.policyId === 'waf-attached' || f.policyId === 'execute-api-endpoint-disabled')
      .map((f) => `${f.policyId} ${f.address} ${f.severity}`)
      .sort();
    expect(rows).toEqual([
      'execute-api-endpoint-disabled arn:aws:apigateway:eu-west-1::/restapis/l3dg3r0001 medium',
      'waf-attached arn:aws:apigateway:eu-west-1::/restapis/l3dg3r0001/stages/beta medium',
    ]);
    expect(report.findings.find((f) => f.policyId === 'execute-api-endpoint-disabled')!.message).toContain('is served on ledger.example.com');
    expect(report.unevaluated.filter((u) => u.policyId === 'waf-attached')).toEqual([]);
  });

  it('reads WebSocket stage client certificates as a scan reads them, and leaves HTTP APIs out (backend-client-certificate)', async () => {
    const proxy = (integrationId: string, integrationUri: string) => ({ integrationId, integrationType: 'HTTP_PROXY', integrationMethod: 'POST', integrationUri, connectionType: 'INTERNET' });
    // The wire format of API Gateway v2 (camelCase): GetRoutes names a route's integration "integrations/<id>".
    const socket = {
      api: { apiId: 'w5s0ck3t02', name: 'chat', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' },
      routes: [
        { routeId: 'c1', routeKey: '$connect', authorizationType: 'AWS_IAM' },
        { routeId: 's1', routeKey: 'sendmessage', authorizationType: 'NONE', target: 'integrations/m3ss4g3s01' },
      ],
      integrations: [proxy('m3ss4g3s01', 'https://messages.example.com/chat')],
      stages: [{ stageName: 'prod', clientCertificateId: 'c3rt000001' }, { stageName: 'dev' }],
    };
    // Its only stage presents a certificate: nothing to report.
    const ticker = {
      api: { apiId: 'w5s0ck3t03', name: 'ticker', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' },
      routes: [{ routeId: 't1', routeKey: '$connect', authorizationType: 'AWS_IAM', target: 'integrations/t1ck000001' }],
      integrations: [proxy('t1ck000001', 'https://ticker.example.com/connect')],
      stages: [{ stageName: 'live', clientCertificateId: 'c3rt000002' }],
    };
    const http = {
      api: { apiId: 'h77p000003', name: 'feeds', protocolType: 'HTTP' },
      routes: [{ routeId: 'n1', routeKey: 'GET /news', authorizationType: 'AWS_IAM', target: 'integrations/n3ws000001' }],
      integrations: [proxy('n3ws000001', 'https://news.example.com/latest')],
      stages: [{ stageName: 'live' }],
    };
    const { report } = await audit({ regions: { 'eu-west-1': { v2Apis: [socket, ticker, http] } } });
    const found = report.findings.filter((f) => f.policyId === 'backend-client-certificate').map((f) => `${f.address} ${f.severity} ${(f.routes ?? []).map((r) => r.routeKey).join(',')}`);
    expect(found).toEqual(['arn:aws:apigateway:eu-west-1::/apis/w5s0ck3t02/stages/dev low sendmessage']);
    // The HTTP API's route reaches its backend too (backend-https reads it), but HTTP APIs have no client certificate.
    expect(report.unevaluated.filter((u) => u.policyId === 'backend-client-certificate')).toEqual([]);
  });

  it('reads stage variables, integration parameters and authorizers as a scan reads them (secrets-in-config, authorizer-cache-identity, jwt-issuer-audience)', async () => {
    const restApis = conformance.restApis as Array<{ stages: Array<Record<string, unknown>> }>;
    const withVariables = restApis.map((entry) => ({ ...entry, stages: entry.stages.map((stage) => ({ ...stage, variables: { ledgerPassword: 'FAKEliveStagePassword01', region: 'eu-west-1' } })) }));
    const http = {
      api: { apiId: 'h77p000002', name: 'partners', protocolType: 'HTTP' },
      routes: [{ routeId: 'r1', routeKey: 'GET /partners', authorizationType: 'CUSTOM', authorizerId: 'au7h000001' }],
      // The wire format of API Gateway v2 (camelCase); the SDK hands the auditor PascalCase.
      authorizers: [
        { authorizerId: 'au7h000001', name: 'by-tenant', authorizerType: 'REQUEST', identitySource: ['$request.header.X-Tenant'], authorizerResultTtlInSeconds: 300 },
        { authorizerId: 'au7h000002', name: 'any-client', authorizerType: 'JWT', identitySource: ['$request.header.Authorization'], jwtConfiguration: { issuer: 'https://example.eu.auth0.com/', audience: [] } },
      ],
      integrations: [{ integrationId: 'in7e000001', integrationType: 'HTTP_PROXY', integrationUri: 'https://partner.example.com', requestParameters: { 'overwrite:header.x-api-key': 'FAKEliveIntegrationKey01' } }],
      stages: [],
    };
    const { report } = await audit({ regions: { 'eu-west-1': { ...conformance, restApis: withVariables, v2Apis: [http] } } });
    const ours = report.findings.filter((f) => ['secrets-in-config', 'authorizer-cache-identity', 'jwt-issuer-audience'].includes(f.policyId)).map((f) => `${f.policyId} ${f.address}`).sort();
    const stage = (conformance.restApis as Array<{ stages: Array<{ stageName: string }> }>)[0]!.stages[0]!.stageName;
    expect(ours).toEqual([
      'authorizer-cache-identity arn:aws:apigateway:eu-west-1::/apis/h77p000002/authorizers/au7h000001',
      'jwt-issuer-audience arn:aws:apigateway:eu-west-1::/apis/h77p000002/authorizers/au7h000002',
      'secrets-in-config arn:aws:apigateway:eu-west-1::/apis/h77p000002/integrations/in7e000001',
      `secrets-in-config arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/${stage}`,
    ]);
    expect(JSON.stringify(report)).not.toMatch(/FAKElive/);
  });

  it('reports an enabled API key older than maxAgeDays by its ARN, and neither a young nor a disabled one (api-keys-rotated)', async () => {
    const apiKeys = [
      { id: 'k3y0000001', name: 'partner', enabled: true, createdDate: epochSecondsDaysAgo(14), stageKeys: [] },
      { id: 'k3y0000002', name: 'legacy', enabled: true, createdDate: epochSecondsDaysAgo(400), stageKeys: [] },
      { id: 'k3y0000003', name: 'retired', enabled: false, createdDate: epochSecondsDaysAgo(900), stageKeys: [] },
    ];
    const { report } = await audit({ regions: { 'eu-west-1': { ...conformance, apiKeys } } });
    expect(report.findings.filter((f) => f.policyId === 'api-keys-rotated').map((f) => `${f.address} ${f.severity} ${f.message.replace(/\(.*\)/, '(...)')}`)).toEqual([
      'arn:aws:apigateway:eu-west-1::/apikeys/k3y0000002 medium API key legacy was created 400 days ago (...), more than the 90 days a key may live: replace it',
    ]);
  });

  it('still reports a stage without a web ACL when its API\'s resources could not be read: whether it has methods is not known (waf-attached)', async () => {
    const emptied = {
      api: { id: '3mpt13d002', name: 'unread', endpointConfiguration: { types: ['REGIONAL'] }, disableExecuteApiEndpoint: true },
      resources: [{ id: 'r00t000003', path: '/' }],
      stages: [{ deploymentId: 'dep3', stageName: 'prod' }],
    };
    const { report } = await audit({ malformed: /\/restapis\/3mpt13d002\/resources$/, regions: { 'eu-west-1': { restApis: [emptied] } } });
    expect(report.summary.incomplete).toBe(true);
    expect(report.findings.filter((f) => f.policyId === 'waf-attached').map((f) => f.address)).toEqual(['arn:aws:apigateway:eu-west-1::/restapis/3mpt13d002/stages/prod']);
  });

  it('reads custom domain security policies and HTTP integrations as a scan reads them (domain-tls-policy, backend-https)', async () => {
    const api = {
      api: { id: 'tls0000001', name: 'partners', endpointConfiguration: { types: ['REGIONAL'] } },
      resources: [
        { id: 'r00t000001', path: '/' },
        {
          id: 'w3ath3r001',
          parentId: 'r00t000001',
          pathPart: 'weather',
          path: '/weather',
          resourceMethods: {
            GET: { httpMethod: 'GET', authorizationType: 'AWS_IAM', methodIntegration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: 'http://weather.partner.example.net/now', connectionType: 'INTERNET' } },
            POST: { httpMethod: 'POST', authorizationType: 'AWS_IAM', methodIntegration: { type: 'HTTP_PROXY', httpMethod: 'POST', uri: 'http://jobs-nlb.elb.eu-west-1.amazonaws.com/jobs', connectionType: 'VPC_LINK', connectionId: 'vpclink1' } },
            PUT: { httpMethod: 'PUT', authorizationType: 'AWS_IAM', methodIntegration: { type: 'HTTP', httpMethod: 'PUT', uri: 'https://weather.partner.example.net/now' } },
          },
        },
      ],
    };
    const domainNames = [
      { domain: { domainName: 'legacy.example.com', securityPolicy: 'TLS_1_0', endpointConfiguration: { types: ['REGIONAL'] } } },
      { domain: { domainName: 'api.example.com', securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09', endpointConfiguration: { types: ['REGIONAL'] } } },
    ];
    const { report } = await audit({ regions: { 'eu-west-1': { restApis: [api], domainNames } } });
    const tls = report.findings.filter((f) => f.policyId === 'domain-tls-policy' || f.policyId === 'backend-https');
    expect(tls.map((f) => `${f.policyId} ${f.address} ${f.routeKey ?? '-'} ${f.severity}`).sort()).toEqual([
      'backend-https arn:aws:apigateway:eu-west-1::/restapis/tls0000001/resources/w3ath3r001/methods/GET GET /weather medium',
      'backend-https arn:aws:apigateway:eu-west-1::/restapis/tls0000001/resources/w3ath3r001/methods/POST POST /weather low',
      'domain-tls-policy arn:aws:apigateway:eu-west-1::/domainnames/legacy.example.com - medium',
    ]);
    // The API has no stage, so only throttling is unknown: these policies decided every entity.
    expect(report.unevaluated.filter((u) => u.policyId === 'domain-tls-policy' || u.policyId === 'backend-https')).toEqual([]);
  });

  it('names each finding by ARN, region, account and console link', async () => {
    const { report } = await audit({ regions: { 'eu-west-1': conformance } });
    const finding = report.findings.find((f) => f.policyId === 'route-requires-auth')!;
    expect(finding).toMatchObject({
      address: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      entityId: '123456789012:arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      origin: { format: 'live', account: '123456789012', region: 'eu-west-1' },
      location: { file: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET', url: 'https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources/it3ms00001?api=a1b2c3d4e5&region=eu-west-1' },
    });
  });

  it('makes only GET calls on API Gateway, never asks for key values, and only GetCallerIdentity besides', async () => {
    const { report, calls } = await audit({ regions: { 'eu-west-1': conformance } });
    const requests = fake!.requests;
    expect(requests.filter((r) => r.service === 'apigateway').every((r) => r.method === 'GET')).toBe(true);
    expect(requests.filter((r) => r.service !== 'apigateway').map((r) => `${r.service} ${r.method}`)).toEqual(['sts POST']);
    expect(requests.find((r) => r.path === '/apikeys')!.query).not.toContain('includeValues=true');
    // Four calls per REST API: resources with methods, authorizers, stages, gateway responses (and
    // request validators only for an API whose methods name one: this one's do not).
    expect(requests.filter((r) => r.path.startsWith('/restapis/a1b2c3d4e5')).map((r) => r.path)).toEqual([
      '/restapis/a1b2c3d4e5/resources',
      '/restapis/a1b2c3d4e5/authorizers',
      '/restapis/a1b2c3d4e5/stages',
      '/restapis/a1b2c3d4e5/gatewayresponses',
    ]);
    expect(calls).toBe(requests.filter((r) => r.service === 'apigateway').length);
    expect(JSON.stringify(report)).not.toContain('FAKEvalue');
  });

  it('reads every page of every list', async () => {
    const apis = Array.from({ length: 5 }, (_, index) => ({ api: { id: `api${index}`, name: `api-${index}` }, resources: [{ id: `root${index}`, path: '/' }], stages: [] }));
    const { report } = await audit({ pageSize: 2, regions: { 'eu-west-1': { restApis: apis, v2Apis: [1, 2, 3].map((index) => ({ api: { apiId: `h${index}`, name: `http-${index}`, protocolType: 'HTTP' }, routes: [{ routeId: 'r1', routeKey: 'GET /a', authorizationType: 'NONE' }, { routeId: 'r2', routeKey: 'GET /b', authorizationType: 'NONE' }, { routeId: 'r3', routeKey: 'GET /c', authorizationType: 'NONE' }] })) } } });
    expect(report.summary).toMatchObject({ gateways: 8, routes: 9 });
    expect(fake!.requests.filter((r) => r.path === '/restapis').map((r) => r.query)).toEqual(['?limit=500', '?limit=500&position=2', '?limit=500&position=4']);
  });

  it('evaluates the resource policy GetRestApi returns as escaped JSON text: routes it allows nobody are not open', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:p0l1cy0001/live/GET/health' },
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:p0l1cy0001/live/GET/orders', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } },
      ],
    };
    const method = { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: { type: 'HTTP_PROXY' } };
    const api = {
      api: { id: 'p0l1cy0001', name: 'policy-live', endpointConfiguration: { types: ['REGIONAL'] }, policy: JSON.stringify(policy).replace(/"/g, '\\"') },
      resources: [
        { id: 'r00t', path: '/' },
        { id: 'h3alth', parentId: 'r00t', pathPart: 'health', path: '/health', resourceMethods: { GET: method } },
        { id: 'ord3rs', parentId: 'r00t', pathPart: 'orders', path: '/orders', resourceMethods: { GET: method } },
        { id: 'adm1n', parentId: 'r00t', pathPart: 'admin', path: '/admin', resourceMethods: { GET: method } },
      ],
      stages: [{ deploymentId: 'd1', stageName: 'live', methodSettings: { '*/*': { throttlingBurstLimit: 10, throttlingRateLimit: 5 } } }],
    };
    const { report } = await audit({ regions: { 'eu-west-1': { restApis: [api] } } });
    const auth = report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.routeKey} ${f.severity}`).sort();
    expect(auth).toEqual(['GET /health high', 'GET /orders medium']);
    expect(report.unevaluated.filter((u) => u.policyId === 'route-requires-auth')).toEqual([]);
  });

  it('reads request validators, request models and parameters, and stage cache settings as a scan reads them (request-validation, cache-encrypted)', async () => {
    const integration = (type: string, uri: string) => ({ type, uri });
    const lambda = integration('AWS_PROXY', 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations');
    const method = (httpMethod: string, extra: Record<string, unknown>, methodIntegration: Record<string, unknown> = lambda) => ({ httpMethod, authorizationType: 'AWS_IAM', apiKeyRequired: false, methodIntegration, ...extra });
    const api = {
      api: { id: 'val1dat0r1', name: 'orders-live', endpointConfiguration: { types: ['REGIONAL'] } },
      requestValidators: [{ id: 'v4l1d', name: 'body-only', validateRequestBody: true, validateRequestParameters: false }],
      resources: [
        { id: 'r00t', path: '/' },
        {
          id: 'ord3rs',
          parentId: 'r00t',
          pathPart: 'orders',
          path: '/orders',
          resourceMethods: {
            POST: method('POST', { requestValidatorId: 'v4l1d', requestModels: { 'application/json': 'Order' } }),
            PUT: method('PUT', {}, integration('AWS', 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem')),
            PATCH: method('PATCH', { requestValidatorId: 'g0ne', requestModels: { 'application/json': 'Order' } }),
          },
        },
        { id: '0rd3r', parentId: 'ord3rs', pathPart: '{id}', path: '/orders/{id}', resourceMethods: { GET: method('GET', { requestValidatorId: 'v4l1d', requestParameters: { 'method.request.path.id': true } }) } },
      ],
      stages: [
        { deploymentId: 'd1', stageName: 'live', cacheClusterEnabled: true, methodSettings: { '*/*': { throttlingBurstLimit: 10, throttlingRateLimit: 5, cachingEnabled: true, cacheDataEncrypted: false } } },
        { deploymentId: 'd1', stageName: 'safe', cacheClusterEnabled: true, methodSettings: { '*/*': { throttlingBurstLimit: 10, throttlingRateLimit: 5, cachingEnabled: true, cacheDataEncrypted: true } } },
      ],
    };
    const { report } = await audit({ regions: { 'eu-west-1': { restApis: [api] } } });
    expect(fake!.requests.filter((r) => r.path.endsWith('/requestvalidators')).map((r) => r.path)).toEqual(['/restapis/val1dat0r1/requestvalidators']);
    const validation = report.findings.filter((f) => f.policyId === 'request-validation').map((f) => `${f.routeKey} ${f.severity}`).sort();
    expect(validation).toEqual(['GET /orders/{id} low', 'PUT /orders medium']);
    // A validator id GetRequestValidators does not list is unknown, never a pass or a finding.
    expect(report.unevaluated.filter((u) => u.policyId === 'request-validation').map((u) => u.entityId)).toEqual(['123456789012:arn:aws:apigateway:eu-west-1::/restapis/val1dat0r1/resources/ord3rs/methods/PATCH']);
    const cache = report.findings.filter((f) => f.policyId === 'cache-encrypted').map((f) => f.entityId);
    expect(cache).toEqual(['123456789012:arn:aws:apigateway:eu-west-1::/restapis/val1dat0r1/stages/live']);
    // The live stage caches GET methods (stage-wide setting): GET /orders/{id} is IAM-signed and its
    // integration's cache key (cacheKeyParameters) holds no identity.
    const key = report.findings.filter((f) => f.policyId === 'cache-key-authorization').map((f) => f.routeKey);
    expect(key).toEqual(['GET /orders/{id}']);
  });

  it('retries throttled calls and completes', async () => {
    const { report } = await audit({ throttleFirst: 2, regions: { 'eu-west-1': conformance } });
    expect(report.summary.incomplete).toBe(false);
    expect(report.findings).toHaveLength(2);
    // GetCallerIdentity, ten reads, and the two that were throttled once.
    expect(fake!.requests.length).toBe(13);
  });

  it('goes on when a region denies access, and says the audit is incomplete', async () => {
    const { report } = await audit(
      { regions: { 'eu-west-1': conformance }, failRegions: { 'us-east-1': { status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform: apigateway:GET' } } },
      { regions: ['us-east-1', 'eu-west-1'] },
    );
    expect(report.findings).toHaveLength(2);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error read-error']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetRestApis failed in us-east-1 of account 123456789012: AccessDeniedException: User is not authorized.*grant apigateway:GET on arn:aws:apigateway:us-east-1::\/\*/);
    expect(exitCodeFor(report, 'critical')).toBe(2);
  });

  it('reports a response that is not JSON, and audits the rest', async () => {
    const { report } = await audit({ malformed: /\/stages$/, regions: { 'eu-west-1': conformance } });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'read-error', message: expect.stringMatching(/^GetStages for restapi a1b2c3d4e5 failed in eu-west-1/) })]);
    expect(report.summary.incomplete).toBe(true);
    // Without the stage, the rate limit is unknown, never assumed absent.
    expect(report.unevaluated.map((u) => u.policyId)).toEqual(['throttling-configured', 'throttling-configured']);
  });

  it('finds nothing, completely, in an account with no APIs', async () => {
    const { report } = await audit({ regions: {} });
    expect(report.summary).toMatchObject({ gateways: 0, findings: { total: 0 }, incomplete: false });
    expect(exitCodeFor(report, 'low')).toBe(0);
  });

  it('skips opt-in regions the account has not enabled, without calling the audit incomplete', async () => {
    const failRegions = Object.fromEntries(['af-south-1', 'me-south-1'].map((region) => [region, { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }]));
    const { report } = await audit({ regions: { 'eu-west-1': conformance }, failRegions }, { regions: [] });
    expect(report.summary.incomplete).toBe(false);
    expect(report.targets).toContain('aws:123456789012/eu-west-1');
    expect(report.targets).not.toContain('aws:123456789012/af-south-1');
    expect(report.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual([
      'info region af-south-1 is not enabled for account 123456789012; it was skipped',
      'info region me-south-1 is not enabled for account 123456789012; it was skipped',
    ]);
  });

  it('follows the SDK variable AWS_ENDPOINT_URL like --endpoint-url', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = fake.url;
    try {
      const { report } = await auditLive('aws', { cwd: repo, credentials, regions: ['eu-west-1'] });
      expect(withoutLogging(report).findings).toHaveLength(2);
      expect(fake.requests.length).toBe(11);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('audits several accounts through their roles, keeping them apart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-accounts-'));
    writeFileSync(path.join(dir, 'accounts.txt'), '# production accounts\narn:aws:iam::111111111111:role/gatewarden-audit\narn:aws:iam::222222222222:role/gatewarden-audit\n');
    const { report } = await audit({ regions: { 'eu-west-1': conformance } }, { accountsFile: path.join(dir, 'accounts.txt') });
    expect(report.targets).toEqual(['aws:111111111111/eu-west-1', 'aws:222222222222/eu-west-1']);
    expect(report.findings.map((f) => f.entityId.split(':')[0]).sort()).toEqual(['111111111111', '111111111111', '222222222222', '222222222222']);
    expect(fake!.requests.filter((r) => r.service === 'sts').length).toBe(4);
  });
});

describe('the audit command', () => {
  it('prints live findings grouped by account and region, with ARN and console link, and exits 1', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const { cli } = await import('../../../src/cli/cli.js');
    let stdout = '';
    let stderr = '';
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    try {
      const code = await cli(['audit', 'aws', '--endpoint-url', fake.url, '--regions', 'eu-west-1'], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        cwd: repo,
        env: {},
      });
      expect(code).toBe(1);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
    expect(stderr).toBe('');
    expect(stdout).toContain('AWS account 123456789012, eu-west-1\n  MEDIUM   route-requires-auth');
    expect(stdout).toContain('           arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET (GET /items)\n           https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/');
    // The route and CORS findings, and the stage's missing execution log and trace (low).
    expect(stdout).toMatch(/^1 region · 1 gateways · 2 routes · 4 findings/m);
  });

  it('applies .gatewarden.yaml (policies, suppressions by ARN, fail-on) and baselines to live findings', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const { cli } = await import('../../../src/cli/cli.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-audit-config-'));
    writeFileSync(
      path.join(dir, '.gatewarden.yaml'),
      [
        'fail-on: high',
        'policies:',
        '  severity: { route-requires-auth: high }',
        '  disable: [cors-not-open, stage-execution-logging, stage-tracing]',
        'suppressions:',
        '  - policy: route-requires-auth',
        '    address: "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/*"',
        '    reason: the item list is public',
        '',
      ].join('\n'),
    );
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    const audit = async (...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const code = await cli(['audit', 'aws', '--endpoint-url', fake!.url, '--regions', 'eu-west-1', '--format', 'json', ...extra], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        cwd: dir,
        env: {},
      });
      return { code, stdout, stderr };
    };
    try {
      const first = await audit();
      expect(first.stderr).toBe('gatewarden: using the config file .gatewarden.yaml\n');
      const report = JSON.parse(first.stdout) as { findings: Array<{ policyId: string; severity: string; address: string; suppressed?: { kind: string }; baselined?: boolean }> };
      const auth = report.findings.filter((f) => f.policyId === 'route-requires-auth');
      expect(auth.map((f) => [f.severity, f.address.replace(/^.*restapis\//, ''), f.suppressed?.kind ?? 'reported'])).toEqual([['high', 'a1b2c3d4e5/resources/it3ms00001/methods/GET', 'config']]);
      // cors-not-open is disabled, and what is left is below fail-on high from the config file: the audit passes.
      expect(report.findings.filter((f) => !f.suppressed).map((f) => `${f.policyId} ${f.severity}`)).toEqual([]);
      expect(first.code).toBe(0);

      // Without the config's exceptions, a baseline accepts every finding of today's account.
      writeFileSync(path.join(dir, 'plain.yaml'), 'fail-on: low\n');
      const created = await audit('--config', 'plain.yaml', '--create-baseline', 'baseline.json');
      expect(created.code).toBe(0);
      const recorded = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: Array<{ policyId: string }> };
      expect(recorded.findings.map((entry) => entry.policyId).sort()).toEqual(['cors-not-open', 'route-requires-auth', 'stage-execution-logging', 'stage-tracing']);
      const again = await audit('--config', 'plain.yaml', '--baseline', 'baseline.json');
      expect(JSON.parse(again.stdout).summary).toMatchObject({ findings: { total: 0 }, baselined: 4 });
      expect(again.code).toBe(0);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('refuses options that cannot work together or a region that is not one', async () => {
    const { cli } = await import('../../../src/cli/cli.js');
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd: repo, env: {} };
    expect(await cli(['audit', 'aws', '--regions', 'europe'], io)).toBe(2);
    expect(stderr).toContain('--regions: "europe" is not a region name');
    expect(await cli(['audit', 'oracle'], io)).toBe(2);
    expect(stderr).toContain('gatewarden audit reads aws, azure and gcp accounts, not "oracle"');
    expect(await cli(['audit', 'aws', '--accounts', 'a.txt', '--role-arn', 'arn:aws:iam::111111111111:role/x'], io)).toBe(2);
  });
});

/** The error an audit rejected with, for its code and message. */
/**
 * The one error of an audit that could not sign in: the report is still produced (so every output is
 * written), audits nothing, and is incomplete.
 */
async function failure(promise: Promise<{ report: { targets: readonly string[]; summary: { incomplete: boolean }; diagnostics: ReadonlyArray<{ severity: string; code: string; message: string }> } }>): Promise<{ message: string }> {
  const { report } = await promise;
  expect(report.targets).toEqual([]);
  expect(report.summary.incomplete).toBe(true);
  expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error read-error']);
  return { message: report.diagnostics[0]!.message };
}

const diagnostic = (report: { diagnostics: ReadonlyArray<{ severity: string; code: string; address?: string; message: string }> }, address: string) => report.diagnostics.filter((d) => d.address === address);

// Each of these would hang or run without bound on an audit without deadlines and bounded listings:
// the test timeouts (a few seconds) turn such a regression into a failure instead of a stuck suite.
describe('gatewarden audit aws, bounded in time', () => {
  it('ends a call to an endpoint that accepts the connection and never answers, and audits the other regions', { timeout: 10_000 }, async () => {
    const { report } = await audit({ regions: { 'eu-west-1': conformance }, hangRegions: ['us-east-1'] }, { regions: ['eu-west-1', 'us-east-1'], requestTimeoutMs: 300, maxAttempts: 2 });
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`).sort()).toEqual([
      'cors-not-open arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/OPTIONS/integration/responses/200',
      'route-requires-auth arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
    ]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error read-error arn:aws:apigateway:us-east-1::/restapis']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetRestApis failed in us-east-1 of account 123456789012: TimeoutError: no complete answer within 300 ms .*; what it reads is not audited\. the endpoint did not answer completely in time/);
    // Two attempts, as asked: a timeout is retried like the SDK's own.
    expect(fake!.requests.filter((r) => r.region === 'us-east-1').map((r) => r.path)).toEqual(['/restapis', '/restapis']);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('ends a response whose body stops after the headers', { timeout: 10_000 }, async () => {
    const { report } = await audit({ stallBody: /\/stages$/, regions: { 'eu-west-1': conformance } }, { requestTimeoutMs: 300, maxAttempts: 1 });
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`)).toEqual(['read-error arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetStages for restapi a1b2c3d4e5 failed in eu-west-1 of account 123456789012: TimeoutError: no complete answer within 300 ms/);
    // The rest of the API is audited; without its stages, its rate limit is unknown.
    expect(report.findings.map((f) => f.policyId).sort()).toEqual(['cors-not-open', 'route-requires-auth']);
    expect(report.unevaluated.map((u) => u.policyId)).toEqual(['throttling-configured', 'throttling-configured']);
  });

  it('ends a response that trickles a byte at a time, which an idle timeout never would', { timeout: 10_000 }, async () => {
    const { report } = await audit({ trickleBody: /\/restapis\/[^/]+\/authorizers$/, regions: { 'eu-west-1': conformance } }, { requestTimeoutMs: 400, maxAttempts: 1 });
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`)).toEqual(['read-error arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetAuthorizers for restapi a1b2c3d4e5 failed in eu-west-1 .*TimeoutError: no complete answer within 400 ms/);
  });

  it('stops the whole audit at its time limit, keeping the regions that finished and naming the others', { timeout: 20_000 }, async () => {
    const started = Date.now();
    const result = await audit(
      { regions: { 'eu-west-1': conformance }, hangRegions: ['us-east-1'] },
      { regions: ['eu-west-1', 'us-east-1', 'us-west-2'], regionConcurrency: 1, timeoutMs: 700, requestTimeoutMs: 60_000 },
    );
    // Not the 60 s the hung call could take: the deadline ends it (the margin is for a loaded machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    const { report } = result;
    expect(result.stopped).toBe('timeout');
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
    expect(report.findings.map((f) => f.entityId.split(':apigateway:')[1]!.slice(0, 9)).sort()).toEqual(['eu-west-1', 'eu-west-1']);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual([
      'error not-scanned arn:aws:apigateway:us-east-1::/',
      'error not-scanned arn:aws:apigateway:us-west-2::/',
    ]);
    expect(diagnostic(report, 'arn:aws:apigateway:us-east-1::/')[0]!.message).toBe(
      "region us-east-1 of account 123456789012 was not finished: the audit's time limit (--timeout 700 ms) passed; calls under way: GetRestApis. None of its APIs are in the report; run the audit again with a longer --timeout, or with --regions us-east-1",
    );
    // us-west-2 waited for a free slot: it was never started.
    expect(diagnostic(report, 'arn:aws:apigateway:us-west-2::/')[0]!.message).toMatch(/^region us-west-2 of account 123456789012 was not audited: the audit's time limit \(--timeout 700 ms\) passed before it was read/);
    expect(fake!.requests.some((r) => r.region === 'us-west-2')).toBe(false);
    expect(report.summary.incomplete).toBe(true);
  });

  it('stops at once when its signal fires (Ctrl-C), also while a call waits to retry after a 429', { timeout: 20_000 }, async () => {
    const interrupt = new AbortController();
    const throttled = { status: 429, type: 'TooManyRequestsException', message: 'Too Many Requests', retryAfter: '20' };
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance }, failRegions: { 'us-east-1': throttled } })) as Fake;
    const done = auditLive('aws', { cwd: repo, endpointUrl: fake.url, credentials, regions: ['eu-west-1', 'us-east-1'], signal: interrupt.signal });
    // Once us-east-1 was throttled (and waits at least the 20 s it was told), press Ctrl-C.
    while (!fake.requests.some((r) => r.region === 'us-east-1')) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    interrupt.abort();
    const started = Date.now();
    const { report, stopped } = await done;
    // Not the 20 s the throttled call was told to wait.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stopped).toBe('interrupted');
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
    expect(diagnostic(report, 'arn:aws:apigateway:us-east-1::/')[0]!.message).toMatch(/^region us-east-1 of account 123456789012 was not finished: the audit was interrupted \(Ctrl-C\); calls under way: GetRestApis\./);
    // That the 20 s wait does not outlive the audit (and keep the process alive) is tested on the binary: test/cli/audit.test.ts.
  });
});

describe('gatewarden audit aws, bounded in size', () => {
  it('stops a listing of 50,000 APIs at the audit-items limit, and names it', { timeout: 10_000 }, async () => {
    const { report } = await audit({ regions: { 'eu-west-1': { ...conformance, generatedRestApis: 50_000 } } }, { limits: { 'audit-items': 30 } });
    const limit = report.diagnostics.filter((d) => d.code === 'limit');
    expect(limit.map((d) => `${d.severity} ${d.address}`)).toEqual(['error arn:aws:apigateway:eu-west-1::/restapis']);
    expect(limit[0]!.message).toMatch(/^GetRestApis in eu-west-1 of account 123456789012 listed more than 30 items; the rest were not read: over the "audit-items" limit \(.*: 30\); if the input is trusted, raise it on the command line with --limit audit-items=501$/);
    // One page was read, and the first 30 APIs (the real one among them) were audited.
    expect(fake!.requests.filter((r) => r.path === '/restapis').length).toBe(1);
    expect(report.summary.gateways).toBe(30);
    expect(report.findings.some((f) => f.address.startsWith('arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/'))).toBe(true);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('drops duplicate ids, and stops a listing whose page token comes back', { timeout: 10_000 }, async () => {
    const http = { api: { apiId: 'h1', name: 'http', protocolType: 'HTTP' }, routes: [{ routeId: 'r1', routeKey: 'GET /a', authorizationType: 'NONE' }] };
    const { report } = await audit({ loopToken: /^\/restapis$|\/routes$/, regions: { 'eu-west-1': { ...conformance, v2Apis: [http] } } });
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`).sort()).toEqual(['read-error arn:aws:apigateway:eu-west-1::/apis/h1', 'read-error arn:aws:apigateway:eu-west-1::/restapis']);
    expect(diagnostic(report, 'arn:aws:apigateway:eu-west-1::/restapis')[0]!.message).toMatch(/^GetRestApis in eu-west-1 of account 123456789012 returned the page token "again" a second time, so the listing would never end; it was stopped after 1 items/);
    expect(diagnostic(report, 'arn:aws:apigateway:eu-west-1::/apis/h1')[0]!.message).toMatch(/^GetRoutes for api h1 in eu-west-1 .* "again" a second time/);
    // The API listed twice is audited once, and so is the route.
    expect(report.summary).toMatchObject({ gateways: 2, routes: 3 });
    expect(new Set(report.findings.map((f) => f.entityId)).size).toBe(report.findings.length);
    expect(fake!.requests.filter((r) => r.path === '/restapis').map((r) => r.query)).toEqual(['?limit=500', '?limit=500&position=again']);
  });

  it('stops a listing that never ends, with the same ids under new tokens, at the audit-items limit', { timeout: 10_000 }, async () => {
    const { report } = await audit({ endless: /\/resources$/, regions: { 'eu-west-1': conformance } }, { limits: { 'audit-items': 50 } });
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`)).toEqual(['limit arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetResources for restapi a1b2c3d4e5 in eu-west-1 of account 123456789012 listed more than 50 items \(and 50 duplicates, dropped\); the rest were not read: over the "audit-items" limit/);
    expect(fake!.requests.filter((r) => r.path.endsWith('/resources')).length).toBe(26);
    // The two distinct resources are audited.
    expect(report.findings.map((f) => f.policyId).sort()).toEqual(['cors-not-open', 'route-requires-auth']);
  });

  it.each([
    ['announced by Content-Length', false, /answered with a response of 100000 bytes; it was not read: over the "audit-response-size" limit \(.*: 64 KiB\); .*--limit audit-response-size=1MiB/],
    ['streamed without Content-Length', true, /answered with a response of at least \d+ bytes; it was not read: over the "audit-response-size" limit \(.*: 64 KiB\)/],
  ])('rejects a response larger than audit-response-size, %s', { timeout: 10_000 }, async (_, chunked, message) => {
    const { report } = await audit({ pad: { path: /\/restapis\/[^/]+\/authorizers$/, bytes: 100_000, chunked }, regions: { 'eu-west-1': conformance } }, { limits: { 'audit-response-size': 65_536 } });
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`)).toEqual(['limit arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetAuthorizers for restapi a1b2c3d4e5 in eu-west-1 of account 123456789012 /);
    expect(report.diagnostics[0]!.message).toMatch(message);
    // Not retried: the next answer would be as large.
    expect(fake!.requests.filter((r) => r.path.endsWith('/authorizers')).length).toBe(1);
    expect(report.findings.map((f) => f.policyId).sort()).toEqual(['cors-not-open', 'route-requires-auth']);
  });

  it('stops the audit at the entities limit, keeping the regions that finished', { timeout: 10_000 }, async () => {
    const result = await audit(
      { regions: { 'us-west-2': conformance, 'eu-west-1': { generatedRestApis: 5000 } } },
      { regions: ['us-west-2', 'eu-west-1'], regionConcurrency: 1, limits: { entities: 1000 } },
    );
    const { report } = result;
    expect(result.stopped).toBe('entities');
    expect(report.targets).toEqual(['aws:123456789012/us-west-2']);
    expect(report.findings.map((f) => f.address.split('::')[0])).toEqual(['arn:aws:apigateway:us-west-2', 'arn:aws:apigateway:us-west-2']);
    expect(report.diagnostics.map((d) => `${d.code} ${d.address ?? ''}`)).toEqual(['limit ', 'not-scanned arn:aws:apigateway:eu-west-1::/']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetRestApis in eu-west-1 of account 123456789012 brought the items the audit listed over the limit; .*over the "entities" limit \(.*: 1,000\); if the input is trusted, raise it on the command line with --limit entities=2000/);
    expect(report.diagnostics[1]!.message).toMatch(/^region eu-west-1 of account 123456789012 was not finished: the audit stopped at the "entities" limit/);
  });
});

describe('gatewarden audit aws, bounded in entities after translation', () => {
  it('leaves out a region whose entities would go over the entities limit, though its items did not', { timeout: 10_000 }, async () => {
    // Two items listed (the API, its one resource), and a route entity per method of the resource.
    const methods = Object.fromEntries(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => [method, { httpMethod: method, authorizationType: 'AWS_IAM', apiKeyRequired: false }]));
    const many = { restApis: [{ api: { id: 'm4nym3th0d', name: 'many' }, resources: [{ id: 'r00t000001', path: '/', resourceMethods: methods }], stages: [] }] };
    const { report } = await audit({ regions: { 'eu-west-1': many } }, { limits: { entities: 4 } });
    expect(report.targets).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.diagnostics.map((d) => `${d.code} ${d.address}`)).toEqual(['limit arn:aws:apigateway:eu-west-1::/']);
    expect(report.diagnostics[0]!.message).toMatch(/^region eu-west-1 of account 123456789012 would bring the audit to \d+ entities; its APIs are not in the report: over the "entities" limit \(.*: 4\); if the input is trusted, raise it on the command line with --limit entities=\d+/);
  });
});

describe('gatewarden audit aws, failures a person can act on', () => {
  it('says when the endpoint refuses the connection (nothing listens on the port)', { timeout: 10_000 }, async () => {
    const closed = await import('node:http').then(({ createServer }) => createServer());
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(auditLive('aws', { cwd: repo, endpointUrl: `http://127.0.0.1:${port}`, credentials, regions: ['eu-west-1'], maxAttempts: 1 }));
    expect(error.message).toBe(`cannot reach AWS STS at http://127.0.0.1:${port} to sign in: the connection was refused (ECONNREFUSED); check that http://127.0.0.1:${port} (--endpoint-url, AWS_ENDPOINT_URL) is right and listening. Nothing was audited, and no credentials were judged`);
  });

  it('says when STS does not answer in time', { timeout: 10_000 }, async () => {
    fake = (await startFakeAws({ regions: {}, hangSts: true })) as Fake;
    const error = await failure(auditLive('aws', { cwd: repo, endpointUrl: fake.url, credentials, regions: ['eu-west-1'], maxAttempts: 1, requestTimeoutMs: 300 }));
    expect(error.message).toMatch(new RegExp(`^AWS STS at ${fake.url} did not answer in time to sign in \\(no complete answer within 300 ms .*\\); check that ${fake.url} .* is right and listening, then run the audit again$`));
  });

  it('says when the TLS handshake fails (an https:// URL for a plain HTTP endpoint)', { timeout: 10_000 }, async () => {
    fake = (await startFakeAws({ regions: {} })) as Fake;
    const endpoint = fake.url.replace('http:', 'https:');
    const error = await failure(auditLive('aws', { cwd: repo, endpointUrl: endpoint, credentials, regions: ['eu-west-1'], maxAttempts: 1 }));
    expect(error.message).toMatch(new RegExp(`^the TLS connection to AWS STS at ${endpoint} failed to sign in \\(EPROTO: wrong version number\\); .*NODE_EXTRA_CA_CERTS, and an endpoint that speaks plain HTTP needs an http:// URL$`));
  });

  it.each([
    ['an access key AWS does not know', { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }, /^AWS rejected the credentials \(InvalidClientTokenId: The security token included in the request is invalid\.\); the access key does not exist, .*check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
    ['an expired session token', { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' }, /^the AWS credentials have expired \(ExpiredToken: The security token included in the request is expired\); get new ones \(aws sso login --profile NAME, or fresh temporary credentials/],
  ])('says what to do about %s', { timeout: 10_000 }, async (_, stsError, message) => {
    fake = (await startFakeAws({ regions: {}, stsError })) as Fake;
    const error = await failure(auditLive('aws', { cwd: repo, endpointUrl: fake.url, credentials, regions: ['eu-west-1'], maxAttempts: 1 }));
    expect(error.message).toMatch(message);
  });

  it('says when no credentials are found at all', { timeout: 10_000 }, async () => {
    fake = (await startFakeAws({ regions: {} })) as Fake;
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-no-credentials-'));
    const isolated: Record<string, string | undefined> = {
      AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'),
      // No instance metadata service either: the test never leaves 127.0.0.1.
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const saved = Object.fromEntries(Object.keys(isolated).map((name) => [name, process.env[name]]));
    const set = (values: Record<string, string | undefined>) => {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    set(isolated);
    try {
      const error = await failure(auditLive('aws', { cwd: repo, endpointUrl: fake.url, regions: ['eu-west-1'], maxAttempts: 1 }));
      expect(error.message).toMatch(/^no AWS credentials were found \(.*\); set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available/);
    } finally {
      set(saved);
    }
    expect(fake.requests).toEqual([]);
  });

  it('names each account whose role cannot be assumed, and what to grant', { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-accounts-'));
    writeFileSync(path.join(dir, 'accounts.txt'), 'arn:aws:iam::111111111111:role/gatewarden-audit\narn:aws:iam::222222222222:role/gatewarden-audit\n');
    const stsError = { action: 'AssumeRole', status: 403, code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole' };
    const { report } = await audit({ regions: {}, stsError }, { accountsFile: path.join(dir, 'accounts.txt') });
    expect(report.targets).toEqual([]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual([
      'error read-error arn:aws:iam::111111111111:role/gatewarden-audit',
      'error read-error arn:aws:iam::222222222222:role/gatewarden-audit',
    ]);
    expect(report.diagnostics[0]!.message).toMatch(/^not allowed to assume arn:aws:iam::111111111111:role\/gatewarden-audit \(AccessDenied: User: .*\); give the identity running gatewarden sts:AssumeRole on that role, and name that identity in the role's trust policy; that account is not audited$/);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
