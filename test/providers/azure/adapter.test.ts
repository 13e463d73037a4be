import { describe, expect, it } from 'vitest';
import type { Entity, EntityKind } from '../../../src/model/entities.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { adaptAzureTerraform } from '../../../providers/azure/terraform/index.js';
import { viewOf } from '../../helpers/resource-view.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ApimConfiguredPolicy, AzureSettings } from '../../../providers/azure/settings.js';

const byId = (entities: readonly Entity[], kind: EntityKind, id: string): Entity | undefined => entities.find((entity) => entity.kind === kind && entity.id === id);

const API_POLICY = `<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/contoso/v2.0/.well-known/openid-configuration" /></validate-jwt>
    <rate-limit calls="100" renewal-period="60" />
    <cors allow-credentials="true">
      <allowed-origins><origin>https://app.example.com</origin></allowed-origins>
      <allowed-methods><method>GET</method></allowed-methods>
      <allowed-headers><header>authorization</header></allowed-headers>
    </cors>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;

/** An operation policy without `<base/>` in inbound: the API's token check and limit no longer apply. */
const OPERATION_POLICY = `<policies>
  <inbound><rate-limit calls="5" renewal-period="1" /></inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;

/** A service, an API with two operations, the API's policy and one operation's policy. */
function apim(options: { subscriptionRequired?: boolean; policies?: boolean } = {}): ResourceView[] {
  const inService = { api_management_name: 'contoso' };
  const inApi = { ...inService, api_name: 'orders' };
  return [
    viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'contoso', sku_name: 'Developer_1' } }),
    viewOf({ type: 'azurerm_api_management_api', name: 'orders', values: { ...inService, name: 'orders', display_name: 'Orders', path: 'orders', protocols: ['https'], subscription_required: options.subscriptionRequired ?? false } }),
    viewOf({ type: 'azurerm_api_management_api_operation', name: 'get', values: { ...inApi, operation_id: 'get-order', method: 'GET', url_template: '/{id}', display_name: 'Get' } }),
    viewOf({ type: 'azurerm_api_management_api_operation', name: 'delete', values: { ...inApi, operation_id: 'delete-order', method: 'DELETE', url_template: '/{id}', display_name: 'Delete' } }),
    ...(options.policies === false
      ? []
      : [
          viewOf({ type: 'azurerm_api_management_api_policy', name: 'orders', values: { ...inApi, xml_content: API_POLICY } }),
          viewOf({ type: 'azurerm_api_management_api_operation_policy', name: 'delete', values: { ...inApi, operation_id: 'delete-order', xml_content: OPERATION_POLICY } }),
        ]),
  ];
}

describe('the Azure API Management adapter, given azurerm-shaped views', () => {
  it('makes the API a gateway with the settings of its service', () => {
    const { entities, diagnostics } = adaptAzureTerraform(apim());
    expect(diagnostics).toEqual([]);
    expect(byId(entities, 'gateway', 'azurerm_api_management_api.orders')).toMatchObject({
      name: 'Orders',
      provider: 'azure',
      azure: { service: 'contoso', sku: 'Developer_1', protocols: ['https'], subscriptionRequired: false, minimumClientTls: '1.2' },
    });
  });

  it('authenticates an operation by the validate-jwt of its API policy, and limits it by its rate-limit', () => {
    const route = byId(adaptAzureTerraform(apim()).entities, 'route', 'azurerm_api_management_api_operation.get');
    expect(route).toMatchObject({
      key: 'GET /orders/{id}',
      parentId: 'azurerm_api_management_api.orders',
      auth: { kind: 'jwt', source: 'policy' },
      rateLimit: { burstLimit: 100, source: 'policy' },
      azure: { dropsInheritedPolicy: false },
    });
    // 100 calls per 60 seconds.
    expect((route as { rateLimit: { rateLimit: number } }).rateLimit.rateLimit).toBeCloseTo(100 / 60);
  });

  it('drops what the API policy enforces for an operation whose policy leaves out <base/>', () => {
    expect(byId(adaptAzureTerraform(apim()).entities, 'route', 'azurerm_api_management_api_operation.delete')).toMatchObject({
      auth: { kind: 'none' },
      rateLimit: { rateLimit: 5, burstLimit: 5, source: 'policy' },
      azure: { dropsInheritedPolicy: true },
    });
  });

  it('reads the <cors> of the API policy as the CORS of the API', () => {
    expect(byId(adaptAzureTerraform(apim()).entities, 'cors', 'azurerm_api_management_api_policy.orders/cors')).toMatchObject({
      parentId: 'azurerm_api_management_api.orders',
      source: 'policy',
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET'],
      allowHeaders: ['authorization'],
      allowCredentials: true,
    });
  });

  it('takes a required subscription as the authentication of an operation without policies', () => {
    const { entities } = adaptAzureTerraform(apim({ subscriptionRequired: true, policies: false }));
    expect(byId(entities, 'route', 'azurerm_api_management_api_operation.get')).toMatchObject({ auth: { kind: 'subscription-key' } });
    expect(entities.some((entity) => entity.kind === 'cors')).toBe(false);
  });
});

