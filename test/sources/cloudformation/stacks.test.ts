import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import type { ScanOptions } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/cloudformation');
type Report = Awaited<ReturnType<typeof scan>>;

const run = (dir: string, options: Partial<ScanOptions> = {}): Promise<Report> => scan({ cwd: fixtures, paths: [dir], ...options });
// Request validation has cases of its own (policies/request-validation); these fixtures' POST methods
// validate nothing, which is not what these tests are about.
const findings = (report: Report): string[] =>
  report.findings.filter((f) => !f.suppressed && f.policyId !== 'request-validation').map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`);
const diagnostics = (report: Report): string[] => report.diagnostics.map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.message}`);

describe('nested stacks', () => {
  it('follows a local TemplateURL with the parameters the parent passes, and reports a remote one as not scanned', async () => {
    const report = await run('nested');
    // CatalogAuth defaults to AWS_IAM in the nested template, but the parent passes NONE.
    expect(findings(report)).toEqual([
      'route-requires-auth OrdersApi/GetCatalogue nested/stacks/orders-api.yaml:27',
      // The stages of these templates have no AWS WAF web ACL association.
      'waf-attached OrdersApi/Stage nested/stacks/orders-api.yaml:32',
      // The nested stage presents no client certificate to the method's HTTP backend.
      'backend-client-certificate OrdersApi/Stage nested/stacks/orders-api.yaml:32',
    ]);
    expect(report.findings[0]!.message).toBe('GET /catalogue on orders-prod accepts unauthenticated calls');
    expect(diagnostics(report)).toEqual([expect.stringMatching(/^warning nested\/root\.yaml:19 nested stack Monitoring has a remote template \(https:\/\/s3\.amazonaws\.com\/shared-templates\/monitoring\.yaml\); its resources are not scanned/)]);
    // The nested template is read through its parent only, not scanned again on its own with its defaults.
    expect(report.summary).toMatchObject({ files: 2, gateways: 1, routes: 1 });
  });
});

describe('conditions, mappings and pseudo parameters', () => {
  it('leaves out resources under a false condition, and marks a region-dependent value unknown', async () => {
    const report = await run('conditions');
    expect(findings(report)).toEqual(['waf-attached Stage conditions/template.yaml:44']);
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.reason}`)).toEqual([
      'route-requires-auth GetRoot route.auth.kind is unknown: AWS::Region is known at deploy time (give it with --parameter AWS::Region=...)',
    ]);
    expect(report.summary.routes).toBe(1);
    // The rate limit comes from the Throttling mapping for Env=prod.
    expect(report.findings.filter((f) => f.policyId === 'throttling-configured')).toEqual([]);
    expect(exitCodeFor(report, 'low')).toBe(2);
  });

  it('scans the debug endpoint when --parameter makes the condition true, and decides region-dependent values for a given region', async () => {
    const report = await run('conditions', { parameters: new Map([['Env', 'dev'], ['AWS::Region', 'us-east-1']]) });
    expect(findings(report)).toEqual([
      'route-requires-auth GetDebug conditions/template.yaml:36',
      'route-requires-auth GetRoot conditions/template.yaml:43',
      'waf-attached Stage conditions/template.yaml:44',
    ]);
    const elsewhere = await run('conditions', { parameters: new Map([['AWS::Region', 'eu-west-1']]) });
    expect(findings(elsewhere)).toEqual(['waf-attached Stage conditions/template.yaml:44']);
    expect(elsewhere.summary.incomplete).toBe(false);
  });
});

describe('parameter values', () => {
  it('keeps a decision that needs a parameter without default unknown, names how to give it, and takes such a key as input', async () => {
    const report = await run('parameters');
    expect(findings(report)).toEqual(['waf-attached Stage parameters/template.yaml:36']);
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.location.file}:${u.location.startLine}`)).toEqual(['route-requires-auth GetPartners parameters/template.yaml:27']);
    expect(report.unevaluated[0]!.reason).toMatch(/parameter Authorization has no default and no value \(give it with --parameter Authorization=\.\.\. or --parameter-file\)/);
    // PartnerKey has no default: its value is given at deploy time, like a Terraform variable without one.
    expect(report.findings.filter((f) => f.policyId === 'no-static-api-keys')).toEqual([]);
    expect(exitCodeFor(report, 'low')).toBe(2);
  });

  it('reads the AWS CLI parameter file format, UsePreviousValue entries left to deploy time', async () => {
    const report = await run('parameters', { parameterFiles: ['parameters/cli-parameters.json'] });
    expect(findings(report)).toEqual(['route-requires-auth GetPartners parameters/template.yaml:27', 'waf-attached Stage parameters/template.yaml:36']);
    expect(report.unevaluated).toEqual([]);
    expect(report.diagnostics).toEqual([]);
  });

  it('reads the CodePipeline template configuration format, with --parameter winning over files', async () => {
    const report = await run('parameters', {
      parameterFiles: ['parameters/pipeline-configuration.json'],
      parameters: new Map([['Authorization', 'AWS_IAM'], ['PartnerKey', 'FAKEgivenONtheCOMMANDline0001']]),
    });
    // A key given on the command line is not written in the repository; the file's NONE is overridden.
    expect(findings(report)).toEqual(['waf-attached Stage parameters/template.yaml:36']);
    expect(report.summary.incomplete).toBe(false);
  });

  it('reports a key given in a committed parameter file at its line in that file, never its value', async () => {
    const report = await run('parameters', { parameterFiles: ['parameters/secret-parameters.json'] });
    expect(findings(report)).toEqual(['no-static-api-keys PartnerApiKey parameters/secret-parameters.json:4', 'waf-attached Stage parameters/template.yaml:36']);
    // The property that reads the parameter is where the finding leads from the template.
    expect(report.findings[0]!.related?.map((place) => `${place.location.file}:${place.location.startLine} ${place.message}`)).toEqual(['parameters/template.yaml:56 read by PartnerApiKey here']);
    expect(JSON.stringify(report)).not.toContain('FAKEpartnerKEYinAparameterFILE01');
  });

  it('explains a parameter file it cannot read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-params-'));
    writeFileSync(path.join(dir, 'broken.json'), '{ "Parameters": ');
    writeFileSync(path.join(dir, 'odd.json'), JSON.stringify([{ Key: 'Authorization', Value: 'NONE' }]));
    const report = await run('parameters', { parameterFiles: [path.join(dir, 'broken.json'), path.join(dir, 'odd.json')] });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error read-error', 'warning unsupported']);
    expect(report.diagnostics[0]!.message).toMatch(/could not read the parameter file .*ParameterKey/);
    expect(report.diagnostics[1]!.message).toMatch(/values gatewarden cannot read \(entry 1\)/);
    expect(exitCodeFor(report, 'low')).toBe(2);
  });
});

