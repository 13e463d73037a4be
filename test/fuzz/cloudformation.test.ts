import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptAwsCloudFormation } from '../../providers/aws/cloudformation/index.js';
import { expandSam } from '../../providers/aws/cloudformation/sam.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { cfnParameters } from '../../src/sources/cloudformation/read.js';
import { loadStack } from '../../src/sources/cloudformation/stack.js';
import { parseTemplate } from '../../src/sources/cloudformation/template.js';
import { arbitraryText, expectDiagnosticsInside, expectLocationInside, fuzzFixture, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';
import { FileAccess, type FileRefusal } from '../../src/sources/file-access.js';

const YAML_TOKENS = ['AWSTemplateFormatVersion: 2010-09-09\n', 'Transform: AWS::Serverless-2016-10-31\n', 'Resources:\n', '  Api:\n', '    Type: AWS::ApiGateway::RestApi\n', '    Type: AWS::Serverless::Api\n', '    Properties:\n', '      Name: ', '!Ref ', '!GetAtt ', '!Sub ', '!If ', '!Join ', '!Select ', '!FindInMap ', 'Fn::If', '&a ', '*a', '<<: ', '- ', ': ', '? ', '[', ']', '{', '}', ',', '"', "'", '|\n', '>-\n', '#', '---\n', '...\n', '%YAML 1.2\n', '\n', '  ', '\t', '!!binary ', '!!str ', '~', 'null', 'Condition: ', 'Conditions:\n', 'Parameters:\n', 'Default: ', 'Metadata:\n', 'gatewarden:\n', 'ignore:\n'];
const JSON_TOKENS = ['{', '}', '[', ']', ':', ',', '"', '"Resources"', '"Type"', '"AWS::ApiGateway::RestApi"', '"Properties"', '"Ref"', '"Fn::GetAtt"', '"Fn::Sub"', '"Fn::If"', '"Condition"', '1', 'true', 'null', '\\u0000', '\n'];

const templateSeeds = seeds(
  (file) =>
    /\.(ya?ml|json)$/.test(file) &&
    (file.startsWith('test/fixtures/cloudformation/') || file.startsWith('test/fixtures/sam') || file.startsWith('test/fixtures/aws/model-cfn') || file.startsWith('test/fixtures/conformance/cloudformation') || file.startsWith('samples/aws-sam') || file.startsWith('test/fixtures/cdk/')),
);

/** Reads a template as a scan would: parse, load the stack, expand SAM, adapt; returns every diagnostic about the file. */
function readTemplate(file: string, text: string): Diagnostic[] {
  const parsed = parseTemplate(file, text);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.template) {
    const notRead: FileRefusal = { ok: false, refusal: 'not-found', message: 'nested templates are not read in this test' };
    const access = new FileAccess({ roots: ['/fuzz'], display: (path) => path });
    const stack = loadStack(parsed.template, { parameters: new Map(), readTemplate: () => notRead, relative: (path) => path, templatePath: `/fuzz/${file}`, access });
    diagnostics.push(...stack.diagnostics);
    const sam = expandSam(stack.resources);
    diagnostics.push(...sam.diagnostics);
    const adapted = adaptAwsCloudFormation(sam.resources, 'fuzz');
    diagnostics.push(...adapted.diagnostics);
    for (const entity of adapted.entities) if (entity.location.file === file) expectLocationInside(entity.location, file, text);
  }
  return diagnostics.filter((diagnostic) => diagnostic.location?.file === file);
}

describe('the CloudFormation reader on arbitrary and mutated input', () => {
  it('finds realistic templates to mutate', () => {
    expect(templateSeeds.length).toBeGreaterThan(15);
  });

  it('reads any text into resources or diagnostics inside it, through the stack loader and the adapter', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          arbitraryText(YAML_TOKENS).map((text) => ({ file: 'template.yaml', text })),
          arbitraryText(JSON_TOKENS).map((text) => ({ file: 'template.json', text: `{${text}` })),
          mutatedSeed(templateSeeds, [...YAML_TOKENS, ...JSON_TOKENS]),
        ),
        ({ text }) => {
          expectDiagnosticsInside(readTemplate('template.yaml', text), 'template.yaml', text);
        },
      ),
      { numRuns: runs(60) },
    );
  });

  it('reads a YAML template the same after a comment line above it, every position one line lower', () => {
    const yamlSeeds = templateSeeds.filter((seed) => /\.ya?ml$/.test(seed.file) && parseTemplate(seed.file, seed.text).template);
    fc.assert(
      fc.property(fc.constantFrom(...yamlSeeds), fc.constantFrom('# a comment\n', '\n', '#gatewarden:ignore x\n'), ({ text }, line) => {
        const before = parseTemplate('t.yaml', text).template!;
        const after = parseTemplate('t.yaml', line + text).template!;
        expect(after.data).toEqual(before.data);
        for (const path of before.positions.paths()) expect(after.positions.get(path)!.startLine).toBe(before.positions.get(path)!.startLine + 1);
      }),
      { numRuns: runs(40) },
    );
  });
});

