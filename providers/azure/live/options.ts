import type { AzureCloudName } from './clouds.js';
import type { ReadLimit } from './pacer.js';

/**
 * A credential that gives bearer tokens for Resource Manager: the shape of `@azure/identity`'s
 * credentials (`TokenCredential`), declared here so that the options need no SDK type.
 */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: { readonly abortSignal?: AbortSignal }): Promise<{ readonly token: string; readonly expiresOnTimestamp: number } | null>;
}

/** What an audit of Azure API Management reads, and how. */
export interface AzureAuditOptions {
  /** Subscriptions to read (ids); default: every subscription the principal can list. */
  readonly subscriptions?: readonly string[];
  /** Only the instances of this resource group. */
  readonly resourceGroup?: string;
  /** Only the instance of this name. */
  readonly service?: string;
  /** The national cloud (default `AzureCloud`): its Resource Manager endpoint, sign-in authority and portal. */
  readonly cloud?: AzureCloudName;
  /**
   * Another Resource Manager endpoint for every call (Azure Stack Hub, an emulator, a test server).
   * `http://` is accepted for the loopback address only, so that a token never crosses a network in clear.
   */
  readonly endpointUrl?: string;
  /** A credential instead of `DefaultAzureCredential` (tests, embedders). */
  readonly credential?: AzureTokenCredential;
  /** Calls in flight per instance (default 4) and instances read at once (default 2). */
  readonly concurrency?: number;
  readonly instanceConcurrency?: number;
  /** Retries of a throttled (429, honouring `Retry-After`) or failed call (default 6). */
  readonly maxRetries?: number;
  /** The first delay between retries without `Retry-After` (default 800 ms, doubling). */
  readonly retryDelayMs?: number;
  /** The time limit of one attempt of one call (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Each subscription's read limit, that calls are paced to (default Resource Manager's: 250, refilled at 25 a second). */
  readonly readLimit?: ReadLimit;
}
