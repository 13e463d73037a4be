import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

// A CloudFormation resource without a property its schema requires is rejected with the stack: it
// configures nothing. It is reported where it is declared and not checked (no "? ?" route of no API).

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/cfn-required');
type Report = Awaited<ReturnType<typeof scan>>;

describe('CloudFormation resources without their required properties', () => {
  it('are errors at their declaration and not checked; an unknown value is not a missing one', async () => {
    const report: Report = await scan({ cwd: dir });
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.routeKey} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'template.yaml:ListTickets GET /tickets template.yaml:24',
      'template.yaml:PatchTicket ? /tickets template.yaml:49',
    ]);
    const errors = report.diagnostics.filter((d) => d.code === 'invalid-value').map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.address}`);
    expect(errors).toEqual(['error template.yaml:29 CloseTicket', 'error template.yaml:35 ReopenTicket', 'error template.yaml:55 PreviewStage']);
    expect(report.diagnostics.find((d) => d.address === 'PreviewStage')!.message).toContain('has RestApiId "TicketsApi", which is not an API Gateway API id');
    expect(report.diagnostics.find((d) => d.address === 'PreviewStage')!.message).toContain('Write !Ref TicketsApi');
    // No stand-in "of an API outside the scan" for it.
    expect(report.findings.filter((f) => f.entityId.includes('PreviewStage'))).toEqual([]);
    const [close, reopen] = report.diagnostics.filter((d) => d.code === 'invalid-value').map((d) => d.message);
    expect(close).toContain('AWS::ApiGateway::Method CloseTicket has no HttpMethod, ResourceId and RestApiId, which CloudFormation requires');
    expect(reopen).toContain('AWS::ApiGateway::Method ReopenTicket has no HttpMethod, which CloudFormation requires');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });
});
