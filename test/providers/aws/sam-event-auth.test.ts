import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { Unknown } from '../../../src/model/unknown.js';
import { readInventory } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// Function events of a SAM API with an inline DefinitionBody, as SAM's transform treats them: merged
// into the body's operation of the same path and method with MergeDefinitions (the event's Auth
// replacing the body's security), appended with OverrideApiAuth, ignored otherwise (the body is
// deployed as written, and an event whose operation it lacks adds no route).

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/sam-event-auth');

const auth = (route: Route): string => {
  const kind = route.auth.kind instanceof Unknown ? 'unknown' : route.auth.kind;
  const scopes = route.auth.scopes instanceof Unknown ? 'unknown' : (route.auth.scopes ?? []).join(',');
  return `${kind} key=${String(route.auth.apiKeyRequired)} scopes=${scopes} auth@${route.fieldLocations.auth?.file}:${route.fieldLocations.auth?.startLine}`;
};

describe('SAM function events and an inline DefinitionBody', () => {
  it.each([
    // [template, route, auth, where the route is]
    // The body's security is a map (invalid); the event's Authorizer replaces it, with the authorizer's scopes.
    ['merged.yaml', 'OrdersApi GET /orders', 'cognito key=false scopes=orders/read auth@merged.yaml:61', 'merged.yaml:35'],
    // An event without Auth adds the integration and leaves the operation without security.
    ['merged.yaml', 'OrdersApi GET /orders/{id}', 'none key=false scopes= auth@merged.yaml:41', 'merged.yaml:41'],
    // The event's own scopes win over the authorizer's; ApiKeyRequired adds the key.
    ['merged.yaml', 'OrdersApi POST /orders/export', 'cognito key=true scopes=orders/export auth@merged.yaml:91', 'merged.yaml:44'],
    // An event for an operation the body lacks adds it, at the event.
    ['merged.yaml', 'OrdersApi POST /orders/{id}/refund', 'iam key=false scopes= auth@merged.yaml:102', 'merged.yaml:95'],
    // Not merged: the event's Authorizer is ignored, the body's operation is what deploys.
    ['unmerged.yaml', 'InvoicesApi GET /invoices', 'none key=false scopes= auth@unmerged.yaml:29', 'unmerged.yaml:29'],
    // OverrideApiAuth: the event's authorizer is added to the body's operation.
    ['unmerged.yaml', 'InvoicesApi GET /invoices/{id}', 'lambda key=false scopes= auth@unmerged.yaml:78', 'unmerged.yaml:35'],
  ])('%s %s: %s', async (file, key, expected, at) => {
    const inventory = await readInventory({ cwd: fixtures });
    const route = inventory.entities.find((entity): entity is Route => entity.kind === 'route' && entity.origin.file === file && `${entity.address} ${entity.key}` === key);
    expect(route && auth(route)).toBe(expected);
    expect(`${route?.location.file}:${route?.location.startLine}`).toBe(at);
  });

  it('makes no second route for an event whose operation is in the body, and none for one the body lacks', async () => {
    const inventory = await readInventory({ cwd: fixtures });
    const routes = inventory.entities.filter((entity): entity is Route => entity.kind === 'route').map((route) => `${route.origin.file} ${route.address} ${route.key}`).sort();
    expect(routes).toEqual([
      'merged.yaml OrdersApi GET /orders',
      'merged.yaml OrdersApi GET /orders/{id}',
      'merged.yaml OrdersApi POST /orders/export',
      'merged.yaml OrdersApi POST /orders/{id}/refund',
      'unmerged.yaml InvoicesApi GET /invoices',
      'unmerged.yaml InvoicesApi GET /invoices/{id}',
    ]);
  });

  it('reports the open operations where the fix goes, and says which event adds no route', async () => {
    const report = await scan({ cwd: fixtures });
    expect(report.findings.map((f) => `${f.policyId} ${f.address} ${f.routeKey} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      // Two POST operations whose bodies no request validator checks.
      'request-validation OrdersApi POST /orders/export merged.yaml:44',
      'request-validation OrdersApi POST /orders/{id}/refund merged.yaml:95',
      'route-requires-auth InvoicesApi GET /invoices unmerged.yaml:29',
      'route-requires-auth OrdersApi GET /orders/{id} merged.yaml:41',
      // Neither REST stage has a web ACL (at its MethodSettings, where the stage settings are written).
      'waf-attached InvoicesApiliveStage undefined unmerged.yaml:13',
      'waf-attached OrdersApiliveStage undefined merged.yaml:15',
    ]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine} ${d.message.replace(/:.*/, '')}`)).toEqual([
      'info unresolved unmerged.yaml:57 event Archive of ListInvoices is for GET /invoices/archive, which the DefinitionBody of InvoicesApi does not define',
    ]);
  });
});
