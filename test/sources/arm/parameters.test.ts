import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileAccess } from '../../../src/sources/file-access.js';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { Unknown } from '../../../src/model/unknown.js';
import { armParameters, looksLikeArmParameterFile, parseArmParameterFile } from '../../../src/sources/arm/parameters.js';
import { loadArmTemplate } from '../../../src/sources/arm/resources.js';
import { parseArmTemplate } from '../../../src/sources/arm/template.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/arm');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const lineOf = (name: string, text: string): number => fixture(name).split('\n').findIndex((line) => line.includes(text)) + 1;

describe('ARM parameter files', () => {
  it('are told from templates by $schema', () => {
    expect(looksLikeArmParameterFile(fixture('apim.parameters.json'))).toBe(true);
    expect(looksLikeArmParameterFile(fixture('apim-nested.json'))).toBe(false);
  });

  it('give located values, Key Vault references as Unknown, and warn about entries without a value', () => {
    const file = 'apim.parameters.json';
    const { parameters, diagnostics } = parseArmParameterFile(file, fixture(file));
    expect([...parameters.keys()]).toEqual(['apimName', 'sku', 'skuCount', 'ordersApiKey', 'enableLegacyApi']);
    expect(parameters.get('apimName')).toEqual({ value: 'contoso-prod-apim', origin: { kind: 'file', location: expect.objectContaining({ file, startLine: lineOf(file, '"contoso-prod-apim"') }) } });
    expect(parameters.get('skuCount')!.value).toBe(2);
    expect(parameters.get('enableLegacyApi')!.value).toBe(true);
    const key = parameters.get('ordersApiKey')!;
    expect((key.value as Unknown).reason).toBe('parameter ordersApiKey is read from Key Vault at deployment (secret orders-api-key)');
    expect(key.origin).toEqual({ kind: 'key-vault', location: expect.objectContaining({ startLine: lineOf(file, '"reference"') }) });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'unsupported',
        message: 'the parameter file has entries without a value or a Key Vault reference (extraApis); they are not used',
        location: expect.objectContaining({ startLine: lineOf(file, '"extraApis"') }),
      }),
    ]);
  });

  it('report syntax errors and files without parameters', () => {
    expect(parseArmParameterFile('p.json', '{\n  "parameters": {\n    "a": { "value": 1 }\n    "b": {}\n  }\n}\n').diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'parse-error', message: 'the parameter file is not valid JSON (comma expected); its values are not used', location: expect.objectContaining({ startLine: 4 }) }),
    ]);
    expect(parseArmParameterFile('p.json', '{ "a": { "value": 1 } }').diagnostics).toEqual([expect.objectContaining({ code: 'read-error', message: expect.stringContaining('has no "parameters" object') })]);
  });

  it('are read from disk with command-line values winning, unreadable and Bicep files reported', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-arm-'));
    writeFileSync(path.join(dir, 'dev.parameters.json'), JSON.stringify({ parameters: { apimName: { value: 'dev-apim' }, sku: { value: 'Developer' } } }));
    const diagnostics: Diagnostic[] = [];
    const values = armParameters(
      { parameterFiles: ['dev.parameters.json', 'missing.json', 'main.bicepparam'], parameters: new Map([['sku', 'Basic']]) },
      dir,
      diagnostics,
      (file) => path.relative(dir, file),
      new FileAccess({ roots: [dir], display: (file) => path.relative(dir, file) }),
    );
    expect(values.get('apimName')).toEqual({ value: 'dev-apim', origin: { kind: 'file', location: expect.objectContaining({ file: 'dev.parameters.json', startLine: 1 }) } });
    expect(values.get('sku')).toEqual({ value: 'Basic', origin: { kind: 'command-line' } });
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}`)).toEqual(['error read-error missing.json', 'warning unsupported main.bicepparam']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('feed a template: values, conditions and sources follow the file', () => {
    const given = parseArmParameterFile('apim.parameters.json', fixture('apim.parameters.json')).parameters;
    const { template } = parseArmTemplate('apim-nested.json', fixture('apim-nested.json'));
    const result = loadArmTemplate(template!, { parameters: given });
    const service = result.resources[0]!;
    expect(service.address).toBe('Microsoft.ApiManagement/service/contoso-prod-apim');
    expect(service.body.sku).toEqual({ name: 'Premium', capacity: 2 });
    expect(result.resources.some((r) => r.address.endsWith('/apis/legacy-orders'))).toBe(true);
    const namedValue = result.resources.find((r) => r.type === 'Microsoft.ApiManagement/service/namedValues')!;
    expect((namedValue.properties.value as Unknown).reason).toMatch(/read from Key Vault at deployment/);
    expect(namedValue.parameterReferences[0]!.parameter.source.kind).toBe('key-vault');
    expect(result.parameters.find((p) => p.name === 'apimName')!.source).toMatchObject({ kind: 'file', location: { file: 'apim.parameters.json' } });
  });
});
