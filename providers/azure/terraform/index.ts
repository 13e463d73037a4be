import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { AuthKind, Authorizer, Entity, FieldOwner, Gateway, RateLimit, RelatedLocation, Route } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { TerraformContext } from '../../shared/terraform-context.js';
import { readBool, readString, readStringList, readTags } from '../../shared/values.js';
import { childElements } from '../../../src/sources/apim-policy/xml.js';
import { sectionOf, type PolicyDocument, type PolicySection } from '../policy/document.js';
import { effectiveSection, type EffectivePolicy } from '../policy/effective.js';
import { BACKEND_DISCLOSURE_HEADERS, disclosureHeadersKept, errorDetailsReturned, inboundRestriction, type DecidedIn } from '../policy/exposure.js';
import { ipFilterAllowsAll, policyAuth, policyBackendUrl, policyCors, policyRateLimit, readValidateJwt, type JwtCheck, type Located, type LocatedCallerAuth, type NamedValues } from '../policy/semantics.js';
import { ApimDiagnostics, type ApiLogging } from './diagnostics.js';
import { policyValidation } from '../policy/validation.js';
import { policyCache } from '../policy/caching.js';
import { selfHostedGatewayNotes } from './gateways.js';
import { emitApimBackends } from './backends.js';
import { applyClientCertificateFacts } from './client-certificates.js';
import { emitApimAuthorizers, emitApimDomains, emitApimKeys, namedValueCredentialUses } from './keys.js';
import { emitBackendSecrets } from './secrets.js';
import { apiWideOperation, collectOperations, type OperationDraft } from './operations.js';
import { collectPolicies, nameOf, type ApimPolicies } from './policies.js';
import { ApimServices, weakestTlsLocation, type ApimService } from './services.js';
import { GlobalPolicies, type ConfiguredGlobal } from './outer-policies.js';
import { apimPolicySetting, NO_AZURE_SETTINGS, type AzureSettings } from '../settings.js';
import type { ApimServiceFacts } from '../../../src/model/apim-facts.js';

/**
 * The Terraform resource types this adapter reads: azurerm API Management and its children, and
 * Azure Monitor diagnostic settings (those of a service send its gateway logs).
 */
export function isAzureApimResourceType(type: string): boolean {
  return type === 'azurerm_api_management' || type.startsWith('azurerm_api_management_') || type === 'azurerm_monitor_diagnostic_setting';
}

interface ApiDraft {
  readonly resource: ResourceView;
  readonly service: ApimService;
  readonly name: string;
  readonly key: string;
  readonly gateway: Gateway;
  readonly subscriptionRequired: Maybe<boolean>;
  readonly serviceUrl: Maybe<string> | undefined;
  readonly path: string;
}

/**
 * Turns azurerm API Management resources into the common model. Each API is a gateway and each
 * operation a route whose authentication, rate limit and backend come from its effective inbound
 * policy: global, product, API and operation documents combined through `<base/>`. An API in
 * products is checked once per product and once without any (the service's built-in all-access
 * subscription, and API-scoped subscriptions, skip product policies): the weakest result counts.
 * Pure: no I/O.
 */
export function adaptAzureTerraform(resources: readonly ResourceView[], idPrefix = '', settings: AzureSettings = NO_AZURE_SETTINGS): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const ctx = new TerraformContext(resources, idPrefix, 'azure');
  const diagnostics: Diagnostic[] = [];
  const services = new ApimServices(ctx, settings.apimServiceFacts, diagnostics);
  const policies = collectPolicies(ctx, services, diagnostics);
  const globals = new GlobalPolicies(policies, settings, diagnostics);
  const logging = new ApimDiagnostics(ctx, services);

  const productsOfApi = new Map<string, string[]>();
  for (const link of ctx.ofType('azurerm_api_management_product_api')) {
    const service = services.of(link);
    const api = nameOf(ctx, link.values.api_name);
    const product = nameOf(ctx, link.values.product_id, 'product_id');
    if (!service || typeof api !== 'string' || typeof product !== 'string') continue;
    const key = `${service.key}|${api}`;
    productsOfApi.set(key, [...(productsOfApi.get(key) ?? []), product]);
    reportProductElsewhere(ctx, services, policies, link, service, product, diagnostics);
  }

  const apis: ApiDraft[] = [];
  const apiKeys = new Map<ResourceView, string>();
  for (const resource of ctx.ofType('azurerm_api_management_api')) {
    const service = services.of(resource);
    const name = readString(resource.values.name);
    if (!service || typeof name !== 'string') {
      diagnostics.push({ severity: 'warning', code: 'unresolved', message: `${resource.address} names no API Management service or has no name gatewarden can resolve; it is not checked`, location: resource.location, address: resource.address });
      continue;
    }
    const api = apiDraft(ctx, resource, service, name, logging.of(service, name));
    apis.push(api);
    apiKeys.set(resource, api.key);
    ctx.add(api.gateway);
  }
  const apiKeyOf = (resource: ResourceView): string | undefined => {
    const service = services.of(resource);
    const name = nameOf(ctx, resource.values.api_name);
    return service && typeof name === 'string' ? `${service.key}|${name}` : undefined;
  };
  const operations = collectOperations(ctx, apiKeys, apiKeyOf, diagnostics);

  const routeKeys = new Map<string, string>();
  for (const api of apis) {
    const declared = operations.get(api.key) ?? [];
    const exposure = new ExposureFacts();
    for (const operation of declared.length > 0 ? declared : [apiWideOperation(api.resource)]) {
      const route = operationRoute(ctx, api, operation, policies, globals.of(api.service, api.resource), productsOfApi.get(api.key) ?? [], exposure);
      if (typeof operation.operationId === 'string') routeKeys.set(`${api.key}|${operation.operationId}`, route.key);
      ctx.add(route);
    }
    replaceGateway(ctx, api.gateway, exposure.applyTo(api.gateway, api.resource.location, (document) => sharedDocumentOwner(ctx, api.service, document, policies)));
  }
  const servicesWithApis = new Set(apis.map((api) => api.service.key));
  for (const service of services.all()) if (service.resource && !servicesWithApis.has(service.key)) ctx.add(serviceStandIn(ctx, service, service.resource));
  emitPolicyCors(ctx, policies, new Map(apis.map((api) => [api.key, api])), routeKeys, services);
  emitConfiguredCors(ctx, globals.documents(), policies, apis);
  emitApimKeys(ctx, services, namedValueCredentialUses(ctx, services, policies));
  emitApimAuthorizers(ctx, services);
  emitBackendSecrets(ctx);
  emitApimDomains(ctx, services, apis.map((api) => ({ serviceKey: api.service.key, gatewayId: api.gateway.id })));
  diagnostics.push(...selfHostedGatewayNotes(ctx, services));
  // After the routes: a backend is checked on its own only where no route of the scan calls it.
  emitApimBackends(ctx, services);
  applyClientCertificateFacts(ctx, services, policies, apis.map((api) => ({ gatewayId: api.gateway.id, service: api.service, apiKey: api.key, products: productsOfApi.get(api.key) ?? [] })));
  return { entities: ctx.entities, diagnostics: [...diagnostics, ...ctx.diagnostics] };
}

