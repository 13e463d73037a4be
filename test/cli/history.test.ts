import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/cli.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeAws } from '../helpers/fake-aws.mjs';
import { awsConformanceAccount } from '../helpers/live-fixtures.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    cwd,
    env: {},
  };
  const code = await cli(argv, io);
  return { code, stdout, stderr };
}

/** The report without its timing, which differs between two runs of the same scan. */
function withoutTiming(json: string): unknown {
  const { timing: _timing, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

interface Listed {
  policyId: string;
  address: string;
}
const ids = (list: readonly Listed[]): string[] => list.map((finding) => `${finding.policyId} ${finding.address}`).sort();

let dir: string;
let infra: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-cli-'));
  mkdirSync(path.join(dir, '.git'));
  infra = path.join(dir, 'infra');
  cpSync(path.join(repo, 'samples/aws-terraform/insecure'), infra, { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --history and gatewarden report', () => {
  it('records a scan without changing its report or exit code, then reports what a fix changed', async () => {
    const plain = await run(['scan', 'infra', '--format', 'json'], dir);
    const recorded = await run(['scan', 'infra', '--format', 'json', '--history', 'history.db', '--run-id', 'night-1'], dir);
    expect(recorded.code).toBe(plain.code);
    expect(plain.code).toBe(1);
    expect(withoutTiming(recorded.stdout)).toEqual(withoutTiming(plain.stdout));
    expect(recorded.stderr).toMatch(/^gatewarden: recorded run night-1 in history\.db \(\d+ results\)\n$/);

    // The static key goes to Secrets Manager: no-static-api-keys is fixed.
    const restApi = path.join(infra, 'rest-api.tf');
    writeFileSync(restApi, readFileSync(restApi, 'utf8').replace(/\n\s*value\s*=\s*"EXAMPLEfakeKEYdoNOTuse0000000000acme"/, ''));
    expect((await run(['scan', 'infra', '--history', 'history.db', '--run-id', 'night-2', '--format', 'json:out/night-2.json'], dir)).code).toBe(1);

    const json = await run(['report', '--history', 'history.db', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'gatewarden-history-report', runs: 2, latest: { id: 'night-2', incomplete: false } });
    expect(ids(report.sincePrevious.fixed)).toEqual(['no-static-api-keys aws_api_gateway_api_key.partner_acme']);
    expect(report.sincePrevious.new).toEqual([]);
    expect(ids(report.sincePrevious.stillOpen)).toContain('route-requires-auth aws_api_gateway_method.list_orders');
    expect(report.open.find((finding: Listed) => finding.address === 'aws_api_gateway_method.list_orders')).toMatchObject({ location: 'infra/rest-api.tf:38', severity: 'high', provider: 'aws', frameworks: { 'owasp-api-2023': expect.arrayContaining(['API2']) } });

    const markdown = await run(['report', '--history', 'history.db', '--since', '30d', '--format', 'markdown:reports/nightly.md'], dir);
    expect(markdown).toMatchObject({ code: 0, stdout: '' });
    const text = readFileSync(path.join(dir, 'reports/nightly.md'), 'utf8');
    expect((await run(['report', '--history', 'history.db', '--format', 'html:reports/nightly.html', '--format', 'json:reports/nightly.json'], dir)).stderr).toMatch(
      /^gatewarden: wrote the html history report to reports\/nightly\.html \(2 runs, \d+ open findings, 0 past their SLA\)\ngatewarden: wrote the json history report to reports\/nightly\.json/,
    );
    expect(readFileSync(path.join(dir, 'reports/nightly.html'), 'utf8')).toMatch(/<table id="previous-fixed" class="sortable filterable">[^]*no-static-api-keys/);
    expect(text).toContain('## Since the previous run\n\nCompared with run night-1 of ');
    // Both runs are in the 30-day window: measured from the first, which is the previous run; said once.
    expect(text).toMatch(/## Since [-0-9: ]+UTC\n\nThe previous run is the last one before the window: the changes are those above\.\n/);
    expect(text).toMatch(/### Fixed\n\n\| Severity \| Policy \| Resource \| Where \|\n\| --- \| --- \| --- \| --- \|\n\| 🟠 high \| no-static-api-keys \| aws\\_api\\_gateway\\_api\\_key.partner\\_acme \| infra/);
  });

  it('groups shards recorded with one --run-id into one run, and says what a missing shard leaves unchecked', async () => {
    cpSync(path.join(repo, 'samples/aws-terraform/fixed'), path.join(dir, 'fixed'), { recursive: true });
    await run(['scan', 'infra', '--history', 'history.db', '--run-id', 'n1'], dir);
    await run(['scan', 'fixed', '--history', 'history.db', '--run-id', 'n1'], dir);
    // The next night only the fixed repository is scanned: the other one's findings are not checked.
    await run(['scan', 'fixed', '--history', 'history.db', '--run-id', 'n2'], dir);
    const report = JSON.parse((await run(['report', '--history', 'history.db', '--format', 'json'], dir)).stdout);
    expect(report.sincePrevious.from.id).toBe('n1');
    expect(report.sincePrevious.fixed).toEqual([]);
    expect(ids(report.sincePrevious.notChecked)).toContain('no-static-api-keys aws_api_gateway_api_key.partner_acme');
    const first = JSON.parse((await run(['report', '--history', 'history.db', '--format', 'json'], dir)).stdout).trend[0];
    expect(first).toMatchObject({ runId: 'n1', incomplete: false });
  });

  it('decides fixed by the files a later scan read, whatever paths it was given', async () => {
    cpSync(path.join(repo, 'samples/aws-terraform/fixed'), path.join(dir, 'other'), { recursive: true });
    await run(['scan', 'infra', '--history', 'history.db', '--run-id', 'n1'], dir);
    // Fixed in infra, then the whole directory scanned: infra's findings are judged, other's are new.
    const restApi = path.join(infra, 'rest-api.tf');
    writeFileSync(restApi, readFileSync(restApi, 'utf8').replace(/\n\s*value\s*=\s*"EXAMPLEfakeKEYdoNOTuse0000000000acme"/, ''));
    await run(['scan', '.', '--history', 'history.db', '--run-id', 'n2'], dir);
    // Then only other/: infra was not read, so nothing of it is fixed.
    await run(['scan', 'other', '--history', 'history.db', '--run-id', 'n3'], dir);
    const runs = JSON.parse((await run(['report', '--history', 'history.db', '--format', 'json'], dir)).stdout);
    expect(runs.meanTimeToFix.high.fixed).toBe(1);
    expect(ids(runs.sincePrevious.fixed)).toEqual([]);
    expect(ids(runs.sincePrevious.notChecked)).toContain('route-requires-auth aws_api_gateway_method.list_orders');
  });

  it('reads history: and sla: from the config file', async () => {
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'history: nightly/history.db\nsla: { critical: 1h }\n');
    // The directory must exist: a mistyped one would otherwise start a new, empty history unnoticed.
    mkdirSync(path.join(dir, 'nightly'));
    const scanned = await run(['scan', 'infra'], dir);
    expect(scanned.code, scanned.stderr).toBe(1);
    expect(existsSync(path.join(dir, 'nightly/history.db'))).toBe(true);
    const report = JSON.parse((await run(['report', '--format', 'json'], dir)).stdout);
    expect(report.runs).toBe(1);
    expect(report.open.find((finding: Listed) => finding.policyId === 'cors-not-open' && finding.address === 'module.storefront_api.aws_apigatewayv2_api.this')).toMatchObject({ severity: 'critical', slaDays: 0, pastSla: false });
  });

  it('stops before scanning when the history cannot be opened, and refuses --run-id without --history', async () => {
    const missing = await run(['scan', 'infra', '--history', 'no/such/dir/history.db'], dir);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^gatewarden: cannot open the history database no\/such\/dir\/history\.db: .*directory does not exist/);
    const runId = await run(['scan', 'infra', '--run-id', 'n1'], dir);
    expect(runId).toMatchObject({ code: 2, stdout: '', stderr: 'gatewarden: --run-id names a run of the history: give --history DB too (or history: in the config file)\n' });
    const report = await run(['report', '--history', 'typo.db'], dir);
    expect(report).toMatchObject({ code: 2, stdout: '' });
    expect(report.stderr).toContain('no history at typo.db');
    expect(existsSync(path.join(dir, 'typo.db'))).toBe(false);
    expect(await run(['report', '--format', 'json'], dir)).toMatchObject({ code: 2, stdout: '', stderr: 'gatewarden: gatewarden report needs the history to read: --history DB (the SQLite file or postgres:// URL scan and audit recorded into with --history), or history: in the config file\n' });
    expect((await run(['report', '--history', 'h.db', '--since', 'a month'], dir)).stderr).toBe('gatewarden: --since needs an age such as 30d, 12w or 48h, not "a month"\n');
  });

  it('escapes what the input names in the Markdown report', async () => {
    writeFileSync(path.join(infra, 'evil.tf'), 'resource "aws_apigatewayv2_api" "x" {\n  name          = "<img src=x onerror=alert(1)>"\n  protocol_type = "HTTP"\n  cors_configuration {\n    allow_origins = ["*"]\n  }\n}\n');
    await run(['scan', 'infra', '--history', 'history.db'], dir);
    const text = (await run(['report', '--history', 'history.db'], dir)).stdout;
    expect(text).toContain('# gatewarden nightly report');
    expect(text).not.toContain('<img');
  });

  it('records an audit with its accounts as target and ARNs as resource ids; fixed or not checked by account and region', { timeout: 60_000 }, async () => {
    const conformance = awsConformanceAccount();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    const audit = async (regions: Record<string, unknown>, runId: string): Promise<{ targets: string[]; findings: Array<Listed & { location: { file: string } }> }> => {
      const fake = (await startFakeAws({ regions })) as { url: string; close(): Promise<void> };
      try {
        const result = await run(['audit', 'aws', '--endpoint-url', fake.url, '--regions', Object.keys(regions).join(','), '--history', 'history.db', '--run-id', runId, '--format', `json:${runId}.json`], dir);
        expect(result.code, result.stderr).toBe(1);
        return JSON.parse(readFileSync(path.join(dir, `${runId}.json`), 'utf8'));
      } finally {
        await fake.close();
      }
    };
    const report = async () => JSON.parse((await run(['report', '--history', 'history.db', '--format', 'json'], dir)).stdout);
    try {
      const first = await audit({ 'eu-west-1': conformance }, 'n1');
      const second = await audit({ 'us-east-1': conformance }, 'n2');
      const afterSecond = await report();
      expect(afterSecond.latest).toMatchObject({ commands: ['audit aws'], scopes: [expect.stringMatching(/^audit aws: aws:\d+\/us-east-1$/)] });
      // eu-west-1 was not read the second night: its findings are not checked, never fixed.
      expect(afterSecond.sincePrevious.fixed).toEqual([]);
      expect(ids(afterSecond.sincePrevious.notChecked)).toEqual(ids(first.findings));
      const recorded = afterSecond.sincePrevious.notChecked.find((finding: Listed) => finding.address === first.findings[0]!.address);
      expect(recorded).toMatchObject({ resourceId: first.findings[0]!.location.file, target: first.targets[0], scope: `audit aws: ${first.targets.join(' ')}` });
      expect(recorded.resourceId).toMatch(/^arn:aws:apigateway:eu-west-1::/);
      expect(recorded.location).toBeUndefined();

      // The third night audits both regions at once, and eu-west-1 has no API left: fixed, by its
      // account and region, though this audit's set of regions differs from the first's.
      await audit({ 'eu-west-1': {}, 'us-east-1': conformance }, 'n3');
      const afterThird = await report();
      expect(ids(afterThird.sincePrevious.stillOpen)).toEqual(ids(second.findings));
      expect(afterThird.sincePrevious.new).toEqual([]);
      const fixed = Object.values(afterThird.meanTimeToFix as Record<string, { fixed: number }>).reduce((sum, entry) => sum + entry.fixed, 0);
      expect(fixed).toBe(first.findings.length);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});

describe('owners, gateways and compliance from the command line', () => {
  it('gives findings their gateway and owner (tag, config glob, CODEOWNERS), policies their checks, and the report posture by owner and OWASP items', async () => {
    const restApi = path.join(infra, 'rest-api.tf');
    writeFileSync(restApi, readFileSync(restApi, 'utf8').replace('  api_key_source = "HEADER"\n', '  api_key_source = "HEADER"\n  tags           = { Owner = "team-orders" }\n'));
    writeFileSync(path.join(dir, '.gatewarden.yaml'), 'owners:\n  tag: owner\n  paths:\n    "infra/modules/**": team-http\n');
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, '.github/CODEOWNERS'), '* @org/platform\n');

    const scanned = await run(['scan', 'infra', '--format', 'json', '--history', 'history.db', '--run-id', 'night-1'], dir);
    expect(JSON.parse(scanned.stdout).diagnostics).toEqual([]);
    expect(scanned.code).toBe(1);
    const report = JSON.parse(scanned.stdout) as {
      findings: Array<{ policyId: string; address: string; gateway?: { id: string; name?: string }; owner?: { name: string; source: string }; location: { file: string } }>;
      policies: Array<{ id: string; checks?: { evaluated: number; passed: number; failed: number; unknown: number; errors: number } }>;
    };
    const listOrders = report.findings.find((finding) => finding.policyId === 'route-requires-auth' && finding.address === 'aws_api_gateway_method.list_orders')!;
    expect(listOrders.gateway).toEqual({ id: 'infra:aws_api_gateway_rest_api.orders', name: 'shop-prod-orders' });
    expect(listOrders.owner).toEqual({ name: 'team-orders', source: 'tag' });
    const owners = new Set(report.findings.map((finding) => `${finding.location.file} ${finding.owner?.name} ${finding.owner?.source}`));
    // The API key of rest-api.tf belongs to no gateway: CODEOWNERS names its owner.
    expect([...owners].sort()).toEqual([
      'infra/modules/http-api/main.tf team-http config',
      'infra/rest-api.tf @org/platform codeowners',
      'infra/rest-api.tf team-orders tag',
      'infra/terraform.tfvars @org/platform codeowners',
    ]);
    const auth = report.policies.find((policy) => policy.id === 'route-requires-auth')!.checks!;
    expect(auth.failed).toBe(report.findings.filter((finding) => finding.policyId === 'route-requires-auth').length);
    expect(auth.evaluated).toBe(auth.passed + auth.failed + auth.unknown + auth.errors);

    const markdown = await run(['report', '--history', 'history.db', '--format', 'markdown'], dir);
    expect(markdown.stdout).toContain('| team-orders |');
    expect(markdown.stdout).toContain('### OWASP API Security Top 10 (2023)');
    // cache-key-authorization maps API1, but nothing in the samples is cached: no check decided.
    expect(markdown.stdout).toContain('| API1 Broken Object Level Authorization | not measured |');
    // 4 of the 9 authentication checks passed (the JWT authorizer's issuer and audience among them): 4 routes without authentication, 1 static key.
    expect(markdown.stdout).toContain('| API2 Broken Authentication | **fail** | 44.4 % | 4 | 5 | 0 | no-static-api-keys: 1 of 1 failed (aws\\_api\\_gateway\\_api\\_key.partner\\_acme); route-requires-auth: 4 of 7 failed (aws\\_api\\_gateway\\_method.get\\_order (GET /orders/{orderId}), aws\\_api\\_gateway\\_method.list\\_orders (GET /orders), module.storefront\\_api.aws\\_apigatewayv2\\_route.this\\[\"GET /catalog\"\\] (GET /catalog), aws\\_api\\_gateway\\_method.create\\_order (POST /orders)) |');
  });
});
