import path from 'node:path';
import type { AdapterSettings } from '../../providers/index.js';
import type { ApimConfiguredPolicy } from '../../providers/azure/settings.js';
import type { ApimServiceFacts, GatewardenConfig } from '../config/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { refusalDiagnostic, type FileAccess } from '../sources/file-access.js';

/**
 * The adapters' settings from the config file's provider sections. Files those sections name are
 * read here, through the scan's file boundary: a policy file outside the scan roots and the
 * `--allow-read` directories is refused with an error at the setting's line, as a `file()` outside
 * them is, and what it would have said stays unknown. `onRead` records each file read (relative).
 */
export function adapterSettingsOf(config: GatewardenConfig | undefined, access: FileAccess, onRead: (file: string) => void, diagnostics: Diagnostic[]): AdapterSettings {
  const services = config?.azure?.apimServices;
  if (!services || services.size === 0) return {};
  const apimServicePolicies = new Map<string, ApimConfiguredPolicy>();
  const apimServiceFacts = new Map<string, ApimServiceFacts>();
  for (const [name, service] of services) {
    const { location } = service;
    if (Object.keys(service.facts).length > 0) apimServiceFacts.set(name, service.facts);
    if (service.policy === undefined) continue;
    if (service.policy === 'none') {
      apimServicePolicies.set(name, { kind: 'none', location });
      continue;
    }
    const absolute = path.resolve(service.policy.file);
    const file = access.display(absolute);
    const read = access.read(absolute);
    if (read.ok) {
      onRead(file);
      apimServicePolicies.set(name, { kind: 'document', xml: read.text, file, location });
      continue;
    }
    diagnostics.push(refusalDiagnostic(read, location, access, `azure.apim.services.${name}.policy`));
    apimServicePolicies.set(name, { kind: 'unreadable', file, reason: read.refusal === 'not-found' ? `${file} does not exist` : read.message, location });
  }
  return { azure: { apimServicePolicies, apimServiceFacts } };
}
