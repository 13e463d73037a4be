import type { AzureLogDestination, AzureLoggedContent } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { ValueObject } from '../../../src/sources/view/value.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readNumber, readString, readStringList } from '../../shared/values.js';
import { nameOf } from './policies.js';
import type { ApimService, ApimServices } from './services.js';

/** The diagnostics API Management sends request logs with, by identifier (the diagnostic's name). */
const DESTINATIONS: Readonly<Record<string, AzureLogDestination>> = { applicationinsights: 'application-insights', azuremonitor: 'azure-monitor' };

/**
 * Headers that carry a credential: logged unmasked, they put tokens, keys and session cookies in the
 * log workspace. Compared without regard to case.
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'ocp-apim-subscription-key', 'x-api-key', 'api-key', 'x-functions-key']);

/** The request and response settings of a diagnostic (azurerm blocks), and which body each logs. */
const MESSAGE_BLOCKS = [
  { block: 'frontend_request', body: 'request-body' },
  { block: 'backend_request', body: 'request-body' },
  { block: 'frontend_response', body: 'response-body' },
  { block: 'backend_response', body: 'response-body' },
] as const;

const OUTSIDE = 'the API Management service is not in the scanned configuration: the diagnostics that log all its APIs are set where it is defined';

/** Why an API's logging is unknown when its service is outside the scan: where it is set, and which setting states it. */
function outside(service: ApimService, key: string): Unknown {
  const setting = typeof service.name === 'string' ? `; set azure.apim.services.${service.name}.${key} in .gatewarden.yaml to state it` : '';
  return new Unknown(`${OUTSIDE}${setting}`);
}

/** What the diagnostics give one API, with where each is decided. */
export interface ApiLogging {
  readonly logDestinations: { readonly value: Maybe<AzureLogDestination[]>; readonly location?: SourceLocation };
  readonly loggedContent: { readonly value: Maybe<AzureLoggedContent[]>; readonly location?: SourceLocation };
  /**
   * True when the API has no diagnostic of its own: its logging is the service's, the same for every
   * such API of the service (a finding about it is the service's, see `fieldOwners`).
   */
  readonly inherited: boolean;
}

/**
 * The API Management diagnostics of the input (`azurerm_api_management_diagnostic` for every API of
 * a service, `azurerm_api_management_api_diagnostic` for one API; ARM templates and live audits are
 * translated into the same shapes) and the Azure Monitor diagnostic settings of services
 * (`azurerm_monitor_diagnostic_setting` whose target is a service), read once per adapter run.
 */
export class ApimDiagnostics {
  private readonly service = new Map<string, Map<string, ResourceView>>();
  private readonly api = new Map<string, Map<string, ResourceView>>();
  private readonly monitored = new Map<string, { readonly resource: ResourceView; readonly sends: Maybe<boolean> }>();

  constructor(ctx: TerraformContext, services: ApimServices) {
    for (const resource of ctx.ofType('azurerm_api_management_diagnostic')) {
      const service = services.of(resource);
      const identifier = readString(resource.values.identifier);
      if (!service || typeof identifier !== 'string') continue;
      const scope = this.service.get(service.key) ?? new Map<string, ResourceView>();
      scope.set(identifier.toLowerCase(), resource);
      this.service.set(service.key, scope);
    }
    for (const resource of ctx.ofType('azurerm_api_management_api_diagnostic')) {
      const service = services.of(resource);
      const api = nameOf(ctx, resource.values.api_name);
      const identifier = readString(resource.values.identifier);
      if (!service || typeof api !== 'string' || typeof identifier !== 'string') continue;
      const key = `${service.key}|${api}`;
      const scope = this.api.get(key) ?? new Map<string, ResourceView>();
      scope.set(identifier.toLowerCase(), resource);
      this.api.set(key, scope);
    }
    for (const resource of ctx.ofType('azurerm_monitor_diagnostic_setting')) {
      // Terraform points at the service's id; ARM templates and live audits name the service.
      const target = ctx.target(resource.values.target_resource_id, 'azurerm_api_management')?.address ?? (resource.values.api_management_name !== undefined ? services.of(resource)?.key : undefined);
      if (target === undefined) continue;
      const sends = sendsGatewayLogs(resource);
      // One setting that sends the logs decides; an unknown one counts only while none is known to.
      if (sends === true || (sends instanceof Unknown && this.monitored.get(target)?.sends !== true)) this.monitored.set(target, { resource, sends });
    }
  }

