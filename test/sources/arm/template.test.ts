import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { looksLikeArmTemplate, parseArmTemplate } from '../../../src/sources/arm/template.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/arm');
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('ARM template detection', () => {
  it('recognises resource group, subscription, management group and tenant deployment templates by $schema', () => {
    for (const schema of [
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#',
      'https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#',
    ]) {
      expect(looksLikeArmTemplate(`{\n  "$schema": "${schema}",\n  "contentVersion": "1.0.0.0"`), schema).toBe(true);
    }
    expect(looksLikeArmTemplate(readFileSync(path.join(fixtures, 'ugly.json'), 'utf8').slice(0, 500))).toBe(true);
  });

  it('does not take parameter files, CloudFormation or other JSON for templates', () => {
    expect(looksLikeArmTemplate('{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#" }')).toBe(false);
    expect(looksLikeArmTemplate('{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {} }')).toBe(false);
    expect(looksLikeArmTemplate('{ "$schema": "http://json-schema.org/draft-07/schema#", "title": "deploymentTemplate.json" }')).toBe(false);
  });
});

describe('parsing ARM templates', () => {
  it('accepts // and /* */ comments and trailing commas, with a position for every property and array item', () => {
    const text = lines(
      '// leading comment',
      '{',
      '  /* block',
      '     comment */',
      '  "resources": [',
      '    {',
      '      "type": "Microsoft.ApiManagement/service", // trailing comment',
      '      "properties": { "publisherEmail": "a@b.example", },',
      '    },',
      '    "second",',
      '  ],',
      '}',
    );
    const { template, diagnostics } = parseArmTemplate('t.json', text);
    expect(diagnostics).toEqual([]);
    expect(template!.data).toEqual({ resources: [{ type: 'Microsoft.ApiManagement/service', properties: { publisherEmail: 'a@b.example' } }, 'second'] });
    const line = (...p: string[]) => template!.positions.get(p)?.startLine;
    expect(line('resources')).toBe(5);
    expect(line('resources', '0')).toBe(6);
    expect(line('resources', '0', 'type')).toBe(7);
    expect(line('resources', '0', 'properties', 'publisherEmail')).toBe(8);
    expect(line('resources', '1')).toBe(10);
    expect(template!.positions.get(['resources', '0'])?.endLine).toBe(9);
  });

  it('reports a syntax error with its line, and does not scan the template', () => {
    const text = lines('{', '  "resources": [', '    { "type": "a" }', '    { "type": "b" }', '  ]', '}');
    const { template, diagnostics } = parseArmTemplate('broken.json', text);
    expect(template).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'parse-error', message: 'the template is not valid JSON (comma expected); it was not scanned', location: expect.objectContaining({ file: 'broken.json', startLine: 4 }) }),
    ]);
  });

  it('reports a template that is not an object', () => {
    expect(parseArmTemplate('a.json', '[1, 2]').diagnostics[0]).toMatchObject({ code: 'parse-error', message: expect.stringContaining('it is not an object') });
  });

  it('ignores a byte order mark, keeps __proto__ as data, and reads the last of a duplicated key with a warning', () => {
    const text = '\uFEFF{\n  "variables": { "__proto__": { "polluted": true }, "a": 1,\n  "a": 2 }\n}\n';
    const { template, diagnostics } = parseArmTemplate('t.json', text);
    const variables = template!.data.variables as Record<string, unknown>;
    expect(variables.a).toBe(2);
    expect(Object.hasOwn(variables, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(template!.positions.get(['variables', 'a'])?.startLine).toBe(3);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: 'the property a is written twice in this object; the last one is read' })]);
  });

  it('keeps \\r\\n escapes of a multi-line policy as text and locates it', () => {
    const text = readFileSync(path.join(fixtures, 'apim-nested.json'), 'utf8');
    const { template, diagnostics } = parseArmTemplate('apim-nested.json', text);
    expect(diagnostics).toEqual([]);
    const policy = ((template!.data.resources as Array<{ resources: Array<{ properties: { value: string } }> }>)[0]!.resources[0]!.properties.value);
    expect(policy.split('\r\n')).toHaveLength(18);
    const line = text.split('\n').findIndex((l) => l.includes('"value": "<policies>\\r\\n')) + 1;
    expect(template!.positions.get(['resources', '0', 'resources', '0', 'properties', 'value'])?.startLine).toBe(line);
  });
});
