import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './helpers/import-graph.js';

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
});
