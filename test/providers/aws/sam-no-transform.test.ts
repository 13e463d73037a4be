import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

// A template with SAM resources and no SAM Transform is rejected by CloudFormation: nothing in it is
// checked, and an error says so instead of a result that looks clean.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/sam-no-transform');

describe('SAM resources without the SAM Transform', () => {
  it('are an error at the first of them; a template with the Transform is checked', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine}`)).toEqual(['with-transform.yaml:RateFunction.Rate with-transform.yaml:13']);
    const errors = report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file}:${d.location?.startLine} ${d.address}`);
    expect(errors).toEqual(['unsupported template.yaml:6 FeedbackApi']);
    expect(report.diagnostics.find((d) => d.severity === 'error')!.message).toContain('declares AWS::Serverless::Api, AWS::Serverless::Function (FeedbackApi here) but has no Transform: AWS::Serverless-2016-10-31');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
