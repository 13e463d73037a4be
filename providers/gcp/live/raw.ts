import type { GcpFailure } from './errors.js';

// What the audit reads from one project, in plain shapes of its own: the clients' message objects
// (Buffers, enum strings, `{seconds, nanos}` timestamps) are left behind in fetch.ts, so that the
// translation is pure and testable with literals.

/** An API config with its documents as deployed (`getApiConfig` with `view=FULL`). */
export interface RawApiConfig {
  /** `projects/P/locations/global/apis/A/configs/C`. */
  readonly name: string;
  readonly displayName?: string;
  /** The OpenAPI documents, contents base64 as on the wire. */
  readonly documents: ReadonlyArray<{ readonly path: string; readonly contents: string }>;
  /** How many gRPC service definitions the config has (not read: gatewarden reads OpenAPI only). */
  readonly grpcServices: number;
  /** The config's labels whose values are text (owners are read from them). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Whether the documents were read; false when `getApiConfig` failed (a problem says why). */
  readonly read: boolean;
  /**
   * The compiled service config of a config with gRPC services (Service Management, the API's managed
   * service), as the wire object `google.api.Service`: their methods and rules. Absent for OpenAPI
   * configs (compiled from the documents above, it adds nothing) and when it could not be read.
   */
  readonly serviceConfig?: Readonly<Record<string, unknown>>;
}

/** An API Gateway API and its configs. */
export interface RawApi {
  /** `projects/P/locations/global/apis/A`. */
  readonly name: string;
  readonly displayName?: string;
  readonly managedService?: string;
  /** The API's labels whose values are text (owners are read from them). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly configs: readonly RawApiConfig[];
}

/** A gateway: the config it serves, in one location. */
export interface RawGateway {
  /** `projects/P/locations/L/gateways/G`. */
  readonly name: string;
  readonly displayName?: string;
  readonly apiConfig: string;
  readonly defaultHostname?: string;
  /** The gateway's labels whose values are text (owners are read from them). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Cloud Endpoints service and the documents of the config its latest successful rollout serves. */
export interface RawEndpointsService {
  /** `orders.endpoints.P.cloud.goog`. */
  readonly name: string;
  /** The config the latest rollout serves (the one with most traffic); absent when nothing is rolled out. */
  readonly configId?: string;
  readonly openapi: ReadonlyArray<{ readonly path: string; readonly text: string }>;
  /** Whether the config describes a gRPC API (a descriptor set or proto files). */
  readonly grpc: boolean;
  /**
   * The config itself (the wire object `google.api.Service`, without its source files) when it
   * describes a gRPC API and no OpenAPI document: its methods and the rules that apply to each.
   */
  readonly serviceConfig?: Readonly<Record<string, unknown>>;
  readonly read: boolean;
}

/** An API key's metadata and restrictions; never its key string. */
export interface RawApiKey {
  /** `projects/P/locations/global/keys/K`. */
  readonly name: string;
  readonly uid?: string;
  readonly displayName?: string;
  readonly createTime?: string;
  /** The wire object `restrictions` as the API Keys API returns it. */
  readonly restrictions?: Readonly<Record<string, unknown>>;
}

/** Something of a project the audit could not read. */
export type LiveProblem =
  | { readonly kind: 'call-failed'; readonly operation: string; readonly api: string; readonly permission: string; readonly failure: GcpFailure; readonly resource?: string }
  | { readonly kind: 'limit'; readonly operation: string; readonly limit: 'audit-items' | 'audit-response-size'; readonly value: number; readonly found: number; readonly what: string; readonly resource?: string }
  | { readonly kind: 'loop'; readonly operation: string; readonly token: string; readonly itemsRead: number; readonly resource?: string }
  | { readonly kind: 'not-read'; readonly message: string; readonly resource: string };

/** Everything read from one project. */
export interface RawProject {
  readonly project: string;
  readonly apis: readonly RawApi[];
  readonly gateways: readonly RawGateway[];
  readonly endpoints: readonly RawEndpointsService[];
  readonly keys: readonly RawApiKey[];
  readonly problems: readonly LiveProblem[];
  /** API calls made; a call retried after a 429 or a 5xx counts once. */
  readonly calls: number;
  /** Set when the audit stopped while the project was read: what was under way. */
  readonly stopped?: { readonly inFlight: readonly string[] };
}
