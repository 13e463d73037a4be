import type { RequestValidation, Route } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import { readBool, readObject } from '../../shared/values.js';
import type { TerraformContext } from '../../shared/terraform-context.js';

/** What a REST method asks API Gateway to check of its requests, and where that is written. */
export interface MethodRequestChecks {
  readonly details: Pick<Route, 'requestValidation' | 'requestBodySchema' | 'requiredParameters'>;
  /** Where the method names its validator, else the method itself. */
  readonly location: SourceLocation;
  /**
   * Whether the method declares a request body: a `request_models` entry maps a content type to a
   * model, which is the body's schema, so a method declares a body exactly when it declares its
   * schema (unknown when `request_models` is). Unlike the checks, it holds for a mock integration
   * too: it is what the method's contract says, as an OpenAPI requestBody is.
   */
  readonly declaresRequestBody: Maybe<boolean>;
  /** Where `request_models` is written, when it is. */
  readonly bodyLocation?: SourceLocation;
}

/** A method without a validator checks nothing (API Gateway's default). */
const NO_VALIDATION: RequestValidation = { body: false, parameters: false };

/**
 * Reads what an `aws_api_gateway_method` (or a CloudFormation Method or live method translated into
 * one) validates: its `request_validator_id` names an `aws_api_gateway_request_validator` whose
 * `validate_request_body` and `validate_request_parameters` default to false. A validator id that
 * names nothing in the input (a literal id of a validator created elsewhere, a variable) is unknown.
 */
export function methodRequestChecks(ctx: TerraformContext, method: ResourceView): MethodRequestChecks {
  const values = method.values;
  const validatorId = values.request_validator_id;
  const models = declaresModels(values.request_models);
  const details = { requestBodySchema: models, requiredParameters: declaresRequiredParameters(values.request_parameters) };
  const body = { declaresRequestBody: models, ...(values.request_models !== undefined && values.request_models !== null ? { bodyLocation: method.locate(['request_models']) } : {}) };
  if (validatorId === undefined || validatorId === null || validatorId === '') {
    return { details: { requestValidation: NO_VALIDATION, ...details }, location: method.location, ...body };
  }
  const location = method.locate(['request_validator_id']);
  const validator = ctx.target(validatorId, 'aws_api_gateway_request_validator');
  if (!validator) {
    const reason = validatorId instanceof Unknown ? validatorId.reason : 'the request validator it names is not in the scanned configuration';
    return { details: { requestValidation: new Unknown(`what the method validates is unknown: ${reason}`), ...details }, location, ...body };
  }
  return { details: { requestValidation: validatorChecks(validator), ...details }, location, ...body };
}

/** What a validator checks; an unset flag is false, as API Gateway defaults it. */
export function validatorChecks(validator: ResourceView): RequestValidation {
  return {
    body: readBool(validator.values.validate_request_body) ?? false,
    parameters: readBool(validator.values.validate_request_parameters) ?? false,
  };
}

/** Whether `request_models` maps some content type to a model. */
function declaresModels(value: Value | undefined): Maybe<boolean> {
  const models = readObject(value);
  if (models === undefined) return false;
  if (models instanceof Unknown) return models;
  return Object.keys(models).length > 0;
}

/**
 * Whether `request_parameters` marks some parameter required (`"method.request.querystring.id" =
 * true`): only required parameters are checked by a validator.
 */
function declaresRequiredParameters(value: Value | undefined): Maybe<boolean> {
  const parameters = readObject(value);
  if (parameters === undefined) return false;
  if (parameters instanceof Unknown) return parameters;
  let unknown: Unknown | undefined;
  for (const flag of Object.values(parameters)) {
    const required = readBool(flag);
    if (required === true) return true;
    if (required instanceof Unknown) unknown ??= required;
  }
  return unknown ?? false;
}
