import type { ApiKey, Authorizer, Domain } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import { apiKeyValueSource, type KeyValueSource } from '../../shared/key-source.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readBool, readObject, readString } from '../../shared/values.js';
import { looksLikeSecret } from '../../shared/secret-shape.js';
import { credentialUses, type CredentialUse } from '../policy/credentials.js';
import type { PolicyDocument } from '../policy/document.js';
import type { ApimPolicies } from './policies.js';
import type { ApimServices } from './services.js';

/**
 * Where each service's named values are used as credentials (by service key, then name): in any
 * policy document of the service (see {@link credentialUses}), or in a backend's `credentials`
 * (headers, query parameters, the authorization parameter).
 */
export function namedValueCredentialUses(ctx: TerraformContext, services: ApimServices, policies: ApimPolicies): Map<string, Map<string, CredentialUse>> {
  const documents = new Map<string, PolicyDocument[]>();
  const add = (key: string, document: PolicyDocument): void => {
    const serviceKey = key.split('|')[0]!;
    documents.set(serviceKey, [...(documents.get(serviceKey) ?? []), document]);
  };
  for (const scope of [policies.global, policies.product, policies.api, policies.operation]) for (const [key, document] of scope) add(key, document);
  for (const [serviceKey, fragments] of policies.fragments) for (const document of fragments.values()) add(serviceKey, document);
  const out = new Map<string, Map<string, CredentialUse>>();
  for (const [serviceKey, list] of documents) out.set(serviceKey, credentialUses(list, policies.namedValues.get(serviceKey)));
  for (const resource of ctx.ofType('azurerm_api_management_backend')) {
    const service = services.of(resource);
    const blocks = readBlocks(resource.values.credentials);
    if (!service || blocks instanceof Unknown) continue;
    const uses = out.get(service.key) ?? new Map<string, CredentialUse>();
    blocks.forEach((block, index) => {
      const entries = (value: Value | undefined, what: string): Array<[string, Value]> => {
        const object = readObject(value);
        return object === undefined || object instanceof Unknown ? [] : Object.entries(object).map(([name, text]): [string, Value] => [`${what} ${name}`, text ?? null]);
      };
      const texts = [...entries(block.header, 'backend credentials header'), ...entries(block.query, 'backend credentials query')];
      const authorization = readBlocks(block.authorization);
      if (!(authorization instanceof Unknown)) for (const entry of authorization) texts.push(['backend credentials authorization', entry.parameter ?? null]);
      for (const [how, value] of texts) {
        // azurerm writes several values of a header as one comma-separated string; ARM as a list.
        const text = Array.isArray(value) ? value.filter((item) => typeof item === 'string').join(',') : typeof value === 'string' ? value : '';
        for (const match of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) if (!uses.has(match[1]!)) uses.set(match[1]!, { location: resource.locate(['credentials', index]), how });
      }
    });
    out.set(service.key, uses);
  }
  return out;
}

/**
 * API keys of API Management, never with their values: subscriptions (whose `primary_key` and
 * `secondary_key` API Management generates unless the configuration writes them), and named values
 * that hold a credential. A named value holds one when it is marked `secret`, when a policy or a
 * backend uses it as one (see {@link namedValueCredentialUses}), or when its value looks like a
 * generated secret ({@link looksLikeSecret}); never for its name alone: a named value called
 * `provider-key` that holds the header name `X-Provider-Key` is not a key. Where the value comes from
 * decides the finding: written in the configuration (literal), Key Vault (reference), or input.
 */
export function emitApimKeys(ctx: TerraformContext, services: ApimServices, uses: ReadonlyMap<string, ReadonlyMap<string, CredentialUse>> = new Map()): void {
  for (const resource of ctx.ofType('azurerm_api_management_subscription')) {
    const primary = keyValueSource(resource, 'primary_key');
    const secondary = keyValueSource(resource, 'secondary_key');
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
    const service = services.of(resource);
    // Policies refer to a named value by display name; it defaults to the name.
    const referredAs = [readString(resource.values.display_name), readString(resource.values.name)].filter((candidate): candidate is string => typeof candidate === 'string');
    const use = service ? referredAs.map((candidate) => uses.get(service.key)?.get(candidate)).find((found) => found !== undefined) : undefined;
    const value = resource.values.value;
    const shapedLikeSecret = typeof value === 'string' && looksLikeSecret(value);
    if (secret !== true && !use && !shapedLikeSecret) continue;
    const fromKeyVault = readBlocks(resource.values.value_from_key_vault);
    const source: KeyValueSource =
      !(fromKeyVault instanceof Unknown) && fromKeyVault.length > 0 ? { source: 'reference', location: resource.locate(['value_from_key_vault']) } : keyValueSource(resource, 'value');
    ctx.add({
      ...ctx.base('api-key', resource, {
        fieldLocations: { valueSource: source.location },
        // Where the literal is read (a module passing it on), then where a policy uses it as a credential.
        fieldRelated: { valueSource: [...(source.related ?? []), ...(use ? [{ location: use.location, message: `used as a credential here (${use.how})` }] : [])] },
      }),
      name: typeof name === 'string' ? `named value ${name}` : name,
      // A named value without a value would not deploy; absent means "not written here".
      valueSource: source.source === 'generated' ? new Unknown('the named value has neither a value nor a Key Vault reference') : source.source,
      enabled: true,
    } satisfies ApiKey);
  }
}

/**
 * Where a key's value comes from. A live instance never shows it (keys and secret values are never
 * read) and a value set in a service is not written in code: `deployed`, as for AWS.
 */
function keyValueSource(resource: ResourceView, attribute: string): KeyValueSource {
  return resource.format === 'live' ? { source: 'deployed', location: resource.location } : apiKeyValueSource(resource, attribute);
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
