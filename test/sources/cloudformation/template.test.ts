import { describe, expect, it } from 'vitest';
import { looksLikeTemplate, parseTemplate, TEMPLATE_SIZE_LIMIT } from '../../../src/sources/cloudformation/template.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('CloudFormation templates in YAML', () => {
  it('turns every short tag into its long form and keeps the line of each property', () => {
    const text = lines(
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Api:',
      '    Type: AWS::ApiGateway::RestApi',
      '    Properties:',
      '      Name: !Sub "${AWS::StackName}-api"',
      '      Description: !Join [" ", [!Ref Env, !GetAtt Table.Arn]]',
      '      Policy: !If [IsProd, !FindInMap [Envs, !Ref Env, Policy], !Ref AWS::NoValue]',
      '      Tags:',
      '        - Key: zone',
      '          Value: !Select [0, !GetAZs ""]',
      '        - Key: import',
      '          Value: !ImportValue shared-vpc',
      '        - Key: b64',
      '          Value: !Base64 hello',
      '        - Key: parts',
      '          Value: !Split [",", "a,b"]',
      '        - Key: cidr',
      '          Value: !Cidr ["10.0.0.0/16", 2, 8]',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  Either: !Or [!Condition IsProd, !Not [!And [!Condition IsProd, !Equals [a, b]]]]',
    );
    const { template, diagnostics } = parseTemplate('t.yaml', text);
    expect(diagnostics).toEqual([]);
    const api = (template!.data.Resources as Record<string, { Properties: Record<string, unknown> }>).Api!.Properties;
    expect(api.Name).toEqual({ 'Fn::Sub': '${AWS::StackName}-api' });
    expect(api.Description).toEqual({ 'Fn::Join': [' ', [{ Ref: 'Env' }, { 'Fn::GetAtt': ['Table', 'Arn'] }]] });
    expect(api.Policy).toEqual({ 'Fn::If': ['IsProd', { 'Fn::FindInMap': ['Envs', { Ref: 'Env' }, 'Policy'] }, { Ref: 'AWS::NoValue' }] });
    expect((api.Tags as Array<{ Value: unknown }>).map((tag) => tag.Value)).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::ImportValue': 'shared-vpc' },
      { 'Fn::Base64': 'hello' },
      { 'Fn::Split': [',', 'a,b'] },
      { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
    ]);
    const conditions = template!.data.Conditions as Record<string, unknown>;
    expect(conditions.Either).toEqual({
      'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] }] }],
    });
    const line = (...path: string[]) => template!.positions.nearest(path)?.startLine;
    expect(line('Resources', 'Api')).toBe(3);
    expect(line('Resources', 'Api', 'Properties', 'Policy')).toBe(8);
    expect(line('Resources', 'Api', 'Properties', 'Tags', '1', 'Value')).toBe(13);
    // Inside a tagged collection the position of the nested node is kept too.
    expect(line('Resources', 'Api', 'Properties', 'Description')).toBe(7);
  });

  it('resolves anchors and aliases, with each copy at the alias line', () => {
    const text = lines(
      'Resources:',
      '  Settings: &settings',
      '    Type: AWS::ApiGateway::Stage',
      '    Properties:',
      '      StageName: prod',
      '      MethodSettings:',
      '        - &throttle { HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 100 }',
      '  Other:',
      '    Type: AWS::ApiGateway::Stage',
      '    Properties:',
      '      StageName: dev',
      '      MethodSettings: [*throttle]',
      '  Copy: *settings',
    );
    const { template, diagnostics } = parseTemplate('t.yaml', text);
    expect(diagnostics).toEqual([]);
    const resources = template!.data.Resources as Record<string, { Properties: { StageName: string; MethodSettings: unknown[] } }>;
    expect(resources.Other!.Properties.MethodSettings).toEqual([{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100 }]);
    expect(resources.Copy!.Properties.StageName).toBe('prod');
    expect(template!.positions.nearest(['Resources', 'Copy'])?.startLine).toBe(13);
  });

  it('keeps the last of keys given twice, as CloudFormation does, with a warning naming the key and each line', () => {
    const text = lines(
      'Resources:',
      '  Api:',
      '    Type: AWS::ApiGateway::Method',
      '    Properties:',
      '      AuthorizationType: AWS_IAM',
      '      ApiKeyRequired: true',
      '    Properties:',
      '      AuthorizationType: NONE',
      '  Api:',
      '    Type: AWS::ApiGateway::Method',
      '    Properties: { AuthorizationType: COGNITO_USER_POOLS, AuthorizationType: NONE, HttpMethod: GET }',
    );
    const { template, diagnostics } = parseTemplate('t.yaml', text);
    expect(template!.data.Resources).toEqual({ Api: { Type: 'AWS::ApiGateway::Method', Properties: { AuthorizationType: 'NONE', HttpMethod: 'GET' } } });
    // Positions are the kept key's, and nothing under a dropped one is left to be found.
    const line = (...path: string[]) => template!.positions.nearest(path)?.startLine;
    expect(line('Resources', 'Api')).toBe(9);
    expect(line('Resources', 'Api', 'Properties', 'AuthorizationType')).toBe(11);
    expect(template!.positions.get(['Resources', 'Api', 'Properties', 'ApiKeyRequired'])).toBeUndefined();
    expect(diagnostics.map((d) => [d.severity, d.code, d.location?.startLine, d.message])).toEqual([
      ['warning', 'duplicate-key', 2, 'the key "Api" is given twice in Resources, at lines 2 and 9: CloudFormation keeps the last one (line 9) and ignores the others, and so does this scan; remove the ones not meant'],
      ['warning', 'duplicate-key', 11, 'the key "AuthorizationType" is given twice in Resources/Api/Properties, at lines 11 and 11: CloudFormation keeps the last one (line 11) and ignores the others, and so does this scan; remove the ones not meant'],
    ]);
  });

  it('keeps its warnings short on a key given thousands of times and on thousands of keys given twice', () => {
    const many = parseTemplate('t.yaml', lines('Resources:', '  Api:', '    Properties:', ...Array.from({ length: 5000 }, (_, i) => `      Name: n${i}`)));
    expect((many.template!.data.Resources as { Api: { Properties: unknown } }).Api.Properties).toEqual({ Name: 'n4999' });
    expect(many.diagnostics.map((d) => d.message)).toEqual([
      'the key "Name" is given 5,000 times in Resources/Api/Properties, at lines 4, 5, 6, ... and 5003: CloudFormation keeps the last one (line 5003) and ignores the others, and so does this scan; remove the ones not meant',
    ]);
    const twice = parseTemplate('t.yaml', lines('Resources:', '  Api:', '    Properties:', ...Array.from({ length: 1000 }, (_, i) => `      K${i}: a\n      K${i}: b`)));
    expect(twice.diagnostics).toHaveLength(21);
    expect(twice.diagnostics[20]).toMatchObject({ code: 'duplicate-key', location: { startLine: 44 }, message: '980 more keys are given more than once (the first at line 44); CloudFormation keeps the last of each, and so does this scan' });
  });

  // Shapes that PyYAML (the SAM CLI, cfn-lint) and SnakeYAML (CloudFormation) read and YAML 1.2 does
  // not: flow collections and quoted scalars indented less than their parent. Each row: the lines, a
  // value that must be read, and where a key after the shape must be (line and column, as written).
  const accepted: Array<[string, string[], string[], unknown, string[], number, number]> = [
    [
      'a flow mapping whose entries are at the key\'s indentation',
      ['Resources:', '  Api:', '    Properties:', '      Cors: {', '      AllowOrigin: "\'*\'",', '      AllowMethods: "\'GET\'"', '      }', '      Name: orders'],
      ['Resources', 'Api', 'Properties', 'Cors'],
      { AllowOrigin: "'*'", AllowMethods: "'GET'" },
      ['Resources', 'Api', 'Properties', 'Cors', 'AllowOrigin'],
      5,
      7,
    ],
    [
      'a flow sequence continued at column 0',
      ['Resources:', '  Api:', '    Properties:', '      Types: [EDGE,', 'REGIONAL]', '      Name: orders'],
      ['Resources', 'Api', 'Properties', 'Types'],
      ['EDGE', 'REGIONAL'],
      ['Resources', 'Api', 'Properties', 'Types', '1'],
      5,
      1,
    ],
    [
      'a flow mapping in a sequence, continued at the dash\'s indentation',
      ['Resources:', '  Stage:', '    Properties:', '      MethodSettings:', '      - { HttpMethod: "*",', '      ResourcePath: "/*", ThrottlingRateLimit: 10 }'],
      ['Resources', 'Stage', 'Properties', 'MethodSettings', '0'],
      { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10 },
      ['Resources', 'Stage', 'Properties', 'MethodSettings', '0', 'ThrottlingRateLimit'],
      6,
      27,
    ],
    [
      'a double-quoted scalar continued at column 0',
      ['Description: "Orders API,', 'for partners"', 'Resources:', '  Api:', '    Type: AWS::ApiGateway::RestApi'],
      ['Description'],
      'Orders API, for partners',
      ['Resources', 'Api', 'Type'],
      5,
      5,
    ],
    [
      'a single-quoted scalar continued less indented than its key, after a tab',
      ['Resources:', '  Api:', '    Properties:', "      Name: 'orders", "\tapi'", '      Description: x'],
      ['Resources', 'Api', 'Properties', 'Name'],
      'orders api',
      ['Resources', 'Api', 'Properties', 'Description'],
      6,
      7,
    ],
    [
      'a short-form function whose flow arguments go back to column 0',
      ['Resources:', '  Api:', '    Properties:', '      Name: !Join ["-", [', '"orders",', '!Ref Env]]', '      Other: 1'],
      ['Resources', 'Api', 'Properties', 'Name'],
      { 'Fn::Join': ['-', ['orders', { Ref: 'Env' }]] },
      ['Resources', 'Api', 'Properties', 'Other'],
      7,
      7,
    ],
  ];
  it.each(accepted)('reads %s, with positions as written', (_shape, text, valuePath, value, positionPath, line, column) => {
    const { template, diagnostics } = parseTemplate('t.yaml', lines(...text));
    expect(diagnostics).toEqual([]);
    let data: unknown = template!.data;
    for (const key of valuePath) data = (data as Record<string, unknown>)[key];
    expect(data).toEqual(value);
    expect(template!.positions.get(positionPath)).toMatchObject({ startLine: line, startColumn: column });
  });

  // What PyYAML rejects stays an error, at a line of the broken part (PyYAML names lines 7, 5, 5 and 2).
  const rejected: Array<[string, string[], number]> = [
    ['a flow mapping never closed', ['Resources:', '  Api:', '    Properties:', '      Cors: {', '        AllowOrigin: x', '', '  Other:', '    Type: AWS::SNS::Topic'], 5],
    ['a flow sequence continued by a line starting with a tab', ['Resources:', '  Api:', '    Properties:', '      Types: [EDGE,', '\tREGIONAL]'], 5],
    ['a plain scalar continued less indented than its key', ['Resources:', '  Api:', '    Properties:', '      Name: orders', '     api', '      Other: 1'], 5],
    ['a quoted scalar interrupted by a document marker', ['Description: "Orders', '---', 'API"', 'Resources: {}'], 1],
  ];
  it.each(rejected)('reports %s as a parse error at its line', (_shape, text, line) => {
    const { template, diagnostics } = parseTemplate('t.yaml', lines(...text));
    expect(template).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'parse-error', location: { file: 't.yaml', startLine: line }, message: expect.stringMatching(/^the template is not valid YAML: .*; it was not scanned \(fix the YAML at this line\)$/) });
  });

  it('stops a YAML alias bomb with a clear diagnostic instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const text = lines('AWSTemplateFormatVersion: "2010-09-09"', ...levels, 'Resources: {}');
    const started = process.hrtime.bigint();
    const { template, diagnostics } = parseTemplate('bomb.yaml', text);
    expect(template).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'limit', message: expect.stringMatching(/^the template's YAML aliases \(\*anchor\) expand to 1,234,567,800 nodes .*over the "yaml-alias-nodes" limit .*--limit yaml-alias-nodes=200000$/) })]);
    // 10^9 nodes if expanded; stopping early is what makes this return at all.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(10);
  });

  it('reports YAML syntax errors at their line', () => {
    const { template, diagnostics } = parseTemplate('t.yaml', lines('Resources:', '  Api:', '    Type: [unclosed'));
    expect(template).toBeUndefined();
    expect(diagnostics[0]).toEqual(expect.objectContaining({ severity: 'error', code: 'parse-error' }));
    expect(diagnostics[0]!.location?.startLine).toBeGreaterThanOrEqual(3);
  });
});

