import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Domain, Route } from '../../../src/model/entities.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { readInventory, scan } from '../../../src/pipeline/scan.js';

// A setting written inside a list entry (DomainNameConfigurations[0].SecurityPolicy,
// MethodSettings[1].ThrottlingRateLimit) or under a map key that the translation turns into a list
// entry (RouteSettings["GET /items"], ApiStages[1].Throttle["/pets/DELETE"]) is located at the line
// where it is written, not at the list or the map that holds it.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision');
type Report = Awaited<ReturnType<typeof scan>>;

let report: Report;
let inventory: Inventory;
let samReport: Report;
let samInventory: Inventory;

beforeAll(async () => {
  report = await scan({ cwd: path.join(fixtures, 'cfn-list-entries') });
  inventory = await readInventory({ cwd: path.join(fixtures, 'cfn-list-entries') });
  samReport = await scan({ cwd: path.join(fixtures, 'sam-list-entries') });
  samInventory = await readInventory({ cwd: path.join(fixtures, 'sam-list-entries') });
});

const findingsOf = (of: Report, policyId: string): string[] =>
  of.findings
    .filter((finding) => finding.policyId === policyId)
    .map((finding) => `${finding.entityId} ${finding.location.file}:${finding.location.startLine}`)
    .sort();
const findings = (policyId: string): string[] => findingsOf(report, policyId);
const rateLimitLines = (of: Inventory): string[] =>
  of.entities
    .filter((entity): entity is Route => entity.kind === 'route')
    .map((route) => `${route.id} ${route.fieldLocations?.rateLimit?.startLine}`)
    .sort();

describe('CloudFormation settings inside list entries', () => {
  it('reports a v2 domain at the SecurityPolicy of its DomainNameConfigurations entry', () => {
    expect(findings('domain-tls-policy')).toEqual(['template.yaml:ShopDomain template.yaml:13']);
    const domain = inventory.entities.find((entity): entity is Domain => entity.kind === 'domain' && entity.id === 'template.yaml:ShopDomain')!;
    expect(domain.securityPolicy).toBe('TLS_1_0');
    expect(domain.fieldLocations?.securityPolicy?.startLine).toBe(13);
  });

  it('reports disabled throttling at the entry that disables it: MethodSettings of a stage and of a StageDescription, RouteSettings', () => {
    expect(findings('throttling-configured')).toEqual([
      // Stage Live, MethodSettings[1] (POST /pets): a rate of 10 and a burst of -1, at the burst.
      'template.yaml:AddPet template.yaml:76',
      // HTTP stage, RouteSettings["GET /items"], the second key: the entry's key line.
      'template.yaml:GetItems template.yaml:125',
      // Deployment StageDescription, MethodSettings[1] (GET /pets): its ThrottlingRateLimit of -1, written after the burst.
      'template.yaml:ListPets template.yaml:61',
    ]);
  });

  it('reports data trace at the DataTraceEnabled of the route setting that turns it on', () => {
    expect(findings('stage-data-trace')).toEqual(['template.yaml:ItemsStage template.yaml:128']);
  });

  it("locates each route's effective limit where it is written, a usage plan's per-method throttle included", () => {
    expect(rateLimitLines(inventory)).toEqual([
      // POST /items: RouteSettings["POST /items"], the first key.
      'template.yaml:AddItem 122',
      'template.yaml:AddPet 76',
      'template.yaml:GetItems 125',
      'template.yaml:ListPets 61',
      // DELETE /pets requires an API key: on stage live (the weaker of its two stages) the usage
      // plan's ApiStages[1].Throttle["/pets/DELETE"], the second key of the second stage.
      'template.yaml:RemovePet 93',
    ]);
  });
});

describe('SAM stage settings inside list entries', () => {
  it('locates a MethodSettings entry merged after those of Globals in the API, and one of Globals there', () => {
    // Globals.Api.MethodSettings has one entry: the merged entry 2 is the API's entry 1 (GET /orders).
    expect(findingsOf(samReport, 'throttling-configured')).toEqual([
      'template.yaml:Orders.List template.yaml:33',
      // ItemsApi RouteSettings["GET /items"].
      'template.yaml:Orders.ListItems template.yaml:44',
    ]);
    expect(rateLimitLines(samInventory)).toEqual([
      // POST /orders: the API's MethodSettings[0] (merged entry 1).
      'template.yaml:Orders.Add 28',
      // POST /items: RouteSettings["POST /items"].
      'template.yaml:Orders.AddItem 41',
      // DELETE /orders: the stage-wide entry of Globals.Api.MethodSettings, not the API's list.
      'template.yaml:Orders.Cancel 11',
      'template.yaml:Orders.List 33',
      'template.yaml:Orders.ListItems 44',
    ]);
  });

  it('locates route settings of an HttpApi, and its default route settings from Globals, at the setting', () => {
    expect(findingsOf(samReport, 'stage-data-trace')).toEqual(['template.yaml:ItemsApiApiGatewayDefaultStage template.yaml:47']);
    const stage = samInventory.entities.find((entity) => entity.id === 'template.yaml:ItemsApiApiGatewayDefaultStage')!;
    expect(stage.fieldLocations?.throttle?.startLine).toBe(15);
  });
});
