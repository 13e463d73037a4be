import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAwsOpenApi } from '../../providers/aws/openapi.js';
import { readGoogleOpenApi } from '../../providers/gcp/openapi.js';
import { isTextDocumentError, parseTextDocument } from '../../src/sources/openapi/document.js';
import { arbitraryText, fuzzFixture, lineCount, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';

const TOKENS = ['openapi: 3.0.3\n', 'swagger: "2.0"\n', 'paths:\n', '  /items:\n', '    get:\n', '    x-amazon-apigateway-any-method:\n', '      security:\n', '        - api_key: []\n', '      x-amazon-apigateway-integration:\n', '      x-google-backend:\n', 'components:\n', '  securitySchemes:\n', '$ref: ', '"#/components/securitySchemes/a"', '"#/a/%E0%A4%A"', '"#/paths/~1items"', '"other.yaml#/x"', '&a ', '*a', '<<: ', '- ', ': ', '[', ']', '{', '}', ',', '"', "'", '#', '---\n', '\n', '  ', '\t', '~', 'null', 'x-gatewarden-ignore: ', '"openapi"', '"paths"', '"$ref"', '1e400'];

const documentSeeds = seeds((file) => /\.(ya?ml|json|tftpl)$/.test(file)).filter((seed) => /(^|\n|\{)\s*["']?(openapi|swagger)["']?\s*:/.test(seed.text));

/** Every path of a value, down to a few levels, for asking a document where each is. */
function pathsOf(data: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (prefix.length >= 4 || typeof data !== 'object' || data === null) return out;
  for (const [key, value] of Object.entries(data).slice(0, 8)) pathsOf(value, [...prefix, Array.isArray(data) ? Number(key) : key], out);
  return out;
}

describe('the OpenAPI reader on arbitrary and mutated input', () => {
  it('finds realistic documents to mutate', () => {
    expect(documentSeeds.length).toBeGreaterThan(8);
  });

  it('reads any text into a document or an error with a line inside it, and the adapters read any document', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(TOKENS).map((text) => ({ file: 'openapi.yaml', text })), mutatedSeed(documentSeeds, TOKENS)), ({ text }) => {
        const parsed = parseTextDocument(text);
        if (isTextDocumentError(parsed)) {
          expect(parsed.error.length).toBeGreaterThan(0);
          if (parsed.line !== undefined) expect(parsed.line).toBeGreaterThanOrEqual(1);
          if (parsed.line !== undefined) expect(parsed.line).toBeLessThanOrEqual(lineCount(text));
          return;
        }
        for (const path of pathsOf(parsed.data)) {
          const line = parsed.lineOf(path);
          if (line !== undefined) expect(line).toBeGreaterThanOrEqual(1);
          if (line !== undefined) expect(line).toBeLessThanOrEqual(lineCount(text));
        }
        for (const protocol of ['rest', 'http', 'websocket'] as const) readAwsOpenApi(parsed.data, protocol);
        readGoogleOpenApi(parsed.data);
      }),
      { numRuns: runs(100) },
    );
  });

  it('reads a YAML document the same after a comment line above it, every line one lower', () => {
    const yamlSeeds = documentSeeds.filter((seed) => !seed.text.trimStart().startsWith('{'));
    fc.assert(
      fc.property(fc.constantFrom(...yamlSeeds), ({ text }) => {
        const before = parseTextDocument(text);
        const after = parseTextDocument(`# a comment\n${text}`);
        if (isTextDocumentError(before) || isTextDocumentError(after)) return;
        expect(after.data).toEqual(before.data);
        for (const path of pathsOf(before.data)) {
          const line = before.lineOf(path);
          if (line !== undefined) expect(after.lineOf(path)).toBe(line + 1);
        }
      }),
      { numRuns: runs(20) },
    );
  });
});

describe('OpenAPI inputs that crashed a reader (test/fixtures/fuzz)', () => {
  it('reports a YAML alias bomb as over the yaml-alias-nodes limit instead of throwing from toJS()', () => {
    const parsed = parseTextDocument(fuzzFixture('openapi/alias-bomb.yaml.fuzz'));
    expect(parsed).toMatchObject({ line: 1, limit: { name: 'yaml-alias-nodes', limit: 100_000 } });
  });

  it('reports chained anchors as over a limit instead of throwing from toJS()', () => {
    const parsed = parseTextDocument(fuzzFixture('yaml/alias-chain.yaml.fuzz'));
    expect(isTextDocumentError(parsed) && parsed.limit?.name).toBe('yaml-alias-nodes');
  });

  it('counts the nodes aliases add: two copies of a three-item list add six', () => {
    const text = 'openapi: 3.0.3\nx-a: &a [1, 2, 3]\nx-b: [*a, *a]\npaths: {}\n';
    expect(parseTextDocument(text, { depth: 200, 'yaml-alias-nodes': 5 })).toMatchObject({ limit: { name: 'yaml-alias-nodes', found: 6 } });
    expect(isTextDocumentError(parseTextDocument(text, { depth: 200, 'yaml-alias-nodes': 6 }))).toBe(false);
  });

  it('reads a document with an anchor inside itself as over the alias limit', () => {
    expect(parseTextDocument('openapi: 3.0.3\npaths: &p\n  /a: *p\n')).toMatchObject({ limit: { name: 'yaml-alias-nodes' } });
  });

  it('reads modest aliasing that the yaml library refused (its own count, not nodes)', () => {
    const operations = Array.from({ length: 60 }, (_, i) => `  /p${i}:\n    get: *op`).join('\n');
    const parsed = parseTextDocument(`openapi: 3.0.3\nx-op: &op\n  security: [{ key: [] }]\n  responses: { "200": { description: ok } }\npaths:\n${operations}\n`);
    expect(isTextDocumentError(parsed)).toBe(false);
  });

  it('reports a JSON document nested 10,000 levels as over the depth limit, with its line and depth', () => {
    const text = fuzzFixture('json/deep-array.json.fuzz').replace('[', '{"openapi": "3.0.3", "paths": [');
    expect(parseTextDocument(text)).toMatchObject({ line: 1, limit: { name: 'depth', limit: 200, found: 10_001 } });
  });

  it.each(['yaml/deep-flow.yaml.fuzz', 'yaml/dash-sequence.yaml.fuzz'])('reports the YAML document %s as over the depth limit, read no further than the limit', (name) => {
    // dash-sequence: `- - - ...` 3,000 times on one line overflowed the stack inside the yaml library's own parser.
    expect(parseTextDocument(fuzzFixture(name))).toMatchObject({ error: expect.stringContaining('nests more than 200 levels deep'), line: expect.any(Number), limit: { name: 'depth', limit: 200 } });
  });

  it('follows a $ref with a malformed %-escape to nothing instead of throwing URIError', () => {
    const doc = fuzzFixture('openapi/bad-percent-ref.yaml.fuzz');
    const parsed = parseTextDocument(doc);
    if (isTextDocumentError(parsed)) throw new Error(parsed.error);
    const api = readAwsOpenApi(parsed.data, 'rest');
    expect(api.problems).toContain('$ref "#/components/securitySchemes/%E0%A4%A" names nothing in the document');
  });
});
