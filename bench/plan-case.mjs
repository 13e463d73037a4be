// The plan case of `npm run bench`: a synthetic `terraform show -json` plan of about --plan-mb
// megabytes (default 100), shaped like a real one: planned_values, resource_changes with
// after_unknown, and a configuration with module calls and references. Most of its bytes are
// resources gatewarden does not read (Lambda functions, IAM policies, buckets); about a tenth of the
// resources are API Gateway ones, spread over module instances. Target: the scan within 3x of
// JSON.parse alone on the same file.

import { writeFileSync } from 'node:fs';

const pad = (n) => String(n).padStart(5, '0');

/** One module instance: a REST API with two methods, a stage and settings, and resources around it. */
function unit(index) {
  const key = `svc-${pad(index)}`;
  const module = `module.svc["${key}"]`;
  const gateway = [
    ['aws_api_gateway_rest_api', 'this', undefined, { name: key, api_key_source: 'HEADER', body: null, tags: { team: 'platform', service: key } }, { id: true, root_resource_id: true, arn: true, execution_arn: true }],
    ['aws_api_gateway_resource', 'items', undefined, { path_part: 'items' }, { id: true, rest_api_id: true, parent_id: true, path: true }],
    ['aws_api_gateway_method', 'this', 'GET /items', { http_method: 'GET', authorization: index % 7 === 0 ? 'NONE' : 'AWS_IAM', api_key_required: false, authorizer_id: null }, { id: true, rest_api_id: true, resource_id: true }],
    ['aws_api_gateway_method', 'this', 'POST /items', { http_method: 'POST', authorization: 'AWS_IAM', api_key_required: false, authorizer_id: null }, { id: true, rest_api_id: true, resource_id: true }],
    ['aws_api_gateway_integration', 'this', 'GET /items', { http_method: 'GET', type: 'AWS_PROXY', integration_http_method: 'POST' }, { id: true, rest_api_id: true, resource_id: true, uri: true }],
    ['aws_api_gateway_integration', 'this', 'POST /items', { http_method: 'POST', type: 'AWS_PROXY', integration_http_method: 'POST' }, { id: true, rest_api_id: true, resource_id: true, uri: true }],
    ['aws_api_gateway_deployment', 'this', undefined, { description: 'deployment' }, { id: true, rest_api_id: true }],
    ['aws_api_gateway_stage', 'this', undefined, { stage_name: 'v1', xray_tracing_enabled: true }, { id: true, rest_api_id: true, deployment_id: true }],
    ['aws_api_gateway_method_settings', 'all', undefined, { method_path: '*/*', stage_name: 'v1', settings: [{ throttling_rate_limit: 100, throttling_burst_limit: 50, metrics_enabled: true }] }, { id: true, rest_api_id: true }],
  ];
  const statements = Array.from({ length: 40 }, (_, i) => ({ Sid: `Allow${i}`, Effect: 'Allow', Action: [`dynamodb:GetItem`, `dynamodb:Query`, `s3:GetObject`], Resource: `arn:aws:dynamodb:eu-west-1:123456789012:table/${key}-${i}` }));
  const environment = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`SETTING_${i}`, `value-${key}-${i}-${'x'.repeat(40)}`]));
  const filler = [
    ['aws_lambda_function', 'handler', undefined, { function_name: key, runtime: 'nodejs20.x', handler: 'index.handler', memory_size: 512, environment: [{ variables: environment }], tags: { service: key } }, { arn: true, invoke_arn: true, id: true }],
    ['aws_iam_role', 'lambda', undefined, { name: `${key}-lambda`, assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: statements.slice(0, 2) }) }, { arn: true, id: true }],
    ['aws_iam_role_policy', 'lambda', undefined, { name: `${key}-access`, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }, { id: true, role: true }],
    ['aws_s3_bucket', 'data', undefined, { bucket: `${key}-data`, tags: { service: key, environment: 'prod' } }, { arn: true, id: true }],
    ['aws_cloudwatch_log_group', 'api', undefined, { name: `/aws/apigateway/${key}`, retention_in_days: 30 }, { arn: true, id: true }],
    ['aws_sqs_queue', 'events', undefined, { name: `${key}-events`, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements.slice(0, 20) }) }, { arn: true, id: true, url: true }],
  ];
  return [...gateway, ...filler].map(([type, name, instance, after, unknown]) => {
    const address = `${module}.${type}.${name}${instance === undefined ? '' : `[${JSON.stringify(instance)}]`}`;
    return { address, module, type, name, instance, after, unknown };
  });
}

