import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { limitDiagnostic } from '../../../src/limits.js';
import { ROUTE_METHODS, type RouteMethod } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { isTextDocumentError, parseTextDocument } from '../../../src/sources/openapi/document.js';
import { isBinaryMediaType } from '../../openapi/request-body.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readBool, readString } from '../../shared/values.js';
import type { Value } from '../../../src/sources/view/value.js';
import { nameOf } from './policies.js';

/** One APIM operation: declared as a resource, or imported from the API's OpenAPI document. */
export interface OperationDraft {
  /** Entity id suffix and address: the operation resource's address, or `<api address>/<operationId>`. */
  readonly address: string;
  readonly operationId: Maybe<string>;
  readonly method: Maybe<RouteMethod>;
  /** The URL template (`/orders/{id}`), relative to the API's path. */
  readonly urlTemplate: Maybe<string>;
  readonly location: SourceLocation;
  readonly resource: ResourceView;
  /**
   * Set on the one API-wide operation that stands for an API's operations when none is in the
   * configuration: its method is every method, so no `<choose>` on the method is decided for it.
   */
  readonly standIn?: true;
  /** What the operation's contract declares of its request; absent on the stand-in. */
  readonly input?: OperationInput;
}

/** What an operation's contract declares it takes (azurerm `request`, ARM `properties.request`, an imported OpenAPI operation). */
export interface OperationInput {
  /** A request body: a representation, an OAS3 `requestBody`, an OAS2 `in: body` or `formData` parameter. */
  readonly declaresBody: Maybe<boolean>;
  /** A schema for that body: a representation's `schema_id`/`type_name`, a requestBody or body parameter schema. */
  readonly bodySchema: Maybe<boolean>;
  /** A required query or header parameter (path parameters are required by the URL template itself). */
  readonly requiredParameters: Maybe<boolean>;
}

/**
 * The API-wide operation (`* /path/*`) of an API none of whose operations is in the configuration:
 * they are imported from a spec at deployment, created by APIOps or in the portal. Whatever they
 * are, the service, product and API policies run for each of them, so those are checked here, where
 * they are written, instead of the API looking clean.
 */
export function apiWideOperation(resource: ResourceView): OperationDraft {
  return { address: resource.address, operationId: new Unknown('the API\'s operations are not in the scanned configuration'), method: 'ANY', urlTemplate: '/*', location: resource.location, resource, standIn: true };
}

const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Reads an operation's method as the model's closed set; APIM allows others, which stay unknown. */
export function routeMethod(value: Maybe<string> | undefined): Maybe<RouteMethod> {
  if (value === undefined) return new Unknown('the operation has no method');
  if (value instanceof Unknown) return value;
  const upper = value.toUpperCase();
  return (ROUTE_METHODS as readonly string[]).includes(upper) ? (upper as RouteMethod) : new Unknown(`method ${value} is not one gatewarden models`);
}

/** The operations of each API (`service|api name` → operations), from operation resources and imports. */
export function collectOperations(ctx: TerraformContext, apiKeys: ReadonlyMap<ResourceView, string>, apiKeyOf: (resource: ResourceView) => string | undefined, diagnostics: Diagnostic[]): Map<string, OperationDraft[]> {
  const byApi = new Map<string, OperationDraft[]>();
  // Appended in place: copying the list at each operation made an API of 40,000 operations (an
  // imported specification) take most of a minute.
  const add = (key: string, draft: OperationDraft): void => {
    const list = byApi.get(key);
    if (list) list.push(draft);
    else byApi.set(key, [draft]);
  };
  for (const resource of ctx.ofType('azurerm_api_management_api_operation')) {
    const key = apiKeyOf(resource);
    if (key === undefined) continue;
    add(key, {
      address: resource.address,
      operationId: nameOf(ctx, resource.values.operation_id, 'operation_id') ?? new Unknown('the operation has no operation_id'),
      method: routeMethod(readString(resource.values.method)),
      urlTemplate: readString(resource.values.url_template) ?? new Unknown('the operation has no url_template'),
      location: resource.location,
      resource,
      input: declaredInput(resource.values.request),
    });
  }
  for (const [resource, key] of apiKeys) {
    for (const draft of importedOperations(resource, diagnostics)) add(key, draft);
  }
  return byApi;
}

/**
 * Operations an API imports from an OpenAPI or Swagger document in `import.content_value`. A document
 * fetched from a URL (`*-link` formats) is reported: its operations are not known.
 */
