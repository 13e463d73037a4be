import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInventory, scan } from '../src/pipeline/scan.js';
import type { ScanReport } from '../src/report/report.js';
import { run, workspace } from './helpers/hostile.js';

// Input made to hurt, or just unlucky: each case is a file a pull request could add. The scan must
// end, report what it could not read with the limit or reason and file, go on with the rest, and say
// the result is incomplete (exit code 2), never crash and lose the report or look clean.

/** A file that always gives one finding, so a test can see that the rest of the scan went on. */
const OPEN_CORS = `resource "aws_apigatewayv2_api" "open" {
  name          = "open"
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = ["*"]
  }
}
`;

function diagnostics(report: ScanReport): string[] {
  return report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`);
}

function findings(report: ScanReport): string[] {
  return report.findings.map((f) => `${f.policyId} ${f.location.file}:${f.location.startLine}`);
}

/** An OpenAPI document whose aliases double ten times over: a few hundred bytes, billions of nodes. */
function aliasBomb(): string {
  const lines = ['openapi: 3.0.0', 'info: { title: bomb, version: "1" }', 'x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 10; level++) lines.push(`x-a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
  lines.push('paths: {}');
  return `${lines.join('\n')}\n`;
}

describe('documents made to exhaust the parser', () => {
  it('stops a YAML alias bomb in an OpenAPI document at the yaml-alias-nodes limit, and scans the rest', async () => {
    const dir = workspace({ 'api.yaml': aliasBomb(), 'main.tf': OPEN_CORS });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual(['error limit api.yaml:1']);
    expect(report.diagnostics[0]!.message).toMatch(/^the document's YAML aliases expand to 123,456,790,000 nodes \(an alias bomb\?\); it was not scanned: over the "yaml-alias-nodes" limit .*--limit yaml-alias-nodes=200000/);
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
    expect(report.summary.incomplete).toBe(true);
  });

  it('reads an honest document with many aliases when the limit is raised for it', async () => {
    const lines = ['openapi: 3.0.0', 'info: { title: anchors, version: "1" }', 'x-ok: &ok { description: ok }', 'paths:'];
    for (let i = 0; i < 40; i++) lines.push(`  /p${i}:`, `    get: { responses: { "200": *ok } }`);
    const dir = workspace({ 'api.yaml': `${lines.join('\n')}\n` });
    const tight = await scan({ cwd: dir, limits: { 'yaml-alias-nodes': 50 } });
    expect(diagnostics(tight)).toEqual(['error limit api.yaml:1']);
    const raised = await scan({ cwd: dir, limits: { 'yaml-alias-nodes': 1000 } });
    expect(diagnostics(raised)).toEqual([]);
    expect(raised.summary.routes).toBe(40);
  });

  it('refuses JSON nested 3,000 levels (an OpenAPI document, a .tf.json file, a plan, a template) at the depth limit', async () => {
    const deep = (open: string, close: string): string => `${open.repeat(3000)}${close.repeat(3000)}`;
    const dir = workspace({
      'api.json': `{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"x":${deep('[', ']')}}}}}`,
      'deep.tf.json': `{"locals":{"x":${deep('{"a":', '}').replace(/:}/, ':1}')}}}`,
      // In a folder of its own: a plan stands for the Terraform root it sits in.
      'plan/plan.json': `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":${deep('[', ']')}}`,
      'template.json': `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Api":{"Type":"AWS::ApiGateway::RestApi","Properties":{"Body":${deep('[', ']')}}}}}`,
      'main.tf': OPEN_CORS,
    });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report).sort()).toEqual(['error limit api.json:1', 'error limit deep.tf.json:1', 'error limit plan/plan.json:1', 'error limit template.json:1']);
    for (const diagnostic of report.diagnostics) expect(diagnostic.message).toMatch(/nests 3,00\d levels deep; it was not scanned: over the "depth" limit/);
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
  });

  it('refuses HCL nested deeper than the limit instead of overflowing the stack', async () => {
    const dir = workspace({ 'deep.tf': `locals {\n  x = ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`, 'main.tf': OPEN_CORS });
    const report = await scan({ cwd: dir });
    // At the line where the nesting goes over the limit.
    expect(diagnostics(report)).toEqual(['error limit deep.tf:2']);
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
  });

  it('reports 1 MB of random bytes named main.tf once, and scans the rest', async () => {
    const dir = workspace({ 'garbage/main.tf': randomBytes(1024 * 1024), 'api/main.tf': OPEN_CORS });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual(['error read-error garbage/main.tf:1']);
    expect(report.diagnostics[0]!.message).toMatch(/^garbage\/main\.tf is (binary, not text|not UTF-8 text)/);
    expect(findings(report)).toEqual(['cors-not-open api/main.tf:5']);
  });

  it('gives a handful of diagnostics for a file of printable garbage, not thousands', async () => {
    const garbage = Array.from({ length: 20_000 }, (_, i) => `${'}{"=[('.charAt(i % 7)}x${i} = = }`).join('\n');
    const dir = workspace({ 'garbage.tf': garbage, 'main.tf': OPEN_CORS });
    const report = await scan({ cwd: dir });
    const garbageDiagnostics = report.diagnostics.filter((d) => d.location?.file === 'garbage.tf');
    expect(garbageDiagnostics.length).toBeGreaterThanOrEqual(1);
    expect(garbageDiagnostics.length).toBeLessThanOrEqual(5);
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
  });

  it('stops a file over the file-size limit before reading it', async () => {
    const dir = workspace({ 'big.tf': `${OPEN_CORS}\n${'# padding\n'.repeat(200)}`, 'main.tf': OPEN_CORS.replace('"open"', '"other"') });
    const result = await run(['scan', '.', '--limit', 'file-size=1KiB', '--format', 'json'], dir);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(diagnostics(report)).toEqual(['error limit big.tf:1']);
    expect(report.diagnostics[0]!.message).toBe(
      'big.tf is 2,147 bytes; it was not read: over the "file-size" limit (the size of one input file: 1 KiB); if the input is trusted, raise it on the command line with --limit file-size=1MiB',
    );
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
  });
});

