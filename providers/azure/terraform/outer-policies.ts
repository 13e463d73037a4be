import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { lineLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import { readPolicyDocument, type PolicyDocument } from '../policy/document.js';
import { apimPolicySetting, type AzureSettings } from '../settings.js';
import type { ApimPolicies } from './policies.js';
import type { ApimService } from './services.js';

/** A service's global policy given by the configuration, parsed, with the setting that gave it. */
export interface ConfiguredGlobal {
  readonly service: ApimService;
  readonly serviceName: string;
  readonly document: PolicyDocument;
}

/**
 * The global (service) scope of each API's policy chain. The scanned configuration's
 * `azurerm_api_management_policy` (ARM `service/policies`) wins; for a service whose global policy
 * is not in the scan, the config file's `azure.apim.services.<name>.policy` supplies it (a file, or
 * `none`); otherwise a service defined in the scan has none, and one outside it has an unknown
 * policy whose reason names the setting that resolves it.
 */
export class GlobalPolicies {
  private readonly configured = new Map<string, ConfiguredGlobal | 'none'>();
  private readonly reportedOverlap = new Set<string>();

  constructor(
    private readonly policies: ApimPolicies,
    private readonly settings: AzureSettings,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The global document of `service` for an API (`api`: the API resource, where an unknown is shown). */
  of(service: ApimService, api: ResourceView): PolicyDocument | undefined {
    const scanned = this.policies.global.get(service.key);
    const name = typeof service.name === 'string' ? service.name : undefined;
    const setting = name === undefined ? undefined : this.settings.apimServicePolicies.get(name);
    if (scanned) {
      if (setting && name !== undefined && !this.reportedOverlap.has(service.key)) {
        this.reportedOverlap.add(service.key);
        this.diagnostics.push({
          severity: 'warning',
          code: 'config',
          message: `${apimPolicySetting(name)} in the config file is not used: the scanned configuration defines the global policy of API Management service "${name}" (${scanned.address}), and that one is checked; remove the setting`,
          location: setting.location,
        });
      }
      return scanned;
    }
    if (name !== undefined && setting) {
      const configured = this.configuredGlobal(service, name);
      return configured === 'none' ? undefined : configured.document;
    }
    return service.resource ? undefined : unknownGlobal(service, api);
  }

  /** The configured global documents met so far (after {@link of}), for what they set themselves (CORS). */
  documents(): ConfiguredGlobal[] {
    return [...this.configured.values()].filter((entry): entry is ConfiguredGlobal => entry !== 'none');
  }

  private configuredGlobal(service: ApimService, name: string): ConfiguredGlobal | 'none' {
    const known = this.configured.get(service.key);
    if (known) return known;
    const setting = this.settings.apimServicePolicies.get(name)!;
    const label = `the service ${name}`;
    const address = apimPolicySetting(name);
    let entry: ConfiguredGlobal | 'none';
    if (setting.kind === 'none') {
      entry = 'none';
    } else if (setting.kind === 'unreadable') {
      // The pipeline reported why at the setting's line; the chains under it stay unknown.
      const reason = new Unknown(`the global policy of API Management service "${name}" could not be read from ${setting.file} (${address} in .gatewarden.yaml): ${setting.reason}`);
      entry = { service, serviceName: name, document: { scope: 'global', label, address, unknown: reason, location: setting.location, at: () => setting.location } };
    } else {
      const { document, diagnostics } = readPolicyDocument('global', label, { xml: setting.xml, location: lineLocation(setting.file, 1), lines: { file: setting.file, firstLine: 1 } }, address);
      this.diagnostics.push(...diagnostics);
      entry = { service, serviceName: name, document };
    }
    this.configured.set(service.key, entry);
    return entry;
  }
}

/**
 * The global policy of a service the scan does not define: it runs before every API's policy and
 * may enforce anything, or nothing. Its reason says where the service is missing from and which
 * setting of the config file resolves it.
 */
function unknownGlobal(service: ApimService, api: ResourceView): PolicyDocument {
  const location: SourceLocation = api.locate(['api_management_name']);
  const elsewhere =
    api.format === 'arm' ? 'the service is not deployed by the scanned template: an existing resource, or a service deployed elsewhere'
    // The extractor writes the global policy as policy.xml at the root of the artifacts folder.
    : api.format === 'apiops' ? 'the APIOps artifacts folder has no policy.xml at its root, where the extractor writes the service\'s global policy'
    : 'the service is not an azurerm_api_management resource of the scanned configuration: a data source, or a service managed elsewhere';
  const reason =
    typeof service.name === 'string'
      ? `the global policy of API Management service "${service.name}" is not in the scan (${elsewhere}); set ${apimPolicySetting(service.name)} in .gatewarden.yaml to its policy file, or to none`
      : `the global policy of the API Management service is not in the scan, and the service's name is unknown (${service.name.reason}); give the name a value, then set azure.apim.services.<name>.policy in .gatewarden.yaml to its policy file, or to none`;
  return { scope: 'global', label: `the service ${String(typeof service.name === 'string' ? service.name : '(unknown)')}`, address: `${service.key}/policy`, unknown: new Unknown(reason), location, at: () => location };
}
