#!/usr/bin/env node
/**
 * Measures well-kept glob libraries against gatewarden's own matcher (src/config/glob.ts), to decide
 * on evidence whether one of them can replace it (issue 13). Two questions, for each library:
 *
 * 1. Semantics: the expectations of test/config/glob.test.ts, ported below. Each library gets the
 *    thinnest fair wrapper for the gitignore rules it lacks (a pattern without "/" matches at any
 *    depth, a pattern naming a directory matches everything under it, a trailing "/" means
 *    directories only) and its safe options (`dot`, no extglobs, no negation, no comments).
 * 2. Hostile input: `.gatewarden.yaml` comes from the pull request, and so do the file names. Each
 *    hostile case runs in a child process killed after --timeout ms, since a backtracking regular
 *    expression cannot be interrupted from inside.
 *
 * The libraries are not dependencies of gatewarden. Install them in a scratch directory and point
 * the script at it, after `npm run build` (gatewarden's matcher is read from dist/):
 *
 *   mkdir /tmp/globeval && cd /tmp/globeval && npm init -y && npm i picomatch ignore micromatch minimatch
 *   cd - && npm run build && node scripts/glob-libraries.mjs --libs /tmp/globeval [--timeout 5000] [--json]
 *
 * The output of the last run is scripts/glob-libraries-figures.txt; the decision it supports is in
 * the header comment of src/config/glob.ts.
 */

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const libsDir = path.resolve(option('--libs', process.env.GLOB_LIBS ?? '/tmp/globeval'));
const timeoutMs = Number(option('--timeout', '5000'));
const require = createRequire(path.join(libsDir, 'package.json'));
const here = path.dirname(fileURLToPath(import.meta.url));

/** Applies the gitignore rules of gatewarden's globs around a library's plain glob matcher. */
function gitignoreWrapper(compileCore) {
  return (pattern) => {
    if (pattern.trim() === '' || pattern.startsWith('!')) throw new Error('rejected before the library');
    let body = pattern;
    const directoryOnly = body.length > 1 && body.endsWith('/') && !body.endsWith('\\/');
    if (directoryOnly) body = body.slice(0, -1);
    const anchored = /(^|[^\\])\//.test(body);
    while (body.startsWith('./') || body.startsWith('/')) body = body.slice(body.startsWith('./') ? 2 : 1);
    if (body === '' || body === '.') return () => true;
    const core = (anchored ? '' : '**/') + body;
    const whole = compileCore(core);
    const inside = compileCore(`${core}/**`);
    return (file) => {
      // A directory ("x/") is matched when the pattern covers all of it.
      if (file.endsWith('/')) return inside(`${file}x`) || (!directoryOnly && whole(file.slice(0, -1))) || inside(file);
      return inside(file) || (!directoryOnly && whole(file));
    };
  };
}

/** Each library: its version and a compiler from one pattern to a predicate over normalized paths. */
function loadLibraries() {
  const libraries = {};
  const version = (name) => require(`${name}/package.json`).version;
  libraries.gatewarden = {
    version: 'own (dist/src/config/glob.js)',
    load: async () => {
      const glob = await import(path.join(here, '..', 'dist', 'src', 'config', 'glob.js'));
      return (pattern) => glob.compileGlobs([pattern]);
    },
  };
  libraries.picomatch = {
    version: version('picomatch'),
    load: async () => {
      const picomatch = require('picomatch');
      const options = { dot: true, noextglob: true, nonegate: true, strictBrackets: true };
      return gitignoreWrapper((glob) => picomatch(glob, options));
    },
  };
  libraries.micromatch = {
    version: version('micromatch'),
    load: async () => {
      const micromatch = require('micromatch');
      const options = { dot: true, noextglob: true, nonegate: true };
      return gitignoreWrapper((glob) => {
        const matcher = micromatch.matcher(glob, options);
        return (file) => matcher(file);
      });
    },
  };
  libraries.minimatch = {
    version: version('minimatch'),
    load: async () => {
      const { Minimatch } = require('minimatch');
      const options = { dot: true, noext: true, nonegate: true, nocomment: true };
      return gitignoreWrapper((glob) => {
        const matcher = new Minimatch(glob, options);
        return (file) => matcher.match(file);
      });
    },
  };
  libraries.ignore = {
    version: version('ignore'),
    load: async () => {
      // gitignore semantics natively: no wrapper. It has no "{a,b}".
      const ignore = require('ignore');
      return (pattern) => {
        if (pattern.trim() === '' || pattern.startsWith('!')) throw new Error('rejected before the library');
        const rules = ignore({ ignorecase: false }).add(pattern);
        return (file) => rules.ignores(file);
      };
    },
  };
  return libraries;
}