describe('CloudFormation inputs that crashed or hung the reader (test/fixtures/fuzz)', () => {
  it('reports a JSON template nested 10,000 levels as over the depth limit at the bracket that went over', () => {
    const text = `{"Resources": ${fuzzFixture('json/deep-array.json.fuzz')}}`;
    expect(parseTemplate('t.json', text).diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ startLine: 1, startColumn: 214 }) })]);
  });

  it('reports a YAML template nested 10,000 levels as over the depth limit, however many times it is read', () => {
    // Composed, this overflowed the yaml library's recursion, which it caught; but the fourth parse in
    // one process aborted it (V8: "RegExpCompiler Allocation failed - process out of memory").
    const text = fuzzFixture('yaml/deep-flow.yaml.fuzz');
    for (let i = 0; i < 5; i++) {
      expect(parseTemplate('t.yaml', text).diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ startLine: 2 }) })]);
    }
  });

  it('reads a template of thousands of chained anchors in linear time, stopping at the alias bound', () => {
    // Alias.resolve() walked the whole document for every alias: 5,000 anchors took 8 s, 20,000 minutes.
    const text = fuzzFixture('yaml/alias-chain.yaml.fuzz');
    const started = performance.now();
    const diagnostics = parseTemplate('t.yaml', text).diagnostics;
    expect(performance.now() - started).toBeLessThan(5_000);
    // Each anchor holds the previous one: expanded, 12.5 million nodes, over the yaml-alias-nodes limit.
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'limit', message: expect.stringContaining('expand to 12,507,501 nodes') })]);
  });

  it('stops aliases that would add more nodes than the yaml-alias-nodes limit, with a limit diagnostic', () => {
    const big = `big: &big [${Array.from({ length: 2_000 }, (_, i) => i).join(', ')}]\n`;
    const text = `AWSTemplateFormatVersion: 2010-09-09\n${big}Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Tags: [${Array(60).fill('*big').join(', ')}]\n`;
    expect(parseTemplate('t.yaml', text).diagnostics).toEqual([expect.objectContaining({ code: 'limit', message: expect.stringContaining('"yaml-alias-nodes"') })]);
    expect(parseTemplate('t.yaml', text, { depth: 200, 'yaml-alias-nodes': 1_000_000 }).template).toBeDefined();
  });

  it('reports a --parameter-file nested 10,000 levels as over the depth limit and reads the other files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-fuzz-'));
    writeFileSync(path.join(dir, 'deep.json'), `[{"ParameterKey": "A", "ParameterValue": ${fuzzFixture('json/deep-array.json.fuzz')}}]`);
    writeFileSync(path.join(dir, 'fine.json'), '[{"ParameterKey": "B", "ParameterValue": "b"}]');
    const diagnostics: Diagnostic[] = [];
    const values = cfnParameters({ parameterFiles: ['deep.json', 'fine.json'] }, dir, diagnostics, (file) => path.relative(dir, file), new FileAccess({ roots: [dir], display: (file) => path.relative(dir, file) }));
    expect([...values.keys()]).toEqual(['B']);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ file: 'deep.json', startLine: 1 }) })]);
  });

  it('stops a billion laughs at the yaml-alias-nodes limit, before expanding it', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 0; i < 9; i++) levels.push(`b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(', ')}]`);
    const text = `${levels.join('\n')}\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: *b8\n`;
    expect(parseTemplate('t.yaml', text).diagnostics).toEqual([expect.objectContaining({ code: 'limit', message: expect.stringContaining('"yaml-alias-nodes"') })]);
  });
});
