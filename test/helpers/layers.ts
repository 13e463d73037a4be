import path from 'node:path';

// The direction of imports between the folders of src/ and providers/ (docs/architecture.md). Each
// layer lists the layers it may import besides itself; an import not listed is against the flow.

/** A folder of the code base, as the rules name it. */
export type Layer = 'base' | 'model' | 'sources' | 'providers' | 'engine' | 'report' | 'reporters' | 'history' | 'config' | 'pipeline' | 'cli' | 'index';

/** What each layer may import besides itself. */
export const LAYER_RULES: Readonly<Record<Layer, readonly Layer[]>> = {
  // The vocabulary of everything else: imports nothing.
  model: [],
  // Small shared helpers at the top of src/ (errors, limits, escape, arrays, suggest, version).
  base: ['model'],
  // Readers of each input format into resource views.
  sources: ['base', 'model'],
  // Resource views (and live data) to the model, per cloud.
  providers: ['base', 'model', 'sources'],
  // Policies on the model. Reads policy files through the scan's file boundary, nothing else of sources.
  engine: ['base', 'model'],
  // Report assembly and baselines: what the engine decided, for the reporters.
  report: ['base', 'model', 'engine', 'sources'],
  // Renderers: the model and the report only, never the engine.
  reporters: ['base', 'model', 'report'],
  // Recorded reports and the nightly report over them: the report's shape in, the reporters' escaping out.
  history: ['base', 'model', 'report', 'reporters'],
  // The config file: the model's vocabulary and the readers' file access, never the engine or the report.
  config: ['base', 'model', 'sources'],
  // Scan and audit: every stage, in order.
  pipeline: ['base', 'model', 'sources', 'providers', 'engine', 'report', 'config'],
  cli: ['base', 'model', 'sources', 'providers', 'engine', 'report', 'reporters', 'history', 'config', 'pipeline'],
  // The library's entry point: everything but the CLI, which is the layer above it.
  index: ['base', 'model', 'sources', 'providers', 'engine', 'report', 'reporters', 'history', 'config', 'pipeline'],
};

/** Files a layer may import from a layer its rule leaves out, each with why. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  // engine -> sources: the policy loader reads policy files through the same boundary as input files.
  [path.join('src', 'sources', 'file-access.ts'), 'engine'],
]);

/** The layer of a file (a path relative to the repository root). */
export function layerOf(file: string): Layer {
  const parts = file.split(path.sep);
  if (parts[0] === 'providers') return 'providers';
  if (parts.length === 2) return parts[1] === 'index.ts' ? 'index' : 'base';
  const folder = parts[1];
  switch (folder) {
    case 'model':
    case 'sources':
    case 'engine':
    case 'report':
    case 'reporters':
    case 'history':
    case 'config':
    case 'pipeline':
    case 'cli':
      return folder;
    default:
      throw new Error(`${file}: src/${folder}/ is in no layer; add it to test/helpers/layers.ts and docs/architecture.md`);
  }
}

/** Every import against the rules, as `from (layer) imports to (layer)`, sorted. */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>, rules: Readonly<Record<Layer, readonly Layer[]>>): string[] {
  const violations: string[] = [];
  for (const [from, imports] of graph) {
    const fromLayer = layerOf(from);
    for (const to of imports) {
      const toLayer = layerOf(to);
      if (toLayer === fromLayer || rules[fromLayer].includes(toLayer)) continue;
      if (EXCEPTIONS.get(to) === fromLayer) continue;
      violations.push(`${from} (${fromLayer}) imports ${to} (${toLayer})`);
    }
  }
  return violations.sort();
}
