import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Entity, GatewayProtocol } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import type { ValueObject } from '../../src/sources/view/value.js';
import { TranslatedView } from '../shared/translate.js';
import { isData, text, type Data, type DocPath } from '../openapi/reader.js';
import { adaptAwsTerraform } from './terraform/index.js';

// An OpenAPI document with API Gateway's extensions, found on its own: what `aws apigateway
// import-rest-api` / `put-rest-api`, `aws apigatewayv2 import-api` or a pipeline deploys. It is read as
// the API those extensions define (authorizers, CORS, integrations, gateway responses), through the
// same adapter as a `body` in Terraform or CloudFormation, so that it gets the same semantics. What
// only the deployment decides (its stages and their throttling) is unknown.

/** Whether a document uses API Gateway's extensions: at its top, in a security scheme or an operation. */
export function usesAwsExtensions(doc: unknown): boolean {
  if (!isData(doc)) return false;
  const aws = (value: unknown): boolean => isData(value) && Object.keys(value).some((key) => key.startsWith('x-amazon-apigateway-'));
  if (aws(doc)) return true;
  const components = isData(doc.components) ? doc.components : {};
  const schemes = { ...(isData(doc.securityDefinitions) ? doc.securityDefinitions : {}), ...(isData(components.securitySchemes) ? components.securitySchemes : {}) };
  if (Object.values(schemes).some(aws)) return true;
  const paths = isData(doc.paths) ? doc.paths : {};
  return Object.values(paths).some((item) => aws(item) || (isData(item) && Object.values(item).some(aws)));
}

/**
 * Which kind of API a document is for. Extensions only HTTP APIs read (`x-amazon-apigateway-cors`, an
 * integration's `payloadFormatVersion`, a `jwt` authorizer) make it an HTTP API; anything else is read
 * as a REST API, which every other extension is written for.
 */
export function awsProtocolOf(doc: Data): GatewayProtocol {
  if (doc['x-amazon-apigateway-cors'] !== undefined) return 'http';
  const components = isData(doc.components) ? doc.components : {};
  const schemes = isData(components.securitySchemes) ? components.securitySchemes : {};
  for (const scheme of Object.values(schemes)) {
    const authorizer = isData(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (isData(authorizer) && (text(authorizer.type) === 'jwt' || authorizer.authorizerPayloadFormatVersion !== undefined)) return 'http';
  }
  const paths = isData(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isData(item)) continue;
    for (const operation of Object.values(item)) {
      const integration = isData(operation) ? operation['x-amazon-apigateway-integration'] : undefined;
      if (isData(integration) && integration.payloadFormatVersion !== undefined) return 'http';
    }
  }
  return 'rest';
}

/** A document found on its own, as the OpenAPI format hands it over. */
export interface AwsDocumentInput {
  /** The file as reports show it; the API's address. */
  readonly file: string;
  readonly data: Data;
  locate(pointer: DocPath): SourceLocation;
}

/** Reads a document with API Gateway's extensions as the REST or HTTP API it defines. */
export function adaptAwsOpenApiDocument(input: AwsDocumentInput, idPrefix: string): { entities: Entity[]; diagnostics: Diagnostic[] } {
  const protocol = awsProtocolOf(input.data);
  const info = isData(input.data.info) ? input.data.info : {};
  const title = text(info.title);
  const values: ValueObject = { body: input.data as ValueObject, ...(typeof title === 'string' ? { name: title } : { name: input.file }), ...(protocol === 'http' ? { protocol_type: 'HTTP' } : {}) };
  const view = new TranslatedView({
    format: 'openapi',
    type: protocol === 'http' ? 'aws_apigatewayv2_api' : 'aws_api_gateway_rest_api',
    address: input.file,
    name: input.file,
    source: { type: 'OpenAPI document', name: input.file },
    modulePath: '',
    rootModule: input.file,
    values,
    location: input.locate([]),
    // The view's body is the document itself; its name is the document's title.
    fields: { body: [], name: ['info', 'title'] },
    locateSource: (path) => input.locate(path),
  });
  return adaptAwsTerraform([view], idPrefix);
}
