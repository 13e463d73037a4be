import { OAuth2Client } from 'google-auth-library';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
// @ts-expect-error: a plain JavaScript helper shared with the bench.
import { startFakeGcp } from '../../helpers/fake-gcp.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A Swagger 2.0 API config: one body parameter without a schema, one with, one form upload. */
const SPEC = `swagger: "2.0"
info:
  title: tickets
  version: "1"
x-google-backend:
  address: https://tickets-abc123-ew.a.run.app
paths:
  /tickets:
    post:
      operationId: createTicket
      parameters:
        - name: ticket
          in: body
          required: true
      responses:
        "201":
          description: created
  /tickets/{id}:
    put:
      operationId: replaceTicket
      parameters:
        - { name: id, in: path, required: true, type: string }
        - { name: ticket, in: body, required: true, schema: { type: object } }
      responses:
        "200":
          description: ok
  /tickets/{id}/attachments:
    post:
      operationId: attach
      consumes: [multipart/form-data]
      parameters:
        - { name: id, in: path, required: true, type: string }
        - { name: file, in: formData, required: true, type: file }
      responses:
        "201":
          description: created
`;

beforeAll(() => {
  // Never the internet: if anything looked for the metadata server, it would find nothing here.
  process.env.GCE_METADATA_HOST = '127.0.0.1:9';
});

let fake: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('openapi-request-schema on a live GCP API config', () => {
  it('reads the config documents through the API Gateway client: the body without a schema is a finding; the typed body and the form upload pass', async () => {
    fake = await startFakeGcp({ projects: { 'acme-tickets': { apis: [{ id: 'tickets', configs: [{ id: 'v1', documents: [{ path: 'openapi.yaml', contents: SPEC }] }] }] } } });
    const client = new OAuth2Client();
    client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
    const { report } = await auditLive('gcp', { cwd: repo, endpointUrl: fake!.url, authClient: client, retryDelayMs: 1, requestTimeoutMs: 5000, projects: ['acme-tickets'] });
    const findings = report.findings.filter((finding) => finding.policyId === 'openapi-request-schema');
    expect(findings.map((finding) => [finding.routeKey, finding.severity])).toEqual([['POST /tickets', 'low']]);
    expect(report.unevaluated.filter((check) => check.policyId === 'openapi-request-schema')).toEqual([]);
  });
});
