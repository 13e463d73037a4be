import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { attribute, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { TerraformContext } from '../../shared/terraform-context.js';
import { readString } from '../../shared/values.js';
import type { PolicyDocument } from '../policy/document.js';
import type { ApimPolicies } from './policies.js';
import type { ApimServices } from './services.js';

/**
 * Backend entities (`azurerm_api_management_backend`, ARM `service/backends`, a live instance's
 * backends list) with a plain `http://` URL that no policy in the scan names with
 * `set-backend-service backend-id`. A backend that a policy names gives the routes under it their
 * backend URL, and backend-https checks it there; one no policy in the scan names belongs to no
 * route (its APIs are elsewhere, or it is unused), so it cannot be a route's finding. It is said
 * here, at its URL, so that it is not silently passed over: a warning, never the URL itself (it may
 * carry credentials). Only for a service in the scan, whose policies are all here: when one of them
 * cannot be read, or names a backend by an expression, whether the backend is used is not known and
 * nothing is said.
 */
export function unreferencedPlainBackends(ctx: TerraformContext, services: ApimServices, policies: ApimPolicies): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const named = new Map<string, Set<string> | 'unknown'>();
  const namedBy = (serviceKey: string): Set<string> | 'unknown' => {
    const known = named.get(serviceKey);
    if (known) return known;
    const result = backendIdsOf(documentsOf(policies, serviceKey));
    named.set(serviceKey, result);
    return result;
  };
  for (const resource of ctx.ofType('azurerm_api_management_backend')) {
    const service = services.of(resource);
    const name = readString(resource.values.name);
    const url = readString(resource.values.url);
    if (!service?.resource || typeof name !== 'string' || typeof url !== 'string' || !url.trim().toLowerCase().startsWith('http://')) continue;
    const ids = namedBy(service.key);
    if (ids === 'unknown' || ids.has(name)) continue;
    diagnostics.push({
      severity: 'warning',
      code: 'not-scanned',
      message: `backend ${name} of API Management service ${String(service.name)} has a plain http:// url, and no policy in the scan sends calls to it (set-backend-service backend-id): backend-https checks a backend on the routes whose policy names it, and none is in the scan. Use an https:// url, or scan the configuration of the APIs that use it`,
      location: resource.locate(['url']),
      address: resource.address,
    });
  }
  return diagnostics;
}

/** Every policy document of one service: global, product, API, operation and fragments. */
function documentsOf(policies: ApimPolicies, serviceKey: string): PolicyDocument[] {
  const prefix = `${serviceKey}|`;
  const documents: PolicyDocument[] = [];
  const global = policies.global.get(serviceKey);
  if (global) documents.push(global);
  for (const scoped of [policies.product, policies.api, policies.operation]) for (const [key, document] of scoped) if (key.startsWith(prefix)) documents.push(document);
  documents.push(...(policies.fragments.get(serviceKey)?.values() ?? []));
  return documents;
}

/** The backend ids the documents name, or `unknown` when a document cannot be read or names one by an expression. */
function backendIdsOf(documents: readonly PolicyDocument[]): Set<string> | 'unknown' {
  const ids = new Set<string>();
  const visit = (element: XmlElement): boolean => {
    if (element.name === 'set-backend-service') {
      const id = attribute(element, 'backend-id');
      if (id !== undefined) {
        if (id.trim().startsWith('@') || id.includes('{{')) return false;
        ids.add(id);
      }
    }
    return element.children.every((child) => child.kind !== 'element' || visit(child));
  };
  for (const document of documents) {
    if (!document.root || !visit(document.root)) return 'unknown';
  }
  return ids;
}
