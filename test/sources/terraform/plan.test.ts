import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { classify } from '../../../src/sources/discover.js';
import { INPUT_DETECTORS } from '../../../src/pipeline/input-formats.js';
import { loadPlan, type PlanLoadResult } from '../../../src/sources/terraform/plan.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readInventory } from '../../../src/pipeline/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/plans');

function plan(file: string): PlanLoadResult {
  return loadPlan(readFileSync(path.join(fixtures, file), 'utf8'), { relPath: path.basename(file), rootModule: '.', include: () => true });
}

function resource(result: PlanLoadResult, address: string): ResourceView {
  const found = result.resources.find((candidate) => candidate.address === address);
  if (!found) throw new Error(`${address} not in ${result.resources.map((r) => r.address).join(', ')}`);
  return found;
}

describe('reading a terraform show -json plan', () => {
  const multi = plan('multi-module/plan.json');

  it('reads every resource that will exist, with module paths and instance keys', () => {
    expect(multi.diagnostics).toEqual([]);
    expect(multi.resources).toHaveLength(22);
    const method = resource(multi, 'module.api["orders"].aws_api_gateway_method.this["GET /items"]');
    expect(method).toMatchObject({ type: 'aws_api_gateway_method', modulePath: 'module.api["orders"]', format: 'terraform-plan' });
    expect(method.values).toMatchObject({ http_method: 'GET', authorization: 'NONE', api_key_required: false });
  });

  it('links values unknown until apply to the resources they come from, across modules', () => {
    const method = resource(multi, 'module.api["orders"].aws_api_gateway_method.this["GET /items"]');
    expect(method.values.rest_api_id).toBeInstanceOf(Unknown);
    expect((method.values.rest_api_id as Unknown).ref).toEqual({ address: 'module.api["orders"].aws_api_gateway_rest_api.this', attribute: 'id' });
    // The usage plan in the root refers to module.api["orders"].rest_api_id, an output of the module.
    const stages = resource(multi, 'aws_api_gateway_usage_plan.partners').values.api_stages as Array<Record<string, unknown>>;
    expect((stages[0]!.api_id as Unknown).ref).toEqual({ address: 'module.api["orders"].aws_api_gateway_rest_api.this', attribute: 'id' });
    expect(stages[0]!.stage).toBe('v1');
    // An integration's http_method refers to aws_api_gateway_method.this[each.key]: the same instance key.
    const integration = resource(multi, 'module.api["admin"].aws_api_gateway_integration.this["POST /items"]');
    expect(integration.values.http_method).toBe('POST');
  });

  it('leaves out unknown attributes the configuration does not set, so adapter defaults apply', () => {
    const api = resource(multi, 'module.api["orders"].aws_api_gateway_rest_api.this');
    expect(api.values).not.toHaveProperty('endpoint_configuration');
    expect(api.values).not.toHaveProperty('disable_execute_api_endpoint');
    expect(api.values.name).toBe('orders-prod');
  });

  it('leaves destroyed resources out and links known ids of existing ones by value', () => {
    const result = plan('existing-and-destroyed/plan.json');
    expect(result.resources.map((r) => r.address).sort()).toEqual(['aws_api_gateway_method.kept_get', 'aws_api_gateway_rest_api.kept']);
    expect(resource(result, 'aws_api_gateway_method.kept_get').values).toMatchObject({ rest_api_id: 'kept123', resource_id: 'rootkept1' });
  });

  it('points at line 1 with a JSON pointer in a single-line plan, and at the real line when pretty-printed', () => {
    const key = 'aws_api_gateway_api_key.legacy';
    expect(resource(multi, key).locate(['value'])).toEqual({ file: 'plan.json', startLine: 1, startColumn: expect.any(Number), endLine: 1, endColumn: expect.any(Number), pointer: '/resource_changes/0/change/after/value' });
    const pretty = plan('pretty/tfplan.json');
    const text = readFileSync(path.join(fixtures, 'pretty/tfplan.json'), 'utf8').split('\n');
    const location = resource(pretty, key).locate(['value']);
    expect(location).toMatchObject({ file: 'tfplan.json', pointer: '/resource_changes/0/change/after/value' });
    expect(text[location.startLine - 1]).toMatch(/^\s+"value": "FAKE/);
    const settings = resource(pretty, 'module.api["admin"].aws_api_gateway_method_settings.all').locate(['settings', 0, 'throttling_rate_limit']);
    expect(text[settings.startLine - 1]).toMatch(/^\s+"throttling_rate_limit": -1/);
  });

  it('tells a constant written in the configuration from a value passed in at plan time', () => {
    expect(resource(multi, 'aws_api_gateway_api_key.legacy').valueSource('value')?.kind).toBe('module-input');
    // partner_key came from terraform.tfvars, but the plan alone cannot tell that from TF_VAR_partner_key.
    expect(resource(multi, 'aws_api_gateway_api_key.partner').valueSource('value')?.kind).toBe('input');
  });

  it('reports a truncated plan, and Terraform JSON that is not a plan, without crashing', () => {
    expect(plan('not-plans/truncated.json')).toEqual({
      resources: [],
      diagnostics: [expect.objectContaining({ severity: 'error', code: 'parse-error', message: expect.stringMatching(/^the plan is not valid JSON \(unterminated string at line 1, column 4966\); it was not scanned\. Is the file truncated\?/) })],
    });
    expect(plan('not-plans/state.json').diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/not a plan/) })]);
  });
});

