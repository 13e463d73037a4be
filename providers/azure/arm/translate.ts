import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ArmResource } from '../../../src/sources/arm/resources.js';
import type { ResourceView, ValueSource } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { TranslatedView, type FieldMap, type Path } from '../../shared/translate.js';

const SERVICE_TYPE = 'microsoft.apimanagement/service';
const SECURITY_PREFIX = 'microsoft.windowsazure.apimanagement.gateway.security.';

/**
 * What the translation reads of a resource: the ARM shape of one API Management object, as a template
 * declares it ({@link ArmResource}) or as Resource Manager returns it to a live audit (the same
 * `type`, name, `properties` envelope and top-level `sku`).
 */
export type ArmShapedResource = Pick<ArmResource, 'address' | 'type' | 'nameSegments' | 'properties' | 'body' | 'location' | 'unknownCondition'>;

/** Makes the azurerm-shaped view of one resource: how its fields are located depends on where it was read. */
export type ArmViewFactory<R extends ArmShapedResource> = (resource: R, type: string, values: ValueObject, fields: FieldMap) => ResourceView;

/** The name API Management gives the resource: the last segment of its ARM name. */
function nameOf(arm: ArmShapedResource): string {
  const last = arm.nameSegments[arm.nameSegments.length - 1];
  return typeof last === 'string' ? last : arm.address;
}

/** The resource's name as written in the template (`svc/orders`), or its address when a segment is unknown. */
function armName(arm: ArmResource): string {
  return arm.nameSegments.every((part) => typeof part === 'string') ? arm.nameSegments.join('/') : arm.address;
}

/** One azurerm-shaped view of a template's resource, for the one API Management adapter. */
function translatedView(arm: ArmResource, type: string, values: ValueObject, fields: FieldMap): ResourceView {
  return new TranslatedView({
    format: 'arm',
    type,
    address: arm.address,
    name: nameOf(arm),
    source: { type: arm.type, name: armName(arm) },
    modulePath: '',
    rootModule: arm.template.file,
    values,
    location: arm.location,
    fields,
    locateSource: (path) => arm.locate(path),
    locateUnmapped: () => arm.location,
    valueSource: (field, path, view) => valueSourceOf(arm, field, path, view),
  });
}

/** A value that is exactly `[parameters('x')]` is written where that parameter's value is. */
function valueSourceOf(arm: ArmResource, field: string, path: Path | undefined, view: ResourceView): ValueSource | undefined {
  if (!path) return undefined;
  const reference = arm.parameterReferences.find((candidate) => candidate.path.length === path.length && candidate.path.every((part, index) => part.toLowerCase() === String(path[index]).toLowerCase()));
  if (!reference) return undefined;
  const source = reference.parameter.source;
  switch (source.kind) {
    case 'default':
      return source.literal ? { kind: 'default', location: source.location } : { kind: 'input', location: view.locate([field]) };
    case 'file':
    case 'template':
      return { kind: 'tfvars', location: source.location };
    case 'command-line':
      return { kind: 'cli', location: view.locate([field]) };
    default:
      return { kind: 'input', location: view.locate([field]) };
  }
}

/** The last segments of a resource's type after `Microsoft.ApiManagement/service`, lower case (`apis/operations`). */
function childType(resource: ArmShapedResource): string | undefined {
  const type = resource.type.toLowerCase();
  if (type === SERVICE_TYPE) return '';
  return type.startsWith(`${SERVICE_TYPE}/`) ? type.slice(SERVICE_TYPE.length + 1) : undefined;
}

/**
 * A name segment. API revisions are named `orders;rev=2`: a revision that is the current one is the
 * API `orders` (policies name it so); one that says it is not current (`isCurrent: false`, as
 * Resource Manager says of every other revision) is served apart at `orders;rev=2` and keeps its name.
 */
function segmentOf(resource: ArmShapedResource, index: number, revisions: ReadonlySet<string> = new Set()): Value {
  const value = resource.nameSegments[index];
  if (value === undefined) return new Unknown(`${resource.address} has no name segment ${index + 1}`);
  if (typeof value !== 'string') return value;
  return index === 1 && revisions.has(`${String(resource.nameSegments[0])}/${value}`.toLowerCase()) ? value : value.replace(/;rev=.*$/, '');
}

