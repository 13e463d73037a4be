import { limitDiagnostic } from '../../../src/limits.js';
import type { EndpointType, Gateway, GatewayProtocol } from '../../../src/model/entities.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readEmbeddedDocument } from '../../shared/embedded-document.js';
import { readBlocks, readBool, refersToResource, readString, readStringList } from '../../shared/values.js';
import { readAwsOpenApi } from '../openapi.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import type { GatewayDraft, PolicySource } from './drafts.js';

function endpointTypeOf(types: Maybe<string[]> | undefined, fallback: EndpointType): Maybe<EndpointType> {
  if (types === undefined) return fallback;
  if (types instanceof Unknown) return types;
  const first = types[0]?.toLowerCase();
  if (first === 'edge' || first === 'regional' || first === 'private') return first;
  return types.length === 0 ? fallback : new Unknown(`endpoint type "${types[0]}" is not known`);
}

/** What to do about a body that could not be resolved, in the terms of the source it is written in. */
function unresolvedAdvice(resource: ResourceView, reason: string): string {
  // The reason already says it: a diagnostic about the file, or which file to scan.
  if (/see the diagnostic at|at deploy time;/.test(reason)) return '';
  // A file outside the scanned paths is not a missing value: --var would not help.
  if (reason.includes('outside the scanned paths')) return ' See the diagnostic about that file';
  if (resource.format === 'cloudformation') return ' Pass the missing parameters with --parameter/--parameter-file';
  return ' Pass the missing values with --var/--var-file, or scan the plan';
}

/** Reads the OpenAPI body of an API, reporting a body that cannot be read (its routes would go unchecked). */
function readBody(ctx: TerraformContext, resource: ResourceView, protocol: GatewayProtocol): GatewayDraft['openApi'] {
  const document = readEmbeddedDocument(resource, 'body');
  if (document === undefined) return undefined;
  if ('kind' in document && document.kind === 'invalid' && document.limit) {
    ctx.report(limitDiagnostic({ ...document.limit, location: document.location, address: resource.address }));
    return undefined;
  }
  if ('kind' in document) {
    ctx.report({
      severity: 'error',
      code: 'unresolved',
      message:
        document.kind === 'unknown'
          ? `the OpenAPI body of ${resource.address} could not be resolved (${document.reason}); the routes it defines are not checked.${unresolvedAdvice(resource, document.reason)}`
          : `the OpenAPI body of ${resource.address} is not valid JSON or YAML (${document.message}); the routes it defines are not checked`,
      location: document.kind === 'invalid' ? document.location : resource.locate(['body']),
      address: resource.address,
    });
    return undefined;
  }
  const api = readAwsOpenApi(document.data, protocol);
  for (const problem of api.problems) {
    ctx.report({ severity: 'warning', code: 'unsupported', message: `${resource.address} body: ${problem}`, location: resource.locate(['body']), address: resource.address });
  }
  for (const problem of api.locatedProblems) {
    ctx.report({ severity: 'warning', code: problem.code ?? 'unsupported', message: `${resource.address} body: ${problem.message}`, location: document.locate(problem.pointer), address: resource.address });
  }
  return { api, document };
}

/** `policy = ""`: how a plan, the state and GetRestApis write "no policy". */
function isEmptyPolicy(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}

/**
 * A REST API's resource policy: an `aws_api_gateway_rest_api_policy` naming the API (it replaces the
 * API's own), else the API's `policy` argument, else the body's `x-amazon-apigateway-policy` (the
 * argument wins over the body, as for the endpoint types). A document that cannot be read is kept as
 * an Unknown: the API has a policy, and what it allows is unknown.
 */
function readResourcePolicy(resource: ResourceView, openApi: GatewayDraft['openApi']): PolicySource | undefined {
  const document = isEmptyPolicy(resource.values.policy) ? undefined : readEmbeddedDocument(resource, 'policy');
  if (document !== undefined) {
    if ('kind' in document) {
      const reason = document.kind === 'unknown' ? `the resource policy of ${resource.address} could not be resolved (${document.reason})` : `the resource policy of ${resource.address} is not valid JSON (${document.message})`;
      return { document: new Unknown(reason), locate: () => resource.locate(['policy']) };
    }
    return { document: document.data, locate: (path) => document.locate(path) };
  }
  const body = openApi?.document;
  const data = body?.data;
  if (body && typeof data === 'object' && data !== null && !(data instanceof Unknown) && 'x-amazon-apigateway-policy' in data) {
    const policy = (data as Record<string, unknown>)['x-amazon-apigateway-policy'];
    return { document: policy, locate: (path) => body.locate(['x-amazon-apigateway-policy', ...path]) };
  }
  return undefined;
}

