import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../src/cli/cli.js';
import type { ScanReport } from '../src/report/report.js';
import { REPORT_FORMATS } from '../src/reporters/formats.js';

// Credentials in stage variables, integration parameters and API Management backend credentials are
// reported by the setting and where its value is written, never by value: in no output format of a
// scan, nor in the history report (markdown, json, html) built from it.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(repo, 'policies/secrets/secrets-in-config/test');
const SECRET = /FAKE[A-Za-z0-9]{8,}/g;

let root: string;

function secretsIn(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else for (const match of readFileSync(full, 'utf8').matchAll(SECRET)) found.add(match[0]);
    }
  };
  walk(dir);
  return found;
}

async function run(argv: readonly string[]): Promise<{ code: number; texts: string[]; files: Map<string, string> }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd: root, env: {} };
  const out = path.join(root, 'out');
  rmSync(out, { recursive: true, force: true });
  const code = await cli(argv, io);
  const files = new Map<string, string>();
  try {
    for (const name of readdirSync(out)) files.set(name, readFileSync(path.join(out, name), 'utf8'));
  } catch {
    // No file output.
  }
  return { code, texts: [stdout, stderr, ...files.values()], files };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gatewarden-secrets-in-config-'));
  cpSync(FIXTURES, path.join(root, 'fixtures'), { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('secrets-in-config output', () => {
  const secrets = secretsIn(FIXTURES);

  it('has literal credentials in its inputs (so the test can fail)', () => {
    expect([...secrets].sort()).toEqual(
      expect.arrayContaining(['FAKEstagePassw0rdValue', 'FAKEbearerToken00001abc', 'FAKEhttpIntegrationKey01', 'FAKEcfnLedgerSecret0001', 'FAKEapimBackendHeaderKey01', 'FAKEapimBasicCredential01', 'FAKEarmBackendSubscription01', 'FAKEsamGlobalPartnerToken01', 'FAKEsamBillingDbPassword01', 'FAKEsamHttpUpstreamKey01']),
    );
  });

  it('names the settings and never their values, in every output format of a scan', async () => {
    const formats = REPORT_FORMATS.flatMap((format) => ['--format', format === 'text' ? 'text' : `${format}:out/${format}.out`]);
    const { code, texts, files } = await run(['scan', 'fixtures', ...formats, '--history', 'out-history.db']);
    // Incomplete (2): a fixture's method has no stage in the scan, so its throttling is unknown.
    expect(code).toBe(2);
    expect([...files.keys()].sort()).toEqual(REPORT_FORMATS.filter((format) => format !== 'text').map((format) => `${format}.out`).sort());
    const report = JSON.parse(files.get('json.out')!) as ScanReport;
    const found = report.findings.filter((finding) => finding.policyId === 'secrets-in-config').map((finding) => finding.entityId);
    expect(found.sort()).toEqual([
      'fixtures/apim-backends:azurerm_api_management_backend.partner/backend-credential/authorization parameter',
      'fixtures/apim-backends:azurerm_api_management_backend.partner/backend-credential/header x-api-key',
      'fixtures/arm-backends/azuredeploy.json:Microsoft.ApiManagement/service/contoso-apim/backends/ledger/backend-credential/header Ocp-Apim-Subscription-Key',
      'fixtures/cloudformation/template.yaml:Items/Integration/integration-parameter/header x-api-key',
      'fixtures/cloudformation/template.yaml:Prod/stage-variable/ledgerSecret',
      // A variable and a Secrets Manager data source: copied into the stage at deploy (medium).
      'fixtures/from-secret-store:aws_api_gateway_stage.prod/stage-variable/partner_key',
      'fixtures/from-secret-store:aws_api_gateway_stage.prod/stage-variable/partner_token',
      'fixtures/integration-parameters:aws_api_gateway_integration.get_items/integration-parameter/header Authorization',
      'fixtures/integration-parameters:aws_apigatewayv2_integration.partner/integration-parameter/header x-api-key',
      'fixtures/sam/template.yaml:BillingApiprodStage/stage-variable/dbPassword',
      'fixtures/sam/template.yaml:BillingApiprodStage/stage-variable/partnerToken',
      'fixtures/sam/template.yaml:EventsApiApiGatewayDefaultStage/stage-variable/upstream_api_key',
      'fixtures/stage-variables:aws_api_gateway_stage.prod/stage-variable/db_password',
      'fixtures/stage-variables:aws_api_gateway_stage.prod/stage-variable/partner',
      'fixtures/stage-variables:aws_apigatewayv2_stage.live/stage-variable/upstream_api_key',
    ]);
    expect(texts[0]).toContain('stage variable db_password holds a credential written in the configuration');
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('never shows the values in the history report, in markdown, JSON or HTML', async () => {
    const { code, texts } = await run(['report', '--history', 'out-history.db', '--format', 'markdown:out/r.md', '--format', 'json:out/r.json', '--format', 'html:out/r.html']);
    expect(code).toBe(0);
    expect(texts.join('\n')).toContain('secrets-in-config');
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
