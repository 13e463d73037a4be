import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// An API whose definition holds a value API Gateway rejects cannot be deployed: an aws_proxy
// integration whose uri is an HTTP address ("Invalid ARN specified in the request"). Nothing of that
// API is checked; the value is a warning where it is written, and an error at the API says why.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/aws-proxy-url');

describe('an API API Gateway refuses to deploy', () => {
  it('is not checked, with the value at fault and the API reported; the valid API next to it is', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'route-requires-auth template.yaml:HistoryApi/GET /history template.yaml:35',
      'throttling-configured template.yaml:HistoryApiApiGatewayDefaultStage template.yaml:25',
    ]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`).sort()).toEqual([
      'error invalid-value template.yaml:6',
      'warning invalid-value template.yaml:21',
    ]);
    expect(report.diagnostics.find((d) => d.severity === 'warning')!.message).toContain("the aws_proxy integration's uri \"https://quotes.example.com/v2/latest\" is not an ARN");
    expect(report.diagnostics.find((d) => d.severity === 'error')!.message).toContain('QuotesApi is not checked: API Gateway refuses to deploy it');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
