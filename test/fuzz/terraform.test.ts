import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { Unknown } from '../../src/model/unknown.js';
import { evaluate, type Scope } from '../../src/sources/terraform/expression/evaluate.js';
import { ExpressionSyntaxError, parseExpression, parseTemplateValue } from '../../src/sources/terraform/expression/parse.js';
import { EvalError } from '../../src/sources/terraform/expression/value.js';
import { hclErrorDiagnostics, parseJsonFile, type TerraformFile } from '../../src/sources/terraform/files.js';
import { HCL2JSON_MAX_DEPTH, openHclParser, type HclParser } from '../../src/sources/terraform/hcl-parser.js';
import { scanHclPositions } from '../../src/sources/terraform/hcl-scanner.js';
import { ModuleInstance, type InstanceHost, type ResourceInstance } from '../../src/sources/terraform/instance.js';
import { defineModule } from '../../src/sources/terraform/module-definition.js';
import { loadPlan } from '../../src/sources/terraform/plan.js';
import type { PositionIndex } from '../../src/sources/view/positions.js';
import { arbitraryText, expectDiagnosticsInside, expectLocationInside, fuzzFixture, mutatedSeed, repo, runs, seeds, tally } from '../helpers/fuzz.js';

const HCL_TOKENS = ['resource', '"aws_api_gateway_rest_api"', '"a"', 'locals', 'variable', 'module', 'dynamic', 'content', 'for_each', '{', '}', '[', ']', '(', ')', '=', ',', ':', '?', '=>', '...', '.', '*', '"', '${', '%{', '$${', '}"', '~}', '\\"', '\\u00', '\\', '#', '//', '/*', '*/', '<<EOT\n', '<<-EOT\n', '\nEOT\n', '\n', ' ', 'var.x', 'local.y', 'each.key', 'count.index', 'for', 'in', 'if', 'endif', 'endfor', 'else', 'jsonencode(', 'jsondecode(', 'yamldecode(', 'replace(', 'merge(', 'lookup(', 'try(', 'file(', 'templatefile(', 'format(', '"/(/"', '1', '-1e999', '0x', 'true', 'null', '!', '-', '&&', '||', '==', '%'];
const EXPRESSION_TOKENS = HCL_TOKENS.filter((token) => !['resource', 'locals', 'variable', 'module', 'dynamic', 'content', '<<EOT\n', '<<-EOT\n', '\nEOT\n'].includes(token));
const JSON_TOKENS = ['{', '}', '[', ']', ':', ',', '"', '"resource"', '"aws_api_gateway_rest_api"', '"a"', '"${var.x}"', '"${"', '"\\u0000"', '"\\uZZZZ"', '\\', '1', '-0', '1e400', 'true', 'null', '//', '/*', '*/', '\n'];
const PLAN_TOKENS = [...JSON_TOKENS, '"format_version"', '"1.2"', '"resource_changes"', '"address"', '"mode"', '"managed"', '"type"', '"name"', '"change"', '"after"', '"after_unknown"', '"actions"', '"create"', '"configuration"', '"root_module"', '"module_calls"', '"expressions"', '"references"', '"constant_value"', '"planned_values"'];

const hclSeeds = seeds((file) => file.endsWith('.tf') || file.endsWith('.tfvars'));
const jsonSeeds = seeds((file) => file.endsWith('.tf.json') || file.endsWith('.tfvars.json') || file.startsWith('test/fixtures/conformance/json/'));
const planSeeds = seeds((file) => file.startsWith('test/fixtures/plans/') || file.startsWith('test/fixtures/conformance/plan'));

/** Every position an index holds must be inside the text it was made from. */
function expectPositionsInside(positions: PositionIndex, file: string, text: string): void {
  for (const path of positions.paths()) expectLocationInside(positions.get(path)!, file, text);
}

