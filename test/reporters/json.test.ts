import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/reporters/json.js';
import { scan } from '../../src/pipeline/scan.js';
import { ENTITY_KINDS } from '../../src/model/schema.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'docs/report.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('the JSON report', () => {
  it.each([
    ['samples with findings', 'samples'],
    ['fixtures with parse errors, unknowns and warnings', 'test/fixtures/terraform'],
    ['a broken user policy', 'test/fixtures/cli/clean'],
    ['plans, with JSON pointers, and a truncated plan', 'test/fixtures/plans'],
    ['cdktf output, with construct paths', 'test/fixtures/cdktf'],
    ['CloudFormation with suppressions, nested stacks and unreadable templates', 'test/fixtures/cloudformation'],
    ['a SAM application with implicit APIs', 'test/fixtures/sam'],
    ['cdk.out with construct paths', 'test/fixtures/cdk'],
    ['API Management in Terraform, with broken and linked policies', 'test/fixtures/azure'],
    ['ARM templates, with copy loops and nested deployments', 'test/fixtures/arm'],
    ['GCP API Gateway and Endpoints, with specs that are not OpenAPI', 'test/fixtures/gcp'],
    ['OpenAPI documents on their own, with loops and remote references', 'test/fixtures/openapi'],
    ['stages without throttling: one finding each, listing its routes', 'policies/rate-limiting/throttling-configured/test/stage-groups-routes'],
  ])('validates against docs/report.schema.json: %s', async (_, target) => {
    const policyDirs = target.endsWith('clean') ? [path.join(repo, 'test/fixtures/cli/broken-policy')] : [];
    const report = JSON.parse(renderJson(await scan({ cwd: repo, paths: [target], policyDirs })));
    const valid = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('names every entity kind of the model in the schema, so a finding on a new kind validates', () => {
    expect([...schema.$defs.entityKind.enum].sort()).toEqual([...ENTITY_KINDS].sort());
  });
});
