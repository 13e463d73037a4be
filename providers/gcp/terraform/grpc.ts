import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import type { DocPath } from '../../openapi/reader.js';
import { descriptorMethods } from '../descriptor.js';
import type { GoogleOpenApi } from '../openapi.js';
import { readServiceConfig } from '../service-config.js';
import { readAttributeSpec } from '../spec.js';

type AttributePath = ReadonlyArray<string | number>;

/** A gRPC service read from a resource: its service config's reading, with locations inside it. */
export interface GrpcService {
  readonly spec: GoogleOpenApi;
  locate(pointer: DocPath): SourceLocation;
}

function valueAt(resource: ResourceView, path: AttributePath): Value | undefined {
  let value: Value | undefined = resource.values;
  for (const segment of path) value = Array.isArray(value) ? value[Number(segment)] : typeof value === 'object' && value !== null && !(value instanceof Unknown) ? (value as Record<string, Value>)[String(segment)] : undefined;
  return value;
}

/**
 * The methods of the descriptor sets at `paths` (base64, as `filebase64()` gives it); undefined, with
 * a warning saying why, when one is absent, unknown or not a descriptor set: the service config's
 * rules then name the methods that are checked (the reading says the others are not).
 */
function readDescriptors(resource: ResourceView, paths: readonly AttributePath[], diagnostics: Diagnostic[]): string[] | undefined {
  const methods: string[] = [];
  for (const path of paths) {
    const found = readDescriptor(resource, path, diagnostics);
    if (found === undefined) return undefined;
    methods.push(...found);
  }
  return paths.length > 0 ? methods : undefined;
}

function readDescriptor(resource: ResourceView, path: AttributePath, diagnostics: Diagnostic[]): string[] | undefined {
  const value = valueAt(resource, path);
  if (value === undefined || value === null) {
    diagnostics.push({ severity: 'warning', code: 'unresolved', message: `${resource.address} has no descriptor set; only the methods its service config's rules name are checked`, location: resource.locate(path.slice(0, 1)), address: resource.address });
    return undefined;
  }
  const warn = (code: Diagnostic['code'], why: string): undefined => {
    diagnostics.push({ severity: 'warning', code, message: `the descriptor set of ${resource.address} ${why}; only the methods its service config's rules name are checked`, location: resource.locate(path), address: resource.address });
    return undefined;
  };
  if (value instanceof Unknown) return warn('unresolved', `cannot be resolved (${value.reason})`);
  if (typeof value !== 'string') return warn('parse-error', 'is not base64 text');
  const methods = descriptorMethods(Buffer.from(value, 'base64'));
  return methods ?? warn('parse-error', 'is not a protobuf FileDescriptorSet');
}

/**
 * Reads the gRPC service a resource deploys:
 * - `compiled`: a live resource's compiled service config (`managed_service_config`, the wire object
 *   Service Management returns), whose `apis` list every method;
 * - else `yaml`: the service config file (`grpc_config` of `google_endpoints_service`, text; a
 *   `managed_service_configs` file of `google_api_gateway_api_config`, base64), with the methods of
 *   the descriptor sets at `descriptors` (`protoc_output_base64`; each `grpc_services`'
 *   `file_descriptor_set`) when every one can be read.
 * Undefined when the resource has neither, or its service config cannot be read (a diagnostic says
 * why). The problems of the reading are for the caller to report.
 */
export function readGrpcService(
  resource: ResourceView,
  sources: { readonly compiled: AttributePath; readonly yaml: { readonly path: AttributePath; readonly encoding: 'text' | 'base64' }; readonly descriptors: readonly AttributePath[] },
  diagnostics: Diagnostic[],
): GrpcService | undefined {
  const compiled = valueAt(resource, sources.compiled);
  if (compiled !== null && typeof compiled === 'object' && !Array.isArray(compiled) && !(compiled instanceof Unknown)) {
    return { spec: readServiceConfig(compiled), locate: (pointer) => resource.locate([...sources.compiled, ...pointer]) };
  }
  const yaml = readAttributeSpec(resource, sources.yaml.path, sources.yaml.encoding, diagnostics, 'service-config');
  if (!yaml) return undefined;
  return { spec: readServiceConfig(yaml.data, readDescriptors(resource, sources.descriptors, diagnostics)), locate: yaml.locate };
}