describe('CloudFormation templates in JSON', () => {
  it('keeps the line of every property', () => {
    const text = JSON.stringify({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders', Policy: { Statement: [] } } } } }, null, 2);
    const { template, diagnostics } = parseTemplate('t.json', text);
    expect(diagnostics).toEqual([]);
    expect(template!.format).toBe('json');
    expect(template!.positions.nearest(['Resources', 'Api', 'Properties', 'Name'])?.startLine).toBe(6);
  });

  it('keeps the last of keys given twice, as CloudFormation does, with a warning', () => {
    const text = lines('{', '  "Resources": {', '    "Api": { "Type": "AWS::ApiGateway::Method", "Properties": { "AuthorizationType": "AWS_IAM" } },', '    "Api": { "Type": "AWS::ApiGateway::Method" }', '  }', '}');
    const { template, diagnostics } = parseTemplate('t.json', text);
    expect(template!.data.Resources).toEqual({ Api: { Type: 'AWS::ApiGateway::Method' } });
    expect(template!.positions.nearest(['Resources', 'Api', 'Properties'])?.startLine).toBe(4);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'duplicate-key', location: expect.objectContaining({ startLine: 3 }), message: expect.stringContaining('the key "Api" is given twice in Resources, at lines 3 and 4') })]);
  });

  it('rejects comments, which CloudFormation does not accept in JSON', () => {
    const text = lines('{', '  "Resources": {', '    // the API', '    "Api": { "Type": "AWS::ApiGateway::RestApi" }', '  }', '}');
    const { template, diagnostics } = parseTemplate('t.json', text);
    expect(template).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'parse-error', location: expect.objectContaining({ startLine: 3 }) })]);
    expect(diagnostics[0]!.message).toMatch(/comments are not allowed/);
  });
});