/** What a module instance needs from a loader, without files or child modules. */
function fakeHost(diagnostics: Diagnostic[]): InstanceHost {
  return {
    resolveModule: () => ({ severity: 'warning', code: 'not-scanned', message: 'modules are not read in this test' }),
    readFile: () => new Unknown('files are not read in this test'),
    fileExists: () => new Unknown('files are not looked at in this test'),
    instanceLimit: 10_000,
    takeInstances: (wanted) => wanted,
    relativePath: (file) => file,
    report: (diagnostic) => diagnostics.push(diagnostic),
    isModuleComplete: () => true,
    rejectRoot: (_root, diagnostic) => diagnostics.push(diagnostic),
    registerInstance: () => {},
    computedAttribute: () => undefined,
  };
}

/** Evaluates every resource of one parsed file, as the adapters would read it. */
function evaluateFile(file: TerraformFile): Diagnostic[] {
  const definition = defineModule('/fuzz', [file]);
  const diagnostics: Diagnostic[] = [...definition.diagnostics];
  const instance = new ModuleInstance(fakeHost(diagnostics), definition, '', new Map(), new Map(), new Map(), '/fuzz', '');
  const resources: ResourceInstance[] = [];
  instance.collectResources(resources);
  for (const resource of resources) JSON.stringify(resource.values, (_key, value: unknown) => (value instanceof Unknown ? `unknown: ${value.reason}` : value));
  return diagnostics;
}

const constantScope: Scope = { lookup: () => undefined, readFile: () => new Unknown('not read'), fileExists: () => new Unknown('not looked at'), baseDir: '.' };

/** Parses and evaluates an expression; syntax and configuration errors are the allowed outcomes. */
function parseAndEvaluate(parse: () => ReturnType<typeof parseExpression>): string {
  try {
    evaluate(parse(), constantScope);
    return 'value';
  } catch (error) {
    if (error instanceof ExpressionSyntaxError || error instanceof EvalError) return error.name;
    throw error;
  }
}

