import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInventory } from '../../../src/pipeline/scan.js';

const repository = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cases = path.join(repository, 'policies/authentication/route-requires-auth/test');

/** The not-a-gateway diagnostics of a scan, as `file:line address` plus what names the use. */
async function notAGateway(cwd: string, paths: string[] = ['.']): Promise<string[]> {
  const inventory = await readInventory({ cwd, paths });
  return inventory.diagnostics
    .filter((diagnostic) => diagnostic.code === 'not-a-gateway')
    .map((diagnostic) => `${diagnostic.severity} ${diagnostic.location?.file}:${diagnostic.location?.startLine} ${diagnostic.address ?? '-'} ${/used by (\S+)|written in (\S+ ?\S*)|test directory (\S+)/.exec(diagnostic.message)?.slice(1).find(Boolean)}`)
    .sort();
}

describe('OpenAPI documents that are not a gateway', () => {
  it('Terraform Bedrock action groups: a file() payload, an S3 object uploaded from the repository and an inline payload are reported, not checked', async () => {
    const dir = path.join(cases, 'bedrock-action-group');
    expect(await notAGateway(dir)).toEqual([
      'info main.tf:70 aws_bedrockagent_agent_action_group.faq aws_bedrockagent_agent_action_group.faq (api_schema)',
      'info schemas/orders-actions.yaml:1 - aws_bedrockagent_agent_action_group.orders',
      'info schemas/refunds-actions.json:1 - aws_bedrockagent_agent_action_group.refunds',
    ]);
    const inventory = await readInventory({ cwd: dir });
    expect(inventory.entities).toEqual([]);
    // Still listed as read: the report says the document was seen.
    expect(inventory.files).toContain('schemas/orders-actions.yaml');
  });

  it('CloudFormation AWS::Bedrock::Agent action groups: an inline Payload at its line, an S3 key by the copy of that name', async () => {
    expect(await notAGateway(path.join(cases, 'bedrock-agent-cloudformation'))).toEqual([
      'info schemas/bookings-api.yaml:1 - AWS::Bedrock::Agent',
      'info template.yaml:53 TravelAgent AWS::Bedrock::Agent TravelAgent',
    ]);
  });

  it('a document the agent uses is checked when it is scanned on its own', async () => {
    const inventory = await readInventory({ cwd: path.join(cases, 'bedrock-action-group'), paths: ['schemas/orders-actions.yaml'] });
    expect(inventory.diagnostics).toEqual([]);
    expect(inventory.entities.filter((entity) => entity.kind === 'route').map((route) => route.id)).toEqual(['schemas/orders-actions.yaml/GET /orders/{orderId}', 'schemas/orders-actions.yaml/GET /orders/{orderId}/shipment']);
  });

  it('a test fixture is reported unless its test directory (or the file) is the scan path', async () => {
    const dir = path.join(cases, 'test-fixture-document');
    expect(await notAGateway(dir)).toEqual(['info src/__tests__/fixtures/upstream-without-auth.json:1 - src/__tests__/fixtures']);
    expect(await notAGateway(dir, ['src/__tests__/fixtures'])).toEqual([]);
    expect(await notAGateway(dir, ['src/__tests__/fixtures/upstream-without-auth.json'])).toEqual([]);
    // Scanning the directory above the innermost test directory still leaves it a fixture.
    expect(await notAGateway(dir, ['src/__tests__'])).toEqual(['info src/__tests__/fixtures/upstream-without-auth.json:1 - src/__tests__/fixtures']);
  });
});
