import { describe, expect, it } from 'vitest';
import { AZURE_AUDITOR } from '../../../providers/azure/live/auditor.js';

const SUB = '11111111-1111-1111-1111-111111111111';

describe('gatewarden audit azure options', () => {
  it('reads repeated and comma-separated subscriptions, the resource group, the service and the cloud', () => {
    expect(AZURE_AUDITOR.parseOptions({ subscription: [SUB, '22222222-2222-2222-2222-222222222222,11111111-1111-1111-1111-111111111111'], 'resource-group': 'rg-apis', service: 'contoso-apim', cloud: 'AzureUSGovernment' })).toEqual({
      subscriptions: [SUB, '22222222-2222-2222-2222-222222222222'],
      resourceGroup: 'rg-apis',
      service: 'contoso-apim',
      cloud: 'AzureUSGovernment',
    });
    expect(AZURE_AUDITOR.parseOptions({})).toEqual({});
  });

  it('takes a Resource Manager URL as --cloud or --endpoint-url: https, or http on the loopback address only', () => {
    expect(AZURE_AUDITOR.parseOptions({ cloud: 'https://management.local.azurestack.external/' })).toEqual({ endpointUrl: 'https://management.local.azurestack.external' });
    expect(AZURE_AUDITOR.parseOptions({ 'endpoint-url': 'http://127.0.0.1:8443' })).toEqual({ endpointUrl: 'http://127.0.0.1:8443' });
    expect(() => AZURE_AUDITOR.parseOptions({ 'endpoint-url': 'http://arm.example.com' })).toThrow(/not https; .* 127\.0\.0\.1 and localhost only/);
    expect(() => AZURE_AUDITOR.parseOptions({ cloud: 'https://a.example', 'endpoint-url': 'https://b.example' })).toThrow(/give one/);
  });

  it('refuses a subscription that is not an id and a cloud it does not know', () => {
    expect(() => AZURE_AUDITOR.parseOptions({ subscription: ['my-subscription'] })).toThrow('--subscription: "my-subscription" is not a subscription id');
    expect(() => AZURE_AUDITOR.parseOptions({ cloud: 'AzureGermanCloud' })).toThrow('--cloud: "AzureGermanCloud" is not AzureCloud, AzureUSGovernment, AzureChinaCloud or a Resource Manager URL');
  });
});
