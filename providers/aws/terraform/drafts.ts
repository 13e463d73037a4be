import type { EndpointType, GatewayProtocol, ImplicitStage, RateLimit, RelatedLocation, Route, RouteCache } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import type { Maybe, Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { EmbeddedDocument } from '../../shared/embedded-document.js';
import type { AwsOpenApi } from '../openapi.js';

/**
 * A value on an API's view saying that the source holds all its routes, so none can be elsewhere
 * (a SAM API without a definition: its routes come only from function events of its template). No
 * Terraform or CloudFormation argument has this name; the SAM expansion sets it as a property of the
 * API it generates, and the CloudFormation translation passes it on.
 */
export const ROUTES_ONLY_IN_SOURCE = 'gatewarden_routes_only_in_source';

/**
 * A value on a deployment's view naming the implicit stage it creates (see `ImplicitStage`): the SAM
 * expansion sets it on the deployment of SAM's "Stage", and the CloudFormation translation passes it
 * on, so that a finding can say where the stage comes from and how to remove it.
 */
export const IMPLICIT_STAGE = 'gatewarden_implicit_stage';

/** A gateway while the adapter runs: the resource plus what later steps need to link to it. */
export interface GatewayDraft {
  readonly id: string;
  readonly resource: ResourceView;
  readonly protocol: GatewayProtocol;
  /** What the OpenAPI body defines, when there is one that could be read. */
  readonly openApi?: { readonly api: AwsOpenApi; readonly document: EmbeddedDocument };
  /** A REST API's endpoint type: a PRIVATE API without a resource policy cannot be invoked. */
  readonly endpointType?: Maybe<EndpointType>;
  /** A REST API's resource policy, from whichever place sets it; absent when none does. */
  readonly resourcePolicy?: PolicySource;
}

/** A resource policy as written: the document (Unknown when it cannot be read) and where. */
export interface PolicySource {
  readonly document: unknown;
  /** Where a path inside the document (`['Statement', 0]`) is written. */
  locate(path: ReadonlyArray<string | number>): SourceLocation;
}

/** How a route is selected by per-route throttling settings on a stage. */
export type ThrottleSelector =
  /** REST method settings: `method_path` `resource/path/METHOD`, with `*` wildcards. */
  | { readonly kind: 'method-path'; readonly resourcePath: Maybe<string>; readonly method: Maybe<string> }
  /** HTTP/WebSocket stage `route_settings` by route key. */
  | { readonly kind: 'route-key'; readonly routeKey: string };

/** A route whose rate limit is filled in once stages are known. */
export interface RouteDraft {
  readonly route: Omit<Route, 'rateLimit' | 'fieldLocations' | 'fieldRelated'>;
  readonly fieldLocations: Record<string, SourceLocation>;
  /** Which entity owns a field's value (see `EntityBase.fieldOwners`). */
  fieldOwners?: Record<string, string>;
  /** Other places that bear on a field (see `EntityBase.fieldRelated`). */
  readonly fieldRelated?: Readonly<Record<string, readonly RelatedLocation[]>>;
  readonly gateway?: GatewayDraft;
  /**
   * For a route whose API is not in the scan, the key of that API among the others outside it (see
   * `outsideApiKey`): stages that name the same API set its limits.
   */
  readonly outsideApi?: string;
  readonly throttle: ThrottleSelector;
  /** A REST route's cache key and what identifies its caller, for the stages that cache it. */
  readonly cacheKey?: CacheKeyDraft;
  rateLimit?: Maybe<RateLimit>;
  cache?: Maybe<RouteCache>;
  unthrottledStage?: string;
  unthrottledStageImplicit?: ImplicitStage;
}

/**
 * What a REST route's cache key holds (its integration's `cache_key_parameters`) and which request
 * parameters identify its caller (the Authorization header, or its authorizer's identity sources).
 */
export interface CacheKeyDraft {
  readonly parameters: Maybe<string[]>;
  readonly callerSources: Maybe<string[]>;
  /** Where the key is written (`cache_key_parameters`), else the integration or the method. */
  readonly location: SourceLocation;
}

/** A rate limit found on a stage, with where it is set. */
export interface LocatedLimit {
  readonly limit: Maybe<RateLimit>;
  readonly location: SourceLocation;
}

/** A per-route override on a stage. */
export interface RouteOverride extends LocatedLimit {
  matches(selector: ThrottleSelector): boolean;
  /** How specific the override is; the most specific matching override wins. */
  readonly rank: number;
}

/** A stage while the adapter runs. */
export interface StageDraft {
  readonly id: string;
  /** The gateway's id, or for a stage whose API is not in the scan, that API's `outsideApiKey`. */
  readonly gatewayId: string;
  /** True when the stage's API is not in the scan (its `gatewayId` is then an outside key). */
  readonly apiOutsideScan: boolean;
  /** Whether the stage belongs to a REST API (v1 stage) or an HTTP/WebSocket API (v2 stage). */
  readonly version: 'v1' | 'v2';
  readonly name: Maybe<string>;
  readonly location: SourceLocation;
  readonly resource: ResourceView;
  /** True for a stage resource; false for stages implied by a deployment, method settings or quick create. */
  readonly isStageResource: boolean;
  /** Stage-wide limit (REST method settings for every method, HTTP `default_route_settings`). */
  defaultLimit?: LocatedLimit;
  readonly overrides: RouteOverride[];
  /** Usage-plan limits; they apply only to methods that require an API key. */
  readonly usagePlanLimits: Array<LocatedLimit & { readonly path?: string }>;
  wafAttached: boolean;
  /** The stage's method settings as they bear on its cache (see {@link CacheSetting}), in source order. */
  readonly cacheSettings: CacheSetting[];
  /** Whether some method or route setting logs full requests and responses, and the first such setting. */
  dataTrace?: { readonly value: Maybe<boolean>; readonly location: SourceLocation };
  /** Set for a stage the configuration does not declare (SAM's "Stage"). */
  readonly implicit?: ImplicitStage;
}

/**
 * What one method setting of a REST stage says about caching: `*\/*` (every method) or one method
 * path, whether it turns caching on or off (undefined when it leaves it alone) and whether it
 * encrypts the cached data.
 */
export interface CacheSetting {
  readonly methodPath: string;
  readonly caching: Maybe<boolean> | undefined;
  readonly encrypted: Maybe<boolean> | undefined;
  /** Where the setting says it does not encrypt (its `cache_data_encrypted`, else the block). */
  readonly location: SourceLocation;
}

/** The stages of each gateway, and gateways whose settings could not all be placed on a stage. */
export interface StageIndex {
  readonly byGateway: ReadonlyMap<string, StageDraft[]>;
  /** Per gateway: why some of its method settings could not be matched (limits are then uncertain). */
  readonly unresolved: ReadonlyMap<string, Unknown>;
}
