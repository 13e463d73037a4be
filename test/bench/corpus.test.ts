import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
// The harness is plain JavaScript (bench/corpus/peers.mjs): its pure parts are tested here, since a
// wrong reading of a peer's labels would silently change every figure of bench/corpus/RESULTS.md.
import { CONCERN_ORDER, CONCERNS, DELIBERATE, cloudFormationResources, readCfnNag, readCheckov, terraformStubs } from '../../bench/corpus/peers.mjs';
import { checkOf, readOwnCases } from '../../bench/corpus/cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A git copy in memory, as the readers see one. */
function fakeGit(files: Record<string, string>): { list: (prefix: string) => string[]; read: (file: string) => string | undefined } {
  return { list: (prefix) => Object.keys(files).filter((file) => file.startsWith(prefix)), read: (file) => files[file] };
}

describe('bench/corpus peers', () => {
  it('maps every peer check to a known concern', () => {
    for (const concern of Object.values(CONCERNS)) expect(CONCERN_ORDER).toContain(concern);
    for (const key of Object.keys(DELIBERATE)) expect(key).toMatch(/^(checkov|cfn-nag|trivy) \S+ /);
  });

  it('reads Checkov labels from passing_resources and failing_resources, and the check id from the check module', () => {
    const read = readCheckov(
      fakeGit({
        'tests/terraform/checks/resource/aws/test_APIGatewayThing.py': [
          'from checkov.terraform.checks.resource.aws.APIGatewayThing import check',
          'test_files_dir = os.path.join(current_dir, "example_APIGatewayThing")',
          'passing_resources = {',
          '    "aws_api_gateway_stage.good",',
          '}',
          'failing_resources = {"aws_api_gateway_stage.bad"}',
        ].join('\n'),
        'checkov/terraform/checks/resource/aws/APIGatewayThing.py': '        id = "CKV_AWS_76"\n',
        'tests/terraform/checks/resource/aws/example_APIGatewayThing/main.tf': 'resource "aws_api_gateway_stage" "good" {}\n',
        'tests/terraform/checks/resource/aws/test_Unrelated.py': 'passing_resources = {"x.y"}',
      }),
    );
    expect(read.groups.map((group) => [group.dir, Object.keys(group.files)])).toEqual([
      ['tests/terraform/checks/resource/aws/example_APIGatewayThing', ['tests/terraform/checks/resource/aws/example_APIGatewayThing/main.tf']],
    ]);
    expect(read.cases.map((kase) => `${kase.check} ${kase.label} ${kase.resource.type}.${kase.resource.name}`)).toEqual([
      'CKV_AWS_76 positive aws_api_gateway_stage.bad',
      'CKV_AWS_76 negative aws_api_gateway_stage.good',
    ]);
  });

  it('reads cfn_nag labels: the offending ids are positives, other resources of the audited type negatives', () => {
    const template = ['Resources:', '  Open:', '    Type: AWS::ApiGateway::Method', '  Closed:', '    Type: "AWS::ApiGateway::Method"', '  Api:', '    Type: AWS::ApiGateway::RestApi', ''].join('\n');
    const read = readCfnNag(
      fakeGit({
        'spec/custom_rules/ApiGatewayMethodAuthorizationTypeRule_spec.rb': "describe Rule do\n  it 'Returns offending' do\n    read_test_template(\n 'yaml/api_gateway/m.yaml'\n)\n    expected_logical_resource_ids = %w[Open]\n  end\n",
        'lib/cfn-nag/custom_rules/ApiGatewayMethodAuthorizationTypeRule.rb': "  def rule_id\n    'W59'\n  end\n",
        'spec/test_templates/yaml/api_gateway/m.yaml': template,
      }),
    );
    expect(read.cases.map((kase) => `${kase.check} ${kase.label} ${kase.resource.name}`)).toEqual(['W59 positive Open', 'W59 negative Closed']);
    expect(cloudFormationResources(template, 'm.yaml')).toEqual([
      ['Open', 'AWS::ApiGateway::Method'],
      ['Closed', 'AWS::ApiGateway::Method'],
      ['Api', 'AWS::ApiGateway::RestApi'],
    ]);
  });

  it('stubs what a Terraform fragment references but does not declare, and nothing else', () => {
    const fragment = 'resource "aws_api_gateway_method_settings" "s" {\n  rest_api_id = aws_api_gateway_rest_api.test.id\n  stage_name  = aws_api_gateway_stage.test.stage_name\n}\n';
    expect(terraformStubs({ 'main.tf': fragment })).toBe(
      [
        '# Added by bench/corpus: declares what the fixture references but does not declare.',
        'resource "aws_api_gateway_rest_api" "test" {\n  name = "test"\n}\n',
        'resource "aws_api_gateway_stage" "test" {\n  rest_api_id   = aws_api_gateway_rest_api.test.id\n  deployment_id = "corpusstub"\n  stage_name    = "test"\n}\n',
      ].join('\n'),
    );
    expect(terraformStubs({ 'main.tf': 'resource "aws_api_gateway_rest_api" "a" {\n  name = "a"\n}\n' })).toBeUndefined();
    expect(terraformStubs({ 'template.yaml': 'Resources: {}' })).toBeUndefined();
  });
});

