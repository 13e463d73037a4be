import { describe, expect, it } from 'vitest';
import { credentialUses } from '../../../providers/azure/policy/credentials.js';
import { readPolicyDocument, type PolicyDocument } from '../../../providers/azure/policy/document.js';
import { effectiveSection } from '../../../providers/azure/policy/effective.js';
import { policyAuth } from '../../../providers/azure/policy/semantics.js';

/** An API policy whose inbound section is `inbound`, written from line 1 of `api.xml`. */
function policy(inbound: string): PolicyDocument {
  const xml = `<policies>\n  <inbound>\n${inbound}\n  </inbound>\n</policies>\n`;
  const { document, diagnostics } = readPolicyDocument('api', 'API orders', { xml, location: { file: 'api.xml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, lines: { file: 'api.xml', firstLine: 1 } }, 'api');
  expect(diagnostics).toEqual([]);
  return document;
}

describe('named values used as credentials', () => {
  it.each<[string, string, Record<string, string>]>([
    ['sent as an API key header', '<set-header name="x-api-key" exists-action="override"><value>{{backend-key}}</value></set-header>', { 'backend-key': 'set-header x-api-key' }],
    ['sent as a subscription key', '<set-header name="Ocp-Apim-Subscription-Key" exists-action="override"><value>{{upstream-sub}}</value></set-header>', { 'upstream-sub': 'set-header Ocp-Apim-Subscription-Key' }],
    ['inside a bearer header', '<set-header name="Authorization" exists-action="override"><value>Bearer {{crm-token}}</value></set-header>', { 'crm-token': 'set-header Authorization' }],
    ['in a header whose name is a named value', '<set-header name="{{key-header}}" exists-action="override"><value>{{provider-key}}</value></set-header>', { 'provider-key': 'set-header X-Provider-Key' }],
    ['compared by check-header', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>{{basic}}</value></check-header>', { basic: 'check-header Authorization' }],
    ['as the Functions code parameter', '<set-query-parameter name="code" exists-action="override"><value>{{fn-code}}</value></set-query-parameter>', { 'fn-code': 'set-query-parameter code' }],
    ['as a backend password', '<authentication-basic username="svc" password="{{svc-password}}" />', { 'svc-password': 'authentication-basic password' }],
    ['as a client certificate', '<authentication-certificate body="{{cert-pfx}}" password="{{cert-password}}" />', { 'cert-password': 'authentication-certificate password', 'cert-pfx': 'authentication-certificate body' }],
    ['as a token signing key', '<validate-jwt header-name="Authorization"><issuer-signing-keys><key>{{jwt-key}}</key></issuer-signing-keys></validate-jwt>', { 'jwt-key': 'validate-jwt issuer-signing-keys' }],
    ['nested in a choose branch', '<choose><when condition="@(true)"><set-header name="x-functions-key" exists-action="override"><value>{{fn-key}}</value></set-header></when></choose>', { 'fn-key': 'set-header x-functions-key' }],
    ['not as a header name, an ordinary header or a URL', '<set-header name="{{key-header}}" exists-action="override"><value>1</value></set-header>\n<set-header name="X-Environment" exists-action="override"><value>{{environment}}</value></set-header>\n<set-backend-service base-url="{{backend-url}}" />', {}],
  ])('%s', (_, inbound, expected) => {
    const uses = credentialUses([policy(inbound)], new Map([['key-header', 'X-Provider-Key']]));
    expect(Object.fromEntries([...uses].map(([name, use]) => [name, use.how]))).toEqual(expected);
  });

  it('points at the element that uses the value', () => {
    const uses = credentialUses([policy('    <base />\n    <set-header name="x-api-key" exists-action="override">\n      <value>{{backend-key}}</value>\n    </set-header>')]);
    expect(uses.get('backend-key')?.location).toMatchObject({ file: 'api.xml', startLine: 5 });
  });
});

describe('HTTP basic authentication in check-header', () => {
  const auth = (inbound: string, namedValues = new Map<string, string>()) => policyAuth(effectiveSection([undefined, undefined, policy(inbound), undefined], 'inbound', new Map()).items, {}, namedValues)?.value;

  it.each<[string, string, Map<string, string>, string]>([
    ['a literal Basic value', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>Basic dXNlcjpwYXNz</value></check-header>', new Map(), 'basic'],
    ['a named value holding Basic credentials', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>{{legacy}}</value></check-header>', new Map([['legacy', 'Basic dXNlcjpwYXNz']]), 'basic'],
    ['a static bearer token', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>Bearer FAKEstaticTOKEN</value></check-header>', new Map(), 'api-key'],
    ['a named value not in the scan', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>{{elsewhere}}</value></check-header>', new Map(), 'api-key'],
    ['a key header', '<check-header name="X-Audit-Key" failed-check-httpcode="401" failed-check-error-message="no"><value>{{audit}}</value></check-header>', new Map(), 'api-key'],
    ['basic credentials, then a token check', '<check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no"><value>Basic dXNlcjpwYXNz</value></check-header>\n<validate-jwt header-name="X-Token"><openid-config url="https://login.example.com/.well-known/openid-configuration" /></validate-jwt>', new Map(), 'jwt'],
  ])('%s', (_, inbound, namedValues, expected) => {
    expect(auth(inbound, namedValues)).toBe(expected);
  });
});
