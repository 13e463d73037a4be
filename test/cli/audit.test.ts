import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeAws } from '../helpers/fake-aws.mjs';
import { awsConformanceAccount } from '../helpers/live-fixtures.js';

// `gatewarden audit aws` when an audit cannot finish: its time limit, Ctrl-C. The binary tests run
// the built bin/gatewarden.js (npm test builds first) against a fake API Gateway on 127.0.0.1.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'bin/gatewarden.js');
const conformance = awsConformanceAccount();

interface Fake {
  url: string;
  requests: Array<{ method: string; path: string; region: string; service: string }>;
  close(): Promise<void>;
}
interface Report {
  targets: string[];
  findings: Array<{ policyId: string; address: string }>;
  diagnostics: Array<{ severity: string; code: string; message: string; address?: string }>;
  summary: { incomplete: boolean };
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const credentials = { AWS_ACCESS_KEY_ID: 'AKIAFAKE', AWS_SECRET_ACCESS_KEY: 'fake' };

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd, env: {} };
  const saved = Object.fromEntries(Object.keys(credentials).map((name) => [name, process.env[name]]));
  Object.assign(process.env, credentials);
  try {
    return { code: await cli(argv, io), stdout, stderr };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gatewarden audit aws --timeout', () => {
  it('writes every output with the regions that finished, names the one that did not, and exits 2', { timeout: 30_000 }, async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance }, hangRegions: ['us-east-1'] })) as Fake;
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-audit-timeout-'));
    const started = Date.now();
    const result = await run(['audit', 'aws', '--endpoint-url', fake.url, '--regions', 'eu-west-1,us-east-1', '--timeout', '800ms', '--format', 'text', '--format', 'json:audit.json', '--format', 'sarif:audit.sarif'], dir);
    // Not the 30 s (and more, with retries) the hung call could take (the margin is for a loaded machine).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(2);
    const unfinished = "region us-east-1 of account 123456789012 was not finished: the audit's time limit (--timeout 800 ms) passed; calls under way: GetRestApis. None of its APIs are in the report; run the audit again with a longer --timeout, or with --regions us-east-1";
    const report = JSON.parse(readFileSync(path.join(dir, 'audit.json'), 'utf8')) as Report;
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
    expect(report.findings.map((f) => f.address).sort()).toEqual([
      'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/OPTIONS/integration/responses/200',
      // The stage writes no execution log and does not trace (stage-execution-logging, stage-tracing).
      'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
      'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
    ]);
    expect(report.diagnostics).toEqual([{ severity: 'error', code: 'not-scanned', message: unfinished, address: 'arn:aws:apigateway:us-east-1::/' }]);
    expect(report.summary.incomplete).toBe(true);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'audit.sarif'), 'utf8')) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    expect(sarif.runs[0]!.results).toHaveLength(4);
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toEqual([unfinished]);
    expect(result.stdout).toContain('AWS account 123456789012, eu-west-1\n');
    expect(result.stdout).toContain(unfinished);
  });

  it('refuses a duration it cannot read', async () => {
    const result = await run(['audit', 'aws', '--timeout', 'soon'], repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('gatewarden: --timeout needs a duration such as 30s, 10m or 1h, not "soon"\n');
  });

  it('is described in the help with its default, with Ctrl-C and exit code 130', async () => {
    const result = await run(['audit', '--help'], repo);
    expect(result.stdout).toMatch(/--timeout DURATION +stop the audit after DURATION [\s\S]*\(default 30m\)/);
    expect(result.stdout).toContain('Ctrl-C');
    expect(result.stdout).toContain('130');
  });
});

describe('the gatewarden binary, on Ctrl-C during an audit', () => {
  it('stops, writes what it audited, names what it did not, and exits 130', { timeout: 30_000 }, async () => {
    // eu-west-1 answers; us-east-1 never answers; us-west-2 is throttled and told to wait 20 s.
    const throttled = { status: 429, type: 'TooManyRequestsException', message: 'Too Many Requests', retryAfter: '20' };
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance }, hangRegions: ['us-east-1'], failRegions: { 'us-west-2': throttled } })) as Fake;
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-audit-sigint-'));
    const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, AWS_ENDPOINT_URL: _endpoint, ...env } = process.env;
    const child = spawn(process.execPath, [bin, 'audit', 'aws', '--endpoint-url', fake.url, '--regions', 'eu-west-1,us-east-1,us-west-2', '--format', 'json:audit.json'], {
      cwd: dir,
      env: { ...env, ...credentials, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );

    // eu-west-1's last calls list its usage plans, keys and domains; us-east-1 and us-west-2 are under way.
    const seen = (region: string, pathname: string) => fake!.requests.some((r) => r.region === region && r.path === pathname);
    for (let waited = 0; !(['/usageplans', '/apikeys', '/domainnames', '/v2/domainnames'].every((p) => seen('eu-west-1', p)) && seen('us-east-1', '/restapis') && seen('us-west-2', '/restapis')); waited += 20) {
      if (waited > 10_000) throw new Error(`the audit did not get going: ${stderr}`);
      await sleep(20);
    }
    // Time for the client to take in eu-west-1's last answers.
    await sleep(300);
    const pressed = Date.now();
    child.kill('SIGINT');
    const code = await exited;

    expect(code).toBe(130);
    // Not the 30 s of the hung call, nor the 20 s wait to retry (the margin is for a loaded machine)...
    expect(exitedAt - pressed).toBeLessThan(10_000);
    // ...and once the report was written, nothing was left to keep the process alive: an abandoned
    // retry wait of the SDK's own would have kept it a further 4 to 6 s.
    expect(exitedAt - statSync(path.join(dir, 'audit.json')).mtimeMs).toBeLessThan(2000);
    expect(stderr).toContain('gatewarden: interrupted: stopping the audit and writing what it has read (Ctrl-C again to quit at once)\n');
    const report = JSON.parse(readFileSync(path.join(dir, 'audit.json'), 'utf8')) as Report;
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
    expect(report.findings.map((f) => `${f.policyId} ${f.address}`).sort()).toEqual([
      'cors-not-open arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/OPTIONS/integration/responses/200',
      'route-requires-auth arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      'stage-execution-logging arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
      'stage-tracing arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
    ]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error not-scanned arn:aws:apigateway:us-east-1::/', 'error not-scanned arn:aws:apigateway:us-west-2::/']);
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(report.diagnostics.find((d) => d.address === `arn:aws:apigateway:${region}::/`)!.message).toMatch(
        new RegExp(`^region ${region} of account 123456789012 was not finished: the audit was interrupted \\(Ctrl-C\\); calls under way: GetRestApis\\. None of its APIs are in the report`),
      );
    }
    expect(report.summary.incomplete).toBe(true);
  });
});
