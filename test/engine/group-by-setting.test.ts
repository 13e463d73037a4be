import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';
import { routeList } from '../../src/engine/group.js';
import { parsePolicy } from '../../src/engine/load-policies.js';
import type { Finding } from '../../src/model/findings.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../helpers/without-logging.js';

// One finding per setting at fault: a stage without throttling is one finding on the stage, listing
// the routes it leaves unlimited; baselines and suppressions written when each route had its own
// finding keep working.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cases = path.join(repo, 'policies/rate-limiting/throttling-configured/test');
const shop = path.join(cases, 'stage-groups-routes');
// Written by `gatewarden scan --create-baseline` on stage-groups-routes before findings were grouped
// (one entry per route, fingerprinted by route): what users have committed.
const perRouteBaseline = path.join(repo, 'test/fixtures/throttle-groups-baselines/per-route-baseline.json');

const throttling = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.policyId === 'throttling-configured');
const summary = (finding: Finding): unknown[] => [finding.entityKind, finding.entityId, finding.location.startLine, (finding.routes ?? []).map((route) => route.routeKey)];

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false }, stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false }, cwd, env: {} };
  const code = await cli(argv, io);
  return { code, stdout, stderr };
}

function copyShop(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-groups-'));
  cpSync(shop, dir, { recursive: true });
  return dir;
}

interface JsonReport {
  findings: Array<Finding & { baselined?: true }>;
  diagnostics: Array<{ severity: string; code: string; message: string }>;
  summary: { findings: { total: number }; baselined: number; suppressed: number };
}

describe('findings grouped by the setting at fault', () => {
  it('a stage without throttling is one finding at the stage, listing its routes; a route with its own settings is not a member', async () => {
    const report = await scan({ cwd: shop, paths: ['.'] });
    expect(throttling(report.findings).map(summary)).toEqual([
      ['stage', 'aws_api_gateway_stage.orders_prod', 47, ['GET /orders', 'GET /orders/{id}', 'POST /orders']],
      ['stage', 'aws_api_gateway_stage.payments_live', 90, ['GET /payments']],
      // Its own method settings switch throttling off: the finding is the method's, at those settings.
      ['route', 'aws_api_gateway_method.refund_payment', 102, []],
    ]);
    const [orders, payments, refund] = throttling(report.findings);
    expect(orders!.message).toBe('stage prod of orders sets no stage-wide throttling: only the shared account-wide quota limits GET /orders, GET /orders/{id} and POST /orders');
    expect(orders!.routeKey).toBeUndefined();
    expect(orders!.routes!.map((route) => [route.entityId, route.method, route.path, route.location.startLine])).toEqual([
      ['aws_api_gateway_method.list_orders', 'GET', '/orders', 19],
      ['aws_api_gateway_method.get_order', 'GET', '/orders/{id}', 33],
      ['aws_api_gateway_method.create_order', 'POST', '/orders', 26],
    ]);
    // DELETE /orders/{id} is throttled by its own method settings: in no finding.
    expect(JSON.stringify(report.findings)).not.toContain('delete_order');
    expect(payments!.message).toContain('stage live of payments');
    expect(refund!.message).toBe('PUT /payments on payments has throttling disabled (-1) on stage live');
  });

  it('names the first five routes of a long list, then how many more', () => {
    expect(routeList(['GET /a'])).toBe('GET /a');
    expect(routeList(['GET /a', 'GET /b'])).toBe('GET /a and GET /b');
    expect(routeList(['GET /a', 'GET /b', 'GET /c', 'GET /d', 'GET /e', 'GET /f', 'GET /g'])).toBe('GET /a, GET /b, GET /c, GET /d, GET /e and 2 more');
  });

  it('lists the routes in the text, JUnit and SARIF outputs', async () => {
    const text = await run(['scan', '--fail-on', 'never'], shop);
    expect(text.stdout).toContain('affects GET /orders/{id} (aws_api_gateway_method.get_order at main.tf:33)');
    const junit = await run(['scan', '--fail-on', 'never', '--format', 'junit'], shop);
    expect(junit.stdout).toContain('affects POST /orders (aws_api_gateway_method.create_order at main.tf:26)');
    const sarif = JSON.parse((await run(['scan', '--fail-on', 'never', '--format', 'sarif'], shop)).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }>; properties: { entityKind: string; routes?: Array<{ entityId: string; startLine: number }> } }> }>;
    };
    const stage = sarif.runs[0]!.results.find((result) => result.ruleId === 'throttling-configured' && result.properties.entityKind === 'stage' && result.locations[0]!.physicalLocation.region.startLine === 47);
    expect(stage?.properties.routes?.map((route) => `${route.entityId}:${route.startLine}`)).toEqual(['aws_api_gateway_method.list_orders:19', 'aws_api_gateway_method.get_order:33', 'aws_api_gateway_method.create_order:26']);
  });
});

