import type { ApimServiceFacts } from '../../src/model/apim-facts.js';
import type { SourceLocation } from '../../src/model/location.js';

/**
 * The global policy of an API Management service, as the scan's configuration gives it
 * (`azure.apim.services.<name>.policy` in `.gatewarden.yaml`), for a service the scanned code does
 * not define: `none` asserts there is none; a document is the policy's XML, read by the pipeline
 * through the scan's file boundary; `unreadable` says why it could not be read.
 */
export type ApimConfiguredPolicy =
  | { readonly kind: 'none'; readonly location: SourceLocation }
  | { readonly kind: 'document'; readonly xml: string; readonly file: string; readonly location: SourceLocation }
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string; readonly location: SourceLocation };

/** What the Azure adapters are told besides the resources: what the configuration says of services outside the scan. */
export interface AzureSettings {
  /** Global policies by service name. `location` is where the setting is written in the config file. */
  readonly apimServicePolicies: ReadonlyMap<string, ApimConfiguredPolicy>;
  /**
   * Facts about deployed services by name (diagnostics, network, protocols), used for a service the
   * scan does not define; absent when the configuration states none.
   */
  readonly apimServiceFacts?: ReadonlyMap<string, ApimServiceFacts>;
}

/** No settings: every service outside the scan has an unknown global policy. */
export const NO_AZURE_SETTINGS: AzureSettings = { apimServicePolicies: new Map() };

/** The config file's key of each fact (`azure.apim.services.<name>.<key>`). */
export const APIM_FACT_KEYS: Readonly<Record<keyof ApimServiceFacts, string>> = {
  diagnostics: 'diagnostics',
  loggedContent: 'logged-content',
  publicNetworkAccess: 'public-network-access',
  virtualNetworkType: 'virtual-network-type',
  minimumClientTls: 'minimum-client-tls',
  minimumBackendTls: 'minimum-backend-tls',
  weakCiphersEnabled: 'weak-ciphers',
};

/** The setting that supplies a service's global policy, as the config file spells it. */
export function apimPolicySetting(serviceName: string): string {
  return `azure.apim.services.${serviceName}.policy`;
}
