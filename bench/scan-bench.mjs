#!/usr/bin/env node
// Scan benchmark for gatewarden (`npm run bench`; options: --files N, --keep, --runs N, --profile, --plan-mb N, --history-runs N, --history-findings N).
//
// Generates a deterministic synthetic Terraform tree under bench/.tree/ (default 1,000 files, about
// ten API Gateway resource instances per file: REST and HTTP APIs in a few root modules, each of
// which also calls one local module through for_each and count), then measures, each in a fresh
// `node` child process:
//   parse-only  the files parsed one by one by @cdktf/hcl2json alone (the floor gatewarden is compared with)
//   scan        `gatewarden scan <tree> --format json --output <tmp> --fail-on never`: wall time, peak RSS
//   --version   `gatewarden --version`, averaged over 10 runs, plus which modules it loads
// parse-only and scan alternate for --runs rounds (default 3); times (wall and CPU) are the best of
// the runs, peak RSS the highest. Targets: scan wall time within 1.5x of parse-only, peak RSS under
// 500 MB, --version under 120 ms. It is a measurement, not a test: the exit code is 0 whatever the
// numbers, unless the scan crashes. --profile adds one scan under `node --cpu-prof` and prints where
// its CPU time goes. The tree is deleted afterwards unless --keep is given.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { JSON_PARSE_ONLY, generatePlan } from './plan-case.mjs';
import { runAuditCase } from './audit-case.mjs';
import { READ_LIMIT, runAzureAuditCase } from './azure-audit-case.mjs';
import { runGcpAuditCase } from './audit-gcp-case.mjs';
import { historyOutput, runHistoryCase } from './history-case.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TREE = path.join(ROOT, 'bench', '.tree');
const BIN = path.join(ROOT, 'bin', 'gatewarden.js');
const GNU_TIME = '/usr/bin/time';

const TARGET = { ratio: 1.5, rssMb: 500, versionMs: 120, planRatio: 3, callsPerRestApi: 5, auditRatio: 1.3, callsPerAzureApi: 2, gcpCallsPerApi: 3 };
const VERSION_RUNS = 10;

// ---------------------------------------------------------------------------------------------------
// Synthetic tree

const STACKS = ['payments', 'catalog', 'identity', 'logistics'];
const SERVICES = ['orders', 'customers', 'invoices', 'search', 'reviews', 'shipping', 'inventory', 'pricing', 'accounts', 'notifications', 'reports', 'media'];
const MODULE_DIR = 'modules/rest-service';

const pad = (n) => String(n).padStart(4, '0');

/** The local module every stack calls: a small REST API with keys and a usage plan. */
function moduleFiles() {
  const files = {};
  files['variables.tf'] = `variable "name" {
  description = "Name of the API."
  type        = string
}

variable "stage_name" {
  type    = string
  default = "prod"
}

variable "authorization" {
  description = "NONE, AWS_IAM or COGNITO_USER_POOLS."
  type        = string
  default     = "AWS_IAM"
}

variable "user_pool_arn" {
  type    = string
  default = ""
}

variable "paths" {
  type    = list(string)
  default = ["orders", "customers", "invoices"]
}

variable "rate_limit" {
  type    = number
  default = 100
}

variable "burst_limit" {
  type    = number
  default = 50
}

variable "tags" {
  type    = map(string)
  default = {}
}
`;
  files['main.tf'] = `resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = <<-EOT
    ${'${var.name}'} REST API.
    Paths: ${'${join(", ", var.paths)}'}.
  EOT

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

resource "aws_api_gateway_resource" "this" {
  for_each    = toset(var.paths)
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.value
}

resource "aws_api_gateway_method" "this" {
  for_each      = aws_api_gateway_resource.this
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = each.value.id
  http_method   = "GET"
  authorization = var.authorization
  authorizer_id = var.authorization == "COGNITO_USER_POOLS" ? aws_api_gateway_authorizer.this[0].id : null
}

resource "aws_api_gateway_integration" "this" {
  for_each                = aws_api_gateway_method.this
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = each.value.resource_id
  http_method             = each.value.http_method
  integration_http_method = "GET"
  type                    = "HTTP_PROXY"
  uri                     = "https://backend.internal.example.com/${'${each.key}'}"
}
`;
  files['auth.tf'] = `resource "aws_api_gateway_authorizer" "this" {
  count         = var.authorization == "COGNITO_USER_POOLS" ? 1 : 0
  name          = "${'${var.name}'}-cognito"
  rest_api_id   = aws_api_gateway_rest_api.this.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [var.user_pool_arn]
}
`;
  files['stage.tf'] = `resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = jsonencode([for path, method in aws_api_gateway_method.this : "${'${path}'}:${'${method.authorization}'}"])
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  deployment_id        = aws_api_gateway_deployment.this.id
  rest_api_id          = aws_api_gateway_rest_api.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_rate_limit  = var.rate_limit
    throttling_burst_limit = var.burst_limit
  }
}

resource "aws_api_gateway_api_key" "partner" {
  name    = "${'${var.name}'}-partner"
  enabled = true
}

resource "aws_api_gateway_usage_plan" "partner" {
  name = "${'${var.name}'}-partner"

  api_stages {
    api_id = aws_api_gateway_rest_api.this.id
    stage  = aws_api_gateway_stage.this.stage_name
  }

  throttle_settings {
    rate_limit  = var.rate_limit / 2
    burst_limit = var.burst_limit / 2
  }
}

resource "aws_api_gateway_usage_plan_key" "partner" {
  key_id        = aws_api_gateway_api_key.partner.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.partner.id
}
`;
  files['outputs.tf'] = `output "api_id" {
  value = aws_api_gateway_rest_api.this.id
}

output "stage_name" {
  value = aws_api_gateway_stage.this.stage_name
}
`;
  return files;
}

/** Resource instances one module instance holds, by its authorization (3 paths by default). */
function moduleInstanceResources(authorization) {
  // rest_api, 3 resources, 3 methods, 3 integrations, deployment, stage, method_settings, key, plan, plan key
  return 1 + 3 + 3 + 3 + 1 + 1 + 1 + 3 + (authorization === 'COGNITO_USER_POOLS' ? 1 : 0);
}