describe('expansion that never ends or never stops growing', () => {
  it('checks the first instances of a count above the instances limit and says the rest were not', async () => {
    const dir = workspace({
      'main.tf': `resource "aws_apigatewayv2_api" "many" {
  count         = 20000
  name          = "api-\${count.index}"
  protocol_type = "HTTP"
}
`,
    });
    const report = await scan({ cwd: dir, limits: { instances: 300 } });
    expect(diagnostics(report)).toEqual(['error limit main.tf:2']);
    expect(report.diagnostics[0]!.message).toMatch(/^the count of aws_apigatewayv2_api\.many makes 20,000 instances; the first 300 were checked and the others were not: over the "instances" limit/);
    expect(report.summary.gateways).toBe(300);
    expect(report.summary.incomplete).toBe(true);
  });

  it('stops a replace() whose regular expression backtracks exponentially, and treats its value as unknown', async () => {
    const dir = workspace({
      'main.tf': `locals {\n  name = replace("${'a'.repeat(40)}!", "/(a+)+$/", "")\n}\n${OPEN_CORS.replace('name          = "open"', 'name          = local.name')}`,
    });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['warning unresolved main.tf:2']);
    expect(report.diagnostics[0]!.message).toContain('the regular expression of replace() ran for more than 500 ms');
    expect(findings(report)).toEqual(['cors-not-open main.tf:8']);
  }, 20_000);

  it('does not let the scanned repository raise a limit in its .gatewarden.yaml; the command line can', async () => {
    const dir = workspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gatewarden.yaml': 'limits:\n  instances: 100000000\n',
      'main.tf': `resource "aws_apigatewayv2_api" "many" {\n  count         = 100000000\n  name          = "api-\${count.index}"\n  protocol_type = "HTTP"\n}\n`,
    });
    const fromRepository = await run(['scan', '.', '--format', 'json'], dir);
    const report = JSON.parse(fromRepository.stdout) as ScanReport;
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['warning config .gatewarden.yaml:2', 'error limit main.tf:2']);
    expect(report.summary.gateways).toBe(10_000);
    const lowered = await run(['scan', '.', '--format', 'json', '--limit', 'instances=20'], dir);
    expect((JSON.parse(lowered.stdout) as ScanReport).summary.gateways).toBe(20);
  }, 60_000);

  it('reports a CloudFormation template that nests itself ten times over, instead of expanding it until memory runs out', async () => {
    const nested = Array.from({ length: 10 }, (_, i) => `  Child${i}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./template.yaml\n`).join('');
    const dir = workspace({ 'template.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${nested}`, 'main.tf': OPEN_CORS });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual(Array.from({ length: 10 }, (_, i) => `error unresolved template.yaml:${6 + 4 * i}`));
    expect(report.diagnostics[0]!.message).toContain('(template.yaml -> template.yaml)');
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
  }, 60_000);

  it('stops a tree of nested stacks at the instances limit', async () => {
    // Ten stacks each nesting the next template ten times: 10 + 100 + 1,000 + 10,000 stacks.
    const files: Record<string, string> = {};
    for (let level = 0; level < 4; level++) {
      const children = level < 3 ? Array.from({ length: 10 }, (_, i) => `  C${i}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./level${level + 1}.yaml\n`).join('') : '  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: leaf\n';
      files[`level${level}.yaml`] = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${children}`;
    }
    const report = await scan({ cwd: workspace(files), limits: { instances: 500 } });
    expect(diagnostics(report)).toEqual(['error limit level1.yaml:23']);
    expect(report.diagnostics[0]!.message).toMatch(/^the template expands to more than 500 nested stacks; C\d\/C\d and the ones after it were not read/);
  }, 60_000);

  it('reads each CDK cloud assembly once: nested assemblies naming "." do not fan out', async () => {
    const artifacts = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`nested${i}`, { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } }]));
    const dir = workspace({
      'cdk.out/manifest.json': JSON.stringify({ version: '36.0.0', artifacts: { ...artifacts, Stack: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Stack.template.json' } } } }),
      'cdk.out/cdk.out': '',
      'cdk.out/Stack.template.json': JSON.stringify({ Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'cdk', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'] } } } } }),
    });
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual(['cors-not-open cdk.out/Stack.template.json:1']);
  }, 60_000);

  it('places the enclosing APIM policy once for 6,000 <base/> elements in one section, with the findings of a single one', async () => {
    const sample = path.join(path.dirname(fileURLToPath(import.meta.url)), '../samples/azure-terraform/insecure');
    const dir = workspace();
    cpSync(sample, dir, { recursive: true });
    const catalog = path.join(dir, 'policies/catalog.xml');
    writeFileSync(catalog, readFileSync(catalog, 'utf8').replace('<inbound>', `<inbound>\n${'    <base />\n'.repeat(6000)}`));
    const once = workspace();
    cpSync(sample, once, { recursive: true });
    writeFileSync(path.join(once, 'policies/catalog.xml'), readFileSync(path.join(once, 'policies/catalog.xml'), 'utf8').replace('<inbound>', '<inbound>\n    <base />'));
    const report = await scan({ cwd: dir });
    const reference = await scan({ cwd: once });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId}`)).toEqual(reference.findings.map((f) => `${f.policyId} ${f.entityId}`));
    expect(report.findings.length).toBeGreaterThan(3);
  }, 60_000);

  it('stops counts multiplied through modules at the entities limit, though each count is within the instances limit', async () => {
    const dir = workspace({
      'main.tf': 'module "a" {\n  source = "./m1"\n  count  = 1000\n}\n',
      'm1/main.tf': 'module "b" {\n  source = "../m2"\n  count  = 1000\n}\n',
      'm2/main.tf': 'resource "aws_apigatewayv2_api" "x" {\n  name          = "x"\n  protocol_type = "HTTP"\n}\n',
    });
    const report = await scan({ cwd: dir, limits: { entities: 5000 } });
    expect(diagnostics(report)).toEqual(['error limit m1/main.tf:1']);
    expect(report.diagnostics[0]!.message).toMatch(/^the configuration expands to more than 5,000 resource and module instances \(counts multiplied through modules\); module\.a\[\d+\]\.module\.b and what comes after it were not checked: over the "entities" limit/);
    expect(report.summary.gateways).toBeLessThan(5000);
  }, 60_000);

  it('stops a nested for expression of a billion iterations, and a value that doubles at each of 24 references, at the evaluation-steps limit', async () => {
    const doubling = Array.from({ length: 24 }, (_, i) => `  a${i + 1} = [local.a${i}, local.a${i}]`).join('\n');
    const dir = workspace({
      'loops/main.tf': `locals {\n  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n${OPEN_CORS.replace('name          = "open"', 'name          = "n-${length(local.cube)}"')}`,
      'bomb/main.tf': `locals {\n  a0 = ["x", "x"]\n${doubling}\n}\n${OPEN_CORS.replace('name          = "open"', 'name          = "n-${length(jsonencode(local.a24))}"')}`,
    });
    const report = await scan({ cwd: dir });
    // Reported once per root, where the budget ran out (the jsonencode() in the name, the loops in the
    // local); what is evaluated after that is unknown, such as the protocol an adapter then warns about.
    expect(diagnostics(report).sort()).toEqual(['error limit bomb/main.tf:29', 'error limit loops/main.tf:2', 'warning unresolved bomb/main.tf:30', 'warning unresolved loops/main.tf:6']);
    for (const diagnostic of report.diagnostics.filter((d) => d.code === 'limit')) expect(diagnostic.message).toMatch(/took more than 10,000,000 steps .*over the "evaluation-steps" limit/);
    expect(report.summary.incomplete).toBe(true);
  }, 120_000);

  it('reports a module cycle (A calls B calls A) at the call that closes it, and checks the modules once', async () => {
    const dir = workspace({
      'main.tf': 'module "a" {\n  source = "./modules/a"\n}\n',
      'modules/a/main.tf': `module "b" {\n  source = "../b"\n}\n${OPEN_CORS}`,
      'modules/b/main.tf': 'module "a" {\n  source = "../a"\n}\n',
    });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual(['error unresolved modules/b/main.tf:2']);
    expect(report.diagnostics[0]!.message).toContain('(modules/a -> modules/b -> modules/a)');
    expect(findings(report)).toEqual(['cors-not-open modules/a/main.tf:8']);
    expect(report.findings[0]!.address).toBe('module.a.aws_apigatewayv2_api.open');
  });

  it('reports a module that sources itself instead of unrolling it', async () => {
    const dir = workspace({ 'main.tf': `module "again" {\n  source = "./"\n}\n${OPEN_CORS}` });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual(['error unresolved main.tf:2']);
    expect(findings(report)).toEqual(['cors-not-open main.tf:8']);
  });

  it('stops at the entities limit and says how many were not checked', async () => {
    const paths = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`/p${i}`, { get: { responses: { 200: { description: 'ok' } } } }]));
    const dir = workspace({ 'api.json': JSON.stringify({ openapi: '3.0.0', info: { title: 'many', version: '1' }, paths }) });
    const report = await scan({ cwd: dir, limits: { entities: 10 } });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['limit']);
    expect(report.diagnostics[0]!.message).toMatch(/^the scan found 31 entities; the last 21 were not checked: over the "entities" limit/);
    expect(report.summary.entities).toBe(10);
  });

  it('keeps more than 120,000 entities (spreading them as arguments overflowed the stack)', async () => {
    const paths = Object.fromEntries(Array.from({ length: 130_000 }, (_, i) => [`/p${i}`, { get: {} }]));
    const dir = workspace({ 'api.json': JSON.stringify({ openapi: '3.0.0', info: { title: 'huge', version: '1' }, paths }) });
    const inventory = await readInventory({ cwd: dir });
    expect(inventory.diagnostics).toEqual([]);
    expect(inventory.entities.filter((entity) => entity.kind === 'route')).toHaveLength(130_000);
  }, 120_000);
});

