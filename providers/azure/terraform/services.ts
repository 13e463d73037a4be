import type { ApimServiceFacts } from '../../../src/model/apim-facts.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { AzureGatewayDetails } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import type { ResourceView } from '../../../src/sources/view/resource-view.js';
import type { Value } from '../../../src/sources/view/value.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readBlocks, readBool, readString } from '../../shared/values.js';
import { APIM_FACT_KEYS } from '../settings.js';

/** An API Management service (`azurerm_api_management`), or one only named by the resources that use it. */
export interface ApimService {
  /** Stable key: the service resource's address, or `name:<service name>` when it is not in the input. */
  readonly key: string;
  readonly name: Maybe<string>;
  readonly resource?: ResourceView;
  /** Service-wide settings every API of the service inherits. */
  readonly details: Omit<AzureGatewayDetails, 'protocols' | 'subscriptionRequired' | 'serviceUrl'>;
  /** For a service the scan does not define: the facts the config file states about it (`azure.apim.services.<name>`). */
  readonly configured?: ApimServiceFacts;
}

/**
 * Finds the services, and resolves which service a resource belongs to. Child resources name their
 * service (`api_management_name = azurerm_api_management.x.name`, which resolves to the name) or point
 * at it (`api_management_id = azurerm_api_management.x.id`, a link).
 */
export class ApimServices {
  private readonly byKey = new Map<string, ApimService>();

  constructor(
    private readonly ctx: TerraformContext,
    private readonly facts: ReadonlyMap<string, ApimServiceFacts> = new Map(),
    diagnostics: Diagnostic[] = [],
  ) {
    for (const resource of ctx.ofType('azurerm_api_management')) {
      const name = readString(resource.values.name) ?? new Unknown('the service has no name');
      this.byKey.set(resource.address, { key: resource.address, name, resource, details: serviceDetails(resource) });
      const stated = typeof name === 'string' ? facts.get(name) : undefined;
      // The scan's own settings of the service are checked; what the config file says of it is not used.
      for (const [fact, value] of Object.entries(stated ?? {}) as Array<[keyof ApimServiceFacts, { location: SourceLocation }]>) {
        diagnostics.push({
          severity: 'warning',
          code: 'config',
          message: `azure.apim.services.${String(name)}.${APIM_FACT_KEYS[fact]} in the config file is not used: the scanned configuration defines API Management service "${String(name)}" (${resource.address}), and its own settings are checked; remove the setting`,
          location: value.location,
        });
      }
    }
  }

  /** Every service, those only named included (after {@link of} has met them). */
  all(): ApimService[] {
    return [...this.byKey.values()];
  }

  /** The service of a child resource, from its `api_management_name` or `api_management_id`. */
  of(resource: ResourceView): ApimService | undefined {
    const byId = resource.values.api_management_id;
    if (byId !== undefined) return this.fromValue(byId, true);
    return this.fromValue(resource.values.api_management_name, false);
  }

  private fromValue(value: Value | undefined, isId: boolean): ApimService | undefined {
    if (value === undefined || value === null) return undefined;
    const target = this.ctx.target(value, 'azurerm_api_management');
    if (target) return this.byKey.get(target.address);
    if (value instanceof Unknown) {
      // A service named by something unresolved (a variable without a value, a template parameter):
      // its children are still checked, with what depends on the service unknown. The same
      // unresolved expression names the same service.
      const key = `unresolved:${value.reason}`;
      if (!this.byKey.has(key)) this.byKey.set(key, { key, name: value, details: { service: value } });
      return this.byKey.get(key);
    }
    if (typeof value !== 'string') return undefined;
    // An id written as text: /subscriptions/.../providers/Microsoft.ApiManagement/service/<name>.
    const name = isId ? (/\/service\/([^/]+)\/?$/i.exec(value)?.[1] ?? value) : value;
    const found = [...this.byKey.values()].find((service) => service.name === name);
    if (found) return found;
    const key = `name:${name}`;
    const configured = this.facts.get(name);
    const named: ApimService = { key, name, details: { service: name, ...(configured ? configuredDetails(configured) : {}) }, ...(configured ? { configured } : {}) };
    if (!this.byKey.has(key)) this.byKey.set(key, named);
    return this.byKey.get(key);
  }
}