/**
 * Where to state the network of a service outside the scan: an APIs-only repository otherwise leaves
 * apim-inbound-restricted unknown with no way out named. Nothing when the name itself is unknown.
 */
function networkFactsHint(service: ApimService): string {
  return typeof service.name === 'string'
    ? `; set azure.apim.services.${service.name}.public-network-access and virtual-network-type in .gatewarden.yaml to state it`
    : '';
}

function apiDraft(ctx: TerraformContext, resource: ResourceView, service: ApimService, name: string, logging: ApiLogging): ApiDraft {
  const values = resource.values;
  const apiType = readString(values.api_type) ?? 'http';
  const subscriptionRequired = readBool(values.subscription_required) ?? true;
  const serviceUrl = readString(values.service_url);
  const protocols = readStringList(values.protocols) ?? new Unknown('protocols is not set');
  const vnet = service.details.virtualNetworkType;
  const publicAccess = service.details.publicNetworkAccess;
  const endpointType =
    !service.resource && (vnet === undefined || publicAccess === undefined) ? new Unknown(`the API Management service is not in the scanned configuration${networkFactsHint(service)}`)
    : vnet instanceof Unknown ? vnet
    : vnet === 'Internal' || publicAccess === false ? ('private' as const)
    : publicAccess instanceof Unknown ? publicAccess
    : ('regional' as const);
  const base = ctx.base('gateway', resource, {
    fieldLocations: {
      protocols: resource.locate(['protocols']),
      subscriptionRequired: resource.locate(['subscription_required']),
      serviceUrl: resource.locate(['service_url']),
      // The service's protocols and ciphers are written on the service, which every API inherits.
      ...(service.resource ? { 'azure.minimumClientTls': weakestTlsLocation(service.resource) } : {}),
      // Where the API's logging is decided; absent, a finding points at the API.
      ...(logging.logDestinations.location ? { 'azure.logDestinations': logging.logDestinations.location } : {}),
      ...(logging.loggedContent.location ? { 'azure.loggedContent': logging.loggedContent.location } : {}),
      // Settings of the service the API runs on: a finding about them points at the service.
      ...(service.resource
        ? { 'azure.publicNetworkAccess': service.resource.locate(['public_network_access_enabled']), 'azure.virtualNetworkType': service.resource.locate(['virtual_network_type']) }
        : {}),
      // Or, for a service outside the scan, at what the config file states of it.
      ...(service.configured ? configuredFactLocations(service.configured) : {}),
    },
  });
  // The service's protocols and network settings are one setting of the service, however many APIs
  // inherit them: a policy grouping by setting reports them once, on the service, listing its APIs.
  const owner = service.resource ? serviceOwner(ctx, service, service.resource) : service.configured ? configuredServiceOwner(ctx, service, service.configured) : undefined;
  // An API without a diagnostic of its own logs as the service's diagnostics say: where they are at
  // fault (a sampling of 0%, bodies logged), that is the service's setting too.
  const inheritedLogging = logging.inherited
    ? [...(logging.logDestinations.location ? (['azure.logDestinations'] as const) : []), ...(logging.loggedContent.location ? (['azure.loggedContent'] as const) : [])]
    : [];
  const ownedFields = [...SERVICE_FIELDS, ...inheritedLogging];
  // An APIM API has no resource tags of its own: those of its service name who owns it.
  const serviceTags = service.resource ? readTags(service.resource.values.tags) : undefined;
  const tags = serviceTags || base.tags ? { tags: { ...serviceTags, ...base.tags } } : {};
  const gateway: Gateway = {
    ...base,
    ...tags,
    ...(owner ? { fieldOwners: Object.fromEntries(ownedFields.map((field) => [field, owner.id])), fieldOwnerEntities: { [owner.id]: owner.owner } } : {}),
    name: readString(values.display_name) ?? name,
    protocol: typeof apiType === 'string' && apiType.toLowerCase() === 'websocket' ? 'websocket' : 'http',
    endpointType,
    definedByOpenApi: values.import !== undefined && values.import !== null && !(Array.isArray(values.import) && values.import.length === 0),
    azure: {
      ...service.details,
      service: service.name,
      protocols,
      subscriptionRequired,
      ...(serviceUrl !== undefined ? { serviceUrl } : {}),
      logDestinations: logging.logDestinations.value,
      loggedContent: logging.loggedContent.value,
    },
  };
  const path = readString(values.path);
  return { resource, service, name, key: `${service.key}|${name}`, gateway, subscriptionRequired, serviceUrl, path: typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : '' };
}

