// The GCP audit case of `npm run bench`: 30 fake projects of 10 API Gateway APIs with 3 configs each
// (one served by a gateway; one API of each project is a gRPC API, whose served config's compiled
// service config is read from its managed service), behind a fake Google Cloud that allows 10 reads per second per project.
// The audit runs with the real API Gateway client over REST and a test auth client. Targets: at
// most 3 API calls per API plus one per config read (only configs a gateway serves are read when a
// gateway serves some), and a wall time within 1.3x of the minimum that the rate limit allows for
// the project with the most calls (projects have their own quotas, and are read at once).

import { OAuth2Client } from 'google-auth-library';
import { fork } from 'node:child_process';
import { startFakeGcp } from '../test/helpers/fake-gcp.mjs';

/** Starts the fake in a process of its own (fake-gcp-process.mjs); its request log comes back with `log()`. */
async function forkFake(options) {
  const child = fork(new URL('./fake-gcp-process.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the fake GCP process exited (${code})`)));
  });
  const ready = next();
  child.send(options);
  const { url, timeOrigin } = await ready;
  return {
    url,
    timeOrigin,
    log: async () => {
      const answer = next();
      child.send('requests');
      return (await answer).requests;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

const SPEC = `swagger: "2.0"
info: { title: bench, version: "1" }
securityDefinitions:
  google_id_token: { type: oauth2, flow: implicit, authorizationUrl: "", x-google-issuer: "https://accounts.google.com", x-google-jwks_uri: "https://www.googleapis.com/oauth2/v3/certs" }
security: [{ google_id_token: [] }]
paths:
  /items: { get: { operationId: listItems, responses: { "200": { description: ok } } } }
  /health: { get: { operationId: health, security: [], responses: { "200": { description: ok } } } }
`;

/** The compiled service config of the gRPC APIs: a token on every method but the health check. */
const GRPC_SERVICE_CONFIG = {
  apis: [{ name: 'bench.v1.Items', methods: [{ name: 'ListItems' }] }, { name: 'grpc.health.v1.Health', methods: [{ name: 'Check' }] }],
  authentication: { providers: [{ id: 'google', issuer: 'https://accounts.google.com' }], rules: [{ selector: 'bench.v1.Items.*', requirements: [{ providerId: 'google' }] }] },
  usage: { rules: [{ selector: '*', allowUnregisteredCalls: true }] },
};

/** The fake projects, in the fake's shape; the last `grpcApisPerProject` APIs of each are gRPC APIs. */
export function gcpAuditProjects({ projects = 30, apisPerProject = 10, configsPerApi = 3, grpcApisPerProject = 1 } = {}) {
  const out = {};
  for (let p = 0; p < projects; p++) {
    const project = `bench-project-${String(p).padStart(3, '0')}`;
    const apis = Array.from({ length: apisPerProject }, (_, a) => ({
      id: `api-${a}`,
      api: { displayName: `API ${a}` },
      configs: Array.from({ length: configsPerApi }, (_, c) =>
        a >= apisPerProject - grpcApisPerProject ? { id: `v${c + 1}`, grpc: true, serviceConfig: GRPC_SERVICE_CONFIG } : { id: `v${c + 1}`, documents: [{ path: 'openapi.yaml', contents: SPEC }] },
      ),
    }));
    const gateways = apis.map((api, a) => ({ location: a % 2 ? 'us-central1' : 'europe-west1', id: `gw-${a}`, apiConfig: `projects/${project}/locations/global/apis/${api.id}/configs/v${configsPerApi}` }));
    out[project] = { apis, gateways };
  }
  return out;
}

/** Runs the case with `auditGcp` (gatewarden's built audit of the registry's `gcp` provider), and returns what the bench reports. */
export async function runGcpAuditCase(auditGcp, { rateLimitPerSecond = 10, cwd, fakeInProcess = false } = {}) {
  const projects = gcpAuditProjects();
  const fake = fakeInProcess ? await startFakeGcp({ projects, rateLimitPerSecond }) : await forkFake({ projects, rateLimitPerSecond });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'bench-token', expiry_date: Date.now() + 3_600_000 });
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { report, calls } = await auditGcp({ cwd, endpointUrl: fake.url, authClient, projects: Object.keys(projects) });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const requests = fake.requests ?? (await fake.log());
    // Arrival times on this process's clock (the forked fake's are on its own).
    const shift = fake.timeOrigin !== undefined ? fake.timeOrigin - performance.timeOrigin : 0;
    const arrivals = requests.map((request) => request.at + shift);
    // Requests the fake accepted, per project: the busiest project bounds the audit.
    const accepted = new Map();
    for (const request of requests) if (request.project && request.status !== 429) accepted.set(request.project, (accepted.get(request.project) ?? 0) + 1);
    const busiest = Math.max(...accepted.values());
    const apis = Object.values(projects).reduce((sum, project) => sum + project.apis.length, 0);
    const configs = Object.values(projects).reduce((sum, project) => sum + project.apis.reduce((n, api) => n + api.configs.length, 0), 0);
    return {
      projects: Object.keys(projects).length,
      apis,
      configs,
      // Configs whose documents were fetched (view=FULL): those the gateways serve.
      configsRead: requests.filter((request) => request.status === 200 && request.query.includes('view=2')).length,
      // Service configs of gRPC configs read from the APIs' managed services.
      serviceConfigsRead: requests.filter((request) => request.status === 200 && /\.apigateway\..*\/configs\//.test(request.path)).length,
      calls,
      requests: requests.length,
      throttled: requests.filter((request) => request.status === 429).length,
      wallMs,
      // Where the time goes: until the first request (loading the Google libraries, the clients), the
      // requests, and after the last one (reading the documents left, the policies, the report).
      firstRequestMs: Math.min(...arrivals) - started,
      lastRequestMs: Math.max(...arrivals) - started,
      // CPU of this process: the audit's, and the fake's too when it runs in the same process.
      cpuMs: (cpu.user + cpu.system) / 1000,
      minimumMs: (busiest / rateLimitPerSecond) * 1000,
      summary: report.summary,
    };
  } finally {
    await fake.close();
  }
}
