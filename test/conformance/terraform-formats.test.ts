import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/model/entities.js';
import { readInventory, scan } from '../../src/scan.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/conformance');

/** The model without where things are written: formats must agree on everything else. */
function withoutLocations(entities: readonly Entity[]): unknown[] {
  return JSON.parse(JSON.stringify(entities, (key, value: unknown) => (key === 'location' || key === 'fieldLocations' || key === 'origin' ? undefined : value)))
    .sort((a: Entity, b: Entity) => a.id.localeCompare(b.id));
}

describe('the same API written as HCL and as Terraform JSON', () => {
  it('gives the same model', async () => {
    const hcl = await readInventory({ cwd: path.join(fixtures, 'hcl') });
    const json = await readInventory({ cwd: path.join(fixtures, 'json') });
    expect(hcl.diagnostics).toEqual([]);
    expect(json.diagnostics).toEqual([]);
    expect(hcl.entities.length).toBeGreaterThan(5);
    expect(withoutLocations(json.entities)).toEqual(withoutLocations(hcl.entities));
  });

  it('gives the same findings', async () => {
    const key = (report: Awaited<ReturnType<typeof scan>>) => report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.severity}`).sort();
    const hcl = await scan({ cwd: path.join(fixtures, 'hcl') });
    const json = await scan({ cwd: path.join(fixtures, 'json') });
    expect(key(hcl)).toEqual([
      'cors-not-open aws_api_gateway_integration_response.options_items critical',
      'no-static-api-keys aws_api_gateway_api_key.partner high',
      'route-requires-auth aws_api_gateway_method.get_items medium',
    ]);
    expect(key(json)).toEqual(key(hcl));
  });
});