/**
 * The owner of a policy document several APIs share, as the owner of an API field it decides: the
 * service for its global policy (the same owner as the service's settings, so that a config
 * suppression naming the service accepts it, and its identity is the service's however many APIs
 * run the policy); the policy resource for a product's policy or a fragment. Undefined for an API's
 * or an operation's own policy, which decides for that API alone, and for a document that stands for
 * a policy outside the scan (its place is each API's reference to the service, not one place).
 */
function sharedDocumentOwner(ctx: TerraformContext, service: ApimService, document: PolicyDocument, policies: ApimPolicies): { id: string; owner: FieldOwner } | undefined {
  const fragment = [...(policies.fragments.get(service.key)?.values() ?? [])].includes(document);
  if (document.scope === 'global') {
    if (service.resource) return serviceOwner(ctx, service, service.resource);
    const resource = ctx.resourceAt(document.address);
    const configured = typeof service.name === 'string' && document.address === apimPolicySetting(service.name);
    if (!resource && !configured) return undefined;
    // A service outside the scan: the id of its configured owner (configuredServiceOwner).
    const address = configured ? `azure.apim.services.${String(service.name)}` : document.address;
    const name = typeof service.name === 'string' ? { name: service.name } : {};
    const suppressions = resource?.suppressions && resource.suppressions.length > 0 ? { suppressions: resource.suppressions } : {};
    return { id: ctx.idOf(`${service.key}#apis`), owner: { address, ...name, location: resource?.location ?? document.location, modulePath: resource?.modulePath ?? '', ...suppressions } };
  }
  if (document.scope !== 'product' && !fragment) return undefined;
  const resource = ctx.resourceAt(document.address);
  if (!resource) return undefined;
  return {
    id: ctx.idOf(`${document.address}#apis`),
    owner: {
      address: document.address,
      name: document.label,
      location: resource.location,
      modulePath: resource.modulePath,
      ...(resource.suppressions && resource.suppressions.length > 0 ? { suppressions: resource.suppressions } : {}),
    },
  };
}

/** The fields of an API that are its service's settings (see {@link serviceOwner}). */
const SERVICE_FIELDS = ['azure.minimumClientTls', 'azure.publicNetworkAccess', 'azure.virtualNetworkType'] as const;

/**
 * The service as the owner of its APIs' {@link SERVICE_FIELDS}: the id of the stand-in made for it
 * when none of its APIs is in the scan ({@link serviceStandIn}), so that a finding on its protocols
 * or network keeps one fingerprint, one suppression and one baseline entry whether its APIs are in
 * the scan or not, and as many APIs as it has.
 */
function serviceOwner(ctx: TerraformContext, service: ApimService, resource: ResourceView): { id: string; owner: FieldOwner } {
  return {
    id: serviceStandInId(ctx, resource),
    owner: {
      address: resource.address,
      ...(typeof service.name === 'string' ? { name: service.name } : {}),
      location: resource.location,
      modulePath: resource.modulePath,
      ...(resource.suppressions && resource.suppressions.length > 0 ? { suppressions: resource.suppressions } : {}),
    },
  };
}

/**
 * A service outside the scan whose settings the config file states, as the owner of its APIs'
 * settings: one finding on the service, at the config file's line, whose address is the setting's.
 */
function configuredServiceOwner(ctx: TerraformContext, service: ApimService, facts: ApimServiceFacts): { id: string; owner: FieldOwner } | undefined {
  const first = Object.values(facts)[0];
  if (typeof service.name !== 'string' || first === undefined) return undefined;
  return { id: ctx.idOf(`${service.key}#apis`), owner: { address: `azure.apim.services.${service.name}`, name: service.name, location: first.location, modulePath: '' } };
}

/** Where the config file states each fact it gives of a service outside the scan, by model field. */
function configuredFactLocations(facts: ApimServiceFacts): Record<string, SourceLocation> {
  const fields: Readonly<Record<keyof ApimServiceFacts, string>> = {
    diagnostics: 'azure.logDestinations',
    loggedContent: 'azure.loggedContent',
    publicNetworkAccess: 'azure.publicNetworkAccess',
    virtualNetworkType: 'azure.virtualNetworkType',
    minimumClientTls: 'azure.minimumClientTls',
    minimumBackendTls: 'azure.minimumBackendTls',
    weakCiphersEnabled: 'azure.weakCiphersEnabled',
  };
  const out: Record<string, SourceLocation> = {};
  for (const [fact, value] of Object.entries(facts) as Array<[keyof ApimServiceFacts, { location: SourceLocation }]>) out[fields[fact]] = value.location;
  // The TLS check points at the weakest of the two sides the file states, clients first.
  const weakest = [facts.minimumClientTls, facts.minimumBackendTls, facts.weakCiphersEnabled].find((fact) => fact !== undefined && fact.value !== '1.2' && fact.value !== false);
  if (weakest) out['azure.minimumClientTls'] = weakest.location;
  // Network exposure points at the virtual network type, else at public network access.
  if (!facts.virtualNetworkType && facts.publicNetworkAccess) out['azure.virtualNetworkType'] = facts.publicNetworkAccess.location;
  return out;
}

