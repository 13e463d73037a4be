import type { ApiKey, Authorizer, Domain } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { apiKeyValueSource, type KeyValueSource } from '../../shared/key-source.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readBool, readString } from '../../shared/values.js';
import type { ApimServices } from './services.js';

/** Names that say a named value holds a credential, whatever its `secret` flag says. */
const SECRET_NAME = /key|secret|password|passwd|token|credential|connection[-_]?string|sas/i;

/**
 * API keys of API Management, never with their values: subscriptions (whose `primary_key` and
 * `secondary_key` API Management generates unless the configuration writes them), and named values
 * that hold a secret (`secret = true`, or a credential-like name) written in the configuration rather
 * than read from Key Vault.
 */
export function emitApimKeys(ctx: TerraformContext, services: ApimServices): void {
  for (const resource of ctx.ofType('azurerm_api_management_subscription')) {
    const primary = apiKeyValueSource(resource, 'primary_key');
    const secondary = apiKeyValueSource(resource, 'secondary_key');
    // The key that is written in code decides: one literal key is enough to leak.
    const chosen = [primary, secondary].find((candidate) => candidate.source === 'literal') ?? [primary, secondary].find((candidate) => candidate.source instanceof Unknown) ?? primary;
    // azurerm and API Management create a subscription "submitted"; only an active one's keys work.
    const state = readString(resource.values.state) ?? 'submitted';
    const key: ApiKey = {
      ...ctx.base('api-key', resource, { fieldLocations: { valueSource: chosen.location }, fieldRelated: { valueSource: chosen.related } }),
      name: readString(resource.values.display_name) ?? resource.name,
      valueSource: chosen.source,
      enabled: state instanceof Unknown ? state : state === 'active',
    };
    ctx.add(key);
  }
  for (const resource of ctx.ofType('azurerm_api_management_named_value')) {
    const name = readString(resource.values.display_name) ?? readString(resource.values.name) ?? resource.name;
    const secret = readBool(resource.values.secret) ?? false;
    const looksSecret = typeof name === 'string' && SECRET_NAME.test(name);
    if (secret !== true && !looksSecret) continue;
    void services;
    const fromKeyVault = readBlocks(resource.values.value_from_key_vault);
    const source: KeyValueSource =
      !(fromKeyVault instanceof Unknown) && fromKeyVault.length > 0 ? { source: 'reference', location: resource.locate(['value_from_key_vault']) } : apiKeyValueSource(resource, 'value');
    ctx.add({
      ...ctx.base('api-key', resource, { fieldLocations: { valueSource: source.location }, fieldRelated: { valueSource: source.related } }),
      name: typeof name === 'string' ? `named value ${name}` : name,
      // A named value without a value would not deploy; absent means "not written here".
      valueSource: source.source === 'generated' ? new Unknown('the named value has neither a value nor a Key Vault reference') : source.source,
      enabled: true,
    } satisfies ApiKey);
  }
}

/**
 * OAuth 2.0 authorization servers and OpenID Connect providers. They only document, for the
 * developer portal, how to get a token: API Management never enforces them (only `validate-jwt` and
 * its kin do), so they are never attached to a route.
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-protect-backend-with-aad
 */
export function emitApimAuthorizers(ctx: TerraformContext, services: ApimServices): void {
  void services;
  for (const [type, kind] of [
    ['azurerm_api_management_authorization_server', 'oauth2'],
    ['azurerm_api_management_openid_connect_provider', 'jwt'],
  ] as const) {
    for (const resource of ctx.ofType(type)) {
      const authorizer: Authorizer = {
        ...ctx.base('authorizer', resource),
        name: readString(resource.values.display_name) ?? readString(resource.values.name) ?? resource.name,
        type: kind,
        attached: false,
        identitySources: [],
      };
      ctx.add(authorizer);
    }
  }
}

/**
 * Custom domains: the service's proxy hostnames (`hostname_configuration`, or a separate
 * `azurerm_api_management_custom_domain`), with the service's minimum client TLS version and whether
 * the gateway asks for client certificates. Every API of the service is served on each.
 */
export function emitApimDomains(ctx: TerraformContext, services: ApimServices, apis: ReadonlyArray<{ serviceKey: string; gatewayId: string }>): void {
  const gatewaysOf = (key: string): string[] => apis.filter((api) => api.serviceKey === key).map((api) => api.gatewayId);
  const emit = (resource: ResourceView, serviceKey: string, tls: Maybe<string> | undefined, blocks: ReturnType<typeof readBlocks>, path: ReadonlyArray<string | number>): void => {
    if (blocks instanceof Unknown) return;
    blocks.forEach((block, index) => {
      const domain: Domain = {
        ...ctx.base('domain', resource, {
          id: ctx.idOf(`${resource.address}/${path.filter((part) => typeof part === 'string').join('.')}[${index}]`),
          location: resource.locate([...path, index]),
          fieldLocations: { mutualTls: resource.locate([...path, index, 'negotiate_client_certificate']) },
        }),
        name: readString(block.host_name) ?? new Unknown('no host_name'),
        securityPolicy: tls === undefined ? new Unknown('the service is not in the scanned configuration') : tls instanceof Unknown ? tls : `TLS_${tls.replace('.', '_')}`,
        mutualTls: readBool(block.negotiate_client_certificate) ?? false,
        endpointType: 'regional',
        gatewayIds: gatewaysOf(serviceKey),
      };
      ctx.add(domain);
    });
  };
  for (const service of services.all()) {
    const resource = service.resource;
    if (!resource) continue;
    const configuration = readBlocks(resource.values.hostname_configuration);
    if (configuration instanceof Unknown || configuration.length === 0) continue;
    emit(resource, service.key, service.details.minimumClientTls, readBlocks(configuration[0]!.proxy), ['hostname_configuration', 0, 'proxy']);
  }
  for (const resource of ctx.ofType('azurerm_api_management_custom_domain')) {
    const service = services.of(resource);
    if (!service) continue;
    emit(resource, service.key, service.details.minimumClientTls, readBlocks(resource.values.gateway), ['gateway']);
  }
}
