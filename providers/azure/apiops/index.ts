import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import type { ApiOpsTree } from '../../../src/sources/apiops/tree.js';
import { adaptAzureTerraform } from '../terraform/index.js';
import { NO_AZURE_SETTINGS, type AzureSettings } from '../settings.js';
import { translateApiOpsTree } from './translate.js';

/**
 * Turns an APIOps artifacts folder into the common model: its artifacts are translated to the ARM
 * objects they hold, then to the azurerm shapes of the same objects, and read by the one API
 * Management adapter, so APIOps, ARM and Terraform give the same model. Entity ids are the
 * artifacts' paths (`apimartifacts/apis/orders-api`), which keep folders apart. Pure: no I/O.
 */
export function adaptApiOps(tree: ApiOpsTree, settings: AzureSettings = NO_AZURE_SETTINGS): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const translated = translateApiOpsTree(tree);
  const adapted = adaptAzureTerraform(translated.resources, '', settings);
  return { entities: adapted.entities, diagnostics: [...translated.diagnostics, ...adapted.diagnostics] };
}
