import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInventory } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';
import type { Route } from '../../../src/model/entities.js';

// SAM edits an HttpApi's inline DefinitionBody: function events become operations of the body (their
// integration added, their Auth.Authorizer appended), and Auth.DefaultAuthorizer protects every
// operation with an integration and no security. Read as written, the body's operations looked open
// and an event for a path of the body was a second route of the same key.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/sam-http-body');

describe('SAM HttpApi with an inline DefinitionBody', () => {
  it('has one route per path and method, events and body merged, with the authentication SAM gives them', async () => {
    const inventory = await readInventory({ cwd: dir });
    const routes = inventory.entities.filter((entity): entity is Route => entity.kind === 'route');
    const auth = Object.fromEntries(routes.map((route) => [route.key, route.auth.kind]));
    expect(routes.map((route) => route.key).sort()).toEqual(['GET /orders', 'GET /partners/{id}/orders', 'GET /status', 'POST /orders']);
    expect(auth).toEqual({
      // In the body with its integration, no security: the default JWT authorizer.
      'GET /orders': 'jwt',
      // Its integration comes from the event; the default authorizer then applies.
      'POST /orders': 'jwt',
      // The event's own Lambda authorizer.
      'GET /partners/{id}/orders': 'lambda',
      // Added by its event, which opts out with Authorizer: NONE.
      'GET /status': 'none',
    });
  });

  it('reports only the route opened by its event, at the event\'s Authorizer', async () => {
    const report = await scan({ cwd: dir });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`)).toEqual(['route-requires-auth template.yaml:OrdersApi/GET /status template.yaml:99']);
  });
});