/** [pattern, path, matches]: the expectations of test/config/glob.test.ts. */
const SEMANTICS = [
  ['*.tf', 'main.tf', true], ['*.tf', '.tf', true], ['*.tf', 'main.tf.json', false], ['modules/*.tf', 'modules/api.tf', true],
  ['modules/*.tf', 'modules/api/main.tf', false], ['modules/*', 'modules/.terraform', true], ['a*b', 'ab', true], ['a*b', 'a/b', false],
  ['a**b', 'axxb', true], ['a**b', 'a/x/b', false],
  ['main.t?', 'main.tf', true], ['main.t?', 'main.t', false], ['main.t?', 'main.tfx', false], ['a?b', 'a/b', false],
  ['**/test', 'test', true], ['**/test', 'a/b/test', true], ['**/test/fixtures/**', 'test/fixtures/x.tf', true],
  ['**/test/fixtures/**', 'pkg/a/test/fixtures/deep/x.tf', true], ['**/test/fixtures/**', 'pkg/test/x.tf', false],
  ['**/test/fixtures/**', 'pkg/latest/fixtures/x.tf', false], ['a/**/b', 'a/b', true], ['a/**/b', 'a/x/y/b', true], ['a/**/b', 'a/xb', false],
  ['a/**', 'a/x', true], ['a/**', 'a/x/y/z.tf', true], ['a/**', 'ab/x', false], ['a/**', 'a', false], ['**', 'anything/at/all.tf', true],
  ['**/*.tf', 'main.tf', true], ['**/*.tf', 'a/b/main.tf', true], ['**/*.tf', 'a/b/main.json', false],
  ['[abc].tf', 'b.tf', true], ['[abc].tf', 'd.tf', false], ['v[0-9].tf', 'v7.tf', true], ['v[0-9].tf', 'vx.tf', false], ['[!abc].tf', 'd.tf', true],
  ['[!abc].tf', 'a.tf', false], ['[^abc].tf', 'd.tf', true], ['x[!a]y', 'x/y', false], ['x[/]y', 'x/y', false], ['[]x].tf', '].tf', true],
  ['[.]tf', '.tf', true], ['[.]tf', 'xtf', false], ['[\\d].tf', 'd.tf', true], ['[\\d].tf', '1.tf', false],
  ['{examples,samples}/**', 'examples/a.tf', true], ['{examples,samples}/**', 'samples/a.tf', true], ['{examples,samples}/**', 'other/a.tf', false],
  ['*.{tf,json}', 'x.json', true], ['*.{tf,json}', 'x.yaml', false], ['{*.tf,{x,y}.json}', 'y.json', true], ['{*.tf,{x,y}.json}', 'z.json', false],
  ['main{,.override}.tf', 'main.tf', true], ['main{,.override}.tf', 'main.override.tf', true], ['{**/fixtures,docs}/**', 'a/b/fixtures/x', true],
  ['fixtures', 'fixtures', true], ['fixtures', 'a/b/fixtures', true], ['fixtures', 'a/fixtures/x.tf', true], ['fixtures', 'a/myfixtures/x.tf', false],
  ['*.tfvars', 'envs/prod/x.tfvars', true], ['examples/**', 'examples/a.tf', true], ['examples/**', 'sub/examples/a.tf', false],
  ['/main.tf', 'main.tf', true], ['/main.tf', 'modules/main.tf', false], ['./main.tf', 'main.tf', true], ['./main.tf', 'modules/main.tf', false],
  ['modules/api', 'modules/api/main.tf', true], ['modules/api', 'x/modules/api/main.tf', false],
  ['examples', 'examples/a/b.tf', true], ['examples/', 'examples/a/b.tf', true], ['examples/', 'x/examples/a.tf', true], ['examples/', 'examples', false],
  ['build/', 'build', false], ['build', 'build', true], ['a/**/', 'a/x.tf', false], ['a/**/', 'a/d/x.tf', true], ['*.tf', 'weird.tf/inside.json', true],
  ['examples', 'examples/', true], ['examples/', 'examples/', true], ['examples/**', 'examples/', true], ['examples/*', 'examples/', true],
  ['examples/*.tf', 'examples/', false], ['**/test/fixtures/**', 'a/test/fixtures/', true], ['**/test/fixtures/**', 'a/test/', false], ['*.tf', 'modules/', false],
  ['\\*.tf', '*.tf', true], ['\\*.tf', 'a.tf', false], ['a+b(c).tf', 'a+b(c).tf', true], ['a.tf', 'aXtf', false], ['$x^', '$x^', true],
  ['a}b', 'a}b', true], ['a,b', 'a,b', true],
  ['*.TF', 'main.tf', false], ['Examples', 'examples/a.tf', false],
  ['/', 'a/b.tf', true], ['.', 'a/b.tf', true], ['./', 'a/b.tf', true],
];

