import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { discover } from '../../../src/sources/discover.js';
import { INPUT_DETECTORS } from '../../../src/pipeline/input-formats.js';
import { loadTerraform, type TerraformConfiguration } from '../../../src/sources/terraform/load.js';
import { FileAccess } from '../../../src/sources/file-access.js';
import { AWS_COMPUTED_ATTRIBUTES } from '../../../providers/aws/terraform/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform');

async function load(dir: string, options: { vars?: Map<string, string>; varFiles?: string[] } = {}): Promise<TerraformConfiguration> {
  const root = path.join(fixtures, dir);
  const files = discover(['.'], root, INPUT_DETECTORS).files.map((file) => file.path);
  return loadTerraform(files, { scanRoot: root, access: accessTo(root), computedAttributes: AWS_COMPUTED_ATTRIBUTES, ...options });
}

/** The file access of a scan of `root`. */
function accessTo(root: string): FileAccess {
  return new FileAccess({ roots: [root], display: (file) => path.relative(root, file).split(path.sep).join('/') });
}

function byAddress(config: TerraformConfiguration, address: string) {
  const found = config.resources.find((resource) => resource.address === address);
  if (!found) throw new Error(`${address} not found among ${config.resources.map((r) => r.address).join(', ')}`);
  return found;
}

describe('loading Terraform', () => {
  it('expands module for_each and resource count into instance addresses, with tfvars applied', async () => {
    const config = await load('modules');
    expect(config.resources.map((resource) => resource.address).sort()).toEqual([
      'aws_api_gateway_rest_api.legacy[0]',
      'aws_api_gateway_rest_api.legacy[1]',
      'module.api["orders"].aws_apigatewayv2_api.this',
      'module.api["orders"].aws_apigatewayv2_stage.default',
      'module.api["payments"].aws_apigatewayv2_api.this',
      'module.api["payments"].aws_apigatewayv2_stage.default',
    ]);
    expect(byAddress(config, 'module.api["payments"].aws_apigatewayv2_api.this').values.name).toBe('payments-staging');
    const stage = byAddress(config, 'module.api["orders"].aws_apigatewayv2_stage.default');
    expect(stage.values.default_route_settings).toEqual([{ throttling_rate_limit: 100, throttling_burst_limit: 50 }]);
    expect(stage.location).toMatchObject({ file: 'modules/http-api/main.tf', startLine: 14 });
    expect(stage.modulePath).toBe('module.api["orders"]');
    // Reading a module's file does not make the module directory a root of its own.
    expect(config.files).toContain('modules/http-api/main.tf');
  });

  it('keeps data sources and remote modules unknown, with a diagnostic for the module', async () => {
    const config = await load('modules');
    const name = byAddress(config, 'aws_api_gateway_rest_api.legacy[1]').values.name;
    expect(name).toBeInstanceOf(Unknown);
    expect((name as Unknown).reason).toContain('data.aws_caller_identity.current.account_id is known only after apply');
    expect(config.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'not-scanned', address: 'module.vpc', location: expect.objectContaining({ file: 'root/main.tf', startLine: 32 }) }),
    );
  });

  it('applies --var-file and --var after tfvars, in that order', async () => {
    const config = await load('modules', { varFiles: [path.join(fixtures, 'modules/root/terraform.tfvars')], vars: new Map([['env', 'prod'], ['stage_count', '1']]) });
    expect(byAddress(config, 'module.api["orders"].aws_apigatewayv2_api.this').values.name).toBe('orders-prod');
    expect(config.resources.filter((resource) => resource.type === 'aws_api_gateway_rest_api')).toHaveLength(1);
  });

  it('reports a file that does not parse with its line, and still reads the others', async () => {
    const config = await load('syntax-error');
    expect(config.resources.map((resource) => resource.address)).toEqual(['aws_api_gateway_rest_api.ok']);
    const errors = config.diagnostics.filter((diagnostic) => diagnostic.code === 'parse-error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ severity: 'error', location: { file: 'broken.tf', startLine: 4, startColumn: 39 } });
    expect(errors[0]!.message).toMatch(/Unclosed configuration block/);
  });

  it('reads empty and comment-only files as empty modules', async () => {
    const config = await load('empty');
    expect(config.resources).toEqual([]);
    expect(config.diagnostics).toEqual([]);
    expect([...config.files].sort()).toEqual(['comments-only.tf', 'empty.tf']);
  });

  it('reads .tf.json with positions for attributes and nested blocks', async () => {
    const config = await load('json-config');
    const method = byAddress(config, 'aws_api_gateway_method.get');
    expect(method.values.authorization).toBe('NONE');
    expect(method.locate(['authorization'])).toMatchObject({ file: 'main.tf.json', startLine: 14 });
    const settings = byAddress(config, 'aws_api_gateway_method_settings.all');
    expect(settings.locate(['settings', 0, 'throttling_rate_limit'])).toMatchObject({ startLine: 22 });
    expect(byAddress(config, 'aws_api_gateway_rest_api.api').values.name).toBe('json-api');
  });

  it('expands dynamic blocks with an iterator, keeps $${ escapes literal and reads heredocs', async () => {
    const config = await load('dynamic-heredoc');
    const api = byAddress(config, 'aws_apigatewayv2_api.api');
    expect(api.values.cors_configuration).toEqual([{ allow_origins: ['https://a.example.com', 'https://b.example.com'], allow_methods: ['GET'] }]);
    expect(api.locate(['cors_configuration', 0, 'allow_origins'])).toMatchObject({ startLine: 14 });
    expect(api.values.description).toBe('costs ${price} per call');
    expect(api.values.body).toMatch(/^openapi: 3\.0\.1\ninfo:\n {2}title: dyn/);
  });

  it('turns a reference cycle into an unknown value instead of looping', async () => {
    const config = await load('cycle');
    const name = byAddress(config, 'aws_api_gateway_rest_api.api').values.name;
    expect(name).toBeInstanceOf(Unknown);
    expect((name as Unknown).reason).toMatch(/cycle/);
  });

  it('checks a resource with an unknown for_each once, as [*], and says why', async () => {
    const config = await load('unknown-for-each');
    const route = byAddress(config, 'aws_apigatewayv2_route.r[*]');
    expect(route.values.route_key).toBeInstanceOf(Unknown);
    expect(config.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unresolved', address: 'aws_apigatewayv2_route.r', location: expect.objectContaining({ file: 'main.tf', startLine: 11 }) }),
    );
  });

  it('reads registry modules that terraform init downloaded into .terraform/modules', async () => {
    const config = await load('downloaded-module');
    expect(byAddress(config, 'module.gw.aws_api_gateway_rest_api.this').values.name).toBe('from-registry');
    expect(config.diagnostics).toEqual([]);
  });
});

