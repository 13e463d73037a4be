// The engine case of `npm run bench` (issue 19): how long policy evaluation takes on the generated
// tree with a given pack, apart from reading it. Run as a child process, one pack per run:
//
//   node bench/engine-case.mjs TREE PACK
//
// It scans TREE in-process with the built pipeline and the pack (src/model/packs.ts), and prints
// one JSON line: the engine's time (from the pipeline's "evaluating N policies on M entities"
// progress message to the end of the scan: evaluation, suppressions and the report), wall and CPU,
// the whole scan time, and the policies, entities and findings. The engine time of the full pack against the four
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
let evaluatingCpu;
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
      evaluatingCpu = process.cpuUsage();
      policies = Number(match[1]);
    }
  },
});
const finished = performance.now();
// CPU time as well as wall time: on a shared machine the wall time of a second-long phase is mostly
// other processes' load, its CPU time much less so.
const cpu = evaluatingCpu === undefined ? undefined : process.cpuUsage(evaluatingCpu);
if (evaluating === undefined) throw new Error('the pipeline never reported "evaluating": the engine time cannot be told apart');
process.stdout.write(
  `${JSON.stringify({ pack, policies, entities: report.summary.entities, findings: report.summary.findings.total, checks: report.summary.checks.checks, engineMs: finished - evaluating, engineCpuMs: cpu === undefined ? undefined : (cpu.user + cpu.system) / 1000, scanMs: finished - started })}\n`,
);
