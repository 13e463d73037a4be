// Writes samples/azure-live/{insecure,fixed}.json: the Resource Manager answers an audit of the
// shop's API Management instance receives, as deployed from samples/azure-terraform/{insecure,fixed}.
// The instance is described here in Resource Manager's shape (with the samples' own policy files),
// served by the fake Resource Manager of the tests, and every answer of a real audit of it is
// recorded, by path and query. test/providers/azure/live-samples.test.ts replays them.
// Run after `npm run build`: node scripts/record-azure-samples.mjs
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeArm } from '../test/helpers/fake-arm.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_SUBSCRIPTION = 'b7d4e3a1-2c5f-4e8a-9b61-3f0d2a7c8e15';
const TENANT = '00000000-0000-0000-0000-000000000000';

const policyFile = (variant, name) => readFileSync(path.join(ROOT, 'samples/azure-terraform', variant, 'policies', name), 'utf8');

/** The loyalty API's policy, as the samples' heredoc writes it. */
function loyaltyPolicy(variant) {
  const jwt =
    variant === 'fixed'
      ? `    <validate-jwt header-name="Authorization" failed-validation-httpcode="401" require-expiration-time="true" require-signed-tokens="true">
      <openid-config url="https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://shop-loyalty</audience>
      </audiences>
    </validate-jwt>
`
      : '';
  return `<policies>
  <inbound>
    <base />
${jwt}    <set-header name="X-Api-Key" exists-action="override">
      <value>{{loyalty-backend-key}}</value>
    </set-header>
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
`;
}

/** The instance as Resource Manager describes it. */
function instance(variant) {
  const fixed = variant === 'fixed';
  return {
    resourceGroup: 'rg-shop-prod',
    name: 'apim-shop-prod',
    location: 'West Europe',
    sku: { name: 'Developer', capacity: 1 },
    ...(fixed ? { identity: { type: 'SystemAssigned', principalId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', tenantId: TENANT } } : {}),
    properties: {
      publisherEmail: 'platform@shop.example.com',
      publisherName: 'Shop platform team',
      publicNetworkAccess: 'Enabled',
      virtualNetworkType: 'None',
      customProperties: {
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False',
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'False',
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'False',
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11': 'False',
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30': 'False',
        'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168': 'False',
      },
    },
    policy: policyFile(variant, 'global.xml'),
    apis: [
      {
        name: 'catalog',
        properties: { displayName: 'Catalog', path: 'catalog', protocols: ['https'], serviceUrl: 'https://catalog.internal.shop.example.com', subscriptionRequired: false, type: 'http' },
        policy: policyFile(variant, 'catalog.xml'),
        operations: [
          { name: 'list-products', properties: { displayName: 'List products', method: 'GET', urlTemplate: '/products', templateParameters: [] } },
          { name: 'update-price', properties: { displayName: 'Update a price', method: 'PUT', urlTemplate: '/products/{sku}/price', templateParameters: [{ name: 'sku', type: 'string', required: true }] } },
        ],
      },
      {
        name: 'loyalty',
        properties: { displayName: 'Loyalty', path: 'loyalty', protocols: ['https'], serviceUrl: 'https://loyalty.internal.shop.example.com', subscriptionRequired: true, type: 'http' },
        policy: loyaltyPolicy(variant),
        operations: [{ name: 'balance', properties: { displayName: 'Points balance', method: 'GET', urlTemplate: '/balance', templateParameters: [] } }],
      },
    ],
    products: [{ name: 'mobile', properties: { displayName: 'Mobile app', subscriptionRequired: true, approvalRequired: false, state: 'published' }, apis: ['loyalty'] }],
    // Keys are never in a GET answer; the audit keeps scope and state only.
    subscriptions: [{ name: 'mobile-app', properties: { displayName: 'Mobile app (iOS and Android)', scope: `/subscriptions/${SAMPLE_SUBSCRIPTION}/resourceGroups/rg-shop-prod/providers/Microsoft.ApiManagement/service/apim-shop-prod/products/mobile`, state: 'active' } }],
    // Every API's calls to Application Insights; the insecure instance also logs bodies and the Authorization header.
    diagnostics: [
      {
        name: 'applicationinsights',
        properties: {
          loggerId: `/subscriptions/${SAMPLE_SUBSCRIPTION}/resourceGroups/rg-shop-prod/providers/Microsoft.ApiManagement/service/apim-shop-prod/loggers/appi-shop-prod`,
          alwaysLog: 'allErrors',
          logClientIp: true,
          sampling: { samplingType: 'fixed', percentage: 100 },
          frontend: fixed
            ? { request: { headers: ['Content-Type', 'User-Agent'], body: { bytes: 0 } }, response: { headers: [], body: { bytes: 0 } } }
            : { request: { headers: ['Content-Type', 'Authorization'], body: { bytes: 8192 } }, response: { headers: [], body: { bytes: 8192 } } },
          backend: { request: { headers: [], body: { bytes: 0 } }, response: { headers: [], body: { bytes: 0 } } },
        },
      },
    ],
    namedValues: [
      {
        name: 'loyalty-backend-key',
        // A secret's value is not in a GET answer; in the fixed instance it is in Key Vault.
        properties: { displayName: 'loyalty-backend-key', secret: true, ...(fixed ? { keyVault: { secretIdentifier: 'https://kv-shop-prod.vault.azure.net/secrets/loyalty-backend-key', identityClientId: null } } : {}) },
      },
    ],
  };
}

const { audit } = await import(pathToFileURL(path.join(ROOT, 'dist/src/pipeline/audit.js')).href);
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
mkdirSync(path.join(ROOT, 'samples/azure-live'), { recursive: true });
for (const variant of ['insecure', 'fixed']) {
  const fake = await startFakeArm({ subscriptions: { [SAMPLE_SUBSCRIPTION]: { displayName: 'Shop production', services: [instance(variant)] } } });
  try {
    const { report } = await audit('azure', { cwd: ROOT, endpointUrl: fake.url, credential });
    const responses = Object.fromEntries(Object.entries(fake.recorded).sort(([a], [b]) => a.localeCompare(b)));
    const sample = {
      about: `Resource Manager's answers to \`gatewarden audit azure\` for the shop's API Management instance as deployed from samples/azure-terraform/${variant}, by path and query; written by scripts/record-azure-samples.mjs. Replay them with the fake Resource Manager of the tests (docs/audit-azure.md).`,
      subscriptionId: SAMPLE_SUBSCRIPTION,
      responses,
    };
    writeFileSync(path.join(ROOT, `samples/azure-live/${variant}.json`), `${JSON.stringify(sample, null, 2)}\n`);
    process.stdout.write(`${variant}: ${Object.keys(responses).length} answers, ${report.summary.findings.total} findings\n`);
  } finally {
    await fake.close();
  }
}
