import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../../src/cli/cli.js';
import { findingFingerprint } from '../../../src/engine/fingerprint.js';
import type { Finding } from '../../../src/model/findings.js';
import { scan } from '../../helpers/without-logging.js';

// What an API Management API's policies return and let through is decided by the effective policy of
// its operations: an element of the global policy (or of a product's policy, or a fragment) decides
// it for every API that inherits it. That element is one finding, on the policy's owner (the service
// for the global policy), listing the APIs; an API whose own policy decides keeps its own finding.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cases = path.join(repo, 'policies/exposure/apim-error-details/test');
// Global on-error returns LastError.Message (line 23) to tills and stock; loyalty's own on-error
// (no <base/>) returns LastError.Source (line 79); catalog's returns a generic body.
const terraform = path.join(cases, 'global-shared-by-apis');
const arm = path.join(cases, 'arm-global-shared');
const SERVICE = 'azurerm_api_management.retail#apis';
const EXPOSURE = new Set(['apim-error-details', 'apim-backend-headers-removed', 'apim-inbound-restricted']);

type Row = [policyId: string, entityKind: string, entityId: string, address: string, file: string, line: number, apis: string[] | undefined];
const rows = (findings: readonly Finding[]): Row[] =>
  findings
    .filter((f) => EXPOSURE.has(f.policyId))
    .map((f) => [f.policyId, f.entityKind, f.entityId, f.address, f.location.file, f.location.startLine, f.routes?.map((api) => api.entityId).sort()]);

function copyOf(dir: string, edit: (text: string) => string, file = 'main.tf'): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'gatewarden-apim-shared-'));
  cpSync(dir, copy, { recursive: true });
  writeFileSync(path.join(copy, file), edit(readFileSync(path.join(copy, file), 'utf8')));
  return copy;
}

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false }, stderr: { write: () => undefined, isTTY: false }, cwd, env: {} };
  const code = await cli(argv, io);
  return { code, stdout };
}

