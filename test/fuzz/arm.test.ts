import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptAzureArm } from '../../providers/azure/arm/index.js';
import { ArmEvaluator } from '../../src/sources/arm/expressions.js';
import { parseArmParameterFile } from '../../src/sources/arm/parameters.js';
import { loadArmTemplate } from '../../src/sources/arm/resources.js';
import { ArmSyntaxError, parseArmExpression } from '../../src/sources/arm/syntax.js';
import { parseArmTemplate } from '../../src/sources/arm/template.js';
import { arbitraryText, expectDiagnosticsInside, expectLocationInside, fuzzFixture, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';

const JSON_TOKENS = ['{', '}', '[', ']', ':', ',', '"', '"$schema"', '"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"', '"resources"', '"type"', '"Microsoft.ApiManagement/service"', '"Microsoft.Resources/deployments"', '"name"', '"properties"', '"copy"', '"count"', '"input"', '"parameters"', '"variables"', '"defaultValue"', '"value"', '"template"', '"[parameters(\'a\')]"', '"[variables(\'b\')]"', '"[copyIndex()]"', '"[concat(\'a\', \'/b\')]"', '"[[literal]"', '1', '-1', '1e400', 'true', 'null', '//', '/*', '*/', '\n', '\ufeff'];
const EXPRESSION_TOKENS = ['concat(', 'format(', 'parameters(', 'variables(', 'copyIndex(', 'resourceId(', 'reference(', 'listKeys(', 'if(', 'and(', 'or(', 'not(', 'equals(', 'json(', 'string(', 'int(', 'length(', 'substring(', 'replace(', 'split(', 'createArray(', 'createObject(', 'union(', 'first(', 'last(', 'range(', 'uriComponentToString(', 'base64ToString(', 'padLeft(', 'skip(', 'take(', 'contoso.fn(', ')', '(', ',', '.', '[', ']', "'", "''", "'a'", "'{0}'", "'[[]'", "'%'", '1', '-1', '999999999', 'true', 'null', 'x', ' '];

const armSeeds = seeds((file) => file.endsWith('.json') && (file.startsWith('test/fixtures/arm/') || file.startsWith('test/fixtures/azure/arm')));
const templateSeeds = armSeeds.filter((seed) => seed.text.includes('deploymentTemplate.json'));
const parameterSeeds = armSeeds.filter((seed) => seed.text.includes('deploymentParameters.json'));

describe('the ARM readers on arbitrary and mutated input', () => {
  it('finds realistic templates and parameter files to mutate', () => {
    expect(templateSeeds.length).toBeGreaterThan(3);
    expect(parameterSeeds.length).toBeGreaterThan(0);
  });

  it('reads any text into resources or diagnostics inside it, through expression evaluation and the adapter', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(JSON_TOKENS).map((text) => ({ file: 't.json', text })), mutatedSeed(templateSeeds, JSON_TOKENS)), ({ text }) => {
        const parsed = parseArmTemplate('t.json', text);
        expectDiagnosticsInside(parsed.diagnostics, 't.json', text);
        if (!parsed.template) return;
        const loaded = loadArmTemplate(parsed.template, { parameters: new Map() });
        expectDiagnosticsInside(loaded.diagnostics, 't.json', text);
        const adapted = adaptAzureArm(loaded.resources, 'fuzz');
        expectDiagnosticsInside(
          adapted.diagnostics.filter((diagnostic) => diagnostic.location?.file === 't.json'),
          't.json',
          text,
        );
        for (const entity of adapted.entities) expectLocationInside(entity.location, 't.json', text);
      }),
      { numRuns: runs(100) },
    );
  });

  it('reads any parameter file into values or diagnostics inside it', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(JSON_TOKENS).map((text) => ({ file: 'p.json', text })), mutatedSeed(parameterSeeds, JSON_TOKENS)), ({ text }) => {
        const parsed = parseArmParameterFile('p.json', text);
        expectDiagnosticsInside(parsed.diagnostics, 'p.json', text);
        for (const given of parsed.parameters.values()) if (given.origin.kind === 'file') expectLocationInside(given.origin.location, 'p.json', text);
      }),
    );
  });

  it('parses any expression or throws ArmSyntaxError, and evaluates any template string to a value', () => {
    const template = parseArmTemplate('t.json', '{"parameters": {"a": {"type": "string", "defaultValue": "x"}}, "variables": {"b": "[parameters(\'a\')]"}}').template!;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EXPRESSION_TOKENS), { maxLength: 40 }).map((parts) => parts.join('')), (source) => {
        try {
          parseArmExpression(source);
        } catch (error) {
          if (!(error instanceof ArmSyntaxError)) throw error;
        }
        const evaluator = new ArmEvaluator({ template, root: [], data: template.data, parameters: new Map() });
        evaluator.evaluateString(`[${source}]`, ['resources', '0', 'name']);
        expectDiagnosticsInside(evaluator.diagnostics, 't.json', '{}');
      }),
      { numRuns: runs(300) },
    );
  });

  it('reads a template the same after a comment line above it, every position one line lower', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templateSeeds), fc.constantFrom('// a comment\n', '/* a\n */', '\n'), ({ text }, comment) => {
        const before = parseArmTemplate('t.json', text).template!;
        const after = parseArmTemplate('t.json', comment + text).template!;
        const shift = comment.split('\n').length - 1;
        expect(after.data).toEqual(before.data);
        for (const path of before.positions.paths()) expect(after.positions.get(path)!.startLine).toBe(before.positions.get(path)!.startLine + shift);
      }),
      { numRuns: runs(20) },
    );
  });
});

describe('ARM inputs that crashed a reader (test/fixtures/fuzz)', () => {
  it('reports a template nested 10,000 levels as over the depth limit at the bracket that went over', () => {
    const text = `{"resources": ${fuzzFixture('json/deep-array.json.fuzz')}}`;
    expect(parseArmTemplate('t.json', text).diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ startLine: 1, startColumn: 214 }) })]);
  });

  it('reports a parameter file nested 10,000 levels as over the depth limit', () => {
    const text = `{"parameters": {"a": {"value": ${fuzzFixture('json/deep-array.json.fuzz')}}}}`;
    const parsed = parseArmParameterFile('p.json', text);
    expect(parsed.parameters.size).toBe(0);
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'limit' })]);
  });

  it('reads json() of text nested 10,000 levels as unknown', () => {
    const template = parseArmTemplate('t.json', '{}').template!;
    const evaluator = new ArmEvaluator({ template, root: [], data: template.data, parameters: new Map() });
    const deep = fuzzFixture('json/deep-array.json.fuzz').trim();
    expect(evaluator.evaluateString(`[json('${deep}')]`, [])).toMatchObject({ reason: expect.stringContaining('"depth" limit') });
  });
});
