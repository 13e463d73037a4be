import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseBaseline } from '../../src/report/baseline.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { cfnParameters } from '../../src/sources/cloudformation/read.js';
import { jsonSyntaxError } from '../../src/sources/json-syntax.js';
import { FileAccess } from '../../src/sources/file-access.js';
import { parseTextDocument } from '../../src/sources/openapi/document.js';

// JSON.parse's messages differ between Node.js versions ("... at position 17" on Node 20, "... at
// position 17 (line 1 column 18)" on 22 and 24) and some quote the text: none of them reaches a report.
describe('describing text that is not JSON', () => {
  it('names the first error with its line and column', () => {
    expect(jsonSyntaxError('{"a":"unterminated')).toEqual({ message: 'unterminated string at line 1, column 6', line: 1, column: 6 });
    expect(jsonSyntaxError('{\n  "a": 1,\n}')).toEqual({ message: 'property name expected at line 3, column 1', line: 3, column: 1 });
    expect(jsonSyntaxError('')).toMatchObject({ message: 'value expected at line 1, column 1' });
    expect(jsonSyntaxError('{"a": 1} // note')).toMatchObject({ message: 'a comment (JSON has none) at line 1, column 10' });
  });

  it('never quotes the text, which may hold a secret', () => {
    for (const text of ['{"key": NOTJSONs3cr3t}', '{"key": "s3cr3t"x}', '["s3cr3t",]']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonSyntaxError(text).message).not.toMatch(/s3cr3t|position/);
    }
  });

  it('is what an OpenAPI document, a baseline and a CloudFormation parameter file that are not JSON report', () => {
    expect(parseTextDocument('{\n  "openapi": "3.0.0",\n  "paths": {\n}')).toEqual({ error: 'close brace expected at line 4, column 2', line: 4 });
    expect(() => parseBaseline('{"gatewardenBaseline": 1, "findings": [', 'baseline.json')).toThrow(
      'baseline.json is not a gatewarden baseline: it is not valid JSON (close bracket expected at line 1, column 40); recreate it with --create-baseline baseline.json',
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-json-'));
    writeFileSync(path.join(dir, 'params.json'), '[\n  {"ParameterKey": "Token", "ParameterValue": "s3cr3t"\n]\n');
    const diagnostics: Diagnostic[] = [];
    cfnParameters({ parameterFiles: ['params.json'] }, dir, diagnostics, (file) => path.relative(dir, file), new FileAccess({ roots: [dir], display: (file) => path.relative(dir, file) }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'read-error', location: expect.objectContaining({ file: 'params.json', startLine: 3 }) })]);
    expect(diagnostics[0]!.message).toMatch(/^could not read the parameter file \(it is not valid JSON: comma expected at line 3, column 1\); /);
  });
});
