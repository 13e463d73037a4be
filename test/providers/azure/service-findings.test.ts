import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../../src/cli/cli.js';
import { findingFingerprint } from '../../../src/engine/fingerprint.js';
import { parsePolicy } from '../../../src/engine/load-policies.js';
import type { Finding } from '../../../src/model/findings.js';
import { parseConfig } from '../../../src/config/load.js';
import { scan as scanAll } from '../../../src/pipeline/scan.js';
import { scan } from '../../helpers/without-logging.js';

// An API Management service's protocols and network settings are one setting of the service, however
// many of its APIs the scan holds: one finding on the service, listing its APIs, whose identity
// (fingerprint, suppressions, baseline entry) is the service's.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// apim-retail has three APIs (tills, stock, loyalty) and enables TLS 1.1; apim-partners has one, on TLS 1.2.
const retail = path.join(repo, 'policies/tls/apim-tls-protocols/test/azurerm-legacy-clients');
const SERVICE = 'azurerm_api_management.retail#apis';
const APIS = ['azurerm_api_management_api.loyalty', 'azurerm_api_management_api.stock', 'azurerm_api_management_api.tills'];
const SERVICE_POLICIES = new Set(['apim-tls-protocols', 'apim-network-exposure']);

const serviceFindings = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => SERVICE_POLICIES.has(finding.policyId));

/** A copy of the retail case whose main.tf keeps only the APIs named. */
function retailWith(apis: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-apim-service-'));
  cpSync(retail, dir, { recursive: true });
  const file = path.join(dir, 'main.tf');
  const kept = readFileSync(file, 'utf8').replace(/resource "azurerm_api_management_api" "(\w+)" \{[\s\S]*?\n\}\n/g, (block, name: string) => (name === 'catalog' || apis.includes(name) ? block : ''));
  writeFileSync(file, kept);
  return dir;
}

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false }, stderr: { write: () => undefined, isTTY: false }, cwd, env: {} };
  const code = await cli(argv, io);
  return { code, stdout };
}

