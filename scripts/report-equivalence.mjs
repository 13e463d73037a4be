#!/usr/bin/env node
// Compares the JSON reports of two builds of gatewarden over the same inputs: `npm start`'s scan of
// samples/, every directory under test/fixtures/, and every test case of the built-in policies.
// Written for refactors that must not change behaviour (issue 13: "the JSON report of npm start and
// of every fixture directory is identical before and after").
//
//   git worktree add ../before <rev> && (cd ../before && npm ci && npm run build)
//   npm run build && node scripts/report-equivalence.mjs --before ../before
//
// Both builds run from this repository's root on the same relative paths, so paths in the reports
// compare as they are. Only `timing` is left out (it differs from run to run). Exit code 0 when every
// report is identical, 1 when one differs (each difference is printed with its JSON path), 2 on a
// usage error.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({ options: { before: { type: 'string' }, only: { type: 'string' } } });
if (!options.before) {
  process.stderr.write('usage: node scripts/report-equivalence.mjs --before DIR (a built checkout of the earlier revision) [--only SUBSTRING]\n');
  process.exit(2);
}
const before = path.resolve(options.before);
const beforeBin = path.join(before, 'bin', 'gatewarden.js');
const afterBin = path.join(ROOT, 'bin', 'gatewarden.js');
for (const [name, bin] of [['--before', beforeBin], ['this checkout', afterBin]]) {
  if (!existsSync(bin) || !existsSync(path.join(path.dirname(bin), '..', 'dist'))) {
    process.stderr.write(`report-equivalence: ${name} has no build (${bin}); run npm run build there\n`);
    process.exit(2);
  }
}

/** The inputs: samples/, each directory of test/fixtures/, each test case of the built-in policies. */
function targets() {
  const list = ['samples'];
  const dirs = (dir) => readdirSync(path.join(ROOT, dir)).filter((name) => statSync(path.join(ROOT, dir, name)).isDirectory()).sort();
  for (const name of dirs('test/fixtures')) list.push(`test/fixtures/${name}`);
  for (const category of dirs('policies')) {
    for (const policy of dirs(`policies/${category}`)) {
      if (!existsSync(path.join(ROOT, 'policies', category, policy, 'test'))) continue;
      for (const testCase of dirs(`policies/${category}/${policy}/test`)) list.push(`policies/${category}/${policy}/test/${testCase}`);
    }
  }
  return options.only ? list.filter((target) => target.includes(options.only)) : list;
}

function report(bin, target) {
  const result = spawnSync(process.execPath, [bin, 'scan', target, '--format', 'json', '--fail-on', 'never'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  let json;
  try {
    json = JSON.parse(result.stdout);
    delete json.timing;
  } catch {
    json = { unparsable: result.stdout.slice(0, 2000) };
  }
  return { exit: result.status, json, stderr: result.stderr };
}

/** The JSON paths at which two values differ (at most `max`). */
function differences(a, b, at = '$', out = [], max = 20) {
  if (out.length >= max) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${at}: ${JSON.stringify(a)?.slice(0, 200)} -> ${JSON.stringify(b)?.slice(0, 200)}`);
  } else if (typeof a === 'object' && a !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) differences(a[key], b[key], Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`, out, max);
  } else if (a !== b) {
    out.push(`${at}: ${JSON.stringify(a).slice(0, 200)} -> ${JSON.stringify(b).slice(0, 200)}`);
  }
  return out;
}

let differing = 0;
const list = targets();
for (const target of list) {
  const old = report(beforeBin, target);
  const now = report(afterBin, target);
  const found = differences(old.json, now.json);
  if (old.exit !== now.exit) found.unshift(`exit code: ${old.exit} -> ${now.exit}`);
  if (found.length === 0) continue;
  differing++;
  process.stdout.write(`DIFFERS ${target}\n${found.map((line) => `  ${line}`).join('\n')}\n`);
}
process.stdout.write(`report-equivalence: ${list.length - differing} of ${list.length} reports identical (before: ${before})\n`);
process.exit(differing === 0 ? 0 : 1);