/** Creates gateway entities for REST, HTTP and WebSocket APIs, and returns them by resource address. */
export function collectGateways(ctx: TerraformContext): Map<string, GatewayDraft> {
  const drafts = new Map<string, GatewayDraft>();
  const restDomains = customDomainsByApi(ctx, 'aws_api_gateway_base_path_mapping');
  const v2Domains = customDomainsByApi(ctx, 'aws_apigatewayv2_api_mapping');
  const policyResources = new Map<string, ResourceView>();
  for (const policy of ctx.ofType('aws_api_gateway_rest_api_policy')) {
    const target = ctx.target(policy.values.rest_api_id)?.address;
    if (target !== undefined && !policyResources.has(target)) policyResources.set(target, policy);
  }
  const policyTargets = new Set(policyResources.keys());

  for (const resource of ctx.ofType('aws_api_gateway_rest_api')) {
    const values = resource.values;
    const openApi = readBody(ctx, resource, 'rest');
    const endpointBlock = readBlocks(values.endpoint_configuration);
    const configuredTypes = endpointBlock instanceof Unknown ? endpointBlock : endpointBlock[0] ? readStringList(endpointBlock[0].types) : undefined;
    // The Terraform argument wins over the body's x-amazon-apigateway-endpoint-configuration.
    const types = configuredTypes ?? openApi?.api.endpointTypes;
    const disable = readBool(values.disable_execute_api_endpoint) ?? openApi?.api.disableExecuteApiEndpoint ?? false;
    const keySource = readString(values.api_key_source);
    // A CloudFormation Policy is an object, a Terraform one a string: either way it is there. A plan
    // or the live API writes "" for an API without one.
    const policy = isEmptyPolicy(values.policy) ? undefined : values.policy;
    const hasPolicy: Maybe<boolean> =
      policy instanceof Unknown
        ? policyTargets.has(resource.address)
          ? true
          : policy
        : (policy !== undefined && policy !== null) || policyTargets.has(resource.address) || Boolean(openApi?.api.hasPolicy);
    const gateway: Gateway = {
      ...ctx.base('gateway', resource, {
        fieldLocations: {
          endpointType: resource.locate(['endpoint_configuration']),
          'aws.disableExecuteApiEndpoint': resource.locate(['disable_execute_api_endpoint']),
        },
      }),
      name: readString(values.name) ?? new Unknown('the API has no name'),
      protocol: 'rest',
      endpointType: endpointTypeOf(types, 'edge'),
      definedByOpenApi: openApi !== undefined,
      aws: {
        apiKeySource:
          keySource instanceof Unknown ? keySource : keySource !== undefined ? (keySource.toUpperCase() === 'AUTHORIZER' ? 'authorizer' : 'header') : (openApi?.api.apiKeySource ?? 'header'),
        disableExecuteApiEndpoint: disable,
        hasResourcePolicy: hasPolicy,
        customDomains: restDomains.of(resource),
      },
    };
    ctx.add(gateway);
    const resourcePolicy = readResourcePolicy(policyResources.get(resource.address) ?? resource, openApi);
    drafts.set(resource.address, {
      id: gateway.id,
      resource,
      protocol: 'rest',
      endpointType: gateway.endpointType,
      ...(openApi ? { openApi } : {}),
      ...(resourcePolicy ? { resourcePolicy } : {}),
    });
  }

  for (const resource of ctx.ofType('aws_apigatewayv2_api')) {
    const values = resource.values;
    const protocolType = readString(values.protocol_type);
    const protocol: GatewayProtocol = typeof protocolType === 'string' && protocolType.toUpperCase() === 'WEBSOCKET' ? 'websocket' : 'http';
    if (protocolType instanceof Unknown) {
      ctx.report({
        severity: 'warning',
        code: 'unresolved',
        message: `the protocol_type of ${resource.address} is unknown (${protocolType.reason}); it is read as an HTTP API`,
        location: resource.locate(['protocol_type']),
        address: resource.address,
      });
    }
    const openApi = readBody(ctx, resource, protocol);
    const gateway: Gateway = {
      ...ctx.base('gateway', resource, { fieldLocations: { 'aws.disableExecuteApiEndpoint': resource.locate(['disable_execute_api_endpoint']) } }),
      name: readString(values.name) ?? new Unknown('the API has no name'),
      protocol,
      // HTTP and WebSocket APIs are regional; privacy comes from VPC links, not the endpoint.
      endpointType: 'regional',
      definedByOpenApi: openApi !== undefined,
      aws: { disableExecuteApiEndpoint: readBool(values.disable_execute_api_endpoint) ?? openApi?.api.disableExecuteApiEndpoint ?? false, hasResourcePolicy: false, customDomains: v2Domains.of(resource) },
    };
    ctx.add(gateway);
    drafts.set(resource.address, { id: gateway.id, resource, protocol, ...(openApi ? { openApi } : {}) });
  }
  return drafts;
}

/** The custom domains mapped to each API, and what an unresolved mapping leaves unknown. */
interface CustomDomainIndex {
  /** The names of the custom domains serving the API, or unknown while a mapping's API cannot be resolved. */
  of(api: ResourceView): Maybe<readonly string[]>;
}

/**
 * Reads base path mappings (REST) or API mappings (HTTP, WebSocket): the custom domain names each API
 * is served on. A mapping whose api_id cannot be resolved (a variable without a value) may map any
 * API: those without a known domain are unknown; a mapping naming an API outside the scan changes
 * nothing.
 */
function customDomainsByApi(ctx: TerraformContext, mappingType: string): CustomDomainIndex {
  const byApi = new Map<string, string[]>();
  let unresolved: Unknown | undefined;
  for (const mapping of ctx.ofType(mappingType)) {
    const apiId = mapping.values.api_id;
    const api = ctx.target(apiId);
    if (!api) {
      if (apiId instanceof Unknown && !refersToResource(apiId)) unresolved ??= new Unknown(`the api_id of ${mapping.address} is unknown (${apiId.reason}), so it may map this API to a custom domain`);
      continue;
    }
    const domain = mapping.values.domain_name;
    const named = readString(ctx.target(domain)?.values.domain_name) ?? readString(domain);
    const name = typeof named === 'string' ? named : mapping.address;
    const names = byApi.get(api.address) ?? [];
    if (!names.includes(name)) names.push(name);
    byApi.set(api.address, names);
  }
  return { of: (api) => byApi.get(api.address) ?? unresolved ?? [] };
}
