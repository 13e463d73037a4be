// The GCP audit case of `npm run bench`: 30 fake projects of 10 API Gateway APIs with 3 configs each
// (one served by a gateway), behind a fake Google Cloud that allows 10 reads per second per project.
// The audit runs with the real API Gateway client over REST and a test auth client. Targets: at
// most 3 API calls per API plus one per config read (only configs a gateway serves are read when a
// gateway serves some), and a wall time within 1.3x of the minimum that the rate limit allows for
// the project with the most calls (projects have their own quotas, and are read at once).

import { OAuth2Client } from 'google-auth-library';
import { startFakeGcp } from '../test/helpers/fake-gcp.mjs';

const SPEC = `swagger: "2.0"
info: { title: bench, version: "1" }
securityDefinitions:
  google_id_token: { type: oauth2, flow: implicit, authorizationUrl: "", x-google-issuer: "https://accounts.google.com", x-google-jwks_uri: "https://www.googleapis.com/oauth2/v3/certs" }
security: [{ google_id_token: [] }]
paths:
  /items: { get: { operationId: listItems, responses: { "200": { description: ok } } } }
  /health: { get: { operationId: health, security: [], responses: { "200": { description: ok } } } }
`;

/** The fake projects, in the fake's shape. */
export function gcpAuditProjects({ projects = 30, apisPerProject = 10, configsPerApi = 3 } = {}) {
  const out = {};
  for (let p = 0; p < projects; p++) {
    const project = `bench-project-${String(p).padStart(3, '0')}`;
    const apis = Array.from({ length: apisPerProject }, (_, a) => ({
      id: `api-${a}`,
      api: { displayName: `API ${a}` },
      configs: Array.from({ length: configsPerApi }, (_, c) => ({ id: `v${c + 1}`, documents: [{ path: 'openapi.yaml', contents: SPEC }] })),
    }));
    const gateways = apis.map((api, a) => ({ location: a % 2 ? 'us-central1' : 'europe-west1', id: `gw-${a}`, apiConfig: `projects/${project}/locations/global/apis/${api.id}/configs/v${configsPerApi}` }));
    out[project] = { apis, gateways };
  }
  return out;
}

/** Runs the case with `auditGcp` (gatewarden's built audit of the registry's `gcp` provider), and returns what the bench reports. */
export async function runGcpAuditCase(auditGcp, { rateLimitPerSecond = 10, cwd } = {}) {
  const projects = gcpAuditProjects();
  const fake = await startFakeGcp({ projects, rateLimitPerSecond });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'bench-token', expiry_date: Date.now() + 3_600_000 });
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { report, calls } = await auditGcp({ cwd, endpointUrl: fake.url, authClient, projects: Object.keys(projects) });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const arrivals = fake.requests.map((request) => request.at);
    // Requests the fake accepted, per project: the busiest project bounds the audit.
    const accepted = new Map();
    for (const request of fake.requests) if (request.project && request.status !== 429) accepted.set(request.project, (accepted.get(request.project) ?? 0) + 1);
    const busiest = Math.max(...accepted.values());
    const apis = Object.values(projects).reduce((sum, project) => sum + project.apis.length, 0);
    const configs = Object.values(projects).reduce((sum, project) => sum + project.apis.reduce((n, api) => n + api.configs.length, 0), 0);
    return {
      projects: Object.keys(projects).length,
      apis,
      configs,
      // Configs whose documents were fetched (view=FULL): those the gateways serve.
      configsRead: fake.requests.filter((request) => request.status === 200 && request.query.includes('view=2')).length,
      calls,
      requests: fake.requests.length,
      throttled: fake.requests.filter((request) => request.status === 429).length,
      wallMs,
      // Where the time goes: until the first request (loading the Google libraries, the clients), the
      // requests, and after the last one (reading the documents left, the policies, the report).
      firstRequestMs: Math.min(...arrivals) - started,
      lastRequestMs: Math.max(...arrivals) - started,
      // CPU of the whole process (the fake's included: it runs in the same process).
      cpuMs: (cpu.user + cpu.system) / 1000,
      minimumMs: (busiest / rateLimitPerSecond) * 1000,
      summary: report.summary,
    };
  } finally {
    await fake.close();
  }
}
