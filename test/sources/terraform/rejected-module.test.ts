import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// A module that declares a name twice is refused by Terraform: it deploys nothing. Neither
// declaration is checked (one would be a finding, the other a pass, on a method that cannot exist);
// an error at the second declaration says why, and the scan is incomplete.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/tf-duplicate');

describe('a Terraform module with a name declared twice', () => {
  it('is not checked: an error at the second declaration; other modules are', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'route-requires-auth valid:aws_apigatewayv2_route.receive valid/main.tf:6',
    ]);
    const errors = report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file}:${d.location?.startLine}`);
    expect(errors).toEqual(['unsupported rejected/stage.tf:12']);
    expect(report.diagnostics.find((d) => d.severity === 'error')!.message).toContain('aws_api_gateway_method.daily_get is declared more than once in this module: Terraform rejects the module');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