const MODULE_CALLS = [
  { key: 'billing', auth: 'AWS_IAM', rate: 50 },
  { key: 'ledger', auth: 'COGNITO_USER_POOLS', rate: 100 },
  { key: 'exports', auth: 'NONE', rate: 20 },
];
const EDGE_COUNT = 2; // the "<stack>_edge" call uses count; its authorization is the module default, AWS_IAM

// Call names differ per stack: gatewarden keys resources by address without the root directory, so the
// same call name in two root modules would make their resources collide (see the report of this bench).
function stackMain(stack) {
  const calls = MODULE_CALLS.map((call) => `    ${call.key.padEnd(7)} = { auth = "${call.auth}", rate = ${call.rate} }`).join('\n');
  return `terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

module "${stack}_services" {
  source   = "../../${MODULE_DIR}"
  for_each = {
${calls}
  }

  name          = "${'${local.prefix}'}-${'${each.key}'}"
  stage_name    = var.stage_name
  authorization = each.value.auth
  user_pool_arn = var.user_pool_arn
  rate_limit    = each.value.rate
  burst_limit   = each.value.rate * 2
  tags          = local.common_tags
}

module "${stack}_edge" {
  source = "../../${MODULE_DIR}"
  count  = var.enable_edge ? ${EDGE_COUNT} : 0

  name  = "${'${local.prefix}'}-edge-${'${count.index}'}"
  paths = ["status", "version", "ping"]
  tags  = merge(local.common_tags, { Tier = "edge" })
}

output "service_stages" {
  value = { for key, service in module.${stack}_services : key => service.stage_name }
}
`;
}

function stackVariables(stack) {
  const variable = (name, type, value, description) =>
    `variable "${name}" {\n${description ? `  description = "${description}"\n` : ''}  type        = ${type}\n  default     = ${value}\n}\n`;
  return [
    variable('region', 'string', '"eu-west-1"'),
    variable('environment', 'string', '"production"', 'Deployment environment.'),
    variable('stage_name', 'string', '"prod"'),
    variable('endpoint_type', 'string', '"REGIONAL"'),
    variable('enable_edge', 'bool', 'true'),
    variable('domain', 'string', `"${stack}.example.com"`),
    variable('user_pool_arn', 'string', '"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example"'),
    variable('backend_lambda_arn', 'string', `"arn:aws:lambda:eu-west-1:123456789012:function:${stack}-backend"`),
    variable('backend_invoke_arn', 'string', `"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:${stack}-backend/invocations"`),
    variable('log_group_arn', 'string', `"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/${stack}"`),
    variable('certificate_arn', 'string', '"arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"'),
    variable('jwt_issuer', 'string', '"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"'),
    variable('jwt_audience', 'list(string)', '["web", "mobile"]'),
    `variable "throttle" {
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 100
    burst_limit = 200
  }
}
`,
  ].join('\n');
}

function stackLocals(stack) {
  return `locals {
  prefix = "${'${var.environment}'}-${'${basename(path.module)}'}"

  common_tags = {
    Environment = var.environment
    Stack       = "${stack}"
    ManagedBy   = "terraform"
  }

  allowed_origins = ["https://app.${'${var.domain}'}", "https://admin.${'${var.domain}'}"]

  access_log_format = jsonencode({
    requestId = "$context.requestId"
    sourceIp  = "$context.identity.sourceIp"
    method    = "$context.httpMethod"
    status    = "$context.status"
  })
}
`;
}

// REST variants: route authorizations, whether a Cognito authorizer, an API key or throttling exist.
const REST_VARIANTS = [
  { routes: { items: 'COGNITO_USER_POOLS', health: 'NONE' }, authorizer: true, key: false, settings: true },
  { routes: { items: 'AWS_IAM', admin: 'AWS_IAM' }, authorizer: false, key: true, settings: false },
  { routes: { items: 'NONE', status: 'NONE' }, authorizer: false, key: false, settings: true, apiKeyRequired: true },
];

/** A file with one REST API: returns its text and how many resource instances it declares. */
function restFile(index, stack) {
  const id = `r${pad(index)}`;
  const service = SERVICES[index % SERVICES.length];
  const name = `${service}-${pad(index)}`;
  const variant = REST_VARIANTS[Math.floor(index / 3) % REST_VARIANTS.length];
  const staticKey = variant.key && index % 2 === 0;
  const routes = Object.entries(variant.routes)
    .map(([path, auth]) => `    ${path.padEnd(6)} = { path = "${path}", auth = "${auth}" }`)
    .join('\n');
  let text = `# ${name}: REST API of the ${stack} stack (generated by bench/scan-bench.mjs)

locals {
  ${id}_routes = {
${routes}
  }
}

resource "aws_api_gateway_rest_api" "${id}" {
  name        = "${'${local.prefix}'}-${name}"
  description = <<-EOT
    ${service} API ${pad(index)} for ${'${var.environment}'}.
    Routes: ${'${join(", ", keys(local.' + id + '_routes))}'}.
  EOT

  endpoint_configuration {
    types = [var.endpoint_type]
  }

  tags = merge(local.common_tags, { Api = "${name}" })
}
`;
  if (variant.authorizer) {
    text += `
resource "aws_api_gateway_authorizer" "${id}" {
  name          = "${name}-cognito"
  rest_api_id   = aws_api_gateway_rest_api.${id}.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [var.user_pool_arn]
}
`;
  }
  text += `
resource "aws_api_gateway_resource" "${id}" {
  for_each    = local.${id}_routes
  rest_api_id = aws_api_gateway_rest_api.${id}.id
  parent_id   = aws_api_gateway_rest_api.${id}.root_resource_id
  path_part   = each.value.path
}

resource "aws_api_gateway_method" "${id}" {
  for_each      = local.${id}_routes
  rest_api_id   = aws_api_gateway_rest_api.${id}.id
  resource_id   = aws_api_gateway_resource.${id}[each.key].id
  http_method   = "GET"
  authorization = each.value.auth
${variant.authorizer ? `  authorizer_id = each.value.auth == "COGNITO_USER_POOLS" ? aws_api_gateway_authorizer.${id}.id : null\n` : ''}${variant.apiKeyRequired ? '  api_key_required = true\n' : ''}}

resource "aws_api_gateway_integration" "${id}" {
  for_each                = aws_api_gateway_method.${id}
  rest_api_id             = aws_api_gateway_rest_api.${id}.id
  resource_id             = each.value.resource_id
  http_method             = each.value.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = var.backend_invoke_arn
}

resource "aws_api_gateway_deployment" "${id}" {
  rest_api_id = aws_api_gateway_rest_api.${id}.id

  triggers = {
    redeployment = jsonencode([for key, method in aws_api_gateway_method.${id} : "${'${key}'}:${'${method.authorization}'}"])
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "${id}" {
  deployment_id        = aws_api_gateway_deployment.${id}.id
  rest_api_id          = aws_api_gateway_rest_api.${id}.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = var.log_group_arn
    format          = local.access_log_format
  }
}
`;
  if (variant.settings) {
    text += `
resource "aws_api_gateway_method_settings" "${id}" {
  rest_api_id = aws_api_gateway_rest_api.${id}.id
  stage_name  = aws_api_gateway_stage.${id}.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }
}
`;
  }
  if (variant.key) {
    text += `
resource "aws_api_gateway_api_key" "${id}" {
  name    = "${name}-partner"
  enabled = true
${staticKey ? `  value   = "bench-static-key-${pad(index)}-not-a-real-secret"\n` : ''}}
`;
  }
  const routeCount = Object.keys(variant.routes).length;
  const resources = 1 + 3 * routeCount + 2 + (variant.authorizer ? 1 : 0) + (variant.settings ? 1 : 0) + (variant.key ? 1 : 0);
  return { text, resources };
}

