// Types of fake-arm.mjs (plain JavaScript so that `npm run bench` can import it too).

export type Json = Record<string, unknown>;

/** An operation of an API, with its own policy (rawxml) when it has one. */
export interface FakeOperation {
  readonly name: string;
  readonly properties: Json;
  readonly policy?: string;
}

/** A non-current revision of an API: listed as `name;rev=N`, with its own operations and policy. */
export interface FakeRevision {
  readonly revision: string;
  /** Whether the gateway serves it (at `path;rev=N`); default true. */
  readonly isOnline?: boolean;
  /** Properties that differ from the current revision's. */
  readonly properties?: Json;
  readonly policy?: string;
  readonly operations?: readonly FakeOperation[];
}

/** An API (current revision) with its operations and policy, and its other revisions. */
export interface FakeApi {
  readonly name: string;
  readonly properties: Json;
  readonly policy?: string;
  readonly operations?: readonly FakeOperation[];
  readonly revisions?: readonly FakeRevision[];
  /** The API's own diagnostics (`{ name: 'applicationinsights', properties }`). */
  readonly diagnostics?: readonly Json[];
}

/** A product with the names of its APIs and its policy. */
export interface FakeProduct {
  readonly name: string;
  readonly properties: Json;
  readonly apis?: readonly string[];
  readonly policy?: string;
}

/** One API Management instance; list items (subscriptions, named values, backends) are `{ name, properties }`. */
export interface FakeService {
  readonly resourceGroup: string;
  readonly name: string;
  readonly location?: string;
  readonly sku?: Json;
  /** The service's managed identity (`{ type: 'SystemAssigned', principalId, tenantId }`). */
  readonly identity?: Json;
  /** The service's resource tags (`{ owner: 'team-apim' }`), as Resource Manager returns them. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly properties?: Json;
  /** Whether the default gateway hostname (`<name>.azure-api.net`), which the fake always lists, negotiates client certificates (default false). */
  readonly defaultHostnameNegotiatesClientCertificate?: boolean;
  readonly policy?: string;
  readonly fragments?: Readonly<Record<string, string>>;
  readonly apis?: readonly FakeApi[];
  readonly products?: readonly FakeProduct[];
  readonly subscriptions?: readonly Json[];
  readonly namedValues?: readonly Json[];
  readonly backends?: readonly Json[];
  /** Self-hosted gateways (`{ name, properties: { locationData: { name } } }`). */
  readonly gateways?: readonly Json[];
  /** Service-wide diagnostics (`{ name: 'azuremonitor', properties: { sampling, frontend... } }`). */
  readonly diagnostics?: readonly Json[];
  /** Azure Monitor diagnostic settings of the service (`{ name, properties: { logs: [{ category, enabled }] } }`). */
  readonly diagnosticSettings?: readonly Json[];
}

export interface FakeArmOptions {
  /**
   * Answers recorded before (a {@link FakeArm.recorded}, or `az rest` output), by path and query
   * (`/subscriptions/.../apis?api-version=2024-05-01`): served as they are, anything else 404.
   * `subscriptions` is then not read (give `{}`).
   */
  readonly replay?: Readonly<Record<string, unknown>>;
  readonly subscriptions: Readonly<Record<string, { readonly displayName?: string; readonly state?: string; readonly services: readonly FakeService[] }>>;
  /** Items per page of every listing (default 100). */
  readonly pageSize?: number;
  /** Page with the server's own address in nextLink (as a local stand-in for Resource Manager may), not ARM's. */
  readonly selfLinks?: boolean;
  /** The first N requests get a 429, with `Retry-After: retryAfter` (seconds) when given. */
  readonly throttleFirst?: number;
  readonly retryAfter?: string;
  /**
   * ARM's read limit: a token bucket per subscription of `bucket` requests refilled at `perSecond`;
   * a request beyond it gets 429 SubscriptionRequestsThrottled with Retry-After (whole seconds) and
   * takes no token. Answers carry `x-ms-ratelimit-remaining-subscription-reads`.
   */
  readonly readLimit?: { readonly bucket: number; readonly perSecond: number };
  /** Subscriptions whose every request gets 403 AuthorizationFailed. */
  readonly deny?: readonly string[];
  /** Refuse Azure Monitor's diagnostic settings (403), as to a principal with the API Management Service Reader Role only. */
  readonly denyMonitor?: boolean;
  /** Instances (by name) that are deleted right after they are first listed: every read under them gets 404. */
  readonly deleteAfterListing?: readonly string[];
  /** Paths (matched against the lower-cased path) whose response body is not JSON. */
  readonly malformed?: RegExp;
  /** The bearer token the fake accepts (default `fake-arm-token`). */
  readonly token?: string;
  /** The instance answers `allPolicies` with 404, as one that does not offer the listing would. */
  readonly noAllPolicies?: boolean;
  /** Answers to these paths are padded with spaces to `bytes`, sent without Content-Length. */
  readonly pad?: { readonly path: RegExp; readonly bytes: number };
  /** Every answer waits this long (to see how many calls are in flight at once). */
  readonly delayMs?: number;
  /** Requests to these paths are accepted and never answered. */
  readonly hang?: RegExp;
  /**
   * Serves an App Service-style managed identity endpoint at `/msi/token` that gives the token to a
   * request carrying `X-IDENTITY-HEADER: header` (what `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` name).
   */
  readonly identity?: { readonly header: string };
}

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization: string | undefined;
  /** The status answered (absent while unanswered, or for a malformed body). */
  readonly status?: number;
}

export interface FakeArm {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** The most requests the fake was answering at once. */
  readonly maxInFlight: number;
  /** The body of every 200 answer, by path and query: what {@link FakeArmOptions.replay} serves. */
  readonly recorded: Record<string, unknown>;
  /** Requests refused by {@link FakeArmOptions.readLimit}. */
  readonly throttledByLimit: number;
  close(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export function startFakeArm(options: FakeArmOptions): Promise<FakeArm>;
