import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './helpers/import-graph.js';
import { layerOf, layerViolations, LAYER_RULES } from './helpers/layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the module structure', () => {
  it('has no import cycles in src/ and providers/, type imports included', () => {
    const graph = importGraph(ROOT, ['src', 'providers']);
    // The graph is real: the CLI reaches the scan, the scan the engine.
    expect(graph.get(path.join('src', 'cli', 'cli.ts'))).toContain(path.join('src', 'cli', 'io.ts'));
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle of two modules, one through a type import and one through import()', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-cycles-'));
    try {
      mkdirSync(path.join(dir, 'src', 'a'), { recursive: true });
      writeFileSync(path.join(dir, 'src', 'a', 'one.ts'), "import type { Two } from '../two.js';\nexport type One = Two;\n");
      writeFileSync(path.join(dir, 'src', 'two.ts'), "export type Two = string;\nexport const load = () => import('./a/one.js');\n");
      writeFileSync(path.join(dir, 'src', 'three.ts'), "import { load } from './two.js';\nexport { load };\n");
      expect(importCycles(importGraph(dir, ['src']))).toEqual([[path.join('src', 'a', 'one.ts'), path.join('src', 'two.ts')]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports only along the flow: sources and providers before the engine, the engine before the report, the CLI last', () => {
    const graph = importGraph(ROOT, ['src', 'providers']);
    // The rules are about real edges: the pipeline reaches the engine, reporters the report.
    expect(graph.get(path.join('src', 'pipeline', 'check.ts'))).toContain(path.join('src', 'engine', 'evaluate.ts'));
    expect(layerViolations(graph, LAYER_RULES)).toEqual([]);
  });

  it('reports an import against the flow: the engine importing a reporter, the model the engine', () => {
    const graph = new Map([
      [path.join('src', 'engine', 'evaluate.ts'), [path.join('src', 'reporters', 'sarif.ts'), path.join('src', 'model', 'entities.ts')]],
      [path.join('src', 'model', 'entities.ts'), [path.join('src', 'engine', 'policy.ts')]],
      [path.join('src', 'reporters', 'sarif.ts'), [path.join('src', 'report', 'report.ts')]],
    ]);
    expect(layerViolations(graph, LAYER_RULES)).toEqual([
      `${path.join('src', 'engine', 'evaluate.ts')} (engine) imports ${path.join('src', 'reporters', 'sarif.ts')} (reporters)`,
      `${path.join('src', 'model', 'entities.ts')} (model) imports ${path.join('src', 'engine', 'policy.ts')} (engine)`,
    ]);
    expect(layerOf(path.join('providers', 'aws', 'live', 'audit.ts'))).toBe('providers');
    expect(layerOf(path.join('src', 'limits.ts'))).toBe('base');
  });
});
