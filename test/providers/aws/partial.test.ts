import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// Repositories that hold part of an AWS gateway: a setting is checked where it is written, even when
// the routes or the API it applies to are in another repository, and what stands for them says so.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/partial/aws');

/** One finding or undecided check: policy, entity address, file:line, severity (`unknown` for an undecided check), standIn. */
type Row = [policy: string, address: string, at: string, severity: string, standIn: string | undefined];

async function scanCase(name: string): Promise<{ rows: Row[]; entities: number; incomplete: boolean; diagnostics: readonly { message: string }[] }> {
  const report = await scan({ cwd: path.join(fixtures, name) });
  const rows: Row[] = [
    ...report.findings.map((f): Row => [f.policyId, f.routeKey ? `${f.address} (${f.routeKey})` : f.address, `${f.location.file}:${f.location.startLine}`, f.severity, f.standIn]),
    ...report.unevaluated.map((u): Row => [u.policyId, u.routeKey ? `${u.address} (${u.routeKey})` : u.address, `${u.location.file}:${u.location.startLine}`, 'unknown', u.standIn]),
  ];
  return { rows: rows.sort((a, b) => a.join('|').localeCompare(b.join('|'))), entities: report.summary.entities, incomplete: report.summary.incomplete, diagnostics: report.diagnostics };
}