describe('patterns of the config file', () => {
  it('match hostile names without backtracking: exclude *a*a*a*a*a*a*b against a file named a…a, a suppression address *a*…', async () => {
    // With regular expressions, five stars took over eight minutes on this name.
    const name = `${'a'.repeat(200)}c.tf`;
    const dir = workspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gatewarden.yaml': `exclude: ["*a*a*a*a*a*a*b"]\nsuppressions:\n  - policy: cors-not-open\n    address: "${'*a'.repeat(12)}*b"\n    reason: never matches\n`,
      [name]: OPEN_CORS.replace('"open"', `"${'a'.repeat(60)}"`),
    });
    const result = await run(['scan', '.', '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(findings(report)).toEqual([`cors-not-open ${name}:5`]);
  }, 20_000);
});

describe('templates that must not go unrecognised', () => {
  it('finds a minified JSON template without AWSTemplateFormatVersion, and a YAML one with 80 KB before its Resources', async () => {
    const api = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'x', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'] } } };
    const dir = workspace({
      'minified.json': JSON.stringify({ Description: 'd', Resources: { Api: api } }),
      'long.yaml': `Metadata:\n${Array.from({ length: 4000 }, (_, i) => `  Note${i}: "a note long enough to fill the head of the file"`).join('\n')}\nResources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: x\n      ProtocolType: HTTP\n      CorsConfiguration:\n        AllowOrigins: ["*"]\n`,
    });
    const report = await scan({ cwd: dir });
    expect(report.files).toEqual(['long.yaml', 'minified.json']);
    expect(findings(report)).toEqual(['cors-not-open long.yaml:4009', 'cors-not-open minified.json:1']);
  });
});

