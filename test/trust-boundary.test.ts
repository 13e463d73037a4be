import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInventory, scan } from '../src/pipeline/scan.js';
import { everything, run, scanAllFormats, workspace, write } from './helpers/hostile.js';

// The scan roots are a trust boundary: a pull request must not be able to make gatewarden read a file
// outside the paths it scans (the CI job's environment, credentials, another checkout) and print it.
// Each case plants a canary in a file outside the scan root and reaches for it the way an attacker would.

const CANARY = 'GW_CANARY_4c1d9e7f_secret';

/** A repository to scan (`repo/`) next to a directory it must not read (`outside/`, holding the canary). */
function repositoryBesideSecrets(files: Readonly<Record<string, string>>): { root: string; repo: string; outside: string } {
  const root = workspace({
    'outside/secret.txt': `TOKEN=${CANARY}\n`,
    'outside/spec.yaml': `openapi: 3.0.0\ninfo: { title: ${CANARY}, version: "1" }\npaths:\n  /x:\n    get: { responses: { "200": { description: ok } } }\n`,
    'outside/nested.json': JSON.stringify({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: CANARY } } } }),
    ...Object.fromEntries(Object.entries(files).map(([name, content]) => [`repo/${name}`, content])),
  });
  return { root, repo: path.join(root, 'repo'), outside: path.join(root, 'outside') };
}

const HTTP_API = (name: string): string => `resource "aws_apigatewayv2_api" "api" {
  name          = ${name}
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = ["*"]
  }
}
`;

