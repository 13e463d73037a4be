import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';
import { startFakeArm, type FakeArm, type FakeService } from '../helpers/fake-arm.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SUB = '7a2e4c6b-0d1f-4a3b-9c5d-e7f9a1b3c5d7';

/** An instance of two APIs of one operation each. */
function instance(name: string): FakeService {
  return {
    resourceGroup: 'rg-progress',
    name,
    apis: ['orders', 'stock'].map((api) => ({ name: api, properties: { path: api, protocols: ['https'], subscriptionRequired: true }, operations: [{ name: 'get', properties: { method: 'GET', urlTemplate: '/' } }] })),
  };
}

let fake: FakeArm | undefined;
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  // The credential chain reads the process environment: only the managed identity endpoint of the fake.
  for (const name of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name)) saved[name] = process.env[name];
  for (const name of Object.keys(saved)) delete process.env[name];
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
});

async function run(tty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  fake = await startFakeArm({ identity: { header: 'progress-test' }, subscriptions: { [SUB]: { services: [instance('apim-one'), instance('apim-two')] } } });
  process.env.IDENTITY_ENDPOINT = `${fake.url}/msi/token`;
  process.env.IDENTITY_HEADER = 'progress-test';
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false }, stderr: { write: (chunk: string) => (stderr += chunk), isTTY: tty }, cwd: repo, env: { NO_COLOR: '1' } };
  const code = await cli(['audit', 'azure', '--endpoint-url', fake.url, '--subscription', SUB, '--format', 'json', '--fail-on', 'never'], io);
  return { code, stdout, stderr };
}

describe('gatewarden audit azure progress', () => {
  it('shows the subscription, instances and APIs read on a terminal, on one line rewritten in place', async () => {
    const { code, stdout, stderr } = await run(true);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toMatchObject({ gateways: 4, routes: 4, incomplete: false });
    const lines = stderr.split('\u001b[2K\r').filter(Boolean);
    expect(lines).toContain(`gatewarden: auditing subscription ${SUB}: listing API Management instances…`);
    expect(lines.some((line) => /^gatewarden: auditing subscription [0-9a-f-]+: 0\/2 instances, apim-(one|two) [12]\/2 APIs…$/.test(line))).toBe(true);
    expect(lines).toContain(`gatewarden: auditing subscription ${SUB}: 2/2 instances…`);
    // The line is cleared before the report, so nothing is left behind it.
    expect(stderr.endsWith('\u001b[2K\r')).toBe(true);
  }, 60_000);

  it('writes nothing of it when standard error is not a terminal (a CI log)', async () => {
    const { code, stderr } = await run(false);
    expect(code).toBe(0);
    expect(stderr).not.toContain('auditing subscription');
    expect(stderr).not.toContain('\u001b[2K');
  }, 60_000);
});
