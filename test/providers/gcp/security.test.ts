import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { readGoogleOpenApi, usesGoogleExtensions } from '../../../providers/gcp/openapi.js';

// A Cloud Endpoints spec's security definitions: two JWT providers (Firebase, Auth0) and a key.
const securityDefinitions = {
  firebase: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'https://securetoken.google.com/acme-tasks', 'x-google-jwks_uri': 'https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com', 'x-google-audiences': 'acme-tasks' },
  auth0_jwk: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'https://acme-tasks.eu.auth0.com/', 'x-google-jwks_uri': 'https://acme-tasks.eu.auth0.com/.well-known/jwks.json' },
  api_key: { type: 'apiKey', name: 'key', in: 'query' },
};

function spec(operation: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { swagger: '2.0', info: { title: 'tasks', version: '1' }, host: 'tasks-api.endpoints.acme-tasks.cloud.goog', 'x-google-endpoints': [{ name: 'tasks-api.endpoints.acme-tasks.cloud.goog' }], securityDefinitions, ...top, paths: { '/tasks': { get: { operationId: 'listTasks', ...operation } } } };
}

const show = (value: unknown): string => (value instanceof Unknown ? 'unknown' : String(value));

describe('Google semantics of a security list (ESP, ESPv2, GCP API Gateway)', () => {
  it.each([
    // [operation, document, kind, apiKeyRequired, warns]
    [{ security: [{ api_key: [] }, { firebase: [] }] }, {}, 'jwt', 'false', true],
    [{ security: [{ api_key: [], firebase: [] }] }, {}, 'jwt', 'true', false],
    [{ security: [{ firebase: [] }, { auth0_jwk: [] }] }, {}, 'jwt', 'false', false],
    [{ security: [{ firebase: [] }, {}] }, {}, 'jwt', 'false', true],
    [{ security: [{ api_key: [] }, {}] }, {}, 'none', 'false', false],
    [{ security: [{ api_key: [] }] }, {}, 'api-key', 'true', false],
    [{ security: [] }, { security: [{ firebase: [] }] }, 'none', 'false', false],
    [{}, { security: [{ firebase: [] }] }, 'jwt', 'false', false],
    // x-security: Google's per-operation list of JWT providers and audiences.
    [{ 'x-security': [{ auth0_jwk: { audiences: ['https://tasks.example'] } }] }, {}, 'jwt', 'false', false],
    // The operation's x-security replaces the document's security for tokens; the key follows security.
    [{ 'x-security': [{ auth0_jwk: { audiences: ['https://tasks.example'] } }] }, { security: [{ api_key: [] }] }, 'jwt', 'true', false],
    // A document-wide x-security applies to operations that say nothing.
    [{}, { 'x-security': [{ firebase: { audiences: ['acme-tasks'] } }] }, 'jwt', 'false', false],
    // An operation's own empty security replaces the document's x-security too.
    [{ security: [] }, { 'x-security': [{ firebase: { audiences: ['acme-tasks'] } }] }, 'none', 'false', false],
  ] as const)('%j under %j: %s, key %s', (operation, top, kind, key, warns) => {
    const read = readGoogleOpenApi(spec(operation, top));
    const security = read.operations[0]!.security;
    expect(show(security.kind)).toBe(kind);
    expect(show(security.apiKeyRequired)).toBe(key);
    expect(read.problems.some((problem) => /do not support/.test(problem.message))).toBe(warns);
  });

  it('points the route at x-security when that is what authenticates it', () => {
    const read = readGoogleOpenApi(spec({ 'x-security': [{ auth0_jwk: { audiences: ['https://tasks.example'] } }] }));
    expect(read.operations[0]).toMatchObject({ authSource: 'openapi-operation', authPointer: ['paths', '/tasks', 'get', 'x-security'] });
  });

  it('keeps an unknown requirement unknown', () => {
    const unknown = new Unknown('the security list comes from a template variable');
    expect(readGoogleOpenApi(spec({ 'x-security': unknown })).operations[0]!.security.kind).toBe(unknown);
  });

  it('recognises a document that uses x-security as one for ESP', () => {
    expect(usesGoogleExtensions({ swagger: '2.0', paths: { '/a': { get: { 'x-security': [{ auth0_jwk: { audiences: ['x'] } }] } } } })).toBe(true);
    expect(usesGoogleExtensions({ swagger: '2.0', paths: { '/a': { get: { security: [{ auth0_jwk: [] }] } } } })).toBe(false);
  });
});

describe('JWT providers (x-google-issuer)', () => {
  it('lists each with its issuer, its audiences when x-google-audiences names them, and whether an operation uses it', () => {
    const read = readGoogleOpenApi(spec({ security: [{ auth0_jwk: [] }] }));
    expect(read.jwtProviders).toEqual([
      { name: 'firebase', issuer: 'https://securetoken.google.com/acme-tasks', audiences: ['acme-tasks'], used: false, pointer: ['securityDefinitions', 'firebase'] },
      { name: 'auth0_jwk', issuer: 'https://acme-tasks.eu.auth0.com/', used: true, pointer: ['securityDefinitions', 'auth0_jwk'] },
    ]);
  });

  it('splits a comma-separated x-google-audiences', () => {
    const read = readGoogleOpenApi(spec({}, { securityDefinitions: { web: { ...securityDefinitions.firebase, 'x-google-audiences': 'web-client, android-client' } } }));
    expect(read.jwtProviders?.[0]?.audiences).toEqual(['web-client', 'android-client']);
  });
});
