#!/usr/bin/env node
// Records three nights of the bundled samples into a fresh history, with changes between them, and
// renders the nightly report (HTML, Markdown, JSON) into OUTDIR:
//
//   npm run build && node samples/nightly/record.mjs nightly-report
//
// Night 1: the insecure AWS and GCP samples, each a repository of its own (two shards of one run).
// Night 2: the AWS API's static key moved to Secrets Manager (fixed).
// Night 3: the GCP API replaced by its fixed variant; the AWS critical is now past its 1-day SLA.
// Each night's shards are written as JSON reports, dated 3, 2 and 1 days ago at 02:00 UTC, and
// recorded with gatewarden report record, as a nightly job whose jobs cannot reach the history would.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'bin/gatewarden.js');
const out = path.resolve(process.argv[2] ?? 'nightly-report');
const DAY = 86_400_000;

const work = mkdtempSync(path.join(tmpdir(), 'gatewarden-nightly-sample-'));
try {
  mkdirSync(path.join(work, '.git'));
  writeFileSync(path.join(work, '.gatewarden.yaml'), 'sla: { critical: 1d, high: 30d }\n');
  const payments = path.join(work, 'repos/payments');
  const delivery = path.join(work, 'repos/delivery');
  cpSync(path.join(repo, 'samples/aws-terraform/insecure'), payments, { recursive: true });
  cpSync(path.join(repo, 'samples/gcp-terraform/insecure'), delivery, { recursive: true });

  const changes = [
    () => {},
    () => {
      const file = path.join(payments, 'rest-api.tf');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\n\s*value\s*=\s*"EXAMPLEfakeKEYdoNOTuse0000000000acme"/, ''));
    },
    () => {
      rmSync(delivery, { recursive: true });
      cpSync(path.join(repo, 'samples/gcp-terraform/fixed'), delivery, { recursive: true });
    },
  ];
  // Midnight UTC today, so that the nights are the last three whatever day the script runs.
  const today = Math.floor(Date.now() / DAY) * DAY;
  for (const [index, change] of changes.entries()) {
    change();
    const night = index + 1;
    const startedAt = today - (changes.length - index) * DAY + 2 * 3_600_000;
    const shards = [];
    for (const [offset, name] of ['payments', 'delivery'].entries()) {
      const shard = path.join(work, `night-${night}-${name}.json`);
      gatewarden(['scan', `repos/${name}`, '--fail-on', 'never', '--format', `json:${shard}`]);
      const report = JSON.parse(readFileSync(shard, 'utf8'));
      const start = startedAt + offset * 60_000;
      report.timing = { startedAt: new Date(start).toISOString(), finishedAt: new Date(start + 3_000).toISOString() };
      writeFileSync(shard, JSON.stringify(report));
      shards.push(shard);
    }
    gatewarden(['report', 'record', '--history', 'history.db', '--run-id', `night-${night}`, ...shards]);
  }
  mkdirSync(out, { recursive: true });
  gatewarden(['report', '--history', 'history.db', '--format', `html:${path.join(out, 'nightly.html')}`, '--format', `markdown:${path.join(out, 'nightly.md')}`, '--format', `json:${path.join(out, 'nightly.json')}`]);
  process.stdout.write(`The nightly report of three recorded nights is in ${out}: nightly.html, nightly.md, nightly.json\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Runs gatewarden in the work directory; stops the script when it fails. */
function gatewarden(args) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`gatewarden ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
    process.exit(1);
  }
}
