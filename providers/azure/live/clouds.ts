import { GatewardenError } from '../../../src/errors.js';

/** The Azure clouds `--cloud` names, as the Azure CLI names them. */
export const AZURE_CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
/** One of {@link AZURE_CLOUD_NAMES}. */
export type AzureCloudName = (typeof AZURE_CLOUD_NAMES)[number];

/** Where one Azure cloud's Resource Manager, sign-in and portal are. */
export interface AzureCloud {
  readonly name: AzureCloudName;
  /** Resource Manager, without a trailing slash; tokens are asked for `<endpoint>/.default`. */
  readonly endpoint: string;
  /** The Entra ID authority `DefaultAzureCredential` signs in at. */
  readonly authorityHost: string;
  readonly portal: string;
  /** The host suffix of an instance's default gateway hostname (`<name>.azure-api.net`). */
  readonly gatewaySuffix: string;
}

/** @see https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure and https://learn.microsoft.com/azure/china/resources-developer-guide */
const CLOUDS: Readonly<Record<AzureCloudName, AzureCloud>> = {
  AzureCloud: { name: 'AzureCloud', endpoint: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com', portal: 'https://portal.azure.com', gatewaySuffix: '.azure-api.net' },
  AzureUSGovernment: { name: 'AzureUSGovernment', endpoint: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us', portal: 'https://portal.azure.us', gatewaySuffix: '.azure-api.us' },
  AzureChinaCloud: { name: 'AzureChinaCloud', endpoint: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn', portal: 'https://portal.azure.cn', gatewaySuffix: '.azure-api.cn' },
};

/** The cloud of a name (the default when none is given). */
export function azureCloud(name: AzureCloudName = 'AzureCloud'): AzureCloud {
  return CLOUDS[name];
}

/** Whether a name is one of {@link AZURE_CLOUD_NAMES}. */
export function isAzureCloudName(name: string): name is AzureCloudName {
  return (AZURE_CLOUD_NAMES as readonly string[]).includes(name);
}

/**
 * Checks a Resource Manager endpoint given on the command line: https, or http on the loopback
 * address only (a test server), so that a bearer token never crosses a network in clear.
 */
export function checkEndpointUrl(option: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new GatewardenError('usage', `${option}: "${text}" is not a URL (https://management.example.com)`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new GatewardenError('usage', `${option}: ${text} is not https; Resource Manager calls carry a bearer token, so plain http is accepted for 127.0.0.1 and localhost only`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}
