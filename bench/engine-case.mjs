// The engine case of `npm run bench` (issue 19): how long policy evaluation takes on the generated
// tree with a given pack, apart from reading it. Run as a child process, one pack per run:
//
//   node bench/engine-case.mjs TREE PACK
//
// It scans TREE in-process with the built pipeline and the pack (src/model/packs.ts), and prints
// one JSON line: the engine's time (from the pipeline's "evaluating N policies on M entities"
// progress message to the end of the scan: evaluation, suppressions and the report), the whole scan
// time, and the policies, entities and findings. The engine time of the full pack against the four
// headline policies shows whether evaluation grows linearly with policies x entities.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [tree, pack] = process.argv.slice(2);
if (tree === undefined || pack === undefined) {
  process.stderr.write('usage: node bench/engine-case.mjs TREE PACK\n');
  process.exit(2);
}
const { scan } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'pipeline', 'scan.js')).href);
let evaluating;
let policies = 0;
const started = performance.now();
const report = await scan({
  cwd: ROOT,
  paths: [path.relative(ROOT, path.resolve(tree))],
  packs: [pack],
  onProgress: (message) => {
    const match = /^evaluating (\d+) policies/.exec(message);
    if (match) {
      evaluating = performance.now();
      policies = Number(match[1]);
    }
  },
});
const finished = performance.now();
if (evaluating === undefined) throw new Error('the pipeline never reported "evaluating": the engine time cannot be told apart');
process.stdout.write(
  `${JSON.stringify({ pack, policies, entities: report.summary.entities, findings: report.summary.findings.total, checks: report.summary.checks.checks, engineMs: finished - evaluating, scanMs: finished - started })}\n`,
);