describe('the settings of an API Management service, reported once per service', () => {
  it('reports its TLS and its network exposure once each, on the service at the setting, listing its three APIs', async () => {
    const report = await scan({ cwd: retail, paths: ['.'] });
    expect(serviceFindings(report.findings).map((f) => [f.policyId, f.entityKind, f.entityId, f.address, f.location.startLine, f.severity, f.routes!.map((api) => api.entityId).sort()])).toEqual([
      // No virtual_network_type: at the service block.
      ['apim-network-exposure', 'gateway', SERVICE, 'azurerm_api_management.retail', 3, 'low', APIS],
      // At frontend_tls11_enabled.
      ['apim-tls-protocols', 'gateway', SERVICE, 'azurerm_api_management.retail', 12, 'medium', APIS],
      // The partner service's single API is public too: one finding on its service.
      ['apim-network-exposure', 'gateway', 'azurerm_api_management.partners#apis', 'azurerm_api_management.partners', 45, 'low', ['azurerm_api_management_api.catalog']],
    ]);
    const tls = report.findings.find((f) => f.policyId === 'apim-tls-protocols')!;
    expect(tls.message).toBe(
      'API Management service apim-retail accepts TLS 1.1 from clients and uses TLS 1.2 towards backends: only TLS 1.2 or later should be allowed; its APIs loyalty, stock and tills inherit the setting',
    );
    // The finding's gateway is the service; each API is listed by name, at its own block, without a method or path.
    expect(tls.gateway).toEqual({ id: SERVICE, name: 'apim-retail' });
    expect(tls.routes!.map((api) => [api.routeKey, api.address, api.location.startLine, api.method, api.path])).toEqual([
      ['loyalty', 'azurerm_api_management_api.loyalty', 36, undefined, undefined],
      ['stock', 'azurerm_api_management_api.stock', 27, undefined, undefined],
      ['tills', 'azurerm_api_management_api.tills', 17, undefined, undefined],
    ]);
  });

  it('keeps one fingerprint whether the scan holds three of its APIs, one, or none (the stand-in for the service)', async () => {
    const fingerprints = async (apis: readonly string[]): Promise<Array<[string, string, string]>> => {
      const report = await scan({ cwd: retailWith(apis), paths: ['.'] });
      return serviceFindings(report.findings)
        .filter((f) => f.address === 'azurerm_api_management.retail')
        .map((f) => [f.policyId, f.entityId, f.fingerprint]);
    };
    const three = await fingerprints(['tills', 'stock', 'loyalty']);
    expect(three.map(([policy, entity]) => [policy, entity])).toEqual([
      ['apim-network-exposure', SERVICE],
      ['apim-tls-protocols', SERVICE],
    ]);
    expect(await fingerprints(['tills'])).toEqual(three);
    expect(await fingerprints([])).toEqual(three);
  });

  it('lists in each API the fingerprint its own finding had, so that a baseline written per API still accepts the service finding', async () => {
    const report = await scan({ cwd: retail, paths: ['.'] });
    const tls = report.findings.find((f) => f.policyId === 'apim-tls-protocols')!;
    const line = readFileSync(path.join(retail, 'main.tf'), 'utf8').split('\n')[11]!;
    expect(line.trim()).toBe('frontend_tls11_enabled     = true');
    expect(tls.fingerprint).toBe(findingFingerprint({ policyId: 'apim-tls-protocols', entityId: SERVICE, lineText: line }));
    expect(tls.routes!.map((api) => api.fingerprint)).toEqual(tls.routes!.map((api) => findingFingerprint({ policyId: 'apim-tls-protocols', entityId: api.entityId, lineText: line })));
    // The baseline gatewarden wrote when each API had its finding: an entry per API.
    const dir = retailWith(['tills', 'stock', 'loyalty']);
    const perApi = tls.routes!.map((api) => ({ fingerprint: api.fingerprint, policyId: 'apim-tls-protocols', address: api.address, file: 'main.tf' }));
    writeFileSync(path.join(dir, 'baseline.json'), JSON.stringify({ gatewardenBaseline: 1, fingerprintVersion: 1, findings: perApi }));
    const json = JSON.parse((await run(['scan', '--baseline', 'baseline.json', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as { findings: Array<Finding & { baselined?: true }> };
    expect(json.findings.filter((f) => f.policyId === 'apim-tls-protocols').map((f) => [f.entityId, f.baselined])).toEqual([[SERVICE, true]]);
  });

  it('is accepted by a comment on the service block or a config suppression naming the service', async () => {
    const commented = retailWith(['tills', 'stock', 'loyalty']);
    const file = path.join(commented, 'main.tf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('resource "azurerm_api_management" "retail" {', '# gatewarden:ignore apim-tls-protocols -- the tills upgrade in March\nresource "azurerm_api_management" "retail" {'));
    const byComment = await scan({ cwd: commented, paths: ['.'] });
    expect(serviceFindings(byComment.findings).filter((f) => f.entityId === SERVICE).map((f) => [f.policyId, f.suppressed?.kind, f.suppressed?.reason])).toEqual([
      ['apim-network-exposure', undefined, undefined],
      ['apim-tls-protocols', 'in-source', 'the tills upgrade in March'],
    ]);

    const configured = retailWith(['tills', 'stock', 'loyalty']);
    writeFileSync(path.join(configured, '.gatewarden.yaml'), 'suppressions:\n  - policy: apim-network-exposure\n    address: azurerm_api_management.retail\n    reason: behind Front Door by policy of the platform team\n');
    const json = JSON.parse((await run(['scan', '--format', 'json', '--fail-on', 'never'], configured)).stdout) as { findings: Finding[]; diagnostics: Array<{ code: string }> };
    expect(serviceFindings(json.findings).filter((f) => f.entityId === SERVICE).map((f) => [f.policyId, f.suppressed?.kind])).toEqual([
      ['apim-network-exposure', 'config'],
      ['apim-tls-protocols', undefined],
    ]);
    expect(json.diagnostics.filter((d) => d.code === 'suppression')).toEqual([]);
  });

  it('names a service-wide diagnostic at fault once, for the APIs without a diagnostic of their own', async () => {
    const report = await scanAll({ cwd: path.join(repo, 'policies/logging/apim-diagnostics-payloads/test/terraform-bodies'), paths: ['.'] });
    const payloads = report.findings.filter((f) => f.policyId === 'apim-diagnostics-payloads');
    expect(payloads.map((f) => [f.entityId, f.location.startLine, f.routes?.map((api) => api.routeKey)])).toEqual([['azurerm_api_management.shop#apis', 19, ['Orders', 'Returns']]]);
    expect(payloads[0]!.message).toBe(
      'The diagnostics of API Management service apim-shop log request bodies, response bodies, copying tokens, keys and personal data to its log workspace, for its APIs Orders and Returns',
    );
  });
});

describe('group on gateway policies', () => {
  const LOCATION: Readonly<Record<string, string>> = { gateway: 'azure.minimumClientTls', route: 'rateLimit', authorizer: 'jwtIssuer' };
  const policy = (kind: string, group: string): string =>
    `id: grouped\ntitle: t\nseverity: low\ncategory: tls\ndescription: d\nremediation: r\nmatch: { kind: ${kind} }\nassert: "true"\nmessage: "m"\nlocation: ${LOCATION[kind]}\n${group}`;

  it('loads a gateway policy whose group message reads group.apis', () => {
    const parsed = parsePolicy(policy('gateway', 'group: { by: setting, message: "service {{gateway.azure.service}}: {{group.apis}}" }\n'), 'policy.yaml', 'grouped', false);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.policy?.group).toEqual({ by: 'setting', message: 'service {{gateway.azure.service}}: {{group.apis}}' });
  });

  it.each([
    ['gateway', 'group: { by: setting, message: "{{group.routes}}" }\n', 'group.message placeholder {{group.routes}} does not compile'],
    ['route', 'group: { by: setting, message: "{{group.apis}}" }\n', 'group.message placeholder {{group.apis}} does not compile'],
    ['authorizer', 'group: { by: setting, message: "x" }\n', 'it needs match.kind route or gateway'],
  ])('refuses on %s: %s', (kind, group, message) => {
    const parsed = parsePolicy(policy(kind, group), 'policy.yaml', 'grouped', false);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.diagnostics).toContainEqual(expect.objectContaining({ code: 'policy-error', message: expect.stringContaining(message), location: expect.objectContaining({ startLine: 11 }) }));
  });
});

describe('facts the config file states about a service outside the scan', () => {
  const apisOnly = path.join(repo, 'test/fixtures/azure/apis-only');
  const configWith = (lines: readonly string[], dir = apisOnly) =>
    parseConfig(['azure:', '  apim:', '    services:', '      platform-apim:', '        policy: none', ...lines.map((line) => `        ${line}`), ''].join('\n'), path.join(dir, '.gatewarden.yaml'), (file) => path.relative(dir, file));
  const FACTS = ['diagnostics: [application-insights]', 'logged-content: [request-body]', 'public-network-access: true', 'virtual-network-type: None', "minimum-client-tls: '1.0'", 'minimum-backend-tls: 1.2', 'weak-ciphers: false'];

  it.each(['terraform', 'arm'])('decide the logging, network and protocols of the APIs of %s, one finding each on the service at its line', async (folder) => {
    const report = await scanAll({ cwd: apisOnly, paths: [folder], config: configWith(FACTS) });
    const facts = report.findings.filter((f) => f.location.file === '.gatewarden.yaml');
    expect(facts.map((f) => [f.policyId, f.entityKind, f.address, f.location.startLine, f.severity, f.routes!.length])).toEqual([
      // The service's only diagnostic logs request bodies (line 7), it is public in no virtual
      // network (line 9, its virtual-network-type) and it accepts TLS 1.0 (line 10).
      ['apim-diagnostics-payloads', 'gateway', 'azure.apim.services.platform-apim', 7, 'medium', 3],
      ['apim-network-exposure', 'gateway', 'azure.apim.services.platform-apim', 9, 'low', 3],
      ['apim-tls-protocols', 'gateway', 'azure.apim.services.platform-apim', 10, 'medium', 3],
    ]);
    // Sent to Application Insights: apim-diagnostics passes; nothing about the service stays unknown.
    const full = await scanAll({ cwd: apisOnly, paths: [folder], config: configWith(FACTS) });
    expect(full.findings.filter((f) => f.policyId === 'apim-diagnostics')).toEqual([]);
    expect(full.unevaluated.filter((u) => u.policyId.startsWith('apim-diagnostics') || u.policyId === 'apim-network-exposure' || u.policyId === 'apim-tls-protocols')).toEqual([]);
  });

  it('diagnostics: none is a finding on the service at that line; without logged-content, what is logged stays unknown and names the key', async () => {
    const report = await scanAll({ cwd: apisOnly, paths: ['terraform'], config: configWith(['diagnostics: none']) });
    expect(report.findings.filter((f) => f.policyId === 'apim-diagnostics').map((f) => [f.address, f.location.file, f.location.startLine, f.routes!.length])).toEqual([['azure.apim.services.platform-apim', '.gatewarden.yaml', 6, 3]]);
    // Nothing is sent: nothing of the content is logged either.
    expect(report.unevaluated.filter((u) => u.policyId === 'apim-diagnostics-payloads')).toEqual([]);
    const logged = await scanAll({ cwd: apisOnly, paths: ['terraform'], config: configWith(['diagnostics: [azure-monitor]']) });
    const unknown = logged.unevaluated.filter((u) => u.policyId === 'apim-diagnostics-payloads');
    expect(unknown).toHaveLength(3);
    for (const check of unknown) expect(check.reason).toContain('set azure.apim.services.platform-apim.logged-content in .gatewarden.yaml to state it');
  });

  it('are not used, with a warning at each line, for a service the scan defines', async () => {
    const dir = retailWith(['tills']);
    const config = parseConfig(
      ['azure:', '  apim:', '    services:', '      apim-retail:', '        minimum-client-tls: 1.2', '        diagnostics: none', ''].join('\n'),
      path.join(dir, '.gatewarden.yaml'),
      (file) => path.relative(dir, file),
    );
    const report = await scanAll({ cwd: dir, paths: ['.'], config });
    expect(report.diagnostics.filter((d) => d.code === 'config').map((d) => [d.severity, d.location?.startLine, d.message])).toEqual([
      ['warning', 5, 'azure.apim.services.apim-retail.minimum-client-tls in the config file is not used: the scanned configuration defines API Management service "apim-retail" (azurerm_api_management.retail), and its own settings are checked; remove the setting'],
      ['warning', 6, 'azure.apim.services.apim-retail.diagnostics in the config file is not used: the scanned configuration defines API Management service "apim-retail" (azurerm_api_management.retail), and its own settings are checked; remove the setting'],
    ]);
    // The service's own TLS 1.1 is what is checked.
    expect(report.findings.filter((f) => f.policyId === 'apim-tls-protocols').map((f) => [f.entityId, f.location.file, f.location.startLine])).toEqual([[SERVICE, 'main.tf', 12]]);
  });
});
