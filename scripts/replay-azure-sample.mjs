// Runs `gatewarden audit azure` against recorded Resource Manager answers (samples/azure-live/*.json,
// or answers recorded with `az rest` in the same shape), without an Azure account: the fake Resource
// Manager of the tests serves the recording on 127.0.0.1, with a managed identity endpoint that the
// audit's DefaultAzureCredential signs in through (IDENTITY_ENDPOINT, IDENTITY_HEADER).
// Usage: node scripts/replay-azure-sample.mjs samples/azure-live/insecure.json [gatewarden options...]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeArm } from '../test/helpers/fake-arm.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const [file, ...rest] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node scripts/replay-azure-sample.mjs RECORDING.json [gatewarden audit azure options...]\n');
  process.exit(2);
}
const recording = JSON.parse(readFileSync(file, 'utf8'));
const header = randomUUID();
const fake = await startFakeArm({ replay: recording.responses, subscriptions: {}, identity: { header } });
// Only the fake's managed identity: no Azure sign-in found on this machine is used.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name)));
const child = spawn(process.execPath, [path.join(ROOT, 'bin/gatewarden.js'), 'audit', 'azure', '--endpoint-url', fake.url, ...rest], {
  stdio: 'inherit',
  env: { ...env, IDENTITY_ENDPOINT: `${fake.url}/msi/token`, IDENTITY_HEADER: header },
});
child.on('exit', async (code, signal) => {
  await fake.close();
  process.exitCode = code ?? (signal ? 1 : 0);
});