describe('bench/corpus cases written here', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-own-cases-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), text);
  };

  it('reads a label file into a case of its concern, and leaves out malformed ones with why', () => {
    write('cors/open/case.yaml', ['concern: cors', 'expected: positive', 'policies: [cors-not-open]', 'models: [KICS CORS]', 'entity: { kind: terraform, type: aws_apigatewayv2_api, name: shop }', 'why: Any origin.'].join('\n'));
    write('cors/open/main.tf', 'resource "aws_apigatewayv2_api" "shop" {}\n');
    write('cors/wrong-concern/case.yaml', ['concern: auth', 'expected: positive', 'policies: [x]', 'models: [y]', 'entity: { kind: file, file: a.yaml }', 'why: z'].join('\n'));
    write('cors/wrong-concern/a.yaml', 'openapi: 3.0.0\n');
    write('cors/no-label/main.tf', '\n');
    write('cors/no-entity/case.yaml', ['concern: cors', 'expected: negative', 'policies: [x]', 'models: [y]', 'why: z'].join('\n'));
    write('cors/no-entity/main.tf', '\n');
    const read = readOwnCases(scratch, parseYaml, CONCERN_ORDER);
    expect(read.groups).toEqual([{ dir: 'cases/cors/open', files: { 'cases/cors/open/main.tf': 'resource "aws_apigatewayv2_api" "shop" {}\n' } }]);
    expect(read.cases).toEqual([
      {
        peer: 'cases',
        check: 'KICS CORS',
        group: 'cases/cors/open',
        resource: { kind: 'terraform', type: 'aws_apigatewayv2_api', name: 'shop' },
        label: 'positive',
        shown: 'cors/open (aws_apigatewayv2_api.shop)',
        concern: 'cors',
        policies: ['cors-not-open'],
        models: ['KICS CORS'],
        why: 'Any origin.',
      },
    ]);
    expect(read.skipped.map((line) => line.replace(/ \(.*\)/, ''))).toEqual([
      'cases/cors/no-entity: entity needs a kind; not measured',
      'cases/cors/no-label: no readable case.yaml; not measured',
      'cases/cors/wrong-concern: concern "auth" is not its folder\'s, cors; not measured',
    ]);
  });

  it('tallies a case under the first peer check id its models name, else its first model', () => {
    expect(checkOf(['Google Cloud: quotas', 'Checkov CKV2_AWS_29', 'cfn_nag W64'])).toBe('CKV2_AWS_29');
    expect(checkOf(['Trivy AVD-AWS-0004'])).toBe('AWS-0004');
    expect(checkOf(['cdk-nag AwsSolutions-APIG4', 'cfn_nag W59'])).toBe('AwsSolutions-APIG4');
    expect(checkOf(['KICS: API Gateway CORS allows all origins', 'CWE-798'])).toBe('KICS: API Gateway CORS allows all origins');
  });

  // The committed cases: every label file well formed, every concern with at least three cases of
  // each label, every policy named a built-in one, and every entity declared in the case's files.
  const casesDir = path.join(root, 'bench', 'corpus', 'cases');
  const own = readOwnCases(casesDir, parseYaml, CONCERN_ORDER);
  const builtIn = new Set(
    readdirSync(path.join(root, 'policies')).flatMap((category) =>
      existsSync(path.join(root, 'policies', category)) ? readdirSync(path.join(root, 'policies', category)).filter((id) => existsSync(path.join(root, 'policies', category, id, 'policy.yaml'))) : [],
    ),
  );

  it('has well-formed label files only', () => {
    expect(own.skipped).toEqual([]);
  });

  it('has at least three positive and three negative cases for every concern', () => {
    for (const concern of CONCERN_ORDER) {
      const rows = own.cases.filter((kase) => kase.concern === concern);
      expect({ concern, positives: rows.filter((kase) => kase.label === 'positive').length >= 3, negatives: rows.filter((kase) => kase.label === 'negative').length >= 3 }).toEqual({ concern, positives: true, negatives: true });
    }
  });

  it('names built-in policies and entities its files declare', () => {
    for (const kase of own.cases) {
      for (const id of kase.policies) expect({ case: kase.shown, id, builtIn: builtIn.has(id) }).toEqual({ case: kase.shown, id, builtIn: true });
      const files = own.groups.find((group) => group.dir === kase.group)?.files ?? {};
      const texts = Object.entries(files).filter(([file]) => kase.file === undefined || file === kase.file);
      const { kind, type, name } = kase.resource;
      const declared = texts.some(([file, text]) => {
        if (kind === 'file') return true;
        if (kind === 'terraform') return text.includes(`resource "${type}" "${name}"`);
        if (kind === 'cloudformation') return cloudFormationResources(text, file).some(([id, resourceType]) => id === name && resourceType === type);
        return text.includes(`"type": "${type}"`) && new RegExp(`"name": "([^"]*/)?${name}"`).test(text);
      });
      expect({ case: kase.shown, declared }).toEqual({ case: kase.shown, declared: true });
    }
  });
});
