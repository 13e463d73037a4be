import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { cacheKeyedOnCredential, identitySourceCarriesCredential } from '../../../providers/shared/identity-source.js';

describe('identitySourceCarriesCredential', () => {
  it.each([
    ['method.request.header.Authorization', true],
    ['method.request.multivalueheader.Cookie', true],
    ['method.request.querystring.access_token', true],
    ['$request.header.X-Api-Key', true],
    ['$request.header.x-session-id', true],
    ['route.request.querystring.token', true],
    ['$context.identity.clientCert.clientCertPem', true],
    ['method.request.header.X-Tenant', false],
    ['$request.querystring.region', false],
    ['context.sourceIp', false],
    ['stageVariables.env', false],
    ['$stageVariables.authorizationSecret', false],
  ])('%s carries a credential: %s', (source, expected) => {
    expect(identitySourceCarriesCredential(source)).toBe(expected);
  });
});

describe('cacheKeyedOnCredential', () => {
  it('keys TOKEN, Cognito and JWT authorizers on their token whatever the sources', () => {
    expect(cacheKeyedOnCredential('TOKEN', [])).toBe(true);
    expect(cacheKeyedOnCredential('cognito_user_pools', ['method.request.header.X-Tenant'])).toBe(true);
  });

  it('keys a REQUEST authorizer on its sources, a comma-separated string included', () => {
    expect(cacheKeyedOnCredential('REQUEST', ['method.request.header.X-Tenant, context.sourceIp'])).toBe(false);
    expect(cacheKeyedOnCredential('request', ['method.request.header.X-Tenant, method.request.header.Authorization'])).toBe(true);
    expect(cacheKeyedOnCredential('REQUEST', [])).toBe(false);
  });

  it('is unknown when the type or the sources are', () => {
    const unknown = new Unknown('var.sources has no value');
    expect(cacheKeyedOnCredential('REQUEST', unknown)).toBe(unknown);
    expect(cacheKeyedOnCredential(unknown, [])).toBe(unknown);
  });
});
