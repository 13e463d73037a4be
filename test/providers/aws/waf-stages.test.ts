import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';

// When a route is deployed on several stages that all leave throttling unset, the finding names the
// stage with fewer protections: one behind no WAF web ACL before one behind a WAF (whose rate-based
// rules may be the only way in), whether the configuration declares it or SAM creates it implicitly.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/waf-stages');

const throttling = async (dir: string): Promise<string[]> =>
  (await scan({ cwd: path.join(fixtures, dir) })).findings
    .filter((f) => f.policyId === 'throttling-configured')
    .map((f) => `${f.entityId} ${f.location.file}:${f.location.startLine} ${f.message}`);

describe('unthrottled stages behind a WAF', () => {
  it('Terraform: the stage without a web ACL is reported', async () => {
    expect(await throttling('terraform')).toEqual([
      'aws_api_gateway_stage.partner main.tf:30 stage partner of orders-legacy sets no stage-wide throttling: only the shared account-wide quota limits GET /orders',
    ]);
  });

  it("SAM: the implicit \"Stage\" is reported when the declared stage's web ACL is linked by a Sub of the API and the stage name", async () => {
    const [finding, ...others] = await throttling('sam');
    expect(others).toEqual([]);
    expect(finding).toMatch(/^template\.yaml:FormApiDeployment\/stage template\.yaml:6 stage Stage of FormApi sets no stage-wide throttling \(the stage SAM creates implicitly/);
  });
});