describe('the Azure API Management adapter, given ARM-shaped views', () => {
  it('keeps ARM addresses as ids and the template as the origin', () => {
    const [service, api] = apim({ policies: false });
    const arm = (view: ResourceView, type: string, name: string): ResourceView =>
      viewOf({ type: view.type, address: `${type}/${name}`, format: 'arm', source: { type, name }, file: 'azuredeploy.json', values: view.values as ResourceView['values'] });
    const { entities } = adaptAzureTerraform([arm(service!, 'Microsoft.ApiManagement/service', 'contoso'), arm(api!, 'Microsoft.ApiManagement/service/apis', 'contoso/orders')]);
    expect(byId(entities, 'gateway', 'Microsoft.ApiManagement/service/apis/contoso/orders')).toMatchObject({
      origin: { format: 'arm', file: 'azuredeploy.json' },
      azure: { service: 'contoso', sku: 'Developer_1', subscriptionRequired: false },
    });
  });
});

describe('the global policy of a service, from the scan or from the configuration', () => {
  const at = { file: '.gatewarden.yaml', startLine: 4, startColumn: 17, endLine: 4, endColumn: 40 };
  const settings = (policy: ApimConfiguredPolicy): AzureSettings => ({ apimServicePolicies: new Map([['contoso', policy]]) });
  const api = (serviceName: unknown) =>
    viewOf({ type: 'azurerm_api_management_api', name: 'orders', values: { api_management_name: serviceName as string, name: 'orders', path: 'orders', subscription_required: false } });

  it('uses the configured policy for a service outside the scan, with its lines in its file', () => {
    const xml = '<policies>\n  <inbound>\n    <validate-jwt header-name="Authorization"><openid-config url="https://login.example.com/.well-known/openid-configuration" /></validate-jwt>\n  </inbound>\n</policies>\n';
    const { entities, diagnostics } = adaptAzureTerraform([api('contoso')], '', settings({ kind: 'document', xml, file: 'platform/global.xml', location: at }));
    expect(diagnostics).toEqual([]);
    const route = byId(entities, 'route', 'azurerm_api_management_api.orders/*')!;
    expect(route).toMatchObject({ key: '* /orders/*', standIn: 'routes-outside-scan', auth: { kind: 'jwt', source: 'policy' } });
    expect(route.fieldLocations.auth).toMatchObject({ file: 'platform/global.xml', startLine: 3 });
  });

  it('keeps the scanned global policy over the configured one, and says the setting is not used', () => {
    const resources = [
      viewOf({ type: 'azurerm_api_management', name: 'svc', values: { name: 'contoso', sku_name: 'Developer_1' } }),
      viewOf({ type: 'azurerm_api_management_policy', name: 'global', values: { api_management_name: 'contoso', xml_content: '<policies><inbound><rate-limit calls="10" renewal-period="1" /></inbound></policies>' } }),
      api('contoso'),
    ];
    const { entities, diagnostics } = adaptAzureTerraform(resources, '', settings({ kind: 'none', location: at }));
    expect(byId(entities, 'route', 'azurerm_api_management_api.orders/*')).toMatchObject({ auth: { kind: 'none' }, rateLimit: { rateLimit: 10 } });
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'config', location: at, message: expect.stringContaining('azure.apim.services.contoso.policy in the config file is not used') })]);
  });

  it('checks the APIs of a service whose name is unresolved, with the global policy unknown', () => {
    const { entities } = adaptAzureTerraform([api(new Unknown('var.apim_name has no value'))]);
    expect(byId(entities, 'gateway', 'azurerm_api_management_api.orders')).toBeDefined();
    const auth = (byId(entities, 'route', 'azurerm_api_management_api.orders/*') as { auth: { kind: unknown } }).auth.kind;
    expect(auth).toMatchObject({ unknown: true, reason: expect.stringContaining("the service's name is unknown (var.apim_name has no value)") });
  });
});
