import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditReport, scopeOf } from '../../src/report/merge.js';
import type { ScanReport } from '../../src/report/report.js';
import { runCli } from '../helpers/run-cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(path.join(repo, 'docs/report.schema.json'), 'utf8')));

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-merge-'));
  mkdirSync(path.join(dir, '.git'));
  cpSync(path.join(repo, 'samples/aws-terraform/insecure'), path.join(dir, 'repos/payments'), { recursive: true });
  cpSync(path.join(repo, 'samples/gcp-terraform/insecure'), path.join(dir, 'repos/delivery'), { recursive: true });
  cpSync(path.join(repo, 'samples/split-repository/apim-apis-only'), path.join(dir, 'repos/apis'), { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Scans `target` from `cwd` into the JSON report `out` (relative to `dir`), and returns it. */
async function shard(target: string, out: string, cwd = dir): Promise<ScanReport> {
  const result = await runCli(['scan', target, '--fail-on', 'never', '--format', `json:${path.join(dir, out)}`], cwd);
  expect(result.code === 0 || result.code === 2).toBe(true);
  return read(out);
}

function read(file: string): ScanReport {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ScanReport;
}

const fingerprints = (report: ScanReport): string[] => report.findings.map((finding) => finding.fingerprint).sort();

describe('gatewarden report merge', () => {
  it('makes the shards of one run one report: every target, finding and check, incomplete when a shard is', async () => {
    const payments = await shard('repos/payments', 'shard-payments.json');
    const delivery = await shard('repos/delivery', 'shard-delivery.json');
    const apis = await shard('repos/apis', 'shard-apis.json');
    expect(apis.summary.incomplete).toBe(true);
    expect(payments.summary.incomplete).toBe(false);

    const result = await runCli(['report', 'merge', 'shard-payments.json', 'shard-delivery.json', 'shard-apis.json', '--output', 'merged.json'], dir);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    // The APIs-only shard's unknowns: its service's global policy and diagnostics are not in the scan,
    // so 2 routes' auth and, for each of its 3 APIs, apim-diagnostics, apim-diagnostics-payloads,
    // apim-inbound-restricted, apim-backend-headers-removed and apim-error-details.
    expect(result.stderr).toMatch(/^gatewarden: wrote the json report to merged\.json \(\d+ findings, 0 suppressed, 17 unknown, 0 errors\)\ngatewarden: merged 3 shards \(\d+ findings, 0 errors, incomplete\)\n$/);
    const merged = read('merged.json');
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.scanRoot).toBe(dir);
    expect(merged.targets).toEqual(['repos/apis', 'repos/delivery', 'repos/payments']);
    expect(merged.files).toEqual([...new Set([...payments.files, ...delivery.files, ...apis.files])].sort());
    expect(fingerprints(merged)).toEqual([...fingerprints(payments), ...fingerprints(delivery), ...fingerprints(apis)].sort());
    expect(merged.providers).toEqual(['aws', 'azure', 'gcp']);
    expect(merged.summary.findings.total).toBe(payments.summary.findings.total + delivery.summary.findings.total + apis.summary.findings.total);
    expect(merged.summary.findings.critical).toBe(1);
    expect(merged.summary.incomplete).toBe(true);
    expect(merged.unevaluated.map((check) => `${check.policyId} ${check.location.file}`)).toEqual(apis.unevaluated.map((check) => `${check.policyId} ${check.location.file}`));
    expect(merged.diagnostics).toEqual(expect.arrayContaining([...delivery.diagnostics]));
    expect(merged.summary.checks.checks).toBe(payments.summary.checks.checks + delivery.summary.checks.checks + apis.summary.checks.checks);
    expect(merged.timing?.startedAt).toBe(payments.timing?.startedAt);
    expect(merged.timing?.finishedAt).toBe(apis.timing?.finishedAt);
    expect(new Set(merged.policies.map((policy) => policy.id)).size).toBe(merged.policies.length);
  });

  it('writes other formats of scan, and JSON to standard output by default', async () => {
    await shard('repos/payments', 'a.json');
    await shard('repos/delivery', 'b.json');
    const json = await runCli(['report', 'merge', 'a.json', 'b.json'], dir);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as ScanReport).targets).toEqual(['repos/delivery', 'repos/payments']);
    const sarif = await runCli(['report', 'merge', 'a.json', 'b.json', '--format', 'sarif:merged.sarif', '--format', 'markdown'], dir);
    expect(sarif.code).toBe(0);
    expect(sarif.stdout).toContain('rest-api.tf');
    expect(JSON.parse(readFileSync(path.join(dir, 'merged.sarif'), 'utf8')).runs[0].results.length).toBe((JSON.parse(json.stdout) as ScanReport).findings.length);
  });

  it('keeps one of two shards of the same target, the one that finished last, and says so', async () => {
    await shard('repos/payments', 'first.json');
    await shard('repos/delivery', 'delivery.json');
    const retried = await shard('repos/payments', 'retried.json');
    // The later file on the command line is the earlier run: time decides, not order.
    const result = await runCli(['report', 'merge', 'retried.json', 'delivery.json', 'first.json', '-o', 'merged.json'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`gatewarden: first.json and retried.json are the same shard (scan ${dir}: repos/payments): kept retried.json, which finished last\n`);
    expect(result.stderr).toContain('gatewarden: merged 2 shards');
    const merged = read('merged.json');
    expect(merged.findings.filter((finding) => finding.location.file.startsWith('repos/payments/')).map((finding) => finding.fingerprint).sort()).toEqual(fingerprints(retried));
    expect(merged.targets).toEqual(['repos/delivery', 'repos/payments']);
  });

  it('rebases scans run in different directories onto the directory that holds them', async () => {
    const payments = await shard('.', 'payments.json', path.join(dir, 'repos/payments'));
    await shard('.', 'delivery.json', path.join(dir, 'repos/delivery'));
    expect(payments.findings.map((finding) => finding.location.file)).toContain('rest-api.tf');
    expect((await runCli(['report', 'merge', 'payments.json', 'delivery.json', '-o', 'merged.json'], dir)).code).toBe(0);
    const merged = read('merged.json');
    expect(merged.scanRoot).toBe(path.join(dir, 'repos'));
    expect(merged.targets).toEqual(['delivery', 'payments']);
    const auth = merged.findings.find((finding) => finding.policyId === 'route-requires-auth' && finding.address === 'aws_api_gateway_method.list_orders');
    expect(auth?.location).toMatchObject({ file: 'payments/rest-api.tf', startLine: 38 });
    expect(auth?.origin.file).toBe('payments/rest-api.tf');
    expect(auth?.fingerprint).toBe(payments.findings.find((finding) => finding.policyId === 'route-requires-auth' && finding.address === 'aws_api_gateway_method.list_orders')?.fingerprint);
    expect(merged.files.every((file) => file.startsWith('payments/') || file.startsWith('delivery/'))).toBe(true);
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses reports of another schema version or another major version of gatewarden, naming the files', async () => {
    const report = await shard('repos/payments', 'a.json');
    writeFileSync(path.join(dir, 'v2.json'), JSON.stringify({ ...report, schemaVersion: 2 }));
    writeFileSync(path.join(dir, 'next.json'), JSON.stringify({ ...report, targets: ['repos/other'], tool: { name: 'gatewarden', version: '1.0.0' } }));
    const result = await runCli(['report', 'merge', 'a.json', 'v2.json', 'next.json'], dir);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'gatewarden: these reports cannot be merged:',
        '  v2.json has schemaVersion 2, this gatewarden writes and merges 1: merge reports of one schema version, with the gatewarden that wrote them',
        `  the reports come from different major versions of gatewarden (0.x: a.json, v2.json; 1.x: next.json); run every shard with the same version`,
        '',
      ].join('\n'),
    });
  });

  it('refuses what is not a JSON report of scan or audit, and says what it is', async () => {
    writeFileSync(path.join(dir, 'history.json'), JSON.stringify({ schemaVersion: 1, kind: 'gatewarden-history-report' }));
    writeFileSync(path.join(dir, 'broken.json'), '{"schemaVersion": 1,');
    writeFileSync(path.join(dir, 'partial.json'), JSON.stringify({ schemaVersion: 1, tool: { name: 'gatewarden', version: '0.1.0' }, scanRoot: '/x', targets: [] }));
    expect((await runCli(['report', 'merge', 'history.json'], dir)).stderr).toBe(
      'gatewarden: history.json is not a gatewarden JSON report: it is a history report (gatewarden report --format json); give the reports written by gatewarden scan or audit with --format json\n',
    );
    expect((await runCli(['report', 'merge', 'broken.json'], dir)).stderr).toMatch(/^gatewarden: broken\.json is not JSON \(/);
    expect((await runCli(['report', 'merge', 'partial.json'], dir)).stderr).toBe(
      'gatewarden: partial.json is not a gatewarden JSON report: it lacks files, providers, findings, unevaluated, diagnostics, policies, summary; give the reports written by gatewarden scan or audit with --format json\n',
    );
    expect(await runCli(['report', 'merge', 'missing.json'], dir)).toEqual({ code: 2, stdout: '', stderr: 'gatewarden: cannot read missing.json: no such file\n' });
    expect((await runCli(['report', 'merge'], dir)).stderr).toBe('gatewarden: gatewarden report merge needs the JSON reports of the shards: gatewarden report merge shard-*.json --output merged.json\n');
  });
});

describe('what a shard read', () => {
  const audit = { files: [], targets: ['aws:111111111111/eu-west-1', 'aws:111111111111/us-east-1'], scanRoot: '/runner' };
  it('tells an audit (accounts and regions, no files) from a scan', () => {
    expect(isAuditReport(audit)).toBe(true);
    expect(scopeOf(audit)).toBe('audit: aws:111111111111/eu-west-1 aws:111111111111/us-east-1');
    expect(isAuditReport({ files: [], targets: ['infra'] })).toBe(false);
    expect(isAuditReport({ files: [], targets: ['C:\\repo'] })).toBe(false);
    expect(scopeOf({ files: ['main.tf'], targets: ['infra', '.'], scanRoot: '/repo' })).toBe('scan /repo: . infra');
  });
});