describe('inline suppressions in resource Metadata', () => {
  const today = new Date('2026-11-28T12:00:00Z');

  it('accepts findings with a reason until their expiry, on the resource and inside its block', async () => {
    const report = await run('suppressions', { today });
    const suppressed = report.findings.filter((f) => f.suppressed).map((f) => `${f.policyId} ${f.address} ${f.suppressed!.until ?? '-'} line ${f.suppressed!.location.startLine}`);
    expect(suppressed.sort()).toEqual([
      'route-requires-auth Health 2027-06-30 line 13',
      'route-requires-auth Metrics - line 39',
      // The stage's missing throttling is one finding on the stage, where the team accepted it.
      'throttling-configured Stage 2027-12-31 line 75',
    ]);
    expect(report.findings.find((f) => f.address === 'Stage' && f.policyId === 'throttling-configured')!.routes!.map((route) => route.address).sort()).toEqual(['Export', 'Health', 'Legacy', 'Metrics', 'Typo']);
    expect(report.findings.find((f) => f.address === 'Health' && f.policyId === 'route-requires-auth')!.suppressed!.reason).toMatch(/^Load balancer health checks/);
  });

  it('reports expired, undated, reasonless and id-less suppressions, and the findings they do not cover', async () => {
    const report = await run('suppressions', { today });
    expect(findings(report)).toEqual([
      'route-requires-auth Legacy suppressions/template.yaml:33',
      'route-requires-auth Typo suppressions/template.yaml:56',
      'route-requires-auth Export suppressions/template.yaml:69',
      // The stage's suppression names throttling-configured only.
      'waf-attached Stage suppressions/template.yaml:70',
    ]);
    expect(diagnostics(report)).toEqual([
      'warning suppressions/template.yaml:26 the suppression of route-requires-auth on Legacy expired on 2026-01-31; its findings are reported again',
      'warning suppressions/template.yaml:39 the suppression of route-requires-auth on Metrics gives no reason; write why the risk is accepted',
      'warning suppressions/template.yaml:50 suppression 1 of Typo has no policy id (id: <policy-id>); it is ignored',
      'warning suppressions/template.yaml:62 the suppression of route-requires-auth on Export has an expiry "someday" that is not a date (YYYY-MM-DD); it does not apply',
    ]);
    // The three low ones: request-validation on the POST methods, which no suppression names; the
    // medium one: waf-attached.
    expect(report.summary).toMatchObject({ suppressed: 3, findings: { total: 7, high: 3, medium: 1, low: 3 } });
  });

  it('lets the exit code ignore suppressed findings, and brings them back when they expire', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-accepted-'));
    writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        'Resources:',
        '  Health:',
        '    Type: AWS::ApiGateway::Method',
        '    Metadata:',
        '      gatewarden:',
        '        ignore:',
        '          - { id: route-requires-auth, reason: health checks, until: 2027-06-30 }',
        '    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE }',
        '  Api:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties: { Name: status }',
        '  Stage:',
        '    Type: AWS::ApiGateway::Stage',
        '    Properties:',
        '      RestApiId: !Ref Api',
        '      StageName: live',
        '      MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 }]',
        // Behind a WAF: the suppressed route is the template's only finding.
        '  StageAcl:',
        '    Type: AWS::WAFv2::WebACLAssociation',
        '    Properties:',
        '      ResourceArn: !Sub "arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}"',
        '      WebACLArn: arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/status/a1b2c3d4',
        '',
      ].join('\n'),
    );
    const accepted = await scan({ cwd: dir, today });
    expect(accepted.findings.map((f) => `${f.policyId} ${f.suppressed?.until}`)).toEqual(['route-requires-auth 2027-06-30']);
    expect(accepted.summary).toMatchObject({ suppressed: 1, findings: { total: 0 } });
    expect(exitCodeFor(accepted, 'low')).toBe(0);
    const later = await scan({ cwd: dir, today: new Date('2027-07-01T00:00:00Z') });
    expect(findings(later)).toEqual(['route-requires-auth Health template.yaml:8']);
    expect(exitCodeFor(later, 'low')).toBe(1);
  });

  it('warns about a suppression naming no policy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-suppress-'));
    writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        'Resources:',
        '  Api:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Metadata:',
        '      gatewarden:',
        '        ignore:',
        '          - id: route-requires-authentication',
        '            reason: typo in the id',
        '    Properties:',
        '      Name: x',
        '',
      ].join('\n'),
    );
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual([
      'warning template.yaml:7 the suppression of route-requires-authentication on Api names no loaded policy; check the id with "gatewarden policies list"',
    ]);
  });
});

