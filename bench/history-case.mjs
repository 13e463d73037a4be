// The history case of `npm run bench` (issue 18): a year of nightly runs recorded into a SQLite
// history, then the nightly report over the last 90 days. Default: 365 runs of 5,000 results each,
// one run a night ending last night. Each run has four shards, as a night split over jobs: one IaC
// scan of a repository and three audits (AWS, Azure, GCP). The results are spread over 20 policies;
// between two nights about 1 % of the open findings are fixed and as many new ones appear, some are
// suppressed or baselined, some checks cannot be decided, and now and then a night is incomplete (a
// file not read). Measured: the time to record one run (open the database, record its shards, close;
// target < 1 s), the database size, and `gatewarden report --since 90d` in a fresh process per format
// (target < 3 s each) with the HTML file's size (target < 5 MB).
//
// Standalone: `node bench/history-case.mjs [--history-runs N] [--history-findings N] [--keep] [--postgres]`
// after `npm run build`; `npm run bench` runs it after the other cases (--history-runs 0 skips it).
// With --postgres the same history is recorded into a PostgreSQL server the case starts in a
// temporary directory (Debian's binaries, as the tests start theirs; bench/postgres-server.mjs);
// `npm run bench` runs that case with 90 runs (--history-pg-runs N, 0 skips it).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'gatewarden.js');
const DAY = 86_400_000;

/** Targets of issue 18. */
export const HISTORY_TARGET = { recordMs: 1000, reportMs: 3000, htmlMb: 5 };
/** The formats `gatewarden report` renders, each measured in a process of its own. */
export const HISTORY_FORMATS = ['html', 'markdown', 'json'];

/** A small deterministic generator (mulberry32): the same history on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEVERITY_OF = ['critical', 'high', 'high', 'high', 'medium', 'medium', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low', 'info', 'high', 'medium', 'critical', 'low', 'medium', 'high'];
const OWASP = ['API1', 'API2', 'API3', 'API4', 'API5', 'API6', 'API7', 'API8', 'API9', 'API10'];
/** 20 policies, each with a severity and OWASP API 2023 mappings. */
const POLICIES = SEVERITY_OF.map((severity, index) => ({
  id: ['route-requires-auth', 'cors-not-open', 'api-keys-restricted', 'no-static-api-keys', 'throttling-configured', 'stage-access-logging', 'stage-data-trace'][index] ?? `policy-${String(index).padStart(2, '0')}`,
  severity,
  frameworks: JSON.parse(JSON.stringify({ 'owasp-api-2023': [OWASP[index % OWASP.length], ...(index % 3 === 0 ? [OWASP[(index + 4) % OWASP.length]] : [])] })),
}));

/** The four shards of a night: what each reads, and its share of the results. */
const SHARDS = [
  { command: 'scan', provider: 'aws', share: 0.4, scope: 'scan /repo: .', targets: ['.'], scanRoot: '/repo' },
  { command: 'audit aws', provider: 'aws', share: 0.3, scope: 'audit aws: aws:123456789012/eu-west-1 aws:123456789012/us-east-1', targets: ['aws:123456789012/eu-west-1', 'aws:123456789012/us-east-1'] },
  { command: 'audit azure', provider: 'azure', share: 0.15, scope: 'audit azure: azure:8f1c2d3e-0000-4000-8000-00000000abcd', targets: ['azure:8f1c2d3e-0000-4000-8000-00000000abcd'] },
  { command: 'audit gcp', provider: 'gcp', share: 0.15, scope: 'audit gcp: gcp:payments-prod gcp:catalog-prod', targets: ['gcp:payments-prod', 'gcp:catalog-prod'] },
];

