import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { ApiKey, Entity, Gateway, GcpApiKeyDetails, GcpKeyApplicationRestriction } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readCreatedAt, readString, readTags } from '../../shared/values.js';
import { googleAuthorizers, googleRoutes, specDiagnostics } from '../entities.js';
import { readGoogleOpenApi } from '../openapi.js';
import { readAttributeSpec } from '../spec.js';
import { readGrpcService } from './grpc.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { pushAll } from '../../../src/arrays.js';

/** The Terraform resource types this adapter reads. */
export function isGcpGatewayResourceType(type: string): boolean {
  return type.startsWith('google_api_gateway_') || type === 'google_endpoints_service' || type === 'google_apikeys_key';
}

/** The application restriction blocks of `google_apikeys_key.restrictions`, by the model's name. */
const APPLICATION_RESTRICTIONS = [
  ['browser_key_restrictions', 'browser'],
  ['server_key_restrictions', 'server'],
  ['android_key_restrictions', 'android'],
  ['ios_key_restrictions', 'ios'],
] as const;

/**
 * A GCP API key's restrictions: the services it may call (`api_targets`) and the one kind of
 * application that may use it. Google generates every key (`google_apikeys_key` has no settable
 * key string), so no key value is ever in the configuration.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/apikeys_key
 * @see https://cloud.google.com/docs/authentication/api-keys#api_key_restrictions
 */
function keyRestrictions(key: ResourceView): GcpApiKeyDetails {
  const restrictions = readBlocks(key.values.restrictions);
  if (restrictions instanceof Unknown) return { apiTargets: restrictions, applicationRestriction: restrictions };
  const block = restrictions[0] ?? {};
  const targets = readBlocks(block.api_targets);
  const apiTargets: Maybe<string[]> = targets instanceof Unknown ? targets : targets.map((target) => readString(target.service)).some((service) => service instanceof Unknown) ? new Unknown('an API target of the key is not known') : targets.map((target) => readString(target.service)).filter((service): service is string => typeof service === 'string');
  let applicationRestriction: Maybe<GcpKeyApplicationRestriction> = 'none';
  for (const [field, kind] of APPLICATION_RESTRICTIONS) {
    const found = readBlocks(block[field]);
    if (found instanceof Unknown) {
      applicationRestriction = found;
      break;
    }
    if (found.length > 0) {
      applicationRestriction = kind;
      break;
    }
  }
  return { apiTargets, applicationRestriction };
}

/**
 * Turns GCP API Gateway (`google_api_gateway_api`, `_api_config`, `_gateway`) and Cloud Endpoints
 * (`google_endpoints_service`) resources into the common model: an API is a gateway, each operation of
 * the OpenAPI document its config embeds is a route, read with Google's extensions; each method of a
 * gRPC service (its service config, with the descriptor set's methods) is a route `POST /pkg.Service/Method`. When gateways in
 * the input serve some of an API's configs, those configs are the ones checked; otherwise every
 * config is. Pure: no I/O.
 */
