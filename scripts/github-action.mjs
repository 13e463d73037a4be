#!/usr/bin/env node
// The GitHub Action's scan step (action.yml). Inputs arrive as INPUT_* environment variables, as the
// composite action sets them; outputs go to $GITHUB_OUTPUT and the summary to $GITHUB_STEP_SUMMARY.
// The step itself always exits 0 after a scan, so that the SARIF upload runs; the action's last step
// exits with gatewarden's code. Only a failure to run gatewarden at all fails this step.
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const input = (name, fallback = '') => (env[`INPUT_${name}`] ?? '').trim() || fallback;
const yes = (name, fallback) => input(name, fallback).toLowerCase() === 'true';

/** Splits an input into words, honouring single and double quotes (no shell is involved). */
function words(text) {
  const out = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match; (match = pattern.exec(text)); ) out.push(match[1] ?? match[2] ?? match[3]);
  return out;
}

const workspace = env.GITHUB_WORKSPACE || process.cwd();
const temp = mkdtempSync(path.join(tmpdir(), 'gatewarden-action-'));
const sarif = input('SARIF_FILE', 'gatewarden.sarif');
const files = { text: path.join(temp, 'report.txt'), github: path.join(temp, 'annotations.txt'), markdown: path.join(temp, 'summary.md'), json: path.join(temp, 'report.json') };
const args = [
  path.join(root, 'bin/gatewarden.js'),
  'scan',
  ...words(input('PATH', '.')),
  '--format', `text:${files.text}`,
  '--format', `json:${files.json}`,
  '--format', `sarif:${sarif}`,
  '--format', `github:${files.github}`,
  '--format', `markdown:${files.markdown}`,
  '--no-color',
  ...(input('FAIL_ON') ? ['--fail-on', input('FAIL_ON')] : []),
  ...(input('CONFIG') ? ['--config', input('CONFIG')] : []),
  ...(input('BASELINE') ? ['--baseline', input('BASELINE')] : []),
  ...words(input('ARGS')),
];

const code = await new Promise((resolve) => {
  const child = execFile(process.execPath, args, { cwd: workspace, env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error) => {
    resolve(error ? (typeof error.code === 'number' ? error.code : 2) : 0);
  });
  child.stdout.pipe(process.stdout);
  child.stderr.pipe(process.stderr);
});

const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};
const report = read(files.json);
if (report === undefined) {
  // gatewarden stopped before writing a report (a usage or config error it has explained on stderr).
  rmSync(temp, { recursive: true, force: true });
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\n`);
  process.exit(code === 0 ? 2 : code);
}
const summary = JSON.parse(report).summary;
process.stdout.write(read(files.text) ?? '');
if (yes('ANNOTATIONS', 'true')) process.stdout.write(read(files.github) ?? '');
if (yes('STEP_SUMMARY', 'true') && env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, read(files.markdown) ?? '');
if (env.GITHUB_OUTPUT) {
  appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarif}\nfindings=${summary.findings.total}\nexit-code=${code}\n`);
}
rmSync(temp, { recursive: true, force: true });
process.exit(0);
