import { adaptAwsOpenApiDocument, usesAwsExtensions } from '../aws/openapi-document.js';
import { requestBodyShape } from './request-body.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Entity, EntityBase, EntityKind, Gateway, Provider, Route } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import { googleAuthorizers, googleRoutes, specDiagnostics } from '../gcp/entities.js';
import { isEndpointsHost, readGoogleOpenApi, usesGoogleExtensions } from '../gcp/openapi.js';
import { effectiveSecurity, isData, listOperations, securitySchemes, text, type DocPath } from './reader.js';
import { readGenericScheme } from './schemes.js';
import { suppressionsField, suppressionsFromExtensions } from './ignore.js';

/** An OpenAPI document scanned on its own, parsed, with a way to find where its parts are. */
export interface OpenApiDocumentInput {
  /** The file as shown to users. */
  readonly file: string;
  readonly data: unknown;
  locate(pointer: DocPath): SourceLocation;
}

/**
 * Turns an OpenAPI document scanned on its own into the common model. A spec with Google's
 * extensions is what `gcloud` deploys to API Gateway or Cloud Endpoints, and is read as one; any
 * other document describes an API whatever gateway serves it (provider `openapi`): its operations
 * and their documented security, but no rate limits or CORS, which gateways configure elsewhere.
 * Pure: no I/O.
 */
export function adaptOpenApiDocument(input: OpenApiDocumentInput, idPrefix: string): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const doc = input.data;
  const prefix = idPrefix ? `${idPrefix}:` : '';
  const base = <K extends EntityKind>(kind: K, provider: Provider, id: string, address: string, location: SourceLocation, fieldLocations: Record<string, SourceLocation> = {}, parentId: string | null = null): EntityBase<K> => ({
    kind,
    id: `${prefix}${id}`,
    provider,
    origin: { format: 'openapi', file: input.file },
    parentId,
    address,
    modulePath: '',
    location,
    fieldLocations,
  });
  if (!isData(doc)) return { entities: [], diagnostics: [] };
  const info = isData(doc.info) ? doc.info : {};
  const title = text(info.title) ?? input.file;
  const gatewayId = `${prefix}${input.file}`;
  const root = input.locate([]);

  if (usesGoogleExtensions(doc)) {
    const google = readGoogleOpenApi(doc);
    const host = typeof doc.host === 'string' ? doc.host : undefined;
    // API Gateway names a config's managed service API.apigateway.PROJECT.cloud.goog; Endpoints services are other names under cloud.goog.
    const endpoints = (isEndpointsHost(host) && !/\.apigateway\./i.test(host ?? '')) || doc['x-google-endpoints'] !== undefined;
    const gateway: Gateway = {
      ...base('gateway', 'gcp', input.file, input.file, root),
      name: title,
      protocol: 'http',
      endpointType: 'regional',
      definedByOpenApi: true,
      gcp: { product: endpoints ? 'endpoints' : 'api-gateway', service: host ?? new Unknown('the spec names no host'), allowCors: google.allowCors, gateways: [] },
    };
    const routes = googleRoutes(google, input.locate, (id, location, fieldLocations) => base('route', 'gcp', id, input.file, location, fieldLocations, gatewayId), input.file, input.file);
    const authorizers = googleAuthorizers(google, input.locate, (id, location, fieldLocations) => base('authorizer', 'gcp', id, input.file, location, fieldLocations, gatewayId), input.file, input.file);
    return { entities: [gateway, ...routes, ...authorizers], diagnostics: specDiagnostics(google, input.locate, input.file) };
  }

  // API Gateway's extensions: the REST or HTTP API they define, with AWS's semantics.
  if (usesAwsExtensions(doc)) return adaptAwsOpenApiDocument({ file: input.file, data: doc, locate: input.locate }, idPrefix);

  const problems = new Set<string>();
  const { schemes } = securitySchemes(doc, problems);
  const gateway: Gateway = {
    ...base('gateway', 'openapi', input.file, input.file, root),
    name: title,
    protocol: 'http',
    endpointType: new Unknown('an OpenAPI document does not say where the API is exposed'),
    definedByOpenApi: true,
  };
  const malformed: Diagnostic[] = [];
  const reported = new Set<string>();
  const routes: Route[] = listOperations(doc, problems).map((view) => {
    const invalid = view.securityProblem;
    // A document-wide `security` applies to every operation: its shape is reported once.
    if (invalid && !reported.has(invalid.pointer.join('/'))) {
      reported.add(invalid.pointer.join('/'));
      malformed.push({ severity: 'warning', code: invalid.code ?? 'unsupported', message: invalid.message, location: input.locate(invalid.pointer), address: input.file });
    }
    const security = effectiveSecurity(view.security, schemes, readGenericScheme);
    const key = `${view.method} ${view.path}`;
    const body = requestBodyShape(doc, view, problems);
    return {
      ...base('route', 'openapi', `${input.file}/${key}`, `${input.file}/${key}`, input.locate(view.pointer), { auth: input.locate(view.securityPointer), ...(body.pointer ? { declaresRequestBody: input.locate(body.pointer) } : {}) }, gatewayId),
      ...suppressionsField(suppressionsFromExtensions(view.ignore, input.locate)),
      method: view.method,
      path: view.path,
      key,
      auth: { kind: security.kind, apiKeyRequired: security.apiKeyRequired, source: view.hasOwnSecurity ? 'openapi-operation' : 'openapi-default', scopes: security.scopes },
      integration: new Unknown('an OpenAPI document does not say what serves an operation'),
      // An OPTIONS operation is a CORS preflight when the gateway answers it itself; a document
      // without a gateway's extensions does not say whether it does or passes it to a backend.
      isCorsPreflight: view.method === 'OPTIONS' ? new Unknown('an OpenAPI document without gateway extensions does not say whether its OPTIONS operation is answered by the gateway (a CORS preflight) or reaches a backend') : false,
      // The body the contract declares: whatever serves the API validates against this schema or nothing.
      declaresRequestBody: body.declaresBody,
      requestBodySchema: body.bodySchema,
    };
  });
  const diagnostics: Diagnostic[] = [...malformed, ...[...problems].map((message): Diagnostic => ({ severity: 'warning', code: 'unsupported', message, location: root, address: input.file }))];
  return { entities: [gateway, ...routes], diagnostics };
}
