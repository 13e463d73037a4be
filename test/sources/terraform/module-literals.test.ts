import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';
import { renderSarif } from '../../../src/reporters/sarif.js';
import { renderText } from '../../../src/reporters/text.js';

// A literal read through a module (or a local, a tfvars list, a for_each) is reported where it is
// written, which is where the fix goes; the module line that reads it is a related location.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform/module-literals');
type Report = Awaited<ReturnType<typeof scan>>;

const run = (dir: string): Promise<Report> => scan({ cwd: path.join(fixtures, dir) });
const keyFindings = (report: Report) =>
  report.findings
    .filter((finding) => finding.policyId === 'no-static-api-keys')
    .map((finding) => ({
      address: finding.address,
      at: `${finding.location.file}:${finding.location.startLine}`,
      related: (finding.related ?? []).map((place) => `${place.location.file}:${place.location.startLine} ${place.message}`),
    }));

describe('literals passed into Terraform modules', () => {
  it('reports an AWS API key at the literal in the caller, a local or a tfvars file, with the lines that read it', async () => {
    const report = await run('aws');
    expect(keyFindings(report)).toEqual([
      {
        address: 'module.partner_api.aws_api_gateway_api_key.partner',
        at: 'main.tf:5',
        related: ['modules/partner-api/main.tf:16 read by module.partner_api.aws_api_gateway_api_key.partner here'],
      },
      {
        // The literal is in a local; the module argument passes it on, and each.value.value reads it.
        address: 'module.reseller_keys.aws_api_gateway_api_key.reseller["acme"]',
        at: 'main.tf:12',
        related: ['modules/keys/main.tf:11 read by module.reseller_keys.aws_api_gateway_api_key.reseller["acme"] here', 'main.tf:24 passed to module.reseller_keys as keys here'],
      },
      {
        address: 'module.reseller_keys.aws_api_gateway_api_key.reseller["globex"]',
        at: 'main.tf:16',
        related: ['modules/keys/main.tf:11 read by module.reseller_keys.aws_api_gateway_api_key.reseller["globex"] here', 'main.tf:24 passed to module.reseller_keys as keys here'],
      },
      // Computed from the literal (upper()): reported where it is computed, as before.
      { address: 'module.partner_api.aws_api_gateway_api_key.partner_upper', at: 'modules/partner-api/main.tf:22', related: [] },
      // var.legacy_keys[count.index].value: the entry of the tfvars list.
      { address: 'aws_api_gateway_api_key.legacy[0]', at: 'terraform.tfvars:4', related: ['legacy.tf:12 read by aws_api_gateway_api_key.legacy[0] here'] },
    ]);
  });

  it('reports an APIM named value at the literal in the module call, with the module line related', async () => {
    const report = await run('azure');
    expect(keyFindings(report)).toEqual([
      {
        address: 'module.named_values.azurerm_api_management_named_value.this["erp-backend-key"]',
        at: 'main.tf:17',
        related: ['modules/apim-named-values/main.tf:22 read by module.named_values.azurerm_api_management_named_value.this["erp-backend-key"] here'],
      },
    ]);
  });

  it('follows a literal through an object variable expanded by a dynamic block to the caller, the block attribute related', async () => {
    const report = await run('dynamic-cors');
    const cors = report.findings
      .filter((finding) => finding.policyId === 'cors-not-open')
      .map((finding) => ({
        entity: finding.entityId,
        at: `${finding.location.file}:${finding.location.startLine}`,
        related: (finding.related ?? []).map((place) => `${place.location.file}:${place.location.startLine} ${place.message}`),
      }));
    expect(cors).toEqual([
      {
        // cors = { allow_origins = ["*"] } in the caller; the module reads it as cors_configuration.value.allow_origins.
        entity: 'module.storefront.aws_apigatewayv2_api.this/cors',
        at: 'main.tf:7',
        related: ['modules/http-api/main.tf:28 read by module.storefront.aws_apigatewayv2_api.this here'],
      },
      {
        // A static block reading a list variable the caller sets.
        entity: 'module.storefront.aws_apigatewayv2_api.admin/cors',
        at: 'main.tf:10',
        related: ['modules/http-api/static.tf:11 read by module.storefront.aws_apigatewayv2_api.admin here'],
      },
    ]);
    // partners names one origin; internal passes no CORS; preview turns the dynamic block off
    // (enable_cors = false): none is a finding, and nothing is left undecided.
    expect(report.unevaluated.filter((entry) => entry.policyId === 'cors-not-open')).toEqual([]);
  });

  it('prints the related lines in text ("also at") and SARIF (relatedLocations), never the secret', async () => {
    const report = await run('azure');
    const text = renderText(report, { color: false });
    expect(text).toContain('also at modules/apim-named-values/main.tf:22: read by module.named_values.azurerm_api_management_named_value.this["erp-backend-key"] here');
    const sarif = JSON.parse(renderSarif(report)) as { runs: Array<{ results: Array<{ ruleId: string; relatedLocations?: unknown[] }> }> };
    const result = sarif.runs[0]!.results.find((candidate) => candidate.ruleId === 'no-static-api-keys')!;
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'modules/apim-named-values/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 22, startColumn: 3, endLine: 22, endColumn: 41 } },
        message: { text: 'read by module.named_values.azurerm_api_management_named_value.this["erp-backend-key"] here' },
      },
    ]);
    for (const output of [text, JSON.stringify(sarif)]) expect(output).not.toContain('q8ZtR3vLw9XkP2sYb7NcJ4mHf6GdA1eUx0oTiKrS');
  });
});
