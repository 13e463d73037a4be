import { describe, expect, it } from 'vitest';
import { readPolicyDocument, type PolicyDocument, type PolicyScope } from '../../../providers/azure/policy/document.js';
import { effectiveSection } from '../../../providers/azure/policy/effective.js';
import { policyAuth, policyBackendUrl, policyCors, policyRateLimit } from '../../../providers/azure/policy/semantics.js';

/** A policy document whose inbound section holds `inbound`, written from line 1 of `<scope>.xml`. */
function policy(scope: PolicyScope, inbound: string): PolicyDocument {
  const xml = `<policies>\n  <inbound>\n${inbound
    .trim()
    .split('\n')
    .map((line) => `    ${line.trim()}`)
    .join('\n')}\n  </inbound>\n</policies>\n`;
  const { document, diagnostics } = readPolicyDocument(scope, scope, { xml, location: { file: `${scope}.xml`, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, lines: { file: `${scope}.xml`, firstLine: 1 } }, scope);
  expect(diagnostics).toEqual([]);
  return document;
}

/** The effective inbound elements as `scope:element`, in order. */
function effective(chain: ReadonlyArray<PolicyDocument | undefined>): string[] {
  return effectiveSection(chain, 'inbound', new Map()).items.map((item) => (item.kind === 'element' ? `${item.document.scope}:${item.element.name}` : `unknown:${item.reason.reason}`));
}

const GLOBAL = policy('global', '<validate-jwt header-name="Authorization"><openid-config url="https://login.example.com/.well-known/openid-configuration" /></validate-jwt>\n<rate-limit calls="100" renewal-period="60" />');

describe('the effective inbound policy of an operation', () => {
  it.each<[string, ReadonlyArray<PolicyDocument | undefined>, string[], boolean]>([
    ['<base/> first: the API adds after the global policy', [GLOBAL, undefined, policy('api', '<base />\n<set-header name="x" exists-action="override"><value>1</value></set-header>'), undefined], ['global:validate-jwt', 'global:rate-limit', 'api:set-header'], false],
    ['<base/> last: the API runs first, then the global policy', [GLOBAL, undefined, policy('api', '<set-header name="x" exists-action="override"><value>1</value></set-header>\n<base />'), undefined], ['api:set-header', 'global:validate-jwt', 'global:rate-limit'], false],
    ['<base/> missing: the global policy does not run', [GLOBAL, undefined, policy('api', '<set-header name="x" exists-action="override"><value>1</value></set-header>'), undefined], ['api:set-header'], true],
    ['no policy at a scope: it inherits everything', [GLOBAL, undefined, undefined, policy('operation', '<base />\n<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />')], ['global:validate-jwt', 'global:rate-limit', 'operation:cache-lookup'], false],
    ['an operation without <base/> drops the API and global policies', [GLOBAL, undefined, policy('api', '<base />\n<rate-limit-by-key calls="10" renewal-period="1" counter-key="@(context.Request.IpAddress)" />'), policy('operation', '<set-backend-service base-url="https://b.example.com" />')], ['operation:set-backend-service'], true],
    ['a product between global and API', [GLOBAL, policy('product', '<base />\n<quota calls="1000" renewal-period="86400" />'), policy('api', '<base />'), undefined], ['global:validate-jwt', 'global:rate-limit', 'product:quota'], false],
  ])('%s', (_, chain, expected, drops) => {
    const result = effectiveSection(chain, 'inbound', new Map());
    expect(effective(chain)).toEqual(expected);
    expect(result.dropped.length > 0).toBe(drops);
  });

  it('reports where <base/> is missing, at the section that leaves it out', () => {
    const api = policy('api', '<set-header name="x" exists-action="override"><value>1</value></set-header>');
    const { dropped } = effectiveSection([GLOBAL, undefined, api, undefined], 'inbound', new Map());
    expect(dropped.map((drop) => [drop.document.scope, drop.location.file, drop.location.startLine, drop.dropped.map((document) => document.scope)])).toEqual([['api', 'api.xml', 2, ['global']]]);
  });

  it('keeps authentication and limits when <base/> keeps the global policy, and loses them when it does not', () => {
    const kept = effectiveSection([GLOBAL, undefined, policy('api', '<base />'), undefined], 'inbound', new Map()).items;
    expect(policyAuth(kept)).toMatchObject({ value: 'jwt', location: { file: 'global.xml', startLine: 3 } });
    expect(policyRateLimit(kept, new Map())).toMatchObject({ value: { rateLimit: 100 / 60, burstLimit: 100, source: 'policy' }, location: { file: 'global.xml', startLine: 4 } });
    const lost = effectiveSection([GLOBAL, undefined, policy('api', '<set-variable name="a" value="1" />'), undefined], 'inbound', new Map()).items;
    expect(policyAuth(lost)).toBeUndefined();
    expect(policyRateLimit(lost, new Map())).toBeUndefined();
  });

  it('checks an API in two products once per product: each product policy applies only to its own subscriptions', () => {
    const api = policy('api', '<base />');
    const gold = policy('product', '<base />\n<rate-limit-by-key calls="1000" renewal-period="60" counter-key="@(context.Subscription.Id)" />');
    const free = policy('product', '<base />\n<rate-limit-by-key calls="10" renewal-period="60" counter-key="@(context.Subscription.Id)" />');
    const limits = [gold, free].map((product) => policyRateLimit(effectiveSection([undefined, product, api, undefined], 'inbound', new Map()).items, new Map())?.value);
    expect(limits).toEqual([expect.objectContaining({ burstLimit: 1000 }), expect.objectContaining({ burstLimit: 10 })]);
    // Without a product (the all-access subscription), neither applies.
    expect(policyRateLimit(effectiveSection([undefined, undefined, api, undefined], 'inbound', new Map()).items, new Map())).toBeUndefined();
  });

  it('lets an operation override the API CORS by leaving out <base/>, or add to it by keeping it', () => {
    const api = policy('api', '<base />\n<cors><allowed-origins><origin>https://shop.example.com</origin></allowed-origins></cors>');
    const override = policy('operation', '<cors allow-credentials="true"><allowed-origins><origin>*</origin></allowed-origins></cors>');
    const origins = (chain: ReadonlyArray<PolicyDocument | undefined>) =>
      policyCors(effectiveSection(chain, 'inbound', new Map()).items, new Map()).map((cors) => [cors.document.scope, cors.allowOrigins, cors.allowCredentials]);
    expect(origins([undefined, undefined, api, override])).toEqual([['operation', ['*'], true]]);
    const added = policy('operation', '<base />\n<cors><allowed-origins><origin>*</origin></allowed-origins></cors>');
    expect(origins([undefined, undefined, api, added])).toEqual([
      ['api', ['https://shop.example.com'], false],
      ['operation', ['*'], false],
    ]);
  });

  it('treats a fragment that is not in the input, and a linked policy, as unknown parts', () => {
    const api = policy('api', '<base />\n<include-fragment fragment-id="auth-common" />');
    const items = effectiveSection([undefined, undefined, api, undefined], 'inbound', new Map()).items;
    expect(policyAuth(items)?.value).toMatchObject({ unknown: true, reason: 'policy fragment auth-common is not in the scanned configuration' });
    const fragment = readPolicyDocument('operation', 'fragment auth-common', { xml: '<fragment>\n  <validate-azure-ad-token tenant-id="t" />\n</fragment>', location: { file: 'f.xml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, lines: { file: 'f.xml', firstLine: 1 } }, 'f').document;
    const resolved = effectiveSection([undefined, undefined, api, undefined], 'inbound', new Map([['auth-common', fragment]])).items;
    expect(policyAuth(resolved)).toMatchObject({ value: 'jwt', location: { file: 'f.xml', startLine: 2 } });
    const linked = readPolicyDocument('global', 'the global policy', { link: 'https://example.com/policy.xml', location: { file: 'main.tf', startLine: 9, startColumn: 1, endLine: 9, endColumn: 1 } }, 'x');
    expect(linked.diagnostics).toEqual([expect.objectContaining({ code: 'not-scanned', location: expect.objectContaining({ startLine: 9 }) })]);
    expect(policyAuth(effectiveSection([linked.document, undefined, policy('api', '<base />'), undefined], 'inbound', new Map()).items)?.value).toMatchObject({ unknown: true });
  });

  it('counts authentication inside <choose> only when every branch has it', () => {
    const everyBranch = policy('api', '<choose>\n<when condition="@(context.Request.Method == "GET")"><validate-jwt header-name="Authorization" /></when>\n<otherwise><validate-jwt header-name="X-Token" /></otherwise>\n</choose>');
    expect(policyAuth(effectiveSection([undefined, undefined, everyBranch, undefined], 'inbound', new Map()).items)?.value).toBe('jwt');
    const someBranches = policy('api', '<choose>\n<when condition="@(context.Request.Headers.ContainsKey("X-Internal"))"><set-variable name="internal" value="true" /></when>\n<otherwise><validate-jwt header-name="Authorization" /></otherwise>\n</choose>');
    expect(policyAuth(effectiveSection([undefined, undefined, someBranches, undefined], 'inbound', new Map()).items)?.value).toMatchObject({ unknown: true });
  });
});

describe('<choose> on the request method', () => {
  const skipPreflight = policy('api', '<choose>\n<when condition="@(context.Request.Method != "OPTIONS")">\n<validate-jwt header-name="Authorization" />\n</when>\n</choose>');
  const items = effectiveSection([undefined, undefined, skipPreflight, undefined], 'inbound', new Map()).items;

  it.each<[string, unknown]>([
    ['GET', 'jwt'],
    ['POST', 'jwt'],
    // The branch does not run for OPTIONS: nothing authenticates it.
    ['OPTIONS', undefined],
  ])('is decided for %s', (method, expected) => {
    expect(policyAuth(items, { method })?.value).toEqual(expected);
  });

  it('stays unknown when a condition tests anything but the method', () => {
    const other = policy('api', '<choose>\n<when condition="@(context.Request.Method == "GET" && context.User != null)">\n<validate-jwt header-name="Authorization" />\n</when>\n</choose>');
    expect(policyAuth(effectiveSection([undefined, undefined, other, undefined], 'inbound', new Map()).items, { method: 'GET' })?.value).toMatchObject({ unknown: true });
  });
});

describe('the backend an operation reaches', () => {
  it('comes from set-backend-service base-url, or from the backend entity its backend-id names', () => {
    const byUrl = policy('api', '<base />\n<set-backend-service base-url="http://legacy.internal.example.com" />');
    expect(policyBackendUrl(effectiveSection([undefined, undefined, byUrl, undefined], 'inbound', new Map()).items, new Map())).toMatchObject({
      value: 'http://legacy.internal.example.com',
      location: { file: 'api.xml', startLine: 4 },
    });
    const byId = policy('api', '<set-backend-service backend-id="orders-backend" />');
    const items = effectiveSection([undefined, undefined, byId, undefined], 'inbound', new Map()).items;
    expect(policyBackendUrl(items, new Map(), new Map([['orders-backend', 'https://orders.example.com']]))?.value).toBe('https://orders.example.com');
    expect(policyBackendUrl(items, new Map())?.value).toMatchObject({ unknown: true, reason: 'backend orders-backend is not in the scanned configuration' });
  });
});
