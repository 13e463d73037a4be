import { pushAll } from '../../../src/arrays.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ApiOpsArtifact, ApiOpsArtifactKind, ApiOpsDocument, ApiOpsTree } from '../../../src/sources/apiops/tree.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { TranslatedView, type FieldMap, type Path } from '../../shared/translate.js';
import { translateArmShaped, type ArmShapedResource } from '../arm/translate.js';

const SERVICE_TYPE = 'Microsoft.ApiManagement/service';

/**
 * The ARM type of each artifact: an APIOps artifact holds what Resource Manager returns for that
 * object (`properties`), so it is read by the ARM translation, as a template's resource is.
 */
const ARM_TYPES: Readonly<Record<ApiOpsArtifactKind, string>> = {
  'service-policy': 'policies',
  api: 'apis',
  'api-policy': 'apis/policies',
  'operation-policy': 'apis/operations/policies',
  'api-diagnostic': 'apis/diagnostics',
  product: 'products',
  'product-policy': 'products/policies',
  'product-api': 'products/apis',
  'named-value': 'namedValues',
  backend: 'backends',
  diagnostic: 'diagnostics',
  'policy-fragment': 'policyFragments',
  subscription: 'subscriptions',
  gateway: 'gateways',
};

/** The folder of each kind below the artifacts folder, for addresses (`apis/orders-api/policy.xml`). */
function addressOf(artifact: ApiOpsArtifact): string {
  const [first = '', second = ''] = artifact.names;
  switch (artifact.kind) {
    case 'service-policy':
      return 'policy.xml';
    case 'api':
      return `apis/${first}`;
    case 'api-policy':
      return `apis/${first}/policy.xml`;
    case 'operation-policy':
      return `apis/${first}/operations/${second}/policy.xml`;
    case 'api-diagnostic':
      return `apis/${first}/diagnostics/${second}`;
    case 'product':
      return `products/${first}`;
    case 'product-policy':
      return `products/${first}/policy.xml`;
    case 'product-api':
      return `products/${first}/apis/${second}`;
    case 'named-value':
      return `named values/${first}`;
    case 'policy-fragment':
      return `policy fragments/${first}`;
    default:
      return `${ARM_TYPES[artifact.kind]}/${first}`;
  }
}

/** An artifact in the shape the ARM translation reads, with how its fields are located in its files. */
interface ApiOpsResource extends ArmShapedResource {
  /** Where a path of the ARM object (`['properties', 'subscriptionRequired']`) is written. */
  readonly locateSource: (path: Path) => SourceLocation;
  /** The policy file whose text is `properties.value`: its lines are the XML's lines. */
  readonly xmlFile?: string;
}

function isObject(value: unknown): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** Where a path of a JSON artifact is: its line, or its nearest ancestor's. */
function locator(document: ApiOpsDocument): (path: Path) => SourceLocation {
  return (path) => lineLocation(document.file, document.lineOf(path) ?? 1);
}

/**
 * The HTTP methods of an OpenAPI path item, as API Management imports them into operations.
 * https://learn.microsoft.com/azure/api-management/api-management-api-import-restrictions
 */
const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The operations API Management creates when it imports the specification, as ARM operation objects
 * (`method`, `urlTemplate`, and the `request` contract the document declares), each located at its
 * operation in the specification. API Management names an operation by its `operationId`; the
 * operation policies of `operations/<operationId>/` are found by that name.
 */
function specificationOperations(service: string, api: string, specification: ApiOpsDocument, root: string): ApiOpsResource[] {
  const paths = isObject(specification.data) && isObject(specification.data.paths) ? specification.data.paths : {};
  const out: ApiOpsResource[] = [];
  for (const [urlTemplate, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of OPENAPI_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const operationId = typeof operation.operationId === 'string' ? operation.operationId : `${method}-${urlTemplate}`;
      const location = lineLocation(specification.file, specification.lineOf(['paths', urlTemplate, method]) ?? 1);
      const properties: ValueObject = { method: method.toUpperCase(), urlTemplate, request: requestContract(operation, item.parameters) };
      out.push({
        address: prefixed(root, `apis/${api}/operations/${operationId}`),
        type: `${SERVICE_TYPE}/apis/operations`,
        nameSegments: [service, api, operationId],
        properties,
        body: { properties },
        location,
        locateSource: () => location,
      });
    }
  }
  return out;
}

