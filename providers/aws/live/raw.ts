import type { ApiKey, Authorizer, BasePathMapping, DomainName, GatewayResponse, RequestValidator, Resource, RestApi, Stage, UsagePlan, UsagePlanKey } from '@aws-sdk/client-api-gateway';
import type {
  Api,
  ApiMapping,
  Authorizer as V2Authorizer,
  DomainName as V2DomainName,
  Integration as V2Integration,
  Route as V2Route,
  Stage as V2Stage,
} from '@aws-sdk/client-apigatewayv2';
import type { AwsErrorClass } from './errors.js';

/** Everything read from one REST API: the API and its children, as the SDK returns them. */
export interface RawRestApi {
  readonly api: RestApi;
  /** `GetResources` with `embed=methods`: each resource carries its methods and integrations. */
  readonly resources: readonly Resource[];
  readonly authorizers: readonly Authorizer[];
  readonly stages: readonly Stage[];
  readonly gatewayResponses: readonly GatewayResponse[];
  /** `GetRequestValidators`: what each validator a method names checks (absent: not read). */
  readonly requestValidators?: readonly RequestValidator[];
}

/** Everything read from one HTTP or WebSocket API. */
export interface RawV2Api {
  readonly api: Api;
  readonly routes: readonly V2Route[];
  readonly authorizers: readonly V2Authorizer[];
  readonly integrations: readonly V2Integration[];
  readonly stages: readonly V2Stage[];
}

/** A call that failed, with what it was reading: the audit of that part is incomplete. */
export interface LiveCallFailure {
  readonly kind: 'call-failed';
  /** What was being read (`GetResources for restapi a1b2c3`). */
  readonly operation: string;
  /** The service's error name (`AccessDeniedException`), or Node's error code (`ECONNREFUSED`). */
  readonly error: string;
  readonly message: string;
  /** Which kind of failure, for the advice given with it. */
  readonly errorClass: AwsErrorClass;
  /** The ARN of what the call concerns, for the report. */
  readonly resource?: string;
}

/** A listing or response stopped by one of gatewarden's limits (`audit-items`, `audit-response-size`). */
export interface LiveLimitHit {
  readonly kind: 'limit';
  readonly operation: string;
  readonly limit: 'audit-items' | 'audit-response-size';
  /** The value in force. */
  readonly value: number;
  /** The amount met: items listed, or bytes of the response. */
  readonly found: number;
  /** What was not read, as a sentence ending ("the items after the first 500 were not read"). */
  readonly what: string;
  readonly resource?: string;
}

/** A listing whose page token came back a second time: it would never end, and was stopped. */
export interface LiveListingLoop {
  readonly kind: 'loop';
  readonly operation: string;
  /** The token that repeated. */
  readonly token: string;
  /** The distinct items read before the loop was found. */
  readonly itemsRead: number;
  readonly resource?: string;
}

/** Something the audit of a region could not read. */
export type LiveProblem = LiveCallFailure | LiveLimitHit | LiveListingLoop;

/** One region of one account, read through the API Gateway control plane (read-only calls only). */
export interface RawRegion {
  readonly account: string;
  readonly region: string;
  /** The AWS partition (`aws`, `aws-cn`, `aws-us-gov`), for ARNs and console links. */
  readonly partition: string;
  readonly restApis: readonly RawRestApi[];
  readonly usagePlans: ReadonlyArray<{ readonly plan: UsagePlan; readonly keys: readonly UsagePlanKey[] }>;
  /** API keys, never with their values (`includeValues` is never set). */
  readonly apiKeys: readonly ApiKey[];
  readonly domainNames: ReadonlyArray<{ readonly domain: DomainName; readonly mappings: readonly BasePathMapping[] }>;
  readonly v2Apis: readonly RawV2Api[];
  readonly v2DomainNames: ReadonlyArray<{ readonly domain: V2DomainName; readonly mappings: readonly ApiMapping[] }>;
  /** Calls that failed: what they would have read is missing from the model, and the audit is incomplete. */
  readonly problems: readonly LiveProblem[];
  /** Number of API calls made, for the bench. */
  readonly calls: number;
  /**
   * Set when the audit stopped (its deadline, Ctrl-C, the `entities` limit) before the region was
   * read to the end: what was read is incomplete in ways no diagnostic can list, so none of it is used.
   */
  readonly stopped?: { readonly inFlight: readonly string[] };
}
