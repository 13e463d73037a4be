import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { ArmEvaluator } from '../../../src/sources/arm/expressions.js';
import type { GivenArmParameter } from '../../../src/sources/arm/parameters.js';
import { parseArmTemplate } from '../../../src/sources/arm/template.js';
import type { Value } from '../../../src/sources/view/value.js';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function evaluator(template: Record<string, unknown> = {}, given: ReadonlyMap<string, GivenArmParameter> = new Map()): ArmEvaluator {
  const { template: parsed } = parseArmTemplate('t.json', JSON.stringify({ $schema: SCHEMA, ...template }, null, 2));
  return new ArmEvaluator({ template: parsed!, root: [], data: parsed!.data, parameters: given });
}

const TEMPLATE = {
  parameters: {
    apimName: { type: 'string', defaultValue: 'contoso-apim' },
    count: { type: 'int', defaultValue: 3 },
    enabled: { type: 'bool', defaultValue: true },
    names: { type: 'array', defaultValue: ['orders', 'billing'] },
    settings: { type: 'object', defaultValue: { tier: 'gold', limits: { calls: 100 } } },
    noDefault: { type: 'string' },
    region: { type: 'string', defaultValue: '[resourceGroup().location]' },
    derived: { type: 'string', defaultValue: "[concat(parameters('apimName'), '-gw')]" },
  },
  variables: {
    prefix: "[toLower('API')]",
    full: "[concat(variables('prefix'), '-', parameters('apimName'))]",
    object: "[createObject('name', 'orders', 'tags', createArray('a', 'b'))]",
    plain: { nested: { value: "[parameters('count')]" } },
  },
};

const evaluate = (expression: string, template: Record<string, unknown> = TEMPLATE): Value => evaluator(template).evaluateString(expression, []);
const reason = (value: Value): string => (value instanceof Unknown ? value.reason : `known: ${JSON.stringify(value)}`);

describe('ARM expressions: literals and access', () => {
  it('evaluates string, number and boolean literals, with the [[ escape', () => {
    expect(evaluate("['it''s']")).toBe("it's");
    expect(evaluate('[42]')).toBe(42);
    expect(evaluate('[true]')).toBe(true);
    expect(evaluate('[null]')).toBe(null);
    expect(evaluate('[true()]')).toBe(true);
    expect(evaluate('[[literal]')).toBe('[literal]');
    expect(evaluate('no brackets')).toBe('no brackets');
  });

  it('reads properties and indexes of createObject, variables and parameters', () => {
    expect(evaluate("[createObject('a', createObject('b', 'deep')).a.b]")).toBe('deep');
    expect(evaluate("[variables('object').tags[1]]")).toBe('b');
    expect(evaluate("[variables('object')['name']]")).toBe('orders');
    expect(evaluate("[parameters('settings').limits.calls]")).toBe(100);
    expect(evaluate("[parameters('names')[sub(parameters('count'), 2)]]")).toBe('billing');
    // Property names ignore case, as in ARM.
    expect(evaluate("[parameters('settings').Tier]")).toBe('gold');
    expect(reason(evaluate("[parameters('names')[5]]"))).toMatch(/index 5 is out of range/);
    expect(reason(evaluate("[parameters('settings').missing]"))).toMatch(/has no property missing/);
  });

  it('evaluates nested calls', () => {
    expect(evaluate("[toUpper(replace(concat(variables('prefix'), '-', string(add(parameters('count'), 1))), '-', '_'))]")).toBe('API_4');
    expect(evaluate("[format('{0}/{1}-{2:D3}', parameters('apimName'), first(parameters('names')), 7)]")).toBe('contoso-apim/orders-007');
    expect(evaluate("[format('{{literal}} {0}', 'x')]")).toBe('{literal} x');
  });
});

