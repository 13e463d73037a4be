import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adaptApiOps } from '../../../providers/azure/apiops/index.js';
import type { Authorizer, Route } from '../../../src/model/entities.js';
import { Unknown } from '../../../src/model/unknown.js';
import { exitCodeFor } from '../../../src/report/report.js';
import { readInventory, scan } from '../../../src/pipeline/scan.js';
import { apiOpsRootOf, readApiOpsTree, type ApiOpsDocument, type ApiOpsFiles, type ApiOpsTree } from '../../../src/sources/apiops/tree.js';
import { DEFAULT_LIMITS } from '../../../src/limits.js';
import { parseTextDocument, isTextDocumentError } from '../../../src/sources/openapi/document.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure');
const dir = path.join(fixtures, 'apiops');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report): string[] => report.findings.map((f) => `${f.policyId} ${f.entityId} ${f.location.file}:${f.location.startLine}`).sort();
const notRead = (report: Report) => report.diagnostics.filter((d) => d.code === 'gateway-not-read');
const A = 'apimartifacts';

describe('APIOps artifacts', () => {
  it('an artifacts folder is checked as the instance it keeps: findings at the line of the artifact that causes them', async () => {
    const report = await scan({ cwd: dir });
    expect(findings(report)).toEqual(
      [
        // Global policy.xml: CORS open to any origin; its empty outbound keeps the backend's headers,
        // one finding on the service for the two APIs without an outbound section of their own.
        `cors-not-open ${A}/policy.xml/cors ${A}/policy.xml:8`,
        `apim-backend-headers-removed name:${A}#apis ${A}/policy.xml:22`,
        // The SOAP API has no specification: one API-wide route, with the subscription key only.
        `route-requires-auth ${A}/apis/legacy-soap/* ${A}/apis/legacy-soap/apiInformation.json:9`,
        `throttling-configured ${A}/apis/legacy-soap/* ${A}/apis/legacy-soap/apiInformation.json:1`,
        // The current revision validates a JWT (policy.xml); its on-error returns context.LastError.
        `apim-error-details ${A}/apis/orders-api ${A}/apis/orders-api/policy.xml:41`,
        `throttling-configured ${A}/apis/orders-api/operations/getOrder ${A}/apis/orders-api/apiInformation.json:1`,
        // Revision 2 has no policy of its own: the subscription key alone.
        `route-requires-auth ${A}/apis/orders-api;rev=2/operations/cancelOrder ${A}/apis/orders-api;rev=2/apiInformation.json:11`,
        `route-requires-auth ${A}/apis/orders-api;rev=2/operations/listOrders ${A}/apis/orders-api;rev=2/apiInformation.json:11`,
        `throttling-configured ${A}/apis/orders-api;rev=2/operations/cancelOrder ${A}/apis/orders-api;rev=2/apiInformation.json:1`,
        `throttling-configured ${A}/apis/orders-api;rev=2/operations/listOrders ${A}/apis/orders-api;rev=2/apiInformation.json:1`,
        // subscriptionRequired: false and no token check.
        `route-requires-auth ${A}/apis/public-status/operations/getHealth ${A}/apis/public-status/apiInformation.json:9`,
        `throttling-configured ${A}/apis/public-status/operations/getHealth ${A}/apis/public-status/apiInformation.json:1`,
        `apim-backend-headers-removed ${A}/apis/public-status ${A}/apis/public-status/policy.xml:11`,
        // A named value that is no secret, sent as x-api-key: its value is in the repository.
        `no-static-api-keys ${A}/named values/partner-key ${A}/named values/partner-key/namedValueInformation.json:8`,
        // Not an APIOps API (no apiInformation.json beside it): checked as the document it is.
        'route-requires-auth tools/mock-server/specification.yaml/POST /orders tools/mock-server/specification.yaml:7',
      ].sort(),
    );
    expect(notRead(report)).toEqual([]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual([`info unsupported ${A}/apis/legacy-soap/apiInformation.json:1`]);
    expect(report.files).toEqual(
      expect.arrayContaining([
        `${A}/policy.xml`,
        `${A}/apis/orders-api/specification.yaml`,
        `${A}/apis/orders-api/operations/createOrder/policy.xml`,
        `${A}/products/partners/apis/public-status/productApiInformation.json`,
        `${A}/named values/orders-backend-key/namedValueInformation.json`,
      ]),
    );
    // What the artifacts cannot say (the service's network and diagnostics settings, a secret's value) is unknown.
    expect(report.unevaluated.map((u) => `${u.policyId} ${u.entityId}`)).toContain(`no-static-api-keys ${A}/named values/orders-backend-key`);
    // The static key's value never reaches the report.
    expect(JSON.stringify(report)).not.toContain('pk-4f9c2a7e1b8d4c6fa3e05d92b7c81f36');
  });

  it('routes come from the specification, located at their operation, with the effective policy of the artifacts', async () => {
    const inventory = await readInventory({ cwd: dir });
    const routes = inventory.entities.filter((e): e is Route => e.kind === 'route' && e.id.startsWith(A));
    expect(routes.map((r) => `${r.method} ${String(r.path)} ${r.location.file}:${r.location.startLine} ${String(r.auth.kind)}`)).toEqual([
      `ANY /legacy/stock/* ${A}/apis/legacy-soap/apiInformation.json:1 subscription-key`,
      `GET /shop/orders ${A}/apis/orders-api/specification.yaml:10 jwt`,
      `POST /shop/orders ${A}/apis/orders-api/specification.yaml:16 jwt`,
      `GET /shop/orders/{orderId} ${A}/apis/orders-api/specification.yaml:28 jwt`,
      // A revision that is not current is served apart, at path;rev=N.
      `GET /shop;rev=2/orders ${A}/apis/orders-api;rev=2/specification.yaml:7 subscription-key`,
      `DELETE /shop;rev=2/orders/{orderId} ${A}/apis/orders-api;rev=2/specification.yaml:13 subscription-key`,
      `GET /status/health ${A}/apis/public-status/specification.json:6 none`,
    ]);
    const byId = new Map(routes.map((r) => [r.id, r]));
    const create = byId.get(`${A}/apis/orders-api/operations/createOrder`)!;
    // The operation policy's rate-limit-by-key (operations/createOrder/policy.xml), the backend entity's URL.
    expect(create.rateLimit).toEqual({ rateLimit: 20 / 60, burstLimit: 20, source: 'policy' });
    expect(create.fieldLocations.rateLimit).toMatchObject({ file: `${A}/apis/orders-api/operations/createOrder/policy.xml`, startLine: 4 });
    expect(create.backendUrl).toBe('https://orders-func.azurewebsites.net/api');
    expect(create.requestValidation).toEqual({ body: true, parameters: false });
    expect(create.declaresRequestBody).toBe(true);
    expect(create.fieldLocations.auth).toMatchObject({ file: `${A}/apis/orders-api/policy.xml`, startLine: 9 });
    // The product the API is in (products/partners/apis/public-status/productApiInformation.json).
    expect(byId.get(`${A}/apis/public-status/operations/getHealth`)!.azure?.products).toEqual(['partners']);
    expect(byId.get(`${A}/apis/orders-api/operations/getOrder`)!.azure?.products).toEqual(['starter']);
    // validate-jwt's audience is the named value {{orders-audience}}, read from named values/.
    const authorizer = inventory.entities.find((e): e is Authorizer => e.kind === 'authorizer' && e.id.startsWith(A))!;
    expect(authorizer.jwtAudiences).toEqual(['api://orders']);
    expect(authorizer.location).toMatchObject({ file: `${A}/apis/orders-api/policy.xml`, startLine: 9 });
  });

  it('a specification in a folder that is not an APIOps API folder (not under apis/) is not checked on its own, and says how to check its API', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'apiops-loose') });
    expect(findings(report)).toEqual([]);
    expect(notRead(report).map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.address}`)).toEqual(['error orders/apiInformation.json:1 orders']);
    expect(notRead(report)[0]!.message).toContain('orders/specification.json is not checked as a stand-alone gateway: it is the specification of the API Management API orders kept as APIOps artifacts (orders/apiInformation.json)');
    expect(notRead(report)[0]!.message).toContain("scan the whole artifacts folder in the extractor's layout");
    expect(report.summary.incomplete).toBe(true);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('an API folder scanned without its artifacts folder is reported, not checked without the policies around it', async () => {
    const report = await scan({ cwd: dir, paths: [`${A}/apis/public-status`] });
    expect(findings(report)).toEqual([]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`).sort()).toEqual([
      `error gateway-not-read ${A}/apis/public-status/apiInformation.json:1`,
      `error not-scanned ${A}/apis/public-status/apiInformation.json:1`,
    ]);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('an API folder without a specification scanned without its artifacts folder makes the scan incomplete, though no other reader reports it', async () => {
    const report = await scan({ cwd: dir, paths: [`${A}/apis/legacy-soap`] });
    expect(findings(report)).toEqual([]);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine} ${d.message}`)).toEqual([
      `error not-scanned ${A}/apis/legacy-soap/apiInformation.json:1 ${A}/apis/legacy-soap/apiInformation.json is an APIOps artifact of the folder ${A}, which is not in the scanned paths; the artifacts of that folder in the scan are not checked without the global and product policies around its APIs: scan ${A}`,
    ]);
    expect(exitCodeFor(report, 'never')).toBe(2);
  });

  it('the specification named on the command line is checked as written', async () => {
    const report = await scan({ cwd: dir, paths: [`${A}/apis/orders-api/specification.yaml`] });
    expect(findings(report)).toEqual([
      `route-requires-auth ${A}/apis/orders-api/specification.yaml/GET /orders ${A}/apis/orders-api/specification.yaml:52`,
      `route-requires-auth ${A}/apis/orders-api/specification.yaml/GET /orders/{orderId} ${A}/apis/orders-api/specification.yaml:52`,
      `route-requires-auth ${A}/apis/orders-api/specification.yaml/POST /orders ${A}/apis/orders-api/specification.yaml:52`,
    ]);
    expect(notRead(report)).toEqual([]);
  });

  it('recognises the information files of the extractor in their collection folders only', () => {
    expect(apiOpsRootOf('/repo/apim/apis/orders/apiInformation.json')).toBe('/repo/apim');
    expect(apiOpsRootOf('/repo/apim/named values/key/namedValueInformation.json')).toBe('/repo/apim');
    expect(apiOpsRootOf('/repo/apim/namedValues/key/namedValueInformation.json')).toBe('/repo/apim');
    expect(apiOpsRootOf('/repo/orders/apiInformation.json')).toBeUndefined();
    expect(apiOpsRootOf('/repo/apim/products/gold/apiInformation.json')).toBeUndefined();
  });
});

/** A JSON or YAML artifact parsed from text, as the reader gives it. */
function document(file: string, text: string): ApiOpsDocument {
  const parsed = parseTextDocument(text);
  if (isTextDocumentError(parsed)) throw new Error(parsed.error);
  return { file, data: parsed.data, lineOf: (at) => parsed.lineOf(at) };
}

describe('adaptApiOps', () => {
  const information = document('apis/pay/apiInformation.json', '{\n  "properties": {\n    "path": "pay",\n    "subscriptionRequired": false\n  }\n}\n');
  const specification = document('apis/pay/specification.yaml', 'openapi: 3.0.1\ninfo: { title: Pay, version: "1" }\npaths:\n  /charges:\n    post:\n      operationId: charge\n      responses: { "201": { description: ok } }\n');

  it('reads an ugly policy: C# in attributes and blocks, and a secret named value whose value is not in the artifacts leaves the check unknown', () => {
    const policy = [
      '<policies>',
      '\t<inbound>',
      '\t\t<base />',
      '\t\t<set-variable name="tenant" value="@(context.Request.Headers.GetValueOrDefault("X-Tenant", "").Split(\',\')[0])" />',
      '\t\t<check-header name="X-Partner-Key" failed-check-httpcode="401" failed-check-error-message="@("denied " + (string)context.Variables["tenant"])">',
      '\t\t\t<value>{{partner-secret}}</value>',
      '\t\t</check-header>',
      '\t\t<validate-jwt header-name="Authorization">',
      '\t\t\t<issuer-signing-keys><key>{{signing-key}}</key></issuer-signing-keys>',
      '\t\t\t<audiences><audience>{{pay-audience}}</audience></audiences>',
      '\t\t</validate-jwt>',
      '\t</inbound>',
      '</policies>',
    ].join('\n');
    const tree: ApiOpsTree = {
      root: 'apim',
      service: 'apim',
      artifacts: [
        { kind: 'api', names: ['pay'], information, specification },
        { kind: 'api-policy', names: ['pay'], policy: { file: 'apim/apis/pay/policy.xml', xml: policy } },
        // The extractor never writes a secret's value.
        { kind: 'named-value', names: ['pay-audience'], information: document('apim/named values/pay-audience/namedValueInformation.json', '{ "properties": { "displayName": "pay-audience", "secret": true } }') },
      ],
    };
    const { entities, diagnostics } = adaptApiOps(tree);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const route = entities.find((e): e is Route => e.kind === 'route')!;
    expect(route.id).toBe('apim/apis/pay/operations/charge');
    expect(`${route.method} ${String(route.path)}`).toBe('POST /pay/charges');
    expect(route.location).toMatchObject({ file: 'apis/pay/specification.yaml', startLine: 5 });
    expect(route.auth.kind).toBe('jwt');
    expect(route.fieldLocations.auth).toMatchObject({ file: 'apim/apis/pay/policy.xml', startLine: 8 });
    const authorizer = entities.find((e): e is Authorizer => e.kind === 'authorizer')!;
    expect(authorizer.location).toMatchObject({ file: 'apim/apis/pay/policy.xml', startLine: 8 });
    // The audience is the secret named value: unknown, not "none".
    expect(authorizer.jwtAudiences).toBeInstanceOf(Unknown);
  });

  it('a policy.xml that is not well formed is an error at its line, and what it decides is unknown', () => {
    const tree: ApiOpsTree = {
      root: '',
      service: 'apim',
      artifacts: [
        { kind: 'api', names: ['pay'], information, specification },
        { kind: 'api-policy', names: ['pay'], policy: { file: 'apis/pay/policy.xml', xml: '<policies>\n  <inbound>\n    <base />\n  </outbound>\n</policies>\n' } },
      ],
    };
    const { entities, diagnostics } = adaptApiOps(tree);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['error parse-error apis/pay/policy.xml:4']);
    const route = entities.find((e): e is Route => e.kind === 'route')!;
    expect(route.auth.kind).toBeInstanceOf(Unknown);
  });

  it('an operation policy whose folder names no operation of the specification is a warning at the policy', () => {
    const stray = { file: 'apis/pay/operations/refund/policy.xml', xml: '<policies><inbound><base /><rate-limit calls="5" renewal-period="60" /></inbound></policies>' };
    const { diagnostics } = adaptApiOps({ root: '', service: 'apim', artifacts: [{ kind: 'api', names: ['pay'], information, specification }, { kind: 'operation-policy', names: ['pay', 'refund'], policy: stray }] });
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine} ${d.address}`)).toEqual(['warning unresolved apis/pay/operations/refund/policy.xml:1 apis/pay/operations/refund/policy.xml']);
    expect(diagnostics[0]!.message).toContain('its specification has no operation with that operationId');
  });

  it('an API folder without a specification is one API-wide route at its apiInformation.json, with a note', () => {
    const global = { file: 'policy.xml', xml: '<policies>\n  <inbound />\n  <backend>\n    <forward-request />\n  </backend>\n  <outbound />\n  <on-error />\n</policies>\n' };
    const { entities, diagnostics } = adaptApiOps({ root: '', service: 'apim', artifacts: [{ kind: 'service-policy', names: [], policy: global }, { kind: 'api', names: ['pay'], information }] });
    const route = entities.find((e): e is Route => e.kind === 'route')!;
    expect(`${route.id} ${route.method} ${String(route.path)} ${route.standIn}`).toBe('apis/pay/* ANY /pay/* routes-outside-scan');
    expect(route.auth.kind).toBe('none');
    expect(route.fieldLocations.auth).toMatchObject({ file: 'apis/pay/apiInformation.json', startLine: 4 });
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['info unsupported apis/pay/apiInformation.json:1']);
    expect(diagnostics[0]!.message).toContain('the operations of apis/pay are not known (it has no specification.yaml or .json beside its apiInformation.json)');
  });

  it('without the global policy.xml the service scope is unknown, with the setting that resolves it', () => {
    const { entities } = adaptApiOps({ root: '', service: 'apim', artifacts: [{ kind: 'api', names: ['pay'], information }] });
    const route = entities.find((e): e is Route => e.kind === 'route')!;
    expect(route.auth.kind).toBeInstanceOf(Unknown);
    expect((route.auth.kind as Unknown).reason).toContain('the APIOps artifacts folder has no policy.xml at its root');
    expect((route.auth.kind as Unknown).reason).toContain('azure.apim.services.apim.policy');
  });
});

