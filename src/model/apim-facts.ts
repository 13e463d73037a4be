import type { AzureLogDestination, AzureLoggedContent } from './entities.js';
import type { SourceLocation } from './location.js';

// Facts a person states about an API Management service the scan does not show, in the config file
// (`azure.apim.services.<name>`). They live in the model, not in src/config, because the Azure
// adapters read them and providers may depend on the model only.

/** TLS versions an API Management service can accept or use, lowest first (`ssl3` is SSL 3.0). */
export const APIM_TLS_VERSIONS = ['ssl3', '1.0', '1.1', '1.2'] as const;
/** One of {@link APIM_TLS_VERSIONS}. */
export type ApimTlsVersion = (typeof APIM_TLS_VERSIONS)[number];

/** API Management virtual network integration. */
export const APIM_NETWORK_TYPES = ['None', 'External', 'Internal'] as const;
/** One of {@link APIM_NETWORK_TYPES}. */
export type ApimNetworkType = (typeof APIM_NETWORK_TYPES)[number];

/** A value of the config file with where it is written. */
export interface ConfigFact<T> {
  readonly value: T;
  readonly location: SourceLocation;
}

/**
 * Facts about a deployed API Management service outside the scan, as `azure.apim.services.<name>`
 * states them (`diagnostics`, `logged-content`, `public-network-access`, `virtual-network-type`,
 * `minimum-client-tls`, `minimum-backend-tls`, `weak-ciphers`). Each is what the service's own
 * resource would say; absent ones stay unknown. `diagnostics` and `logged-content` are empty for
 * `none`.
 */
export interface ApimServiceFacts {
  readonly diagnostics?: ConfigFact<readonly AzureLogDestination[]>;
  readonly loggedContent?: ConfigFact<readonly AzureLoggedContent[]>;
  readonly publicNetworkAccess?: ConfigFact<boolean>;
  readonly virtualNetworkType?: ConfigFact<ApimNetworkType>;
  readonly minimumClientTls?: ConfigFact<ApimTlsVersion>;
  readonly minimumBackendTls?: ConfigFact<ApimTlsVersion>;
  readonly weakCiphersEnabled?: ConfigFact<boolean>;
}

