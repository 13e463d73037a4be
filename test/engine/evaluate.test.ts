import { beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicies, type EvaluationResult } from '../../src/engine/evaluate.js';
import { parsePolicy } from '../../src/engine/load-policies.js';
import type { Policy } from '../../src/engine/policy.js';
import type { Gateway, Route } from '../../src/model/entities.js';
import { Unknown } from '../../src/model/unknown.js';

const at = (line: number) => ({ file: 'main.tf', startLine: line, startColumn: 1, endLine: line, endColumn: 1 });

function policy(text: string): Policy {
  const result = parsePolicy(text, 'test.yaml', undefined, false);
  if (!result.policy) throw new Error(JSON.stringify(result.diagnostics));
  return result.policy;
}

const authPolicy = policy(`id: needs-auth
title: Needs auth
severity: high
category: authentication
description: d
remediation: r
match: { kind: route, where: "route.method != 'OPTIONS'" }
assert: "route.auth.kind != 'none' && route.auth.kind != 'api-key'"
message: "{{route.key}} on {{gateway.name}} is open"
location: auth
variants:
  - when: "route.auth.kind == 'api-key'"
    severity: medium
    message: "{{route.key}} uses a key"
`);

const gateway: Gateway = {
  kind: 'gateway',
  id: 'gw',
  provider: 'aws',
  origin: { format: 'terraform', file: 'main.tf' },
  parentId: null,
  address: 'aws_api_gateway_rest_api.gw',
  modulePath: '',
  location: at(1),
  fieldLocations: {},
  name: 'shop',
  protocol: 'rest',
  endpointType: 'regional',
  definedByOpenApi: false,
};

function route(id: string, overrides: Partial<Route>): Route {
  return {
    kind: 'route',
    id,
    provider: 'aws',
    origin: { format: 'terraform', file: 'main.tf' },
    parentId: 'gw',
    address: id,
    modulePath: '',
    location: at(10),
    fieldLocations: { auth: at(12) },
    method: 'GET',
    path: '/x',
    key: 'GET /x',
    auth: { kind: 'none', apiKeyRequired: false, source: 'method' },
    integration: 'lambda',
    isCorsPreflight: false,
    ...overrides,
  };
}

// The same policy decided in the main process (built in) and in the child process of the user's policies
// (not built in): the entities are copied there, Unknown values included, and must decide the same.
describe.each([
  ['a built-in policy', true],
  ["a user's policy", false],
])('evaluating %s', (_, builtIn) => {
  const entities = [
    gateway,
    route('open', {}),
    route('keyed', { key: 'GET /keyed', auth: { kind: 'api-key', apiKeyRequired: true, source: 'method' } }),
    route('iam', { auth: { kind: 'iam', apiKeyRequired: false, source: 'method' }, fieldLocations: {} }),
    route('preflight', { method: 'OPTIONS' }),
    route('unresolved', { auth: { kind: new Unknown('var.auth has no value'), apiKeyRequired: false, source: 'method' } }),
    route('no-gateway', { parentId: null }),
    { ...gateway, id: 'gw-sub', address: 'ApiGateway', name: new Unknown('!Sub "${AWS::StackName}-api" is known at deployment') },
    route('on-sub', { parentId: 'gw-sub', key: 'GET /sub' }),
  ];
  let result: EvaluationResult;
  beforeAll(async () => {
    result = await evaluatePolicies(entities, [{ ...authPolicy, builtIn }]);
  });

  it('fails, passes, skips and leaves unknown as the model says', () => {
    expect(result.counts).toEqual({ checks: 7, passed: 1, failed: 4, notApplicable: 1, unknown: 1, errors: 0 });
  });

  it('reports each failure at the policy location field, with the variant severity where one applies', () => {
    expect(result.findings.map((f) => [f.entityId, f.severity, f.location.startLine, f.message])).toEqual([
      ['open', 'high', 12, 'GET /x on shop is open'],
      ['keyed', 'medium', 12, 'GET /keyed uses a key'],
      ['no-gateway', 'high', 12, 'GET /x on an API outside the scan is open'],
      ['on-sub', 'high', 12, 'GET /sub on ApiGateway is open'],
    ]);
  });

  it('names an API whose name is an expression by its address in messages only: a policy reading the name stays undecided', async () => {
    const byName = policy(`id: named
title: t
severity: low
category: authentication
description: d
remediation: r
match: { kind: route }
assert: "gateway.name != 'forbidden'"
message: "{{gateway.name}}"
`);
    const outcome = await evaluatePolicies([{ ...gateway, address: 'ApiGateway', name: new Unknown('an expression') }, route('r', {})], [{ ...byName, builtIn }]);
    expect(outcome.findings).toEqual([]);
    expect(outcome.unevaluated.map((check) => check.entityId)).toEqual(['r']);
  });

  it('lists the unknown check with the reason of the value it read', () => {
    expect(result.unevaluated).toEqual([
      expect.objectContaining({ policyId: 'needs-auth', entityId: 'unresolved', reason: 'route.auth.kind is unknown: var.auth has no value', location: at(12) }),
    ]);
  });

  it('freezes the model so that no evaluation step can change it', () => {
    expect(Object.isFrozen(entities[1])).toBe(true);
    expect(Object.isFrozen((entities[1] as Route).auth)).toBe(true);
  });

  it('reports an expression that fails for another reason as an evaluation error, not a pass', async () => {
    const unguarded = policy(`id: rate
title: t
severity: low
category: rate-limiting
description: d
remediation: r
match: { kind: route }
assert: "route.rateLimit.rateLimit > 0.0"
message: m
`);
    const outcome = await evaluatePolicies([gateway, route('r', {})], [{ ...unguarded, builtIn }]);
    expect(outcome.counts.errors).toBe(1);
    expect(outcome.findings).toEqual([]);
    expect(outcome.diagnostics[0]).toMatchObject({ severity: 'error', code: 'evaluation-error' });
  });
});

describe('the remediation a finding carries', () => {
  const perProvider = (remediation: string): Policy =>
    policy(`id: needs-auth
title: Needs auth
severity: high
category: authentication
description: d
remediation:
${remediation}
match: { kind: route }
assert: "route.auth.kind != 'none'"
message: m
`);
  const azureGateway: Gateway = { ...gateway, id: 'apim', provider: 'azure', address: 'azurerm_api_management_api.orders' };
  const entities = (): Array<Gateway | Route> => [gateway, azureGateway, route('aws-route', {}), route('azure-route', { provider: 'azure', parentId: 'apim' }), route('gcp-route', { provider: 'gcp', parentId: null })];
  const remediationOf = (result: EvaluationResult): Record<string, string> => Object.fromEntries(result.findings.map((finding) => [finding.entityId, finding.remediation]));

  it("is the text of the entity's provider, else default", async () => {
    const result = await evaluatePolicies(entities(), [perProvider('  aws: Attach an authorizer.\n  azure: Add validate-jwt.\n  default: Authenticate callers.')]);
    expect(remediationOf(result)).toEqual({ 'aws-route': 'Attach an authorizer.', 'azure-route': 'Add validate-jwt.', 'gcp-route': 'Authenticate callers.' });
  });

  it('is every text labelled when the policy names neither the provider nor a default', async () => {
    const result = await evaluatePolicies(entities(), [perProvider('  aws: Attach an authorizer.\n  azure: Add validate-jwt.')]);
    expect(remediationOf(result)['gcp-route']).toBe('AWS API Gateway: Attach an authorizer.\nAzure API Management: Add validate-jwt.');
    expect(remediationOf(result)['azure-route']).toBe('Add validate-jwt.');
  });
});