describe('files outside the scan roots', () => {
  it('are not read through a symbolic link to a file, and the canary reaches no output format', async () => {
    const { repo, outside, root } = repositoryBesideSecrets({ 'main.tf': HTTP_API('file("${path.module}/env.txt")') });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'env.txt'));
    mkdirSync(path.join(root, 'out'));
    const result = await scanAllFormats(['.'], repo, path.join(root, 'out'));
    expect(result.code).toBe(2);
    expect(Object.keys(result.files).sort()).toEqual(['report.github', 'report.gitlab-sast', 'report.json', 'report.junit', 'report.markdown', 'report.sarif']);
    expect(everything(result)).not.toContain(CANARY);
    const report = JSON.parse(result.files['report.json']!);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'outside-roots', location: expect.objectContaining({ file: 'main.tf', startLine: 2 }), message: expect.stringContaining('env.txt is outside the scanned paths') }),
    );
    // The setting still checked: CORS is open whatever the name.
    expect(report.findings.map((f: { policyId: string; location: { startLine: number } }) => `${f.policyId}:${f.location.startLine}`)).toEqual(['cors-not-open:5']);
  });

  it('are not read through a symbolic link to a directory', async () => {
    const { repo, outside } = repositoryBesideSecrets({ 'main.tf': HTTP_API('file("${path.module}/linked/secret.txt")') });
    symlinkSync(outside, path.join(repo, 'linked'));
    const result = await run(['scan', '.', '--format', 'json'], repo);
    expect(result.code).toBe(2);
    expect(everything(result)).not.toContain(CANARY);
    expect(JSON.parse(result.stdout).diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'outside-roots', severity: 'error', location: expect.objectContaining({ file: 'main.tf', startLine: 2 }) }),
        expect.objectContaining({ code: 'outside-roots', severity: 'warning', location: expect.objectContaining({ file: 'linked', startLine: 1 }), message: expect.stringContaining('was not followed') }),
      ]),
    );
  });

  it('are not read by a relative path, and /proc/self/environ through a link says where it leads without suggesting to allow /proc', async () => {
    const { repo } = repositoryBesideSecrets({ 'main.tf': HTTP_API('file("../outside/secret.txt")').replace('protocol_type', 'description   = file("${path.module}/environ")\n  protocol_type') });
    symlinkSync('/proc/self/environ', path.join(repo, 'environ'));
    const result = await run(['scan', '.', '--format', 'json'], repo);
    expect(everything(result)).not.toContain(CANARY);
    const messages = JSON.parse(result.stdout).diagnostics.filter((d: { code: string }) => d.code === 'outside-roots').map((d: { message: string }) => d.message);
    expect(messages).toEqual([
      'a file the configuration reads: ../outside/secret.txt is outside the scanned paths and was not read: gatewarden reads only under the paths it scans. If it is yours and meant to be read, scan a directory that contains it or add --allow-read ../outside',
      expect.stringMatching(/^a file the configuration reads: environ is outside the scanned paths \(it leads to \/proc\/\d+\/environ\) and was not read: .* or add --allow-read with a directory that holds it \(not this one: it would open far more\)$/),
    ]);
  });

  it('are unknown to fileexists(), which neither answers true nor false for them', async () => {
    const { repo } = repositoryBesideSecrets({
      'main.tf': `resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = fileexists("../outside/secret.txt") ? "AWS_IAM" : "NONE"
}
`,
    });
    const report = await scan({ cwd: repo });
    expect(report.findings.filter((finding) => finding.policyId === 'route-requires-auth')).toEqual([]);
    expect(report.unevaluated).toContainEqual(expect.objectContaining({ policyId: 'route-requires-auth', entityId: 'aws_api_gateway_method.get' }));
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'outside-roots', location: expect.objectContaining({ file: 'main.tf', startLine: 8 }), message: expect.stringContaining('fileexists() asks about a file: ../outside/secret.txt is outside the scanned paths and was not looked at') }));
    expect(report.summary.incomplete).toBe(true);
  });

  it('are unknown to fileexists() whether they exist or not, so it cannot probe what exists outside', async () => {
    const { repo } = repositoryBesideSecrets({
      'main.tf': `resource "aws_apigatewayv2_api" "api" {
  name          = fileexists("/no-such-dir-${CANARY}/x") ? "found" : "missing"
  description   = fileexists("../outside/nothing-here.txt") ? "found" : "missing"
  protocol_type = "HTTP"
}
`,
    });
    const inventory = await readInventory({ cwd: repo });
    const gateway = inventory.entities.find((entity) => entity.kind === 'gateway');
    expect(gateway?.name).toEqual(expect.objectContaining({ unknown: true }));
    expect(inventory.diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.startLine}`).sort()).toEqual(['outside-roots main.tf:2', 'outside-roots main.tf:3']);
  });

  it('are not found by the directory walk through links: a linked spec is reported, a linked .tf file is an error', async () => {
    const { repo, outside } = repositoryBesideSecrets({ 'main.tf': HTTP_API('"api"') });
    symlinkSync(path.join(outside, 'spec.yaml'), path.join(repo, 'openapi.yaml'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'shared.tf'));
    symlinkSync(path.join(outside, 'gone.tf'), path.join(repo, 'dangling.tf'));
    const result = await run(['scan', '.', '--format', 'json'], repo);
    expect(everything(result)).not.toContain(CANARY);
    const diagnostics = JSON.parse(result.stdout).diagnostics.map((d: { severity: string; code: string; location: { file: string } }) => `${d.severity} ${d.code} ${d.location.file}`);
    // A link outside that leads nowhere is refused like one that leads somewhere: the answer must not tell which.
    expect(diagnostics).toEqual(['error outside-roots dangling.tf', 'warning outside-roots openapi.yaml', 'error outside-roots shared.tf']);
    expect(result.code).toBe(2);
  });

  it('are not read through an APIOps artifacts folder: linked specification, policy, named value and folders, or a fragment named ../', async () => {
    const { repo, outside, root } = repositoryBesideSecrets({
      'art/apis/orders/apiInformation.json': JSON.stringify({ properties: { displayName: 'orders', path: 'orders', subscriptionRequired: true } }),
      'art/apis/orders/operations/getX/policy.xml': '<policies>\n<inbound>\n<base />\n<include-fragment fragment-id="../../../outside/secret" />\n</inbound>\n</policies>\n',
      'art/products/gold/productInformation.json': JSON.stringify({ properties: { displayName: 'gold', subscriptionRequired: true } }),
    });
    symlinkSync(path.join(outside, 'spec.yaml'), path.join(repo, 'art/apis/orders/specification.yaml'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'art/policy.xml'));
    write(repo, { 'art/named values/key/.keep': '' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'art/named values/key/namedValueInformation.json'));
    symlinkSync(outside, path.join(repo, 'art/products/gold/apis'));
    symlinkSync(outside, path.join(repo, 'art/backends'));
    mkdirSync(path.join(root, 'out'));
    const result = await scanAllFormats(['art'], repo, path.join(root, 'out'));
    expect(everything(result)).not.toContain(CANARY);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.files['report.json']!);
    expect(report.diagnostics.map((d: { severity: string; code: string; location: { file: string; startLine: number } }) => `${d.severity} ${d.code} ${d.location.file}:${d.location.startLine}`)).toEqual([
      // The API is checked as one API-wide route, its specification unread.
      'info unsupported art/apis/orders/apiInformation.json:1',
      // A linked file the APIOps reader needs is an error, once (not also the directory walk's warning);
      // a linked folder is the walk's warning.
      'error outside-roots art/apis/orders/specification.yaml:1',
      'warning outside-roots art/backends:1',
      'error outside-roots art/named values/key/namedValueInformation.json:1',
      'error outside-roots art/policy.xml:1',
      'warning outside-roots art/products/gold/apis:1',
    ]);
    // A fragment is found by its name among the folder's fragments, never as a path.
    expect(JSON.stringify(report.unevaluated)).toContain('fragment ../../../outside/secret included by operation getX of API orders is not in the scan');
  });

  it('are not read as a module, unless --allow-read names their directory', async () => {
    const { root, repo } = repositoryBesideSecrets({
      'main.tf': 'module "api" {\n  source = "../modules/api"\n}\n',
    });
    write(root, { 'modules/api/main.tf': HTTP_API('"shared"') });
    const refused = await scan({ cwd: repo });
    expect(refused.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'outside-roots', address: 'module.api', location: expect.objectContaining({ file: 'main.tf', startLine: 2 }), message: expect.stringContaining('module ../modules/api is outside the scanned paths') }),
    ]);
    expect(refused.summary.gateways).toBe(0);
    const allowed = await scan({ cwd: repo, allowRead: ['../modules'] });
    expect(allowed.diagnostics).toEqual([]);
    expect(allowed.findings.map((f) => [f.policyId, f.location.file, f.location.startLine])).toEqual([['cors-not-open', '../modules/api/main.tf', 5]]);
  });

  it('are not read as a nested stack: TemplateURL ../ is reported at its line', async () => {
    const { repo } = repositoryBesideSecrets({
      'template.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ../outside/nested.json
`,
    });
    const result = await run(['scan', '.', '--format', 'json'], repo);
    expect(everything(result)).not.toContain(CANARY);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'outside-roots', address: 'Child', location: expect.objectContaining({ file: 'template.yaml', startLine: 6 }), message: expect.stringContaining('the template of nested stack Child: ../outside/nested.json is outside the scanned paths') }),
    ]);
  });

  it('are not read through the config file: var-files ../x.tfvars is a config error at its line', async () => {
    const { repo } = repositoryBesideSecrets({ '.git/HEAD': 'ref: refs/heads/main\n', '.gatewarden.yaml': 'var-files:\n  - ../outside/secret.txt\n', 'main.tf': HTTP_API('"api"') });
    const result = await run(['scan', '.'], repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gatewarden: \.gatewarden\.yaml:2:5: "var-files" names \.\.\/outside\/secret\.txt, which is outside the repository; .* \(--var-file\)\n$/);
    expect(everything(result)).not.toContain(CANARY);
  });

  it('are read when named on the command line, which is the user speaking', async () => {
    const { repo, outside } = repositoryBesideSecrets({ 'main.tf': 'variable "name" {}\n' + HTTP_API('var.name') });
    write(outside, { 'prod.tfvars': 'name = "from-outside"\n' });
    const report = await readInventory({ cwd: repo, varFiles: [path.join(outside, 'prod.tfvars')] });
    expect(report.diagnostics).toEqual([]);
    expect(report.entities.find((entity) => entity.kind === 'gateway')?.name).toBe('from-outside');
  });
});

