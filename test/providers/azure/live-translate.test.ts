import { describe, expect, it } from 'vitest';
import { azureCloud } from '../../../providers/azure/live/clouds.js';
import { adaptAzureLive } from '../../../providers/azure/live/index.js';
import type { RawInstance } from '../../../providers/azure/live/raw.js';

const ID = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-apis/providers/Microsoft.ApiManagement/service/contoso-apim';

function raw(properties: Record<string, unknown>, cloud = 'azure-api.net'): RawInstance {
  return {
    subscriptionId: '11111111-1111-1111-1111-111111111111',
    resourceGroup: 'rg-apis',
    name: 'contoso-apim',
    id: ID,
    problems: [],
    objects: [
      {
        type: 'Microsoft.ApiManagement/service',
        names: ['contoso-apim'],
        id: ID,
        body: {
          location: 'West Europe',
          sku: { name: 'Premium', capacity: 2 },
          properties: {
            hostnameConfigurations: [
              { type: 'Proxy', hostName: `contoso-apim.${cloud}`, defaultSslBinding: true, negotiateClientCertificate: false },
              { type: 'Proxy', hostName: 'api.contoso.example', negotiateClientCertificate: true },
              { type: 'DeveloperPortal', hostName: 'developer.contoso.example' },
            ],
            ...properties,
          },
        },
      },
      { type: 'Microsoft.ApiManagement/service/apis', names: ['contoso-apim', 'orders'], id: `${ID}/apis/orders`, body: { properties: { path: 'orders', protocols: ['https'], isCurrent: true } } },
    ],
  };
}

describe('the translation of a live API Management instance', () => {
  it('reads the service settings as a template declares them: SKU, network, protocol switches', () => {
    const { entities } = adaptAzureLive(
      raw({ publicNetworkAccess: 'Disabled', virtualNetworkType: 'External', customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'True', 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168': 'False' } }),
      azureCloud(),
    );
    const gateway = entities.find((entity) => entity.kind === 'gateway')!;
    expect(gateway).toMatchObject({ id: `${ID}/apis/orders`, endpointType: 'private', origin: { format: 'live', account: '11111111-1111-1111-1111-111111111111', region: 'West Europe' } });
    expect(gateway.kind === 'gateway' && gateway.azure).toMatchObject({ sku: 'Premium_2', publicNetworkAccess: false, virtualNetworkType: 'External', minimumClientTls: '1.1', weakCiphersEnabled: false });
  });

  it('keeps the custom gateway hostnames and leaves out the default one, in every cloud', () => {
    for (const [cloud, suffix] of [['AzureCloud', 'azure-api.net'], ['AzureChinaCloud', 'azure-api.cn']] as const) {
      const { entities } = adaptAzureLive(raw({}, suffix), azureCloud(cloud));
      const domains = entities.filter((entity) => entity.kind === 'domain');
      expect(domains.map((domain) => domain.kind === 'domain' && [domain.name, domain.mutualTls])).toEqual([['api.contoso.example', true]]);
      expect(domains[0]!.location.url).toBe(`${azureCloud(cloud).portal}/#resource${ID}/overview`);
    }
  });
});