describe('recognising plans', () => {
  it('by content, whatever the file name', () => {
    expect(classify(path.join(fixtures, 'pretty/tfplan.json'), INPUT_DETECTORS)).toBe('terraform-plan');
    expect(classify(path.join(fixtures, 'not-plans/state.json'), INPUT_DETECTORS)).toBe('terraform-plan');
    expect(classify(path.join(fixtures, 'not-plans/package.json'), INPUT_DETECTORS)).toBeUndefined();
    expect(classify(path.join(fixtures, 'not-plans/plan.out'), INPUT_DETECTORS, true)).toBeUndefined();
  });

  it('says how to convert a binary plan named on the command line', async () => {
    const inventory = await readInventory({ cwd: path.join(fixtures, 'not-plans'), paths: ['plan.out', 'truncated.json'] });
    expect(inventory.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/plan\.out was skipped: this looks like a binary plan from terraform plan -out/) }));
    expect(inventory.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'parse-error', location: expect.objectContaining({ file: 'truncated.json' }) }));
  });
});

describe('scanning a plan next to its source', () => {
  it('scans the root once, through the plan, and reports .tf lines', async () => {
    const fromPlan = await readInventory({ cwd: path.join(fixtures, 'multi-module') });
    const ids = fromPlan.entities.map((entity) => entity.id);
    expect(new Set(ids).size).toBe(ids.length);
    const method = fromPlan.entities.find((entity) => entity.id === 'module.api["orders"].aws_api_gateway_method.this["GET /items"]')!;
    expect(method.origin).toEqual({ format: 'terraform-plan', file: 'modules/rest-api/main.tf' });
    expect(method.fieldLocations.auth).toMatchObject({ file: 'modules/rest-api/main.tf', startLine: 28 });
    expect(method.fieldLocations.auth).not.toHaveProperty('pointer');
  });

  it('uses --source-dir to find the source of a plan kept elsewhere', async () => {
    const inventory = await readInventory({ cwd: path.join(fixtures, '..'), paths: ['conformance/plan-only'], sourceDir: 'conformance/hcl' });
    const route = inventory.entities.find((entity) => entity.kind === 'route' && entity.address === 'aws_api_gateway_method.get_items')!;
    expect(route.fieldLocations.auth).toMatchObject({ file: 'conformance/hcl/main.tf', startLine: 18 });
    expect(inventory.entities.filter((entity) => entity.kind === 'gateway')).toHaveLength(1);
  });
});

describe('plans of other clouds (written by hand in format 1.2)', () => {
  it('are read provider-neutrally: values, unknown parts and links', () => {
    const result = plan('hand-written/azure-gcp.plan.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.resources.map((r) => r.address)).toEqual(['azurerm_api_management.apim', 'azurerm_api_management_api.orders', 'google_api_gateway_api.orders']);
    const api = resource(result, 'azurerm_api_management_api.orders');
    expect(api.values).toMatchObject({ subscription_required: false, protocols: ['https'], api_management_name: 'contoso-apim' });
    expect((api.values.resource_group_name as Unknown).ref).toEqual({ address: 'azurerm_api_management.apim', attribute: 'resource_group_name' });
    expect(resource(result, 'google_api_gateway_api.orders').values).toEqual({ api_id: 'orders' });
  });
});