describe('special files', () => {
  it('never hang the scan: a FIFO named main.tf is reported, not opened', async () => {
    const { repo } = repositoryBesideSecrets({ 'api.tf': HTTP_API('"api"') });
    execFileSync('mkfifo', [path.join(repo, 'main.tf')]);
    const report = await scan({ cwd: repo });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'not-scanned', location: expect.objectContaining({ file: 'main.tf' }), message: 'main.tf is not a regular file (a pipe, socket or device) and was not read' })]);
    expect(report.findings.map((f) => `${f.policyId} ${f.location.file}:${f.location.startLine}`)).toEqual(['cors-not-open api.tf:5']);
  });
});

describe('a plan whose Terraform source calls a module outside the roots', () => {
  it('is still checked in full: the module costs .tf lines (a warning), not results', async () => {
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/plans/multi-module');
    const dir = workspace();
    cpSync(path.join(fixture, 'modules'), path.join(dir, 'modules'), { recursive: true });
    for (const name of ['plan.json', 'providers.tf', 'terraform.tfvars']) cpSync(path.join(fixture, name), path.join(dir, 'envs/prod', name));
    writeFileSync(path.join(dir, 'envs/prod/main.tf'), readFileSync(path.join(fixture, 'main.tf'), 'utf8').replace('"./modules/rest-api"', '"../../modules/rest-api"'));
    const inPlace = await scan({ cwd: fixture, paths: ['plan.json'] });
    const report = await scan({ cwd: dir, paths: ['envs/prod/plan.json'] });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'outside-roots', address: 'module.api', location: expect.objectContaining({ file: 'envs/prod/main.tf', startLine: 19 }) })]);
    expect(report.summary.incomplete).toBe(false);
    // The same findings; their order may differ, since the module's lines are not read outside the roots.
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`).sort()).toEqual(inPlace.findings.map((f) => `${f.policyId} ${f.address}`).sort());
    expect(report.findings.length).toBeGreaterThan(2);
  });
});

describe('policy directories', () => {
  it('do not read a policy.yaml that links outside them, nor wait on a FIFO, and load the other policies', async () => {
    const { root, repo } = repositoryBesideSecrets({ 'main.tf': HTTP_API('"api"') });
    write(root, {
      'my-policies/good/policy.yaml': `id: good
