import { pushAll } from '../../../src/arrays.js';
import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import type { LiveAuditContext, LiveReadResult } from '../../live-auditor.js';
import { azureCloud, checkEndpointUrl } from './clouds.js';
import { adviceFor } from './errors.js';
import { fetchInstance } from './fetch.js';
import { adaptAzureLive, problemDiagnostic } from './index.js';
import type { AzureAuditOptions } from './options.js';
import { APIM_API_VERSION, ArmCallError, ArmCallStopped, openArmSession, SUBSCRIPTIONS_API_VERSION, type ArmSession } from './session.js';
import { mapLimited } from '../../shared/concurrency.js';

type Wire = Readonly<Record<string, unknown>>;

/** Every item of a Resource Manager listing, following `nextLink`; throws {@link ArmCallError} or {@link ArmCallStopped}. */
async function listAll(session: ArmSession, path: string, maxItems: number, what: string): Promise<Wire[]> {
  const items: Wire[] = [];
  const seen = new Set<string>();
  let next: string | undefined = path;
  while (next !== undefined) {
    const page = (await session.get(next)) as { value?: unknown; nextLink?: unknown } | null;
    const value = Array.isArray(page?.value) ? page.value.filter((item): item is Wire => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
    items.push(...value);
    if (items.length > maxItems) throw new ArmCallError(`${what} listed more than ${maxItems} items (the audit-items limit)`, 'TooManyItems', 'other');
    const link = typeof page?.nextLink === 'string' && page.nextLink !== '' ? page.nextLink : undefined;
    if (link !== undefined && seen.has(link)) throw new ArmCallError(`${what} returned the same nextLink a second time, so the listing would never end`, 'ListingLoop', 'malformed');
    if (link !== undefined) seen.add(link);
    next = link;
  }
  return items;
}

/** A failed call outside an instance (signing in, listing subscriptions or instances), as a diagnostic. */
function failureDiagnostic(error: ArmCallError, what: string, endpoint: string, address?: string): Diagnostic {
  const status = error.status !== undefined ? `HTTP ${error.status}, ` : '';
  // A subscription or resource group that is not there was mistyped, not deleted during the audit.
  const advice = error.errorClass === 'not-found' ? 'check the subscription id ("az account list -o table") and --resource-group' : adviceFor(error, endpoint);
  return { severity: 'error', code: 'read-error', message: `${what} failed (${status}${error.code}): ${error.message}; ${advice}`, ...(address !== undefined ? { address } : {}) };
}

/**
 * Audits the API Management instances of Azure subscriptions: lists the subscriptions the credentials
 * can see (or takes those given), their instances (of one resource group, or one name, when asked),
 * and reads each instance with GET calls only (see {@link fetchInstance}). A subscription or instance
 * that is denied, missing or fails is a diagnostic and the rest goes on; the audit is then
 * incomplete. Loaded only when an audit of Azure starts: it brings the Azure SDK.
 *
 * When the context's stop fires (the deadline, Ctrl-C, the `entities` budget), the calls under way
 * are abandoned; instances that finished are kept, and each that did not is named.
 */
export async function auditAzureSubscriptions(options: AzureAuditOptions, context: LiveAuditContext): Promise<LiveReadResult> {
  const { limits, stop } = context;
  const cloud = azureCloud(options.cloud);
  const endpointUrl = options.endpointUrl !== undefined ? checkEndpointUrl('--endpoint-url', options.endpointUrl) : undefined;
  const entities: Entity[] = [];
  const diagnostics: Diagnostic[] = [];
  const targets: string[] = [];
  const session = await openArmSession({
    cloud,
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    ...(options.credential !== undefined ? { credential: options.credential } : {}),
    maxRetries: options.maxRetries ?? 6,
    retryDelayMs: options.retryDelayMs ?? 800,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxResponseBytes: limits['audit-response-size'],
    stop,
    ...(options.readLimit !== undefined ? { readLimit: options.readLimit } : {}),
  });
  const endpoint = session.endpoint;
  const result = (): LiveReadResult => ({ targets, entities, diagnostics, calls: session.calls });
  const stoppedDiagnostic = (what: string, address?: string): Diagnostic => ({ severity: 'error', code: 'not-scanned', message: `${what} was not audited: ${context.stoppedBecause()}; ${context.remedy()}`, ...(address !== undefined ? { address } : {}) });

  let subscriptions: string[];
  if (options.subscriptions !== undefined && options.subscriptions.length > 0) subscriptions = [...options.subscriptions];
  else {
    context.progress('listing subscriptions');
    try {
      const listed = await listAll(session, `/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`, limits['audit-items'], 'the subscriptions');
      subscriptions = [];
      for (const item of listed) {
        const id = typeof item.subscriptionId === 'string' ? item.subscriptionId : undefined;
        if (id === undefined) continue;
        // A disabled subscription's resources cannot be read; it is not a gap in the audit.
        if (typeof item.state === 'string' && /^(disabled|deleted)$/i.test(item.state)) {
          diagnostics.push({ severity: 'info', code: 'not-scanned', message: `subscription ${id} is ${item.state.toLowerCase()}; it was skipped`, address: `/subscriptions/${id}` });
        } else subscriptions.push(id);
      }
    } catch (error) {
      if (error instanceof ArmCallStopped) diagnostics.push(stoppedDiagnostic('no subscription'));
      else if (error instanceof ArmCallError) diagnostics.push(failureDiagnostic(error, 'listing the subscriptions of the credentials', endpoint));
      else throw error;
      return result();
    }
    if (subscriptions.length === 0 && !diagnostics.some((diagnostic) => diagnostic.severity === 'info')) {
      diagnostics.push({ severity: 'error', code: 'read-error', message: 'the credentials can list no subscription, so nothing was audited: give the principal a role on the subscriptions to audit, or name them with --subscription' });
    }
  }

  let servicesFound = 0;
  for (const subscriptionId of subscriptions) {
    const scope = `/subscriptions/${subscriptionId}${options.resourceGroup !== undefined ? `/resourceGroups/${encodeURIComponent(options.resourceGroup)}` : ''}`;
    if (stop.aborted) {
      diagnostics.push(stoppedDiagnostic(`subscription ${subscriptionId}`, scope));
      continue;
    }
    context.progress(`auditing subscription ${subscriptionId}: listing API Management instances`);
    let services: Wire[];
    try {
      services = await listAll(session, `${scope}/providers/Microsoft.ApiManagement/service?api-version=${APIM_API_VERSION}`, limits['audit-items'], `the API Management instances of ${scope}`);
    } catch (error) {
      if (error instanceof ArmCallStopped) diagnostics.push(stoppedDiagnostic(`subscription ${subscriptionId}`, scope));
      else if (error instanceof ArmCallError) diagnostics.push(failureDiagnostic(error, `listing the API Management instances of ${options.resourceGroup !== undefined ? `resource group ${options.resourceGroup} of ` : ''}subscription ${subscriptionId}`, endpoint, scope));
      else throw error;
      continue;
    }
    if (!context.takeItems(services.length, `the API Management instances of subscription ${subscriptionId}`)) {
      diagnostics.push(stoppedDiagnostic(`subscription ${subscriptionId}`, scope));
      continue;
    }
    const chosen = services.filter((service) => typeof service.id === 'string' && typeof service.name === 'string' && (options.service === undefined || service.name.toLowerCase() === options.service.toLowerCase()));
    servicesFound += chosen.length;
    targets.push(`azure:${subscriptionId}${options.resourceGroup !== undefined ? `/${options.resourceGroup}` : ''}`);
    let done = 0;
    const raws = await mapLimited(chosen, options.instanceConcurrency ?? 2, async (service) => {
      if (stop.aborted) return { service, notStarted: true as const };
      const raw = await fetchInstance(service, subscriptionId, {
        session,
        concurrency: options.concurrency ?? 4,
        maxItems: limits['audit-items'],
        maxResponseBytes: limits['audit-response-size'],
        takeItems: (count, operation) => context.takeItems(count, operation),
        stop,
        onApi: (apis, total) => context.progress(`auditing subscription ${subscriptionId}: ${done}/${chosen.length} instances, ${String(service.name)} ${apis}/${total} APIs`),
      });
      context.progress(`auditing subscription ${subscriptionId}: ${++done}/${chosen.length} instances`);
      return { service, raw };
    });
    for (const entry of raws) {
      const id = String(entry.service.id);
      const name = String(entry.service.name);
      if ('notStarted' in entry) {
        diagnostics.push(stoppedDiagnostic(`API Management instance ${name}`, id));
        continue;
      }
      const { raw } = entry;
      if (raw.stopped) {
        const under = raw.stopped.inFlight.length > 0 ? ` (calls under way: ${raw.stopped.inFlight.slice(0, 3).join(', ')}${raw.stopped.inFlight.length > 3 ? ` and ${raw.stopped.inFlight.length - 3} more` : ''})` : '';
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `API Management instance ${name} was not finished${under}: ${context.stoppedBecause()}; none of it is in the report; ${context.remedy(`--service ${name}`)}`, address: id });
        continue;
      }
      const missing = raw.problems.find((problem) => problem.kind === 'call-failed' && problem.errorClass === 'not-found');
      if (missing?.kind === 'call-failed') {
        // One diagnostic for the instance, whatever number of its reads found it gone.
        diagnostics.push({ severity: 'error', code: 'read-error', message: `API Management instance ${name} was deleted or moved while the audit ran (reading ${missing.operation} gave HTTP 404, ${missing.code}: ${missing.message}); it is not audited: run the audit again to audit what is there now`, address: id });
        continue;
      }
      if (raw.problems.length > 0) {
        // A partial read would report the protections it missed as absent: the instance is left out.
        for (const problem of raw.problems.slice(0, 5)) diagnostics.push(problemDiagnostic(problem, name, endpoint));
        if (raw.problems.length > 5) diagnostics.push({ severity: 'error', code: 'read-error', message: `${raw.problems.length - 5} more reads of API Management instance ${name} failed`, address: id });
        continue;
      }
      const adapted = adaptAzureLive(raw, cloud);
      if (entities.length + adapted.entities.length > limits.entities) {
        diagnostics.push(limitDiagnostic({ name: 'entities', limit: limits.entities, found: entities.length + adapted.entities.length, what: `API Management instance ${name} would bring the audit to ${entities.length + adapted.entities.length} entities; it is not in the report`, address: id }));
        continue;
      }
      pushAll(entities, adapted.entities);
      pushAll(diagnostics, adapted.diagnostics);
    }
  }
  if (options.service !== undefined && servicesFound === 0 && subscriptions.length > 0 && !stop.aborted) {
    diagnostics.push({ severity: 'error', code: 'read-error', message: `no API Management instance named ${options.service} was found in ${subscriptions.length === 1 ? `subscription ${subscriptions[0]}` : `the ${subscriptions.length} subscriptions`}${options.resourceGroup !== undefined ? ` (resource group ${options.resourceGroup})` : ''}` });
  }
  return result();
}
