import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// A SAM API whose routes can only be in its template (an inline body, or events) and that has none
// there has no routes: no stand-in "of routes outside the scan" is reported for its stages. (An
// HttpApi whose id the template exports may get routes from other stacks: test/providers/aws/partial.)

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/sam-empty-apis');

describe('SAM APIs without routes', () => {
  it('get no stand-in route, no throttling finding and no web ACL finding', async () => {
    const report = await scan({ cwd: dir });
    // The REST API's stages (SAM's implicit "Stage" one too, without OpenApiVersion) serve no route,
    // so no web ACL has anything to filter there (waf-attached is not applicable), and nothing is
    // reported of their routes.
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId}`)).toEqual([]);
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.entityId}`)).toEqual([]);
  });
});