describe('AWS partial configurations: what gatewarden reports on each', () => {
  it.each<[string, Row[]]>([
    [
      // A module-only repository: the API's CORS is checked on the API, at the literal the caller
      // passes in (the module line that reads it is related).
      'module-only',
      [['cors-not-open', 'module.orders_api.aws_apigatewayv2_api.this', 'main.tf:7', 'critical', 'routes-outside-scan']],
    ],
    [
      // APIs and stages without routes: each stage's own throttling, through a stand-in route. The
      // WebSocket API's $connect may be defined with its other routes elsewhere: its authentication is
      // not decided here.
      'api-without-routes',
      [
        ['throttling-configured', 'aws_api_gateway_stage.ledger_prod (* /* (stage prod))', 'main.tf:55', 'medium', 'routes-outside-scan'],
        ['throttling-configured', 'aws_apigatewayv2_api.chat ($connect)', 'main.tf:60', 'unknown', 'routes-outside-scan'],
        ['throttling-configured', 'aws_apigatewayv2_stage.billing_live (* /* (stage live))', 'main.tf:7', 'medium', 'routes-outside-scan'],
        // The REST stage has no web ACL (HTTP and WebSocket stages cannot take one).
        ['waf-attached', 'aws_api_gateway_stage.ledger_prod', 'main.tf:42', 'medium', undefined],
      ],
    ],
    [
      // Stages of APIs from a variable, a data source and a remote state; a deployment with stage_name.
      'stage-only-terraform',
      [
        ['throttling-configured', 'aws_api_gateway_deployment.legacy (* /* (stage legacy))', 'main.tf:53', 'medium', 'api-outside-scan'],
        ['throttling-configured', 'aws_api_gateway_stage.partners (* /* (stage partners))', 'main.tf:58', 'unknown', 'api-outside-scan'],
        ['throttling-configured', 'aws_api_gateway_stage.staging (* /* (stage staging))', 'main.tf:47', 'medium', 'api-outside-scan'],
        ['throttling-configured', 'aws_apigatewayv2_stage.http_default (* /* (stage $default))', 'main.tf:78', 'medium', 'api-outside-scan'],
        // The REST stages are defined here, and no web ACL association here names them.
        ['waf-attached', 'aws_api_gateway_deployment.legacy', 'main.tf:53', 'medium', 'api-outside-scan'],
        ['waf-attached', 'aws_api_gateway_stage.partners', 'main.tf:58', 'medium', 'api-outside-scan'],
        ['waf-attached', 'aws_api_gateway_stage.prod', 'main.tf:28', 'medium', 'api-outside-scan'],
        ['waf-attached', 'aws_api_gateway_stage.staging', 'main.tf:47', 'medium', 'api-outside-scan'],
      ],
    ],
    [
      // The same in CloudFormation, with short tags: !Ref parameters, !ImportValue, !Sub, a Deployment with StageName.
      'stage-only-cloudformation',
      [
        ['throttling-configured', 'CanaryDeployment/Stage (* /* (stage canary))', 'template.yaml:40', 'medium', 'api-outside-scan'],
        ['throttling-configured', 'HttpStage (* /* (stage prod-http))', 'template.yaml:44', 'medium', 'api-outside-scan'],
        ['waf-attached', 'CanaryDeployment/Stage', 'template.yaml:40', 'medium', 'api-outside-scan'],
        ['waf-attached', 'ProdStage', 'template.yaml:21', 'medium', 'api-outside-scan'],
      ],
    ],
    [
      // A plan of existing APIs: their ids are literals.
      'stage-only-plan',
      [
        ['throttling-configured', 'aws_apigatewayv2_stage.default (* /* (stage $default))', 'plan.json:137', 'medium', 'api-outside-scan'],
        ['waf-attached', 'aws_api_gateway_stage.prod', 'plan.json:80', 'medium', 'api-outside-scan'],
      ],
    ],
    [
      // Routes and a stage of the same outside API (var.api_id): the routes take the stage's limits.
      'routes-and-stage',
      [
        ['route-requires-auth', 'aws_apigatewayv2_route.order_status (GET /orders/{id}/status)', 'main.tf:31', 'high', undefined],
        ['throttling-configured', 'aws_apigatewayv2_route.order_status (GET /orders/{id}/status)', 'main.tf:47', 'medium', undefined],
      ],
    ],
    [
      // An HTTP API's CORS in SAM, CloudFormation and .tf.json, with no route in the scan.
      'sam-http-api-cors',
      [['cors-not-open', 'SharedApi', 'template.yaml:13', 'high', 'routes-outside-scan']],
    ],
    ['cloudformation-http-api-cors', [['cors-not-open', 'AccountsApi', 'template.yaml:27', 'critical', 'routes-outside-scan']]],
    ['tf-json-http-api-cors', [['cors-not-open', 'aws_apigatewayv2_api.tenant', 'main.tf.json:8', 'high', 'routes-outside-scan']]],
    [
      // Methods without authorization whose HTTP method is unknown are findings; one that can only be an OPTIONS mock is not.
      'unknown-method-terraform',
      [
        ['route-requires-auth', 'aws_api_gateway_method.export (? /export)', 'main.tf:24', 'high', undefined],
        ['route-requires-auth', 'aws_api_gateway_method.export_preflight (? /export)', 'main.tf:41', 'high', undefined],
        ['throttling-configured', 'aws_api_gateway_method.export (? /export)', 'main.tf:20', 'unknown', undefined],
        ['throttling-configured', 'aws_api_gateway_method.archive (? /archive)', 'main.tf:58', 'unknown', undefined],
        // Whether they take a body (POST...) is unknown with their method.
        ['request-validation', 'aws_api_gateway_method.export (? /export)', 'main.tf:20', 'unknown', undefined],
        ['request-validation', 'aws_api_gateway_method.archive (? /archive)', 'main.tf:58', 'unknown', undefined],
        ['throttling-configured', 'aws_api_gateway_method.export_preflight (? /export)', 'main.tf:37', 'unknown', undefined],
      ],
    ],
    [
      'unknown-method-cloudformation',
      [
        ['route-requires-auth', 'ExportMethod (? /export)', 'template.yaml:32', 'high', undefined],
        ['throttling-configured', 'ExportMethod (? /export)', 'template.yaml:26', 'unknown', undefined],
        ['request-validation', 'ExportMethod (? /export)', 'template.yaml:26', 'unknown', undefined],
        ['throttling-configured', 'ExportPreflight (OPTIONS /export)', 'template.yaml:38', 'unknown', undefined],
      ],
    ],
  ])('%s', async (name, expected) => {
    const { rows, diagnostics } = await scanCase(name);
    expect(diagnostics).toEqual([]);
    expect(rows).toEqual(expected.sort((a, b) => a.join('|').localeCompare(b.join('|'))));
  });
});