describe('the Terraform readers on arbitrary and mutated input', () => {
  let parser: HclParser;
  beforeAll(async () => {
    parser = await openHclParser();
  });
  afterAll(async () => {
    await parser.close();
  });

  it('finds realistic inputs to mutate', () => {
    expect(hclSeeds.length).toBeGreaterThan(50);
    expect(jsonSeeds.length).toBeGreaterThan(2);
    expect(planSeeds.length).toBeGreaterThan(3);
  });

  it('indexes HCL positions of any text without throwing, every position inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(HCL_TOKENS).map((text) => ({ file: 'main.tf', text })), mutatedSeed(hclSeeds, HCL_TOKENS)), ({ text }) => {
        expectPositionsInside(scanHclPositions('main.tf', text), 'main.tf', text);
      }),
      { numRuns: runs(100) },
    );
  });

  it('parses mutated HCL into a body or syntax diagnostics inside the file, and evaluates the body without throwing', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutatedSeed(hclSeeds, HCL_TOKENS), async ({ text }) => {
        const result = await parser.parse('main.tf', text);
        if ('error' in result) {
          const diagnostics = hclErrorDiagnostics('main.tf', result.error);
          expect(diagnostics.length).toBeGreaterThan(0);
          expect(diagnostics.length).toBeLessThanOrEqual(5);
          expectDiagnosticsInside(diagnostics, 'main.tf', text);
          for (const diagnostic of diagnostics) tally(outcomes, diagnostic.code);
          return;
        }
        const positions = scanHclPositions('main.tf', text);
        const diagnostics = evaluateFile({ path: '/fuzz/main.tf', relPath: 'main.tf', format: 'hcl', body: result.body, positions });
        expectDiagnosticsInside(diagnostics, 'main.tf', text);
        tally(outcomes, 'parsed');
      }),
      { numRuns: runs(100) },
    );
    // Both paths were taken: the property says something about each.
    expect(outcomes.get('parsed')).toBeGreaterThan(0);
    expect(outcomes.get('parse-error')).toBeGreaterThan(0);
  });

  it('turns any parser message into at most five parse-error diagnostics on the file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom('main.tf', ':', '1', ',', '-', ' ', ';', '[', ']', 'parse config: ', 'Summary', '\n'), { maxLength: 200 }).map((parts) => parts.join(''))), (message) => {
        const diagnostics = hclErrorDiagnostics('main.tf', new Error(message));
        expect(diagnostics.length).toBeGreaterThanOrEqual(1);
        expect(diagnostics.length).toBeLessThanOrEqual(5);
        for (const diagnostic of diagnostics) {
          expect(diagnostic).toMatchObject({ severity: 'error', code: 'parse-error', location: { file: 'main.tf' } });
          expect(diagnostic.location!.startLine).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('reads any .tf.json text into a file or diagnostics inside it', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(JSON_TOKENS).map((text) => ({ file: 'main.tf.json', text })), mutatedSeed(jsonSeeds, JSON_TOKENS)), ({ text }) => {
        const parsed = parseJsonFile('/fuzz/main.tf.json', 'main.tf.json', text);
        expectDiagnosticsInside(parsed.diagnostics, 'main.tf.json', text);
        if (parsed.file) {
          expectPositionsInside(parsed.file.positions, 'main.tf.json', text);
          expectDiagnosticsInside(evaluateFile(parsed.file), 'main.tf.json', text);
        }
      }),
    );
  });

  it('parses and evaluates any expression or template, failing only with syntax or configuration errors', () => {
    fc.assert(
      fc.property(arbitraryText(EXPRESSION_TOKENS, 200), (text) => {
        parseAndEvaluate(() => parseExpression(text));
        parseAndEvaluate(() => parseTemplateValue(text));
      }),
      { numRuns: runs(300) },
    );
  });

  it('reads any plan text into resources or diagnostics inside it', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(PLAN_TOKENS).map((text) => ({ file: 'plan.json', text })), mutatedSeed(planSeeds, PLAN_TOKENS)), ({ text }) => {
        const result = loadPlan(text, { relPath: 'plan.json', rootModule: '.', include: () => true });
        expectDiagnosticsInside(result.diagnostics, 'plan.json', text);
        for (const resource of result.resources) {
          JSON.stringify(resource.values);
          expectLocationInside(resource.location, 'plan.json', text);
        }
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('invariants of the Terraform readers', () => {
  const valid = hclSeeds.filter((seed) => seed.file.endsWith('.tf') && !seed.file.includes('ugly'));

  it('moves every HCL position down by exactly the lines inserted above, keeping the same paths', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.integer({ min: 1, max: 5 }), fc.constantFrom('\n', '# a comment\n', '// gatewarden:ignore x -- y\n', '/* a\n block */\n'), ({ text }, times, line) => {
        const added = line.repeat(times);
        const before = scanHclPositions('main.tf', text);
        const after = scanHclPositions('main.tf', added + text);
        const shift = added.split('\n').length - 1;
        expect([...after.paths()].map((path) => path.join('/')).sort()).toEqual([...before.paths()].map((path) => path.join('/')).sort());
        for (const path of before.paths()) {
          expect(after.get(path)!.startLine).toBe(before.get(path)!.startLine + shift);
          expect(after.get(path)!.endLine).toBe(before.get(path)!.endLine + shift);
        }
      }),
      { numRuns: runs(50) },
    );
  });

  it('reads a .tf.json file the same after blank lines above it, with positions moved by as many lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...jsonSeeds), fc.integer({ min: 1, max: 5 }), ({ text }, shift) => {
        const before = parseJsonFile('/f.tf.json', 'f.tf.json', text);
        const after = parseJsonFile('/f.tf.json', 'f.tf.json', '\n'.repeat(shift) + text);
        expect(after.file?.body).toEqual(before.file?.body);
        for (const path of before.file?.positions.paths() ?? []) expect(after.file!.positions.get(path)!.startLine).toBe(before.file!.positions.get(path)!.startLine + shift);
      }),
      { numRuns: runs(30) },
    );
  });

  it('parses an expression the same inside parentheses and after a comment', () => {
    fc.assert(
      fc.property(arbitraryText(EXPRESSION_TOKENS, 120), (text) => {
        let expected;
        try {
          expected = parseExpression(text);
        } catch {
          return;
        }
        // An unclosed `/*` runs to the end of the text, closing parenthesis included.
        if (text.includes('/*')) return;
        expect(parseExpression(`/* c */ (${text}\n)`)).toEqual(expected);
      }),
      { numRuns: runs(300) },
    );
  });

  it('reports an HCL syntax error lower by exactly the lines inserted above', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedSeed(valid, HCL_TOKENS), fc.integer({ min: 1, max: 4 }), async ({ text }, shift) => {
        const before = await parser.parse('main.tf', text);
        if (!('error' in before)) return;
        // A byte order mark counts only at the very start: the lines go after it.
        const bom = text.startsWith('\ufeff') ? '\ufeff' : '';
        const after = await parser.parse('main.tf', bom + '\n'.repeat(shift) + text.slice(bom.length));
        expect('error' in after).toBe(true);
        const [first] = hclErrorDiagnostics('main.tf', before.error);
        const [moved] = hclErrorDiagnostics('main.tf', (after as { error: string }).error);
        if (first!.code === 'parse-error' && moved!.code === 'parse-error') expect(moved!.location!.startLine).toBe(first!.location!.startLine + shift);
      }),
      { numRuns: runs(40) },
    );
  });

  let parser: HclParser;
  beforeAll(async () => {
    parser = await openHclParser();
  });
  afterAll(async () => {
    await parser.close();
  });
});

