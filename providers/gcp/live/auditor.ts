import { GatewardenError } from '../../../src/errors.js';
import type { LiveAuditor } from '../../live-auditor.js';
import type { GcpAuditOptions } from './options.js';

export type { GcpAuditOptions } from './options.js';

// Project ids: 6 to 30 lowercase letters, digits and hyphens, starting with a letter; older
// projects may carry a domain prefix (`example.com:my-project`).
const PROJECT = /^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const LOCATION = /^[a-z]+-[a-z]+\d+$/;

/**
 * `gatewarden audit gcp`: the API Gateway APIs, configs and gateways, the Cloud Endpoints services and
 * the API keys of GCP projects, with GET calls only. The Google libraries are loaded when the audit
 * starts, never before.
 */
export const GCP_AUDITOR: LiveAuditor<GcpAuditOptions> = {
  name: 'gcp',
  summary: 'the API Gateway APIs, Cloud Endpoints services and API keys of GCP projects',
  options: [
    { name: 'project', type: 'string', value: 'ID', multiple: true, description: 'a project to audit (repeatable; default: every project the credentials can see)' },
    { name: 'locations', type: 'string', value: 'LIST', description: 'comma-separated locations of gateways, or all (default: all); APIs and configs are global' },
    { name: 'endpoint-url', type: 'string', value: 'URL', description: 'send every Google API call there, over REST (an emulator, a test server, a restricted VPC endpoint)' },
  ],
  notes: `Reads the API Gateway APIs, API configs (their OpenAPI documents as deployed) and gateways, the
Cloud Endpoints services (the service config of their latest rollout) and the API keys (their
restrictions, never their key strings) of GCP projects, with GET calls only, evaluates the
policies, and reports findings by resource name. Credentials are Application Default Credentials
(GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login, workload identity
federation, the metadata server). The roles needed are in docs/audit-gcp.md
(roles/apigateway.viewer, which includes servicemanagement.services.get, apikeys.keys.list, and
resourcemanager.projects.get to find the projects).`,
  parseOptions(values) {
    const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const given = values.project;
    const projects = (Array.isArray(given) ? given : typeof given === 'string' ? [given] : [])
      .flatMap((value: string) => value.split(','))
      .map((value: string) => value.trim())
      .filter(Boolean);
    const bad = projects.find((project) => !PROJECT.test(project));
    if (bad !== undefined) throw new GatewardenError('usage', `--project: "${bad}" is not a project id (lowercase letters, digits and hyphens, 6 to 30 characters, such as my-project-123)`);
    const locationText = text('locations');
    const locations = locationText === undefined || locationText.trim() === 'all' ? undefined : locationText.split(',').map((location) => location.trim()).filter(Boolean);
    const badLocation = locations?.find((location) => !LOCATION.test(location));
    if (badLocation !== undefined) throw new GatewardenError('usage', `--locations: "${badLocation}" is not a location (us-central1, europe-west1...), or use --locations all`);
    const endpointUrl = text('endpoint-url');
    if (endpointUrl !== undefined && !/^https?:\/\/[^/]+/.test(endpointUrl)) throw new GatewardenError('usage', `--endpoint-url: "${endpointUrl}" is not an http:// or https:// URL`);
    return {
      ...(projects.length > 0 ? { projects: [...new Set(projects)] } : {}),
      ...(locations !== undefined ? { locations } : {}),
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    };
  },
  load: async () => (await import('./audit.js')).auditGcpProjects,
};