/** One result, from its serial number: where it is depends on its shard. */
function makeFinding(serial, shardIndex, rng) {
  const shard = SHARDS[shardIndex];
  const policy = POLICIES[serial % POLICIES.length];
  const service = `svc-${String(serial % 400).padStart(3, '0')}`;
  const route = `GET /v1/${service}/items${serial % 37}`;
  const fingerprint = (BigInt(serial) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0') + (serial * 2654435761 >>> 0).toString(16).padStart(8, '0') + String(serial).padStart(8, '0');
  const base = {
    fingerprint,
    state: 'open',
    policyId: policy.id,
    severity: policy.severity,
    provider: shard.provider,
    frameworks: policy.frameworks,
    entityKind: 'route',
    routeKey: route,
    message: `${policy.id}: the route ${route} of ${service} ${rng() < 0.5 ? 'has no authorizer and no API key' : 'sends no access log and has no throttling limit'}`,
  };
  if (shard.command === 'scan') {
    const file = `infra/${service}/main.tf`;
    return { ...base, entityId: `aws_api_gateway_method.${service}_${serial}`, address: `module.${service}.aws_api_gateway_method.this["${route}"]`, location: `${file}:${10 + (serial % 300)}`, file, target: `file:/repo/${file}` };
  }
  const target = shard.targets[serial % shard.targets.length];
  const resourceId =
    shard.provider === 'aws'
      ? `arn:aws:apigateway:${target.split('/')[1]}::/restapis/${service}${serial}/resources/r${serial % 97}/methods/GET`
      : shard.provider === 'azure'
        ? `/subscriptions/8f1c2d3e-0000-4000-8000-00000000abcd/resourceGroups/rg-api/providers/Microsoft.ApiManagement/service/apim-${serial % 20}/apis/${service}/operations/op${serial}`
        : `projects/${target.slice(4)}/locations/global/apis/${service}/configs/c${serial}`;
  return { ...base, entityId: resourceId, address: resourceId, resourceId, target };
}

/**
 * The runs of the history, generated one at a time (a year of them does not fit in memory as
 * objects): `runs` nights ending last night at 02:00 UTC, each with about `findings` results.
 */
export function* historyRuns({ runs = 365, findings = 5000, seed = 18 } = {}) {
  const rng = random(seed);
  const lastNight = Math.floor((Date.now() - DAY) / DAY) * DAY + 2 * 3600_000;
  // The population of results: serial -> shard, state. New results get new serials.
  let next = 0;
  const population = new Map();
  const add = () => {
    const serial = next++;
    const roll = rng();
    population.set(serial, { shard: SHARDS.findIndex((_, i) => roll < SHARDS.slice(0, i + 1).reduce((sum, s) => sum + s.share, 0)), state: stateRoll(rng) });
  };
  for (let i = 0; i < findings; i++) add();
  for (let night = 0; night < runs; night++) {
    if (night > 0) {
      // Churn: about 1 % fixed and 1 % new; a few change state (suppressed, then reopened).
      const churn = Math.round(findings * (0.007 + rng() * 0.006));
      const serials = [...population.keys()];
      for (let i = 0; i < churn; i++) population.delete(serials[Math.floor(rng() * serials.length)]);
      while (population.size < findings) add();
      for (let i = 0; i < findings / 500; i++) {
        const entry = population.get(serials[Math.floor(rng() * serials.length)]);
        if (entry) entry.state = stateRoll(rng);
      }
    }
    const startedAt = new Date(lastNight - (runs - 1 - night) * DAY + Math.floor(rng() * 600_000));
    const runId = `nightly-${startedAt.toISOString().slice(0, 10)}`;
    // About one night in 30 could not read a file, and says so.
    const incompleteNight = night % 30 === 17;
    const shards = SHARDS.map((shard, index) => {
      const results = [];
      for (const [serial, entry] of population) if (entry.shard === index) results.push({ ...makeFinding(serial, index, rng), state: entry.state });
      const unread = incompleteNight && shard.command === 'scan' ? ['infra/svc-007/main.tf'] : [];
      const finishedAt = new Date(startedAt.getTime() + 60_000 + index * 15_000);
      return {
        runId,
        command: shard.command,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        toolVersion: '0.1.0',
        scope: shard.scope,
        targets: shard.targets,
        ...(shard.scanRoot ? { scanRoot: shard.scanRoot } : {}),
        incomplete: unread.length > 0 || results.some((result) => result.state === 'unknown'),
        unreadFiles: unread,
        unscopedErrors: 0,
        findings: results.map((result) => (result.state === 'unknown' ? { ...result, fingerprint: `unknown:${result.policyId}|${result.entityId}|${result.routeKey}` } : result)),
      };
    });
    yield { runId, startedAt: startedAt.toISOString(), shards };
  }
}

/** 94 % open, 3 % suppressed, 1 % baselined, 2 % undecided. */
function stateRoll(rng) {
  const roll = rng();
  return roll < 0.94 ? 'open' : roll < 0.97 ? 'suppressed' : roll < 0.98 ? 'baselined' : 'unknown';
}

/** `node <args>` in a fresh process: wall time, peak RSS (KB, from process.resourceUsage), status, output. */
function runNode(args, work) {
  const preload = path.join(work, 'usage.mjs');
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (result.error) throw result.error;
  const marker = /__usage__ (\d+) (\d+)\n?$/.exec(result.stderr);
  return { wallMs, rssKb: marker ? Number(marker[1]) : undefined, cpuMs: marker ? Number(marker[2]) / 1000 : undefined, status: result.status, stderr: marker ? result.stderr.slice(0, marker.index) : result.stderr };
}

const USAGE_PRELOAD = `process.on('exit', () => { const usage = process.resourceUsage(); process.stderr.write('\\n__usage__ ' + usage.maxRSS + ' ' + (usage.userCPUTime + usage.systemCPUTime) + '\\n'); });\n`;

/**
 * Records the history and renders the report; returns the figures. `progress` gets a line now and
 * then (recording a year takes minutes).
 */
export async function runHistoryCase({ runs = 365, findings = 5000, rounds = 2, keep = false, progress = () => {}, store: kind = 'sqlite' } = {}) {
  const { openHistoryStore } = await import(pathToFileURL(path.join(ROOT, 'dist/src/history/open.js')).href);
  const { writeFileSync } = await import('node:fs');
  const work = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-history-bench-'));
  // PostgreSQL: a server of the bench's own, started as the tests start theirs (postgres-server.mjs).
  const server = kind === 'postgres' ? await (await import('./postgres-server.mjs')).startBenchPostgres() : undefined;
  try {
    writeFileSync(path.join(work, 'usage.mjs'), USAGE_PRELOAD);
    const db = server ? await server.createDatabase('history') : path.join(work, 'history.db');
    const loadBefore = os.loadavg()[0];
    const recordMs = [];
    const recordPhases = [];
    let results = 0;
    for (const run of historyRuns({ runs, findings })) {
      // As a night's jobs do: each shard opens the history, records, and closes it.
      const started = performance.now();
      // Where the time of a run goes: opening (and migrating), recording (the rows, their indices and
      // the walk state), closing (the last connection checkpoints the write-ahead log into the file).
      const phases = { openMs: 0, recordMs: 0, closeMs: 0, cpuMs: 0 };
      // CPU time against wall time: on a busy machine, a slow run is mostly a run that waited for a core.
      const cpu = process.cpuUsage();
      for (const shard of run.shards) {
        let mark = performance.now();
        const store = await openHistoryStore(db, work);
        phases.openMs += performance.now() - mark;
        mark = performance.now();
        await store.record(shard);
        phases.recordMs += performance.now() - mark;
        mark = performance.now();
        await store.close();
        phases.closeMs += performance.now() - mark;
      }
      recordMs.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      phases.cpuMs = (used.user + used.system) / 1000;
      recordPhases.push(phases);
      results += run.shards.reduce((sum, shard) => sum + shard.findings.length, 0);
      if (recordMs.length % 50 === 0) progress(`recorded ${recordMs.length}/${runs} runs, last ${recordMs.at(-1).toFixed(0)} ms`);
    }
    const loadAfter = os.loadavg()[0];
    const dbBytes = server
      ? Number((await server.query('history', 'SELECT pg_database_size(current_database()) AS bytes'))[0].bytes)
      : ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(db + suffix) ? statSync(db + suffix).size : 0), 0);
    const report = {};
    for (let round = 0; round < rounds; round++) {
      for (const format of HISTORY_FORMATS) {
        const out = path.join(work, `report.${format}`);
        const result = runNode([BIN, 'report', '--history', db, '--since', '90d', '--format', `${format}:${out}`], work);
        if (result.status !== 0) throw new Error(`gatewarden report --format ${format} failed (exit ${result.status}):\n${result.stderr}`);
        progress(`report ${format} ${round + 1}/${rounds}: ${(result.wallMs / 1000).toFixed(2)} s`);
        const best = report[format];
        const bytes = statSync(out).size;
        report[format] = { wallMs: Math.min(best?.wallMs ?? Infinity, result.wallMs), cpuMs: Math.min(best?.cpuMs ?? Infinity, result.cpuMs ?? Infinity), rssKb: Math.max(best?.rssKb ?? 0, result.rssKb ?? 0), bytes, summary: result.stderr.trim().split('\n').at(-1) };
      }
    }
    const sorted = [...recordMs].sort((a, b) => a - b);
    return {
      store: kind,
      runs,
      findings,
      results,
      record: {
        meanMs: recordMs.reduce((sum, ms) => sum + ms, 0) / recordMs.length,
        p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
        maxMs: sorted.at(-1),
        firstMs: recordMs[0],
        lastMs: recordMs.at(-1),
        slowest: { run: recordMs.indexOf(sorted.at(-1)) + 1, ...recordPhases[recordMs.indexOf(sorted.at(-1))] },
        meanPhases: Object.fromEntries(['openMs', 'recordMs', 'closeMs', 'cpuMs'].map((key) => [key, recordPhases.reduce((sum, phases) => sum + phases[key], 0) / recordPhases.length])),
      },
      dbBytes,
      load: { before: loadBefore, after: loadAfter },
      report,
      work: keep ? work : undefined,
    };
  } finally {
    await server?.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

/** The figures as rows of the bench table: measure, value, target, result. */
export function historyRows(figures) {
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const ms = (value) => `${value.toFixed(0)} ms`;
  const seconds = (value) => `${(value / 1000).toFixed(2)} s`;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const { record, report } = figures;
  return [
    ['record one run (4 shards), mean', ms(record.meanMs), `< ${HISTORY_TARGET.recordMs} ms`, verdict(record.meanMs < HISTORY_TARGET.recordMs)],
    ['record one run, 95th percentile / slowest', `${ms(record.p95Ms)} / ${ms(record.maxMs)}`, `< ${HISTORY_TARGET.recordMs} ms`, verdict(record.maxMs < HISTORY_TARGET.recordMs)],
    ['record one run, first / last', `${ms(record.firstMs)} / ${ms(record.lastMs)}`, '', 'info'],
    ['  mean: open / record / close; CPU', `${ms(record.meanPhases.openMs)} / ${ms(record.meanPhases.recordMs)} / ${ms(record.meanPhases.closeMs)}; ${ms(record.meanPhases.cpuMs)}`, '', 'info'],
    [`  slowest (run ${record.slowest.run}): open / record / close; CPU`, `${ms(record.slowest.openMs)} / ${ms(record.slowest.recordMs)} / ${ms(record.slowest.closeMs)}; ${ms(record.slowest.cpuMs)}`, '', 'info'],
    ['database size', mb(figures.dbBytes), '', 'info'],
    ['machine load (1-minute average, cores) before / after', `${figures.load.before.toFixed(1)} / ${figures.load.after.toFixed(1)} (${os.cpus().length})`, '', 'info'],
    ...HISTORY_FORMATS.flatMap((format) => [
      [`report --since 90d --format ${format}, wall (CPU of the gatewarden process)`, `${seconds(report[format].wallMs)} (${seconds(report[format].cpuMs)})`, `< ${HISTORY_TARGET.reportMs / 1000} s`, verdict(report[format].wallMs < HISTORY_TARGET.reportMs)],
      [`  peak RSS; ${format} size`, `${(report[format].rssKb / 1024).toFixed(0)} MB; ${mb(report[format].bytes)}`, format === 'html' ? `< ${HISTORY_TARGET.htmlMb} MB` : '', format === 'html' ? verdict(report[format].bytes < HISTORY_TARGET.htmlMb * 1024 * 1024) : 'info'],
    ]),
  ];
}

/** The case's block of the bench output. */
export function historyOutput(figures) {
  const rows = historyRows(figures);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
  const format = (row) => `${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`.trimEnd();
  return [
    '',
    `history case: ${figures.runs} nightly runs of about ${figures.findings.toLocaleString('en-US')} results (4 shards: a scan and AWS, Azure and GCP audits; 20 policies; ~1 % fixed and new a night), ${figures.results.toLocaleString('en-US')} recorded in ${figures.store === 'postgres' ? 'PostgreSQL (a local server of the bench\'s own)' : 'SQLite'}; report over the last 90 days: ${figures.report.html.summary.replace(/^gatewarden: wrote the html history report to \S+ /, '')}`,
    '',
    format(['measure', 'value', 'target', 'result']),
    format(['-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '------']),
    ...rows.map(format),
    ...(figures.work ? ['', `kept: ${figures.work}`] : []),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { 'history-runs': { type: 'string', default: '365' }, 'history-findings': { type: 'string', default: '5000' }, keep: { type: 'boolean', default: false }, postgres: { type: 'boolean', default: false } } });
  const figures = await runHistoryCase({
    runs: Number(values['history-runs']),
    findings: Number(values['history-findings']),
    keep: values.keep,
    store: values.postgres ? 'postgres' : 'sqlite',
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  process.stdout.write(`${historyOutput(figures)}\n`);
}
