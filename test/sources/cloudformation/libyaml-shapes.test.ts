import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// Templates that CloudFormation, the SAM CLI and cfn-lint read (they parse YAML with SnakeYAML or
// PyYAML) though YAML 1.2 rejects their indentation or their repeated keys: each is scanned, and
// its findings point at the lines as written.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/cloudformation/libyaml');
type Report = Awaited<ReturnType<typeof scan>>;

const run = (file: string): Promise<Report> => scan({ cwd: fixtures, paths: [file] });
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`);
const diagnostics = (report: Report): string[] => report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine} ${d.message}`);

describe('templates in the YAML that CloudFormation reads', () => {
  it.each([
    {
      file: 'sam-cors-flow.yaml',
      shape: 'SAM Cors as a flow mapping at the key indentation, MethodSettings as a flow sequence back at column 0',
      findings: [
        // The AllowOrigin line of the flow mapping; the method settings (throttling) were read, so no throttling finding.
        'cors-not-open OrdersApiordersOptionsMethod/IntegrationResponses/0 sam-cors-flow.yaml:14',
        // The implicit stage has no AWS WAF web ACL; SAM stage findings point at its MethodSettings.
        'waf-attached OrdersApiprodStage sam-cors-flow.yaml:16',
        'route-requires-auth ListOrders.List sam-cors-flow.yaml:30',
      ],
      diagnostics: [],
    },
    {
      file: 'quoted-and-column-zero.yaml',
      shape: 'quoted descriptions continued at column 0, flow collections and a !Join continued at column 0',
      findings: ['route-requires-auth GetReports quoted-and-column-zero.yaml:30'],
      diagnostics: [],
    },
    {
      file: 'duplicate-keys.yaml',
      shape: 'a method with its Properties pasted twice (the last, NONE, is deployed) and one with AuthorizationType twice (the last, AWS_IAM, is deployed)',
      findings: ['route-requires-auth DeleteUser duplicate-keys.yaml:29'],
      diagnostics: [
        'warning duplicate-key duplicate-keys.yaml:19 the key "Properties" is given twice in Resources/DeleteUser, at lines 19 and 25: CloudFormation keeps the last one (line 25) and ignores the others, and so does this scan; remove the ones not meant',
        'warning duplicate-key duplicate-keys.yaml:38 the key "AuthorizationType" is given twice in Resources/ListUsers/Properties, at lines 38 and 40: CloudFormation keeps the last one (line 40) and ignores the others, and so does this scan; remove the ones not meant',
      ],
    },
  ])('scans $shape', async ({ file, findings: expected, diagnostics: expectedDiagnostics }) => {
    const report = await run(file);
    expect(findings(report)).toEqual(expected);
    expect(diagnostics(report)).toEqual(expectedDiagnostics);
    expect(report.summary.parseErrors).toBe(0);
  });

  it('still refuses a flow mapping that is never closed, at the line PyYAML names, with what to do', async () => {
    const report = await run('unclosed-flow.yaml');
    expect(report.findings).toEqual([]);
    expect(diagnostics(report)[0]).toBe('error parse-error unclosed-flow.yaml:13 the template is not valid YAML: Missing , between flow map items; it was not scanned (fix the YAML at this line)');
    expect(report.summary).toMatchObject({ parseErrors: expect.any(Number), incomplete: true });
  });
});
