import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Entity } from '../../src/model/entities.js';
import { readInventory } from '../../src/pipeline/scan.js';
import { scan } from '../helpers/without-logging.js';

// The same APIs on a service another team owns, written as an ARM template and kept as APIOps
// artifacts (an artifacts folder named after the service, without the global policy.xml): the two
// adapters must agree, locations aside.
const apisOnly = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/azure/apis-only');

/**
 * The model without what differs by design: ids, addresses, locations, origins, and whether the
 * gateway is defined by an OpenAPI document (ARM imports the document into the API; APIOps keeps it
 * beside the API and its operations are read from it, so the API itself imports nothing).
 */
function semantics(entities: readonly Entity[]): string[] {
  const drop = new Set(['id', 'parentId', 'address', 'modulePath', 'location', 'fieldLocations', 'fieldRelated', 'origin', 'authorizerId', 'definedByOpenApi']);
  const project = (key: string, value: unknown): unknown => {
    if (drop.has(key)) return undefined;
    return (value as { unknown?: unknown } | null)?.unknown === true ? { unknown: true } : value;
  };
  return entities.map((entity) => JSON.stringify(entity, project)).sort();
}

function config(policy: string) {
  return parseConfig(`azure:\n  apim:\n    services:\n      platform-apim:\n        policy: ${policy}\n`, path.join(apisOnly, '.gatewarden.yaml'), (file) => path.relative(apisOnly, file));
}

type Report = Awaited<ReturnType<typeof scan>>;
const checks = (report: Report): string[] => [
  ...report.findings.map((f) => `finding ${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`),
  ...report.unevaluated.map((u) => `unknown ${u.policyId} ${u.entityKind} ${u.routeKey ?? ''}`),
].sort();

describe('the same APIs as an ARM template and as APIOps artifacts', () => {
  it('give the same model, names and locations aside', async () => {
    const arm = await readInventory({ cwd: path.join(apisOnly, 'arm') });
    const apiops = await readInventory({ cwd: path.join(apisOnly, 'apiops') });
    expect(apiops.entities.map((entity) => `${entity.kind} ${entity.id}`).sort()).toEqual([
      'authorizer platform-apim/apis/payments/policy.xml/validate-jwt@4',
      'gateway platform-apim/apis/inventory',
      'gateway platform-apim/apis/orders',
      'gateway platform-apim/apis/payments',
      'route platform-apim/apis/inventory/operations/list-items',
      'route platform-apim/apis/inventory/operations/update-item',
      'route platform-apim/apis/orders/*',
      'route platform-apim/apis/payments/*',
    ]);
    expect(semantics(apiops.entities)).toEqual(semantics(arm.entities));
    expect(apiops.entities.every((entity) => entity.origin.format === 'apiops')).toBe(true);
    // The two APIs without a specification are said to be checked as API-wide routes.
    expect(apiops.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}`)).toEqual([
      'info unsupported platform-apim/apis/orders/apiInformation.json',
      'info unsupported platform-apim/apis/payments/apiInformation.json',
    ]);
  });

  it('give the same findings and unknowns, without the global policy and with it given as none', async () => {
    expect(checks(await scan({ cwd: path.join(apisOnly, 'apiops') }))).toEqual(checks(await scan({ cwd: path.join(apisOnly, 'arm') })));
    const none = config('none');
    const apiops = await scan({ cwd: apisOnly, paths: ['apiops'], config: none });
    expect(checks(apiops)).toEqual(checks(await scan({ cwd: apisOnly, paths: ['arm'], config: none })));
    // Located in the artifacts: `subscriptionRequired: false` in apiInformation.json, the operation in the specification.
    expect(apiops.findings.filter((f) => f.policyId === 'route-requires-auth' || f.policyId === 'apim-request-validation').map((f) => `${f.policyId} ${f.routeKey} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'apim-request-validation PUT /inventory/items/{sku} apiops/platform-apim/apis/inventory/specification.yaml:13',
      'route-requires-auth * /orders/* apiops/platform-apim/apis/orders/apiInformation.json:9',
      'route-requires-auth GET /inventory/items apiops/platform-apim/apis/inventory/apiInformation.json:8',
      'route-requires-auth PUT /inventory/items/{sku} apiops/platform-apim/apis/inventory/apiInformation.json:8',
    ]);
  });
});
