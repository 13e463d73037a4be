import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import type { ArmResource } from '../../../src/sources/arm/resources.js';
import { adaptAzureTerraform } from '../terraform/index.js';
import { translateArmResources } from './translate.js';
import { NO_AZURE_SETTINGS, type AzureSettings } from '../settings.js';

/**
 * Turns the resources of an ARM template into the common model: API Management resources are
 * translated to the azurerm shapes of the same objects and read by the one API Management adapter,
 * so Terraform and ARM give the same model. Pure: no I/O.
 */
export function adaptAzureArm(resources: readonly ArmResource[], idPrefix: string, settings: AzureSettings = NO_AZURE_SETTINGS): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const translated = translateArmResources(resources);
  const adapted = adaptAzureTerraform(translated.resources, idPrefix, settings);
  return { entities: adapted.entities, diagnostics: [...translated.diagnostics, ...adapted.diagnostics] };
}
