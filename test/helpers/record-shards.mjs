// One of the concurrent recorders of test/history/store.test.ts, a process of its own: opens the
// history LOCATION (from the built dist/, as a real job would run gatewarden) and records, as job
// INDEX, a shard of the shared run "night", a run of its own ("solo-INDEX"), then its "night" shard
// again, as a retried job does. Prints "recorded INDEX" when done.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [location, index] = process.argv.slice(2);
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { openHistoryStore } = await import(pathToFileURL(path.join(repo, 'dist/src/history/open.js')).href);

const at = (day, second) => new Date(Date.UTC(2026, 10, day, 2, 0, second)).toISOString();
const finding = (fingerprint) => ({
  fingerprint,
  state: 'open',
  policyId: 'route-requires-auth',
  severity: 'high',
  provider: 'aws',
  frameworks: { 'owasp-api-2023': ['API2'] },
  entityKind: 'route',
  entityId: `route-${fingerprint}`,
  address: `aws_api_gateway_method.${fingerprint}`,
  location: `main.tf:${index}`,
  file: 'main.tf',
  message: `GET /${fingerprint} has no authorization`,
});
const shard = (runId, scope, second, fingerprints) => ({
  runId,
  command: 'scan',
  startedAt: at(runId === 'night' ? 1 : 2, second),
  finishedAt: at(runId === 'night' ? 1 : 2, second + 1),
  toolVersion: '0.1.0',
  scope,
  targets: ['.'],
  scanRoot: `/repos/job-${index}`,
  incomplete: false,
  unreadFiles: [],
  unscopedErrors: 0,
  findings: fingerprints.map(finding),
});

const store = await openHistoryStore(location, process.cwd());
try {
  const night = Array.from({ length: 40 }, (_, k) => `night-${index}-${k}`);
  await store.record(shard('night', `job-${index}`, Number(index), night));
  await store.record(shard(`solo-${index}`, `solo-${index}`, Number(index), [`solo-${index}`]));
  await store.record(shard('night', `job-${index}`, Number(index), night));
} finally {
  await store.close();
}
process.stdout.write(`recorded ${index}\n`);
