import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { ChildScope, evaluate, type Scope } from '../../../src/sources/terraform/expression/evaluate.js';
import { ExpressionSyntaxError, parseExpression, parseTemplateValue } from '../../../src/sources/terraform/expression/parse.js';
import { EvalError, materialize } from '../../../src/sources/terraform/expression/value.js';
import type { Value } from '../../../src/sources/view/value.js';
import { knownParts } from '../../../src/sources/view/partial-text.js';
import { isTextDocumentError, parseTextWithHoles } from '../../../src/sources/openapi/document.js';

const unknownVar = new Unknown('var.missing has no value', { address: 'var.missing', attribute: 'value' });
const names: Record<string, Value> = {
  var: { env: 'prod', origins: ['https://a.example', 'https://b.example'], missing: unknownVar, limits: { rate: 100, burst: 50 }, enabled: true },
  local: { routes: { 'GET /users': 'NONE', 'POST /users': 'JWT' }, empty: [] },
};
const files: Record<string, string> = {
  '/repo/openapi.json': '{"openapi":"3.0.1"}',
  '/repo/policy.tpl': 'origin=${origin}%{ if admin } admin%{ endif }',
  '/repo/spec.tpl': [
    'openapi: 3.0.1',
    'info: { title: "pets-${env}", version: "1" }',
    'x-amazon-apigateway-cors:',
    '  allowOrigins: ["*"]',
    'paths:',
    '  /pets:',
    '    get:',
    '      x-amazon-apigateway-integration:',
    '        type: http_proxy',
    '        uri: "${backend}/pets"',
    '',
  ].join('\n'),
  '/repo/keys.tpl': 'openapi: 3.0.1\npaths:\n  /${prefix}/pets:\n    get: {}\n',
  '/repo/spec.json.tpl': '{ "openapi": "3.0.1", "paths": ${paths} }',
  '/repo/spec.yaml': 'openapi: 3.0.1\npaths:\n  /pets:\n    get:\n      x-amazon-apigateway-integration:\n        type: http_proxy\n        uri: https://__BACKEND__/pets\n',
};
const scope: Scope = {
  lookup: (name) => names[name],
  readFile: (path) => files[path] ?? new Unknown(`file ${path} could not be read`),
  fileExists: (path) => Object.hasOwn(files, path),
  baseDir: '/repo',
};

/** Parses the text of a value with unknown parts back into data, as an adapter reading a document does. */
function readBack(result: Value): unknown {
  const text = knownParts(result);
  if (!text) throw new Error('the value has no known parts');
  const parsed = parseTextWithHoles(text);
  if (isTextDocumentError(parsed)) throw new Error(parsed.error);
  return parsed.data;
}

/** Evaluates a value as hcl2json hands it over (a template string). */
function value(template: string): Value {
  return materialize(evaluate(parseTemplateValue(template), scope));
}