const CONFIG_RESOURCES = [
  ['aws_api_gateway_rest_api.this', {}],
  ['aws_api_gateway_resource.items', { rest_api_id: ['aws_api_gateway_rest_api.this.id'], parent_id: ['aws_api_gateway_rest_api.this.root_resource_id'] }],
  ['aws_api_gateway_method.this', { rest_api_id: ['aws_api_gateway_rest_api.this.id'], resource_id: ['aws_api_gateway_resource.items.id'] }],
  ['aws_api_gateway_integration.this', { rest_api_id: ['aws_api_gateway_rest_api.this.id'], resource_id: ['aws_api_gateway_resource.items.id'], uri: ['aws_lambda_function.handler.invoke_arn'] }],
  ['aws_api_gateway_deployment.this', { rest_api_id: ['aws_api_gateway_rest_api.this.id'] }],
  ['aws_api_gateway_stage.this', { rest_api_id: ['aws_api_gateway_rest_api.this.id'], deployment_id: ['aws_api_gateway_deployment.this.id'] }],
  ['aws_api_gateway_method_settings.all', { rest_api_id: ['aws_api_gateway_rest_api.this.id'] }],
];

/** Writes the plan; returns its size and how many resources it holds. */
export function generatePlan(file, megabytes) {
  const chunks = [];
  let bytes = 0;
  const planned = [];
  const changes = [];
  let resources = 0;
  let gatewayResources = 0;
  for (let index = 0; bytes < megabytes * 1024 * 1024; index++) {
    for (const r of unit(index)) {
      const common = { address: r.address, mode: 'managed', type: r.type, name: r.name, ...(r.instance === undefined ? {} : { index: r.instance }), provider_name: 'registry.terraform.io/hashicorp/aws' };
      const plannedText = JSON.stringify({ ...common, schema_version: 0, values: r.after, sensitive_values: {} });
      const changeText = JSON.stringify({ ...common, module_address: r.module, change: { actions: ['create'], before: null, after: r.after, after_unknown: r.unknown, before_sensitive: false, after_sensitive: {} } });
      planned.push(plannedText);
      changes.push(changeText);
      bytes += plannedText.length + changeText.length + 2;
      resources++;
      if (r.type.startsWith('aws_api_gateway')) gatewayResources++;
    }
  }
  const configuration = {
    provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
    root_module: {
      module_calls: {
        svc: {
          source: './modules/service',
          for_each_expression: { references: ['local.services'] },
          module: {
            resources: CONFIG_RESOURCES.map(([address, references]) => ({
              address,
              mode: 'managed',
              type: address.split('.')[0],
              name: address.split('.')[1],
              provider_config_key: 'aws',
              expressions: Object.fromEntries(Object.entries(references).map(([attribute, refs]) => [attribute, { references: refs }])),
              schema_version: 0,
            })),
          },
        },
      },
    },
  };
  chunks.push('{"format_version":"1.2","terraform_version":"1.11.4","variables":{},');
  chunks.push(`"planned_values":{"root_module":{"child_modules":[{"address":"module.svc","resources":[${planned.join(',')}]}]}},`);
  chunks.push(`"resource_changes":[${changes.join(',')}],`);
  chunks.push(`"configuration":${JSON.stringify(configuration)},"timestamp":"2026-11-28T00:00:00Z","applyable":true,"complete":true,"errored":false}`);
  const text = chunks.join('');
  writeFileSync(file, text);
  return { bytes: text.length, resources, gatewayResources };
}

/** A child script: reads the plan and JSON.parse()s it, nothing else (the baseline). */
export const JSON_PARSE_ONLY = `import { readFileSync } from 'node:fs';
JSON.parse(readFileSync(process.argv[2], 'utf8'));
`;