/** The service-wide settings the config file states of a service outside the scan; the others stay absent. */
function configuredDetails(facts: ApimServiceFacts): Partial<ApimService['details']> {
  return {
    ...(facts.publicNetworkAccess ? { publicNetworkAccess: facts.publicNetworkAccess.value } : {}),
    ...(facts.virtualNetworkType ? { virtualNetworkType: facts.virtualNetworkType.value } : {}),
    ...(facts.minimumClientTls ? { minimumClientTls: facts.minimumClientTls.value } : {}),
    ...(facts.minimumBackendTls ? { minimumBackendTls: facts.minimumBackendTls.value } : {}),
    ...(facts.weakCiphersEnabled ? { weakCiphersEnabled: facts.weakCiphersEnabled.value } : {}),
  };
}

/** Reads a boolean under its azurerm v4 name or, failing that, its v3 name. */
function flag(block: Readonly<Record<string, Value>> | undefined, v4: string, v3: string): Maybe<boolean> {
  if (!block) return false;
  return readBool(block[v4]) ?? readBool(block[v3]) ?? false;
}

/**
 * Service settings: SKU, network exposure, and the protocol and cipher flags of `security`, whose
 * attributes azurerm v4 renamed (`frontend_tls10_enabled`, v3 `enable_frontend_tls10`); all default
 * to disabled.
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/api_management#security
 */
function serviceDetails(resource: ResourceView): ApimService['details'] {
  const values = resource.values;
  const blocks = readBlocks(values.security);
  const security = blocks instanceof Unknown ? undefined : blocks[0];
  const unknownSecurity = blocks instanceof Unknown ? blocks : undefined;
  const minimum = (side: 'frontend' | 'backend'): Maybe<string> => {
    if (unknownSecurity) return unknownSecurity;
    const ssl30 = flag(security, `${side}_ssl30_enabled`, `enable_${side}_ssl30`);
    const tls10 = flag(security, `${side}_tls10_enabled`, `enable_${side}_tls10`);
    const tls11 = flag(security, `${side}_tls11_enabled`, `enable_${side}_tls11`);
    for (const value of [ssl30, tls10, tls11]) if (value instanceof Unknown) return value;
    return ssl30 ? 'ssl3' : tls10 ? '1.0' : tls11 ? '1.1' : '1.2';
  };
  const weakCiphers = ((): Maybe<boolean> => {
    if (unknownSecurity) return unknownSecurity;
    if (!security) return false;
    const names = Object.keys(security).filter((name) => name === 'triple_des_ciphers_enabled' || name === 'enable_triple_des_ciphers' || /^tls_.*_cbc_.*_ciphers_enabled$|^tls_rsa_.*_ciphers_enabled$/.test(name));
    let weak: Maybe<boolean> = false;
    for (const name of names) {
      const value = readBool(security[name]);
      if (value === true) return true;
      if (value instanceof Unknown) weak = value;
    }
    return weak;
  })();
  const network = readString(values.virtual_network_type) ?? 'None';
  return {
    service: readString(values.name) ?? new Unknown('the service has no name'),
    sku: readString(values.sku_name) ?? new Unknown('sku_name is not set'),
    publicNetworkAccess: readBool(values.public_network_access_enabled) ?? true,
    virtualNetworkType: network,
    minimumClientTls: minimum('frontend'),
    minimumBackendTls: minimum('backend'),
    weakCiphersEnabled: weakCiphers,
  };
}

/**
 * Where the weakest protocol or cipher setting of a service's `security` block is written (ARM
 * `customProperties`): the first enabled of SSL 3.0, TLS 1.0 and TLS 1.1 towards clients, then
 * towards backends, then a weak cipher; the block itself when none is enabled (or it is absent),
 * so a finding on the service's TLS points at the line to change.
 */
export function weakestTlsLocation(resource: ResourceView): SourceLocation {
  const blocks = readBlocks(resource.values.security);
  const security = blocks instanceof Unknown ? undefined : blocks[0];
  if (!security) return resource.locate(['security', 0]);
  const names: string[] = [];
  for (const side of ['frontend', 'backend'] as const) {
    for (const protocol of ['ssl30', 'tls10', 'tls11']) names.push(`${side}_${protocol}_enabled`, `enable_${side}_${protocol}`);
  }
  names.push('triple_des_ciphers_enabled', 'enable_triple_des_ciphers');
  names.push(...Object.keys(security).filter((name) => /^tls_.*_cbc_.*_ciphers_enabled$|^tls_rsa_.*_ciphers_enabled$/.test(name)));
  // Else a flag whose value is unknown (a variable without a value), which leaves the check unknown.
  const at = names.find((name) => readBool(security[name]) === true) ?? names.find((name) => readBool(security[name]) instanceof Unknown);
  return resource.locate(at ? ['security', 0, at] : ['security', 0]);
}