describe('AWS partial configurations: the reasons given', () => {
  it('says why a stage whose only limit is a usage plan is undecided, and what to do', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'stage-only-terraform') });
    const partners = report.unevaluated.find((u) => u.address === 'aws_api_gateway_stage.partners');
    expect(partners?.reason).toContain('usage plan throttling (main.tf:72) applies only to methods that require an API key');
    expect(partners?.reason).toContain('set stage-wide throttling');
  });

  it('reports a stage without throttling at the stage, naming it and that its API is outside the scan', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'stage-only-terraform') });
    expect(report.findings.find((f) => f.address === 'aws_api_gateway_stage.staging')?.message).toBe(
      'stage staging of an API outside the scan sets no stage-wide throttling: its routes (none of them in the scan) are limited only by the shared account-wide quota unless each sets its own limit',
    );
  });

  it('names "https://*" with credentials as a scheme pattern, critical', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'module-only') });
    expect(report.findings[0]?.message).toMatch(/^CORS on orders allows any origin of a scheme through an origin pattern \(such as https:\/\/\*\) together with credentials/);
  });

  it('gives the reason an unknown HTTP method is not exempt, at the http_method line', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'unknown-method-terraform') });
    const finding = report.findings.find((f) => f.address === 'aws_api_gateway_method.export_preflight');
    expect(finding?.message).toContain('whatever its HTTP method, which is unknown');
    expect(finding?.related).toEqual([
      {
        location: expect.objectContaining({ file: 'main.tf', startLine: 40 }),
        message: expect.stringContaining('the HTTP method is unknown (variable "preflight_method" has no value'),
      },
    ]);
  });

  it('reads the integration of a method whose HTTP method is unknown through the method it names', async () => {
    const { readInventory } = await import('../../../src/pipeline/scan.js');
    const inventory = await readInventory({ cwd: path.join(fixtures, 'unknown-method-terraform') });
    expect(inventory.entities.find((e) => e.id === 'aws_api_gateway_method.export')).toMatchObject({ integration: 'lambda', isCorsPreflight: false });
    expect(inventory.entities.find((e) => e.id === 'aws_api_gateway_method.export_preflight')).toMatchObject({ integration: 'mock', isCorsPreflight: false });
    const template = await readInventory({ cwd: path.join(fixtures, 'unknown-method-cloudformation') });
    expect(template.entities.find((e) => e.id === 'template.yaml:ExportMethod')).toMatchObject({ integration: 'lambda', isCorsPreflight: false });
    // PreflightMethod allows only OPTIONS: CloudFormation accepts no other value.
    expect(template.entities.find((e) => e.id === 'template.yaml:ExportPreflight')).toMatchObject({ method: 'OPTIONS', integration: 'mock', isCorsPreflight: true });
  });

  it('keeps the stage entities of an API outside the scan, without a parent', async () => {
    const { readInventory } = await import('../../../src/pipeline/scan.js');
    const inventory = await readInventory({ cwd: path.join(fixtures, 'stage-only-cloudformation') });
    const stages = inventory.entities.filter((e) => e.kind === 'stage');
    expect(stages.map((s) => [s.id, s.parentId, s.standIn, 'throttle' in s ? s.throttle : undefined])).toEqual([
      ['template.yaml:ProdStage', null, 'api-outside-scan', { rateLimit: 100, burstLimit: 50, source: 'stage' }],
      ['template.yaml:CanaryDeployment/Stage', null, 'api-outside-scan', undefined],
      ['template.yaml:HttpStage', null, 'api-outside-scan', undefined],
    ]);
  });
});
