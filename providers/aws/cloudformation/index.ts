import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import type { CfnResource } from '../../../src/sources/cloudformation/stack.js';
import { adaptAwsTerraform } from '../terraform/index.js';
import { expandSam } from './sam.js';
import { translateResources } from './translate.js';

/**
 * Turns the resources of a CloudFormation stack (SAM expanded, CDK output included) into the common
 * model: CloudFormation names are translated to the Terraform shapes of the same API objects, which
 * the one AWS adapter reads. Pure: no I/O.
 */
export function adaptAwsCloudFormation(resources: readonly CfnResource[], idPrefix: string): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const sam = expandSam(resources);
  const translated = translateResources(sam.resources);
  const adapted = adaptAwsTerraform(translated.resources, idPrefix);
  return { entities: adapted.entities, diagnostics: [...sam.diagnostics, ...translated.diagnostics, ...adapted.diagnostics] };
}
