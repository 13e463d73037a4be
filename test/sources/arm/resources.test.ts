import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import type { GivenArmParameter } from '../../../src/sources/arm/parameters.js';
import { loadArmTemplate, type ArmLoadResult, type ArmResource } from '../../../src/sources/arm/resources.js';
import { parseArmTemplate } from '../../../src/sources/arm/template.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/arm');
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function fixture(name: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8');
}

function load(name: string, parameters: ReadonlyMap<string, GivenArmParameter> = new Map()): ArmLoadResult {
  const { template, diagnostics } = parseArmTemplate(name, fixture(name));
  expect(diagnostics).toEqual([]);
  return loadArmTemplate(template!, { parameters });
}

function loadInline(template: Record<string, unknown>, parameters: ReadonlyMap<string, GivenArmParameter> = new Map()): ArmLoadResult {
  const { template: parsed } = parseArmTemplate('t.json', JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...template }, null, 2));
  return loadArmTemplate(parsed!, { parameters });
}

/** The line of the one line of a fixture that contains the text. */
function lineOf(name: string, text: string, occurrence = 0): number {
  const lines = fixture(name).split('\n');
  const found = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
  expect(found.length).toBeGreaterThan(occurrence);
  return found[occurrence]!;
}

const byAddress = (result: ArmLoadResult, address: string): ArmResource => {
  const resource = result.resources.find((r) => r.address === address);
  expect(resource, address).toBeDefined();
  return resource!;
};
const commandLine = (entries: Record<string, string>): Map<string, GivenArmParameter> =>
  new Map(Object.entries(entries).map(([name, value]) => [name, { value, origin: { kind: 'command-line' } }]));

const APIM = 'Microsoft.ApiManagement/service/contoso-apim';

describe('child resources nested in their parent', () => {
  it('are flattened into full types, full names and readable addresses', () => {
    const result = load('apim-nested.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((r) => r.address)).toEqual([
      APIM,
      `${APIM}/policies/policy`,
      `${APIM}/namedValues/orders-api-key`,
      `${APIM}/backends/orders-api-backend`,
      `${APIM}/apis/orders-api`,
      `${APIM}/apis/orders-api/operations/get-order`,
      `${APIM}/apis/orders-api/operations/get-order/policies/policy`,
      `${APIM}/apis/orders-api/operations/create-order`,
      `${APIM}/apis/orders-api/policies/policy`,
      // apis/legacy-orders: its condition is false.
      `${APIM}/products/starter`,
      `${APIM}/products/starter/apis/orders-api`,
      `${APIM}/products/starter/policies/policy`,
      `${APIM}/subscriptions/orders-partner`,
    ]);
    const operationPolicy = byAddress(result, `${APIM}/apis/orders-api/operations/get-order/policies/policy`);
    expect(operationPolicy.type).toBe('Microsoft.ApiManagement/service/apis/operations/policies');
    expect(operationPolicy.name).toBe('contoso-apim/orders-api/get-order/policy');
    expect(operationPolicy.nameSegments).toEqual(['contoso-apim', 'orders-api', 'get-order', 'policy']);
    expect(operationPolicy.parent).toBe(`${APIM}/apis/orders-api/operations/get-order`);
    expect(operationPolicy.apiVersion).toBe('2022-08-01');
  });

  it('resolves properties, the rest of the resource body, and dependsOn links', () => {
    const result = load('apim-nested.json');
    const service = byAddress(result, APIM);
    expect(service.body.sku).toEqual({ name: 'Developer', capacity: 1 });
    expect((service.body.location as Unknown).reason).toBe('resourceGroup() is known at deployment');
    expect(service.properties.publisherEmail).toBe('api-team@contoso.example');
    const global = byAddress(result, `${APIM}/policies/policy`);
    expect(global.properties.format).toBe('rawxml');
    expect((global.properties.value as string).split('\r\n').slice(0, 3)).toEqual(['<policies>', '  <inbound>', '    <cors allow-credentials="false">']);
    expect(byAddress(result, `${APIM}/apis/orders-api/policies/policy`).properties.value).toContain('<set-backend-service backend-id="orders-api-backend" />');
    expect(byAddress(result, `${APIM}/products/starter`).properties.description).toBe('Starter access to orders-api on contoso-apim');
    const productApi = byAddress(result, `${APIM}/products/starter/apis/orders-api`);
    expect(productApi.properties).toEqual({});
    expect(productApi.dependsOn.map((d) => (d instanceof Unknown ? d.ref : d))).toEqual([
      { address: 'contoso-apim/starter', attribute: 'id' },
      { address: 'contoso-apim/orders-api', attribute: 'id' },
    ]);
  });

  it('locates resources and their properties', () => {
    const result = load('apim-nested.json');
    const file = 'apim-nested.json';
    const service = byAddress(result, APIM);
    expect(service.location).toMatchObject({ file, startLine: lineOf(file, '"type": "Microsoft.ApiManagement/service"') - 1 });
    expect(service.locate(['sku', 'capacity']).startLine).toBe(lineOf(file, '"capacity"'));
    const global = byAddress(result, `${APIM}/policies/policy`);
    expect(global.locate(['properties', 'value']).startLine).toBe(lineOf(file, '"value": "<policies>\\r\\n'));
    // A path that is not written gives the nearest enclosing part.
    expect(global.locate(['properties', 'nothing', 'here']).startLine).toBe(lineOf(file, '"format": "rawxml"') - 1);
    const operation = byAddress(result, `${APIM}/apis/orders-api/operations/get-order`);
    expect(operation.locate(['properties', 'templateParameters', 0, 'name']).startLine).toBe(lineOf(file, '{ "name": "orderId"'));
  });

  it('says which parameter a value is, and where that parameter is written', () => {
    const result = load('apim-nested.json');
    const namedValue = byAddress(result, `${APIM}/namedValues/orders-api-key`);
    expect(namedValue.properties.value).toBe('not-a-real-key-0000');
    expect(namedValue.parameterReferences).toEqual([
      {
        path: ['properties', 'value'],
        parameter: {
          name: 'ordersApiKey',
          type: 'securestring',
          secure: true,
          source: { kind: 'default', literal: true, location: expect.objectContaining({ file: 'apim-nested.json', startLine: lineOf('apim-nested.json', '"not-a-real-key-0000"') }) },
          location: expect.objectContaining({ startLine: lineOf('apim-nested.json', '"ordersApiKey": {') }),
        },
      },
    ]);
    expect(result.parameters.map((p) => `${p.name}:${p.type}:${p.source.kind}`)).toEqual([
      'apimName:string:default',
      'publisherEmail:string:default',
      'publisherName:string:default',
      'sku:string:default',
      'skuCount:int:default',
      'location:string:default',
      'backendUrl:string:default',
      'ordersApiKey:securestring:default',
      'enableLegacyApi:bool:default',
    ]);
  });
});