describe('Terraform inputs that crashed a reader (test/fixtures/fuzz/terraform)', () => {
  let parser: HclParser;
  beforeAll(async () => {
    parser = await openHclParser();
  });
  afterAll(async () => {
    await parser.close();
  });

  it('reports a tuple nested 3,000 levels as over the depth limit, at its line, instead of overflowing the stack', async () => {
    const text = fuzzFixture('terraform/deep-tuple.tf.fuzz');
    const result = await parser.parse('main.tf', text);
    expect('error' in result).toBe(true);
    const diagnostics = hclErrorDiagnostics('main.tf', (result as { error: string }).error);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'limit', location: expect.objectContaining({ file: 'main.tf', startLine: 2 }) })]);
    expect(diagnostics[0]!.message).toMatch(/nests 3,00\d levels deep.*--limit depth=/);
  });

  it('reads deeper bodies under a raised limit, but never hands hcl2json more than it survives', async () => {
    const tuple = (depth: number): string => `a = ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    expect('body' in (await parser.parse('main.tf', tuple(300), { depth: 500 }))).toBe(true);
    expect(await parser.parse('main.tf', fuzzFixture('terraform/deep-tuple.tf.fuzz'), { depth: 5000 })).toEqual({ error: expect.stringContaining(`depth limit ${HCL2JSON_MAX_DEPTH}`) });
  });

  it('reports a body deeper than its brackets (nested blocks become lists of objects) as over the limit', async () => {
    const blocks = `${'a {\n'.repeat(120)}${'}\n'.repeat(120)}`;
    const result = await parser.parse('main.tf', blocks);
    expect(hclErrorDiagnostics('main.tf', (result as { error: string }).error)).toEqual([expect.objectContaining({ code: 'limit', message: expect.stringMatching(/nests 24\d levels deep/) })]);
  });

  it('says that the parser overflowed its stack on a shape the measure does not see', () => {
    expect(hclErrorDiagnostics('main.tf', new Error('Maximum call stack size exceeded'))).toEqual([
      expect.objectContaining({ code: 'parse-error', message: expect.stringContaining('nests too deeply for the HCL parser'), location: expect.objectContaining({ startLine: 1 }) }),
    ]);
  });

  // The built parser runs hcl2json on a worker thread (from TypeScript sources it runs in-process).
  const builtParser = path.join(repo, 'dist/src/sources/terraform/hcl-parser.js');
  it.skipIf(!existsSync(builtParser))('gives the files queued behind a stack overflow of hcl2json to a new parser thread', async () => {
    // A second overflow in one Go runtime aborts it ("fatal error: malloc deadlock"), which took the
    // thread down and turned every later file of the scan into "the HCL parser thread stopped".
    const built = (await import(pathToFileURL(builtParser).href)) as typeof import('../../src/sources/terraform/hcl-parser.js');
    const threaded = await built.openHclParser();
    try {
      // 50,000 `!` overflow hcl2json's stack without deep brackets, which the text measure would stop first.
      const bangs = `a = ${'!'.repeat(50_000)}true\n`;
      const [first, second, ok] = await Promise.all([threaded.parse('a.tf', bangs), threaded.parse('b.tf', bangs), threaded.parse('ok.tf', 'ok = 1\n')]);
      expect(ok).toEqual({ body: { ok: 1 } });
      for (const result of [first, second]) expect('error' in result && hclErrorDiagnostics('a.tf', result.error)[0]!.message).toContain('nests too deeply for the HCL parser');
    } finally {
      await threaded.close();
    }
  });

  it('lists at most five of the hundreds of thousands of errors a file of random bytes gives', async () => {
    // 1 MB of random bytes named main.tf gave 130,000 diagnostics, and spreading them into the
    // loader's list overflowed the stack. A message of that size is made here without hcl2json.
    const entries = Array.from({ length: 200_000 }, (_, i) => `main.tf:${i + 1},1-2: Invalid character; This character is not used within the language.`);
    const diagnostics = hclErrorDiagnostics('main.tf', new Error(`parse config: [${entries.join(' ')}]`));
    expect(diagnostics.map((diagnostic) => diagnostic.location!.startLine)).toEqual([1, 2, 3, 4, 5]);
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(Array(5).fill('parse-error'));
    expect(diagnostics[4]!.message).toContain('further errors are not listed');
  });

  it('reads the errors of a file of control characters through hcl2json', async () => {
    const text = fuzzFixture('terraform/control-characters.tf.fuzz');
    const result = await parser.parse('main.tf', text);
    const diagnostics = hclErrorDiagnostics('main.tf', (result as { error: string }).error);
    expect(diagnostics).toHaveLength(5);
    expectDiagnosticsInside(diagnostics, 'main.tf', text);
  });

  it('reads a parser message that made the old pattern backtrack for minutes in linear time', () => {
    const started = performance.now();
    const diagnostics = hclErrorDiagnostics('main.tf', new Error('a:1,1-'.repeat(50_000)));
    expect(diagnostics.length).toBeLessThanOrEqual(5);
    // The old pattern took 51 s on 40,000 repetitions; linear reading takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('splits entries at the file name when the file name has spaces', () => {
    const diagnostics = hclErrorDiagnostics('dir with space/main.tf', new Error('parse config: [dir with space/main.tf:1,5-5: Missing expression; Expected an expression. dir with space/main.tf:3,1-2: Invalid expression; Expected the start of an expression.]'));
    expect(diagnostics.map((diagnostic) => [diagnostic.location!.startLine, diagnostic.message.split(' (')[0]])).toEqual([
      [1, 'Missing expression: Expected an expression.'],
      [3, 'Invalid expression: Expected the start of an expression.'],
    ]);
  });

  it.each([
    ['deep-blocks.tf.fuzz', 'blocks nested 10,000 levels'],
    ['alternating-brackets.tf.fuzz', 'brackets {[{[ nested 10,000 levels'],
    ['nested-templates.tf.fuzz', 'templates "${"${ nested 5,000 levels'],
  ])('indexes positions of %s (%s) without overflowing the stack', (name) => {
    const text = fuzzFixture(`terraform/${name}`);
    expectPositionsInside(scanHclPositions('main.tf', text), 'main.tf', text);
  });

  it('indexes the blocks above the depth limit and skips the inside of deeper ones', () => {
    const positions = scanHclPositions('main.tf', 'a {\n  b {\n    c {\n      x = 1\n    }\n  }\n}\nafter = 2\n', 2);
    expect(positions.get(['a', 'b', '0'])).toMatchObject({ startLine: 2, endLine: 6 });
    expect(positions.get(['a', 'b', '0', 'c', '0'])).toMatchObject({ startLine: 3, endLine: 5 });
    expect(positions.get(['a', 'b', '0', 'c', '0', 'x'])).toBeUndefined();
    expect(positions.get(['after'])).toMatchObject({ startLine: 8 });
  });

  it('reports a .tf.json file nested 10,000 levels as over the depth limit at the bracket that went over', () => {
    const text = fuzzFixture('json/deep-array.json.fuzz');
    const parsed = parseJsonFile('/main.tf.json', 'main.tf.json', text);
    expect(parsed.file).toBeUndefined();
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ startLine: 1, startColumn: 201 }) })]);
  });

  it('reports a JavaScript comment in a .tf.json file as invalid JSON instead of throwing from JSON.parse', () => {
    const text = fuzzFixture('terraform/js-comment.tf.json.fuzz');
    const parsed = parseJsonFile('/main.tf.json', 'main.tf.json', text);
    expect(parsed.file).toBeUndefined();
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'parse-error', message: expect.stringContaining('InvalidCommentToken'), location: expect.objectContaining({ startLine: 1, startColumn: 1 }) })]);
  });

  it('reports a plan nested 10,000 levels as over the depth limit', () => {
    const text = fuzzFixture('terraform/deep-plan.json.fuzz');
    const result = loadPlan(text, { relPath: 'plan.json', rootModule: '.', include: () => true });
    expect(result.resources).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ file: 'plan.json', startLine: 1 }) })]);
  });

  it.each(fuzzFixture('terraform/expressions.txt.fuzz').split('\n').filter((line) => line !== '' && !line.startsWith('#')))(
    'parses and evaluates %s without an error other than a syntax, configuration or depth error',
    (text) => {
      const source = text.replace(/«(.+?)×(\d+)»/g, (_, unit: string, times: string) => unit.repeat(Number(times)));
      expect(['value', 'ExpressionSyntaxError', 'EvalError', 'DepthLimitError']).toContain(parseAndEvaluate(() => parseTemplateValue(source)));
    },
  );

  it('stops an expression nested past the depth limit with a depth error', () => {
    expect(parseAndEvaluate(() => parseExpression(`${'('.repeat(1_000)}1${')'.repeat(1_000)}`))).toBe('DepthLimitError');
    expect(parseAndEvaluate(() => parseExpression(`1${' + 1'.repeat(5_000)}`))).toBe('DepthLimitError');
    expect(parseAndEvaluate(() => parseExpression(`a${'.b'.repeat(5_000)}`))).toBe('DepthLimitError');
    expect(parseAndEvaluate(() => parseExpression('!'.repeat(5_000) + 'true'))).toBe('DepthLimitError');
    // Within the limit the same shapes evaluate as before.
    expect(evaluate(parseExpression(`${'('.repeat(150)}1${')'.repeat(150)}`), constantScope)).toBe(1);
    expect(evaluate(parseExpression(`1${' + 1'.repeat(150)}`), constantScope)).toBe(151);
  });

  it('reports a chain of locals deeper than the evaluation bound as a limit diagnostic on the local that went over', () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => `  l${i + 1} = [local.l${i}]`);
    const text = `locals {\n  l0 = "x"\n${lines.join('\n')}\n}\nresource "aws_api_gateway_rest_api" "a" {\n  name = jsonencode(local.l1000)\n}\n`;
    return parser.parse('main.tf', text).then((result) => {
      const diagnostics = evaluateFile({ path: '/fuzz/main.tf', relPath: 'main.tf', format: 'hcl', body: (result as { body: TerraformFile['body'] }).body, positions: scanHclPositions('main.tf', text) });
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.every((diagnostic) => diagnostic.code === 'limit')).toBe(true);
      expectDiagnosticsInside(diagnostics, 'main.tf', text);
    });
  });
});