function importedOperations(resource: ResourceView, diagnostics: Diagnostic[]): OperationDraft[] {
  const blocks = readBlocks(resource.values.import);
  if (blocks instanceof Unknown || blocks.length === 0) return [];
  const block = blocks[0]!;
  const format = readString(block.content_format);
  const location = resource.locate(['import', 0, 'content_value']);
  if (typeof format === 'string' && format.endsWith('-link')) {
    diagnostics.push({
      severity: 'warning',
      code: 'not-scanned',
      message: `${resource.address} imports its operations from a URL (${format}); they are not checked. Put the document in content_value (or use file()) to have them checked`,
      location,
      address: resource.address,
    });
    return [];
  }
  if (typeof format === 'string' && !/^(openapi|swagger)/.test(format)) return [];
  const content = block.content_value;
  if (typeof content !== 'string') {
    if (content instanceof Unknown) {
      diagnostics.push({ severity: 'warning', code: 'unresolved', message: `the OpenAPI document ${resource.address} imports cannot be resolved (${content.reason}); its operations are not checked`, location, address: resource.address });
    }
    return [];
  }
  const parsed = parseTextDocument(content);
  if (isTextDocumentError(parsed) && parsed.limit) {
    diagnostics.push(limitDiagnostic({ ...parsed.limit, location, address: resource.address }));
    return [];
  }
  if (isTextDocumentError(parsed)) {
    diagnostics.push({ severity: 'error', code: 'parse-error', message: `the OpenAPI document ${resource.address} imports does not parse (${parsed.error}); its operations are not checked`, location, address: resource.address });
    return [];
  }
  const paths = (parsed.data as { paths?: Record<string, Record<string, { operationId?: unknown }>> } | null)?.paths ?? {};
  const drafts: OperationDraft[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of OPENAPI_METHODS) {
      const operation = item[method];
      if (typeof operation !== 'object' || operation === null) continue;
      const operationId = typeof operation.operationId === 'string' ? operation.operationId : `${method}-${path}`;
      drafts.push({ address: `${resource.address}/${operationId}`, operationId, method: routeMethod(method), urlTemplate: path, location, resource, input: openApiInput(operation, (item as { parameters?: unknown }).parameters) });
    }
  }
  return drafts;
}

/** What an azurerm `request` block (or the ARM contract translated to one) declares. */
function declaredInput(value: Value | undefined): OperationInput {
  const requests = readBlocks(value);
  if (requests instanceof Unknown) return { declaresBody: requests, bodySchema: requests, requiredParameters: requests };
  let declaresBody: Maybe<boolean> = false;
  let bodySchema: Maybe<boolean> = false;
  let requiredParameters: Maybe<boolean> = false;
  for (const request of requests) {
    const representations = readBlocks(request.representation);
    if (representations instanceof Unknown) declaresBody = bodySchema = representations;
    else if (representations.length > 0) {
      declaresBody = true;
      // Raw bytes (an image, a file upload) are described by their media type alone, as in an OpenAPI document.
      if (bodySchema !== true && representations.some((item) => isSet(item.schema_id) || isSet(item.type_name) || (typeof item.content_type === 'string' && isBinaryMediaType(item.content_type)))) bodySchema = true;
      // A schema named by something unresolved (a parameter, a $ref not followed) may be one: unknown, not absent.
      const unresolved = representations.flatMap((item) => [item.schema_id, item.type_name]).find((value): value is Unknown => value instanceof Unknown);
      if (bodySchema === false && unresolved) bodySchema = unresolved;
    }
    for (const parameters of [readBlocks(request.query_parameter), readBlocks(request.header)]) {
      if (parameters instanceof Unknown) requiredParameters = requiredParameters === true ? true : parameters;
      else if (parameters.some((parameter) => readBool(parameter.required) === true)) requiredParameters = true;
    }
  }
  return { declaresBody, bodySchema, requiredParameters };
}

function isSet(value: Value | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** What an imported OpenAPI (or Swagger 2.0) operation declares, path-level parameters included. */
function openApiInput(operation: object, pathParameters: unknown): OperationInput {
  const op = operation as { requestBody?: unknown; parameters?: unknown };
  const parameters = [...(Array.isArray(pathParameters) ? pathParameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])].filter(
    (parameter): parameter is { in?: unknown; required?: unknown; schema?: unknown } => typeof parameter === 'object' && parameter !== null,
  );
  const bodyParameters = parameters.filter((parameter) => parameter.in === 'body' || parameter.in === 'formData');
  const requestBody = typeof op.requestBody === 'object' && op.requestBody !== null ? (op.requestBody as { content?: unknown; $ref?: unknown }) : undefined;
  // A $ref to components/requestBodies is a body whose schema is not followed here: unknown, not absent.
  const oas3Schema: Maybe<boolean> | undefined =
    requestBody === undefined ? undefined
    : typeof requestBody.$ref === 'string' ? new Unknown(`the requestBody is a reference (${requestBody.$ref})`)
    : typeof requestBody.content === 'object' && requestBody.content !== null && Object.entries(requestBody.content).some(([type, media]) => isBinaryMediaType(type) || (typeof media === 'object' && media !== null && (media as { schema?: unknown }).schema !== undefined));
  return {
    declaresBody: requestBody !== undefined || bodyParameters.length > 0,
    bodySchema: oas3Schema ?? bodyParameters.some((parameter) => parameter.schema !== undefined || parameter.in === 'formData'),
    requiredParameters: parameters.some((parameter) => (parameter.in === 'query' || parameter.in === 'header') && parameter.required === true),
  };
}