describe('ARM expressions: functions', () => {
  it('evaluates the string, conversion and collection functions', () => {
    const cases: Array<[string, Value]> = [
      ["[concat('a', 1, true)]", 'a1True'],
      ["[concat(createArray(1, 2), createArray(3))]", [1, 2, 3]],
      ["[string(createObject('a', 1))]", '{"a":1}'],
      ["[string(5)]", '5'],
      ["[int('42')]", 42],
      ["[bool('TRUE')]", true],
      ["[bool(0)]", false],
      ["[toLower('ABC')]", 'abc'],
      ["[toUpper('abc')]", 'ABC'],
      ["[replace('a-b-c', '-', '/')]", 'a/b/c'],
      ["[if(equals(parameters('count'), 3), 'three', 'other')]", 'three'],
      ["[equals(createArray(1, createObject('a', 'b')), createArray(1, createObject('a', 'b')))]", true],
      ["[equals('a', 'A')]", false],
      ["[not(parameters('enabled'))]", false],
      ["[and(true, parameters('enabled'), greater(parameters('count'), 2))]", true],
      ["[or(false, less(parameters('count'), 2))]", false],
      ["[empty('')]", true],
      ["[empty(createObject())]", true],
      ["[empty(parameters('names'))]", false],
      ["[coalesce(null, null, 'third')]", 'third'],
      ["[length(parameters('names'))]", 2],
      ["[length('four')]", 4],
      ["[length(parameters('settings'))]", 2],
      ["[createArray('a', 1)]", ['a', 1]],
      ["[createObject('k', 'v', 'n', 1)]", { k: 'v', n: 1 }],
      ["[json('{\"a\": [1, {\"b\": null}]}').a[1]]", { b: null }],
      ["[base64('hello')]", 'aGVsbG8='],
      ["[base64ToString('aGVsbG8=')]", 'hello'],
      ["[split('a,b', ',')]", ['a', 'b']],
      ["[contains(parameters('names'), 'orders')]", true],
      ["[union(createObject('a', 1), createObject('b', 2))]", { a: 1, b: 2 }],
      ["[range(1, 3)]", [1, 2, 3]],
      ["[startsWith('Orders', 'ord')]", true],
      ["[substring('contoso', 3, 2)]", 'to'],
      ["[padLeft(7, 3, '0')]", '007'],
    ];
    for (const [expression, expected] of cases) expect(evaluate(expression), expression).toEqual(expected);
  });

  it('keeps a known branch of if() and the decisive value of and()/or() when another part is unknown', () => {
    expect(evaluate("[if(true, 'yes', parameters('noDefault'))]")).toBe('yes');
    expect(evaluate("[or(parameters('enabled'), equals(parameters('noDefault'), 'x'))]")).toBe(true);
    expect(evaluate("[and(false, equals(parameters('noDefault'), 'x'))]")).toBe(false);
    expect(reason(evaluate("[and(true, equals(parameters('noDefault'), 'x'))]"))).toMatch(/parameter noDefault has no default/);
    expect(evaluate("[if(equals(parameters('noDefault'), 'x'), 'same', 'same')]")).toBe('same');
    expect(reason(evaluate("[coalesce(parameters('noDefault'), 'fallback')]"))).toMatch(/noDefault/);
  });

  it('makes deployment values Unknown with a reason, and resourceId() an Unknown that links', () => {
    expect(reason(evaluate('[resourceGroup().location]'))).toBe('resourceGroup() is known at deployment');
    expect(reason(evaluate('[subscription().subscriptionId]'))).toBe('subscription() is known at deployment');
    expect(reason(evaluate('[deployment().name]'))).toBe('deployment() is known at deployment');
    expect(reason(evaluate("[uniqueString(resourceGroup().id, 'x')]"))).toBe('uniqueString() is a hash of deployment values, computed at deployment');
    const id = evaluate("[resourceId('Microsoft.ApiManagement/service/apis', parameters('apimName'), 'orders')]") as Unknown;
    expect(id).toBeInstanceOf(Unknown);
    expect(id.ref).toEqual({ address: 'contoso-apim/orders', attribute: 'id' });
    // Subscription and resource group arguments come before the type.
    expect((evaluate("[resourceId('0000', 'rg', 'Microsoft.ApiManagement/service', 'apim')]") as Unknown).ref).toEqual({ address: 'apim', attribute: 'id' });
    // A string built around one linked value keeps the link, as in the other readers.
    expect((evaluate("[concat(resourceId('Microsoft.ApiManagement/service', 'apim'), '/apis/x')]") as Unknown).ref).toEqual({ address: 'apim', attribute: 'id' });
  });

  it('makes reference() and listKeys() Unknown with a ref that follows the properties read', () => {
    const gateway = evaluate("[reference(resourceId('Microsoft.ApiManagement/service', 'apim'), '2022-08-01').gatewayUrl]") as Unknown;
    expect(gateway.reason).toBe('reference() reads the deployed resource apim at deployment');
    expect(gateway.ref).toEqual({ address: 'apim', attribute: 'reference.gatewayUrl' });
    const key = evaluate("[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'store'), '2023-01-01').keys[0].value]") as Unknown;
    expect(key.reason).toBe('listKeys() reads keys or secrets of the deployed resource store at deployment');
    expect(key.ref).toEqual({ address: 'store', attribute: 'listKeys.keys.0.value' });
    expect(reason(evaluate("[listSecrets('x', '2022-08-01')]"))).toMatch(/listSecrets\(\) reads keys or secrets/);
  });

  it('names the function it does not evaluate', () => {
    expect(reason(evaluate("[dateTimeAdd('2024-01-01', 'P1D')]"))).toBe('the function dateTimeAdd() is not evaluated by gatewarden');
    expect(reason(evaluate("[contoso.prefix('x')]"))).toBe('the user-defined function contoso.prefix() is not evaluated by gatewarden');
    expect(reason(evaluate("[toLower(parameters('count'))]"))).toBe('toLower() needs a string; Azure would reject the template');
  });

  it('reports an invalid expression once, where it is written, without quoting it', () => {
    const e = evaluator({ variables: { broken: "[concat('a', ]" } });
    expect(reason(e.variable('broken'))).toMatch(/^the template expression is not valid: expected a value but found the end of the expression/);
    e.variable('broken');
    expect(e.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'unresolved', location: expect.objectContaining({ startLine: 4 }), message: expect.not.stringContaining("concat('a'") }),
    ]);
  });
});