describe('child resources written as top-level resources', () => {
  it('give the same full types and names as the nested template', () => {
    const key = (r: ArmResource): string => `${r.type} ${String(r.name)}`;
    const nested = load('apim-nested.json').resources.map(key).sort();
    const flat = load('apim-flat.json');
    expect(flat.diagnostics).toEqual([]);
    // The flat template also loops over extra APIs, which ARM cannot do for nested children.
    expect(flat.resources.filter((r) => !r.copy).map(key).sort()).toEqual(nested);
    expect(flat.resources.filter((r) => !r.copy).map((r) => r.address).sort()).toEqual(load('apim-nested.json').resources.map((r) => r.address).sort());
  });

  it('expands a copy loop over a parameter array, with copyIndex() in names and properties', () => {
    const flat = load('apim-flat.json');
    const loop = flat.resources.filter((r) => r.copy);
    expect(loop.map((r) => [r.address, r.copy, r.properties.displayName, r.properties.path, r.properties.apiRevision])).toEqual([
      [`${APIM}/apis/inventory`, { name: 'extraApiLoop', index: 0 }, 'INVENTORY', 'inventory', '1'],
      [`${APIM}/apis/shipping`, { name: 'extraApiLoop', index: 1 }, 'SHIPPING', 'shipping', '2'],
    ]);
    // Both instances are written in one place.
    expect(loop[1]!.locate(['properties', 'path']).startLine).toBe(lineOf('apim-flat.json', `"path": "[parameters('extraApis')[copyIndex()]]"`));
    const withFour = load('apim-flat.json', new Map([['extraApis', { value: ['a', 'b', 'c', 'd'], origin: { kind: 'command-line' } }]]));
    expect(withFour.resources.filter((r) => r.copy).map((r) => r.nameSegments[1])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads an xml-link policy and if() in the body', () => {
    const flat = load('apim-flat.json');
    expect(byAddress(flat, `${APIM}/policies/policy`).properties).toEqual({ format: 'xml-link', value: 'https://policies.contoso.example/apim/global.xml' });
    expect(byAddress(flat, APIM).body.sku).toEqual({ name: 'Developer', capacity: 1 });
    expect(load('apim-flat.json', commandLine({ sku: 'Consumption' })).resources[0]!.body.sku).toEqual({ name: 'Consumption', capacity: 0 });
  });

  it('keeps a secure parameter without a default Unknown', () => {
    const namedValue = byAddress(load('apim-flat.json'), `${APIM}/namedValues/orders-api-key`);
    expect((namedValue.properties.value as Unknown).reason).toBe('parameter ordersApiKey has no default and no value (give it with --parameter ordersApiKey=... or --parameter-file)');
    expect(namedValue.parameterReferences[0]!.parameter.source).toEqual({ kind: 'none' });
  });
});

describe('conditions', () => {
  it('leaves out a resource whose condition is false, and keeps it when a given parameter makes it true', () => {
    const legacy = `${APIM}/apis/legacy-orders`;
    expect(load('apim-nested.json').resources.some((r) => r.address === legacy)).toBe(false);
    const enabled = load('apim-nested.json', commandLine({ enableLegacyApi: 'true' }));
    expect(byAddress(enabled, legacy).condition).toBe(true);
    expect(byAddress(load('apim-flat.json', commandLine({ enableLegacyApi: 'true' })), legacy).properties.protocols).toEqual(['http', 'https']);
  });

  it('keeps a resource whose condition is unknown, with a warning for whoever reads it, and its children too', () => {
    const result = loadInline({
      parameters: { deployIt: { type: 'bool' }, off: { type: 'bool', defaultValue: false } },
      resources: [
        {
          condition: "[parameters('deployIt')]",
          type: 'Microsoft.ApiManagement/service',
          apiVersion: '2022-08-01',
          name: 'apim',
          resources: [
            { type: 'apis', apiVersion: '2022-08-01', name: 'a', properties: {} },
            { condition: "[parameters('off')]", type: 'apis', apiVersion: '2022-08-01', name: 'b', properties: {}, resources: [{ type: 'policies', name: 'policy', properties: {} }] },
          ],
        },
      ],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((r) => r.address)).toEqual(['Microsoft.ApiManagement/service/apim', 'Microsoft.ApiManagement/service/apim/apis/a']);
    const [service, child] = result.resources;
    expect((service!.condition as Unknown).reason).toMatch(/^parameter deployIt has no default/);
    expect(service!.unknownCondition).toMatchObject({
      severity: 'warning',
      code: 'unresolved',
      address: 'Microsoft.ApiManagement/service/apim',
      message: expect.stringMatching(/^the condition of Microsoft.ApiManagement\/service\/apim is unknown \(parameter deployIt has no default/),
      location: expect.objectContaining({ startLine: 15 }),
    });
    expect(child!.condition).toBe(true);
    expect(child!.unknownCondition).toBe(service!.unknownCondition);
  });
});

describe('an ugly template', () => {
  it('reads comments, trailing commas and odd casing, and marks what it cannot know', () => {
    const result = load('ugly.json');
    expect(result.resources.map((r) => r.address)).toEqual([
      "Microsoft.ApiManagement/service/[parameters('apimName')]/apis/reports",
      'Microsoft.ApiManagement/service/fixed-apim/gateways/gw-[copyIndex()]',
    ]);
    const [api, gateway] = result.resources;
    // `Parameters`, `ApimName` and `Properties` are matched without regard to case.
    expect((api!.name as Unknown).reason).toBe('parameter ApimName has no default and no value (give it with --parameter ApimName=... or --parameter-file)');
    expect(api!.nameSegments[1]).toBe('reports');
    expect(api!.properties.displayName).toBe('[not an expression]');
    expect(api!.properties.protocols).toEqual(['https']);
    expect(api!.properties.subscriptionRequired).toBe(true);
    expect(api!.properties.owner).toBe('platform');
    expect((api!.properties.description as Unknown).reason).toBe('the function dateTimeAdd() is not evaluated by gatewarden');
    expect(api!.locate(['properties', 'owner']).startLine).toBe(lineOf('ugly.json', '"owner":'));

    expect(gateway!.copy).toEqual({ name: 'gateways', index: expect.any(Unknown) });
    expect((gateway!.properties.description as Unknown).reason).toMatch(/^the count of copy loop gateways is unknown: parameter gatewayCount has no default/);
    expect(gateway!.unknownCondition?.location?.startLine).toBe(lineOf('ugly.json', '"condition":'));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'unresolved',
        message: expect.stringMatching(/^the count of copy loop gateways is unknown \(parameter gatewayCount has no default .*\); one instance is read, with copyIndex\(\) unknown$/),
        location: expect.objectContaining({ startLine: lineOf('ugly.json', '"copy":') }),
      }),
    ]);
  });

  it('reads a copy loop with a known count through a command-line value', () => {
    const result = load('ugly.json', commandLine({ gatewayCount: '2', apimName: 'apim' }));
    expect(result.resources.map((r) => r.address)).toEqual([
      'Microsoft.ApiManagement/service/apim/apis/reports',
      'Microsoft.ApiManagement/service/fixed-apim/gateways/gw-0',
      'Microsoft.ApiManagement/service/fixed-apim/gateways/gw-1',
    ]);
    expect(result.resources.slice(1).map((r) => [r.condition, r.properties.description])).toEqual([
      [true, 'gateway 01'],
      [true, 'gateway 02'],
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(load('ugly.json', commandLine({ gatewayCount: '0' })).resources).toHaveLength(1);
  });
});

describe('nested deployments', () => {
  it('reads inline templates in outer and inner scope, and reports a linked one as not scanned', () => {
    const result = load('nested-deployments.json');
    expect(result.resources.map((r) => [r.address, r.deployment ?? ''])).toEqual([
      ['Microsoft.Resources/deployments/outer-scope', ''],
      ['Microsoft.ApiManagement/service/shared-apim/apis/billing', 'outer-scope'],
      ['Microsoft.Resources/deployments/inner-scope', ''],
      ['Microsoft.ApiManagement/service/shared-apim/namedValues/partners-key', 'inner-scope'],
      // Inner scope: the nested template's own variable, not the parent's.
      ['Microsoft.ApiManagement/service/shared-apim/apis/not-the-parent-variable', 'inner-scope'],
      ['Microsoft.Resources/deployments/linked', ''],
    ]);
    const file = 'nested-deployments.json';
    expect(byAddress(result, 'Microsoft.ApiManagement/service/shared-apim/apis/billing').location.startLine).toBe(lineOf(file, '"type": "Microsoft.ApiManagement/service/apis"') - 1);
    const namedValue = byAddress(result, 'Microsoft.ApiManagement/service/shared-apim/namedValues/partners-key');
    expect(namedValue.properties.value).toBe('written-in-the-template');
    expect(namedValue.locate(['properties', 'value']).startLine).toBe(lineOf(file, '"displayName": "partner-key"'));
    // The secret passed down is traced to the parent's default, where it is written.
    expect(namedValue.parameterReferences.map((r) => [r.parameter.name, r.parameter.source])).toEqual([
      ['key', { kind: 'template', location: expect.objectContaining({ startLine: lineOf(file, '"partnerKey"') }) }],
    ]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'not-scanned',
        message: 'nested deployment linked links its template (https://templates.contoso.example/apim/products.json); its resources are not scanned. Scan that template too, with its parameters',
        location: expect.objectContaining({ startLine: lineOf(file, '"templateLink"') }),
        address: 'Microsoft.Resources/deployments/linked',
      },
    ]);
    expect(JSON.stringify(result.diagnostics)).not.toContain('SECRETSIGNATURE');
    // The inline template is read as resources, not as a property of the deployment.
    const inner = byAddress(result, 'Microsoft.Resources/deployments/inner-scope');
    expect(Object.keys(inner.properties)).toEqual(['mode', 'expressionEvaluationOptions', 'parameters']);
    expect(inner.properties.parameters).toEqual({ serviceName: { value: 'shared-apim' }, key: { value: 'written-in-the-template' }, label: { value: 'partners' } });
  });
});