function serviceStandInId(ctx: TerraformContext, resource: ResourceView): string {
  return ctx.idOf(`${resource.address}#apis`);
}

/**
 * The gateway that stands for the APIs of a service none of whose APIs is in the scan (they are
 * imported later, deployed from another repository, made in the portal): it carries the
 * service-wide settings every API inherits (protocols and ciphers, network exposure, SKU), at the
 * service resource, so that they are checked where they are written. It has no routes. What APIs'
 * policies decide (inbound restriction, error details, headers) and API diagnostics are left out,
 * so the policies reading them do not apply: they are not known from the service alone.
 */
function serviceStandIn(ctx: TerraformContext, service: ApimService, resource: ResourceView): Gateway {
  const vnet = service.details.virtualNetworkType;
  const publicAccess = service.details.publicNetworkAccess;
  const endpointType =
    vnet instanceof Unknown ? vnet
    : vnet === 'Internal' || publicAccess === false ? ('private' as const)
    : publicAccess instanceof Unknown ? publicAccess
    : ('regional' as const);
  const tags = readTags(resource.values.tags);
  return {
    ...ctx.base('gateway', resource, {
      // Its own id: the service's address may be taken by nothing else, but say what it stands for.
      id: serviceStandInId(ctx, resource),
      fieldLocations: {
        'azure.minimumClientTls': weakestTlsLocation(resource),
        'azure.publicNetworkAccess': resource.locate(['public_network_access_enabled']),
        'azure.virtualNetworkType': resource.locate(['virtual_network_type']),
      },
    }),
    ...(tags ? { tags } : {}),
    name: typeof service.name === 'string' ? service.name : resource.address,
    protocol: 'http',
    endpointType,
    definedByOpenApi: false,
    standIn: 'apis-outside-scan',
    azure: { ...service.details, protocols: new Unknown('the APIs of the service are not in the scanned configuration'), subscriptionRequired: new Unknown('the APIs of the service are not in the scanned configuration') },
  };
}

/** What one chain of scopes (with or without a product) gives an operation. */
interface ChainResult {
  readonly product?: string;
  readonly inbound: EffectivePolicy;
  readonly auth: LocatedAuth;
  readonly rateLimit: Located<Maybe<RateLimit>> | undefined;
  readonly validation: ReturnType<typeof policyValidation>;
  readonly cache: ReturnType<typeof policyCache>;
}

/** A route's authentication with where it is decided, and other places that bear on it. */
type LocatedAuth = LocatedCallerAuth & { readonly related?: readonly RelatedLocation[] };

/** The authorizer entities made of `validate-jwt` elements, by context, so that each is emitted once. */
const jwtAuthorizerIds = new WeakMap<TerraformContext, Set<string>>();

/**
 * The authorizer entity of a `validate-jwt` element that decides a route's authentication: one per
 * element, however many routes its policy covers, where the element is written, so that its issuer
 * and audiences are checked once (jwt-issuer-audience).
 */
function jwtAuthorizer(ctx: TerraformContext, check: JwtCheck, namedValues: NamedValues, fallback: ResourceView): string {
  const location = check.document.at(check.element.start);
  const id = ctx.idOf(`${check.document.address}/validate-jwt@${location.startLine}`);
  const seen = jwtAuthorizerIds.get(ctx) ?? new Set<string>();
  jwtAuthorizerIds.set(ctx, seen);
  if (seen.has(id)) return id;
  seen.add(id);
  const read = readValidateJwt(check, namedValues);
  const issuer: Maybe<string> | undefined = read.issuers instanceof Unknown ? read.issuers : read.issuers.length > 0 ? read.issuers.join(', ') : read.keysPinnedBy;
  const authorizer: Authorizer = {
    ...ctx.base('authorizer', ctx.resourceAt(check.document.address) ?? fallback, { id, location, fieldLocations: { jwtIssuer: location, jwtAudiences: location, jwtRequiresSignature: location } }),
    address: check.document.address,
    name: `validate-jwt in ${check.document.label}`,
    type: 'jwt',
    attached: true,
    identitySources: [],
    ...(issuer !== undefined ? { jwtIssuer: issuer } : {}),
    jwtAudiences: read.audiences,
    jwtRequiresSignature: !read.unsignedAccepted,
  };
  ctx.add(authorizer);
  return id;
}

