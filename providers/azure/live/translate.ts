import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Origin, SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { TranslatedView, type FieldMap } from '../../shared/translate.js';
import { DEFAULT_HOSTNAME_NEGOTIATES, translateArmShaped, type ArmShapedResource } from '../arm/translate.js';
import type { AzureCloud } from './clouds.js';
import type { RawInstance } from './raw.js';

/** An object read from Resource Manager, in the shape the ARM translation reads, named by its resource id. */
interface LiveArmResource extends ArmShapedResource {
  readonly id: string;
  readonly origin: Origin;
}

const SERVICE_TYPE = 'Microsoft.ApiManagement/service';

function isObject(value: Value | undefined): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** The portal's page of a resource: children of an instance open at the instance, which the portal shows them under. */
function portalUrl(cloud: AzureCloud, serviceId: string): string {
  return `${cloud.portal}/#resource${serviceId}/overview`;
}

/**
 * A live object's view. Every part of it is at the resource: there are no lines to point at, so the
 * location is the resource id (with a portal link).
 */
function liveView(resource: LiveArmResource, type: string, values: ResourceView['values'], fields: FieldMap): ResourceView {
  const name = resource.nameSegments[resource.nameSegments.length - 1];
  return new TranslatedView({
    format: 'live',
    type,
    address: resource.id,
    name: typeof name === 'string' ? name : resource.id,
    source: { type: resource.type, name: resource.id },
    modulePath: '',
    rootModule: resource.origin.account ?? '',
    values,
    location: resource.location,
    origin: resource.origin,
    fields,
    locateSource: () => resource.location,
  });
}

/**
 * Turns one instance read from Resource Manager into the azurerm shapes the one API Management
 * adapter reads, through the translation of ARM templates: Resource Manager returns each object in
 * the shape a template declares it in, so an audit and a scan of the template that created the
 * instance agree by construction. The instance's default gateway hostname (`<name>.azure-api.net`)
 * is not a custom domain and is left out, as a template leaves it out; whether it negotiates client
 * certificates is kept (see {@link DEFAULT_HOSTNAME_NEGOTIATES}). Pure.
 */
export function translateLiveInstance(raw: RawInstance, cloud: AzureCloud): { resources: ResourceView[]; diagnostics: Diagnostic[] } {
  const url = portalUrl(cloud, raw.id);
  const defaultHost = `${raw.name}${cloud.gatewaySuffix}`.toLowerCase();
  const service = raw.objects.find((object) => object.type === SERVICE_TYPE);
  const region = typeof service?.body.location === 'string' ? service.body.location : '';
  const resources: LiveArmResource[] = raw.objects.map((object) => {
    const location: SourceLocation = { file: object.id, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, url };
    let body = object.body;
    if (object.type === SERVICE_TYPE) {
      const properties = isObject(body.properties) ? body.properties : {};
      const hostnames = Array.isArray(properties.hostnameConfigurations) ? properties.hostnameConfigurations : [];
      const isDefault = (entry: Value): boolean => isObject(entry) && typeof entry.hostName === 'string' && entry.hostName.toLowerCase() === defaultHost;
      const custom = hostnames.filter((entry) => !isDefault(entry));
      const byDefault = hostnames.find(isDefault);
      const negotiates = isObject(byDefault) ? { [DEFAULT_HOSTNAME_NEGOTIATES]: byDefault.negotiateClientCertificate === true } : {};
      body = { ...body, properties: { ...properties, hostnameConfigurations: custom, ...negotiates } };
    }
    return {
      id: object.id,
      // ARM templates name a resource by the part of its id after `providers/`.
      address: object.id.replace(/^.*?\/providers\//i, ''),
      type: object.type,
      nameSegments: object.names,
      properties: isObject(body.properties) ? body.properties : {},
      body,
      location,
      origin: { format: 'live', account: raw.subscriptionId, region },
    };
  });
  return translateArmShaped(resources, liveView);
}
