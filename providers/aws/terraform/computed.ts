import { Unknown } from '../../../src/model/unknown.js';
import type { ComputedAttributeRule } from '../../../src/sources/terraform/instance.js';
import { isValueObject, type Value, type ValueObject } from '../../../src/sources/view/value.js';

/**
 * `aws_api_gateway_resource.path` is computed by AWS, but it is always the parent's path plus
 * `path_part`. Knowing it lets the usual `method_path = "${trimprefix(aws_api_gateway_resource.x.path, "/")}/GET"`
 * resolve, so per-method settings can be matched to their routes.
 */
const apiGatewayResource: ComputedAttributeRule = (name, context) => {
  if (name !== 'path') return undefined;
  const part = context.configured('path_part');
  const parent = context.configured('parent_id');
  if (typeof part !== 'string' || !(parent instanceof Unknown) || !parent.ref) return undefined;
  let parentPath: Value | undefined;
  if (parent.ref.attribute === 'root_resource_id') parentPath = '/';
  else if (parent.ref.attribute === 'id') parentPath = context.referenced(parent, 'path');
  if (typeof parentPath !== 'string') return undefined;
  return parentPath === '/' ? `/${part}` : `${parentPath}/${part}`;
};

function blocks(value: Value | undefined): ValueObject[] | Unknown {
  if (value === undefined || value === null) return [];
  if (value instanceof Unknown) return value;
  if (!Array.isArray(value)) return isValueObject(value) ? [value] : new Unknown('a block is not an object');
  const out: ValueObject[] = [];
  for (const item of value) {
    if (item instanceof Unknown) return item;
    if (isValueObject(item)) out.push(item);
  }
  return out;
}

/**
 * `data.aws_iam_policy_document.x.json` is computed, but the provider only renders the statement
 * blocks as JSON: `principals` become `Principal` (type `*` with `*` is `"*"`), `condition` blocks
 * become `Condition[test][variable] = values`. Rendering it lets a resource policy written this way be
 * evaluated. A document merged from others (`source_policy_documents`, `override_policy_documents`,
 * the older `source_json`/`override_json`) is left unknown; so is one with dynamic parts unresolved,
 * which is handed on with the known structure as its partial value.
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
 */
const iamPolicyDocument: ComputedAttributeRule = (name, context) => {
  if (name !== 'json' && name !== 'minified_json') return undefined;
  for (const merged of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    if (context.configured(merged) !== undefined) return undefined;
  }
  const statements = blocks(context.configured('statement'));
  if (statements instanceof Unknown) return statements;
  let unknown: Unknown | undefined;
  const note = (value: Value | undefined): Value | undefined => {
    if (value instanceof Unknown) unknown ??= value;
    else if (Array.isArray(value)) value.forEach(note);
    return value;
  };
  const principalsOf = (value: Value | undefined): Value | undefined => {
    const list = blocks(value);
    if (list instanceof Unknown) return note(list);
    if (list.length === 0) return undefined;
    const out: ValueObject = {};
    for (const block of list) {
      const type = block.type;
      if (type instanceof Unknown) return note(type);
      if (type === '*') return '*';
      if (typeof type !== 'string') continue;
      const existing = out[type];
      const ids = note(block.identifiers) ?? [];
      out[type] = [...(Array.isArray(existing) ? existing : []), ...(Array.isArray(ids) ? ids : [ids])];
    }
    return out;
  };
  const rendered = statements.map((statement) => {
    const out: ValueObject = { Effect: note(statement.effect) ?? 'Allow' };
    const put = (key: string, value: Value | undefined): void => {
      if (value !== undefined && value !== null) out[key] = note(value)!;
    };
    put('Sid', statement.sid);
    put('Action', statement.actions);
    put('NotAction', statement.not_actions);
    put('Resource', statement.resources);
    put('NotResource', statement.not_resources);
    put('Principal', principalsOf(statement.principals));
    put('NotPrincipal', principalsOf(statement.not_principals));
    const conditions = blocks(statement.condition);
    if (conditions instanceof Unknown) out.Condition = note(conditions)!;
    else if (conditions.length > 0) {
      const condition: ValueObject = {};
      for (const block of conditions) {
        if (typeof block.test !== 'string' || typeof block.variable !== 'string') {
          out.Condition = note(block.test instanceof Unknown ? block.test : block.variable instanceof Unknown ? block.variable : new Unknown('a condition block has no test or variable'))!;
          break;
        }
        const tests = (condition[block.test] ??= {}) as ValueObject;
        tests[block.variable] = note(block.values) ?? [];
      }
      out.Condition ??= condition;
    }
    return out;
  });
  const document: ValueObject = { Version: context.configured('version') ?? '2012-10-17', Statement: rendered };
  const found = unknown as Unknown | undefined;
  if (found) return new Unknown(`the policy document has a part that is unknown: ${found.reason}`, undefined, document);
  return JSON.stringify(document);
};

/** Computed-attribute rules for AWS resource types, by type. */
export const AWS_COMPUTED_ATTRIBUTES: ReadonlyMap<string, ComputedAttributeRule> = new Map([
  ['aws_api_gateway_resource', apiGatewayResource],
  ['aws_iam_policy_document', iamPolicyDocument],
]);