describe('template size', () => {
  it('warns that a template over 1 MB would be rejected, and still scans it', () => {
    const description = 'x'.repeat(TEMPLATE_SIZE_LIMIT);
    const text = lines('Resources:', '  Api:', '    Type: AWS::ApiGateway::RestApi', '    Properties:', `      Description: ${description}`);
    const { template, diagnostics } = parseTemplate('big.yaml', text);
    expect(template).toBeDefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/over CloudFormation's 1 MB limit/) })]);
  });
});

describe('recognising a template by its content', () => {
  it.each([
    ['AWSTemplateFormatVersion: "2010-09-09"\nResources: {}', true],
    ['{"AWSTemplateFormatVersion": "2010-09-09"}', true],
    ['Resources:\n  Fn:\n    Type: AWS::Serverless::Function', true],
    ['{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi"}}}', true],
    ['# a long comment\nTransform: AWS::Serverless-2016-10-31\nGlobals: {}', true],
    ['{"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {}}', true],
    ['openapi: 3.0.0\npaths: {}', false],
    ['{"name": "gatewarden", "version": "1.0.0"}', false],
    ['Resources:\n  - kubernetes\nType: Deployment', false],
  ])('%j → %s', (head, expected) => {
    expect(looksLikeTemplate(head)).toBe(expected);
  });
});
