import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity, Route } from '../../../src/model/entities.js';
// Logging policies have their own cases (policies/logging): these tests check the other concerns.
import { scan } from '../../helpers/without-logging.js';
import { Unknown } from '../../../src/model/unknown.js';
import { adaptAwsTerraform } from '../../../providers/aws/terraform/index.js';
import { refTo, viewOf } from '../../helpers/resource-view.js';

// Stand-ins at the adapter: which stages get a route that stands for their unseen routes, which
// resources are read together as naming the same outside API, and which never are.

const routes = (entities: readonly Entity[]): Route[] => entities.filter((entity): entity is Route => entity.kind === 'route');
const variable = (name: string): Unknown => new Unknown(`variable "${name}" has no value`, { address: `var.${name}`, attribute: 'value' });

describe('stand-in routes for stages none of whose routes is in the scan', () => {
  it('reads a REST stage and an HTTP route named by the same variable as two APIs', () => {
    const { entities } = adaptAwsTerraform([
      viewOf({ type: 'aws_api_gateway_stage', name: 'rest', values: { rest_api_id: variable('api_id'), stage_name: 'prod' } }),
      viewOf({ type: 'aws_api_gateway_method_settings', name: 'all', values: { rest_api_id: variable('api_id'), stage_name: 'prod', method_path: '*/*', settings: [{ throttling_rate_limit: 10, throttling_burst_limit: 5 }] } }),
      viewOf({ type: 'aws_apigatewayv2_route', name: 'http', values: { api_id: variable('api_id'), route_key: 'GET /orders', authorization_type: 'AWS_IAM' } }),
    ]);
    expect(routes(entities).map((route) => [route.id, route.standIn, route.rateLimit instanceof Unknown ? 'unknown' : route.rateLimit])).toEqual([
      // The REST stage's method settings say nothing of an HTTP API's route.
      ['aws_apigatewayv2_route.http', undefined, 'unknown'],
      ['aws_api_gateway_stage.rest/routes', 'api-outside-scan', { rateLimit: 10, burstLimit: 5, source: 'stage', stage: 'prod' }],
    ]);
  });

  it('leaves unknown what a stage known only from its method settings sets where it is defined: its web ACL, its cache', () => {
    const { entities } = adaptAwsTerraform([
      viewOf({ type: 'aws_api_gateway_method_settings', name: 'all', values: { rest_api_id: variable('api_id'), stage_name: 'prod', method_path: '*/*', settings: [{ throttling_rate_limit: 10, throttling_burst_limit: 5 }] } }),
    ]);
    const stage = entities.find((entity) => entity.kind === 'stage');
    // Its web ACL association is written with the stage, outside the scan: not known to be missing.
    expect(stage && 'wafAttached' in stage ? (stage.wafAttached as Unknown).reason : undefined).toBe(
      'the stage is defined outside the scanned configuration (only its method settings are here); its web ACL association is set where it is defined',
    );
    expect(stage && 'cacheEnabled' in stage ? (stage.cacheEnabled as Unknown).reason : undefined).toContain('its cache cluster is set where it is defined');
  });

  it('never joins two unknown API ids that do not say what they are (two outputs of one remote state)', () => {
    const remote = (): Unknown => new Unknown('data.terraform_remote_state.platform.outputs is known only after apply');
    const { entities } = adaptAwsTerraform([
      viewOf({ type: 'aws_apigatewayv2_stage', name: 'orders', values: { api_id: remote(), name: 'live', default_route_settings: [{ throttling_rate_limit: 50, throttling_burst_limit: 20 }] } }),
      viewOf({ type: 'aws_apigatewayv2_route', name: 'billing', values: { api_id: remote(), route_key: 'GET /invoices', authorization_type: 'AWS_IAM' } }),
    ]);
    const route = routes(entities).find((candidate) => candidate.id === 'aws_apigatewayv2_route.billing');
    expect(route?.rateLimit).toBeInstanceOf(Unknown);
    expect((route?.rateLimit as Unknown).reason).toContain('no stage in it names the same API');
    // The stage keeps its stand-in: no route of its API is known to be in the scan.
    expect(routes(entities).map((candidate) => candidate.id)).toContain('aws_apigatewayv2_stage.orders/routes');
  });

  it('gives routes of an outside API the limits of stages naming the same API, and no stand-in then', () => {
    const { entities } = adaptAwsTerraform([
      viewOf({ type: 'aws_apigatewayv2_stage', name: 'live', values: { api_id: variable('api_id'), name: 'live', default_route_settings: [{ throttling_rate_limit: 50, throttling_burst_limit: 20 }] } }),
      viewOf({ type: 'aws_apigatewayv2_route', name: 'get', values: { api_id: variable('api_id'), route_key: 'GET /orders', authorization_type: 'AWS_IAM' } }),
    ]);
    expect(routes(entities).map((route) => [route.id, route.parentId, route.rateLimit])).toEqual([
      ['aws_apigatewayv2_route.get', null, { rateLimit: 50, burstLimit: 20, source: 'stage', stage: 'live' }],
    ]);
  });

  it('takes the weakest per-route setting of the stage, where it is written', () => {
    const api = viewOf({ type: 'aws_apigatewayv2_api', name: 'api', values: { name: 'orders', protocol_type: 'HTTP' } });
    const { entities } = adaptAwsTerraform([
      api,
      viewOf({
        type: 'aws_apigatewayv2_stage',
        name: 'live',
        line: 7,
        values: {
          api_id: refTo(api),
          name: 'live',
          default_route_settings: [{ throttling_rate_limit: 50, throttling_burst_limit: 20 }],
          route_settings: [{ route_key: 'POST /import', throttling_rate_limit: -1, throttling_burst_limit: -1 }],
        },
      }),
    ]);
    expect(routes(entities)).toEqual([
      expect.objectContaining({
        id: 'aws_apigatewayv2_stage.live/routes',
        parentId: 'aws_apigatewayv2_api.api',
        key: '* /* (stage live)',
        standIn: 'routes-outside-scan',
        rateLimit: { rateLimit: -1, burstLimit: -1, source: 'route-settings', stage: 'live' },
        auth: expect.objectContaining({ kind: expect.any(Unknown), source: 'route' }),
      }),
    ]);
  });

  it('makes no stand-in in a live account, where an API without routes has none, and marks nothing', () => {
    const live = (init: Parameters<typeof viewOf>[0]): ReturnType<typeof viewOf> => viewOf({ ...init, format: 'live' });
    const api = live({ type: 'aws_apigatewayv2_api', name: 'api', values: { name: 'empty', protocol_type: 'HTTP', cors_configuration: [{ allow_origins: ['*'] }] } });
    const { entities } = adaptAwsTerraform([api, live({ type: 'aws_apigatewayv2_stage', name: 'live', values: { api_id: refTo(api), name: 'live' } })]);
    expect(routes(entities)).toEqual([]);
    expect(entities.find((entity) => entity.kind === 'cors')).not.toHaveProperty('standIn');
  });

  it('makes no stand-in for an API whose OpenAPI body could not be read: its routes are unread, not elsewhere', () => {
    const api = viewOf({ type: 'aws_api_gateway_rest_api', name: 'api', values: { name: 'pets', body: new Unknown('var.spec has no value') } });
    const { entities, diagnostics } = adaptAwsTerraform([api, viewOf({ type: 'aws_api_gateway_stage', name: 'prod', values: { rest_api_id: refTo(api), stage_name: 'prod' } })]);
    expect(routes(entities)).toEqual([]);
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['unresolved']);
  });
});

