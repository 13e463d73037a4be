// The Azure audit case of `npm run bench`: one subscription of 20 API Management instances, each of
// 40 APIs of 15 operations, behind a fake Resource Manager that enforces ARM's read limit (a token
// bucket of 250 requests refilled at 25 per second per subscription, 429 with Retry-After beyond).
// The audit runs with the real ApiManagementClient pipeline. Targets: at most 2 calls per API
// (its operations and its policy) plus one per operation that has its own policy, and a wall time
// within 1.3x of the minimum the limit allows for the calls made.

import { startFakeArm } from '../test/helpers/fake-arm.mjs';

const SUBSCRIPTION = '0b9e8a3c-5d41-4f6a-9c2e-7a1b3c4d5e6f';
/** ARM's documented read limit per subscription. */
export const READ_LIMIT = { bucket: 250, perSecond: 25 };

const JWT = `<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences><audience>api://orders</audience></audiences>
    </validate-jwt>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;
const RATE = `<policies>
  <inbound>
    <base />
    <rate-limit-by-key calls="20" renewal-period="60" counter-key="@(context.Request.IpAddress)" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;
const GLOBAL = `<policies>
  <inbound>
    <rate-limit calls="1000" renewal-period="60" />
  </inbound>
  <backend><forward-request /></backend>
  <outbound />
  <on-error />
</policies>`;

/** The fake subscription, in the fake's shape: every API has a policy, one operation of each has its own. */
export function azureBenchSubscription({ instances = 20, apisPerInstance = 40, operationsPerApi = 15 } = {}) {
  const services = Array.from({ length: instances }, (_, i) => ({
    resourceGroup: `rg-apis-${i % 4}`,
    name: `apim-bench-${String(i).padStart(2, '0')}`,
    policy: GLOBAL,
    apis: Array.from({ length: apisPerInstance }, (_, a) => ({
      name: `api-${a}`,
      properties: { displayName: `API ${a}`, path: `api${a}`, protocols: ['https'], serviceUrl: `https://backend-${a}.contoso.example`, subscriptionRequired: true },
      policy: JWT,
      operations: Array.from({ length: operationsPerApi }, (_, o) => ({
        name: `op-${o}`,
        properties: { displayName: `Operation ${o}`, method: o % 3 === 0 ? 'POST' : 'GET', urlTemplate: `/items${o}/{id}`, templateParameters: [{ name: 'id', type: 'string', required: true }] },
        ...(o === 0 ? { policy: RATE } : {}),
      })),
    })),
    products: [{ name: 'starter', properties: { displayName: 'Starter', subscriptionRequired: true, approvalRequired: true, state: 'published' }, apis: Array.from({ length: apisPerInstance }, (_, a) => `api-${a}`) }],
    namedValues: [{ name: 'tenant', properties: { displayName: 'tenant', value: 'contoso.onmicrosoft.com', secret: false } }],
    backends: [{ name: 'orders', properties: { url: 'https://orders.contoso.example', protocol: 'http', tls: { validateCertificateChain: true, validateCertificateName: true } } }],
  }));
  return { services };
}

/** Runs the case with `auditAzure` (gatewarden's built audit of the registry's `azure` provider), and returns what the bench reports. */
export async function runAzureAuditCase(auditAzure, { cwd, shape } = {}) {
  const subscription = azureBenchSubscription(shape);
  const fake = await startFakeArm({ subscriptions: { [SUBSCRIPTION]: subscription }, readLimit: READ_LIMIT });
  const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  try {
    const started = performance.now();
    const { report, calls } = await auditAzure({ cwd, endpointUrl: fake.url, credential, subscriptions: [SUBSCRIPTION] });
    const wallMs = performance.now() - started;
    const apis = subscription.services.reduce((sum, service) => sum + service.apis.length, 0);
    const operations = subscription.services.reduce((sum, service) => sum + service.apis.reduce((n, api) => n + api.operations.length, 0), 0);
    const operationPolicies = subscription.services.reduce((sum, service) => sum + service.apis.reduce((n, api) => n + api.operations.filter((op) => op.policy !== undefined).length, 0), 0);
    // Answered calls under an API: its operations listing and policy, and its operations' policies.
    const answered = fake.requests.filter((request) => request.status !== 429);
    const operationPolicyCalls = answered.filter((request) => /\/apis\/[^/]+\/operations\/[^/]+\/policies\//i.test(request.path)).length;
    const apiCalls = answered.filter((request) => /\/apis\/[^/]+\/(operations|policies\/)[^/]*$/i.test(request.path)).length;
    return {
      instances: subscription.services.length,
      apis,
      operations,
      operationPolicies,
      calls,
      requests: fake.requests.length,
      throttled: fake.throttledByLimit,
      apiCalls,
      operationPolicyCalls,
      wallMs,
      // The bucket's first 250 reads go at once; every other waits for its token.
      minimumMs: (Math.max(0, calls - READ_LIMIT.bucket) / READ_LIMIT.perSecond) * 1000,
      summary: report.summary,
    };
  } finally {
    await fake.close();
  }
}