describe('HCL templates and expressions', () => {
  it.each<[string, Value]>([
    ['plain text', 'plain text'],
    ['gw-${var.env}', 'gw-prod'],
    ['${var.limits.rate}', 100],
    ['${var.origins}', ['https://a.example', 'https://b.example']],
    ['$${literal}', '${literal}'],
    ['100%% sure %%{x}', '100%% sure %{x}'],
    ['${var.env == "prod" ? "REGIONAL" : "EDGE"}', 'REGIONAL'],
    ['${var.limits.rate * 2 + 1}', 201],
    ['${!var.enabled || var.limits.burst >= 50}', true],
    ['${[for k, v in local.routes : k if v != "NONE"]}', ['POST /users']],
    ['${{ for k, v in local.routes : split(" ", k)[0] => v }}', { GET: 'NONE', POST: 'JWT' }],
    ['${{ for k, v in local.routes : v => k... }}', { NONE: ['GET /users'], JWT: ['POST /users'] }],
    ['${[{ id = 1 }, { id = 2 }][*].id}', [1, 2]],
    ['%{ for o in var.origins ~}${o};%{ endfor ~}', 'https://a.example;https://b.example;'],
    ['%{if var.enabled}on%{else}off%{endif}', 'on'],
    ['${lookup(var.limits, "rate", 0)}', 100],
    ['${lookup(var.limits, "quota", 0)}', 0],
    ['${merge({ a = 1 }, { b = 2 }, { a = 3 })}', { a: 3, b: 2 }],
    ['${concat(["a"], ["b", "c"])}', ['a', 'b', 'c']],
    ['${try(var.limits.quota, "none")}', 'none'],
    ['${coalesce("", "fallback")}', 'fallback'],
    ['${format("%s-%03d", var.env, 7)}', 'prod-007'],
    ['${jsonencode({ b = [1, true], a = "x" })}', '{"a":"x","b":[1,true]}'],
    ['${toset(["b", "a", "b"])}', ['a', 'b']],
    ['${tostring(42)}', '42'],
    ['${length(local.routes)}', 2],
    ['${join(",", var.origins)}', 'https://a.example,https://b.example'],
    ['${trimprefix("/users/{id}", "/")}', 'users/{id}'],
    ['${jsondecode(file("openapi.json")).openapi}', '3.0.1'],
    ['${templatefile("policy.tpl", { origin = "*", admin = true })}', 'origin=* admin'],
    ['${can(var.limits.quota)}', false],
    // As go-yaml reads it: a flow collection continued at column 0.
    ['${yamldecode("origins: [a,\\nb]").origins}', ['a', 'b']],
  ])('%s', (template, expected) => {
    expect(value(template)).toEqual(expected);
  });

  it('parses heredocs inside expressions and strips <<- indentation', () => {
    const expr = parseExpression('jsonencode({ description = <<-EOT\n    line one\n      line two\n    EOT\n})');
    expect(evaluate(expr, scope)).toBe('{"description":"line one\\n  line two\\n"}');
  });

  it('keeps an unknown variable unknown through operations, templates and functions', () => {
    for (const template of ['${var.missing}', 'key-${var.missing}', '${upper(var.missing)}', '${var.missing == "x"}', '${var.missing ? 1 : 2}']) {
      const result = value(template);
      expect(result, template).toBeInstanceOf(Unknown);
      expect((result as Unknown).reason).toContain('var.missing');
    }
  });

  it('decides && and || when one side settles the answer', () => {
    expect(value('${false && var.missing}')).toBe(false);
    expect(value('${true || var.missing}')).toBe(true);
    expect(value('${true && var.missing}')).toBeInstanceOf(Unknown);
  });

  it('keeps the known structure of jsonencode() over partly unknown values', () => {
    const result = value('${jsonencode({ uri = var.missing, type = "aws_proxy" })}');
    expect(result).toBeInstanceOf(Unknown);
    expect((result as Unknown).reason).toContain('var.missing has no value');
    expect(readBack(result)).toEqual({ uri: unknownVar, type: 'aws_proxy' });
  });

  describe('text with an unknown part', () => {
    it('renders templatefile() with a hole where a variable has no value, and keeps the rest', () => {
      const result = value('${templatefile("spec.tpl", { backend = var.missing, env = var.env })}');
      expect(result).toBeInstanceOf(Unknown);
      const data = readBack(result) as { paths: Record<string, { get: { 'x-amazon-apigateway-integration': { uri: unknown; type: string } } }>; 'x-amazon-apigateway-cors': unknown; info: unknown };
      expect(data.info).toEqual({ title: 'pets-prod', version: '1' });
      expect(data['x-amazon-apigateway-cors']).toEqual({ allowOrigins: ['*'] });
      const uri = data.paths['/pets']!.get['x-amazon-apigateway-integration'].uri as Unknown;
      expect(uri).toBeInstanceOf(Unknown);
      // The unknown keeps the variable's reason and link, and its own known parts.
      expect(uri.reason).toBe('var.missing has no value');
      expect(uri.ref).toEqual(unknownVar.ref);
      expect(knownParts(uri)?.text).toMatch(/^gwunknown[0-9a-f]+n\d+x\/pets$/);
    });

    it('reads a whole JSON value from an unknown variable as an unknown value', () => {
      const data = readBack(value('${templatefile("spec.json.tpl", { paths = var.missing })}')) as Record<string, unknown>;
      expect(data.openapi).toBe('3.0.1');
      expect(data.paths).toBe(unknownVar);
    });

    it('makes an object unknown when one of its keys is', () => {
      const data = readBack(value('${templatefile("keys.tpl", { prefix = var.missing })}')) as Record<string, unknown>;
      expect(data.openapi).toBe('3.0.1');
      expect(data.paths).toBeInstanceOf(Unknown);
      expect((data.paths as Unknown).reason).toBe('a key of this object is unknown: var.missing has no value');
      // So does an HCL object, before it is encoded.
      const encoded = readBack(value('${jsonencode({ paths = { "/${var.missing}/pets" = { get = {} } }, openapi = "3.0.1" })}')) as Record<string, unknown>;
      expect(encoded.paths).toBeInstanceOf(Unknown);
    });

    it('puts an unknown replacement of replace() where it goes', () => {
      const result = value('${replace(file("spec.yaml"), "__BACKEND__", var.missing)}');
      const data = readBack(result) as { paths: Record<string, { get: { 'x-amazon-apigateway-integration': { uri: unknown } } }> };
      expect(data.paths['/pets']!.get['x-amazon-apigateway-integration'].uri).toBeInstanceOf(Unknown);
      // Over a text with an unknown part, replace() applies where the search text cannot touch it.
      expect(readBack(value('${replace(templatefile("spec.tpl", { backend = var.missing, env = "dev" }), "pets-", "cats-")}'))).toMatchObject({ info: { title: 'cats-dev' } });
    });

    it('gives up on the known parts where they cannot be told', () => {
      for (const template of [
        // The search text could end inside the unknown part.
        '${replace("a-${var.missing}-b", "-x", "+")}',
        // A regular expression over a text with an unknown part.
        '${replace("a-${var.missing}", "/a/", "b")}',
        // Functions that transform the text.
        '${upper("a-${var.missing}")}',
        '${base64encode("a-${var.missing}")}',
        // A directive whose condition is unknown writes unknown lines.
        '%{ if var.missing }a%{ endif }b',
      ]) {
        const result = value(template);
        expect(result, template).toBeInstanceOf(Unknown);
        expect(knownParts(result), template).toBeUndefined();
      }
    });

    it('writes yamlencode() with unknown parts', () => {
      const data = readBack(value('${yamlencode({ openapi = "3.0.1", servers = [{ url = var.missing }] })}')) as { servers: Array<{ url: unknown }> };
      expect(data.servers[0]!.url).toBe(unknownVar);
      expect(value('${yamlencode({ b = 1, a = ["x"] })}')).toBe('a:\n  - x\nb: 1\n');
    });
  });

  it('returns an Unknown naming a function it does not evaluate', () => {
    const result = value('${sha256("x")}');
    expect(result).toBeInstanceOf(Unknown);
    expect((result as Unknown).reason).toBe('function sha256() is not evaluated by gatewarden');
  });

  it('refuses to read files outside what the scope allows', () => {
    const result = value('${file("/etc/passwd")}');
    expect(result).toBeInstanceOf(Unknown);
  });

  it('throws configuration errors that try() can catch', () => {
    expect(() => value('${var.limits.quota}')).toThrow(EvalError);
    expect(() => value('${local.empty[0]}')).toThrow(/out of range/);
    expect(() => value('${"a" + 1}')).toThrow(EvalError);
  });

  it('reports syntax errors with an offset', () => {
    expect(() => parseExpression('var.a == ')).toThrow(ExpressionSyntaxError);
    expect(() => parseTemplateValue('${var.a')).toThrow(ExpressionSyntaxError);
    expect(() => parseTemplateValue('%{ if x }never closed')).toThrow(/not closed/);
  });

  it('sees for-expression variables only inside the expression', () => {
    const inner = new ChildScope(scope, new Map([['x', 5]]));
    expect(evaluate(parseExpression('x + 1'), inner)).toBe(6);
    expect(() => evaluate(parseExpression('x'), scope)).toThrow(/unknown name "x"/);
  });
});

describe('input-sized lists', () => {
  // Each of these passed every item as a call argument (`Math.min(...indents)`), which overflows the
  // stack past about 125,000 items.
  it('strips the indentation of a heredoc of 130,000 lines', () => {
    const lines = Array.from({ length: 130_000 }, (_, i) => `    line ${i}`).join('\n');
    const text = materialize(evaluate(parseExpression(`<<-EOT\n${lines}\n  EOT\n`), scope)) as string;
    expect(text.startsWith('line 0\nline 1\n')).toBe(true);
  });

  it('takes min() and max() of 130,000 values', () => {
    const many: Record<string, Value> = { ...names, local: { ...(names.local as object), many: Array.from({ length: 130_000 }, (_, i) => i) } };
    const big: Scope = { ...scope, lookup: (name) => many[name] };
    expect(evaluate(parseExpression('max(local.many...)'), big)).toBe(129_999);
    expect(evaluate(parseExpression('min(local.many...)'), big)).toBe(0);
  });
});

