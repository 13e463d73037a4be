import path from 'node:path';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import type { CfnResource } from '../../src/sources/cloudformation/stack.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import { LazyObject, type Value } from '../../src/sources/view/value.js';
import type { NonGatewayDocument } from '../shared/non-gateway-document.js';

// OpenAPI documents that AWS resources other than API Gateway use. A Bedrock agent's action group
// describes the tools the agent may call with an OpenAPI schema, inline (`payload`) or as an S3 object;
// the agent calls a Lambda function or hands the call back to the application (RETURN_CONTROL), and no
// HTTP endpoint is served from the schema. Checking it as a gateway would report every operation as
// unauthenticated. The document is reported (`not-a-gateway`), not checked.
// https://docs.aws.amazon.com/bedrock/latest/userguide/agents-api-schema.html

/** What an action group uses its document as, for messages. */
const ACTION_GROUP_SCHEMA = 'the OpenAPI schema of a Bedrock agent action group (the tools the agent may call), not an API it serves';

/** Terraform resource types that use OpenAPI documents for something other than a gateway. */
export function isNonGatewayDocumentUser(type: string): boolean {
  return type === 'aws_bedrockagent_agent_action_group';
}

/** What the resources of one unit tell about the documents they use. */
export interface NonGatewayDocumentUses {
  readonly diagnostics: Diagnostic[];
  readonly nonGatewayDocuments: NonGatewayDocument[];
}

/**
 * Reads the `api_schema` of Terraform `aws_bedrockagent_agent_action_group` resources: a payload read
 * with `file()`/`templatefile()` names its file; an S3 object names its key (the stand-alone document
 * of that file name under the root module is taken to be its copy); an inline payload (a heredoc,
 * `jsonencode`) is reported where it is written. Pure: the values are evaluated before.
 */
export function readTerraformDocumentUses(resources: readonly ResourceView[]): NonGatewayDocumentUses {
  const uses: NonGatewayDocumentUses = { diagnostics: [], nonGatewayDocuments: [] };
  for (const resource of resources) {
    if (resource.type !== 'aws_bedrockagent_agent_action_group') continue;
    const schemas = blocks(resource.values.api_schema);
    schemas.forEach((schema, index) => {
      const usedBy = `${resource.address} (api_schema)`;
      const at = ['api_schema', index] as const;
      if (schema.payload !== undefined && schema.payload !== null) {
        const file = resource.valueFile([...at, 'payload']);
        if (file !== undefined) uses.nonGatewayDocuments.push({ source: { file }, usedBy, usedAs: ACTION_GROUP_SCHEMA });
        else uses.diagnostics.push(inlineDiagnostic(usedBy, resource.locate([...at, 'payload']), resource.address));
      }
      for (const s3 of blocks(schema.s3)) {
        if (typeof s3.s3_object_key === 'string') uses.nonGatewayDocuments.push({ source: { s3Key: s3.s3_object_key, under: resource.location.file === '' ? '.' : path.dirname(resource.location.file) }, usedBy, usedAs: ACTION_GROUP_SCHEMA });
      }
    });
  }
  return uses;
}

/**
 * Reads the action groups of CloudFormation `AWS::Bedrock::Agent` resources (`ActionGroups[].ApiSchema`):
 * an inline `Payload` is reported where it is written; an `S3` object names its key, whose copy in the
 * repository is the stand-alone document of that file name under the template's directory.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-agent-apischema.html
 */
export function readCloudFormationDocumentUses(resources: readonly CfnResource[]): NonGatewayDocumentUses {
  const uses: NonGatewayDocumentUses = { diagnostics: [], nonGatewayDocuments: [] };
  for (const resource of resources) {
    if (resource.type !== 'AWS::Bedrock::Agent') continue;
    const groups = resource.properties.ActionGroups;
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, index) => {
      if (!isObject(group) || !isObject(group.ApiSchema)) return;
      const name = typeof group.ActionGroupName === 'string' ? group.ActionGroupName : String(index);
      const usedBy = `AWS::Bedrock::Agent ${resource.address} (action group ${name}, ApiSchema)`;
      const schema = group.ApiSchema;
      if (schema.Payload !== undefined && schema.Payload !== null) {
        uses.diagnostics.push(inlineDiagnostic(usedBy, resource.locate(['ActionGroups', index, 'ApiSchema', 'Payload']), resource.address));
      }
      if (isObject(schema.S3) && typeof schema.S3.S3ObjectKey === 'string') {
        uses.nonGatewayDocuments.push({ source: { s3Key: schema.S3.S3ObjectKey, under: path.dirname(resource.location.file) }, usedBy, usedAs: ACTION_GROUP_SCHEMA });
      }
    });
  }
  return uses;
}

/** The info diagnostic of a document written inside the resource that uses it for something else. */
function inlineDiagnostic(usedBy: string, location: SourceLocation, address: string): Diagnostic {
  return { severity: 'info', code: 'not-a-gateway', message: `the OpenAPI document written in ${usedBy} is ${ACTION_GROUP_SCHEMA}: it is not checked as an API gateway`, location, address };
}

/** A nested block's instances (a list of objects in Terraform's shape), unknown parts left out. */
function blocks(value: Value | undefined): Array<Record<string, Value>> {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function isObject(value: Value | undefined): value is Record<string, Value> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof LazyObject);
}
