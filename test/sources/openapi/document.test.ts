import { describe, expect, it } from 'vitest';
import { isTextDocumentError, parseTextDocument } from '../../../src/sources/openapi/document.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

// API Gateway's importer, Endpoints (gcloud) and Terraform's yamldecode read YAML with libyaml-based
// parsers, which accept flow collections and quoted scalars indented less than their parent.
describe('OpenAPI documents in YAML', () => {
  it('reads a flow mapping written at its key\'s indentation, with the lines as written', () => {
    const text = lines(
      'openapi: 3.0.1',
      'info: { title: "Orders",',
      'version: "1.0" }',
      'x-amazon-apigateway-cors: {',
      'allowOrigins: ["*"],',
      'allowCredentials: true',
      '}',
      'paths:',
      '  /orders:',
      '    get:',
      '      security: []',
    );
    const document = parseTextDocument(text);
    if (isTextDocumentError(document)) throw new Error(document.error);
    expect(document.data).toMatchObject({ info: { title: 'Orders', version: '1.0' }, 'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowCredentials: true } });
    expect(document.lineOf(['x-amazon-apigateway-cors', 'allowCredentials'])).toBe(6);
    expect(document.lineOf(['paths', '/orders', 'get', 'security'])).toBe(11);
  });

  it('reads the last of keys given twice, and its line', () => {
    const yaml = parseTextDocument(lines('openapi: 3.0.1', 'paths:', '  /orders:', '    get: { security: [] }', '    get: { security: [{ key: [] }] }'));
    if (isTextDocumentError(yaml)) throw new Error(yaml.error);
    expect(yaml.data).toMatchObject({ paths: { '/orders': { get: { security: [{ key: [] }] } } } });
    expect(yaml.lineOf(['paths', '/orders', 'get'])).toBe(5);
    const json = parseTextDocument(lines('{"openapi": "3.0.1", "paths": {"/orders": {', '"get": {"security": []},', '"get": {"security": [{"key": []}]}', '}}}'));
    if (isTextDocumentError(json)) throw new Error(json.error);
    expect(json.lineOf(['paths', '/orders', 'get'])).toBe(3);
  });

  it('still reports a flow mapping never closed, at its line', () => {
    const document = parseTextDocument(lines('openapi: 3.0.1', 'x-amazon-apigateway-cors: {', '  allowOrigins: ["*"]', 'paths: {}'));
    expect(document).toMatchObject({ line: 4 });
  });
});