export function adaptGcpTerraform(resources: readonly ResourceView[], idPrefix = ''): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const ctx = new TerraformContext(resources, idPrefix, 'gcp');
  const diagnostics: Diagnostic[] = [];

  // APIs are grouped by the API resource a config refers to (`api = google_api_gateway_api.x.api_id`,
  // or `.name`, the API's full resource name, or `.id`): the link holds even when the API's id is not
  // known (`api_id = "${var.environment}-orders"`). A config that names its API by a literal id or
  // name (`projects/p/locations/global/apis/orders`) joins the API with that id, in the input or not.
  const apis = new Map<string, { resource?: ResourceView; id: Maybe<string>; configs: ResourceView[] }>();
  const byId = new Map<string, string>();
  for (const api of ctx.ofType('google_api_gateway_api')) {
    const id = readString(api.values.api_id) ?? new Unknown('the API has no api_id');
    apis.set(api.address, { resource: api, id, configs: [] });
    if (typeof id === 'string') byId.set(id, api.address);
  }
  const apiKeyOf = (config: ResourceView): string | undefined => {
    const value = config.values.api;
    const target = ctx.target(value, 'google_api_gateway_api');
    if (target) return target.address;
    const literal = readString(value);
    if (typeof literal !== 'string') return undefined;
    const id = literal.replace(/^.*\/apis\//, '');
    const key = byId.get(id) ?? `google_api_gateway_api.${id}`;
    if (!apis.has(key)) apis.set(key, { id, configs: [] });
    return key;
  };
  const configs = ctx.ofType('google_api_gateway_api_config');
  const gateways = ctx.ofType('google_api_gateway_gateway');
  const served = new Map<string, string[]>();
  // The labels of the gateways serving each config: who owns a gateway owns the API it serves.
  const gatewayLabels = new Map<string, Record<string, string>>();
  for (const gateway of gateways) {
    const config = ctx.target(gateway.values.api_config, 'google_api_gateway_api_config');
    if (!config) continue;
    served.set(config.address, [...(served.get(config.address) ?? []), String(readString(gateway.values.gateway_id) ?? gateway.name)]);
    const labels = readTags(gateway.values.labels);
    if (labels) gatewayLabels.set(config.address, { ...gatewayLabels.get(config.address), ...labels });
  }
  for (const config of configs) {
    const key = apiKeyOf(config);
    if (key === undefined) {
      diagnostics.push({ severity: 'warning', code: 'unresolved', message: `${config.address} names no API gatewarden can resolve; it is not checked`, location: config.location, address: config.address });
      continue;
    }
    apis.get(key)!.configs.push(config);
  }

  for (const [key, { resource, id, configs: apiConfigs }] of apis) {
    const owner = resource ?? apiConfigs[0]!;
    const checked = apiConfigs.some((config) => served.has(config.address)) ? apiConfigs.filter((config) => served.has(config.address)) : apiConfigs;
    const base = ctx.base('gateway', owner, { id: ctx.idOf(key) });
    // The API's own labels, over those of the gateways that serve its configs (an API Gateway gateway
    // is not an entity of its own: its labels go to the API it serves).
    const labels = { ...Object.assign({}, ...checked.map((config) => gatewayLabels.get(config.address) ?? {})), ...base.tags };
    const gateway: Gateway = {
      ...base,
      ...(Object.keys(labels).length > 0 ? { tags: labels } : {}),
      name: readString(resource?.values.display_name) ?? id,
      protocol: 'http',
      endpointType: 'regional',
      definedByOpenApi: true,
      gcp: { product: 'api-gateway', service: id, allowCors: false, gateways: checked.flatMap((config) => served.get(config.address) ?? []) },
    };
    let allowCors: Maybe<boolean> = false;
    for (const config of checked) {
      const grpc = readBlocks(config.values.grpc_services);
      const files = readBlocks(config.values.managed_service_configs);
      const compiled = config.values.managed_service_config;
      const hasCompiled = compiled !== null && typeof compiled === 'object' && !Array.isArray(compiled) && !(compiled instanceof Unknown);
      if (grpc instanceof Unknown || (grpc.length > 0 && !hasCompiled && (files instanceof Unknown || files.length === 0))) {
        diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `${config.address} defines a gRPC API (grpc_services) ${config.format === 'live' ? 'whose compiled service config could not be read' : 'without a service config file gatewarden can read (managed_service_configs)'}; its methods are not checked`, location: config.locate(['grpc_services']), address: config.address });
      } else if (grpc.length > 0) {
        // A live config's compiled service config, else the service config file and the descriptor sets, as ESPv2 reads them.
        if (!hasCompiled && !(files instanceof Unknown) && files.length > 1) {
          diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `${config.address} has ${files.length} service config files (managed_service_configs); gatewarden reads the first, and the rules of the others are not checked`, location: config.locate(['managed_service_configs', 1]), address: config.address });
        }
        const service = readGrpcService(
          config,
          { compiled: ['managed_service_config'], yaml: { path: ['managed_service_configs', 0, 'contents'], encoding: 'base64' }, descriptors: grpc.map((_, index) => ['grpc_services', index, 'file_descriptor_set', 0, 'contents']) },
          diagnostics,
        );
        if (service) {
          pushAll(diagnostics, specDiagnostics(service.spec, service.locate, config.address));
          for (const route of googleRoutes(service.spec, service.locate, (routeId, location, fieldLocations) => ({ ...ctx.base('route', config, { id: ctx.idOf(routeId), parentId: gateway.id, location, fieldLocations }) }), config.address, config.address)) ctx.add(route);
          if (service.spec.allowCors !== false) allowCors = service.spec.allowCors;
        }
      }
      const documents = readBlocks(config.values.openapi_documents);
      if (documents instanceof Unknown) {
        diagnostics.push({ severity: 'error', code: 'unresolved', message: `the OpenAPI documents of ${config.address} cannot be resolved (${documents.reason}); its operations are not checked`, location: config.locate(['openapi_documents']), address: config.address });
        continue;
      }
      documents.forEach((_, index) => {
        const spec = readAttributeSpec(config, ['openapi_documents', index, 'document', 0, 'contents'], 'base64', diagnostics);
        if (!spec) return;
        const google = readGoogleOpenApi(spec.data);
        if (google.allowCors !== false) allowCors = google.allowCors;
        pushAll(diagnostics, specDiagnostics(google, spec.locate, config.address));
        const routes = googleRoutes(
          google,
          spec.locate,
          (routeId, location, fieldLocations) => ({ ...ctx.base('route', config, { id: ctx.idOf(routeId), parentId: gateway.id, location, fieldLocations }) }),
          config.address,
          config.address,
        );
        for (const route of routes) ctx.add(route);
        const authorizers = googleAuthorizers(google, spec.locate, (id, location, fieldLocations) => ctx.base('authorizer', config, { id: ctx.idOf(id), parentId: gateway.id, location, fieldLocations }), config.address, config.address);
        for (const authorizer of authorizers) ctx.add(authorizer);
      });
    }
    ctx.add({ ...gateway, gcp: { ...gateway.gcp!, allowCors } });
  }

  for (const service of ctx.ofType('google_endpoints_service')) {
    const name = readString(service.values.service_name) ?? new Unknown('the service has no service_name');
    // A gRPC service: its service config YAML and descriptor set (Terraform), or its compiled config (live).
    const hasGrpc = (service.values.grpc_config !== undefined && service.values.grpc_config !== null) || service.values.managed_service_config !== undefined;
    // A live service's grpc_config only says it is one: its compiled config was not read (it also has an OpenAPI document).
    const grpc = hasGrpc && !(service.format === 'live' && service.values.managed_service_config === undefined)
      ? readGrpcService(service, { compiled: ['managed_service_config'], yaml: { path: ['grpc_config'], encoding: 'text' }, descriptors: service.values.protoc_output_base64 !== undefined && service.values.protoc_output_base64 !== null ? [['protoc_output_base64']] : [] }, diagnostics)
      : undefined;
    if (hasGrpc && !grpc && service.format === 'live') {
      diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `${service.address} defines a gRPC API besides its OpenAPI document; gatewarden reads one of the two, so its gRPC methods are not checked`, location: service.locate(['grpc_config']), address: service.address });
    }
    const spec = readAttributeSpec(service, ['openapi_config'], 'text', diagnostics);
    const google = spec ? readGoogleOpenApi(spec.data) : undefined;
    const gateway: Gateway = {
      ...ctx.base('gateway', service),
      name: google?.title ?? grpc?.spec.title ?? name,
      protocol: 'http',
      endpointType: 'regional',
      definedByOpenApi: true,
      gcp: { product: 'endpoints', service: name, allowCors: google?.allowCors ?? grpc?.spec.allowCors ?? false, gateways: [] },
    };
    ctx.add(gateway);
    const routeBase = (routeId: string, location: SourceLocation, fieldLocations: Record<string, SourceLocation>) => ctx.base('route', service, { id: ctx.idOf(routeId), parentId: gateway.id, location, fieldLocations });
    if (grpc) {
      pushAll(diagnostics, specDiagnostics(grpc.spec, grpc.locate, service.address));
      for (const route of googleRoutes(grpc.spec, grpc.locate, routeBase, service.address, service.address)) ctx.add(route);
    }
    if (!spec || !google) continue;
    pushAll(diagnostics, specDiagnostics(google, spec.locate, service.address));
    for (const route of googleRoutes(google, spec.locate, routeBase, service.address, service.address)) ctx.add(route);
    for (const authorizer of googleAuthorizers(google, spec.locate, (id, location, fieldLocations) => ctx.base('authorizer', service, { id: ctx.idOf(id), parentId: gateway.id, location, fieldLocations }), service.address, service.address)) ctx.add(authorizer);
  }

  for (const key of ctx.ofType('google_apikeys_key')) {
    const apiKey: ApiKey = {
      ...ctx.base('api-key', key, { fieldLocations: { gcp: key.locate(['restrictions', 0]), valueSource: key.location } }),
      name: readString(key.values.display_name) ?? readString(key.values.name) ?? new Unknown('the key has no name'),
      // Google generates every key; a live key's origin is Google too.
      valueSource: 'generated',
      enabled: true,
      // Only a live key has it: google_apikeys_key has no creation time attribute.
      ...readCreatedAt(key.values.create_time),
      gcp: keyRestrictions(key),
    };
    ctx.add(apiKey);
  }
  return { entities: ctx.entities, diagnostics: [...diagnostics, ...ctx.diagnostics] };
}
