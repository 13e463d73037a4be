import { Unknown } from '../../../src/model/unknown.js';
import type { Value } from '../../../src/sources/view/value.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { addSecret, holdsCredential } from '../../shared/secret-setting.js';
import { readBlocks, readObject } from '../../shared/values.js';

/**
 * Emits the credentials an API Management backend sends (see `holdsCredential`), never their
 * values: `credentials` headers and query parameters, and the `authorization` parameter (its scheme
 * names the kind, `Basic` or `Bearer`). A value that is a named value (`{{partner-key}}`) is a
 * reference: no-static-api-keys checks the named value itself.
 * @see https://learn.microsoft.com/azure/api-management/backends
 */
export function emitBackendSecrets(ctx: TerraformContext): void {
  for (const resource of ctx.ofType('azurerm_api_management_backend')) {
    const blocks = readBlocks(resource.values.credentials);
    if (blocks instanceof Unknown) continue;
    blocks.forEach((block, index) => {
      for (const part of ['header', 'query'] as const) {
        const entries = readObject(block[part]);
        if (entries === undefined || entries instanceof Unknown) continue;
        for (const [name, raw] of Object.entries(entries)) {
          // azurerm writes several values of a header as one comma-separated string; ARM as a list.
          const value: Value | undefined = Array.isArray(raw) ? (raw.every((item) => typeof item === 'string') ? raw.join(',') : new Unknown('a value of the list is not known')) : raw;
          if (holdsCredential(name, value)) addSecret(ctx, resource, 'backend-credential', `${part} ${name}`, ['credentials', index, part, name], value, null);
        }
      }
      const authorization = readBlocks(block.authorization);
      if (authorization instanceof Unknown) return;
      authorization.forEach((entry, position) => {
        const value = entry.parameter;
        if (value !== undefined && value !== null && holdsCredential('Authorization', value)) {
          addSecret(ctx, resource, 'backend-credential', 'authorization parameter', ['credentials', index, 'authorization', position, 'parameter'], value, null);
        }
      });
    });
  }
}
