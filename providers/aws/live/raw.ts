import type { ApiKey, Authorizer, BasePathMapping, DomainName, GatewayResponse, Resource, RestApi, Stage, UsagePlan, UsagePlanKey } from '@aws-sdk/client-api-gateway';
import type {
  Api,
  ApiMapping,
  Authorizer as V2Authorizer,
  DomainName as V2DomainName,
  Integration as V2Integration,
  Route as V2Route,
  Stage as V2Stage,
} from '@aws-sdk/client-apigatewayv2';

/** Everything read from one REST API: the API and its children, as the SDK returns them. */
export interface RawRestApi {
  readonly api: RestApi;
  /** `GetResources` with `embed=methods`: each resource carries its methods and integrations. */
  readonly resources: readonly Resource[];
  readonly authorizers: readonly Authorizer[];
  readonly stages: readonly Stage[];
  readonly gatewayResponses: readonly GatewayResponse[];
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
export interface LiveProblem {
  /** What was being read (`GetResources for restapi a1b2c3`). */
  readonly operation: string;
  /** The service's error name (`AccessDeniedException`), or the client error's. */
  readonly error: string;
  readonly message: string;
  /** A resource id the problem concerns, for the report. */
  readonly resource?: string;
}

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
}