/** Patterns the tests expect to be rejected (with a position; here only "rejected at all" is counted). */
const INVALID = ['modules/[ab.tf', '{a,b', 'a{b,{c,d}', 'x\\', '[z-a]'];

const as = (n) => 'a'.repeat(n);
/**
 * Hostile cases: [name, pattern, path, other paths]. The first is the one of
 * test/hostile-input.test.ts. With a count of other paths, the compiled pattern is then matched
 * against that many ordinary names too: the cost a scan pays for every file it walks.
 */
const HOSTILE = [
  ['test: *a*a*a*a*a*a*b vs a×200 + "c.tf"', '*a*a*a*a*a*a*b', `${as(200)}c.tf`],
  ['*a*a*a*a*a*a*a*b vs a×25', '*a*a*a*a*a*a*a*b', as(25)],
  ['*a*a*a*a*a*a*a*b vs a×50', '*a*a*a*a*a*a*a*b', as(50)],
  ['*a*a*a*a*a*a*a*b vs a×100', '*a*a*a*a*a*a*a*b', as(100)],
  ['*a*a*a*a*a*a*a*b vs a×10 KB', '*a*a*a*a*a*a*a*b', as(10_000)],
  ['*a*a*a*a*a*a*a*b vs a×50 KB', '*a*a*a*a*a*a*a*b', as(50_000)],
  ['**/a*a*a*a*a*a*c vs a×50', '**/a*a*a*a*a*a*c', as(50)],
  ['**/a*a*a*a*a*a*c vs a×10 KB', '**/a*a*a*a*a*a*c', as(10_000)],
  ['**/a*a*a*a*a*a*c vs a×50 KB', '**/a*a*a*a*a*a*c', as(50_000)],
  ['**/a*a*a*a*a*a*c vs (a×9 + "/")×1000', '**/a*a*a*a*a*a*c', `${as(9)}/`.repeat(1000) + 'a'],
  ['a/**/**/**/**/**/**/**/**/c vs ("a/")×5000', `a/${'**/'.repeat(8)}c`, 'a/'.repeat(5000) + 'b'],
  ['**/a/**/a/**/a/**/a/**/b vs (a/)×2000 + "c"', '**/a/**/a/**/a/**/a/**/b', `${'a/'.repeat(2000)}c`],
  ['**/x vs (d/)×300 + "x" (matches)', '**/x', `${'d/'.repeat(300)}x`],
  ['{a,a}×20 + "b" vs a×40', `${'{a,a}'.repeat(20)}b`, as(40)],
  ['{a,aa}×30 + "b" vs a×60', `${'{a,aa}'.repeat(30)}b`, as(60)],
  ['{a,b}×30 (2^30 expansions) vs a×30 + "c"', '{a,b}'.repeat(30), `${as(30)}c`],
  ['{a,b}×17 vs b×17 (matches), then 1000 names', '{a,b}'.repeat(17), 'b'.repeat(17), 1000],
  ['{1..1000000} vs "0"', '{1..1000000}', '0'],
  ['nested {{{…a…},b},b}×1000 vs "x"', `${'{'.repeat(1000)}a${',b}'.repeat(1000)}`, 'x'],
  ['+(a|aa)+(a|aa)... ×10 + "b" vs a×40', `${'+(a|aa)'.repeat(10)}b`, as(40)],
  ['*(a|a)×15 + "b" vs a×30', `${'*(a|a)'.repeat(15)}b`, as(30)],
  ['10k-char *a*a… vs a×10 KB', '*a'.repeat(5_000), `${as(10_000)}b`],
  ['10k-char a×10000 + "*" vs a×10 KB', `${as(10_000)}*`, as(10_000)],
  ['10k-char ?×10000 vs a×10 KB', '?'.repeat(10_000), as(10_000)],
  ['10k-char [a]×3300 vs a×3300', '[a]'.repeat(3_300), as(3_300)],
  ['65k-char *×65536 + "b" vs a×10 KB', '*'.repeat(65_536) + 'b', as(10_000)],
];