/** The non-current API revisions (`service/orders;rev=2`, lower case): those that say `isCurrent: false`. */
function nonCurrentRevisions(resources: readonly ArmShapedResource[]): Set<string> {
  const found = new Set<string>();
  for (const arm of resources) {
    const name = arm.nameSegments[1];
    if (childType(arm) !== 'apis' || typeof name !== 'string' || !name.includes(';rev=') || arm.properties.isCurrent !== false) continue;
    found.add(`${String(arm.nameSegments[0])}/${name}`.toLowerCase());
  }
  return found;
}

function object(value: Value | undefined): ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) ? (value as ValueObject) : {};
}

/**
 * The property a live audit adds to a service it read: whether the instance's default gateway
 * hostname (`<name>.azure-api.net`), which it leaves out of `hostnameConfigurations` (it is no custom
 * domain), negotiates client certificates. Templates have no such property: one that configures the
 * default hostname lists it among the hostnames.
 */
export const DEFAULT_HOSTNAME_NEGOTIATES = 'gatewardenDefaultHostnameNegotiatesClientCertificate';

/** ARM writes flags as "True"/"False" strings in customProperties. */
function flag(value: Value | undefined): Value | undefined {
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

/** A policy's `format` and `value` as azurerm's `xml_content` or `xml_link`. */
function policyValues(properties: ValueObject): ValueObject {
  const format = typeof properties.format === 'string' ? properties.format.toLowerCase() : 'xml';
  return format.endsWith('-link') ? { xml_link: properties.value ?? null } : { xml_content: properties.value ?? null };
}

/** A non-current revision is served at its API's path with `;rev=N` (`orders;rev=2/...`). */
function revisionPath(arm: ArmShapedResource, path: Value, revisions: ReadonlySet<string>): Value {
  const name = arm.nameSegments[1];
  if (typeof path !== 'string' || typeof name !== 'string' || !revisions.has(`${String(arm.nameSegments[0])}/${name}`.toLowerCase())) return path;
  return `${path.replace(/\/+$/, '')};rev=${name.slice(name.indexOf(';rev=') + ';rev='.length)}`;
}

const POLICY_PATHS: FieldMap = { xml_content: ['properties', 'value'], xml_link: ['properties', 'value'] };

/** A diagnostic's request or response settings (`frontend.request`...) as an azurerm block. */
function messageBlock(settings: Value | undefined): ValueObject[] | undefined {
  const message = object(settings);
  if (Object.keys(message).length === 0) return undefined;
  const masking = object(message.dataMasking);
  return [
    {
      ...(object(message.body).bytes !== undefined ? { body_bytes: object(message.body).bytes ?? null } : {}),
      ...(message.headers !== undefined ? { headers_to_log: message.headers } : {}),
      ...(Array.isArray(masking.headers) ? { data_masking: [{ headers: masking.headers.map((entry) => ({ mode: object(entry).mode ?? null, value: object(entry).value ?? null })) }] } : {}),
    },
  ];
}

/** An API Management diagnostic (service-wide or of one API) in azurerm's shape, and where its fields are. */
function diagnosticValues(p: ValueObject): { values: ValueObject; fields: FieldMap } {
  const sampling = object(p.sampling);
  const values: ValueObject = {
    api_management_logger_id: p.loggerId ?? null,
    ...(sampling.percentage !== undefined ? { sampling_percentage: sampling.percentage } : {}),
  };
  const fields: Record<string, FieldMap[string]> = { api_management_logger_id: ['properties', 'loggerId'], sampling_percentage: ['properties', 'sampling', 'percentage'] };
  for (const side of ['frontend', 'backend'] as const) {
    for (const message of ['request', 'response'] as const) {
      const block = messageBlock(object(object(p[side])[message]));
      if (!block) continue;
      values[`${side}_${message}`] = block;
      // [0, 'body_bytes'] in azurerm is body.bytes in ARM; [0, 'headers_to_log'] is headers.
      fields[`${side}_${message}`] = (rest) => {
        const field = rest[1];
        return ['properties', side, message, ...(field === 'body_bytes' ? ['body', 'bytes'] : field === 'headers_to_log' ? ['headers'] : [])];
      };
    }
  }
  return { values, fields };
}

/** The enabled log categories of an Azure Monitor diagnostic setting, as azurerm's `enabled_log` blocks. */
function enabledLogs(p: ValueObject): ValueObject[] | Unknown {
  if (p.logs instanceof Unknown) return p.logs;
  const logs = Array.isArray(p.logs) ? p.logs.map(object) : [];
  return logs.filter((log) => log.enabled !== false).map((log) => ({ category: log.category ?? null, category_group: log.categoryGroup ?? null }));
}

/**
 * Translates ARM resources of API Management (`Microsoft.ApiManagement/service` and its children,
 * nested or top-level) into the azurerm shapes the adapter reads: the same objects under the names
 * Terraform gives them. Security settings written as `customProperties` become the `security` flags.
 */
export function translateArmResources(resources: readonly ArmResource[]): { resources: ResourceView[]; diagnostics: Diagnostic[] } {
  return translateArmShaped(resources, translatedView);
}

/**
 * {@link translateArmResources} for resources of any origin in the ARM shape: a live audit reads the
 * same objects from Resource Manager and gives them here, so that both get one interpretation.
 * `view` makes each translated view (and so decides how its fields are located).
 */
export function translateArmShaped<R extends ArmShapedResource>(resources: readonly R[], view: ArmViewFactory<R>): { resources: ResourceView[]; diagnostics: Diagnostic[] } {
  const out: ResourceView[] = [];
  const diagnostics = new Set<Diagnostic>();
  const add = (arm: R, type: string, values: ValueObject, paths: FieldMap): void => {
    out.push(view(arm, type, values, paths));
    if (arm.unknownCondition) diagnostics.add(arm.unknownCondition);
  };
  const revisions = nonCurrentRevisions(resources);
  const segment = (arm: R, index: number): Value => segmentOf(arm, index, revisions);
  for (const arm of resources) {
    // A diagnostic setting written with `scope` names its service there: it sends that service's logs.
    const scope = arm.type.toLowerCase() === 'microsoft.insights/diagnosticsettings' && typeof arm.body.scope === 'string' ? /microsoft\.apimanagement\/service\/([^/]+)\/?$/i.exec(arm.body.scope) : null;
    if (scope) {
      add(arm, 'azurerm_monitor_diagnostic_setting', { api_management_name: scope[1] ?? null, enabled_log: enabledLogs(arm.properties) }, { enabled_log: ['properties', 'logs'] });
      continue;
    }
    const kind = childType(arm);
    if (kind === undefined) continue;
    const p = arm.properties;
    const service = segment(arm, 0);
    const inService = { api_management_name: service };
    switch (kind) {
      case '': {
        const sku = object(arm.body.sku);
        const custom = object(p.customProperties);
        const security: ValueObject = {};
        for (const [key, value] of Object.entries(custom)) {
          const name = key.toLowerCase();
          if (!name.startsWith(SECURITY_PREFIX)) continue;
          const setting = name.slice(SECURITY_PREFIX.length);
          const protocol = /^(backend\.)?protocols\.(ssl30|tls10|tls11)$/.exec(setting);
          if (protocol) security[`${protocol[1] ? 'backend' : 'frontend'}_${protocol[2]}_enabled`] = flag(value) ?? null;
          else if (setting === 'ciphers.tripledes168') security.triple_des_ciphers_enabled = flag(value) ?? null;
          else if (setting.startsWith('ciphers.tls_')) security[`${setting.slice('ciphers.'.length).replace(/aes_(\d+)/g, 'aes$1')}_ciphers_enabled`] = flag(value) ?? null;
        }
        const hostnames = (Array.isArray(p.hostnameConfigurations) ? p.hostnameConfigurations : []).map(object);
        // Only the Proxy entries are gateway domains; each keeps its index in the ARM array for locations.
        const proxyIndexes = hostnames.flatMap((entry, index) => (typeof entry.type === 'string' && entry.type.toLowerCase() === 'proxy' ? [index] : []));
        const proxies = proxyIndexes.map((index) => ({ host_name: hostnames[index]!.hostName ?? null, negotiate_client_certificate: hostnames[index]!.negotiateClientCertificate ?? false }));
        const hostnamePath = (rest: Path): Path => {
          // [0, 'proxy', i, attribute] in Terraform is [index of the i-th proxy, Attribute] in ARM.
          const [, , proxy, attribute] = rest;
          const index = typeof proxy === 'number' ? proxyIndexes[proxy] : undefined;
          if (index === undefined) return ['properties', 'hostnameConfigurations'];
          const field = attribute === 'negotiate_client_certificate' ? 'negotiateClientCertificate' : attribute === 'host_name' ? 'hostName' : undefined;
          return ['properties', 'hostnameConfigurations', index, ...(field ? [field] : [])];
        };
        const access = p.publicNetworkAccess;
        add(
          arm,
          'azurerm_api_management',
          {
            name: service,
            sku_name: typeof sku.name === 'string' ? `${sku.name}_${typeof sku.capacity === 'number' ? sku.capacity : 1}` : (sku.name ?? null),
            ...(access !== undefined ? { public_network_access_enabled: typeof access === 'string' ? access.toLowerCase() === 'enabled' : access } : {}),
            ...(p.virtualNetworkType !== undefined ? { virtual_network_type: p.virtualNetworkType } : {}),
            ...(p.enableClientCertificate !== undefined ? { client_certificate_enabled: p.enableClientCertificate } : {}),
            // A live instance's default hostname is no custom domain, but it may negotiate client certificates.
            ...(p[DEFAULT_HOSTNAME_NEGOTIATES] !== undefined ? { default_hostname_negotiates_client_certificate: p[DEFAULT_HOSTNAME_NEGOTIATES] } : {}),
            security: [security],
            ...(proxies.length > 0 ? { hostname_configuration: [{ proxy: proxies }] } : {}),
            ...(typeof object(arm.body.identity).type === 'string' ? { identity: [{ type: object(arm.body.identity).type ?? null }] } : {}),
            // The service's resource tags (ARM templates and what Azure returns): owners are read from them.
            ...(arm.body.tags !== undefined ? { tags: arm.body.tags } : {}),
          },
          { name: ['name'], sku_name: ['sku'], security: ['properties', 'customProperties'], hostname_configuration: hostnamePath, public_network_access_enabled: ['properties', 'publicNetworkAccess'], virtual_network_type: ['properties', 'virtualNetworkType'], client_certificate_enabled: ['properties', 'enableClientCertificate'], default_hostname_negotiates_client_certificate: ['properties', 'hostnameConfigurations'] },
        );
        break;
      }
      case 'policies':
        add(arm, 'azurerm_api_management_policy', { ...inService, ...policyValues(p) }, POLICY_PATHS);
        break;
      case 'apis': {
        const values: ValueObject = {
          ...inService,
          name: segment(arm, 1),
          ...(p.displayName !== undefined ? { display_name: p.displayName } : {}),
          ...(p.path !== undefined ? { path: revisionPath(arm, p.path, revisions) } : {}),
          ...(p.protocols !== undefined ? { protocols: p.protocols } : {}),
          ...(p.serviceUrl !== undefined ? { service_url: p.serviceUrl } : {}),
          ...(p.subscriptionRequired !== undefined ? { subscription_required: p.subscriptionRequired } : {}),
          ...(p.type !== undefined ? { api_type: p.type } : {}),
          ...(typeof p.format === 'string' && p.value !== undefined ? { import: [{ content_format: p.format, content_value: p.value }] } : {}),
        };
        add(arm, 'azurerm_api_management_api', values, {
          name: ['name'],
          display_name: ['properties', 'displayName'],
          path: ['properties', 'path'],
          protocols: ['properties', 'protocols'],
          service_url: ['properties', 'serviceUrl'],
          subscription_required: ['properties', 'subscriptionRequired'],
          import: ['properties', 'value'],
        });
        break;
      }
      case 'apis/operations':
        add(
          arm,
          'azurerm_api_management_api_operation',
          { ...inService, api_name: segment(arm, 1), operation_id: segment(arm, 2), method: p.method ?? null, url_template: p.urlTemplate ?? null, display_name: p.displayName ?? null, ...(p.request !== undefined ? { request: armRequest(p.request) } : {}) },
          { operation_id: ['name'], method: ['properties', 'method'], url_template: ['properties', 'urlTemplate'], request: ['properties', 'request'] },
        );
        break;
      case 'apis/policies':
        add(arm, 'azurerm_api_management_api_policy', { ...inService, api_name: segment(arm, 1), ...policyValues(p) }, POLICY_PATHS);
        break;
      case 'apis/operations/policies':
        add(arm, 'azurerm_api_management_api_operation_policy', { ...inService, api_name: segment(arm, 1), operation_id: segment(arm, 2), ...policyValues(p) }, POLICY_PATHS);
        break;
      case 'products':
        add(
          arm,
          'azurerm_api_management_product',
          { ...inService, product_id: segment(arm, 1), display_name: p.displayName ?? null, subscription_required: p.subscriptionRequired ?? true, published: typeof p.state === 'string' ? p.state.toLowerCase() === 'published' : false },
          { product_id: ['name'], subscription_required: ['properties', 'subscriptionRequired'] },
        );
        break;
      case 'products/apis': {
        add(arm, 'azurerm_api_management_product_api', { ...inService, product_id: segment(arm, 1), api_name: segment(arm, 2) }, {});
        // A product holds an API with all its revisions: a non-current one is reached through it too.
        const api = arm.nameSegments[2];
        for (const revision of revisions) {
          if (typeof api !== 'string' || !revision.startsWith(`${String(arm.nameSegments[0])}/${api};rev=`.toLowerCase())) continue;
          const original = resources.find((each) => childType(each) === 'apis' && `${String(each.nameSegments[0])}/${String(each.nameSegments[1])}`.toLowerCase() === revision);
          add(arm, 'azurerm_api_management_product_api', { ...inService, product_id: segment(arm, 1), api_name: original?.nameSegments[1] ?? revision.slice(revision.indexOf('/') + 1) }, {});
        }
        break;
      }
      case 'products/policies':
        add(arm, 'azurerm_api_management_product_policy', { ...inService, product_id: segment(arm, 1), ...policyValues(p) }, POLICY_PATHS);
        break;
      case 'subscriptions':
        add(
          arm,
          'azurerm_api_management_subscription',
          {
            ...inService,
            display_name: p.displayName ?? segment(arm, 1),
            // Without a state, API Management creates a subscription as submitted (awaiting approval).
            state: p.state ?? 'submitted',
            ...(p.primaryKey !== undefined ? { primary_key: p.primaryKey } : {}),
            ...(p.secondaryKey !== undefined ? { secondary_key: p.secondaryKey } : {}),
          },
          { display_name: ['properties', 'displayName'], state: ['properties', 'state'], primary_key: ['properties', 'primaryKey'], secondary_key: ['properties', 'secondaryKey'] },
        );
        break;
      case 'namedvalues':
      case 'properties': {
        const keyVault = object(p.keyVault);
        add(
          arm,
          'azurerm_api_management_named_value',
          {
            ...inService,
            name: segment(arm, 1),
            display_name: p.displayName ?? segment(arm, 1),
            secret: p.secret ?? false,
            ...(p.value !== undefined ? { value: p.value } : {}),
            ...(Object.keys(keyVault).length > 0 ? { value_from_key_vault: [{ secret_id: keyVault.secretIdentifier ?? null }] } : {}),
          },
          { value: ['properties', 'value'], value_from_key_vault: ['properties', 'keyVault'], secret: ['properties', 'secret'] },
        );
        break;
      }
      case 'diagnostics': {
        const { values, fields } = diagnosticValues(p);
        add(arm, 'azurerm_api_management_diagnostic', { ...inService, identifier: segment(arm, 1), ...values }, { identifier: ['name'], ...fields });
        break;
      }
      case 'apis/diagnostics': {
        const { values, fields } = diagnosticValues(p);
        add(arm, 'azurerm_api_management_api_diagnostic', { ...inService, api_name: segment(arm, 1), identifier: segment(arm, 2), ...values }, { identifier: ['name'], ...fields });
        break;
      }
      // A diagnostic setting nested in the service (`providers/diagnosticSettings`, named
      // `apim/Microsoft.Insights/name`), or read from Azure Monitor by a live audit.
      case 'providers/diagnosticsettings':
        add(arm, 'azurerm_monitor_diagnostic_setting', { ...inService, enabled_log: enabledLogs(p) }, { enabled_log: ['properties', 'logs'] });
        break;
      case 'policyfragments':
        add(arm, 'azurerm_api_management_policy_fragment', { ...inService, name: segment(arm, 1), value: p.value ?? null, format: p.format ?? 'xml' }, { value: ['properties', 'value'] });
        break;
      case 'backends': {
        // credentials: { header: { name: [values] }, query: {...}, authorization: { scheme, parameter } }.
        const credentials = object(p.credentials);
        const authorization = object(credentials.authorization);
        const tls = object(p.tls);
        const translated: ValueObject | undefined =
          Object.keys(credentials).length === 0
            ? undefined
            : { header: credentials.header ?? null, query: credentials.query ?? null, authorization: Object.keys(authorization).length > 0 ? [authorization] : [] };
        add(
          arm,
          'azurerm_api_management_backend',
          {
            ...inService,
            name: segment(arm, 1),
            url: p.url ?? null,
            protocol: p.protocol ?? null,
            ...(translated ? { credentials: [translated] } : {}),
            ...(Object.keys(tls).length > 0 ? { tls: [{ validate_certificate_chain: tls.validateCertificateChain ?? null, validate_certificate_name: tls.validateCertificateName ?? null }] } : {}),
          },
          { url: ['properties', 'url'], credentials: () => ['properties', 'credentials'], tls: () => ['properties', 'tls'] },
        );
        break;
      }
      case 'gateways': {
        const where = object(p.locationData);
        add(arm, 'azurerm_api_management_gateway', { ...inService, name: segment(arm, 1), description: p.description ?? null, location_data: [{ name: where.name ?? null }] }, { location_data: ['properties', 'locationData'] });
        break;
      }
      case 'authorizationservers':
        add(arm, 'azurerm_api_management_authorization_server', { ...inService, name: segment(arm, 1), display_name: p.displayName ?? null }, {});
        break;
      case 'openidconnectproviders':
        add(arm, 'azurerm_api_management_openid_connect_provider', { ...inService, name: segment(arm, 1), display_name: p.displayName ?? null }, {});
        break;
      default:
        break;
    }
  }
  return { resources: out, diagnostics: [...diagnostics] };
}

/**
 * An operation's request contract (`properties.request`: representations, queryParameters, headers)
 * in the shape of azurerm's `request` block, which the operation reader understands. An unresolved
 * expression stays unknown.
 */
function armRequest(request: Value): Value {
  if (request instanceof Unknown || request === null || typeof request !== 'object' || Array.isArray(request)) return request instanceof Unknown ? request : null;
  const list = (value: Value | undefined, map: (item: ValueObject) => ValueObject): Value => {
    if (value instanceof Unknown) return value;
    return Array.isArray(value) ? value.filter((item): item is ValueObject => typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Unknown)).map(map) : [];
  };
  const r = request as ValueObject;
  const parameter = (item: ValueObject): ValueObject => ({ name: item.name ?? null, required: item.required ?? null, type: item.type ?? null });
  return [
    {
      representation: list(r.representations, (item) => ({ content_type: item.contentType ?? null, schema_id: item.schemaId ?? null, type_name: item.typeName ?? null })),
      query_parameter: list(r.queryParameters, parameter),
      header: list(r.headers, parameter),
    },
  ];
}