describe('Terraform override files', () => {
  it('merge into the blocks they name, so an origin opened in main_override.tf is found', async () => {
    const dir = workspace({
      'main.tf': OPEN_CORS.replace('["*"]', '["https://app.example.com"]'),
      'main_override.tf': 'resource "aws_apigatewayv2_api" "open" {\n  cors_configuration {\n    allow_origins = ["*"]\n  }\n}\n',
    });
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual(['cors-not-open main.tf:5']);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['info main_override.tf:1']);
  });
});

describe('encodings', () => {
  const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: utf16
      ProtocolType: HTTP
      CorsConfiguration:
        AllowOrigins: ["*"]
`;

  it('finds UTF-16 templates and specs in a directory scan (with a BOM, little or big endian) and keeps their lines', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEMPLATE, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEMPLATE, 'utf16le').swap16()]);
    const dir = workspace({ 'le/template.yaml': le, 'be/template.yaml': be });
    const report = await scan({ cwd: dir });
    expect(report.files).toEqual(['be/template.yaml', 'le/template.yaml']);
    expect(diagnostics(report)).toEqual([]);
    expect(findings(report)).toEqual(['cors-not-open be/template.yaml:9', 'cors-not-open le/template.yaml:9']);
  });

  it('does not shift lines or break JSON for a UTF-8 BOM', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const dir = workspace({
      'main.tf': Buffer.concat([bom, Buffer.from(OPEN_CORS)]),
      'template.json': Buffer.concat([bom, Buffer.from(JSON.stringify(JSON.parse(JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'bom', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'] } } } } })), null, 2))]),
    });
    const report = await scan({ cwd: dir });
    expect(diagnostics(report)).toEqual([]);
    expect(findings(report)).toEqual(['cors-not-open main.tf:5', 'cors-not-open template.json:10']);
    expect(report.findings.find((f) => f.location.file === 'main.tf')!.location.startColumn).toBe(5);
  });

  it('refuses UTF-32 with a message saying how to fix it', async () => {
    const dir = workspace({ 'main.tf': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('a = 1\n', 'utf16le')]) });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.map((d) => d.message)).toEqual(['main.tf is UTF-32 text, which gatewarden does not read (save it as UTF-8); it was not read']);
    expect(path.basename(report.diagnostics[0]!.location!.file)).toBe('main.tf');
  });
});

describe('SAM Domain written to hurt', () => {
  const template = (domain: string): string => `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  RestA:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain: ${domain}
  HttpA:
    Type: AWS::Serverless::HttpApi
    Properties:
      Domain: ${domain}
`;

  it.each([
    ['a list', '[{ DomainName: a.example.com, CertificateArn: "arn:aws:acm:us-east-1:1:certificate/x" }]', 'not an object'],
    ['a string', '"api.example.com"', 'not an object'],
    ['a number', '42', 'not an object'],
    ['an !If on a parameter without a value', '!If [IsProd, { DomainName: a.example.com, CertificateArn: "arn:x" }, !Ref AWS::NoValue]', 'parameter Env has no default and no value (give it with --parameter Env=... or --parameter-file)'],
  ])('is a warning at the Domain when it is %s, not a crash', async (_what, domain, why) => {
    const dir = workspace({ 'template.yaml': template(domain) });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.filter((d) => d.code === 'unresolved').map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.message}`)).toEqual([
      `warning template.yaml:12 the Domain of RestA is not known (${why}), so the custom domain SAM would create for it is not checked, nor is the API's default endpoint behind it`,
      `warning template.yaml:16 the Domain of HttpA is not known (${why}), so the custom domain SAM would create for it is not checked, nor is the API's default endpoint behind it`,
    ]);
    expect(report.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  });

  it('reads fields of the wrong shape (DomainName a list, BasePath a mapping) without a crash', async () => {
    const dir = workspace({ 'template.yaml': template('{ DomainName: [a, b], CertificateArn: [x], BasePath: { a: b }, EndpointConfiguration: [1], SecurityPolicy: { x: 1 }, MutualTlsAuthentication: s }') });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
    expect(findings(report).filter((f) => f.startsWith('execute-api-endpoint-disabled'))).toEqual(['execute-api-endpoint-disabled template.yaml:12', 'execute-api-endpoint-disabled template.yaml:16']);
  });

  it('maps a BasePath list of 60,000 entries (and entries SAM names alike) in seconds: one search per mapping took minutes', async () => {
    const paths = ['/a', 'a', '-', null, 3, ...Array.from({ length: 60_000 }, (_, index) => `/p${index}`)].map((entry) => JSON.stringify(entry)).join(', ');
    const dir = workspace({ 'template.yaml': template(`{ DomainName: h.example.com, CertificateArn: "arn:x", BasePath: [${paths}] }`) });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
    // The REST domain writes no SecurityPolicy (TLS 1.0); the HTTP one gets TLS 1.2.
    expect(findings(report).filter((f) => f.startsWith('domain-tls-policy'))).toEqual(['domain-tls-policy template.yaml:12']);
  }, 20_000);
});

