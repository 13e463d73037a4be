import type { Origin, SourceLocation } from '../../../src/model/location.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { TranslatedView } from '../../shared/translate.js';
import type { RawProject } from './raw.js';

/** Drops undefined fields, so that absent settings stay absent for the adapter. */
function defined(values: Record<string, Value | undefined>): ValueObject {
  const out: ValueObject = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

/** The last segment of a resource name (`projects/p/locations/global/apis/orders` -> `orders`). */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The location segment of a resource name (`projects/p/locations/us-central1/gateways/g` -> `us-central1`). */
function locationOf(name: string): string {
  return /\/locations\/([^/]+)/.exec(name)?.[1] ?? 'global';
}

/** A JSON value from the API (API key restrictions) as a view value: plain data only. */
function plain(value: unknown): Value | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => plain(item) ?? null);
  if (typeof value === 'object') return defined(Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, plain(item)])));
  return undefined;
}

/** Wire field names of an API key's restrictions, in the Terraform shape of `google_apikeys_key`. */
function keyRestrictions(restrictions: Readonly<Record<string, unknown>> | undefined): ValueObject[] | undefined {
  if (restrictions === undefined) return undefined;
  const block = (value: unknown, fields: Record<string, string>): ValueObject[] | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    const source = value as Record<string, unknown>;
    return [defined(Object.fromEntries(Object.entries(fields).map(([to, from]) => [to, plain(source[from])])))];
  };
  const targets = Array.isArray(restrictions.apiTargets) ? restrictions.apiTargets : undefined;
  return [
    defined({
      api_targets: targets?.map((target) => defined({ service: plain((target as Record<string, unknown>).service), methods: plain((target as Record<string, unknown>).methods) })),
      browser_key_restrictions: block(restrictions.browserKeyRestrictions, { allowed_referrers: 'allowedReferrers' }),
      server_key_restrictions: block(restrictions.serverKeyRestrictions, { allowed_ips: 'allowedIps' }),
      android_key_restrictions: block(restrictions.androidKeyRestrictions, { allowed_applications: 'allowedApplications' }),
      ios_key_restrictions: block(restrictions.iosKeyRestrictions, { allowed_bundle_ids: 'allowedBundleIds' }),
    }),
  ];
}

/**
 * Turns one project's API Gateway APIs, configs and gateways, Cloud Endpoints services and API keys
 * into the Terraform shapes of the same objects (`google_api_gateway_api`, `_api_config`,
 * `_gateway`, `google_endpoints_service`, `google_apikeys_key`), for the one GCP adapter: the
 * deployed OpenAPI documents are read exactly as a scan reads them. Each view is named by its
 * resource name, which is what findings point at, with a console link. Links resolve by value: a
 * config's `api` is the API's name, a gateway's `api_config` the config's. Pure.
 */
export function translateLiveProject(raw: RawProject): ResourceView[] {
  const { project } = raw;
  const out: ResourceView[] = [];
  const add = (type: string, address: string, name: string, values: ValueObject, url: string): void => {
    const origin: Origin = { format: 'live', account: project, region: locationOf(address) };
    const location: SourceLocation = { file: address, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, url };
    out.push(
      new TranslatedView({
        format: 'live',
        type,
        address,
        name,
        source: { type, name: address },
        modulePath: '',
        rootModule: project,
        values,
        location,
        origin,
        fields: {},
        locateSource: () => location,
      }),
    );
  };
  const console = 'https://console.cloud.google.com';
  const query = `?project=${encodeURIComponent(project)}`;
  for (const api of raw.apis) {
    const apiId = lastSegment(api.name);
    add('google_api_gateway_api', api.name, apiId, defined({ id: api.name, name: api.name, api_id: apiId, project, display_name: api.displayName, managed_service: api.managedService, labels: api.labels }), `${console}/api-gateway/api/${apiId}${query}`);
    for (const config of api.configs) {
      // A config whose documents could not be read has a problem saying so; an empty one would read as "no operations".
      if (!config.read) continue;
      const configId = lastSegment(config.name);
      add(
        'google_api_gateway_api_config',
        config.name,
        configId,
        defined({
          id: config.name,
          name: config.name,
          api: api.name,
          api_config_id: configId,
          project,
          display_name: config.displayName,
          labels: config.labels,
          openapi_documents: config.documents.map((document) => ({ document: [{ path: document.path, contents: document.contents }] })),
          grpc_services: config.grpcServices > 0 ? Array.from({ length: config.grpcServices }, () => ({})) : undefined,
          // Live only (Terraform has no such attribute): the compiled service config of a gRPC config.
          managed_service_config: config.serviceConfig !== undefined ? plain(config.serviceConfig) : undefined,
        }),
        `${console}/api-gateway/api/${apiId}/config/${configId}${query}`,
      );
    }
  }
  for (const gateway of raw.gateways) {
    const gatewayId = lastSegment(gateway.name);
    const region = locationOf(gateway.name);
    add('google_api_gateway_gateway', gateway.name, gatewayId, defined({ id: gateway.name, name: gateway.name, gateway_id: gatewayId, api_config: gateway.apiConfig, region, project, display_name: gateway.displayName, default_hostname: gateway.defaultHostname, labels: gateway.labels }), `${console}/api-gateway/gateway/${gatewayId}${query}&location=${region}`);
  }
  for (const service of raw.endpoints) {
    if (!service.read) continue;
    const openapi = service.openapi[0];
    add(
      'google_endpoints_service',
      `services/${service.name}`,
      service.name,
      defined({
        id: service.name,
        service_name: service.name,
        project,
        config_id: service.configId,
        openapi_config: openapi?.text,
        // Live only (Terraform has no such attribute): the compiled config of a gRPC service, read as an
        // API Gateway gRPC config's is. Without it a gRPC service is named as such, and not checked.
        managed_service_config: service.serviceConfig !== undefined ? plain(service.serviceConfig) : undefined,
        grpc_config: service.grpc && service.serviceConfig === undefined ? 'a gRPC service definition' : undefined,
      }),
      `${console}/endpoints/api/${encodeURIComponent(service.name)}/overview${query}`,
    );
  }
  for (const key of raw.keys) {
    const keyId = lastSegment(key.name);
    add('google_apikeys_key', key.name, keyId, defined({ id: key.name, name: keyId, project, display_name: key.displayName, uid: key.uid, create_time: key.createTime, restrictions: keyRestrictions(key.restrictions) }), `${console}/apis/credentials/key/${encodeURIComponent(key.uid ?? keyId)}${query}`);
  }
  return out;
}
