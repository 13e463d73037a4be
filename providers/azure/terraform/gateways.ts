import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readString } from '../../shared/values.js';
import type { ApimServices } from './services.js';

/**
 * One note per service that has self-hosted gateways (`azurerm_api_management_gateway`, an ARM
 * template's or Resource Manager's `Microsoft.ApiManagement/service/gateways`). The APIs' policies
 * run on them as on the managed gateway, so the findings hold for their traffic; but the service's
 * network access, virtual network and TLS protocol and cipher settings are the managed gateway's:
 * a self-hosted gateway is reached wherever it runs, with the TLS its own configuration sets, which
 * is not read. An info: nothing is left unchecked that a finding could be about.
 */
export function selfHostedGatewayNotes(ctx: TerraformContext, services: ApimServices): Diagnostic[] {
  const byService = new Map<string, { service: string; names: string[]; first: ResourceView }>();
  for (const resource of ctx.ofType('azurerm_api_management_gateway')) {
    const service = services.of(resource);
    if (!service) continue;
    const name = readString(resource.values.name);
    const entry = byService.get(service.key) ?? { service: typeof service.name === 'string' ? service.name : service.key, names: [], first: resource };
    entry.names.push(typeof name === 'string' ? name : resource.address);
    byService.set(service.key, entry);
  }
  return [...byService.values()].map(({ service, names, first }) => ({
    severity: 'info',
    code: 'unsupported',
    message: `API Management service ${service} has ${names.length === 1 ? 'a self-hosted gateway' : `${names.length} self-hosted gateways`} (${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}): the API policies checked here apply to the traffic through ${names.length === 1 ? 'it' : 'them'} too, but the service's network access and TLS protocol and cipher settings do not; a self-hosted gateway is reached where it runs, with the TLS settings of its own configuration, which gatewarden does not read`,
    location: first.location,
    address: first.address,
  }));
}
