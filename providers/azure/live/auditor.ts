import { GatewardenError } from '../../../src/errors.js';
import type { LiveAuditor } from '../../live-auditor.js';
import { AZURE_CLOUD_NAMES, checkEndpointUrl, isAzureCloudName } from './clouds.js';
import type { AzureAuditOptions } from './options.js';

export type { AzureAuditOptions } from './options.js';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `gatewarden audit azure`: every API Management instance of Azure subscriptions, through Resource
 * Manager (GET calls only). `@azure/identity` and the API Management client are loaded when the
 * audit starts, never before.
 */
export const AZURE_AUDITOR: LiveAuditor<AzureAuditOptions> = {
  name: 'azure',
  summary: 'the API Management instances of Azure subscriptions, through Resource Manager',
  options: [
    { name: 'subscription', type: 'string', value: 'ID', multiple: true, description: 'a subscription to audit (repeat for several; default: every subscription the credentials can list)' },
    { name: 'resource-group', type: 'string', value: 'NAME', description: 'only the API Management instances of this resource group' },
    { name: 'service', type: 'string', value: 'NAME', description: 'only the API Management instance of this name' },
    { name: 'cloud', type: 'string', value: 'NAME|URL', description: 'the national cloud: AzureCloud (default), AzureUSGovernment or AzureChinaCloud; or a Resource Manager URL' },
    { name: 'endpoint-url', type: 'string', value: 'URL', description: 'send every Resource Manager call there (Azure Stack Hub, an emulator, a test server)' },
  ],
  notes: `Reads every API Management instance of Azure subscriptions through Resource Manager (GET calls
only; subscription keys and secret named values are never requested), evaluates the policies, and
reports findings by ARM resource id, subscription and instance with a portal link. Credentials come
from DefaultAzureCredential (@azure/identity): a service principal or workload identity in the
environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE),
a managed identity, or the Azure CLI login (in GitHub Actions, azure/login with OIDC). The
built-in role "API Management Service Reader Role" on the subscriptions is enough; the exact read
actions are in docs/audit-azure.md.`,
  parseOptions(values) {
    const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const given = values.subscription;
    const subscriptions = (Array.isArray(given) ? (given as readonly string[]) : typeof given === 'string' ? [given] : []).flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean);
    const bad = subscriptions.find((id) => !SUBSCRIPTION_ID.test(id));
    if (bad !== undefined) throw new GatewardenError('usage', `--subscription: "${bad}" is not a subscription id (00000000-0000-0000-0000-000000000000); "az account list -o table" lists yours`);
    const resourceGroup = text('resource-group');
    const service = text('service');
    const cloudText = text('cloud');
    let endpointUrl = text('endpoint-url');
    let cloud: AzureAuditOptions['cloud'];
    if (cloudText !== undefined) {
      if (isAzureCloudName(cloudText)) cloud = cloudText;
      else if (/^[a-z]+:\/\//i.test(cloudText)) {
        if (endpointUrl !== undefined) throw new GatewardenError('usage', '--cloud URL and --endpoint-url both name the Resource Manager endpoint: give one');
        endpointUrl = cloudText;
      } else throw new GatewardenError('usage', `--cloud: "${cloudText}" is not ${AZURE_CLOUD_NAMES.join(', ')} or a Resource Manager URL`);
    }
    if (endpointUrl !== undefined) endpointUrl = checkEndpointUrl(cloudText === endpointUrl ? '--cloud' : '--endpoint-url', endpointUrl);
    return {
      ...(subscriptions.length > 0 ? { subscriptions: [...new Set(subscriptions.map((id) => id.toLowerCase()))] } : {}),
      ...(resourceGroup !== undefined ? { resourceGroup } : {}),
      ...(service !== undefined ? { service } : {}),
      ...(cloud !== undefined ? { cloud } : {}),
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    };
  },
  load: async () => (await import('./audit.js')).auditAzureSubscriptions,
};