describe('readApiOpsTree', () => {
  /** An artifacts folder in memory: file paths (below /a) and their texts. */
  function files(tree: Record<string, string>): ApiOpsFiles {
    const paths = Object.keys(tree).map((file) => `/a/${file}`);
    const children = (dir: string): string[] => [...new Set(paths.filter((file) => file.startsWith(`${dir}/`)).map((file) => file.slice(dir.length + 1).split('/')[0]!))].sort();
    return {
      list: children,
      isDirectory: (dir) => children(dir).length > 0,
      readText: (file) => tree[file.slice('/a/'.length)],
      relative: (file) => path.relative('/a', file),
      limits: DEFAULT_LIMITS,
    };
  }

  it("reads older extractors' spellings (namedValues, policyFragments, apis.json) and Policy.xml in any case", () => {
    const { tree, diagnostics } = readApiOpsTree(
      '/a',
      files({
        'Policy.xml': '<policies />',
        'apis/pay/apiInformation.json': '{ "properties": { "path": "pay" } }',
        'apis/pay/POLICY.XML': '<policies />',
        'apis/draft/policy.xml': '<policies />',
        'namedValues/key/namedValueInformation.json': '{ "properties": { "displayName": "key", "secret": true } }',
        'policyFragments/cors/policy.xml': '<fragment />',
        'products/gold/apis.json': '[\n  { "name": "pay" },\n  { "name": "draft" }\n]\n',
      }),
    );
    expect(tree).toMatchObject({ root: '', service: 'a' });
    expect(tree.artifacts.map((artifact) => `${artifact.kind} ${artifact.names.join('/')} ${artifact.policy?.file ?? artifact.information?.file ?? `${artifact.line?.file}:${artifact.line?.line}`}`)).toEqual([
      'service-policy  Policy.xml',
      'api pay apis/pay/apiInformation.json',
      'api-policy pay apis/pay/POLICY.XML',
      'product-api gold/pay products/gold/apis.json:2',
      'product-api gold/draft products/gold/apis.json:3',
      'named-value key namedValues/key/namedValueInformation.json',
      'policy-fragment cors policyFragments/cors/policy.xml',
    ]);
    // An API folder without apiInformation.json is not an API the publisher can create.
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}`)).toEqual(['warning not-scanned apis/draft']);
  });

  it('a specification that does not parse is an error at its line; its API is one API-wide route, and the note says why', () => {
    const { tree, diagnostics } = readApiOpsTree('/a', files({ 'apis/pay/apiInformation.json': '{ "properties": { "path": "pay" } }', 'apis/pay/specification.yaml': 'openapi: 3.0.1\npaths:\n  /x: [unclosed\n' }));
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}`)).toEqual(['error parse-error apis/pay/specification.yaml']);
    expect(tree.artifacts.map((artifact) => `${artifact.kind} ${artifact.unreadSpecification?.file} ${artifact.unreadSpecification?.why}`)).toEqual(['api specification.yaml unreadable']);
    expect(adaptApiOps(tree).diagnostics.map((d) => d.message)).toEqual(['the operations of apis/pay are not known (its specification specification.yaml could not be read, as reported at it); its service, product and API policies are checked as one API-wide route (* /path/*)']);
  });

  it('an information file that does not parse is an error at its line, and its object is left out', () => {
    const { tree, diagnostics } = readApiOpsTree('/a', files({ 'apis/pay/apiInformation.json': '{\n  "properties": {\n    "path": "pay",,\n  }\n}\n' }));
    expect(tree.artifacts).toEqual([]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.startLine}`)).toEqual(['error parse-error apis/pay/apiInformation.json:3']);
  });
});