function operationRoute(
  ctx: TerraformContext,
  api: ApiDraft,
  operation: OperationDraft,
  policies: ApimPolicies,
  globalDocument: PolicyDocument | undefined,
  products: readonly string[],
  exposure: ExposureFacts,
): Route {
  const serviceKey = api.service.key;
  const namedValues: NamedValues = policies.namedValues.get(serviceKey) ?? new Map();
  const fragments = policies.fragments.get(serviceKey) ?? new Map<string, PolicyDocument>();
  const operationDocument = typeof operation.operationId === 'string' ? policies.operation.get(`${serviceKey}|${api.name}|${operation.operationId}`) : undefined;
  const apiDocument = policies.api.get(api.key);
  const chains: Array<{ product?: string; chain: Array<PolicyDocument | undefined> }> = [
    { chain: [globalDocument, undefined, apiDocument, operationDocument] },
    ...products.map((product) => ({ product, chain: [globalDocument, policies.product.get(`${serviceKey}|${product}`), apiDocument, operationDocument] })),
  ];
  const results: ChainResult[] = chains.map(({ product, chain }) => {
    const inbound = effectiveSection(chain, 'inbound', fragments);
    const innermost = missingSettingLocation(api, inbound, chain);
    // The API-wide stand-in runs for every method: a <choose> on the method is not decided for it.
    const found = policyAuth(inbound.items, typeof operation.method === 'string' && !operation.standIn ? { method: operation.method } : {}, namedValues);
    let auth: LocatedAuth;
    if (found?.value instanceof Unknown || (found && found.value !== undefined)) auth = found as Located<Maybe<AuthKind>>;
    // When a scope dropped <base/>, that is where the missing check belongs, whatever the subscription.
    else if (api.subscriptionRequired === true) auth = { value: 'subscription-key', location: inbound.dropped.length > 0 ? innermost : api.resource.locate(['subscription_required']) };
    else if (api.subscriptionRequired instanceof Unknown) auth = { value: api.subscriptionRequired, location: api.resource.locate(['subscription_required']) };
    // No check and no subscription: the `subscription_required = false` written on the API is the
    // value that turned the key off, so the finding points there (unless a scope dropped <base/>).
    else if (inbound.dropped.length === 0 && api.subscriptionRequired === false) {
      const related = innermost === api.resource.location ? [] : [{ location: innermost, message: 'the effective inbound policy, which validates no token' }];
      auth = { value: 'none', location: api.resource.locate(['subscription_required']), related };
    } else auth = { value: 'none', location: innermost };
    const outbound = effectiveSection(chain, 'outbound', fragments);
    exposure.noteChain(inbound, [outbound, effectiveSection(chain, 'on-error', fragments)], { policy: outbound, place: missingSettingPlace(api, outbound, chain, 'outbound') }, api.resource.location);
    const validation = policyValidation(inbound.items, typeof operation.method === 'string' && !operation.standIn ? { method: operation.method } : {}, namedValues);
    const cache = policyCache(inbound.items, typeof operation.method === 'string' && !operation.standIn ? { method: operation.method } : {}, namedValues);
    return { ...(product !== undefined ? { product } : {}), inbound, auth, rateLimit: policyRateLimit(inbound.items, namedValues), validation, cache };
  });
  const auth = weakestAuth(results);
  const rateLimit = weakestRateLimit(results);
  const first = results[0]!;

  const ipFilter = ipFilterAllowsAll(first.inbound.items);
  const backend = policyBackendUrl(first.inbound.items, namedValues, policies.backends.get(serviceKey));
  // A backend entity's URL is written on the entity: a finding on it points there, and at the policy
  // that sends the route's calls to it.
  const backendEntityUrl = backend?.backendId !== undefined ? policies.backendUrlLocations.get(serviceKey)?.get(backend.backendId) : undefined;
  const backendRelated = backend && backendEntityUrl ? [{ location: backend.location, message: `sends the calls to backend ${backend.backendId!} here` }] : [];
  const related = { ...(auth.related && auth.related.length > 0 ? { auth: auth.related } : {}), ...(backendRelated.length > 0 ? { backendUrl: backendRelated } : {}) };
  const method = operation.method;
  const urlTemplate = typeof operation.urlTemplate === 'string' ? operation.urlTemplate : undefined;
  const path = urlTemplate === undefined ? operation.urlTemplate : `/${[api.path, urlTemplate.replace(/^\/+/, '')].filter(Boolean).join('/')}`;
  const mock = first.inbound.items.some((item) => item.kind === 'element' && (item.element.name === 'mock-response' || item.element.name === 'return-response'));
  const dropped = results.some((result) => result.inbound.dropped.length > 0);
  const key = `${operation.standIn ? '*' : typeof method === 'string' ? method : '?'} ${typeof path === 'string' ? path : '?'}`;
  // Each product's chain is a way in: a part is validated only if every chain validates it.
  const bodyValidation = weakestValidation(results.map((result) => result.validation.body));
  const parameterValidation = weakestValidation(results.map((result) => result.validation.parameters));
  const input = operation.input;
  const cache = weakestCache(results.map((result) => result.cache));
  // The finding is about the body when the operation takes one, else about its parameters.
  const takesBody = (typeof method === 'string' && ['POST', 'PUT', 'PATCH'].includes(method)) || input?.declaresBody === true;
  const decisive = takesBody && bodyValidation?.value !== true ? bodyValidation : parameterValidation?.value !== true ? parameterValidation : bodyValidation;
  const validationLocation = decisive?.location ?? missingValidationLocation(operation, operationDocument);
  return {
    ...ctx.base('route', operation.resource, {
      // The stand-in's address is the API's (where its settings are written); its id must differ from the gateway's.
      id: ctx.idOf(operation.standIn ? `${operation.address}/*` : operation.address),
      parentId: api.gateway.id,
      location: operation.location,
      ...(Object.keys(related).length > 0 ? { fieldRelated: related } : {}),
      fieldLocations: {
        auth: auth.location,
        ...(rateLimit ? { rateLimit: rateLimit.location } : { rateLimit: missingSettingLocation(api, first.inbound, [undefined]) }),
        ...(backend ? { backendUrl: backendEntityUrl ?? backend.location } : api.serviceUrl !== undefined ? { backendUrl: api.resource.locate(['service_url']) } : {}),
        ...(ipFilter ? { ipFilterAllowsAll: ipFilter.location } : {}),
        ...(mock ? {} : { requestValidation: validationLocation }),
        ...(cache ? { cache: cache.location } : {}),
      },
    }),
    address: operation.address,
    method,
    path: path ?? new Unknown('the operation has no URL template'),
    key,
    ...(operation.standIn ? { standIn: 'routes-outside-scan' as const } : {}),
    auth: {
      kind: auth.value,
      apiKeyRequired: false,
      source: auth.value === 'subscription-key' ? 'subscription' : auth.value === 'none' ? 'default' : 'policy',
      ...(auth.jwt ? { authorizerId: jwtAuthorizer(ctx, auth.jwt, namedValues, operation.resource) } : {}),
    },
    integration: mock ? 'mock' : 'http',
    ...(mock ? {} : backend ? { backendUrl: backend.value } : api.serviceUrl !== undefined ? { backendUrl: api.serviceUrl } : {}),
    isCorsPreflight: false,
    ...(rateLimit ? { rateLimit: rateLimit.value } : {}),
    // A mock or return-response answers at the gateway: no request reaches a backend to protect.
    ...(mock ? {} : { requestValidation: { body: bodyValidation?.value ?? false, parameters: parameterValidation?.value ?? false } }),
    ...(cache ? { cache: cache.value } : {}),
    ...(input ? { declaresRequestBody: input.declaresBody, requestBodySchema: input.bodySchema, requiredParameters: input.requiredParameters } : {}),
    azure: {
      ...(backend ? { backendUrl: backend.value } : api.serviceUrl !== undefined ? { backendUrl: api.serviceUrl } : {}),
      dropsInheritedPolicy: dropped,
      ipFilterAllowsAll: ipFilter?.value ?? false,
      products: [...products],
    },
  };
}