/**
 * What an OpenAPI operation declares of its request, as the ARM contract API Management makes of it:
 * a representation per body content type (with a schema when the document gives one), and the query
 * and header parameters with whether they are required. A body given by `$ref` (to
 * `components/requestBodies`, not followed) is a body whose schema is unknown, as for an imported document.
 */
function requestContract(operation: ValueObject, pathParameters: Value | undefined): Value {
  const parameters = [...(Array.isArray(pathParameters) ? pathParameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])].filter(isObject);
  const body = operation.requestBody;
  const representations: ValueObject[] = [];
  if (isObject(body) && typeof body.$ref === 'string') {
    representations.push({ contentType: 'application/json', typeName: new Unknown(`the requestBody is a reference (${body.$ref})`) });
  } else if (isObject(body) && isObject(body.content)) {
    for (const [contentType, media] of Object.entries(body.content)) representations.push({ contentType, ...(isObject(media) && media.schema !== undefined ? { typeName: 'schema' } : {}) });
  } else if (isObject(body)) {
    // A body whose media types are not stated: any type, and no schema. (Not octet-stream: raw
    // bytes need no schema, and this body is not known to be raw bytes.)
    representations.push({ contentType: '*/*' });
  }
  for (const parameter of parameters) {
    // Swagger 2.0 bodies are parameters.
    if (parameter.in === 'body') representations.push({ contentType: 'application/json', ...(parameter.schema !== undefined ? { typeName: 'schema' } : {}) });
    if (parameter.in === 'formData') representations.push({ contentType: 'multipart/form-data', typeName: 'form' });
  }
  const of = (where: string): ValueObject[] => parameters.filter((parameter) => parameter.in === where).map((parameter) => ({ name: parameter.name ?? null, required: parameter.required === true, type: 'string' }));
  return { representations, queryParameters: of('query'), headers: of('header') };
}

function prefixed(root: string, address: string): string {
  return root === '' ? address : `${root}/${address}`;
}

/**
 * Turns an artifacts folder into ARM objects of API Management, and then, through the ARM translation,
 * into the azurerm shapes the one API Management adapter reads. Each object is located in its own
 * file: an information file's fields at their lines, a policy's elements at their lines of
 * `policy.xml`, an operation at its path item of the specification. The instance itself is not in
 * the artifacts (APIOps keeps no service settings): what depends on it is unknown, as for an API
 * added to a service deployed elsewhere. Pure.
 */
export function translateApiOpsTree(tree: ApiOpsTree): { resources: ResourceView[]; diagnostics: Diagnostic[] } {
  const resources: ApiOpsResource[] = [];
  const diagnostics: Diagnostic[] = [];
  const service = tree.service;
  for (const artifact of tree.artifacts) {
    const address = prefixed(tree.root, addressOf(artifact));
    const type = `${SERVICE_TYPE}/${ARM_TYPES[artifact.kind]}`;
    // ARM names a policy `policy` below its owner (`service/orders-api/policy`).
    const nameSegments = [service, ...artifact.names, ...(artifact.kind.endsWith('policy') ? ['policy'] : [])];
    if (artifact.policy) {
      const file = artifact.policy.file;
      const location = lineLocation(file, 1);
      const properties: ValueObject = { format: 'rawxml', value: artifact.policy.xml };
      resources.push({ address, type, nameSegments, properties, body: { properties }, location, locateSource: () => location, xmlFile: file });
      continue;
    }
    if (artifact.kind === 'product-api') {
      const location = lineLocation(artifact.line?.file ?? address, artifact.line?.line ?? 1);
      resources.push({ address, type, nameSegments, properties: {}, body: { properties: {} }, location, locateSource: () => location });
      continue;
    }
    const information = artifact.information;
    if (!information) continue;
    const data = isObject(information.data) ? information.data : {};
    const written = isObject(data.properties) ? data.properties : {};
    // The extractor writes a revision that is not the current one into its own folder (`orders;rev=2`)
    // and leaves `isCurrent` out of it: such a folder is a revision served apart unless it says it is current.
    const properties = artifact.kind === 'api' && artifact.names[0]!.includes(';rev=') && written.isCurrent !== true ? { ...written, isCurrent: false } : written;
    const locate = locator(information);
    // The fields are at `properties.x` in the file, as in an ARM object.
    resources.push({ address, type, nameSegments, properties, body: data, location: lineLocation(information.file, 1), locateSource: locate });
    if (artifact.kind === 'api') {
      const api = artifact.names[0]!;
      // pushAll, not push(...): a specification of 200,000 operations overflowed the call stack as arguments.
      if (artifact.specification) pushAll(resources, specificationOperations(service, api, artifact.specification, tree.root));
      else diagnostics.push(noSpecification(address, information.file, properties, artifact.unreadSpecification));
    }
  }
  pushAll(diagnostics, strayOperationPolicies(tree, resources));
  const translated = translateArmShaped(resources, (resource, azurermType, values, fields) => apiOpsView(tree, resource, azurermType, values, fields));
  return { resources: translated.resources, diagnostics: [...diagnostics, ...translated.diagnostics] };
}