describe('findings decided in a policy several APIs share', () => {
  it('Terraform: one finding on the service at the global policy line, listing the APIs that inherit it; an API deciding in its own policy keeps its own', async () => {
    const report = await scan({ cwd: terraform, paths: ['.'] });
    expect(rows(report.findings)).toEqual([
      // The global outbound section keeps both headers: stock and tills inherit it.
      ['apim-backend-headers-removed', 'gateway', SERVICE, 'azurerm_api_management.retail', 'main.tf', 21, ['azurerm_api_management_api.stock', 'azurerm_api_management_api.tills']],
      // The global on-error set-body.
      ['apim-error-details', 'gateway', SERVICE, 'azurerm_api_management.retail', 'main.tf', 23, ['azurerm_api_management_api.stock', 'azurerm_api_management_api.tills']],
      // No restriction anywhere: each API's own, at its block.
      ['apim-inbound-restricted', 'gateway', 'azurerm_api_management_api.tills', 'azurerm_api_management_api.tills', 'main.tf', 29, undefined],
      ['apim-inbound-restricted', 'gateway', 'azurerm_api_management_api.stock', 'azurerm_api_management_api.stock', 'main.tf', 40, undefined],
      ['apim-inbound-restricted', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 51, undefined],
      // loyalty's own outbound section (with <base/>, the innermost) and its own on-error.
      ['apim-backend-headers-removed', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 74, undefined],
      ['apim-error-details', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 79, undefined],
      ['apim-inbound-restricted', 'gateway', 'azurerm_api_management_api.catalog', 'azurerm_api_management_api.catalog', 'main.tf', 86, undefined],
      ['apim-backend-headers-removed', 'gateway', 'azurerm_api_management_api.catalog', 'azurerm_api_management_api.catalog', 'main.tf', 109, undefined],
    ]);
    const details = report.findings.find((f) => f.policyId === 'apim-error-details' && f.entityId === SERVICE)!;
    expect(details.message).toBe(
      'a policy that the APIs stock and tills of API Management service apim-retail share returns context.LastError details (message, source or reason of the failure) to their callers',
    );
    expect(details.gateway).toEqual({ id: SERVICE, name: 'apim-retail' });
    expect(details.routes!.map((api) => [api.routeKey, api.address, api.location.startLine])).toEqual([
      ['stock', 'azurerm_api_management_api.stock', 40],
      ['tills', 'azurerm_api_management_api.tills', 29],
    ]);
    // The finding's identity is the service's; each API keeps the fingerprint its own finding had.
    const line = readFileSync(path.join(terraform, 'main.tf'), 'utf8').split('\n')[22]!;
    expect(line.trim()).toBe('<set-body>@(context.LastError.Message)</set-body>');
    expect(details.fingerprint).toBe(findingFingerprint({ policyId: 'apim-error-details', entityId: SERVICE, lineText: line }));
    expect(details.routes!.map((api) => api.fingerprint)).toEqual(details.routes!.map((api) => findingFingerprint({ policyId: 'apim-error-details', entityId: api.entityId, lineText: line })));
  });

  it('ARM: the same, at the global policy value line', async () => {
    const report = await scan({ cwd: arm, paths: ['.'] });
    const service = 'azuredeploy.json:Microsoft.ApiManagement/service/apim-bank#apis';
    const api = (name: string): string => `azuredeploy.json:Microsoft.ApiManagement/service/apim-bank/apis/${name}`;
    expect(rows(report.findings).filter(([policy]) => policy !== 'apim-inbound-restricted')).toEqual([
      ['apim-error-details', 'gateway', service, 'Microsoft.ApiManagement/service/apim-bank', 'azuredeploy.json', 20, [api('cards'), api('loans')]],
      ['apim-backend-headers-removed', 'gateway', service, 'Microsoft.ApiManagement/service/apim-bank', 'azuredeploy.json', 20, [api('cards'), api('loans')]],
      ['apim-error-details', 'gateway', api('savings'), 'Microsoft.ApiManagement/service/apim-bank/apis/savings', 'azuredeploy.json', 51, undefined],
      ['apim-backend-headers-removed', 'gateway', api('savings'), 'Microsoft.ApiManagement/service/apim-bank/apis/savings', 'azuredeploy.json', 51, undefined],
    ]);
    expect(report.findings.find((f) => f.policyId === 'apim-error-details' && f.entityId === service)!.message).toBe(
      'a policy that the APIs Cards and Loans of API Management service apim-bank share returns context.LastError details (message, source or reason of the failure) to their callers',
    );
  });

  it('keeps the service finding and its fingerprint when fewer APIs inherit the global policy', async () => {
    const fingerprintOf = async (dir: string): Promise<Array<[string, string[]]>> => {
      const report = await scan({ cwd: dir, paths: ['.'] });
      return report.findings.filter((f) => f.policyId === 'apim-error-details' && f.entityId === SERVICE).map((f) => [f.fingerprint, f.routes!.map((api) => api.entityId)]);
    };
    const both = await fingerprintOf(terraform);
    const withoutStock = await fingerprintOf(copyOf(terraform, (text) => text.replace(/resource "azurerm_api_management_api" "stock" \{[\s\S]*?\n\}\n/, '')));
    expect(withoutStock).toEqual([[both[0]![0], ['azurerm_api_management_api.tills']]]);
  });

  it('is accepted by a comment in the global policy XML, or a config suppression naming the service', async () => {
    const commented = copyOf(terraform, (text) => text.replace('    <set-body>@(context.LastError.Message)</set-body>', '    <!-- gatewarden:ignore apim-error-details -- the message is generic by contract -->\n    <set-body>@(context.LastError.Message)</set-body>'));
    const byComment = await scan({ cwd: commented, paths: ['.'] });
    expect(byComment.findings.filter((f) => f.policyId === 'apim-error-details').map((f) => [f.entityId, f.location.startLine, f.suppressed?.kind, f.suppressed?.reason])).toEqual([
      [SERVICE, 24, 'in-source', 'the message is generic by contract'],
      ['azurerm_api_management_api.loyalty', 80, undefined, undefined],
    ]);

    const configured = copyOf(terraform, (text) => text);
    writeFileSync(path.join(configured, '.gatewarden.yaml'), 'suppressions:\n  - policy: apim-error-details\n    address: azurerm_api_management.retail\n    reason: the message is generic by contract\n');
    const json = JSON.parse((await run(['scan', '--format', 'json', '--fail-on', 'never'], configured)).stdout) as { findings: Finding[]; diagnostics: Array<{ code: string }> };
    expect(json.findings.filter((f) => f.policyId === 'apim-error-details').map((f) => [f.entityId, f.suppressed?.kind])).toEqual([
      [SERVICE, 'config'],
      ['azurerm_api_management_api.loyalty', undefined],
    ]);
    expect(json.diagnostics.filter((d) => d.code === 'suppression')).toEqual([]);
  });

  it('names a product policy that returns the details once, for the APIs of the product', async () => {
    const product = `
resource "azurerm_api_management_product" "gold" {
  product_id            = "gold"
  api_management_name   = azurerm_api_management.retail.name
  resource_group_name   = "rg-retail"
  display_name          = "Gold"
  subscription_required = true
  published             = true
}

resource "azurerm_api_management_product_api" "gold_tills" {
  api_name            = azurerm_api_management_api.tills.name
  product_id          = azurerm_api_management_product.gold.product_id
  api_management_name = azurerm_api_management.retail.name
  resource_group_name = "rg-retail"
}

resource "azurerm_api_management_product_api" "gold_stock" {
  api_name            = azurerm_api_management_api.stock.name
  product_id          = azurerm_api_management_product.gold.product_id
  api_management_name = azurerm_api_management.retail.name
  resource_group_name = "rg-retail"
}

resource "azurerm_api_management_product_policy" "gold" {
  product_id          = azurerm_api_management_product.gold.product_id
  api_management_name = azurerm_api_management.retail.name
  resource_group_name = "rg-retail"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
    <set-body>@(context.LastError.Reason)</set-body>
  </on-error>
</policies>
XML
}
`;
    // The global policy returns a generic body now: only the product's subscribers get the details.
    const dir = copyOf(terraform, (text) => text.replace('<set-body>@(context.LastError.Message)</set-body>', '<set-body>request failed</set-body>') + product);
    const lines = readFileSync(path.join(dir, 'main.tf'), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('context.LastError.Reason')) + 1;
    const report = await scan({ cwd: dir, paths: ['.'] });
    expect(rows(report.findings).filter(([policy]) => policy === 'apim-error-details')).toEqual([
      ['apim-error-details', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 79, undefined],
      ['apim-error-details', 'gateway', 'azurerm_api_management_product_policy.gold#apis', 'azurerm_api_management_product_policy.gold', 'main.tf', at, ['azurerm_api_management_api.stock', 'azurerm_api_management_api.tills']],
    ]);
    expect(at).toBeGreaterThan(117);
  });
});

