import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// The graph of relative imports between the project's own TypeScript modules, and its cycles. Type
// imports count: a cycle of types still ties two modules into one unit that cannot be understood,
// tested or moved apart.

/** Every `.ts` file under the given directories (relative to `root`), with the modules it imports. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  const graph = new Map<string, string[]>();
  for (const file of files) graph.set(path.relative(root, file), importsOf(root, file));
  return graph;
}

/** The relative modules a file imports or re-exports from (`from './x.js'`, `import('./x.js')`). */
export function importsOf(root: string, file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    const target = path.resolve(path.dirname(file), (match[1] ?? match[2])!.replace(/\.js$/, '.ts'));
    if (existsSync(target)) found.add(path.relative(root, target));
  }
  return [...found].sort();
}

/** The strongly connected components of more than one module (or a module importing itself): the cycles. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return cycles;
}