describe('a SAM API without a definition or events has no routes, and no stand-in', () => {
  const cwd = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision/sam-no-routes');

  it('keeps the stand-in of a CloudFormation API whose methods may be in another stack, and says the SAM API has no routes', async () => {
    const report = await scan({ cwd });
    expect(report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}${f.standIn ? ` ${f.standIn}` : ''}`).sort()).toEqual([
      'route-requires-auth template.yaml:StatusFunction.Status template.yaml:31',
      // LegacyApi (plain CloudFormation): its methods may be added by another stack.
      'throttling-configured template.yaml:LegacyStage/routes template.yaml:48 routes-outside-scan',
      // StatusApi's routes are its events: a real route, not a stand-in, reported with its stage.
      'throttling-configured template.yaml:StatusApiprodStage template.yaml:18',
      // No REST stage has a web ACL. AdminApi's two stages serve nothing (it has no route anywhere):
      // not applicable. LegacyApi's stage serves the methods another stack may add: reported.
      'waf-attached template.yaml:LegacyStage template.yaml:48',
      'waf-attached template.yaml:StatusApiprodStage template.yaml:18',
    ]);
    // AdminApi: SAM deploys it with an empty definition; there is nothing to call or to throttle.
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address} ${d.location?.file}:${d.location?.startLine}`)).toEqual([
      'info invalid-value AdminApi template.yaml:8',
    ]);
    expect(report.diagnostics[0]?.message).toMatch(/^API AdminApi has no routes: it has no DefinitionBody or DefinitionUri and no function event names it/);
  });
});
