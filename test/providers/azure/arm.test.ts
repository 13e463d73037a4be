import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
import { scan } from '../../../src/pipeline/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const dir = path.join(fixtures, 'azure/arm-parameters');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`);

describe('ARM templates', () => {
  it('report a secure parameter whose default is a literal key at the default, and leave an unresolved policy unknown', async () => {
    const report = await scan({ cwd: dir });
    // The service has no API in the template: its stand-in (apis-outside-scan) is public and in no VNet.
    expect(findings(report)).toEqual(['no-static-api-keys Microsoft.ApiManagement/service/apim-partners/subscriptions/pilot-partner azuredeploy.json:11', 'apim-network-exposure Microsoft.ApiManagement/service/apim-partners azuredeploy.json:25']);
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.address} ${u.reason}`)).toEqual([
      'cors-not-open Microsoft.ApiManagement/service/apim-partners/policies/policy/cors cors.allowOrigins is unknown: the policy of the service apim-partners cannot be resolved: parameter allowedOrigin has no default and no value (give it with --parameter allowedOrigin=... or --parameter-file)',
    ]);
    expect(exitCodeFor(report, 'critical')).toBe(2);
    expect(JSON.stringify(report)).not.toContain('FAKEarmSECUREstringDEFAULT000001');
  });

  it('take values from an ARM parameter file, reporting a key written there at its line', async () => {
    const report = await scan({ cwd: dir, parameterFiles: ['azuredeploy.parameters.json'] });
    expect(findings(report).sort()).toEqual([
      'apim-network-exposure Microsoft.ApiManagement/service/apim-partners azuredeploy.json:25',
      'cors-not-open Microsoft.ApiManagement/service/apim-partners/policies/policy/cors azuredeploy.json:48',
      'no-static-api-keys Microsoft.ApiManagement/service/apim-partners/subscriptions/pilot-partner azuredeploy.parameters.json:9',
    ]);
    expect(report.findings.find((f) => f.policyId === 'cors-not-open')!.message).toBe('CORS on the service apim-partners allows any origin');
    expect(JSON.stringify(report)).not.toContain('FAKEarmPARAMETERfileKEY000000001');
  });

  it('take a key given on the command line as not written in the code', async () => {
    const report = await scan({ cwd: dir, parameters: new Map([['partnerKey', 'FAKEgivenONtheCOMMANDline0003'], ['allowedOrigin', 'https://partner.example.com']]) });
    expect(findings(report)).toEqual(['apim-network-exposure Microsoft.ApiManagement/service/apim-partners azuredeploy.json:25']);
    expect(report.summary.incomplete).toBe(false);
  });

  it('give each parameter file to the reader of its format when CloudFormation and ARM are scanned together', async () => {
    const report = await scan({
      cwd: fixtures,
      paths: ['azure/arm-parameters', 'cloudformation/parameters'],
      parameterFiles: ['azure/arm-parameters/azuredeploy.parameters.json', 'cloudformation/parameters/pipeline-configuration.json'],
    });
    // Neither reader complains about the other's file, and each template gets its own values.
    expect(report.diagnostics.filter((d) => d.code !== 'not-scanned')).toEqual([]);
    expect(findings(report)).toEqual(
      expect.arrayContaining([
        'route-requires-auth GetPartners cloudformation/parameters/template.yaml:27',
        'no-static-api-keys Microsoft.ApiManagement/service/apim-partners/subscriptions/pilot-partner azure/arm-parameters/azuredeploy.parameters.json:9',
      ]),
    );
  });

  it('report a Bicep file as not scanned, with how to compile it', async () => {
    const report = await scan({ cwd: dir, paths: ['.', 'main.bicep'] });
    // Met in the walk and named on the command line: reported once, and counted as read.
    expect(report.diagnostics.filter((d) => d.code === 'not-scanned').map((d) => `${d.location?.file}:${d.location?.startLine} ${d.message}`)).toEqual([
      'main.bicep:1 main.bicep: Bicep is read only for the OpenAPI documents it imports; its resources are not checked: compile main.bicep to an ARM template (`az bicep build --file main.bicep` or `bicep build main.bicep`) and scan the JSON',
    ]);
    expect(report.files).toContain('main.bicep');
  });
});