describe('variable types', () => {
  it('applies optional() attribute defaults and converts primitives, as Terraform does', async () => {
    const config = await load('optional-defaults');
    const get = byAddress(config, 'module.routes.aws_apigatewayv2_route.route["GET /items"]');
    const post = byAddress(config, 'module.routes.aws_apigatewayv2_route.route["POST /items"]');
    expect(get.values.authorization_type).toBe('AWS_IAM');
    expect(get.values.authorization_scopes).toBeNull();
    expect(get.values.request_parameter).toEqual([{ request_parameter_key: 'route.request.header.x-rate', required: false }]);
    expect(post.values.authorization_type).toBe('NONE');
    expect(post.values.request_parameter).toEqual([{ request_parameter_key: 'route.request.header.x-rate', required: true }]);
    expect(config.diagnostics).toEqual([]);
  });
});

describe('ugly inputs', () => {
  it('reports binary garbage in a .tf file once, as a file that is not text, and reads the rest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-garbage-'));
    writeFileSync(path.join(dir, 'garbage.tf'), Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x0a, 0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(path.join(dir, 'ok.tf'), 'resource "aws_api_gateway_rest_api" "ok" {\n  name = "ok"\n}\n');
    const config = await loadTerraform([path.join(dir, 'garbage.tf'), path.join(dir, 'ok.tf')], { scanRoot: dir, access: accessTo(dir) });
    expect(config.resources.map((resource) => resource.address)).toEqual(['aws_api_gateway_rest_api.ok']);
    expect(config.diagnostics).toEqual([
      { severity: 'error', code: 'read-error', message: 'garbage.tf is binary, not text (it holds a NUL byte at offset 0); it was not read', location: { file: 'garbage.tf', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } },
    ]);
  });

  it('keeps line numbers exact at the end of a large file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-large-'));
    const blocks = Array.from({ length: 3000 }, (_, i) => `resource "aws_api_gateway_rest_api" "api_${i}" {\n  name = "api-${i}"\n  description = <<-EOT\n    API ${i}\n  EOT\n}\n`);
    writeFileSync(path.join(dir, 'large.tf'), blocks.join('\n'));
    const config = await loadTerraform([path.join(dir, 'large.tf')], { scanRoot: dir, access: accessTo(dir) });
    expect(config.resources).toHaveLength(3000);
    const last = byAddress(config, 'aws_api_gateway_rest_api.api_2999');
    expect(last.location).toMatchObject({ file: 'large.tf', startLine: 2999 * 7 + 1 });
    expect(last.locate(['name'])).toMatchObject({ startLine: 2999 * 7 + 2 });
    expect(last.values.description).toBe('API 2999\n');
  });

  it('reports a --var-file that does not exist as an error', async () => {
    const config = await load('json-config', { varFiles: [path.join(fixtures, 'json-config/missing.tfvars')] });
    expect(config.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'read-error', location: expect.objectContaining({ file: 'missing.tfvars' }) }));
  });
});
