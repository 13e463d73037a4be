import type { Backend } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readString } from '../../shared/values.js';
import type { ApimServices } from './services.js';

/**
 * One backend entity per `azurerm_api_management_backend` (ARM `service/backends`, a live
 * instance's backends list), at the resource, with its URL located at `url`. A backend that a route
 * of the scan sends calls to gives that route its backend URL, and backend-https checks it there;
 * whether one does is read from the routes already added (their backend URL is located at this
 * backend's `url`), so that backend-entity-https checks the backends no route here calls (their
 * APIs are elsewhere, or they are unused) once each, where their URL is written. A route whose
 * policy names its backend through an expression has an unknown backend URL located at the
 * policy: it does not count as calling any backend, so a plain http:// backend is still reported
 * once, on itself, rather than left to an unknown; so is one named only by an operation answered by a
 * mock (no call leaves the gateway, and the route has no backend URL).
 */
export function emitApimBackends(ctx: TerraformContext, services: ApimServices): void {
  const calledAt = new Set(ctx.entities.flatMap((entity) => (entity.kind === 'route' && entity.backendUrl !== undefined && entity.fieldLocations.backendUrl ? [locationKey(entity.fieldLocations.backendUrl)] : [])));
  for (const resource of ctx.ofType('azurerm_api_management_backend')) {
    const service = services.of(resource);
    const urlLocation = resource.locate(['url']);
    const backend: Backend = {
      ...ctx.base('backend', resource, { fieldLocations: { url: urlLocation } }),
      name: readString(resource.values.name) ?? new Unknown('the backend has no name'),
      url: readString(resource.values.url) ?? new Unknown('the backend has no url'),
      calledByScannedRoutes: calledAt.has(locationKey(urlLocation)),
      azure: { service: service?.name ?? new Unknown('the backend names no API Management service gatewarden can resolve') },
    };
    ctx.add(backend);
  }
}

/** A location as a comparable key. */
function locationKey(location: SourceLocation): string {
  return `${location.file}:${location.startLine}:${location.startColumn}:${location.endLine}:${location.endColumn}`;
}