function runChild(library, index) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--max-old-space-size=2048', fileURLToPath(import.meta.url), '--child', library, String(index), '--libs', libsDir], {
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error?.code === 'ETIMEDOUT' || child.signal === 'SIGKILL') return { outcome: `killed after ${timeoutMs} ms`, ms: undefined, wall };
  if (child.status !== 0) {
    const last = (child.stderr || '').trim().split('\n').filter((line) => /Error|heap|memory/i.test(line)).pop() ?? `exit ${child.status}`;
    return { outcome: `crashed: ${last.slice(0, 100)}`, ms: undefined, wall };
  }
  return { ...JSON.parse(child.stdout), wall };
}

async function child(library, index) {
  const compile = await loadLibraries()[library].load();
  const [, pattern, file, others = 0] = HOSTILE[index];
  const started = process.hrtime.bigint();
  let outcome;
  try {
    const matches = compile(pattern);
    outcome = matches(file) ? 'matched' : 'no match';
    for (let i = 0; i < others; i++) matches(`modules/m${i}/main.tf`);
  } catch (error) {
    outcome = `threw: ${String(error.message).slice(0, 80)}`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ outcome, ms }));
}

async function main() {
  const libraries = loadLibraries();
  const results = {};
  for (const [name, library] of Object.entries(libraries)) {
    const compile = await library.load();
    const wrong = [];
    for (const [pattern, file, expected] of SEMANTICS) {
      let actual;
      try {
        actual = compile(pattern)(file);
      } catch (error) {
        actual = `threw ${error.message}`;
      }
      if (actual !== expected) wrong.push(`${JSON.stringify(pattern)} ${JSON.stringify(file)} expected ${expected}, got ${actual}`);
    }
    const accepted = INVALID.filter((pattern) => {
      try {
        compile(pattern);
        return true;
      } catch {
        return false;
      }
    });
    results[name] = { version: library.version, semantics: { cases: SEMANTICS.length, wrong }, invalidAccepted: accepted, hostile: [] };
  }
  for (const [index, [caseName]] of HOSTILE.entries()) {
    for (const name of Object.keys(libraries)) {
      const result = runChild(name, index);
      results[name].hostile.push({ case: caseName, ...result });
      if (!args.includes('--json')) process.stderr.write(`${name.padEnd(11)} ${caseName.padEnd(48)} ${result.ms === undefined ? result.outcome : `${result.ms.toFixed(1)} ms (${result.outcome})`}\n`);
    }
  }
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ node: process.version, timeoutMs, results }, null, 2)}\n`);
    return;
  }
  console.log(`node ${process.version}, hostile cases killed after ${timeoutMs} ms\n`);
  for (const [name, result] of Object.entries(results)) {
    console.log(`${name} ${result.version}: ${result.semantics.cases - result.semantics.wrong.length}/${result.semantics.cases} semantic cases; invalid patterns accepted: ${result.invalidAccepted.length}/${INVALID.length}`);
    for (const line of result.semantics.wrong) console.log(`  wrong: ${line}`);
    if (result.invalidAccepted.length > 0) console.log(`  accepted: ${result.invalidAccepted.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  console.log('\nhostile cases (time to compile and match; gatewarden matches only where a case says "matches", and a library that answers otherwise is marked):');
  console.log(['case'.padEnd(48), ...Object.keys(results).map((name) => name.padStart(22))].join(' '));
  for (const [index, [caseName]] of HOSTILE.entries()) {
    const own = results.gatewarden.hostile[index].outcome;
    const cells = Object.values(results).map((result) => {
      const cell = result.hostile[index];
      // A library that answers differently from gatewarden's matcher (which the tests pin) is marked.
      const time = cell.ms === undefined ? cell.outcome : `${cell.ms < 10 ? cell.ms.toFixed(1) : Math.round(cell.ms)} ms${cell.outcome === own ? '' : ` (${cell.outcome})`}`;
      return time.slice(0, 22).padStart(22);
    });
    console.log([caseName.padEnd(48), ...cells].join(' '));
  }
}

if (args[0] === '--child') await child(args[1], Number(args[2]));
else await main();
