import type { ValueObject } from '../../../src/sources/view/value.js';

/**
 * One API Management object as Resource Manager returns it (`id`, `name`, `properties`, and for the
 * service `sku` and `location`): the shape an ARM template declares the same object in.
 */
export interface RawArmObject {
  /** The full type (`Microsoft.ApiManagement/service/apis/operations`). */
  readonly type: string;
  /** One name per type segment after the namespace: the service's, then each child's. */
  readonly names: readonly string[];
  /** The resource id (`/subscriptions/.../providers/Microsoft.ApiManagement/service/apim/apis/orders`). */
  readonly id: string;
  /** The resource object: `properties` and, for the service, `sku` and `location`; only what the audit keeps. */
  readonly body: ValueObject;
}

/** Why a call of an audit failed, for the advice given with it. */
export type AzureErrorClass =
  /** 401: the token was refused. */
  | 'unauthenticated'
  /** 403: the principal has no read permission there. */
  | 'denied'
  /** 404 of something listed a moment before: deleted while the audit ran. */
  | 'not-found'
  /** 429 or 5xx after every retry. */
  | 'throttled'
  | 'server'
  /** A response that is not the JSON Resource Manager sends. */
  | 'malformed'
  /** No response: DNS, connection, TLS, the call's time limit. */
  | 'network'
  | 'other';

/** A call that failed, with what it was reading: the part it concerns is not audited. */
export interface AzureCallFailure {
  readonly kind: 'call-failed';
  /** What was being read (`the APIs of API Management instance apim-a`). */
  readonly operation: string;
  /** The HTTP status, when there was a response. */
  readonly status?: number;
  /** Resource Manager's error code (`AuthorizationFailed`), or Node's (`ECONNREFUSED`). */
  readonly code: string;
  readonly message: string;
  readonly errorClass: AzureErrorClass;
  /** The resource id of what the call concerns. */
  readonly resource: string;
}

/** A listing or response stopped by one of gatewarden's limits. */
export interface AzureLimitHit {
  readonly kind: 'limit';
  readonly operation: string;
  readonly limit: 'audit-items' | 'audit-response-size';
  readonly value: number;
  readonly found: number;
  readonly what: string;
  readonly resource: string;
}

/** A listing whose `nextLink` came back a second time: it would never end, and was stopped. */
export interface AzureListingLoop {
  readonly kind: 'loop';
  readonly operation: string;
  readonly nextLink: string;
  readonly itemsRead: number;
  readonly resource: string;
}

/** Something the audit of an instance could not read. */
export type AzureProblem = AzureCallFailure | AzureLimitHit | AzureListingLoop;

/** One API Management instance, read through Resource Manager with GET calls only. */
export interface RawInstance {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** The service's resource id. */
  readonly id: string;
  /** The service and every child read, in the ARM shape. */
  readonly objects: readonly RawArmObject[];
  /** What could not be read: when there is any, the instance is not audited (a partial read gives false findings). */
  readonly problems: readonly AzureProblem[];
  /** Set when the audit stopped before the instance was read to the end. */
  readonly stopped?: { readonly inFlight: readonly string[] };
}