/**
 * One fact of an API over every chain of scopes of its operations, where it is decided: the first
 * chain that fails it decides; without one, the first chain where it is unknown; without either,
 * the first chain that satisfies it.
 */
class WorstOfChains<T> {
  private decided: DecidedIn<Maybe<T>> | undefined;

  constructor(private readonly fails: (value: T) => boolean) {}

  note(fact: DecidedIn<Maybe<T>>): void {
    if (!this.decided || this.rank(fact.value) > this.rank(this.decided.value)) this.decided = fact;
  }

  /** The deciding value, its location and the document it is in; undefined when no chain said anything. */
  get value(): DecidedIn<Maybe<T>> | undefined {
    return this.decided;
  }

  private rank(value: Maybe<T>): number {
    return value instanceof Unknown ? 1 : this.fails(value) ? 2 : 0;
  }
}

/**
 * What the operations of one API let in and out, gathered over every chain of scopes (with and
 * without each product): the API is restricted to some callers only when every chain of every
 * operation restricts them, it returns error details when one chain does, and it keeps the headers
 * any chain keeps. Each fact remembers the policy document that decides it, so that a fact decided
 * in a document several APIs share (the global policy, a product's, a fragment) is reported once
 * for that document (see {@link sharedDocumentOwner}).
 */
class ExposureFacts {
  private readonly restricted = new WorstOfChains<boolean>((restricted) => !restricted);
  private readonly errorDetails = new WorstOfChains<boolean>((returned) => returned);
  private readonly headersKept = new Set<string>();
  private headersUncertain: Unknown | undefined;
  private outbound: PolicyPlace | undefined;

  noteChain(inbound: EffectivePolicy, responses: readonly EffectivePolicy[], outbound: { readonly policy: EffectivePolicy; readonly place: PolicyPlace }, apiLocation: SourceLocation): void {
    const kept = disclosureHeadersKept(outbound.policy.items);
    if (kept instanceof Unknown) this.headersUncertain ??= kept;
    else for (const header of kept) this.headersKept.add(header);
    // Unknown because a part cannot be read (a linked global policy): that part is where it is decided.
    const unreadable = kept instanceof Unknown ? outbound.policy.items.find((item) => item.kind === 'unknown') : undefined;
    if (unreadable) this.outbound ??= { location: unreadable.location, document: unreadable.document };
    else if (kept instanceof Unknown || kept.length > 0) this.outbound ??= outbound.place;
    // No restriction in a chain: a finding about it points at the API.
    this.restricted.note(inboundRestriction(inbound.items) ?? { value: false, location: apiLocation });
    for (const section of responses) {
      const returned = errorDetailsReturned(section.items);
      if (returned) this.errorDetails.note(returned);
    }
  }

