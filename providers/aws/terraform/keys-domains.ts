import type { ApiKey, Domain, EndpointType } from '../../../src/model/entities.js';
import { apiKeyValueSource, type KeyValueSource } from '../../shared/key-source.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readBlocks, readBool, readCreatedAt, readString, readStringList } from '../../shared/values.js';
import type { TerraformContext } from '../../shared/terraform-context.js';

/** Emits API key entities (never their values). */
export function emitApiKeys(ctx: TerraformContext): void {
  for (const resource of ctx.ofType('aws_api_gateway_api_key')) {
    // A live account never shows a key's value (gatewarden does not ask for it), nor where it came from.
    const { source, location, related }: KeyValueSource = resource.format === 'live' ? { source: 'deployed', location: resource.location } : apiKeyValueSource(resource, 'value');
    const key: ApiKey = {
      ...ctx.base('api-key', resource, { fieldLocations: { valueSource: location }, fieldRelated: { valueSource: related } }),
      name: readString(resource.values.name) ?? new Unknown('no name'),
      valueSource: source,
      enabled: readBool(resource.values.enabled) ?? true,
      // Computed by the provider: known in a plan of a key that exists (and live), never in code.
      ...readCreatedAt(resource.values.created_date),
    };
    ctx.add(key);
  }
}

/**
 * The gateways mapped onto a domain. A mapping names the domain by reference
 * (`aws_api_gateway_domain_name.api.domain_name`, CloudFormation `!Ref Domain`) or by its name.
 */
function mappedGateways(ctx: TerraformContext, domain: ResourceView, mappingType: string, apiAttribute: string): string[] {
  const name = domain.values.domain_name;
  const ids = new Set<string>();
  for (const mapping of ctx.ofType(mappingType)) {
    const target = mapping.values.domain_name;
    const onDomain = ctx.target(target)?.address === domain.address || (typeof target === 'string' && target === name);
    if (!onDomain) continue;
    const api = ctx.target(mapping.values[apiAttribute]);
    if (api) ids.add(ctx.idOf(api.address));
  }
  return [...ids];
}

function endpointType(text: Maybe<string> | undefined, fallback: EndpointType): Maybe<EndpointType> {
  if (text === undefined) return fallback;
  if (text instanceof Unknown) return text;
  const lower = text.toLowerCase();
  return lower === 'edge' || lower === 'regional' || lower === 'private' ? lower : new Unknown(`endpoint type "${text}" is not known`);
}

/**
 * A domain's security policy, or the default API Gateway gives a domain whose configuration sets
 * none. A REST custom domain created without one gets `TLS_1_0` (the API, CloudFormation and
 * Terraform leave it to the service, which kept TLS 1.0 as the default for compatibility when the
 * setting arrived in 2019; only the console preselects TLS 1.2). A v2 domain (HTTP and WebSocket
 * APIs) supports only `TLS_1_2`. A live account always reports the policy in force.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
 */
function securityPolicyOf(resource: ResourceView, written: Maybe<string> | undefined, fallback: 'TLS_1_0' | 'TLS_1_2'): Pick<Domain, 'securityPolicy' | 'securityPolicyDefaulted'> {
  if (written !== undefined) return { securityPolicy: written };
  if (resource.format === 'live') return { securityPolicy: new Unknown('the account did not report a security policy') };
  return { securityPolicy: fallback, securityPolicyDefaulted: true };
}

/** Emits custom domain entities (REST and HTTP/WebSocket). */
export function emitDomains(ctx: TerraformContext): void {
  for (const resource of ctx.ofType('aws_api_gateway_domain_name')) {
    const values = resource.values;
    const endpoint = readBlocks(values.endpoint_configuration);
    const types = endpoint instanceof Unknown ? endpoint : endpoint[0] ? readStringList(endpoint[0].types) : undefined;
    const mtls = readBlocks(values.mutual_tls_authentication);
    const domain: Domain = {
      ...ctx.base('domain', resource, { fieldLocations: { securityPolicy: resource.locate(['security_policy']), mutualTls: resource.locate(['mutual_tls_authentication']) } }),
      name: readString(values.domain_name) ?? new Unknown('no domain_name'),
      ...securityPolicyOf(resource, readString(values.security_policy), 'TLS_1_0'),
      mutualTls: mtls instanceof Unknown ? mtls : mtls.length > 0,
      endpointType: types instanceof Unknown ? types : endpointType(types?.[0], 'edge'),
      gatewayIds: mappedGateways(ctx, resource, 'aws_api_gateway_base_path_mapping', 'api_id'),
    };
    ctx.add(domain);
  }
  for (const resource of ctx.ofType('aws_apigatewayv2_domain_name')) {
    const values = resource.values;
    const configuration = readBlocks(values.domain_name_configuration);
    const block = configuration instanceof Unknown ? undefined : configuration[0];
    const mtls = readBlocks(values.mutual_tls_authentication);
    const domain: Domain = {
      ...ctx.base('domain', resource, {
        fieldLocations: { securityPolicy: resource.locate(['domain_name_configuration', 0, 'security_policy']), mutualTls: resource.locate(['mutual_tls_authentication']) },
      }),
      name: readString(values.domain_name) ?? new Unknown('no domain_name'),
      ...(configuration instanceof Unknown ? { securityPolicy: configuration } : securityPolicyOf(resource, readString(block?.security_policy), 'TLS_1_2')),
      mutualTls: mtls instanceof Unknown ? mtls : mtls.length > 0,
      endpointType: configuration instanceof Unknown ? configuration : endpointType(readString(block?.endpoint_type), 'regional'),
      gatewayIds: mappedGateways(ctx, resource, 'aws_apigatewayv2_api_mapping', 'api_id'),
    };
    ctx.add(domain);
  }
}