describe('APIOps artifacts written to hurt', () => {
  const api = (name: string): string => JSON.stringify({ properties: { displayName: name, path: name, subscriptionRequired: false } }, null, 2);
  const spec = 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses: { "200": { description: ok } }\n';

  it('reports a policy.xml nested 20,000 elements deep at its line, and checks the rest of the folder (the walk overflowed the stack and lost the folder)', async () => {
    const depth = 20_000;
    const dir = workspace({
      'art/policy.xml': '<policies>\n  <inbound><cors><allowed-origins><origin>*</origin></allowed-origins></cors></inbound>\n  <backend><forward-request /></backend><outbound /><on-error />\n</policies>\n',
      'art/apis/deep/apiInformation.json': api('deep'),
      'art/apis/deep/specification.yaml': spec,
      'art/apis/deep/policy.xml': `<policies>\n<inbound>\n<base />\n${'<choose><when condition="@(true)">'.repeat(depth)}<base />${'</when></choose>'.repeat(depth)}\n</inbound>\n</policies>\n`,
      'art/apis/plain/apiInformation.json': api('plain'),
      'art/apis/plain/specification.yaml': spec,
    });
    const report = await scan({ cwd: dir });
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file}:${d.location?.startLine} ${d.message}`)).toEqual([
      'parse-error art/apis/deep/policy.xml:4 the policy of API deep nests its elements more than 200 deep (an element at line 4 is inside 200 others); it was not checked, and what it enforces is unknown',
    ]);
    // The API beside it, and the global CORS, are still checked.
    expect(findings(report).filter((f) => f.startsWith('cors-not-open') || f.includes('apis/plain')).sort()).toEqual([
      'cors-not-open art/policy.xml:2',
      'route-requires-auth art/apis/plain/apiInformation.json:5',
      'throttling-configured art/apis/plain/apiInformation.json:1',
    ]);
    expect(report.summary.incomplete).toBe(true);
  });
});