/** A file with one HTTP API (CORS, JWT authorizer, routes, stage, custom domain). */
function httpFile(index, stack) {
  const id = `h${pad(index)}`;
  const service = SERVICES[index % SERVICES.length];
  const name = `${service}-${pad(index)}`;
  const openCors = index % 5 === 0;
  const routes = {
    'GET /items': 'JWT',
    'POST /items': 'JWT',
    'DELETE /items/{id}': 'AWS_IAM',
    'GET /health': 'NONE',
  };
  const routeLines = Object.entries(routes)
    .map(([key, auth]) => `    ${`"${key}"`.padEnd(20)} = "${auth}"`)
    .join('\n');
  const text = `# ${name}: HTTP API of the ${stack} stack (generated by bench/scan-bench.mjs)

locals {
  ${id}_routes = {
${routeLines}
  }
}

resource "aws_apigatewayv2_api" "${id}" {
  name          = "${'${local.prefix}'}-${name}"
  protocol_type = "HTTP"
  description   = <<-EOT
    ${service} HTTP API ${pad(index)} (${'${var.environment}'}).
  EOT

  cors_configuration {
    allow_origins     = ${openCors ? '["*"]' : 'local.allowed_origins'}
    allow_methods     = ["GET", "POST", "DELETE", "OPTIONS"]
    allow_headers     = ["authorization", "content-type"]
    allow_credentials = ${openCors ? 'false' : 'true'}
    max_age           = 300
  }

  tags = local.common_tags
}

resource "aws_apigatewayv2_authorizer" "${id}" {
  api_id           = aws_apigatewayv2_api.${id}.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "${name}-jwt"

  jwt_configuration {
    audience = var.jwt_audience
    issuer   = var.jwt_issuer
  }
}

resource "aws_apigatewayv2_integration" "${id}" {
  api_id                 = aws_apigatewayv2_api.${id}.id
  integration_type       = "AWS_PROXY"
  integration_uri        = var.backend_lambda_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "${id}" {
  for_each           = local.${id}_routes
  api_id             = aws_apigatewayv2_api.${id}.id
  route_key          = each.key
  authorization_type = each.value
  authorizer_id      = each.value == "JWT" ? aws_apigatewayv2_authorizer.${id}.id : null
  target             = "integrations/${'${aws_apigatewayv2_integration.' + id + '.id}'}"
}

resource "aws_apigatewayv2_stage" "${id}" {
  api_id      = aws_apigatewayv2_api.${id}.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }

  access_log_settings {
    destination_arn = var.log_group_arn
    format          = local.access_log_format
  }
}

resource "aws_apigatewayv2_domain_name" "${id}" {
  domain_name = "${name}.${'${var.domain}'}"

  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "${id}" {
  api_id      = aws_apigatewayv2_api.${id}.id
  domain_name = aws_apigatewayv2_domain_name.${id}.id
  stage       = aws_apigatewayv2_stage.${id}.id
}
`;
  return { text, resources: 6 + Object.keys(routes).length };
}

