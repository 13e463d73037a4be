import { Unknown } from '../model/unknown.js';

// A message names the API a finding is on. When the name is an expression (CloudFormation
// `!Sub "${AWS::StackName}-api"`, a Terraform variable without a default) it is unknown, and a
// reader cannot act on "GET /x on (unknown)": the logical id or the Terraform address is what they
// search their code for. Only the message changes: `where` and `assert` still read the unknown name,
// so that a policy deciding on names stays undecided rather than reading an address as a name.

/** What a message says of the API of an entity whose API is not in the scan. */
export const API_OUTSIDE_SCAN = 'an API outside the scan';

/**
 * The context a message is rendered against: every entity of `context` (the matched entity, its
 * gateway) whose `name` is unknown reads, in the message only, as the name a reader finds it by:
 * "an API outside the scan" for the stand-in of an API not in the scan, else its address (the
 * CloudFormation logical id, the Terraform address, the ARM resource id). Returns `context` itself
 * when no name is unknown.
 */
export function withReadableNames(context: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let out: Record<string, unknown> | undefined;
  for (const [variable, value] of Object.entries(context)) {
    if (typeof value !== 'object' || value === null) continue;
    const entity = value as { name?: unknown; address?: unknown; standIn?: unknown; kind?: unknown; id?: unknown };
    if (!(entity.name instanceof Unknown)) continue;
    out ??= { ...context };
    out[variable] = { ...entity, name: readableName(entity) };
  }
  return out ?? context;
}

function readableName(entity: { address?: unknown; standIn?: unknown; kind?: unknown; id?: unknown }): string | Unknown {
  if (entity.kind === 'gateway' && entity.standIn === 'api-outside-scan') return API_OUTSIDE_SCAN;
  if (typeof entity.address === 'string' && entity.address !== '') return entity.address;
  if (typeof entity.id === 'string' && entity.id !== '') return entity.id;
  return new Unknown('no name, address or id');
}