describe('ugly templates', () => {
  it('reports each unreadable template at its line, and scans the rest and a template with a key given twice', async () => {
    const report = await run('ugly');
    expect(diagnostics(report)).toEqual([
      'warning ugly/anchors.yaml:18 the template uses YAML merge keys (<<), which the AWS CLI and SAM resolve when packaging but CloudFormation rejects in a template uploaded as is; gatewarden resolves them as the CLI does',
      'error ugly/billion-laughs.yaml:1 the template\'s YAML aliases (*anchor) expand to 926,177,013 nodes (an alias bomb?); it was not scanned: over the "yaml-alias-nodes" limit (the nodes YAML aliases may add to one document when they are expanded: 100,000); if the input is trusted, raise it on the command line with --limit yaml-alias-nodes=200000',
      // CloudFormation keeps the last of keys given twice: the template is scanned with that value.
      'warning ugly/duplicate-keys.yaml:13 the key "AuthorizationType" is given twice in Resources/GetAll/Properties, at lines 13 and 14: CloudFormation keeps the last one (line 14) and ignores the others, and so does this scan; remove the ones not meant',
      'error ugly/with-comments.json:4 the template is not valid JSON (a comment: comments are not allowed in JSON templates; remove it or write the template in YAML); it was not scanned',
    ]);
    // Anchors: the merged method keeps its own AuthorizationType (NONE) and takes the rest from the anchor;
    // the aliased MethodSettings throttle the staging stage too. package.json is not a template.
    expect(findings(report)).toEqual([
      'route-requires-auth PostAll ugly/anchors.yaml:20',
      // Neither stage has an AWS WAF web ACL.
      'waf-attached Prod ugly/anchors.yaml:21',
      'waf-attached Staging ugly/anchors.yaml:32',
      'route-requires-auth GetAll ugly/duplicate-keys.yaml:14',
    ]);
    expect(report.summary).toMatchObject({ files: 4, gateways: 2, routes: 3, parseErrors: 1, incomplete: true });
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('scans a template over the 1 MB limit with a warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-big-'));
    const padding = Array.from({ length: 12000 }, (_, i) => `      - Key: tag${i}\n        Value: ${'v'.repeat(80)}`).join('\n');
    writeFileSync(
      path.join(dir, 'big.yaml'),
      `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: a1b2c3d4e5\n      ResourceId: root\n      HttpMethod: GET\n      AuthorizationType: NONE\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: big\n      Tags:\n${padding}\n`,
    );
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual([expect.stringMatching(/^warning big\.yaml:1 the template is 1\.\d MB, over CloudFormation's 1 MB limit/)]);
    expect(findings(report)).toEqual(['route-requires-auth Get big.yaml:9']);
  });
});