  /**
   * The gateway with the facts, where they are decided, and, for a fact decided in a shared
   * document, that document's owner (`ownerOf`) as the owner of the field.
   */
  applyTo(gateway: Gateway, apiLocation: SourceLocation, ownerOf: (document: PolicyDocument) => { id: string; owner: FieldOwner } | undefined): Gateway {
    const restricted = this.restricted.value;
    const errorDetails = this.errorDetails.value;
    const owners: Record<string, string> = { ...gateway.fieldOwners };
    const ownerEntities: Record<string, FieldOwner> = { ...gateway.fieldOwnerEntities };
    const own = (field: string, document: PolicyDocument | undefined): void => {
      const owner = document ? ownerOf(document) : undefined;
      if (!owner) return;
      owners[field] = owner.id;
      ownerEntities[owner.id] = owner.owner;
    };
    own('azure.inboundRestricted', restricted?.document);
    own('azure.errorDetailsReturned', errorDetails?.document);
    own('azure.disclosureHeadersKept', this.outbound?.document);
    return {
      ...gateway,
      fieldLocations: {
        ...gateway.fieldLocations,
        'azure.inboundRestricted': restricted?.location ?? apiLocation,
        ...(errorDetails ? { 'azure.errorDetailsReturned': errorDetails.location } : {}),
        ...(this.outbound ? { 'azure.disclosureHeadersKept': this.outbound.location } : {}),
      },
      ...(Object.keys(owners).length > 0 ? { fieldOwners: owners, fieldOwnerEntities: ownerEntities } : {}),
      azure: {
        ...gateway.azure!,
        inboundRestricted: restricted?.value ?? true,
        errorDetailsReturned: errorDetails?.value ?? false,
        disclosureHeadersKept: this.headersKept.size > 0 ? BACKEND_DISCLOSURE_HEADERS.filter((header) => this.headersKept.has(header)) : (this.headersUncertain ?? []),
      },
    };
  }
}

/** A place in the policies: where a setting is (or belongs), and the document it is in, if any. */
interface PolicyPlace {
  readonly location: SourceLocation;
  readonly document?: PolicyDocument;
}

/** Puts the finished gateway in the place of the draft the context holds (added before its routes). */
function replaceGateway(ctx: TerraformContext, draft: Gateway, finished: Gateway): void {
  const index = ctx.entities.indexOf(draft);
  if (index >= 0) ctx.entities[index] = finished;
}

/** Where a setting is missing: the scope that dropped `<base/>`, else the innermost policy, else the API. */
function missingSettingLocation(api: ApiDraft, effective: EffectivePolicy, chain: ReadonlyArray<PolicyDocument | undefined>, name: PolicySection = 'inbound'): SourceLocation {
  return missingSettingPlace(api, effective, chain, name).location;
}

/** {@link missingSettingLocation}, with the document that place is in (none for the API itself). */
function missingSettingPlace(api: ApiDraft, effective: EffectivePolicy, chain: ReadonlyArray<PolicyDocument | undefined>, name: PolicySection = 'inbound'): PolicyPlace {
  const dropped = effective.dropped[0];
  if (dropped) return { location: dropped.location, document: dropped.document };
  for (const document of [...chain].reverse()) {
    if (!document?.root) continue;
    const section = sectionOf(document, name);
    return { location: section ? document.at(section.start) : document.location, document };
  }
  return { location: api.resource.location };
}

const AUTH_STRENGTH: Readonly<Record<AuthKind, number>> = { none: 0, 'api-key': 1, 'subscription-key': 1, basic: 1, iam: 2, jwt: 2, lambda: 2, cognito: 2, oauth2: 2, mtls: 2 };

/** The weakest authentication over the chains; a definite `none` wins over an unknown. */
function weakestAuth(results: readonly ChainResult[]): LocatedAuth {
  let weakest: { readonly value: AuthKind; readonly location: LocatedAuth['location']; readonly related?: readonly RelatedLocation[] } | undefined;
  let uncertain: Located<Unknown> | undefined;
  for (const { auth } of results) {
    if (auth.value instanceof Unknown) uncertain ??= auth as Located<Unknown>;
    else if (!weakest || AUTH_STRENGTH[auth.value] < AUTH_STRENGTH[weakest.value]) weakest = { ...auth, value: auth.value };
  }
  if (weakest?.value === 'none') return weakest;
  return uncertain ?? weakest!;
}

/**
 * Where a missing validation belongs: the operation policy's inbound section when it has one (the
 * element goes there), else the operation, whose contract says what it takes.
 */
function missingValidationLocation(operation: OperationDraft, document: PolicyDocument | undefined): SourceLocation {
  const section = document?.root ? sectionOf(document, 'inbound') : undefined;
  return section && document ? document.at(section.start) : operation.location;
}

/** The cache over the chains: one whose key leaves the caller out wins, then an unknown one. */
function weakestCache(found: ReadonlyArray<ReturnType<typeof policyCache>>): ReturnType<typeof policyCache> {
  const present = found.filter((item) => item !== undefined);
  return (
    present.find((item) => !(item.value instanceof Unknown) && item.value.keyIncludesCaller === false) ??
    present.find((item) => item.value instanceof Unknown || item.value.keyIncludesCaller instanceof Unknown) ??
    present[0]
  );
}

/** The weakest validation over the chains: a chain without it wins, then one where it is unknown. */
function weakestValidation(found: ReadonlyArray<Located<Maybe<boolean>> | undefined>): Located<Maybe<boolean>> | undefined {
  const missing = found.find((item) => item === undefined || item.value === false);
  if (found.includes(undefined)) return undefined;
  return missing ?? found.find((item) => item!.value instanceof Unknown) ?? found[0];
}

/** The weakest rate limit over the chains: none if any chain has none, unknown if any is unknown. */
function weakestRateLimit(results: readonly ChainResult[]): Located<Maybe<RateLimit>> | undefined {
  let weakest: Located<RateLimit> | undefined;
  let uncertain: Located<Unknown> | undefined;
  for (const { rateLimit } of results) {
    if (!rateLimit) return undefined;
    if (rateLimit.value instanceof Unknown) uncertain ??= rateLimit as Located<Unknown>;
    else if (!weakest || (rateLimit.value.rateLimit as number) > (weakest.value.rateLimit as number)) weakest = rateLimit as Located<RateLimit>;
  }
  return uncertain ?? weakest;
}

