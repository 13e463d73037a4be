import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/pipeline/scan.js';
import { loadConfig } from '../src/config/load.js';

// The quick start scans samples/; samples/README.md lists these findings for readers.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('bundled samples', () => {
  it('the insecure variant reports exactly the findings samples/README.md documents', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-terraform/insecure'] });
    const root = 'samples/aws-terraform/insecure';
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`${root}/`, ''), f.location.startLine, f.severity])).toEqual([
      ['route-requires-auth', 'module.storefront_api.aws_apigatewayv2_route.this["GET /catalog"]', 'modules/http-api/main.tf', 46, 'high'],
      // One finding on the $default stage, listing its three routes.
      ['throttling-configured', 'module.storefront_api.aws_apigatewayv2_stage.this', 'modules/http-api/main.tf', 51, 'medium'],
      ['route-requires-auth', 'aws_api_gateway_method.list_orders', 'rest-api.tf', 38, 'high'],
      // No request validator: the order body and the orderId path parameter reach Lambda unchecked.
      ['request-validation', 'aws_api_gateway_method.create_order', 'rest-api.tf', 51, 'low'],
      ['route-requires-auth', 'aws_api_gateway_method.create_order', 'rest-api.tf', 55, 'medium'],
      ['request-validation', 'aws_api_gateway_method.get_order', 'rest-api.tf', 69, 'low'],
      ['route-requires-auth', 'aws_api_gateway_method.get_order', 'rest-api.tf', 73, 'high'],
      ['cors-not-open', 'aws_api_gateway_integration_response.orders_options_200', 'rest-api.tf', 135, 'high'],
      ['cors-not-open', 'aws_api_gateway_gateway_response.cors["DEFAULT_4XX"]', 'rest-api.tf', 150, 'medium'],
      ['cors-not-open', 'aws_api_gateway_gateway_response.cors["DEFAULT_5XX"]', 'rest-api.tf', 150, 'medium'],
      // No web ACL filters what reaches the REST stage.
      ['waf-attached', 'aws_api_gateway_stage.orders', 'rest-api.tf', 190, 'medium'],
      ['throttling-configured', 'aws_api_gateway_method.get_order', 'rest-api.tf', 232, 'medium'],
      ['no-static-api-keys', 'aws_api_gateway_api_key.partner_acme', 'rest-api.tf', 262, 'high'],
      // At the literal in terraform.tfvars; modules/http-api/main.tf:7, which reads it, is related.
      ['cors-not-open', 'module.storefront_api.aws_apigatewayv2_api.this', 'terraform.tfvars', 4, 'critical'],
    ]);
  });

  it('the fixed variant is clean and complete, with the health check accepted by a comment', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-terraform/fixed'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, unevaluated: 0, warnings: 0, findings: { total: 0 }, suppressed: 1 });
    expect(report.summary.routes).toBe(8);
    expect(report.findings.map((f) => [f.policyId, f.address, `${f.location.file}:${f.location.startLine}`, f.suppressed?.kind, f.suppressed?.until, f.suppressed?.location.startLine])).toEqual([
      ['route-requires-auth', 'aws_api_gateway_method.health', 'samples/aws-terraform/fixed/rest-api.tf:38', 'in-source', '2027-06-30', 33],
    ]);
  });

  it('the insecure SAM application reports what SAM would deploy', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-sam/insecure'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.startLine, f.severity])).toEqual([
      // The partner key's value is a parameter default: written in the template.
      ['no-static-api-keys', 'PartnerKey', 12, 'high'],
      // The implicit API (the /health event) takes its stage settings from Globals.Api, which has none:
      // one finding on its Prod stage, for its two routes.
      // Neither stage of the implicit API writes an access log or an execution log, nor traces
      // (Globals.Api sets none of them).
      ['stage-access-logging', 'ServerlessRestApiDeployment', 19, 'medium'],
      ['stage-access-logging', 'ServerlessRestApiProdStage', 19, 'medium'],
      ['stage-execution-logging', 'ServerlessRestApiDeployment', 19, 'medium'],
      ['stage-execution-logging', 'ServerlessRestApiProdStage', 19, 'medium'],
      ['throttling-configured', 'ServerlessRestApiProdStage', 19, 'medium'],
      // No stage of either API has a web ACL.
      ['waf-attached', 'ServerlessRestApiDeployment', 19, 'medium'],
      ['waf-attached', 'ServerlessRestApiProdStage', 19, 'medium'],
      // At one line, findings come by severity: the tracing ones (low) last.
      ['stage-tracing', 'ServerlessRestApiDeployment', 19, 'low'],
      ['stage-tracing', 'ServerlessRestApiProdStage', 19, 'low'],
      // Globals.Api.Cors allows every origin, on both APIs.
      ['cors-not-open', 'EventsApieventsOptionsMethod/IntegrationResponses/0', 21, 'high'],
      ['cors-not-open', 'EventsApieventspageviewOptionsMethod/IntegrationResponses/0', 21, 'high'],
      ['cors-not-open', 'EventsApifeedOptionsMethod/IntegrationResponses/0', 21, 'high'],
      ['cors-not-open', 'ServerlessRestApihealthOptionsMethod/IntegrationResponses/0', 21, 'high'],
      // EventsApi throttles prod, but without OpenApiVersion SAM also deploys an unthrottled "Stage"
      // stage: one finding on it, for the API's six routes.
      // Its prod stage traces (TracingEnabled) but, like "Stage", writes no access or execution log.
      ['stage-access-logging', 'EventsApiDeployment', 26, 'medium'],
      ['stage-execution-logging', 'EventsApiDeployment', 26, 'medium'],
      ['throttling-configured', 'EventsApiDeployment', 26, 'medium'],
      ['waf-attached', 'EventsApiDeployment', 26, 'medium'],
      ['stage-tracing', 'EventsApiDeployment', 26, 'low'],
      // At its MethodSettings, which set throttling but no LoggingLevel.
      ['stage-access-logging', 'EventsApiprodStage', 42, 'medium'],
      ['stage-execution-logging', 'EventsApiprodStage', 42, 'medium'],
      ['waf-attached', 'EventsApiprodStage', 42, 'medium'],
      // Both event routes take a body that nothing checks at the gateway (no RequestModel).
      ['request-validation', 'TrackFunction.Track', 54, 'low'],
      ['request-validation', 'TrackFunction.PageView', 61, 'low'],
      ['route-requires-auth', 'TrackFunction.PageView', 68, 'high'],
      ['route-requires-auth', 'PartnerFeedFunction.Feed', 83, 'medium'],
      ['route-requires-auth', 'HealthFunction.Health', 100, 'high'],
    ]);
    const stage = report.findings.find((f) => f.address === 'EventsApiDeployment' && f.policyId === 'throttling-configured')!;
    expect(stage.message).toBe(
      'stage Stage of shop-events sets no stage-wide throttling (the stage SAM creates implicitly when OpenApiVersion is not set; set OpenApiVersion: 3.0.1 in Globals.Api or on the API to remove it): only the shared account-wide quota limits GET /feed, OPTIONS /events, OPTIONS /events/page-view, OPTIONS /feed, POST /events and 1 more',
    );
    expect(stage.routes!.map((route) => route.address).sort()).toEqual([
      'EventsApieventsOptionsMethod',
      'EventsApieventspageviewOptionsMethod',
      'EventsApifeedOptionsMethod',
      'PartnerFeedFunction.Feed',
      'TrackFunction.PageView',
      'TrackFunction.Track',
    ]);
  });

  it('the fixed SAM application is clean, with the health check accepted', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/aws-sam/fixed'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0, findings: { total: 0 }, suppressed: 1 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.suppressed?.reason])).toEqual([
      ['route-requires-auth', 'HealthFunction.Health', 'The status page polls it anonymously; it returns only "ok" and reads no data.'],
    ]);
  });

  it('the insecure API Management instance reports what its effective policies allow', async () => {
    const root = 'samples/azure-terraform/insecure';
    const report = await scan({ cwd: repo, paths: [root] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`${root}/`, ''), f.location.startLine, f.severity])).toEqual([
      // The service is public, in no virtual network, and no API filters callers by address.
      ['apim-inbound-restricted', 'azurerm_api_management_api.catalog', 'apis.tf', 2, 'medium'],
      // The price update (PUT) reaches the backend with no validate-content in its chain.
      ['apim-request-validation', 'azurerm_api_management_api_operation.update_price', 'apis.tf', 24, 'low'],
      ['apim-inbound-restricted', 'azurerm_api_management_api.loyalty', 'apis.tf', 48, 'medium'],
      // No token check anywhere on the loyalty API: the subscription key is all there is.
      ['route-requires-auth', 'azurerm_api_management_api_operation.balance', 'apis.tf', 48, 'medium'],
      // Neither the loyalty API's outbound policy nor the global one removes X-Powered-By and X-AspNet-Version.
      ['apim-backend-headers-removed', 'azurerm_api_management_api.loyalty', 'apis.tf', 84, 'low'],
      ['no-static-api-keys', 'azurerm_api_management_subscription.mobile_app', 'apis.tf', 117, 'high'],
      // The service's network setting, once on the service for both its APIs.
      ['apim-network-exposure', 'azurerm_api_management.shop', 'main.tf', 19, 'low'],
      ['no-static-api-keys', 'azurerm_api_management_named_value.loyalty_backend_key', 'main.tf', 46, 'high'],
      // The service-wide Application Insights diagnostic logs bodies and the Authorization header of every API.
      ['apim-diagnostics-payloads', 'azurerm_api_management.shop', 'main.tf', 79, 'medium'],
      // The catalog policy has no <base/>: the global CORS and rate limit do not run, and no key is needed.
      ['route-requires-auth', 'azurerm_api_management_api_operation.list_products', 'policies/catalog.xml', 2, 'high'],
      ['route-requires-auth', 'azurerm_api_management_api_operation.update_price', 'policies/catalog.xml', 2, 'high'],
      ['throttling-configured', 'azurerm_api_management_api_operation.list_products', 'policies/catalog.xml', 2, 'medium'],
      ['throttling-configured', 'azurerm_api_management_api_operation.update_price', 'policies/catalog.xml', 2, 'medium'],
      ['apim-backend-headers-removed', 'azurerm_api_management_api.catalog', 'policies/catalog.xml', 12, 'low'],
      ['cors-not-open', 'azurerm_api_management_policy.global/cors', 'policies/global.xml', 6, 'critical'],
    ]);
  });

  it('the fixed API Management instance is clean and complete', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/azure-terraform/fixed'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0, findings: { total: 0 }, routes: 3 });
  });

  it('the insecure GCP API Gateway reports what its spec lets through', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/gcp-terraform/insecure'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.startLine, f.severity])).toEqual([
      // The metric is misspelled (tracking_reads): no quota applies, and it would need an API key anyway.
      ['throttling-configured', 'google_api_gateway_api_config.delivery/GET /deliveries/{deliveryId}', 49, 'medium'],
      ['route-requires-auth', 'google_api_gateway_api_config.delivery/POST /deliveries/{deliveryId}/scans', 64, 'medium'],
      ['throttling-configured', 'google_api_gateway_api_config.delivery/GET /track/{trackingCode}', 73, 'medium'],
      ['route-requires-auth', 'google_api_gateway_api_config.delivery/GET /track/{trackingCode}', 76, 'high'],
      // The tracking page's backend is a plain http:// address.
      ['backend-https', 'google_api_gateway_api_config.delivery/GET /track/{trackingCode}', 77, 'medium'],
    ]);
    expect(report.diagnostics.map((d) => `${d.location?.startLine} ${d.message}`)).toEqual([
      '51 GET /deliveries/{deliveryId} charges metric "tracking_reads", which x-google-management.metrics does not define (did you mean "tracking-reads"?); no quota applies to it',
    ]);
  });

  it('the fixed GCP API Gateway is clean and complete', async () => {
    const report = await scan({ cwd: repo, paths: ['samples/gcp-terraform/fixed'] });
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0, findings: { total: 0 }, routes: 3 });
  });

  it('the split repository: each part reports what is written in it, as samples/split-repository/README.md says', async () => {
    const rows = async (folder: string): Promise<unknown[]> => {
      const report = await scan({ cwd: repo, paths: [`samples/split-repository/${folder}`] });
      expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0 });
      return report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`samples/split-repository/${folder}/`, ''), f.location.startLine, f.severity, f.standIn]);
    };
    // The module alone: its CORS is checked on the API, which stands for routes defined elsewhere.
    expect(await rows('aws-api-module')).toEqual([['cors-not-open', 'aws_apigatewayv2_api.this', 'variables.tf', 11, 'critical', 'routes-outside-scan']]);
    // The routes stack: the routes take the limits of the stage that names the same outside API.
    expect(await rows('aws-routes-stack')).toEqual([
      ['route-requires-auth', 'aws_apigatewayv2_route.order_receipt', 'main.tf', 32, 'high', undefined],
      ['throttling-configured', 'aws_apigatewayv2_route.order_receipt', 'main.tf', 50, 'medium', undefined],
    ]);
  });

  it('the APIs-only API Management folder reports its key and leaves unknown what the service decides, naming the setting', async () => {
    const root = 'samples/split-repository/apim-apis-only';
    const report = await scan({ cwd: repo, paths: [root] });
    // 11 checks wait for the service's global policy, 6 for its diagnostics.
    expect(report.summary).toMatchObject({ incomplete: true, errors: 0, warnings: 0, unevaluated: 17, routes: 3 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`${root}/`, ''), f.location.startLine, f.severity])).toEqual([
      ['no-static-api-keys', 'azurerm_api_management_named_value.partners_basic', 'main.tf', 41, 'high'],
    ]);
    // Every check but the diagnostics ones waits for the service's global policy.
    const global = report.unevaluated.filter((u) => !u.policyId.startsWith('apim-diagnostics'));
    expect(global.map((u) => [u.policyId, u.address, u.routeKey, u.location.file.replace(`${root}/`, ''), u.location.startLine, u.standIn ?? null])).toEqual([
      ['route-requires-auth', 'azurerm_api_management_api.orders', '* /orders/*', 'apis.tf', 5, 'routes-outside-scan'],
      // The service's global policy may remove the backends' headers, return context.LastError
      // details from its on-error section, or filter callers by address: each API's reference to the
      // service stands where that policy would.
      ['apim-backend-headers-removed', 'azurerm_api_management_api.orders', undefined, 'apis.tf', 5, null],
      ['apim-error-details', 'azurerm_api_management_api.orders', undefined, 'apis.tf', 5, null],
      ['apim-inbound-restricted', 'azurerm_api_management_api.orders', undefined, 'apis.tf', 5, null],
      ['apim-backend-headers-removed', 'azurerm_api_management_api.payments', undefined, 'apis.tf', 25, null],
      ['apim-error-details', 'azurerm_api_management_api.payments', undefined, 'apis.tf', 25, null],
      ['apim-inbound-restricted', 'azurerm_api_management_api.payments', undefined, 'apis.tf', 25, null],
      ['route-requires-auth', 'azurerm_api_management_api_operation.monthly_statement', 'GET /partners/statements/{month}', 'apis.tf', 45, null],
      ['apim-backend-headers-removed', 'azurerm_api_management_api.partners', undefined, 'apis.tf', 45, null],
      ['apim-error-details', 'azurerm_api_management_api.partners', undefined, 'apis.tf', 45, null],
      ['apim-inbound-restricted', 'azurerm_api_management_api.partners', undefined, 'apis.tf', 45, null],
    ]);
    for (const check of global) expect(check.reason).toContain('set azure.apim.services.platform-apim.policy in .gatewarden.yaml to its policy file, or to none');
    // The service's diagnostics log (or not) all three APIs: where it is defined.
    const logging = report.unevaluated.filter((u) => u.policyId.startsWith('apim-diagnostics'));
    expect(logging.map((u) => `${u.policyId} ${u.address}`).sort()).toEqual(
      ['orders', 'partners', 'payments'].flatMap((api) => [`apim-diagnostics azurerm_api_management_api.${api}`, `apim-diagnostics-payloads azurerm_api_management_api.${api}`]).sort(),
    );
    for (const check of logging) expect(check.reason).toContain('the API Management service is not in the scanned configuration');
  });

  it('the APIs-only folder with its config (split-repository/README.md) has the findings the README lists, and nothing unknown', async () => {
    const root = 'samples/split-repository/apim-apis-only';
    const config = loadConfig(path.join(repo, root, 'resolved.gatewarden.yaml'), (file) => path.relative(repo, file));
    const report = await scan({ cwd: repo, paths: [root], config });
    // The config gives the service's global policy and its diagnostics, network and protocols.
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, warnings: 0, unevaluated: 0 });
    expect(report.findings.map((f) => [f.policyId, f.address, f.location.file.replace(`${root}/`, ''), f.location.startLine, f.severity])).toEqual([
      // At the API's `subscription_required = false` (its policy file, with no token check, related).
      // The global policy accepts only the platform's Front Door and removes the backends' headers.
      ['route-requires-auth', 'azurerm_api_management_api.orders', 'apis.tf', 11, 'high'],
      ['no-static-api-keys', 'azurerm_api_management_named_value.partners_basic', 'main.tf', 41, 'high'],
      ['route-requires-auth', 'azurerm_api_management_api_operation.monthly_statement', 'policies/partners.xml', 4, 'medium'],
      // The TLS 1.1 the config file states of the service: one finding for its three APIs, at that line.
      ['apim-tls-protocols', 'azure.apim.services.platform-apim', 'resolved.gatewarden.yaml', 16, 'medium'],
    ]);
    expect(report.findings.at(-1)!.routes!.map((api) => api.address).sort()).toEqual(['azurerm_api_management_api.orders', 'azurerm_api_management_api.partners', 'azurerm_api_management_api.payments']);
  });

  it('scanning them all together keeps them apart', async () => {
    const report = await scan({ cwd: repo, paths: ['samples'] });
    // The split-repository samples leave unknown what is outside them: the scan is incomplete.
    expect(report.summary).toMatchObject({ incomplete: true, unevaluated: 17, gateways: 18, routes: 49, findings: { total: 65 }, suppressed: 2 });
    expect(report.findings.filter((f) => !f.suppressed).every((finding) => /^samples\/((aws-terraform|aws-sam|azure-terraform|gcp-terraform)\/insecure|split-repository)\//.test(finding.location.file))).toBe(true);
  });
});
