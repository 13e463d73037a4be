import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

// A Terraform gateway resource without an argument the AWS provider requires to place it (its API, a
// method's HTTP method) is refused by terraform validate: it deploys nothing. It is an error at its
// block and is not read; a value that is unknown (a variable without a value) is not missing.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/tf-required');

describe('Terraform resources without a required argument', () => {
  it('are errors at their block and not checked', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.routeKey} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'aws_api_gateway_method.amend_invoice ? /invoices main.tf:40',
      'aws_api_gateway_method.list_invoices GET /invoices main.tf:15',
    ]);
    // No stand-in "of an API outside the scan" for the stage that names no API.
    expect(report.findings.filter((f) => f.entityId.includes('cached'))).toEqual([]);
    const errors = report.diagnostics.filter((d) => d.code === 'invalid-value').map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.address}`);
    expect(errors).toEqual(['error main.tf:19 aws_api_gateway_method.void_invoice', 'error main.tf:26 aws_api_gateway_stage.cached']);
    expect(report.diagnostics.find((d) => d.address === 'aws_api_gateway_stage.cached')!.message).toContain('aws_api_gateway_stage.cached has no rest_api_id, which the AWS provider requires');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