  /**
   * The effective logging of one API: for each kind of diagnostic, the API's own or else the
   * service's (API Management applies API-level settings in place of service-level ones); a
   * diagnostic sampling 0% of calls logs none of them.
   */
  of(service: ApimService, apiName: string): ApiLogging {
    const own = this.api.get(`${service.key}|${apiName}`) ?? new Map<string, ResourceView>();
    const inherited = this.service.get(service.key) ?? new Map<string, ResourceView>();
    const destinations: AzureLogDestination[] = [];
    let destinationAt: SourceLocation | undefined;
    let uncertain: Unknown | undefined;
    const content = new Set<AzureLoggedContent>();
    let contentAt: SourceLocation | undefined;
    let contentUnknown: Unknown | undefined;
    // What the config file states of a service outside the scan stands for its service-wide diagnostics.
    const stated = service.resource ? undefined : service.configured;
    for (const [identifier, destination] of Object.entries(DESTINATIONS)) {
      const diagnostic = own.get(identifier) ?? inherited.get(identifier);
      if (!diagnostic && stated?.diagnostics) {
        if (!stated.diagnostics.value.includes(destination)) continue;
        destinations.push(destination);
        destinationAt ??= stated.diagnostics.location;
        if (!stated.loggedContent) contentUnknown ??= outside(service, 'logged-content');
        else for (const item of stated.loggedContent.value) content.add(item);
        if (stated.loggedContent && stated.loggedContent.value.length > 0) contentAt ??= stated.loggedContent.location;
        continue;
      }
      if (!diagnostic) {
        // The service-wide diagnostic of this kind, if any, is where the service is defined.
        if (!service.resource) contentUnknown ??= outside(service, 'diagnostics');
        continue;
      }
      const sampling = readNumber(diagnostic.values.sampling_percentage) ?? 100;
      if (sampling instanceof Unknown) {
        uncertain ??= sampling;
        destinationAt ??= diagnostic.locate(['sampling_percentage']);
        continue;
      }
      if (sampling <= 0) {
        destinationAt ??= diagnostic.locate(['sampling_percentage']);
        continue;
      }
      destinations.push(destination);
      destinationAt = diagnostic.location;
      const logged = loggedContent(diagnostic);
      if (logged.value instanceof Unknown) contentUnknown ??= logged.value;
      else for (const item of logged.value) content.add(item);
      if (logged.location && !contentAt) contentAt = logged.location;
    }
    const monitor = this.monitored.get(service.key);
    if (monitor?.sends === true && !destinations.includes('azure-monitor')) {
      destinations.push('azure-monitor');
      destinationAt ??= monitor.resource.location;
    } else if (monitor?.sends instanceof Unknown) uncertain ??= monitor.sends;
    const unstated = !service.resource && own.size === 0 && !stated?.diagnostics;
    const logDestinations: Maybe<AzureLogDestination[]> =
      destinations.length > 0 ? destinations
      : uncertain ? uncertain
      : unstated ? outside(service, 'diagnostics')
      : [];
    // `diagnostics: none` for the service, and no diagnostic of the API's own: at the setting.
    if (destinations.length === 0 && stated?.diagnostics && own.size === 0) destinationAt ??= stated.diagnostics.location;
    const loggedContentValue: Maybe<AzureLoggedContent[]> = content.size > 0 ? [...content] : (contentUnknown ?? []);
    return {
      logDestinations: { value: logDestinations, ...(destinationAt ? { location: destinationAt } : {}) },
      loggedContent: { value: loggedContentValue, ...(contentAt ? { location: contentAt } : {}) },
      inherited: own.size === 0,
    };
  }
}

/**
 * Whether a diagnostic setting sends the gateway's request logs (`GatewayLogs`, or every log
 * category); unknown when its categories are (a variable, or settings an audit could not read).
 */
function sendsGatewayLogs(resource: ResourceView): Maybe<boolean> {
  let unknown: Unknown | undefined;
  for (const name of ['enabled_log', 'log']) {
    const blocks = readBlocks(resource.values[name]);
    if (blocks instanceof Unknown) {
      unknown ??= blocks;
      continue;
    }
    for (const block of blocks) {
      if (name === 'log' && block.enabled === false) continue;
      const category = readString(block.category);
      const group = readString(block.category_group);
      if (typeof category === 'string' && category.toLowerCase() === 'gatewaylogs') return true;
      if (typeof group === 'string' && group.toLowerCase() === 'alllogs') return true;
      if (category instanceof Unknown) unknown ??= category;
      else if (group instanceof Unknown) unknown ??= group;
    }
  }
  return unknown ?? false;
}

/** What one diagnostic logs of a call's content, and where the first such setting is written. */
function loggedContent(diagnostic: ResourceView): { value: Maybe<AzureLoggedContent[]>; location?: SourceLocation } {
  const found: AzureLoggedContent[] = [];
  let location: SourceLocation | undefined;
  let unknown: Unknown | undefined;
  for (const { block, body } of MESSAGE_BLOCKS) {
    const blocks = readBlocks(diagnostic.values[block]);
    if (blocks instanceof Unknown) {
      unknown ??= blocks;
      continue;
    }
    const settings: ValueObject | undefined = blocks[0];
    if (!settings) continue;
    const bytes = readNumber(settings.body_bytes);
    if (bytes instanceof Unknown) unknown ??= bytes;
    else if (bytes !== undefined && bytes > 0) {
      if (!found.includes(body)) found.push(body);
      location ??= diagnostic.locate([block, 0, 'body_bytes']);
    }
    const headers = readStringList(settings.headers_to_log);
    if (headers instanceof Unknown) unknown ??= headers;
    else if (headers) {
      const masked = maskedHeaders(settings);
      if (headers.some((header) => CREDENTIAL_HEADERS.has(header.toLowerCase()) && !masked.has(header.toLowerCase()))) {
        if (!found.includes('credential-headers')) found.push('credential-headers');
        location ??= diagnostic.locate([block, 0, 'headers_to_log']);
      }
    }
  }
  if (found.length > 0) return { value: found, ...(location ? { location } : {}) };
  return { value: unknown ?? [] };
}

/** Headers a block's `data_masking` masks or hides (lower case). */
function maskedHeaders(settings: ValueObject): Set<string> {
  const masked = new Set<string>();
  const masking = readBlocks(settings.data_masking);
  if (masking instanceof Unknown) return masked;
  for (const entry of masking) {
    const headers = readBlocks(entry.headers);
    if (headers instanceof Unknown) continue;
    for (const header of headers) {
      const value = readString(header.value);
      if (typeof value === 'string') masked.add(value.toLowerCase());
    }
  }
  return masked;
}
