import type { RequestValidation } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { requestBodyShape, type RequestBodyShape } from '../openapi/request-body.js';
import { deref, flag, isData, text, type Data, type DocPath, type OperationView } from '../openapi/reader.js';

/** What an operation of a REST API's OpenAPI body asks API Gateway to validate, and where. */
export interface OperationValidation {
  readonly requestValidation: Maybe<RequestValidation>;
  readonly requestBodySchema: Maybe<boolean>;
  readonly requiredParameters: Maybe<boolean>;
  /** Whether the operation declares a body at all (with or without a schema), and where. */
  readonly requestBody: RequestBodyShape;
  /** Where the validator that applies is named: the operation's, else the document's default. */
  readonly pointer?: DocPath;
}

const VALIDATORS = 'x-amazon-apigateway-request-validators';
const VALIDATOR = 'x-amazon-apigateway-request-validator';

/**
 * Reads an operation's request validation: `x-amazon-apigateway-request-validator` on the operation,
 * else on the document (the default for every operation), names an entry of the document's
 * `x-amazon-apigateway-request-validators` (`validateRequestBody`, `validateRequestParameters`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
 * A name the map does not define is unknown (API Gateway refuses the import).
 */
export function readOperationValidation(doc: Data, view: OperationView, problems: Set<string>): OperationValidation {
  const own = view.operation[VALIDATOR];
  const named = own !== undefined ? own : doc[VALIDATOR];
  const pointer: DocPath | undefined = own !== undefined ? [...view.pointer, VALIDATOR] : doc[VALIDATOR] !== undefined ? [VALIDATOR] : undefined;
  const models = requestModels(doc, view, problems);
  const parameters = requiredParameters(doc, view, problems);
  const base = { requestBodySchema: models, requiredParameters: parameters, requestBody: requestBodyShape(doc, view, problems), ...(pointer ? { pointer } : {}) };
  if (named === undefined || named === null) return { requestValidation: { body: false, parameters: false }, ...base };
  const name = text(named);
  if (name === undefined || name instanceof Unknown) return { requestValidation: name ?? new Unknown(`${VALIDATOR} is not a name`), ...base };
  const validators = doc[VALIDATORS];
  const validator = isData(validators) ? validators[name] : undefined;
  if (!isData(validator)) return { requestValidation: new Unknown(`the request validator "${name}" is not defined in ${VALIDATORS}`), ...base };
  return { requestValidation: { body: flag(validator.validateRequestBody) ?? false, parameters: flag(validator.validateRequestParameters) ?? false }, ...base };
}

/**
 * Whether the operation gives its body a schema: an OpenAPI 3 `requestBody` with a media type that
 * has a `schema`, or an OpenAPI 2 `in: body` parameter with one. API Gateway turns it into the
 * method's request model.
 */
export function declaresBodySchema(doc: Data, view: OperationView, problems: Set<string>): Maybe<boolean> {
  const body = deref(view.operation.requestBody, doc, problems);
  if (body instanceof Unknown) return body;
  if (isData(body) && isData(body.content)) {
    return Object.values(body.content).some((media) => isData(media) && media.schema !== undefined && media.schema !== null);
  }
  return parametersOf(doc, view, problems).some((parameter) => parameter.in === 'body' && parameter.schema !== undefined && parameter.schema !== null);
}

function requestModels(doc: Data, view: OperationView, problems: Set<string>): Maybe<boolean> {
  return declaresBodySchema(doc, view, problems);
}

/** Whether a path, query or header parameter is required (path parameters always are). */
function requiredParameters(doc: Data, view: OperationView, problems: Set<string>): Maybe<boolean> {
  return parametersOf(doc, view, problems).some((parameter) => parameter.in === 'path' || ((parameter.in === 'query' || parameter.in === 'header') && parameter.required === true));
}

/** The operation's parameters and its path item's, `$ref`s followed. */
function parametersOf(doc: Data, view: OperationView, problems: Set<string>): Data[] {
  const lists = [view.pathItem.parameters, view.operation.parameters];
  const out: Data[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const parameter = deref(item, doc, problems);
      if (isData(parameter)) out.push(parameter);
    }
  }
  return out;
}