describe('baselines written before findings were grouped', () => {
  it('still accept a grouped finding whose every route is in them, and say how to refresh them', async () => {
    const dir = copyShop();
    cpSync(perRouteBaseline, path.join(dir, 'baseline.json'));
    const result = await run(['scan', '--baseline', 'baseline.json', '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.filter((finding) => finding.policyId === 'throttling-configured').map((finding) => [finding.entityId, finding.location.startLine, finding.baselined === true])).toEqual([
      ['aws_api_gateway_stage.orders_prod', 47, true],
      ['aws_api_gateway_stage.payments_live', 90, true],
      ['aws_api_gateway_method.refund_payment', 102, true],
    ]);
    // The shop's stages write no access log nor execution log, do not trace and have no WAF, and its
    // POST and PUT methods validate no body: those findings are new (one each per stage or body
    // method), the throttling ones all baselined.
    expect(report.findings.filter((finding) => !finding.baselined).map((finding) => finding.policyId).sort()).toEqual([
      'request-validation',
      'request-validation',
      'stage-access-logging',
      'stage-access-logging',
      'stage-execution-logging',
      'stage-execution-logging',
      'stage-tracing',
      'stage-tracing',
      'waf-attached',
      'waf-attached',
    ]);
    expect(result.code).toBe(1);
    const baselineNotes = report.diagnostics.filter((diagnostic) => diagnostic.code === 'baseline');
    // Every old entry was used: none is reported as fixed.
    expect(baselineNotes).toEqual([
      {
        severity: 'info',
        code: 'baseline',
        message: expect.stringMatching(/^2 findings matched the baseline baseline\.json through the findings it holds for each of their routes: .*run with --create-baseline baseline\.json to refresh it$/),
        location: expect.objectContaining({ file: 'baseline.json', startLine: 1 }),
      },
    ]);
  });

  it('do not accept a grouped finding with a route they do not hold: that route is new', async () => {
    const dir = copyShop();
    const baseline = JSON.parse(readFileSync(perRouteBaseline, 'utf8')) as { findings: Array<{ address: string }> };
    baseline.findings = baseline.findings.filter((entry) => entry.address !== 'aws_api_gateway_method.get_order');
    writeFileSync(path.join(dir, 'baseline.json'), JSON.stringify(baseline));
    const report = JSON.parse((await run(['scan', '--baseline', 'baseline.json', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as JsonReport;
    expect(report.findings.filter((finding) => finding.policyId === 'throttling-configured' && !finding.baselined).map((finding) => [finding.entityId, finding.location.startLine])).toEqual([
      ['aws_api_gateway_stage.orders_prod', 47],
    ]);
    // The two entries of the stage's other routes matched nothing now.
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'baseline', message: expect.stringMatching(/^2 findings of the baseline baseline\.json are no longer reported/) }));
  });

  it('once refreshed, match by the grouped finding itself, which routes added to the stage do not change', async () => {
    const dir = copyShop();
    await run(['scan', '--create-baseline', 'baseline.json', '--fail-on', 'never'], dir);
    const written = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: Array<{ address: string; policyId: string }> };
    expect(written.findings.filter((entry) => entry.policyId === 'throttling-configured').map((entry) => entry.address).sort()).toEqual(['aws_api_gateway_method.refund_payment', 'aws_api_gateway_stage.orders_prod', 'aws_api_gateway_stage.payments_live']);
    // A new method on the unthrottled orders stage: the stage's finding is the same finding.
    writeFileSync(
      path.join(dir, 'more.tf'),
      'resource "aws_api_gateway_method" "patch_order" {\n  rest_api_id   = aws_api_gateway_rest_api.orders.id\n  resource_id   = aws_api_gateway_resource.order.id\n  http_method   = "PATCH"\n  authorization = "AWS_IAM"\n}\n',
    );
    const report = JSON.parse((await run(['scan', '--baseline', 'baseline.json', '--format', 'json'], dir)).stdout) as JsonReport;
    const orders = throttling(report.findings).find((finding) => finding.entityId === 'aws_api_gateway_stage.orders_prod');
    expect(orders?.routes?.map((route) => route.routeKey)).toContain('PATCH /orders/{id}');
    expect(orders?.baselined).toBe(true);
    expect(report.diagnostics.filter((diagnostic) => diagnostic.code === 'baseline')).toEqual([]);
  });
});

