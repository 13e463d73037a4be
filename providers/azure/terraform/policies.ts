import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readString } from '../../shared/values.js';
import { readPolicyDocument, type PolicyDocument, type PolicyScope, type PolicyText } from '../policy/document.js';
import type { NamedValues } from '../policy/semantics.js';
import type { ApimServices } from './services.js';

/** Every policy document of the input, by scope, with the named values and fragments they use. */
export interface ApimPolicies {
  /** By service key. */
  readonly global: ReadonlyMap<string, PolicyDocument>;
  /** By `service|product id`. */
  readonly product: ReadonlyMap<string, PolicyDocument>;
  /** By `service|api name`. */
  readonly api: ReadonlyMap<string, PolicyDocument>;
  /** By `service|api name|operation id`. */
  readonly operation: ReadonlyMap<string, PolicyDocument>;
  /** Policy fragments, by service key then fragment name. */
  readonly fragments: ReadonlyMap<string, ReadonlyMap<string, PolicyDocument>>;
  /** Named values, by service key then display name (what `{{...}}` refers to). */
  readonly namedValues: ReadonlyMap<string, NamedValues>;
  /** The resource that declares each document. */
  readonly owners: ReadonlyMap<PolicyDocument, ResourceView>;
  /** Backend URLs, by service key then backend name (what `set-backend-service backend-id` names). */
  readonly backends: ReadonlyMap<string, ReadonlyMap<string, Maybe<string>>>;
  /** Where each backend's URL is written, keyed like {@link backends}. */
  readonly backendUrlLocations: ReadonlyMap<string, ReadonlyMap<string, SourceLocation>>;
}

/**
 * The name a child resource gives another resource by (`api_name = azurerm_api_management_api.x.name`):
 * usually resolved to the name itself; otherwise the referenced resource's own attribute.
 */
export function nameOf(ctx: TerraformContext, value: Value | undefined, attribute = 'name'): Maybe<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const target = ctx.target(value);
  if (target) return readString(target.values[attribute]);
  return readString(value);
}

/** A policy resource's text: `xml_content` (a heredoc, a string, `file()`), or `xml_link`. */
export function policyText(resource: ResourceView, contentAttribute = 'xml_content', linkAttribute = 'xml_link'): PolicyText {
  const link = resource.values[linkAttribute];
  const content = resource.values[contentAttribute];
  const location = resource.locate([content !== undefined && content !== null ? contentAttribute : linkAttribute]);
  if (link !== undefined && link !== null && (content === undefined || content === null)) return { link: readString(link) ?? new Unknown('xml_link is not a string'), location };
  const xml = content === undefined || content === null ? undefined : typeof content === 'string' ? content : content instanceof Unknown ? content : new Unknown(`${contentAttribute} is not a string`);
  return { ...(xml !== undefined ? { xml } : {}), location, lines: resource.textLines(contentAttribute) };
}

/** Reads every policy, fragment and named value of the input. */
export function collectPolicies(ctx: TerraformContext, services: ApimServices, diagnostics: Diagnostic[]): ApimPolicies {
  const owners = new Map<PolicyDocument, ResourceView>();
  const read = (scope: PolicyScope, label: string, resource: ResourceView, text: PolicyText = policyText(resource)): PolicyDocument => {
    const { document, diagnostics: problems } = readPolicyDocument(scope, label, text, resource.address);
    diagnostics.push(...problems);
    owners.set(document, resource);
    return document;
  };
  const global = new Map<string, PolicyDocument>();
  for (const resource of ctx.ofType('azurerm_api_management_policy')) {
    const service = services.of(resource);
    if (service) global.set(service.key, read('global', `the service ${String(service.name)}`, resource));
  }
  const product = new Map<string, PolicyDocument>();
  for (const resource of ctx.ofType('azurerm_api_management_product_policy')) {
    const service = services.of(resource);
    const id = nameOf(ctx, resource.values.product_id, 'product_id');
    if (service && typeof id === 'string') product.set(`${service.key}|${id}`, read('product', `product ${id}`, resource));
  }
  const api = new Map<string, PolicyDocument>();
  for (const resource of ctx.ofType('azurerm_api_management_api_policy')) {
    const service = services.of(resource);
    const name = nameOf(ctx, resource.values.api_name);
    if (service && typeof name === 'string') api.set(`${service.key}|${name}`, read('api', `API ${name}`, resource));
  }
  const operation = new Map<string, PolicyDocument>();
  for (const resource of ctx.ofType('azurerm_api_management_api_operation_policy')) {
    const service = services.of(resource);
    const name = nameOf(ctx, resource.values.api_name);
    const id = nameOf(ctx, resource.values.operation_id, 'operation_id');
    if (service && typeof name === 'string' && typeof id === 'string') operation.set(`${service.key}|${name}|${id}`, read('operation', `operation ${id} of API ${name}`, resource));
  }
  const fragments = new Map<string, Map<string, PolicyDocument>>();
  for (const resource of ctx.ofType('azurerm_api_management_policy_fragment')) {
    const service = services.of(resource);
    const name = readString(resource.values.name);
    if (!service || typeof name !== 'string') continue;
    const byName = fragments.get(service.key) ?? new Map<string, PolicyDocument>();
    byName.set(name, read('operation', `fragment ${name}`, resource, policyText(resource, 'value', 'value_link')));
    fragments.set(service.key, byName);
  }
  const namedValues = new Map<string, Map<string, Maybe<string>>>();
  for (const resource of ctx.ofType('azurerm_api_management_named_value')) {
    const service = services.of(resource);
    if (!service) continue;
    const values = resource.values;
    const byName = namedValues.get(service.key) ?? new Map<string, Maybe<string>>();
    const value: Maybe<string> =
      values.value_from_key_vault !== undefined && values.value_from_key_vault !== null && !(Array.isArray(values.value_from_key_vault) && values.value_from_key_vault.length === 0)
        ? new Unknown('read from Key Vault at deployment')
        : (readString(values.value) ?? new Unknown('the named value has no value'));
    // Policies refer to named values by display name; it defaults to the name.
    for (const key of new Set([readString(values.display_name), readString(values.name)])) if (typeof key === 'string') byName.set(key, value);
    namedValues.set(service.key, byName);
  }
  const backends = new Map<string, Map<string, Maybe<string>>>();
  const backendUrlLocations = new Map<string, Map<string, SourceLocation>>();
  for (const resource of ctx.ofType('azurerm_api_management_backend')) {
    const service = services.of(resource);
    const name = readString(resource.values.name);
    if (!service || typeof name !== 'string') continue;
    const byName = backends.get(service.key) ?? new Map<string, Maybe<string>>();
    byName.set(name, readString(resource.values.url) ?? new Unknown(`backend ${name} has no url`));
    backends.set(service.key, byName);
    const locations = backendUrlLocations.get(service.key) ?? new Map<string, SourceLocation>();
    locations.set(name, resource.locate(['url']));
    backendUrlLocations.set(service.key, locations);
  }
  return { global, product, api, operation, fragments, namedValues, owners, backends, backendUrlLocations };
}
