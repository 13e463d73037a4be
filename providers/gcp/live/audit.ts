import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { pushAll } from '../../../src/arrays.js';
import type { LiveAuditContext, LiveReadResult } from '../../live-auditor.js';
import { adviceFor, classifyGcpError } from './errors.js';
import { fetchProject, searchProjects } from './fetch.js';
import { adaptGcpLive } from './index.js';
import type { GcpAuditOptions } from './options.js';
import type { CallPolicy } from './retry.js';
import { openGcpSession, type GcpSession } from './session.js';
import { mapLimited } from '../../shared/concurrency.js';

/**
 * Audits live GCP projects: reads the API Gateway APIs, configs and gateways, Cloud Endpoints
 * services and API keys of each project with GETs only (never a key string), and turns them into the
 * common model through the GCP adapter. A project or call that fails is a diagnostic and the rest
 * goes on. Loaded only when an audit of GCP starts: it brings the Google libraries.
 *
 * Every call has a time limit and its own retries (429 and 5xx, with backoff); every listing is
 * paginated to its end and bounded (`audit-items`). When the context's stop fires (the deadline,
 * Ctrl-C, the `entities` budget), the calls under way are abandoned; the projects that finished are
 * kept, and every project that did not is named.
 */
export async function auditGcpProjects(options: GcpAuditOptions, context: LiveAuditContext): Promise<LiveReadResult> {
  const { limits } = context;
  const entities: Entity[] = [];
  const diagnostics: Diagnostic[] = [];
  const targets: string[] = [];
  let calls = 0;
  const policy: CallPolicy = { attempts: options.maxAttempts ?? 8, delayMs: options.retryDelayMs ?? 500, timeoutMs: options.requestTimeoutMs ?? 30_000, stop: context.stop };
  let session: GcpSession;
  try {
    session = await openGcpSession({ ...(options.authClient !== undefined ? { authClient: options.authClient } : {}), ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}), maxResponseBytes: limits['audit-response-size'] });
  } catch (error) {
    const failure = classifyGcpError(error);
    diagnostics.push({ severity: 'error', code: 'read-error', message: `no Google credentials could be loaded (${failure.message}); run gcloud auth application-default login, set GOOGLE_APPLICATION_CREDENTIALS, or run where a service account is attached (see docs/audit-gcp.md#credentials). Nothing was audited` });
    return { targets, entities, diagnostics, calls };
  }
  try {
    const explicit = options.projects !== undefined && options.projects.length > 0;
    let projects: readonly string[];
    if (explicit) {
      projects = options.projects!;
    } else {
      try {
        const found = await searchProjects(session, policy);
        calls += found.calls;
        projects = found.projects;
      } catch (error) {
        if (context.stop.aborted) {
          diagnostics.push({ severity: 'error', code: 'not-scanned', message: `no project was audited: ${context.stoppedBecause()} while the projects were listed; ${context.remedy('--project ID')}` });
          return { targets, entities, diagnostics, calls };
        }
        const failure = classifyGcpError(error);
        diagnostics.push({ severity: 'error', code: 'read-error', message: `the projects could not be listed (Resource Manager projects:search failed: ${failure.error}: ${failure.message}); name them with --project. ${adviceFor(failure, 'cloudresourcemanager.googleapis.com', 'the organization', 'resourcemanager.projects.get')}` });
        return { targets, entities, diagnostics, calls };
      }
      if (projects.length === 0) {
        diagnostics.push({ severity: 'warning', code: 'not-scanned', message: 'the credentials can see no active project (Resource Manager projects:search found none); name projects with --project, or grant resourcemanager.projects.get on them' });
      }
    }
    let done = 0;
    // Many projects at once: each has its own read quota, and its own pace (AdaptiveRate).
    const raws = await mapLimited(projects, options.projectConcurrency ?? 32, async (project) => {
      if (context.stop.aborted) return { project, notStarted: true as const };
      const raw = await fetchProject(session, {
        project,
        ...(options.locations !== undefined ? { locations: options.locations } : {}),
        concurrency: options.concurrency ?? 4,
        maxItems: limits['audit-items'],
        policy,
        stop: context.stop,
        takeItems: (count, operation) => context.takeItems(count, operation),
      });
      done++;
      context.progress(`auditing GCP: ${done}/${projects.length} projects`);
      // Read now, while other projects still wait on their quotas, not after the last one: the
      // documents' parsing then overlaps the calls instead of following them.
      return { project, raw, adapted: raw.stopped ? undefined : adaptGcpLive(raw, explicit) };
    });
    for (const result of raws) {
      const at = `projects/${result.project}`;
      if ('notStarted' in result) {
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `project ${result.project} was not audited: ${context.stoppedBecause()} before it was read; ${context.remedy(`--project ${result.project}`)}`, address: at });
        continue;
      }
      const { raw } = result;
      calls += raw.calls;
      if (raw.stopped) {
        const under = raw.stopped.inFlight.length > 0 ? `; calls under way: ${raw.stopped.inFlight.slice(0, 5).join(', ')}` : '';
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `project ${raw.project} was not finished: ${context.stoppedBecause()}${under}. None of its APIs are in the report; ${context.remedy(`--project ${raw.project}`)}`, address: at });
        continue;
      }
      const adapted = result.adapted!;
      if (entities.length + adapted.entities.length > limits.entities) {
        diagnostics.push(limitDiagnostic({ name: 'entities', limit: limits.entities, found: entities.length + adapted.entities.length, what: `project ${raw.project} would bring the audit to ${entities.length + adapted.entities.length} entities; its APIs are not in the report`, address: at }));
        continue;
      }
      targets.push(`gcp:${raw.project}`);
      pushAll(entities, adapted.entities);
      pushAll(diagnostics, adapted.diagnostics);
    }
  } finally {
    await session.close().catch(() => undefined);
  }
  return { targets, entities, diagnostics, calls };
}