/** Writes the tree and returns what it holds. Deterministic: the same --files gives the same bytes. */
function generateTree(dir, fileCount) {
  rmSync(dir, { recursive: true, force: true });
  const stats = { files: 0, bytes: 0, resources: 0, rootModules: STACKS.length, moduleInstances: 0 };
  const write = (relative, text) => {
    const full = path.join(dir, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    stats.files++;
    stats.bytes += Buffer.byteLength(text);
  };

  for (const [name, text] of Object.entries(moduleFiles())) write(`${MODULE_DIR}/${name}`, text);
  for (const stack of STACKS) {
    write(`stacks/${stack}/main.tf`, stackMain(stack));
    write(`stacks/${stack}/variables.tf`, stackVariables(stack));
    write(`stacks/${stack}/locals.tf`, stackLocals(stack));
    for (const call of MODULE_CALLS) stats.resources += moduleInstanceResources(call.auth);
    stats.resources += EDGE_COUNT * moduleInstanceResources('AWS_IAM');
    stats.moduleInstances += MODULE_CALLS.length + EDGE_COUNT;
  }
  const apiFiles = fileCount - stats.files;
  for (let i = 0; i < apiFiles; i++) {
    const stack = STACKS[i % STACKS.length];
    const kind = i % 3 === 2 ? 'http' : 'rest';
    const { text, resources } = kind === 'http' ? httpFile(i, stack) : restFile(i, stack);
    write(`stacks/${stack}/${kind === 'http' ? 'http' : 'api'}-${pad(i)}.tf`, text);
    stats.resources += resources;
  }
  return stats;
}

/** The .tf files of a tree, sorted as gatewarden sorts them. */
function listTerraformFiles(dir) {
  const out = [];
  const walk = (current) => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.tf')) out.push(full);
    }
  };
  walk(dir);
  return out.sort((a, b) => a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------------
// Child processes

const PARSE_ONLY = `// Parses every listed file with @cdktf/hcl2json, sequentially, as gatewarden's reader does.
import { readFileSync } from 'node:fs';
const [hclUrl, listFile] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));
const started = performance.now();
const { parse } = await import(hclUrl);
const imported = performance.now();
let failures = 0;
for (const file of files) {
  try {
    await parse(file, readFileSync(file, 'utf8'));
  } catch {
    failures++;
  }
}
const done = performance.now();
process.stdout.write(JSON.stringify({ files: files.length, failures, importMs: imported - started, parseMs: done - imported }));
`;

// Fallback when /usr/bin/time is missing: report peak RSS (KB on Linux) and CPU seconds at exit.
const USAGE_PRELOAD = `process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write('\\n__usage__ ' + usage.maxRSS + ' ' + usage.userCPUTime / 1e6 + ' ' + usage.systemCPUTime / 1e6 + '\\n');
});
`;

// Records every module a process loads, to show what \`--version\` pulls in.
const MODULE_LOG_PRELOAD = `import { register } from 'node:module';
register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { log: process.env.BENCH_MODULE_LOG } });
`;
const MODULE_LOG_HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;

const useGnuTime = existsSync(GNU_TIME);

/** Runs `node <args>` once; returns wall time, peak RSS (KB), CPU seconds, exit status, stdout and stderr. */
function runNode(args, { measure = true, env } = {}) {
  const nodeArgs = measure && !useGnuTime ? ['--import', pathToFileURL(path.join(work, 'usage.mjs')).href, ...args] : args;
  const [command, commandArgs] = measure && useGnuTime ? [GNU_TIME, ['-f', '__usage__ %M %U %S', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const started = performance.now();
  const result = spawnSync(command, commandArgs, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  const wallMs = performance.now() - started;
  if (result.error) throw result.error;
  let stderr = result.stderr;
  let rssKb;
  let cpuS;
  const marker = /\n?__usage__ (\d+) ([\d.]+) ([\d.]+)\n?$/.exec(stderr.trimEnd() + '\n');
  if (marker) {
    rssKb = Number(marker[1]);
    cpuS = Number(marker[2]) + Number(marker[3]);
    stderr = stderr.slice(0, marker.index).replace(/\n?Command exited with non-zero status \d+\s*$/, '');
  }
  return { wallMs, rssKb, cpuS, status: result.status, signal: result.signal, stdout: result.stdout, stderr };
}

/**
 * Runs the measurements in turn, `runs` rounds (interleaved, so that a busy moment on the machine
 * hits both alike). For each: the fastest wall time, the least CPU time and the highest peak RSS.
 */
function interleaved(runs, measurements) {
  const results = Object.fromEntries(Object.keys(measurements).map((label) => [label, []]));
  for (let i = 0; i < runs; i++) {
    for (const [label, once] of Object.entries(measurements)) {
      const result = once();
      results[label].push(result);
      progress(`${label} ${i + 1}/${runs}: ${(result.wallMs / 1000).toFixed(2)} s wall${result.cpuS === undefined ? '' : `, ${result.cpuS.toFixed(2)} s CPU`}${result.rssKb ? `, ${(result.rssKb / 1024).toFixed(0)} MB` : ''}`);
      if (result.failed) return { [label]: { ...result, runs: results[label] } };
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([label, all]) => {
      const fastest = all.reduce((best, result) => (result.wallMs < best.wallMs ? result : best));
      const cpu = all.map((result) => result.cpuS).filter((value) => value !== undefined);
      const rss = all.map((result) => result.rssKb).filter((value) => value !== undefined);
      return [label, { ...fastest, cpuS: cpu.length ? Math.min(...cpu) : undefined, rssKb: rss.length ? Math.max(...rss) : undefined, runs: all }];
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// CPU profile summary (--profile)

function summarizeProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  // A WASM module has no name in the profile: name it after the package whose JS calls into it.
  const wasmCallers = new Map();
  for (const node of profile.nodes) {
    if (!node.callFrame.url.startsWith('wasm://')) continue;
    let caller = parentOf.get(node.id);
    while (caller && (caller.callFrame.url.startsWith('wasm://') || caller.callFrame.url === '')) caller = parentOf.get(caller.id);
    const pkg = caller && /node_modules\/((@[^/]+\/)?[^/]+)/.exec(caller.callFrame.url)?.[1];
    if (pkg && !wasmCallers.has(node.callFrame.url)) wasmCallers.set(node.callFrame.url, pkg);
  }
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const areaOf = ({ functionName, url }) => {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return 'V8 (program/idle)';
    if (url.includes('@cdktf/hcl2json')) return '@cdktf/hcl2json (JS glue)';
    if (url.includes('web-tree-sitter')) return 'web-tree-sitter (JS glue)';
    if (url.startsWith('wasm://')) return `${wasmCallers.get(url) ?? url} (WASM)`;
    if (url.includes('cel-js')) return 'cel-js (policies)';
    if (url.includes('node_modules/')) return url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
    if (url.includes('/dist/providers/')) return 'gatewarden providers/';
    if (url.includes('/dist/src/')) return `gatewarden src/${url.replace(/^.*\/dist\/src\//, '').replace(/\/[^/]+$/, '').replace(/\.js$/, '')}`;
    if (url.startsWith('node:') || url === '') return 'Node.js internals / native';
    return url;
  };
  const functions = new Map();
  const areas = new Map();
  let total = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    total += micros;
    const url = wasmCallers.get(callFrame.url) ?? callFrame.url.replace(/^.*\/(node_modules|dist)\//, '');
    const where = callFrame.url.startsWith('wasm://') ? `${url} (WASM)` : url ? `${url}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'}  ${where}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const area = areaOf(callFrame);
    areas.set(area, (areas.get(area) ?? 0) + micros);
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  const line = ([name, micros]) => `  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`;
  return [
    `CPU profile of one scan: ${(total / 1e6).toFixed(2)} s sampled`,
    'by area (self time):',
    ...top(areas, 12).map(line),
    'top functions (self time):',
    ...top(functions, 20).map(line),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Main

const { values: options } = parseArgs({
  allowNegative: true,
  options: {
    files: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'plan-mb': { type: 'string', default: '100' },
    audit: { type: 'boolean', default: true },
    'azure-audit': { type: 'boolean', default: true },
    only: { type: 'string' },
    'history-runs': { type: 'string', default: '365' },
    'history-findings': { type: 'string', default: '5000' },
    'history-pg-runs': { type: 'string', default: '90' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  process.stdout.write('usage: node bench/scan-bench.mjs [--files N (default 1000)] [--runs N (default 3)] [--keep (keep bench/.tree)] [--profile] [--plan-mb N (default 100; 0 skips the plan case)] [--no-audit (skips the AWS and GCP audit cases, about 110 s)] [--no-azure-audit (skips the Azure audit case, about 100 s)] [--history-runs N (default 365; 0 skips the history case, about 3 min)] [--history-findings N (results a run, default 5000)] [--history-pg-runs N (default 90; 0 skips the PostgreSQL history case)] [--only scan|plan|aws-audit|azure-audit|gcp-audit|history|history-postgres (runs that case alone)]\n');
  process.exit(0);
}
const CASES = ['scan', 'plan', 'aws-audit', 'azure-audit', 'gcp-audit', 'history', 'history-postgres'];
if (options.only !== undefined && !CASES.includes(options.only)) throw new Error(`--only must be one of ${CASES.join(', ')}`);
/** Whether a case runs: every case by default, or the one named with --only. */
const wants = (name) => options.only === undefined || options.only === name;
const fileCount = Number(options.files);
const runs = Number(options.runs);
const minimumFiles = Object.keys(moduleFiles()).length + 3 * STACKS.length + 1;
if (!Number.isInteger(fileCount) || fileCount < minimumFiles) throw new Error(`--files must be a whole number of at least ${minimumFiles}`);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1');
const historyRuns = Number(options['history-runs']);
const historyFindings = Number(options['history-findings']);
if (!Number.isInteger(historyRuns) || historyRuns < 0) throw new Error('--history-runs must be a whole number (0 skips the history case)');
if (!Number.isInteger(historyFindings) || historyFindings < 100) throw new Error('--history-findings must be a whole number of at least 100');
const historyPgRuns = Number(options['history-pg-runs']);
if (!Number.isInteger(historyPgRuns) || historyPgRuns < 0) throw new Error('--history-pg-runs must be a whole number (0 skips the PostgreSQL history case)');
if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

const progress = (message) => process.stderr.write(`bench: ${message}\n`);
const work = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-bench-'));
let exitCode = 0;
try {
  writeFileSync(path.join(work, 'parse-only.mjs'), PARSE_ONLY);
  writeFileSync(path.join(work, 'usage.mjs'), USAGE_PRELOAD);
  writeFileSync(path.join(work, 'module-log.mjs'), MODULE_LOG_PRELOAD);
  writeFileSync(path.join(work, 'module-log-hooks.mjs'), MODULE_LOG_HOOKS);

  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

  const reportFile = path.join(work, 'report.json');
  const scanArgs = [BIN, 'scan', path.relative(ROOT, TREE), '--format', 'json', '--output', reportFile, '--fail-on', 'never'];
  // a. to c.: the scan of a generated tree (skipped by --only with another case).
  if (wants('scan')) {
    progress(`generating ${fileCount} files in ${path.relative(ROOT, TREE)}/`);
    const tree = generateTree(TREE, fileCount);
    const files = listTerraformFiles(TREE);
    writeFileSync(path.join(work, 'files.json'), JSON.stringify(files));

    // a. hcl2json alone, and b. the full scan, run in turn.
    const hclUrl = import.meta.resolve('@cdktf/hcl2json');
    const { 'parse-only': parseOnly, scan } = interleaved(runs, {
      'parse-only': () => {
        const result = runNode([path.join(work, 'parse-only.mjs'), hclUrl, path.join(work, 'files.json')]);
        if (result.status !== 0) throw new Error(`the parse-only run failed (exit ${result.status}):\n${result.stderr}`);
        return { ...result, detail: JSON.parse(result.stdout) };
      },
      scan: () => {
        rmSync(reportFile, { force: true });
        const result = runNode(scanArgs);
        const crashed = result.signal !== null || ![0, 1, 2].includes(result.status) || !existsSync(reportFile) || /internal error/.test(result.stderr);
        return { ...result, failed: crashed, report: crashed ? undefined : JSON.parse(readFileSync(reportFile, 'utf8')) };
      },
    });
    if (scan.failed) throw new Error(`the scan crashed (exit ${scan.status}${scan.signal ? `, signal ${scan.signal}` : ''}):\n${scan.stderr}`);
    if (parseOnly.detail.failures > 0) progress(`warning: hcl2json rejected ${parseOnly.detail.failures} generated files`);

    // c. --version: one warm-up, then the average of VERSION_RUNS runs; then once more recording the modules it loads.
    runNode([BIN, '--version'], { measure: false });
    const versionTimes = [];
    for (let i = 0; i < VERSION_RUNS; i++) {
      const result = runNode([BIN, '--version'], { measure: false });
      if (result.status !== 0) throw new Error(`gatewarden --version failed (exit ${result.status}):\n${result.stderr}`);
      versionTimes.push(result.wallMs);
    }
    const versionMs = versionTimes.reduce((sum, ms) => sum + ms, 0) / VERSION_RUNS;
    let baselineMs = 0;
    for (let i = 0; i < 5; i++) baselineMs += runNode(['-e', '0'], { measure: false }).wallMs / 5;
    const moduleLog = path.join(work, 'modules.log');
    writeFileSync(moduleLog, '');
    runNode(['--import', pathToFileURL(path.join(work, 'module-log.mjs')).href, BIN, '--version'], { measure: false, env: { BENCH_MODULE_LOG: moduleLog } });
    const loaded = readFileSync(moduleLog, 'utf8').split('\n').filter((url) => url.startsWith('file:') && !url.startsWith(pathToFileURL(work).href));
    const heavy = loaded.filter((url) => url.includes('/node_modules/') || /\/dist\/(src\/(scan|sources|engine)|providers)\b/.test(url));

    // d. the engine alone, with the four headline policies and with the full pack (issue 19): the
    // same tree scanned in-process by bench/engine-case.mjs, alternating, best of `runs` each.
    const engineRun = (pack) => () => {
      const result = runNode([path.join(ROOT, 'bench', 'engine-case.mjs'), TREE, pack], { measure: false });
      if (result.status !== 0) throw new Error(`the engine case (--pack ${pack}) failed (exit ${result.status}):\n${result.stderr}`);
      const detail = JSON.parse(result.stdout.trim().split('\n').at(-1));
      return { ...result, wallMs: detail.engineMs, cpuS: detail.engineCpuMs / 1000, detail };
    };
    const engine = interleaved(runs, { 'engine, headline pack': engineRun('headline'), 'engine, full pack': engineRun('all') });
    // The fastest run's wall time and the least CPU time of each (interleaved keeps both).
    const headlineEngine = { ...engine['engine, headline pack'].detail, engineMs: engine['engine, headline pack'].wallMs, engineCpuMs: 1000 * engine['engine, headline pack'].cpuS };
    const fullEngine = { ...engine['engine, full pack'].detail, engineMs: engine['engine, full pack'].wallMs, engineCpuMs: 1000 * engine['engine, full pack'].cpuS };
    const perCheck = (detail) => (1000 * detail.engineCpuMs) / Math.max(detail.checks, 1);

    // Report.
    const summary = scan.report.summary;
    const ratio = scan.wallMs / parseOnly.wallMs;
    const rssMb = scan.rssKb === undefined ? undefined : scan.rssKb / 1024;
    const cpu = (result) => (result.cpuS === undefined ? 'n/a' : `${result.cpuS.toFixed(2)} s`);
    const rows = [
      ['parse-only (hcl2json alone), wall', seconds(parseOnly.wallMs), '', ''],
      ['  CPU user+sys; in-process import + parse', `${cpu(parseOnly)}; ${seconds(parseOnly.detail.importMs)} + ${seconds(parseOnly.detail.parseMs)}`, '', ''],
      ['gatewarden scan, wall', seconds(scan.wallMs), '', ''],
      ['  CPU user+sys', cpu(scan), '', ''],
      ['scan / parse-only, wall', `${ratio.toFixed(2)}x`, `<= ${TARGET.ratio}x`, verdict(ratio <= TARGET.ratio)],
      ['scan / parse-only, CPU', scan.cpuS && parseOnly.cpuS ? `${(scan.cpuS / parseOnly.cpuS).toFixed(2)}x` : 'n/a', '', 'info'],
      ['resources per second (scan)', `${int(tree.resources / (scan.wallMs / 1000))} /s`, '', 'info'],
      ['entities per second (scan)', `${int(summary.entities / (scan.wallMs / 1000))} /s`, '', 'info'],
      [`engine, ${headlineEngine.policies} headline policies (${int(headlineEngine.checks)} checks): wall; CPU`, `${seconds(headlineEngine.engineMs)}; ${seconds(headlineEngine.engineCpuMs)} (${perCheck(headlineEngine).toFixed(0)} us/check)`, '', 'info'],
      [`engine, full pack of ${fullEngine.policies} policies (${int(fullEngine.checks)} checks): wall; CPU`, `${seconds(fullEngine.engineMs)}; ${seconds(fullEngine.engineCpuMs)} (${perCheck(fullEngine).toFixed(0)} us/check)`, '', 'info'],
      ['engine full / headline: wall; CPU; checks', `${(fullEngine.engineMs / headlineEngine.engineMs).toFixed(2)}x; ${(fullEngine.engineCpuMs / headlineEngine.engineCpuMs).toFixed(2)}x; ${(fullEngine.checks / Math.max(headlineEngine.checks, 1)).toFixed(2)}x`, '', 'info'],
      ['peak RSS, scan', rssMb === undefined ? 'n/a' : `${rssMb.toFixed(0)} MB`, `< ${TARGET.rssMb} MB`, rssMb === undefined ? 'n/a' : verdict(rssMb < TARGET.rssMb)],
      ['peak RSS, parse-only', parseOnly.rssKb === undefined ? 'n/a' : `${(parseOnly.rssKb / 1024).toFixed(0)} MB`, '', 'info'],
      [`gatewarden --version, mean of ${VERSION_RUNS}`, `${versionMs.toFixed(0)} ms (min ${Math.min(...versionTimes).toFixed(0)})`, `< ${TARGET.versionMs} ms`, verdict(versionMs < TARGET.versionMs)],
      ['  node -e 0, mean of 5', `${baselineMs.toFixed(0)} ms`, '', 'info'],
      ['  modules --version loads', `${loaded.length}, ${heavy.length ? `HEAVY: ${heavy.map((url) => url.replace(/^.*\/(node_modules|dist)\//, '')).join(', ')}` : 'no dependency or parser'}`, '', verdict(heavy.length === 0)],
    ];
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
    const format = (row) => `${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`.trimEnd();

    const out = [
      '',
      `gatewarden scan benchmark: ${int(tree.files)} files (${(tree.bytes / 1024 / 1024).toFixed(1)} MB) in ${tree.rootModules} root modules calling ${MODULE_DIR} ${tree.moduleInstances} times, ${int(tree.resources)} API Gateway resource instances`,
      `node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}; best of ${runs} alternating runs (wall and CPU), highest peak RSS${useGnuTime ? ' (/usr/bin/time)' : ' (process.resourceUsage)'}`,
      `scan report: ${summary.files} files, ${summary.entities} entities (${summary.gateways} gateways, ${summary.routes} routes), ${summary.findings.total} findings, ${summary.unevaluated} unknown checks, ${summary.errors} errors, ${summary.warnings} warnings; exit ${scan.status}`,
      '',
      format(['measure', 'value', 'target', 'result']),
      format(['-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '------']),
      ...rows.map(format),
    ];
    if (process.env.NODE_EXTRA_CA_CERTS) out.push('', 'note: NODE_EXTRA_CA_CERTS is set; Node.js reads that bundle at every start, which slows every process measured here');
    if (summary.files !== tree.files) out.push('', `note: the scan read ${summary.files} files, the tree has ${tree.files}`);
    if (scan.status === 2) {
      const problems = scan.report.diagnostics.filter((d) => d.severity === 'error').slice(0, 5);
      out.push('', `note: exit code 2, the scan is incomplete (${summary.errors} errors, ${summary.unevaluated} unknown checks)${problems.length ? ':' : ''}`);
      for (const d of problems) out.push(`  ${d.location?.file ?? ''}:${d.location?.startLine ?? ''} ${d.code}: ${d.message}`);
      for (const u of scan.report.unevaluated.slice(0, 5 - problems.length)) out.push(`  ${u.location.file}:${u.location.startLine} ${u.policyId}: ${u.reason ?? JSON.stringify(u)}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }

  // The plan case: terraform show -json of about --plan-mb megabytes, against JSON.parse alone.
  const planMb = Number(options['plan-mb']);
  if (planMb > 0 && wants('plan')) {
    const planFile = path.join(work, 'plan.json');
    progress(`generating a ${planMb} MB plan`);
    const planShape = generatePlan(planFile, planMb);
    writeFileSync(path.join(work, 'json-parse.mjs'), JSON_PARSE_ONLY);
    const planReport = path.join(work, 'plan-report.json');
    const { 'json-parse': jsonParse, 'plan scan': planScan } = interleaved(runs, {
      'json-parse': () => {
        const result = runNode([path.join(work, 'json-parse.mjs'), planFile]);
        if (result.status !== 0) throw new Error(`JSON.parse of the plan failed (exit ${result.status}):\n${result.stderr}`);
        return result;
      },
      'plan scan': () => {
        rmSync(planReport, { force: true });
        const result = runNode([BIN, 'scan', planFile, '--format', 'json', '--output', planReport, '--fail-on', 'never']);
        const crashed = result.signal !== null || ![0, 1, 2].includes(result.status) || !existsSync(planReport);
        return { ...result, failed: crashed, report: crashed ? undefined : JSON.parse(readFileSync(planReport, 'utf8')) };
      },
    });
    if (planScan.failed) throw new Error(`the plan scan crashed (exit ${planScan.status}):\n${planScan.stderr}`);
    const planRatio = planScan.wallMs / jsonParse.wallMs;
    const planSummary = planScan.report.summary;
    const planRows = [
      ['JSON.parse alone (read + parse), wall', seconds(jsonParse.wallMs), '', ''],
      ['gatewarden scan plan.json, wall', seconds(planScan.wallMs), '', ''],
      ['scan / JSON.parse, wall', `${planRatio.toFixed(2)}x`, `<= ${TARGET.planRatio}x`, verdict(planRatio <= TARGET.planRatio)],
      ['peak RSS, plan scan', planScan.rssKb === undefined ? 'n/a' : `${(planScan.rssKb / 1024).toFixed(0)} MB`, '', 'info'],
      ['peak RSS, JSON.parse alone', jsonParse.rssKb === undefined ? 'n/a' : `${(jsonParse.rssKb / 1024).toFixed(0)} MB`, '', 'info'],
    ];
    const planWidths = [0, 1, 2].map((column) => Math.max(...planRows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
    const planFormat = (row) => `${row[0].padEnd(planWidths[0])}  ${row[1].padStart(planWidths[1])}  ${row[2].padEnd(planWidths[2])}  ${row[3]}`.trimEnd();
    process.stdout.write(
      [
        '',
        `plan case: ${(planShape.bytes / 1024 / 1024).toFixed(0)} MB plan, ${int(planShape.resources)} resources (${int(planShape.gatewayResources)} API Gateway); scan report: ${planSummary.entities} entities, ${planSummary.findings.total} findings, ${planSummary.unevaluated} unknown checks, ${planSummary.errors} errors; exit ${planScan.status}`,
        '',
        planFormat(['measure', 'value', 'target', 'result']),
        planFormat(['-'.repeat(planWidths[0]), '-'.repeat(planWidths[1]), '-'.repeat(planWidths[2]), '------']),
        ...planRows.map(planFormat),
        '',
      ].join('\n'),
    );
  }

  // The audit case: a fake account behind a control plane limited to 10 requests per second.
  if (options.audit && wants('aws-audit')) {
    progress('auditing a fake account (200 REST APIs, 50 HTTP APIs) at 10 requests per second');
    // Through the pipeline's registry, as `gatewarden audit aws` runs it.
    const { audit: runAudit } = await import(pathToFileURL(path.join(ROOT, 'dist/src/pipeline/audit.js')).href);
    const audit = await runAuditCase((options) => runAudit('aws', options), { cwd: ROOT });
    const perRestApi = (audit.calls - 4 * audit.httpApis) / audit.restApis;
    const auditRatio = audit.wallMs / audit.minimumMs;
    const auditRows = [
      ['API calls, total (throttled and retried)', `${int(audit.calls)} (${int(audit.throttled)})`, '', 'info'],
      ['API calls per REST API, mean', perRestApi.toFixed(2), `<= ${TARGET.callsPerRestApi}`, verdict(perRestApi <= TARGET.callsPerRestApi)],
      ['minimum at 10 requests/s', seconds(audit.minimumMs), '', ''],
      ['audit, wall', seconds(audit.wallMs), '', ''],
      ['audit / minimum, wall', `${auditRatio.toFixed(2)}x`, `<= ${TARGET.auditRatio}x`, verdict(auditRatio <= TARGET.auditRatio)],
    ];
    const auditWidths = [0, 1, 2].map((column) => Math.max(...auditRows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
    const auditFormat = (row) => `${row[0].padEnd(auditWidths[0])}  ${row[1].padStart(auditWidths[1])}  ${row[2].padEnd(auditWidths[2])}  ${row[3]}`.trimEnd();
    process.stdout.write(
      [
        '',
        `audit case: ${audit.restApis} REST APIs of 20 resources, ${audit.httpApis} HTTP APIs, one region; report: ${audit.summary.gateways} gateways, ${audit.summary.routes} routes, ${audit.summary.errors} errors, incomplete ${audit.summary.incomplete}`,
        '',
        auditFormat(['measure', 'value', 'target', 'result']),
        auditFormat(['-'.repeat(auditWidths[0]), '-'.repeat(auditWidths[1]), '-'.repeat(auditWidths[2]), '------']),
        ...auditRows.map(auditFormat),
        '',
      ].join('\n'),
    );
  }

  // The Azure audit case: 20 API Management instances in one subscription behind ARM's read limit.
  if (options['azure-audit'] && wants('azure-audit')) {
    progress(`auditing a fake Azure subscription (20 instances x 40 APIs x 15 operations) behind ARM's read limit (${READ_LIMIT.bucket} requests, refilled at ${READ_LIMIT.perSecond}/s)`);
    const { audit: runAudit } = await import(pathToFileURL(path.join(ROOT, 'dist/src/pipeline/audit.js')).href);
    const azure = await runAzureAuditCase((options) => runAudit('azure', options), { cwd: ROOT });
    // The target counts, per API, its operations listing and its policy; the operations with a policy
    // of their own add one call each; the instance's own listings (APIs, products, named values...) are shown apart.
    const perApi = azure.apiCalls / azure.apis;
    const perInstance = (azure.calls - azure.apiCalls - azure.operationPolicyCalls) / azure.instances;
    const azureRatio = azure.wallMs / azure.minimumMs;
    const azureRows = [
      ['ARM calls, total (answered 429 and retried)', `${int(azure.calls)} (${int(azure.throttled)})`, '', 'info'],
      ['calls per API (operations listing, policy)', perApi.toFixed(2), `<= ${TARGET.callsPerAzureApi}`, verdict(perApi <= TARGET.callsPerAzureApi)],
      ['calls per operation with its own policy', (azure.operationPolicyCalls / azure.operationPolicies).toFixed(2), '<= 1', verdict(azure.operationPolicyCalls <= azure.operationPolicies)],
      ['calls per instance (its own listings)', perInstance.toFixed(1), '', 'info'],
      [`minimum at ${READ_LIMIT.bucket} + ${READ_LIMIT.perSecond}/s`, seconds(azure.minimumMs), '', ''],
      ['audit, wall', seconds(azure.wallMs), '', ''],
      ['audit / minimum, wall', `${azureRatio.toFixed(2)}x`, `<= ${TARGET.auditRatio}x`, verdict(azureRatio <= TARGET.auditRatio)],
    ];
    const azureWidths = [0, 1, 2].map((column) => Math.max(...azureRows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
    const azureFormat = (row) => `${row[0].padEnd(azureWidths[0])}  ${row[1].padStart(azureWidths[1])}  ${row[2].padEnd(azureWidths[2])}  ${row[3]}`.trimEnd();
    process.stdout.write(
      [
        '',
        `azure audit case: ${azure.instances} instances, ${int(azure.apis)} APIs, ${int(azure.operations)} operations (${int(azure.operationPolicies)} with their own policy), one subscription; report: ${int(azure.summary.gateways)} gateways, ${int(azure.summary.routes)} routes, ${azure.summary.errors} errors, incomplete ${azure.summary.incomplete}`,
        '',
        azureFormat(['measure', 'value', 'target', 'result']),
        azureFormat(['-'.repeat(azureWidths[0]), '-'.repeat(azureWidths[1]), '-'.repeat(azureWidths[2]), '------']),
        ...azureRows.map(azureFormat),
        '',
      ].join('\n'),
    );
  }

  // The GCP audit case: 30 projects of 10 APIs with 3 configs, each project limited to 10 reads per second.
  if (options.audit && wants('gcp-audit')) {
    progress('auditing 30 fake GCP projects (10 APIs of 3 configs each, one of them gRPC) at 10 reads per second per project');
    const { audit: runAudit } = await import(pathToFileURL(path.join(ROOT, 'dist/src/pipeline/audit.js')).href);
    const gcp = await runGcpAuditCase((options) => runAudit('gcp', options), { cwd: ROOT });
    // The same audit without a rate limit: what the audit itself costs (clients, parsing, policies).
    const unlimited = await runGcpAuditCase((options) => runAudit('gcp', options), { cwd: ROOT, rateLimitPerSecond: 1_000_000 });
    const perApi = (gcp.calls - gcp.configsRead) / gcp.apis;
    const gcpRatio = gcp.wallMs / gcp.minimumMs;
    const rows = [
      ['API calls, total (requests refused with 429 and retried)', `${int(gcp.calls)} (${int(gcp.throttled)})`, '', 'info'],
      ['configs read (view=FULL) of configs listed', `${int(gcp.configsRead)} of ${int(gcp.configs)}`, '', 'info'],
      ['service configs of gRPC configs read (managed services)', int(gcp.serviceConfigsRead), '', 'info'],
      ['API calls per API besides one per config read, mean', perApi.toFixed(2), `<= ${TARGET.gcpCallsPerApi}`, verdict(perApi <= TARGET.gcpCallsPerApi)],
      ['minimum at 10 reads/s, busiest project', seconds(gcp.minimumMs), '', ''],
      ['audit without the rate limit, wall', seconds(unlimited.wallMs), '', 'info'],
      ['audit, wall', seconds(gcp.wallMs), '', ''],
      ['  first request; last request; end (after the start)', `${seconds(gcp.firstRequestMs)}; ${seconds(gcp.lastRequestMs)}; ${seconds(gcp.wallMs)}`, '', 'info'],
      ['  CPU user+sys of the audit (the fake runs in a process of its own)', seconds(gcp.cpuMs), '', 'info'],
      ['audit / minimum, wall', `${gcpRatio.toFixed(2)}x`, `<= ${TARGET.auditRatio}x`, verdict(gcpRatio <= TARGET.auditRatio)],
    ];
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ['measure', 'value', 'target'][column].length));
    const format = (row) => `${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`.trimEnd();
    process.stdout.write(
      [
        '',
        `GCP audit case: ${gcp.projects} projects, ${gcp.apis} APIs, ${gcp.configs} configs; report: ${gcp.summary.gateways} gateways, ${gcp.summary.routes} routes, ${gcp.summary.errors} errors, incomplete ${gcp.summary.incomplete}`,
        '',
        format(['measure', 'value', 'target', 'result']),
        format(['-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '------']),
        ...rows.map(format),
        '',
      ].join('\n'),
    );
  }

  // The history case: a year of nightly runs recorded into SQLite, and the 90-day report (issue 18).
  if (historyRuns > 0 && wants('history')) {
    progress(`recording ${historyRuns} nightly runs of ${historyFindings} results into a SQLite history`);
    const history = await runHistoryCase({ runs: historyRuns, findings: historyFindings, progress });
    process.stdout.write(historyOutput(history));
  }
  // The same history, fewer runs, on a PostgreSQL server the case starts (as the tests do).
  if (historyPgRuns > 0 && wants('history-postgres')) {
    progress(`recording ${historyPgRuns} nightly runs of ${historyFindings} results into a PostgreSQL history`);
    const history = await runHistoryCase({ runs: historyPgRuns, findings: historyFindings, progress, store: 'postgres' });
    process.stdout.write(historyOutput(history));
  }

  if (options.profile && wants('scan')) {
    progress('profiling one scan with --cpu-prof');
    const profileDir = path.join(work, 'profile');
    const result = runNode(['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...scanArgs], { measure: false });
    const [profile] = existsSync(profileDir) ? readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile')) : [];
    process.stdout.write(profile ? `\n${summarizeProfile(path.join(profileDir, profile))}\n` : `\nno CPU profile was written (exit ${result.status})\n`);
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
  if (!options.keep) rmSync(TREE, { recursive: true, force: true });
}
process.exitCode = exitCode;
