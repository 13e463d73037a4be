import { Unknown } from '../../../src/model/unknown.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { addSecret, holdsCredential } from '../../shared/secret-setting.js';
import { readObject } from '../../shared/values.js';

/**
 * Emits the credentials held by stage variables and by static integration request parameters (see
 * `holdsCredential`), never their values. REST integrations send a static value as a quoted string
 * (`'Bearer ...'`); anything else they map from the request, the context or a stage variable. HTTP
 * API integrations write `append:header.X` / `overwrite:querystring.x` keys, with a static value or
 * one read from `$request`, `$context` or `$stageVariables`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 */
export function emitSecrets(ctx: TerraformContext): void {
  for (const [type, attribute] of [['aws_api_gateway_stage', 'variables'], ['aws_apigatewayv2_stage', 'stage_variables']] as const) {
    for (const resource of ctx.ofType(type)) {
      const variables = readObject(resource.values[attribute]);
      if (variables === undefined || variables instanceof Unknown) continue;
      for (const [name, value] of Object.entries(variables)) {
        if (holdsCredential(name, value)) addSecret(ctx, resource, 'stage-variable', name, [attribute, name], value, ctx.idOf(resource.address));
      }
    }
  }
  for (const resource of ctx.ofType('aws_api_gateway_integration')) {
    const parameters = readObject(resource.values.request_parameters);
    if (parameters === undefined || parameters instanceof Unknown) continue;
    for (const [key, raw] of Object.entries(parameters)) {
      const target = /^integration\.request\.(header|querystring)\.(.+)$/.exec(key);
      if (!target) continue;
      // A quoted value is static; an unquoted one maps a request, context or stage value
      // (`method.request.header.X`, `context.x`, `stageVariables.x`), written here so that
      // holdsCredential reads it as a value read elsewhere, whatever the expression.
      const value = typeof raw === 'string' ? (/^'.*'$/s.test(raw.trim()) ? raw.trim().slice(1, -1) : `method.request.${raw.trim()}`) : raw;
      const name = `${target[1]} ${target[2]}`;
      if (holdsCredential(target[2]!, value)) addSecret(ctx, resource, 'integration-parameter', name, ['request_parameters', key], value, null);
    }
  }
  for (const resource of ctx.ofType('aws_apigatewayv2_integration')) {
    const parameters = readObject(resource.values.request_parameters);
    if (parameters === undefined || parameters instanceof Unknown) continue;
    for (const [key, value] of Object.entries(parameters)) {
      const target = /^(?:append|overwrite):(header|querystring)\.(.+)$/.exec(key);
      if (!target) continue;
      const name = `${target[1]} ${target[2]}`;
      if (holdsCredential(target[2]!, value)) addSecret(ctx, resource, 'integration-parameter', name, ['request_parameters', key], value, null);
    }
  }
}
