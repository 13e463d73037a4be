import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// An OpenAPI body written as an HCL object and encoded where it is used (`body =
// jsonencode(var.openapi_config)` in a shared module): a finding in it points at the key where the
// object is written (the caller's operation, a variable default's), not at the module's `body`
// line that every caller shares.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/jsonencode-module');

describe('jsonencode() of an object written elsewhere', () => {
  it("points at the caller's operation", async () => {
    const report = await scan({ cwd: fixtures, paths: ['live', 'modules'] });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.routeKey} ${f.location.file}:${f.location.startLine}`)).toEqual([
      'route-requires-auth live:module.orders_api.aws_api_gateway_rest_api.this/GET /orders GET /orders live/main.tf:23',
      // The POST's body is checked by no request validator: at the caller's operation too.
      'request-validation live:module.orders_api.aws_api_gateway_rest_api.this/POST /orders POST /orders live/main.tf:30',
      // No web ACL association names the module's stage.
      'waf-attached live:module.orders_api.aws_api_gateway_stage.this undefined modules/rest-api/main.tf:27',
      // The module's stage presents no client certificate to the routes' public HTTP backend.
      'backend-client-certificate live:module.orders_api.aws_api_gateway_stage.this undefined modules/rest-api/main.tf:27',
    ]);
  });

  it("points at the variable default's operation", async () => {
    const report = await scan({ cwd: path.join(fixtures, 'default') });
    const auth = report.findings.filter((f) => f.policyId === 'route-requires-auth').map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine}`);
    expect(auth).toEqual(['aws_api_gateway_rest_api.status/GET /status main.tf:8']);
  });
});