describe('suppressions of grouped findings', () => {
  it('a config suppression naming a route keeps accepting that route, which leaves the group', async () => {
    const dir = copyShop();
    writeFileSync(
      path.join(dir, '.gatewarden.yaml'),
      'suppressions:\n  - policy: throttling-configured\n    address: aws_api_gateway_method.list_orders\n    reason: the list is cached by CloudFront, which limits it\n',
    );
    const report = JSON.parse((await run(['scan', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as JsonReport;
    const orders = throttling(report.findings).filter((finding) => finding.entityId === 'aws_api_gateway_stage.orders_prod');
    expect(orders.map((finding) => [finding.location.startLine, finding.suppressed?.kind, finding.routes!.map((route) => route.entityId)])).toEqual([
      [47, undefined, ['aws_api_gateway_method.get_order', 'aws_api_gateway_method.create_order']],
      [47, 'config', ['aws_api_gateway_method.list_orders']],
    ]);
    expect(report.diagnostics.filter((diagnostic) => diagnostic.code === 'suppression')).toEqual([]);
  });

  it('a config suppression naming the stage accepts its grouped finding', async () => {
    const dir = copyShop();
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'suppressions:\n  - policy: throttling-configured\n    address: aws_api_gateway_stage.orders_prod\n    reason: an internal stage behind a VPC endpoint\n');
    const report = JSON.parse((await run(['scan', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as JsonReport;
    expect(report.findings.filter((finding) => finding.policyId === 'throttling-configured').map((finding) => [finding.entityId, finding.suppressed?.kind])).toEqual([
      ['aws_api_gateway_stage.orders_prod', 'config'],
      ['aws_api_gateway_stage.payments_live', undefined],
      ['aws_api_gateway_method.refund_payment', undefined],
    ]);
    expect(report.diagnostics.filter((diagnostic) => diagnostic.code === 'suppression')).toEqual([]);
  });

  it('a comment on the stage accepts its grouped finding', async () => {
    const dir = copyShop();
    const file = path.join(dir, 'main.tf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('resource "aws_api_gateway_stage" "payments_live" {', '# gatewarden:ignore throttling-configured -- payments are limited by the card processor\nresource "aws_api_gateway_stage" "payments_live" {'));
    const report = JSON.parse((await run(['scan', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as JsonReport;
    const payments = throttling(report.findings).find((finding) => finding.entityId === 'aws_api_gateway_stage.payments_live');
    expect([payments?.location.startLine, payments?.suppressed?.kind, payments?.suppressed?.location.startLine]).toEqual([91, 'in-source', 90]);
  });
});

describe('throttling messages say what the source wrote', () => {
  it('a CloudFormation MethodSettings entry without throttling values sets none; no -1 is quoted', async () => {
    const report = await scan({ cwd: path.join(cases, 'cloudformation-settings-without-values'), paths: ['.'] });
    const findings = throttling(report.findings);
    expect(findings.map((finding) => [finding.entityId, finding.location.startLine, finding.message])).toEqual([
      ['template.yaml:Prod', 55, 'stage prod of inventory has stage-wide method settings that set no throttling values: only the shared account-wide quota limits GET /items and POST /items'],
      ['template.yaml:GetHealth', 59, 'GET /health on inventory has method settings that set no throttling values on stage prod'],
    ]);
  });

  it("SAM's implicit stage is named as such, with how to remove it", async () => {
    const report = await scan({ cwd: path.join(cases, 'sam-extra-stage'), paths: ['.'] });
    const [finding] = throttling(report.findings);
    expect([finding?.entityId, finding?.location.startLine]).toEqual(['template.yaml:OrdersApiDeployment/stage', 7]);
    expect(finding?.message).toBe(
      'stage Stage of OrdersApi sets no stage-wide throttling (the stage SAM creates implicitly when OpenApiVersion is not set; set OpenApiVersion: 3.0.1 in Globals.Api or on the API to remove it): only the shared account-wide quota limits GET /orders',
    );
  });
});

describe('throttling messages on a stage none of whose routes is in the scan', () => {
  it("name SAM's implicit stage too", async () => {
    // Its routes are in an S3 document (an error diagnostic says so): the stage has a stand-in.
    const report = await scan({ cwd: path.join(repo, 'test/fixtures/sam-implicit-stage-only'), paths: ['.'] });
    expect(throttling(report.findings).map((finding) => [finding.entityId, finding.location.startLine, finding.standIn, finding.message])).toEqual([
      [
        'template.yaml:CatalogApiDeployment/stage/routes',
        6,
        'routes-outside-scan',
        'stage Stage of CatalogApi sets no stage-wide throttling (the stage SAM creates implicitly when OpenApiVersion is not set; set OpenApiVersion: 3.0.1 in Globals.Api or on the API to remove it): its routes (none of them in the scan) are limited only by the shared account-wide quota unless each sets its own limit',
      ],
    ]);
  });
});

describe('group in policy files', () => {
  const policy = (group: string, extra = 'location: rateLimit\n'): string =>
    `id: grouped\ntitle: t\nseverity: low\ncategory: rate-limiting\ndescription: d\nremediation: r\nmatch: { kind: route }\nassert: "has(route.rateLimit)"\nmessage: "{{route.key}}"\n${extra}${group}`;

  it('loads group: { by: setting, message } with group.routes in the message', () => {
    const parsed = parsePolicy(policy('group: { by: setting, message: "stage: {{group.routes}}" }\n'), 'policy.yaml', 'grouped', false);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.policy?.group).toEqual({ by: 'setting', message: 'stage: {{group.routes}}' });
  });

  it.each([
    ['group: { by: route, message: "x" }\n', undefined, 'group.by must be one of setting'],
    ['group: { by: setting, message: "{{group.count}}" }\n', undefined, 'group.message placeholder {{group.count}} does not compile'],
    ['group: { by: setting, message: "x" }\n', '', 'it needs location'],
    ['group: { by: setting, message: "x", limit: 3 }\n', undefined, 'unknown key "group.limit"'],
  ])('refuses %s with the line at fault', (group, extra, message) => {
    const parsed = parsePolicy(policy(group, extra), 'policy.yaml', 'grouped', false);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.diagnostics).toContainEqual(expect.objectContaining({ code: 'policy-error', message: expect.stringContaining(message), location: expect.objectContaining({ startLine: extra === '' ? 10 : 11 }) }));
  });
});
