import { joinWithAnd } from '../arrays.js';
import type { Entity, Gateway, Route } from '../model/entities.js';
import type { Finding, FindingRoute, FindingSuppression, UnevaluatedCheck, UnevaluatedRoute } from '../model/findings.js';
import type { SourceLocation } from '../model/location.js';
import { Unknown } from '../model/unknown.js';
import { GROUP_ROUTES_SLOT } from './cel.js';

// One finding per setting at fault: a stage without throttling is one finding on the stage that lists
// the routes it leaves unlimited, not one per route; an API Management service accepting TLS 1.0 is
// one finding on the service that lists its APIs. The engine decides every route and API as before;
// this module only combines the failures that share the owner of the field at fault.

/** How many routes a group message names before "and N more". */
export const ROUTES_IN_MESSAGE = 5;

/** A route's (or an API's) failure that joins a group: its finding as it would stand alone, and what groups it. */
export interface GroupMember {
  /** The finding the member would have alone (its fingerprint is the one baselines made before hold). */
  readonly finding: Finding;
  readonly route: Route | Gateway;
  /** The entity that owns the field at fault (`fieldOwners`). */
  readonly owner: Entity;
  readonly variant: number;
  readonly groupMessage: string;
}

/**
 * The key members of one group share: same owner, same place at fault, same severity and variant (so
 * that the message read on the first is true of all), and the same suppression, so that a route
 * whose finding its own suppression accepts is not hidden in a group that fails the run, nor the
 * reverse.
 */
export function groupKey(member: Omit<GroupMember, 'groupMessage'>): string {
  const { location, severity, suppressed } = member.finding;
  const suppressedAt = suppressed ? `${suppressed.kind}@${at(suppressed.location)}` : '';
  return JSON.stringify([member.owner.id, at(location), severity, member.variant, suppressedAt]);
}

function at(location: SourceLocation): string {
  return `${location.file}:${location.startLine}:${location.startColumn}:${location.pointer ?? ''}`;
}

/** The list of routes a group message shows: the first {@link ROUTES_IN_MESSAGE}, then how many more. */
export function routeList(keys: readonly string[]): string {
  const shown = keys.slice(0, ROUTES_IN_MESSAGE);
  const more = keys.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return joinWithAnd(shown);
}

/**
 * One finding for the members of a group, on their owner: its entity, address and message; the
 * place at fault they share; and each member route with the fingerprint its own finding had.
 * `ownerSuppression` is what accepts the finding on the owner itself, for members none of whose own
 * suppressions did.
 */
export function groupedFinding(
  members: readonly GroupMember[],
  fingerprint: (entityId: string) => string,
  ownerSuppression: FindingSuppression | undefined,
): Finding {
  const first = members[0]!;
  const { owner } = first;
  const sorted = inListOrder(members);
  const routes: FindingRoute[] = sorted.map(({ route, finding }) => ({ ...memberRoute(route), fingerprint: finding.fingerprint }));
  // The members' own findings are replaced by this one: none of their route-only fields is kept.
  const { routeKey: _routeKey, construct: _construct, suppressed: memberSuppression, ...shared } = first.finding;
  const suppressed = memberSuppression ?? ownerSuppression;
  const gateway = ownerGateway(owner);
  return {
    ...shared,
    ...gateway,
    entityKind: owner.kind,
    entityId: owner.id,
    address: owner.address,
    modulePath: owner.modulePath,
    ...(owner.construct !== undefined ? { construct: owner.construct } : {}),
    // Named once each: the revisions of an API Management API are members of their own with one name.
    message: first.groupMessage.split(GROUP_ROUTES_SLOT).join(routeList([...new Set(routes.map((route) => route.routeKey))])),
    origin: owner.origin,
    fingerprint: fingerprint(owner.id),
    routes,
    ...(suppressed ? { suppressed } : {}),
  };
}

/** A member as a grouped finding or unknown check lists it. */
function memberRoute(member: Route | Gateway): UnevaluatedRoute {
  return {
    entityId: member.id,
    address: member.address,
    routeKey: memberKey(member),
    ...(member.kind === 'route' && !(member.method instanceof Unknown) ? { method: member.method } : {}),
    ...(member.kind === 'route' && !(member.path instanceof Unknown) ? { path: member.path } : {}),
    location: member.location,
  };
}

/** A route's (or an API's) unknown check that joins a group: the check as it would stand alone, and its owner. */
export interface UnknownMember {
  readonly check: UnevaluatedCheck;
  readonly route: Route | Gateway;
  readonly owner: Entity;
}

/**
 * The key unknown checks of one group share: same owner, same place and same reason, so that one
 * check says why all of them are unknown (a service's TLS flag from a variable without a value).
 */
export function unknownGroupKey(member: UnknownMember): string {
  return JSON.stringify([member.owner.id, at(member.check.location), member.check.reason]);
}

/**
 * One unknown check for the members of a group, on their owner, listing them: a setting that is
 * unknown once is said once, like the finding it could be.
 */
export function groupedUnknown(members: readonly UnknownMember[]): UnevaluatedCheck {
  const { owner, check } = members[0]!;
  const sorted = inListOrder(members);
  // The members' own fields (route key, stand-in) are theirs, not the owner's.
  const { routeKey: _routeKey, standIn: _standIn, ...shared } = check;
  const gateway = ownerGateway(owner);
  return { ...shared, ...gateway, entityKind: owner.kind, entityId: owner.id, address: owner.address, routes: sorted.map(({ route }) => memberRoute(route)) };
}

/** Members in the order a group lists them: by route key or API name, then by id. */
function inListOrder<M extends { readonly route: Route | Gateway }>(members: readonly M[]): M[] {
  return [...members].sort((a, b) => memberKey(a.route).localeCompare(memberKey(b.route)) || a.route.id.localeCompare(b.route.id));
}

/** APIs grouped on their service: the group's gateway is the service, which the APIs belong to. */
function ownerGateway(owner: Entity): { gateway?: { id: string; name?: string } } {
  return owner.kind === 'gateway' ? { gateway: { id: owner.id, ...(typeof owner.name === 'string' ? { name: owner.name } : {}) } } : {};
}

/** How a group lists a member: a route's key (`GET /users`), an API's name (its id when the name is unknown). */
function memberKey(member: Route | Gateway): string {
  if (member.kind === 'route') return member.key;
  return typeof member.name === 'string' ? member.name : member.id;
}
