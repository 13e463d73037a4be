import type { Gateway } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { attribute, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readBool } from '../../shared/values.js';
import type { PolicyDocument } from '../policy/document.js';
import type { ApimPolicies } from './policies.js';
import type { ApimService, ApimServices } from './services.js';

/** What the adapter knows of one API when its gateway is finished: enough to find its policies. */
export interface ApiScopes {
  readonly gatewayId: string;
  readonly service: ApimService;
  /** `service key|api name`, as the policies are keyed. */
  readonly apiKey: string;
  /** The product ids the API is added to. */
  readonly products: readonly string[];
}

interface Located<T> {
  readonly value: T;
  readonly location: SourceLocation | undefined;
}

/**
 * Sets, on each API's gateway, whether its policies check the caller's certificate and whether its
 * service asks callers for one (`azure.clientCertificateChecked`, `azure.clientCertificateNegotiated`),
 * located where each is decided. Without negotiation `context.Request.Certificate` is always null,
 * so a check can never see a certificate: every call fails `validate-client-certificate`, and an
 * expression that tolerates a missing certificate lets every call through unchecked. Runs after
 * the gateways are added, and replaces them (they are immutable once built).
 */
export function applyClientCertificateFacts(ctx: TerraformContext, services: ApimServices, policies: ApimPolicies, apis: readonly ApiScopes[]): void {
  const negotiation = new Map<string, Located<Maybe<boolean>>>();
  for (const api of apis) {
    const index = ctx.entities.findIndex((entity) => entity.id === api.gatewayId);
    const gateway = ctx.entities[index];
    if (index < 0 || gateway?.kind !== 'gateway' || !gateway.azure) continue;
    const checked = certificateCheck(documentsOf(policies, api), policies.fragments.get(api.service.key));
    let negotiated = negotiation.get(api.service.key);
    if (!negotiated) {
      negotiated = negotiationOf(ctx, services, api.service);
      negotiation.set(api.service.key, negotiated);
    }
    const finished: Gateway = {
      ...gateway,
      fieldLocations: {
        ...gateway.fieldLocations,
        ...(negotiated.location ? { 'azure.clientCertificateNegotiated': negotiated.location } : {}),
        ...(checked.location ? { 'azure.clientCertificateChecked': checked.location } : {}),
      },
      // The check that cannot pass is where the finding's reader goes next.
      ...(checked.value === true && checked.location ? { fieldRelated: { ...gateway.fieldRelated, 'azure.clientCertificateNegotiated': [{ location: checked.location, message: "checks the caller's certificate here" }] } } : {}),
      azure: { ...gateway.azure, clientCertificateNegotiated: negotiated.value, clientCertificateChecked: checked.value },
    };
    ctx.entities[index] = finished;
  }
}

/** The policy documents that run for an API's calls: global, its products', its own and its operations'. */
function documentsOf(policies: ApimPolicies, api: ApiScopes): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  const global = policies.global.get(api.service.key);
  if (global) documents.push(global);
  for (const product of api.products) {
    const document = policies.product.get(`${api.service.key}|${product}`);
    if (document) documents.push(document);
  }
  const own = policies.api.get(api.apiKey);
  if (own) documents.push(own);
  const prefix = `${api.apiKey}|`;
  for (const [key, document] of policies.operation) if (key.startsWith(prefix)) documents.push(document);
  return documents;
}

const CERTIFICATE_EXPRESSION = /context\s*\.\s*Request\s*\.\s*Certificate\b/;

/**
 * Whether the documents (and the fragments they include) check the caller's certificate: a
 * `validate-client-certificate` element, or a policy expression reading `context.Request.Certificate`.
 * True at the first check found; otherwise unknown when a document or an included fragment cannot be
 * read (it may check one); otherwise false. `<base/>` dropped by an inner scope is not followed: a
 * check written in a scope that applies to the API's calls counts, as the author meant it to run.
 */
