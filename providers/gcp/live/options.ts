/** What an audit of GCP projects reads, and how. */
export interface GcpAuditOptions {
  /** Projects to read (ids); default: every project the principal can see (Resource Manager search). */
  readonly projects?: readonly string[];
  /** Locations whose gateways are read; default: all of them (`locations/-`). APIs and configs are global. */
  readonly locations?: readonly string[];
  /** A base URL for every Google API call (an emulator, a test server, a restricted VPC endpoint), over REST. */
  readonly endpointUrl?: string;
  /**
   * A ready auth client instead of Application Default Credentials (tests, and embedders holding one).
   * Typed loosely so that this module loads no Google library.
   */
  readonly authClient?: unknown;
  /** Calls in flight per project (default 4) and projects read at once (default 32: each has its own read quota). */
  readonly concurrency?: number;
  readonly projectConcurrency?: number;
  /** Attempts per call for 429 and 5xx answers (default 8). */
  readonly maxAttempts?: number;
  /** The first retry's delay in milliseconds (default 500), doubled at each attempt, with jitter. */
  readonly retryDelayMs?: number;
  /** The time limit of one call, in milliseconds (default 30 s). */
  readonly requestTimeoutMs?: number;
}