/**
 * Operation policies whose folder names no operation of its API's specification (an operation renamed
 * or removed from the document, a typo): API Management has no such operation, so the policy runs for
 * nothing; the warning keeps a protection that is believed to be in place from going unnoticed.
 */
function strayOperationPolicies(tree: ApiOpsTree, resources: readonly ApiOpsResource[]): Diagnostic[] {
  const operations = new Set(resources.filter((resource) => resource.type === `${SERVICE_TYPE}/apis/operations`).map((resource) => `${String(resource.nameSegments[1])}|${String(resource.nameSegments[2])}`));
  const specified = new Set(tree.artifacts.filter((artifact) => artifact.kind === 'api' && artifact.specification).map((artifact) => artifact.names[0]));
  return tree.artifacts
    .filter((artifact) => artifact.kind === 'operation-policy' && specified.has(artifact.names[0]) && !operations.has(`${artifact.names[0]}|${artifact.names[1]}`))
    .map((artifact) => ({
      severity: 'warning',
      code: 'unresolved',
      message: `${artifact.policy!.file} is the policy of operation ${artifact.names[1]!} of API ${artifact.names[0]!}, but its specification has no operation with that operationId: API Management runs this policy for no request, and it is not checked`,
      location: lineLocation(artifact.policy!.file, 1),
      address: prefixed(tree.root, addressOf(artifact)),
    }));
}

/** One azurerm-shaped view of an artifact, located in its files. */
function apiOpsView(tree: ApiOpsTree, resource: ApiOpsResource, type: string, values: ValueObject, fields: FieldMap): ResourceView {
  const name = resource.nameSegments[resource.nameSegments.length - 1];
  return new TranslatedView({
    format: 'apiops',
    type,
    address: resource.address,
    name: typeof name === 'string' ? name : resource.address,
    source: { type: resource.type, name: resource.address },
    modulePath: '',
    rootModule: tree.root,
    values,
    location: resource.location,
    origin: { format: 'apiops', file: resource.location.file },
    fields,
    locateSource: resource.locateSource,
    locateUnmapped: () => resource.location,
    // A policy's XML is its file: element positions are lines of policy.xml.
    ...(resource.xmlFile !== undefined ? { textLines: (path: Path) => (path[0] === 'properties' && path[1] === 'value' ? { file: resource.xmlFile!, firstLine: 1 } : undefined) } : {}),
  });
}

/**
 * The note for an API folder without a specification: its operations are not in the artifacts (a
 * GraphQL or SOAP API, an API whose operations were made in the portal, an extractor told to skip
 * specifications), so the API is checked as one API-wide route.
 */
function noSpecification(address: string, file: string, properties: ValueObject, unread: ApiOpsArtifact['unreadSpecification']): Diagnostic {
  const type = typeof properties.type === 'string' ? ` (type ${properties.type})` : '';
  const why =
    unread?.why === 'other-language' ? `its specification is ${unread.file}, which gatewarden does not read`
    : unread?.why === 'unreadable' ? `its specification ${unread.file} could not be read, as reported at it`
    : 'it has no specification.yaml or .json beside its apiInformation.json';
  return {
    severity: 'info',
    code: 'unsupported',
    message: `the operations of ${address}${type} are not known (${why}); its service, product and API policies are checked as one API-wide route (* /path/*)`,
    location: lineLocation(file, 1),
    address,
  };
}
