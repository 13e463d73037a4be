import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { scan } from '../../../src/pipeline/scan.js';
import { listOperations, securityShapeProblem } from '../../../providers/openapi/reader.js';

// A `security` of the wrong shape (a map, a list of names, scopes as a string) is rejected or
// ignored by whatever reads the document: the operations it applies to are neither open nor
// protected. Their authentication is unknown, and a warning says where the value is.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/precision');
type Report = Awaited<ReturnType<typeof scan>>;
const findings = (report: Report, policy: string): string[] =>
  report.findings.filter((f) => f.policyId === policy).map((f) => `${f.address}${f.routeKey ? ` ${f.routeKey}` : ''} ${f.location.file}:${f.location.startLine}`).sort();
const unevaluated = (report: Report, policy: string): string[] =>
  report.unevaluated.filter((u) => u.policyId === policy).map((u) => `${u.address}${u.routeKey ? ` ${u.routeKey}` : ''} ${u.location.file}:${u.location.startLine}`).sort();
const invalid = (report: Report): string[] =>
  report.diagnostics.filter((d) => d.code === 'invalid-value').map((d) => `${d.severity} ${d.location?.file}:${d.location?.startLine} ${d.message.replace(/;.*/, '')}`).sort();

describe('securityShapeProblem', () => {
  it.each([
    ['a list of requirement objects', [{ staff: [] }, { key: [], token: ['read'] }], undefined],
    ['an empty list (no authentication, on purpose)', [], undefined],
    ['an empty requirement (optional authentication)', [{}], undefined],
    ['absent', undefined, undefined],
    ['unknown', new Unknown('var.security has no value'), undefined],
    ['an unknown item', [new Unknown('var.requirement has no value')], undefined],
    ['a map', { staff: [] }, 'security must be a list of requirement objects (it is a map)'],
    ['a list of names', ['staff'], 'security must be a list of requirement objects (an item is a string)'],
    ['scopes as a string', [{ staff: 'read' }], 'security must be a list of requirement objects, each naming schemes with a list of scopes ("staff" has a string)'],
    ['null', null, 'security must be a list of requirement objects (it is null)'],
  ])('%s', (_, security, expected) => {
    expect(securityShapeProblem(security)).toBe(expected);
  });

  it('makes the security of the operations it applies to unknown, at the line of the value', () => {
    const doc = { openapi: '3.0.3', info: { title: 't', version: '1' }, security: { staff: [] }, paths: { '/a': { get: {}, post: { security: [] } } } };
    const [get, post] = listOperations(doc, new Set());
    expect(get!.security).toBeInstanceOf(Unknown);
    expect(get!.securityProblem).toMatchObject({ pointer: ['security'], code: 'invalid-value' });
    // An operation's own valid security replaces the document's.
    expect(post!.security).toEqual([]);
    expect(post!.securityProblem).toBeUndefined();
  });
});

describe('a malformed security is neither open nor protected', () => {
  it('in documents scanned on their own: unknown authentication, a warning at the value', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'malformed-security') });
    expect(findings(report, 'route-requires-auth')).toEqual([
      'inventory.yaml/DELETE /items/{sku} DELETE /items/{sku} inventory.yaml:47',
      'legacy-swagger.json/GET /health GET /health legacy-swagger.json:25',
    ]);
    expect(unevaluated(report, 'route-requires-auth')).toEqual([
      'inventory.yaml/GET /items GET /items inventory.yaml:18',
      'inventory.yaml/POST /items POST /items inventory.yaml:26',
      // The document-wide security applies to POST /returns: reported once, at the document's line.
      'legacy-swagger.json/GET /returns GET /returns legacy-swagger.json:18',
      'legacy-swagger.json/POST /returns POST /returns legacy-swagger.json:9',
    ]);
    expect(invalid(report)).toEqual([
      'warning inventory.yaml:18 security must be a list of requirement objects (it is a map)',
      'warning inventory.yaml:26 security must be a list of requirement objects (an item is a string)',
      'warning legacy-swagger.json:18 security must be a list of requirement objects, each naming schemes with a list of scopes ("partnerOAuth" has a string)',
      'warning legacy-swagger.json:9 security must be a list of requirement objects (it is a map)',
    ]);
  });

  it('in API Gateway bodies (Terraform jsonencode, CloudFormation Body)', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'malformed-security-aws') });
    // GET /carriers has its own valid security (IAM), which replaces the malformed document-wide one.
    expect(report.findings.some((f) => f.routeKey === 'GET /carriers')).toBe(false);
    expect(findings(report, 'route-requires-auth')).toEqual([
      'QuotesApi GET /status template.yaml:38',
      'aws_api_gateway_rest_api.loyalty GET /rewards main.tf:32',
    ]);
    expect(unevaluated(report, 'route-requires-auth')).toEqual([
      'QuotesApi POST /quotes template.yaml:19',
      'aws_api_gateway_rest_api.loyalty GET /points main.tf:23',
    ]);
    expect(invalid(report)).toEqual([
      'warning main.tf:23 aws_api_gateway_rest_api.loyalty body: security must be a list of requirement objects (it is a map)',
      'warning template.yaml:19 QuotesApi body: security must be a list of requirement objects (it is a map)',
    ]);
  });

  it('in a spec for GCP API Gateway', async () => {
    const report = await scan({ cwd: path.join(fixtures, 'malformed-security-gcp') });
    expect(findings(report, 'route-requires-auth')).toEqual(['openapi.yaml/GET /vehicles GET /vehicles openapi.yaml:27']);
    expect(unevaluated(report, 'route-requires-auth')).toEqual(['openapi.yaml/POST /readings POST /readings openapi.yaml:21']);
    expect(invalid(report)).toEqual(['warning openapi.yaml:21 security must be a list of requirement objects (it is a map)']);
  });
});
