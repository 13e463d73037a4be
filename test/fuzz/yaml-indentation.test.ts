import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/sources/cloudformation/template.js';
import { runs } from '../helpers/fuzz.js';

// A template whose flow collections and quoted scalars span lines, between a block scalar and a
// multi-line plain scalar (which the re-indenting pass feeds to the lexer in one piece).
const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Description: "Orders API,',
  '  for partners and',
  '  the shop"',
  'Resources:',
  '  OrdersApi:',
  '    Type: AWS::Serverless::Api',
  '    Properties:',
  '      StageName: prod',
  '      Cors: {',
  '        AllowOrigin: "\'https://shop.example.com\'",',
  '        AllowMethods: "\'GET,POST\'",',
  '        AllowHeaders: [ Content-Type,',
  '          X-Api-Key ]',
  '      }',
  '      DefinitionBody: !Sub |',
  '        openapi: "3.0.1"',
  '        info: { title: "${AWS::StackName}" }',
  '',
  '        paths: {}',
  '      Description: plain text',
  '        over two lines',
  '      BinaryMediaTypes:',
  '        - [ image/png,',
  '            image/jpeg ]',
  '      Script: |',
  '        echo hello',
  '      Ports:',
  '        - [ 80,',
  '            443 ]',
  '      MethodSettings: [ {',
  '          ResourcePath: "/*", HttpMethod: "*",',
  '          ThrottlingRateLimit: 50,',
  '          ThrottlingBurstLimit: 100',
  '        } ]',
  '      Tags: { team: orders, note: \'written',
  '          in two lines\', plain: one',
  '          two }',
  '  ListOrders:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: !Join [ ".", [',
  '          app, list ] ]',
  '      Events: { List: { Type: Api, Properties: {',
  '          Path: /orders, Method: get } } }',
];
/** 1-based lines inside a flow collection or continuing a quoted scalar: their indentation means nothing to libyaml. */
const MOVABLE = [3, 4, 11, 12, 13, 14, 15, 25, 30, 32, 33, 34, 35, 37, 38, 43, 45];

describe('re-indenting YAML as libyaml reads it', () => {
  it('reads a template the same, values and lines, however little the lines in flow collections and quoted scalars are indented', () => {
    const text = `${TEMPLATE.join('\n')}\n`;
    const original = parseTemplate('t.yaml', text);
    expect(original.diagnostics).toEqual([]);
    const lineOf = (result: ReturnType<typeof parseTemplate>, path: string[]) => result.template!.positions.get(path)?.startLine;
    const paths = [...original.template!.positions.paths()];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...MOVABLE.map(String)), fc.nat({ max: 12 }), { minKeys: 1 }), (moves) => {
        const lines = TEMPLATE.map((line, index) => {
          const spaces = moves[String(index + 1)];
          return spaces === undefined ? line : ' '.repeat(Math.min(spaces, line.length - line.trimStart().length)) + line.trimStart();
        });
        const moved = parseTemplate('t.yaml', `${lines.join('\n')}\n`);
        expect(moved.diagnostics).toEqual([]);
        expect(moved.template!.data).toEqual(original.template!.data);
        for (const path of paths) expect(lineOf(moved, path)).toBe(lineOf(original, path));
      }),
      { numRuns: runs(150) },
    );
  });
});