title: Every gateway is named
severity: low
category: authentication
description: A test policy.
remediation: Name it.
match: { kind: gateway }
assert: "gateway.name != 'api'"
message: "{{gateway.name}} has the test name"
`,
    });
    mkdirSync(path.join(root, 'my-policies/leak'));
    symlinkSync(path.join(root, 'outside/secret.txt'), path.join(root, 'my-policies/leak/policy.yaml'));
    mkdirSync(path.join(root, 'my-policies/fifo'));
    execFileSync('mkfifo', [path.join(root, 'my-policies/fifo/policy.yaml')]);
    const result = await run(['scan', '.', '--policies', '../my-policies', '--format', 'json'], repo);
    expect(everything(result)).not.toContain(CANARY);
    const report = JSON.parse(result.stdout);
    expect(report.diagnostics.map((d: { code: string; location: { file: string }; message: string }) => [d.code, d.location.file, d.message.replace(/\(to .*\)/, '(to …)')])).toEqual([
      ['policy-error', '../my-policies/fifo/policy.yaml', 'invalid policy: the policy file is not a regular file (a device, pipe or socket) and was not read'],
      ['policy-error', '../my-policies/leak/policy.yaml', 'invalid policy: the policy file is a symbolic link that leads outside its policy directory (to …); it was not read'],
    ]);
    expect(report.findings.map((f: { policyId: string }) => f.policyId).sort()).toEqual(['cors-not-open', 'good']);
  });
});

describe('gatewarden policies test', () => {
  it('scans only case folders inside test/: a case named ../../.. or linked out of test/ is a problem, not a scan of elsewhere', async () => {
    const { root } = repositoryBesideSecrets({});
    write(root, {
      'outside/tf/main.tf': `resource "aws_apigatewayv2_api" "${CANARY}" {\n  name          = "x"\n  protocol_type = "HTTP"\n}\n`,
      'pol/p/policy.yaml': `id: p
title: Nothing passes
severity: low
category: authentication
description: A test policy.
remediation: None.
match: { kind: gateway }
assert: "false"
message: "{{gateway.name}} fails"
`,
      'pol/p/test/expected.yaml': 'cases:\n  ok: { findings: [] }\n  "../../../outside/tf": { findings: [{ entity: x, file: y, line: 1 }] }\n  linked: { findings: [{ entity: x, file: y, line: 1 }] }\n',
      'pol/p/test/ok/README.md': 'no gateway here\n',
    });
    symlinkSync(path.join(root, 'outside/tf'), path.join(root, 'pol/p/test/linked'));
    symlinkSync('/nonexistent', path.join(root, 'pol/dangling'));
    const result = await run(['policies', 'test', 'pol', '--format', 'json'], root);
    expect(everything(result)).not.toContain(CANARY);
    expect(result.stdout).toContain('case \\"../../../outside/tf\\" is not a folder name: each case is a folder directly inside test/');
    expect(result.stdout).toContain('case \\"linked\\": test/linked is a symbolic link that leads outside test/; it was not read');
  });
});
