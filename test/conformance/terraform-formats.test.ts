import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/model/entities.js';
import { readInventory } from '../../src/pipeline/scan.js';
// The stage here logs access but not execution, and does not trace: the findings compared are those
// of the other policies (the stage's logging fields are compared by the model tests below).
import { scan } from '../helpers/without-logging.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/conformance');

/** The model without where things are written: formats must agree on everything else. */
function withoutLocations(entities: readonly Entity[]): unknown[] {
  return JSON.parse(JSON.stringify(entities, (key, value: unknown) => (key === 'location' || key === 'fieldLocations' || key === 'origin' ? undefined : value)))
    .sort((a: Entity, b: Entity) => a.id.localeCompare(b.id));
}

// The same API as HCL, as Terraform JSON, as a plan next to its source, and as a plan alone
// (generated from the HCL by scripts/generate-plan-fixtures.sh). Locations differ by design.
const FORMATS = ['json', 'plan', 'plan-only'] as const;

describe('the same API written as HCL, Terraform JSON and a plan', () => {
  it.each(FORMATS)('%s gives the same model as HCL', async (format) => {
    const hcl = await readInventory({ cwd: path.join(fixtures, 'hcl') });
    const other = await readInventory({ cwd: path.join(fixtures, format) });
    expect(hcl.diagnostics).toEqual([]);
    expect(other.diagnostics).toEqual([]);
    expect(hcl.entities.length).toBeGreaterThan(5);
    expect(withoutLocations(other.entities)).toEqual(withoutLocations(hcl.entities));
  });

  it.each(FORMATS)('%s gives the same findings as HCL', async (format) => {
    const key = (report: Awaited<ReturnType<typeof scan>>) => report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.severity}`).sort();
    const hcl = await scan({ cwd: path.join(fixtures, 'hcl') });
    const other = await scan({ cwd: path.join(fixtures, format) });
    expect(key(hcl)).toEqual([
      'cors-not-open aws_api_gateway_integration_response.options_items critical',
      'no-static-api-keys aws_api_gateway_api_key.partner high',
      'route-requires-auth aws_api_gateway_method.get_items medium',
    ]);
    expect(key(other)).toEqual(key(hcl));
  });

  it('points a plan next to its source at the .tf lines, and a plan alone at the plan', async () => {
    const where = (report: Awaited<ReturnType<typeof scan>>) =>
      report.findings.map((f) => `${f.policyId} ${f.location.file}:${f.location.startLine}${f.location.pointer ? ` ${f.location.pointer}` : ''}`).sort();
    expect(where(await scan({ cwd: path.join(fixtures, 'plan') }))).toEqual(where(await scan({ cwd: path.join(fixtures, 'hcl') })));
    expect(where(await scan({ cwd: path.join(fixtures, 'plan-only') }))).toEqual([
      'cors-not-open plan.json:1 /resource_changes/2/change/after/response_parameters/method.response.header.Access-Control-Allow-Origin',
      'no-static-api-keys plan.json:1 /resource_changes/0/change/after/value',
      'route-requires-auth plan.json:1 /resource_changes/3/change/after/authorization',
    ]);
  });
});

/** The model without names that differ between formats by design: ids, addresses, locations. */
function semantics(entities: readonly Entity[]): string[] {
  const drop = new Set(['id', 'parentId', 'address', 'modulePath', 'location', 'fieldLocations', 'fieldOwners', 'fieldOwnerEntities', 'origin', 'construct', 'suppressions', 'authorizerId', 'stageIds']);
  // Unknown values stay unknown; their reasons name addresses, which differ by design.
  const project = (key: string, value: unknown): unknown =>
    drop.has(key) ? undefined : (value as { unknown?: unknown } | null)?.unknown === true ? { unknown: true } : value;
  return entities.map((entity) => JSON.stringify(entity, project)).sort();
}

describe('the same API written as Terraform and as CloudFormation', () => {
  it('gives the same model, names and locations aside', async () => {
    const hcl = await readInventory({ cwd: path.join(fixtures, 'hcl') });
    const cfn = await readInventory({ cwd: path.join(fixtures, 'cloudformation') });
    expect(cfn.diagnostics).toEqual([]);
    expect(semantics(cfn.entities)).toEqual(semantics(hcl.entities));
  });

  it('reads what the access log format records the same way (the stage passes stage-access-logging)', async () => {
    for (const dir of ['hcl', 'cloudformation']) {
      const { entities } = await readInventory({ cwd: path.join(fixtures, dir) });
      const stage = entities.find((entity) => entity.kind === 'stage');
      expect(stage).toMatchObject({ accessLogging: true, accessLogRecords: ['request-id', 'source-ip', 'caller'] });
    }
  });

  it('gives the same findings, on the same fields', async () => {
    const key = (report: Awaited<ReturnType<typeof scan>>) => report.findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const hcl = await scan({ cwd: path.join(fixtures, 'hcl') });
    const cfn = await scan({ cwd: path.join(fixtures, 'cloudformation') });
    expect(key(cfn)).toEqual(key(hcl));
    expect(cfn.findings.map((f) => `${f.policyId} ${f.address} template.yaml:${f.location.startLine}`).sort()).toEqual([
      'cors-not-open OptionsItems/IntegrationResponses/0 template.yaml:37',
      'no-static-api-keys Partner template.yaml:59',
      'route-requires-auth GetItems template.yaml:23',
    ]);
  });
});
