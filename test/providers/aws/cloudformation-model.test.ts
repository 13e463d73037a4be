import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../../src/model/entities.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { readInventory } from '../../../src/pipeline/scan.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';

// test/fixtures/aws/model-cfn/template.yaml deploys the API Gateway setup of
// test/fixtures/aws/model/main.tf, written as idiomatic CloudFormation. Both must give the same model.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aws');
const terraformDir = path.join(fixtures, 'model');
const cloudFormationDir = path.join(fixtures, 'model-cfn');

let terraform: Inventory;
let cloudFormation: Inventory;

beforeAll(async () => {
  terraform = await readInventory({ cwd: terraformDir });
  cloudFormation = await readInventory({ cwd: cloudFormationDir });
});

/** The model without names that differ between formats by design: ids, addresses, locations. */
function semantics(entities: readonly Entity[]): string[] {
  const drop = new Set(['id', 'parentId', 'address', 'modulePath', 'location', 'fieldLocations', 'fieldOwners', 'fieldOwnerEntities', 'origin', 'construct', 'suppressions', 'authorizerId', 'stageIds']);
  // Unknown values stay unknown; their reasons name addresses, which differ by design.
  const project = (key: string, value: unknown): unknown =>
    drop.has(key) ? undefined : (value as { unknown?: unknown } | null)?.unknown === true ? { unknown: true } : value;
  return entities.map((entity) => JSON.stringify(entity, project)).sort();
}

/** An entity as a reader names it, the same in both formats: its kind and its name or route key. */
function label(entity: Entity): string {
  const named = entity as { key?: unknown; name?: unknown };
  return `${entity.kind} ${JSON.stringify(named.key ?? named.name ?? null)}`;
}

/**
 * Domains list the gateways mapped onto them by entity id (`gatewayIds`), the one id-valued field
 * semantics() keeps. Ids are addresses, which differ by design (`aws_api_gateway_rest_api.private`,
 * `template.yaml:PrivateApi`), so each id becomes the label of the gateway it names: the comparison
 * still checks that each domain serves the right API.
 */
function withGatewayLabels(entities: readonly Entity[]): Entity[] {
  const labels = new Map(entities.map((entity) => [entity.id, label(entity)]));
  return entities.map((entity) =>
    entity.kind === 'domain' ? ({ ...entity, gatewayIds: entity.gatewayIds.map((id) => labels.get(id) ?? `no entity ${id}`) } as Entity) : entity,
  );
}

/** The links between entities (which semantics() drops as ids), by label: parent, authorizer, stages, gateways. */
function links(entities: readonly Entity[]): string[] {
  const labels = new Map(entities.map((entity) => [entity.id, label(entity)]));
  const name = (id: string | null | undefined): string => (id === null || id === undefined ? '-' : (labels.get(id) ?? `no entity ${id}`));
  return entities
    .map((entity) => {
      const parts = [`${label(entity)} in ${name(entity.parentId)}`];
      if (entity.kind === 'route' && entity.auth.authorizerId !== undefined) parts.push(`authorizer ${name(entity.auth.authorizerId)}`);
      if (entity.kind === 'usage-plan') parts.push(`stages [${entity.stageIds.map(name).sort().join(', ')}]`);
      if (entity.kind === 'domain') parts.push(`gateways [${entity.gatewayIds.map(name).sort().join(', ')}]`);
      return parts.join(', ');
    })
    .sort();
}

function byAddress(kind: Entity['kind'], address: string): Entity {
  const found = cloudFormation.entities.find((entity) => entity.kind === kind && entity.address === address);
  if (!found) throw new Error(`no ${kind} ${address}; have ${cloudFormation.entities.map((entity) => `${entity.kind} ${entity.address}`).join(', ')}`);
  return found;
}

describe('the AWS model fixture written as CloudFormation', () => {
  it('reads the template without diagnostics', () => {
    expect(cloudFormation.diagnostics).toEqual([]);
    expect(terraform.diagnostics).toEqual([]);
  });

  it('gives the same model as the Terraform, names and locations aside', () => {
    expect(terraform.entities.length).toBeGreaterThan(10);
    expect(semantics(withGatewayLabels(cloudFormation.entities))).toEqual(semantics(withGatewayLabels(terraform.entities)));
  });

  it('links the same entities to each other', () => {
    expect(links(cloudFormation.entities)).toEqual(links(terraform.entities));
  });

  it('reads the RestApi Policy property as a resource policy, as aws_api_gateway_rest_api_policy is', () => {
    // Policy is a JSON object in a template (the property's type is Json), not a string as Terraform's jsonencode() gives.
    expect(byAddress('gateway', 'PrivateApi')).toMatchObject({ aws: { hasResourcePolicy: true } });
  });
});

describe('the AWS model fixture written as CloudFormation: locations', () => {
  it.each<[Entity['kind'], string, string, number]>([
    ['route', 'AccountsGet', 'auth', 66],
    // The weakest stage wins: legacy's GET /v1/accounts override in the deployment's StageDescription.
    ['route', 'AccountsGet', 'rateLimit', 101],
    // legacy's stage-wide limit, StageDescription.ThrottlingRateLimit.
    ['route', 'AccountsAny', 'rateLimit', 96],
    ['route', 'AccountsGet', 'integration', 69],
    ['domain', 'ApiDomain', 'securityPolicy', 135],
  ])('%s %s %s points at line %i', (kind, address, field, line) => {
    expect(byAddress(kind, address).fieldLocations[field]).toMatchObject({ file: 'template.yaml', startLine: line });
  });

  it('points a stage at its resource', () => {
    expect(byAddress('stage', 'LiveStage').location).toMatchObject({ file: 'template.yaml', startLine: 105 });
  });

  it('gives the same findings as the Terraform, at the template lines', async () => {
    const key = (report: Awaited<ReturnType<typeof scan>>) => report.findings.map((f) => `${f.policyId} ${f.entityKind} ${f.routeKey ?? ''} ${f.severity} ${f.message}`).sort();
    const hcl = await scan({ cwd: terraformDir });
    const cfn = await scan({ cwd: cloudFormationDir });
    expect(key(cfn)).toEqual(key(hcl));
    // The quick-create route and its $default stage have no block of their own: both are at Target.
    expect(cfn.findings.map((f) => `${f.policyId} ${f.address} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      // The live stage's cache holds GET responses of the accounts routes (Lambda-authorized GET,
      // IAM-signed ANY), keyed on the path alone (at each integration); ANY takes a body nothing validates.
      // The stage the Deployment creates presents no client certificate to the HTTP backend.
      'backend-client-certificate Deployment/Stage template.yaml:95',
      'cache-key-authorization AccountsAny template.yaml:80',
      'cache-key-authorization AccountsGet template.yaml:68',
      // The WebSocket API is mapped to ws.example.com and keeps its execute-api endpoint (at its
      // Properties, where DisableExecuteApiEndpoint goes).
      'execute-api-endpoint-disabled SocketApi template.yaml:160',
      'request-validation AccountsAny template.yaml:73',
      'route-requires-auth QuickApi template.yaml:156',
      'throttling-configured QuickApi template.yaml:156',
      // Only the live stage has a web ACL: the legacy stage of the private API is reported (at low).
      'waf-attached Deployment/Stage template.yaml:95',
    ]);
  });
});
