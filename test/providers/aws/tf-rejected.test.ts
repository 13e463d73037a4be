import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/report/report.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// Terraform configurations that terraform validate or the apply rejects deploy nothing: an argument
// the resource type does not have (from the AWS provider's own schema), an API id no API can have, a
// reference to something the module does not declare (which rejects the whole root module). Each is
// an error where it is written; what is valid around it is read as before.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/tf-rejected');

const errorsOf = (report: Awaited<ReturnType<typeof scan>>): string[] =>
  report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.location?.file}:${d.location?.startLine} ${d.address}`).sort();

describe('Terraform resources the AWS provider rejects', () => {
  it('an unsupported argument or a placeholder API id is an error at the value, and the resource is not read', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'unsupported') });
    expect(errorsOf(report)).toEqual(['main.tf:13 aws_api_gateway_stage.placeholder', 'main.tf:6 aws_api_gateway_deployment.legacy']);
    const legacy = report.diagnostics.find((d) => d.address === 'aws_api_gateway_deployment.legacy')!.message;
    expect(legacy).toContain('sets tags, which aws_api_gateway_deployment does not have');
    expect(legacy).toContain('Unsupported argument');
    expect(report.diagnostics.find((d) => d.address === 'aws_api_gateway_stage.placeholder')!.message).toContain('has rest_api_id "YOUR_API_ID", which is not an API Gateway API id');
    // `region` (provider 6.x) is accepted; a well-shaped literal id and a variable's placeholder default are read.
    const throttling = report.findings.filter((f) => f.policyId === 'throttling-configured').map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine}`);
    expect(throttling.sort()).toEqual(['aws_api_gateway_stage.partner/routes main.tf:50', 'aws_api_gateway_stage.shared/routes main.tf:38']);
    expect(report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.routeKey} ${f.location.startLine}`)).toEqual(['aws_api_gateway_method.list_orders GET /orders 34']);
    expect(report.findings.some((f) => f.entityId.includes('placeholder'))).toBe(false);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('a reference to an undeclared resource rejects the whole root module, try() included', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'undeclared') });
    expect(report.findings).toEqual([]);
    expect(errorsOf(report)).toEqual([
      'api.tf:10 aws_apigatewayv2_route.connect',
      'legacy.tf:3 aws_api_gateway_stage.v1',
      'legacy.tf:4 aws_api_gateway_stage.v1',
    ]);
    const message = report.diagnostics.find((d) => d.location?.file === 'legacy.tf' && d.location.startLine === 4)!.message;
    expect(message).toContain('aws_api_gateway_rest_api.example is not declared in module .');
    expect(message).toContain('("Reference to undeclared resource"), so nothing in root module . is deployed or checked');
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('a name declared in a file of the module that was not scanned stays unknown, not an error', async () => {
    const dir = path.join(fixtures, 'undeclared-split');
    const whole = await scan({ cwd: dir });
    expect(whole.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(whole.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'route-requires-auth aws_apigatewayv2_route.connect api.tf:7',
      'throttling-configured aws_apigatewayv2_stage.live api.tf:13',
    ]);
    const single = await scan({ cwd: dir, paths: ['api.tf'] });
    expect(single.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const warning = single.diagnostics.find((d) => d.code === 'unresolved' && d.location?.startLine === 10)!;
    expect(warning.message).toContain('aws_apigatewayv2_integration.connect is not declared in the files read of module .');
    expect(single.findings.map((f) => `${f.policyId} ${f.entityId}`).sort()).toEqual(['route-requires-auth aws_apigatewayv2_route.connect', 'throttling-configured aws_apigatewayv2_stage.live']);
  });
});
