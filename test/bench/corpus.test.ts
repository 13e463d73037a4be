import { describe, expect, it } from 'vitest';
// The harness is plain JavaScript (bench/corpus/peers.mjs): its pure parts are tested here, since a
// wrong reading of a peer's labels would silently change every figure of bench/corpus/RESULTS.md.
import { CONCERN_ORDER, CONCERNS, DELIBERATE, cloudFormationResources, readCfnNag, readCheckov, terraformStubs } from '../../bench/corpus/peers.mjs';

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