function certificateCheck(documents: readonly PolicyDocument[], fragments: ReadonlyMap<string, PolicyDocument> | undefined): Located<Maybe<boolean>> {
  let uncertain: Located<Unknown> | undefined;
  const visited = new Set<PolicyDocument>();
  const inDocument = (document: PolicyDocument): SourceLocation | undefined => {
    if (visited.has(document)) return undefined;
    visited.add(document);
    if (!document.root) {
      uncertain ??= { value: document.unknown ?? new Unknown(`the policy of ${document.label} cannot be read`), location: document.location };
      return undefined;
    }
    const visit = (element: XmlElement): SourceLocation | undefined => {
      if (element.name === 'validate-client-certificate') return document.at(element.start);
      if (element.name === 'include-fragment') {
        const id = attribute(element, 'fragment-id');
        const fragment = id === undefined ? undefined : fragments?.get(id);
        if (fragment) return inDocument(fragment);
        uncertain ??= { value: new Unknown(`fragment ${id ?? '(no fragment-id)'} included by ${document.label} is not in the scan`), location: document.at(element.start) };
        return undefined;
      }
      if (element.attributes.some((item) => item.isExpression && CERTIFICATE_EXPRESSION.test(item.value))) return document.at(element.start);
      for (const child of element.children) {
        if (child.kind === 'text' && child.isExpression && CERTIFICATE_EXPRESSION.test(child.text)) return document.at(element.start);
        if (child.kind === 'element') {
          const found = visit(child);
          if (found) return found;
        }
      }
      return undefined;
    };
    return visit(document.root);
  };
  for (const document of documents) {
    const found = inDocument(document);
    if (found) return { value: true, location: found };
  }
  return uncertain ?? { value: false, location: undefined };
}

/**
 * Whether a service asks callers for a client certificate. The Consumption tier does it for every
 * hostname when `client_certificate_enabled` (ARM `enableClientCertificate`) is true; the other tiers
 * per gateway hostname, `negotiate_client_certificate` of a `hostname_configuration` proxy or of an
 * `azurerm_api_management_custom_domain` gateway (ARM `negotiateClientCertificate`, a live
 * instance's default hostname included). All default to off.
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-mutual-certificates-for-clients
 */
function negotiationOf(ctx: TerraformContext, services: ApimServices, service: ApimService): Located<Maybe<boolean>> {
  const resource = service.resource;
  const hostnames: Array<Located<Maybe<boolean>>> = [];
  if (resource) {
    const configuration = readBlocks(resource.values.hostname_configuration);
    if (configuration instanceof Unknown) hostnames.push({ value: configuration, location: resource.locate(['hostname_configuration']) });
    else hostnames.push(...hostnamesOf(resource, configuration[0]?.proxy, ['hostname_configuration', 0, 'proxy']));
    const defaultHost = readBool(resource.values.default_hostname_negotiates_client_certificate);
    if (defaultHost !== undefined) hostnames.push({ value: defaultHost, location: resource.locate(['default_hostname_negotiates_client_certificate']) });
  }
  for (const domain of ctx.ofType('azurerm_api_management_custom_domain')) {
    if (services.of(domain)?.key === service.key) hostnames.push(...hostnamesOf(domain, domain.values.gateway, ['gateway']));
  }
  const negotiating = hostnames.find((entry) => entry.value === true);
  if (!resource) return negotiating ?? { value: new Unknown('the API Management service is not in the scanned configuration'), location: undefined };
  const sku = service.details.sku;
  const enabled = readBool(resource.values.client_certificate_enabled) ?? false;
  const enabledAt = resource.locate(['client_certificate_enabled']);
  // client_certificate_enabled exists for the Consumption tier only; the others negotiate per hostname.
  if (typeof sku === 'string' && /^consumption/i.test(sku)) return { value: enabled, location: enabledAt };
  if (typeof sku !== 'string') {
    if (enabled === true) return { value: true, location: enabledAt };
    return negotiating ?? { value: sku ?? new Unknown('sku_name is not set'), location: resource.locate(['sku_name']) };
  }
  if (negotiating) return negotiating;
  const uncertain = hostnames.find((entry) => entry.value instanceof Unknown);
  if (uncertain) return uncertain;
  return { value: false, location: hostnames[0]?.location ?? resource.location };
}

/** The negotiation flag of each hostname block, located at the flag (or the block when it is not written). */
function hostnamesOf(resource: ResourceView, blocks: Parameters<typeof readBlocks>[0], path: ReadonlyArray<string | number>): Array<Located<Maybe<boolean>>> {
  const read = readBlocks(blocks);
  if (read instanceof Unknown) return [{ value: read, location: resource.locate([...path]) }];
  return read.map((block, index) => {
    const written = block.negotiate_client_certificate !== undefined && block.negotiate_client_certificate !== null;
    return { value: readBool(block.negotiate_client_certificate) ?? false, location: resource.locate(written ? [...path, index, 'negotiate_client_certificate'] : [...path, index]) };
  });
}