describe('other resource shapes', () => {
  it('reads a child written inside its parent with its full type, languageVersion 2.0 resources, and duplicate addresses', () => {
    const result = loadInline({
      languageVersion: '2.0',
      resources: {
        service: {
          type: 'Microsoft.ApiManagement/service',
          apiVersion: '2022-08-01',
          name: 'apim',
          resources: [{ type: 'Microsoft.ApiManagement/service/apis', apiVersion: '2022-08-01', name: 'apim/full', properties: {} }],
        },
        existingVault: { type: 'Microsoft.KeyVault/vaults', apiVersion: '2023-02-01', name: 'kv', existing: true },
        same: { type: 'Microsoft.ApiManagement/service/apis', apiVersion: '2022-08-01', name: 'apim/full', properties: {} },
        wrong: { type: 'Microsoft.ApiManagement/service/apis', apiVersion: '2022-08-01', name: 'only-one-segment', properties: {} },
      },
    });
    expect(result.resources.map((r) => `${r.address} ${r.type} ${String(r.name)}`)).toEqual([
      'Microsoft.ApiManagement/service/apim Microsoft.ApiManagement/service apim',
      'Microsoft.ApiManagement/service/apim/apis/full Microsoft.ApiManagement/service/apis apim/full',
      'Microsoft.ApiManagement/service/apim/apis/full#2 Microsoft.ApiManagement/service/apis apim/full',
      'Microsoft.ApiManagement/service/apis/only-one-segment Microsoft.ApiManagement/service/apis only-one-segment',
    ]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'unsupported', message: 'the name of Microsoft.ApiManagement/service/apis/only-one-segment has 1 segment, but its type needs 2; Azure would reject it' }),
    ]);
  });
});