/**
 * One CORS entity per `<cors>` element written in an inbound section, at its scope, whether or not an
 * operation in the input runs it: a global or product policy applies to APIs defined elsewhere too.
 * An API's or operation's belongs to that API; a global or product one to no single API, and is named
 * by its scope instead.
 */
function emitPolicyCors(ctx: TerraformContext, policies: ApimPolicies, apis: ReadonlyMap<string, ApiDraft>, routeKeys: ReadonlyMap<string, string>, services: ApimServices): void {
  const scoped: Array<[string, PolicyDocument]> = [...policies.global, ...policies.product, ...policies.api, ...policies.operation];
  for (const [key, document] of scoped) {
    const resource = policies.owners.get(document);
    if (!resource) continue;
    const serviceKey = key.split('|')[0]!;
    const api = document.scope === 'api' || document.scope === 'operation' ? apis.get(key.split('|').slice(0, 2).join('|')) : undefined;
    const routeKey = document.scope === 'operation' ? routeKeys.get(key) : undefined;
    // A global or product policy belongs to no API: the service's tags name who owns it (a policy has none).
    const serviceResource = api ? undefined : services.all().find((candidate) => candidate.key === serviceKey)?.resource;
    const serviceTags = serviceResource ? readTags(serviceResource.values.tags) : undefined;
    const owned = serviceTags ? { tags: serviceTags } : {};
    if (document.unknown) {
      // A policy that cannot be read may set CORS: the check is unknown, not passed.
      ctx.add({
        ...ctx.base('cors', resource, { id: ctx.idOf(`${resource.address}/cors`), parentId: api ? api.gateway.id : null, location: document.location }),
        ...owned,
        address: `${resource.address}/cors`,
        source: 'policy',
        allowOrigins: document.unknown,
        allowMethods: document.unknown,
        allowHeaders: document.unknown,
        allowCredentials: document.unknown,
        ...(routeKey !== undefined ? { routeKey } : {}),
        ...(api ? {} : { scope: document.label }),
      });
      continue;
    }
    const section = sectionOf(document, 'inbound');
    if (!section) continue;
    const items = childElements(section, 'cors').map((element) => ({ kind: 'element' as const, element, document }));
    policyCors(items, policies.namedValues.get(serviceKey) ?? new Map()).forEach((cors, index) => {
      const address = `${resource.address}/cors${index === 0 ? '' : `[${index}]`}`;
      ctx.add({
        ...ctx.base('cors', resource, {
          id: ctx.idOf(address),
          parentId: api ? api.gateway.id : null,
          location: document.at(cors.element.start),
          fieldLocations: { allowOrigins: cors.originsLocation, allowCredentials: document.at(cors.element.start) },
        }),
        ...owned,
        address,
        source: 'policy',
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        allowCredentials: cors.allowCredentials,
        ...(routeKey !== undefined ? { routeKey } : {}),
        ...(api ? {} : { scope: document.label }),
      });
    });
  }
}

/**
 * CORS of a global policy the config file supplies (`azure.apim.services.<name>.policy`): written
 * there, checked there, once per service, for the APIs of the scan that run it.
 */
function emitConfiguredCors(ctx: TerraformContext, configured: readonly ConfiguredGlobal[], policies: ApimPolicies, apis: readonly ApiDraft[]): void {
  for (const { service, serviceName, document } of configured) {
    const api = apis.find((candidate) => candidate.service.key === service.key);
    if (!api) continue;
    const section = document.root ? sectionOf(document, 'inbound') : undefined;
    if (!section) continue;
    const items = childElements(section, 'cors').map((element) => ({ kind: 'element' as const, element, document }));
    policyCors(items, policies.namedValues.get(service.key) ?? new Map()).forEach((cors, index) => {
      const address = `${document.address}/cors${index === 0 ? '' : `[${index}]`}`;
      const location = document.at(cors.element.start);
      ctx.add({
        kind: 'cors',
        id: ctx.idOf(address),
        provider: 'azure',
        origin: { format: api.resource.format, file: location.file },
        parentId: null,
        address,
        modulePath: '',
        location,
        fieldLocations: { allowOrigins: cors.originsLocation, allowCredentials: location },
        source: 'policy',
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        allowCredentials: cors.allowCredentials,
        scope: `the service ${serviceName} (global policy from ${location.file})`,
      });
    });
  }
}

/**
 * A product an API is added to, defined neither here nor with a policy here (the platform team's
 * product): its policy, which runs between the global and the API policy for its subscribers, is
 * read as absent. Said once per product, at the link, so that the assumption is visible.
 */
function reportProductElsewhere(ctx: TerraformContext, services: ApimServices, policies: ApimPolicies, link: ResourceView, service: ApimService, product: string, diagnostics: Diagnostic[]): void {
  if (policies.product.has(`${service.key}|${product}`)) return;
  const defined = ctx.ofType('azurerm_api_management_product').some((candidate) => services.of(candidate)?.key === service.key && nameOf(ctx, candidate.values.product_id, 'product_id') === product);
  if (defined) return;
  const message = `product ${product} of API Management service ${String(service.name)} is not in the scan, so neither is its policy; gatewarden reads it as having none (it applies to calls with the product's subscriptions). Scan the configuration that defines the product to have its policy checked`;
  if (diagnostics.some((diagnostic) => diagnostic.message === message)) return;
  diagnostics.push({ severity: 'warning', code: 'not-scanned', message, location: link.location, address: link.address });
}