describe('ARM parameters and variables', () => {
  it('takes a given value over the default, the default otherwise, and says when there is neither', () => {
    const given = new Map<string, GivenArmParameter>([['APIMNAME', { value: 'given-apim', origin: { kind: 'command-line' } }]]);
    const e = evaluator(TEMPLATE, given);
    // Names match without regard to case.
    expect(e.parameter('apimName')).toBe('given-apim');
    expect(e.evaluateString("[parameters('derived')]", [])).toBe('given-apim-gw');
    expect(e.parameter('count')).toBe(3);
    expect(reason(e.parameter('region'))).toBe('resourceGroup() is known at deployment');
    expect(reason(e.parameter('noDefault'))).toBe('parameter noDefault has no default and no value (give it with --parameter noDefault=... or --parameter-file)');
    expect(reason(e.parameter('undeclared'))).toBe('parameter undeclared is not declared in the template');
  });

  it('converts command-line strings by the declared type, without quoting a bad value', () => {
    const given = new Map<string, GivenArmParameter>([
      ['count', { value: '7', origin: { kind: 'command-line' } }],
      ['enabled', { value: 'False', origin: { kind: 'command-line' } }],
      ['names', { value: '["a"]', origin: { kind: 'command-line' } }],
      ['settings', { value: 'oops-secret', origin: { kind: 'command-line' } }],
    ]);
    const e = evaluator(TEMPLATE, given);
    expect(e.parameter('count')).toBe(7);
    expect(e.parameter('enabled')).toBe(false);
    expect(e.parameter('names')).toEqual(['a']);
    expect(reason(e.parameter('settings'))).toBe('parameter settings is an object, but the value given with --parameter is not JSON of that type');
  });

  it('keeps a secure parameter with a default a value, and says where each value comes from', () => {
    const template = {
      parameters: {
        key: { type: 'secureString', defaultValue: 'written-secret' },
        fromFile: { type: 'string' },
        region: { type: 'string', defaultValue: '[resourceGroup().location]' },
        missing: { type: 'secureObject' },
      },
    };
    const fileLocation = { file: 'p.json', startLine: 5, startColumn: 1, endLine: 5, endColumn: 9 };
    const e = evaluator(template, new Map([['fromFile', { value: 'x', origin: { kind: 'file', location: fileLocation } }]]));
    expect(e.parameter('key')).toBe('written-secret');
    expect(e.parameterInfos()).toEqual([
      { name: 'key', type: 'securestring', secure: true, source: { kind: 'default', literal: true, location: expect.objectContaining({ file: 't.json', startLine: 6 }) }, location: expect.objectContaining({ startLine: 4 }) },
      { name: 'fromFile', type: 'string', secure: false, source: { kind: 'file', location: fileLocation }, location: expect.objectContaining({ startLine: 8 }) },
      { name: 'region', type: 'string', secure: false, source: { kind: 'default', literal: false, location: expect.objectContaining({ startLine: 13 }) }, location: expect.anything() },
      { name: 'missing', type: 'secureobject', secure: true, source: { kind: 'none' }, location: expect.anything() },
    ]);
  });

  it('resolves variables through other variables and parameters, recursively in objects', () => {
    const e = evaluator(TEMPLATE);
    expect(e.variable('full')).toBe('api-contoso-apim');
    expect(e.variable('plain')).toEqual({ nested: { value: 3 } });
    expect(reason(e.variable('nope'))).toBe('variable nope is not defined in the template');
  });

  it('makes variables that refer to themselves Unknown, naming the cycle', () => {
    const e = evaluator({
      parameters: { p: { type: 'string', defaultValue: "[parameters('p')]" } },
      variables: { a: "[concat('x', variables('b'))]", b: "[variables('c')]", c: "[variables('a')]", self: "[variables('self')]", fine: 'ok' },
    });
    expect(reason(e.variable('a'))).toBe('variable a refers to itself (variable a → variable b → variable c → variable a)');
    expect(reason(e.variable('self'))).toBe('variable self refers to itself (variable self → variable self)');
    expect(e.variable('fine')).toBe('ok');
    expect(reason(e.parameter('p'))).toMatch(/the default value of parameter p refers to itself/);
  });

  it('builds variable and property copy loops, with copyIndex() by loop name', () => {
    const e = evaluator({
      parameters: { n: { type: 'int', defaultValue: 3 }, unknownCount: { type: 'int' } },
      variables: {
        copy: [{ name: 'ports', count: "[parameters('n')]", input: "[add(8080, copyIndex('ports'))]" }],
        config: { copy: [{ name: 'backends', count: 2, input: { name: "[concat('b', copyIndex('backends', 1))]" } }], kind: 'pool' },
        unknown: { copy: [{ name: 'items', count: "[parameters('unknownCount')]", input: "[copyIndex('items')]" }] },
      },
    });
    expect(e.variable('ports')).toEqual([8080, 8081, 8082]);
    expect(e.variable('config')).toEqual({ kind: 'pool', backends: [{ name: 'b1' }, { name: 'b2' }] });
    const items = (e.variable('unknown') as { items: Unknown }).items;
    expect(items.reason).toMatch(/^the count of copy loop items is unknown: parameter unknownCount has no default/);
    expect(reason(e.evaluateString('[copyIndex()]', []))).toBe('copyIndex() is used outside a copy loop; Azure would reject the template');
  });
});

describe('resource names', () => {
  it('evaluates names piece by piece, so an unknown service keeps the known segments', () => {
    const e = evaluator(TEMPLATE);
    const segments = e.nameSegments("[concat(parameters('noDefault'), '/orders/', parameters('apimName'), '-x')]", [], { loops: [] });
    expect(segments.map((s) => (s.value instanceof Unknown ? `? ${s.text}` : s.value))).toEqual(["? [parameters('noDefault')]", 'orders', 'contoso-apim-x']);
    const formatted = e.nameSegments("[format('{0}/{1}', parameters('noDefault'), concat('api-', parameters('noDefault')))]", [], { loops: [] });
    expect(formatted.map((s) => s.text)).toEqual(["[parameters('noDefault')]", "api-[parameters('noDefault')]"]);
    expect((formatted[1]!.value as Unknown).reason).toMatch(/^part of the name is unknown: parameter noDefault/);
    expect(e.nameSegments('plain/name', [], { loops: [] }).map((s) => s.value)).toEqual(['plain', 'name']);
  });
});