describe('an unknown setting several APIs share', () => {
  it("is one unknown check on the service, listing its APIs, when the service's TLS flag comes from a variable without a value", async () => {
    const retail = path.join(repo, 'policies/tls/apim-tls-protocols/test/azurerm-legacy-clients');
    const dir = copyOf(retail, (text) => `variable "legacy_tls" {\n  type = bool\n}\n\n${text.replace('frontend_tls11_enabled     = true', 'frontend_tls11_enabled     = var.legacy_tls')}`);
    const report = await scan({ cwd: dir, paths: ['.'] });
    const tls = report.unevaluated.filter((check) => check.policyId === 'apim-tls-protocols');
    expect(tls.map((check) => [check.entityKind, check.entityId, check.address, check.location.file, check.location.startLine, check.routes?.map((api) => [api.entityId, api.routeKey, api.location.startLine])])).toEqual([
      [
        'gateway',
        SERVICE,
        'azurerm_api_management.retail',
        'main.tf',
        16,
        [
          ['azurerm_api_management_api.loyalty', 'loyalty', 40],
          ['azurerm_api_management_api.stock', 'stock', 31],
          ['azurerm_api_management_api.tills', 'tills', 21],
        ],
      ],
    ]);
    expect(tls[0]!.reason).toMatch(/legacy_tls/);
    expect(tls[0]!.gateway).toEqual({ id: SERVICE, name: 'apim-retail' });
    // Each API's check is still counted: the checks are the same, only their report is one.
    expect(report.policies.find((policy) => policy.id === 'apim-tls-protocols')?.checks).toMatchObject({ unknown: 3 });
    // The JSON report's schema documents the grouped check.
    const schema = JSON.parse(readFileSync(path.join(repo, 'docs/report.schema.json'), 'utf8')) as { $id: string };
    const validate = new Ajv2020({ strict: true }).addSchema(schema).getSchema(`${schema.$id}#/$defs/unevaluated`)!;
    expect(validate(JSON.parse(JSON.stringify(tls[0])))).toBe(true);
    // The text report names the APIs under the check, as under a grouped finding.
    const text = (await run(['scan', '--fail-on', 'never', '--no-color'], dir)).stdout;
    const block = text.slice(text.indexOf('Checks that could not be decided'));
    const at = block.indexOf('apim-tls-protocols');
    expect(block.slice(at).split('\n').slice(2, 5).map((line) => line.trim())).toEqual([
      'affects loyalty (azurerm_api_management_api.loyalty at main.tf:40)',
      'affects stock (azurerm_api_management_api.stock at main.tf:31)',
      'affects tills (azurerm_api_management_api.tills at main.tf:21)',
    ]);
  });

  it('is one unknown check on the service per policy when the global policy is linked, listing the APIs whose chain runs it', async () => {
    const dir = copyOf(terraform, (text) => text.replace(/  xml_content       = <<XML\n<policies>\n  <inbound \/>[\s\S]*?\nXML\n/, '  xml_link          = "https://policies.example.com/global.xml"\n'));
    const report = await scan({ cwd: dir, paths: ['.'] });
    expect(
      report.unevaluated.filter((check) => EXPOSURE.has(check.policyId)).map((check) => [check.policyId, check.entityId, check.location.file, check.location.startLine, check.routes?.map((api) => api.routeKey)]),
    ).toEqual([
      // At xml_link. catalog's on-error drops <base/> and returns a generic body, but its outbound runs the global one.
      ['apim-backend-headers-removed', SERVICE, 'main.tf', 15, ['catalog', 'loyalty', 'stock', 'tills']],
      ['apim-error-details', SERVICE, 'main.tf', 15, ['catalog', 'stock', 'tills']],
      ['apim-inbound-restricted', SERVICE, 'main.tf', 15, ['catalog', 'loyalty', 'stock', 'tills']],
    ]);
    // loyalty's own on-error returns the source whatever the global policy holds.
    expect(rows(report.findings)).toEqual([['apim-error-details', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 68, undefined]]);
  });

  it('names a fragment that returns the details once, on the fragment, for the APIs whose policies include it', async () => {
    const fragment = `
resource "azurerm_api_management_policy_fragment" "errors" {
  api_management_id = azurerm_api_management.retail.id
  name              = "errors"
  format            = "rawxml"
  value             = <<XML
<fragment>
  <set-body>@(context.LastError.Message)</set-body>
</fragment>
XML
}
`;
    const dir = copyOf(terraform, (text) => text.replace('<set-body>@(context.LastError.Message)</set-body>', '<include-fragment fragment-id="errors" />') + fragment);
    const lines = readFileSync(path.join(dir, 'main.tf'), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('context.LastError.Message')) + 1;
    expect(at).toBeGreaterThan(117);
    const report = await scan({ cwd: dir, paths: ['.'] });
    expect(rows(report.findings).filter(([policy]) => policy === 'apim-error-details')).toEqual([
      ['apim-error-details', 'gateway', 'azurerm_api_management_api.loyalty', 'azurerm_api_management_api.loyalty', 'main.tf', 79, undefined],
      ['apim-error-details', 'gateway', 'azurerm_api_management_policy_fragment.errors#apis', 'azurerm_api_management_policy_fragment.errors', 'main.tf', at, ['azurerm_api_management_api.stock', 'azurerm_api_management_api.tills']],
    ]);
  });
});
