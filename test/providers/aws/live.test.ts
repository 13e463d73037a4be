import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { auditAws, type AuditAwsOptions } from '../../../src/audit.js';
import { exitCodeFor } from '../../../src/report.js';
import { scan } from '../../../src/scan.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeAws } from '../../helpers/fake-aws.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../../..');
const conformance = JSON.parse(readFileSync(path.join(here, '../../fixtures/live/conformance.json'), 'utf8')) as Record<string, unknown>;
const credentials = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' };

interface FakeRequest {
  method: string;
  path: string;
  query: string;
  region: string;
  service: string;
}
interface Fake {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function audit(fakeOptions: Record<string, unknown>, options: Partial<AuditAwsOptions> = {}) {
  fake = (await startFakeAws(fakeOptions)) as Fake;
  return auditAws({ cwd: repo, endpointUrl: fake.url, credentials, regions: ['eu-west-1'], maxAttempts: 5, ...options });
}

describe('gatewarden audit aws, with the real SDK against a fake API Gateway', () => {
  it('gives the findings a scan of the Terraform that created the API gives', async () => {
    const { report } = await audit({ regions: { 'eu-west-1': conformance } });
    const key = (findings: typeof report.findings) => findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const code = await scan({ cwd: path.join(repo, 'test/fixtures/conformance/hcl') });
    // A key's value is never read from an account, so where it came from cannot be judged there.
    expect(key(report.findings)).toEqual(key(code.findings.filter((f) => f.policyId !== 'no-static-api-keys')));
    expect(report.summary).toMatchObject({ incomplete: false, gateways: 1, routes: 2, files: 0 });
    expect(report.targets).toEqual(['aws:123456789012/eu-west-1']);
  });

  it('names each finding by ARN, region, account and console link', async () => {
    const { report } = await audit({ regions: { 'eu-west-1': conformance } });
    const finding = report.findings.find((f) => f.policyId === 'route-requires-auth')!;
    expect(finding).toMatchObject({
      address: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      entityId: '123456789012:arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET',
      origin: { format: 'live', account: '123456789012', region: 'eu-west-1' },
      location: { file: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET', url: 'https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources/it3ms00001?api=a1b2c3d4e5&region=eu-west-1' },
    });
  });

  it('makes only GET calls on API Gateway, never asks for key values, and only GetCallerIdentity besides', async () => {
    const { report, calls } = await audit({ regions: { 'eu-west-1': conformance } });
    const requests = fake!.requests;
    expect(requests.filter((r) => r.service === 'apigateway').every((r) => r.method === 'GET')).toBe(true);
    expect(requests.filter((r) => r.service !== 'apigateway').map((r) => `${r.service} ${r.method}`)).toEqual(['sts POST']);
    expect(requests.find((r) => r.path === '/apikeys')!.query).not.toContain('includeValues=true');
    // Four calls per REST API: resources with methods, authorizers, stages, gateway responses.
    expect(requests.filter((r) => r.path.startsWith('/restapis/a1b2c3d4e5')).map((r) => r.path)).toEqual([
      '/restapis/a1b2c3d4e5/resources',
      '/restapis/a1b2c3d4e5/authorizers',
      '/restapis/a1b2c3d4e5/stages',
      '/restapis/a1b2c3d4e5/gatewayresponses',
    ]);
    expect(calls).toBe(requests.filter((r) => r.service === 'apigateway').length);
    expect(JSON.stringify(report)).not.toContain('FAKEvalue');
  });

  it('reads every page of every list', async () => {
    const apis = Array.from({ length: 5 }, (_, index) => ({ api: { id: `api${index}`, name: `api-${index}` }, resources: [{ id: `root${index}`, path: '/' }], stages: [] }));
    const { report } = await audit({ pageSize: 2, regions: { 'eu-west-1': { restApis: apis, v2Apis: [1, 2, 3].map((index) => ({ api: { apiId: `h${index}`, name: `http-${index}`, protocolType: 'HTTP' }, routes: [{ routeId: 'r1', routeKey: 'GET /a', authorizationType: 'NONE' }, { routeId: 'r2', routeKey: 'GET /b', authorizationType: 'NONE' }, { routeId: 'r3', routeKey: 'GET /c', authorizationType: 'NONE' }] })) } } });
    expect(report.summary).toMatchObject({ gateways: 8, routes: 9 });
    expect(fake!.requests.filter((r) => r.path === '/restapis').map((r) => r.query)).toEqual(['?limit=500', '?limit=500&position=2', '?limit=500&position=4']);
  });

  it('retries throttled calls and completes', async () => {
    const { report } = await audit({ throttleFirst: 2, regions: { 'eu-west-1': conformance } });
    expect(report.summary.incomplete).toBe(false);
    expect(report.findings).toHaveLength(2);
    // GetCallerIdentity, ten reads, and the two that were throttled once.
    expect(fake!.requests.length).toBe(13);
  });

  it('goes on when a region denies access, and says the audit is incomplete', async () => {
    const { report } = await audit(
      { regions: { 'eu-west-1': conformance }, failRegions: { 'us-east-1': { status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform: apigateway:GET' } } },
      { regions: ['us-east-1', 'eu-west-1'] },
    );
    expect(report.findings).toHaveLength(2);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error read-error']);
    expect(report.diagnostics[0]!.message).toMatch(/^GetRestApis failed in us-east-1 of account 123456789012: AccessDeniedException: User is not authorized.*grant apigateway:GET on arn:aws:apigateway:us-east-1::\/\*/);
    expect(exitCodeFor(report, 'critical')).toBe(2);
  });

  it('reports a response that is not JSON, and audits the rest', async () => {
    const { report } = await audit({ malformed: /\/stages$/, regions: { 'eu-west-1': conformance } });
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'read-error', message: expect.stringMatching(/^GetStages for restapi a1b2c3d4e5 failed in eu-west-1/) })]);
    expect(report.summary.incomplete).toBe(true);
    // Without the stage, the rate limit is unknown, never assumed absent.
    expect(report.unevaluated.map((u) => u.policyId)).toEqual(['throttling-configured', 'throttling-configured']);
  });

  it('finds nothing, completely, in an account with no APIs', async () => {
    const { report } = await audit({ regions: {} });
    expect(report.summary).toMatchObject({ gateways: 0, findings: { total: 0 }, incomplete: false });
    expect(exitCodeFor(report, 'low')).toBe(0);
  });

  it('skips opt-in regions the account has not enabled, without calling the audit incomplete', async () => {
    const failRegions = Object.fromEntries(['af-south-1', 'me-south-1'].map((region) => [region, { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }]));
    const { report } = await audit({ regions: { 'eu-west-1': conformance }, failRegions }, { regions: [] });
    expect(report.summary.incomplete).toBe(false);
    expect(report.targets).toContain('aws:123456789012/eu-west-1');
    expect(report.targets).not.toContain('aws:123456789012/af-south-1');
    expect(report.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual([
      'info region af-south-1 is not enabled for account 123456789012; it was skipped',
      'info region me-south-1 is not enabled for account 123456789012; it was skipped',
    ]);
  });

  it('follows the SDK variable AWS_ENDPOINT_URL like --endpoint-url', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = fake.url;
    try {
      const { report } = await auditAws({ cwd: repo, credentials, regions: ['eu-west-1'] });
      expect(report.findings).toHaveLength(2);
      expect(fake.requests.length).toBe(11);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('audits several accounts through their roles, keeping them apart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-accounts-'));
    writeFileSync(path.join(dir, 'accounts.txt'), '# production accounts\narn:aws:iam::111111111111:role/gatewarden-audit\narn:aws:iam::222222222222:role/gatewarden-audit\n');
    const { report } = await audit({ regions: { 'eu-west-1': conformance } }, { accountsFile: path.join(dir, 'accounts.txt') });
    expect(report.targets).toEqual(['aws:111111111111/eu-west-1', 'aws:222222222222/eu-west-1']);
    expect(report.findings.map((f) => f.entityId.split(':')[0]).sort()).toEqual(['111111111111', '111111111111', '222222222222', '222222222222']);
    expect(fake!.requests.filter((r) => r.service === 'sts').length).toBe(4);
  });
});

describe('the audit command', () => {
  it('prints live findings grouped by account and region, with ARN and console link, and exits 1', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const { cli } = await import('../../../src/cli/cli.js');
    let stdout = '';
    let stderr = '';
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    try {
      const code = await cli(['audit', 'aws', '--endpoint-url', fake.url, '--regions', 'eu-west-1'], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        cwd: repo,
        env: {},
      });
      expect(code).toBe(1);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
    expect(stderr).toBe('');
    expect(stdout).toContain('AWS account 123456789012, eu-west-1\n  MEDIUM   route-requires-auth');
    expect(stdout).toContain('           arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/methods/GET (GET /items)\n           https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/');
    expect(stdout).toMatch(/^1 region · 1 gateways · 2 routes · 2 findings/m);
  });

  it('applies .gatewarden.yaml (policies, suppressions by ARN, fail-on) and baselines to live findings', async () => {
    fake = (await startFakeAws({ regions: { 'eu-west-1': conformance } })) as Fake;
    const { cli } = await import('../../../src/cli/cli.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-audit-config-'));
    writeFileSync(
      path.join(dir, '.gatewarden.yaml'),
      [
        'fail-on: high',
        'policies:',
        '  severity: { route-requires-auth: high }',
        '  disable: [cors-not-open]',
        'suppressions:',
        '  - policy: route-requires-auth',
        '    address: "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/it3ms00001/*"',
        '    reason: the item list is public',
        '',
      ].join('\n'),
    );
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    const audit = async (...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const code = await cli(['audit', 'aws', '--endpoint-url', fake!.url, '--regions', 'eu-west-1', '--format', 'json', ...extra], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        cwd: dir,
        env: {},
      });
      return { code, stdout, stderr };
    };
    try {
      const first = await audit();
      expect(first.stderr).toBe('gatewarden: using the config file .gatewarden.yaml\n');
      const report = JSON.parse(first.stdout) as { findings: Array<{ policyId: string; severity: string; address: string; suppressed?: { kind: string }; baselined?: boolean }> };
      const auth = report.findings.filter((f) => f.policyId === 'route-requires-auth');
      expect(auth.map((f) => [f.severity, f.address.replace(/^.*restapis\//, ''), f.suppressed?.kind ?? 'reported'])).toEqual([['high', 'a1b2c3d4e5/resources/it3ms00001/methods/GET', 'config']]);
      // cors-not-open is disabled, and what is left is below fail-on high from the config file: the audit passes.
      expect(report.findings.filter((f) => !f.suppressed).map((f) => `${f.policyId} ${f.severity}`)).toEqual([]);
      expect(first.code).toBe(0);

      // Without the config's exceptions, a baseline accepts every finding of today's account.
      writeFileSync(path.join(dir, 'plain.yaml'), 'fail-on: low\n');
      const created = await audit('--config', 'plain.yaml', '--create-baseline', 'baseline.json');
      expect(created.code).toBe(0);
      const recorded = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: Array<{ policyId: string }> };
      expect(recorded.findings.map((entry) => entry.policyId)).toEqual(['cors-not-open', 'route-requires-auth']);
      const again = await audit('--config', 'plain.yaml', '--baseline', 'baseline.json');
      expect(JSON.parse(again.stdout).summary).toMatchObject({ findings: { total: 0 }, baselined: 2 });
      expect(again.code).toBe(0);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('refuses options that cannot work together or a region that is not one', async () => {
    const { cli } = await import('../../../src/cli/cli.js');
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd: repo, env: {} };
    expect(await cli(['audit', 'aws', '--regions', 'europe'], io)).toBe(2);
    expect(stderr).toContain('--regions: "europe" is not a region name');
    expect(await cli(['audit', 'gcp'], io)).toBe(2);
    expect(stderr).toContain('gatewarden audit reads aws accounts, not "gcp"');
    expect(await cli(['audit', 'aws', '--accounts', 'a.txt', '--role-arn', 'arn:aws:iam::111111111111:role/x'], io)).toBe(2);
  });
});
