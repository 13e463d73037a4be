import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPolicyIds, loadConfig, parseConfig } from '../../src/config/load.js';
import { GatewardenError } from '../../src/errors.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = path.join(repo, 'test/fixtures/config');
const file = path.join(root, 'sub/.gatewarden.yaml');
const shown = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');
const parse = (text: string, today = '2026-06-15') => parseConfig(text, file, shown, { today });

/** The config error a text raises. */
function errorOf(text: string): GatewardenError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof GatewardenError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('loadConfig', () => {
  it('reads every key, resolving paths against the config file directory', () => {
    const { config, warnings } = loadConfig(path.join(root, 'valid/full.yaml'), shown, { today: '2026-06-15' });
    const dir = path.join(root, 'valid');
    expect(config.file).toBe(path.join(dir, 'full.yaml'));
    expect(config.dir).toBe(dir);
    expect(config.failOn).toBe('high');
    expect(config.policies).toEqual({
      enable: ['route-requires-auth'],
      disable: ['throttling-configured'],
      severity: new Map([['cors-not-open', 'critical']]),
      dirs: [path.join(dir, 'policies')],
    });
    expect(config.exclude).toEqual(['examples/**', '**/test/fixtures/**']);
    expect(config.varFiles).toEqual([path.join(dir, 'envs/prod.tfvars')]);
    expect(config.vars).toEqual(new Map([['stage', 'prod']]));
    expect(config.parameterFiles).toEqual([path.join(dir, 'params/prod.json')]);
    expect(config.parameters).toEqual(new Map([['Stage', 'prod']]));
    expect(config.baseline).toBe(path.join(dir, '.gatewarden-baseline.json'));
    expect(config.suppressions).toEqual([
      {
        policyId: 'route-requires-auth',
        address: 'aws_api_gateway_method.health',
        path: 'legacy/**',
        reason: 'public health check',
        until: '2027-03-31',
        location: { file: 'valid/full.yaml', startLine: 18, startColumn: 5, endLine: 22, endColumn: 22 },
      },
    ]);
    expect(config.policyReferences.map((reference) => [reference.key, reference.id, reference.location.startLine])).toEqual([
      ['policies.enable', 'route-requires-auth', 4],
      ['policies.disable', 'throttling-configured', 5],
      ['policies.severity', 'cors-not-open', 7],
      ['suppressions', 'route-requires-auth', 18],
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads an empty file, or one of comments only, as an empty config', () => {
    for (const text of ['', '# nothing yet\n', '---\n', '~\n']) {
      const { config, warnings } = parse(text);
      expect(config).toEqual({
        file,
        dir: path.dirname(file),
        policies: {},
        exclude: [],
        varFiles: [],
        vars: new Map(),
        parameterFiles: [],
        parameters: new Map(),
        suppressions: [],
        policyReferences: [],
      });
      expect(config.failOn).toBeUndefined();
      expect(config.baseline).toBeUndefined();
      expect(warnings).toEqual([]);
    }
  });

  it('keeps a bare YAML date as the text written', () => {
    const { config } = parse('suppressions:\n  - policy: p\n    address: a\n    reason: r\n    until: 2027-03-31\n');
    expect(config.suppressions[0]!.until).toBe('2027-03-31');
  });

  it('keeps variable and parameter values as written', () => {
    const { config } = parse('vars:\n  version: 1.10\n  octal: 010\n  big: 12345678901234567890\n  flag: yes\n  on: true\n  quoted: "1.10"\n  hcl: \'["a", "b"]\'\nparameters:\n  Port: 8080\n');
    expect(Object.fromEntries(config.vars)).toEqual({ version: '1.10', octal: '010', big: '12345678901234567890', flag: 'yes', on: 'true', quoted: '1.10', hcl: '["a", "b"]' });
    expect(Object.fromEntries(config.parameters)).toEqual({ Port: '8080' });
  });

  it('follows YAML anchors and aliases', () => {
    const { config } = parse('var-files: &files [a.tfvars]\nparameter-files: *files\n');
    expect(config.parameterFiles).toEqual([path.join(path.dirname(file), 'a.tfvars')]);
  });

  it('keeps absolute paths absolute', () => {
    const absolute = path.join(repo, 'envs/x.tfvars');
    expect(parse(`var-files: [${JSON.stringify(absolute)}]\n`).config.varFiles).toEqual([absolute]);
  });

  it('reports an unreadable file', () => {
    expect(() => loadConfig(path.join(root, 'does-not-exist.yaml'), shown)).toThrow(/cannot read the config file: does-not-exist\.yaml does not exist/);
  });
});

describe('config errors', () => {
  // [what, YAML, location, message]
  const cases: Array<[string, string, string, RegExp]> = [
    ['invalid YAML', 'fail-on: high\npolicies: [a\n', 'sub/.gatewarden.yaml:3:1', /invalid YAML/],
    ['a duplicate key', 'fail-on: high\nexclude: []\nfail-on: low\n', 'sub/.gatewarden.yaml:3:1', /the key "fail-on" is given twice/],
    ['a duplicate nested key', 'suppressions:\n  - policy: a\n    address: b\n    policy: c\n', 'sub/.gatewarden.yaml:4:5', /the key "policy" is given twice/],
    ['several documents', 'fail-on: high\n---\nfail-on: low\n', 'sub/.gatewarden.yaml:2:1', /several YAML documents/],
    ['a list at the top', '- fail-on: high\n', 'sub/.gatewarden.yaml:1:1', /the config file must be a mapping; found a list/],
    ['an unknown top-level key', 'fail-on: high\nfail_on: high\n', 'sub/.gatewarden.yaml:2:1', /unknown key "fail_on" in the config file; did you mean "fail-on"\?/],
    ['a camelCase key', 'varFiles: [a]\n', 'sub/.gatewarden.yaml:1:1', /did you mean "var-files"\?/],
    ['an unknown key without a near one', 'colour: red\n', 'sub/.gatewarden.yaml:1:1', /unknown key "colour" in the config file \(the keys are: fail-on, policies/],
    ['an unknown policies key', 'policies:\n  disble: [a]\n', 'sub/.gatewarden.yaml:2:3', /unknown key "disble" in "policies"; did you mean "disable"\?/],
    ['an unknown suppression key', 'suppressions:\n  - policy: a\n    address: b\n    reasn: c\n', 'sub/.gatewarden.yaml:4:5', /unknown key "reasn" in a suppression; did you mean "reason"\?/],
    ['a bad fail-on', 'fail-on: hgh\n', 'sub/.gatewarden.yaml:1:10', /"fail-on" must be one of critical, high, medium, low, info, never; found "hgh"; did you mean "high"\?/],
    ['a fail-on without value', 'fail-on:\n', 'sub/.gatewarden.yaml:1:', /"fail-on" must be one of .*; found no value/],
    ['a bad severity', 'policies:\n  severity:\n    cors-not-open: Critical\n', 'sub/.gatewarden.yaml:3:20', /the severity of "cors-not-open" must be one of critical, high, medium, low, info; found "Critical"; did you mean "critical"\?/],
    ['a numeric severity', 'policies:\n  severity:\n    cors-not-open: 3\n', 'sub/.gatewarden.yaml:3:20', /found the number 3/],
    ['a severity list', 'policies:\n  severity: [a]\n', 'sub/.gatewarden.yaml:2:13', /"policies.severity" must map policy ids to severities/],
    ['an empty enable', 'policies:\n  enable: []\n', 'sub/.gatewarden.yaml:2:11', /"policies.enable" is empty, so nothing would run; list at least one id, or remove the key/],
    ['a string enable', 'policies:\n  enable: route-requires-auth\n', 'sub/.gatewarden.yaml:2:11', /"policies.enable" must be a list of policy ids/],
    ['a number in disable', 'policies:\n  disable:\n    - a\n    - 7\n', 'sub/.gatewarden.yaml:4:7', /"policies.disable" must list policy ids.*; found the number 7/],
    ['a string exclude', 'exclude: "examples/**"\n', 'sub/.gatewarden.yaml:1:10', /"exclude" must be a list of glob patterns/],
    ['an empty exclude', 'exclude:\n', 'sub/.gatewarden.yaml:1:', /"exclude" must be a list .*; found no value/],
    ['a bad glob', 'exclude:\n  - ok/**\n  - "modules/[ab"\n', 'sub/.gatewarden.yaml:3:5', /an unclosed "\[" in the glob pattern "modules\/\[ab".*see docs\/config.md#globs/],
    ['a negated glob', 'exclude: ["!keep"]\n', 'sub/.gatewarden.yaml:1:11', /negation/],
    ['a list variable', 'vars:\n  regions: [eu-west-1]\n', 'sub/.gatewarden.yaml:2:12', /the value of a Terraform variable "regions" must be a string, number or boolean; found a list\. Write a list or map as HCL text in quotes/],
    ['a variable without value', 'vars:\n  stage:\n', 'sub/.gatewarden.yaml:2:', /"stage" must be a string, number or boolean; found no value/],
    ['a map parameter', 'parameters:\n  Stage: { v: 1 }\n', 'sub/.gatewarden.yaml:2:10', /the value of a parameter "Stage" .*CommaDelimitedList/],
    ['vars as a list', 'vars: [a=b]\n', 'sub/.gatewarden.yaml:1:7', /"vars" must map names to values/],
    ['an empty baseline', 'baseline: ""\n', 'sub/.gatewarden.yaml:1:11', /"baseline" must be the path of a baseline file/],
    ['suppressions as a mapping', 'suppressions:\n  policy: a\n', 'sub/.gatewarden.yaml:2:3', /"suppressions" must be a list of entries starting with "- policy:"; found a mapping/],
    ['a suppression without address', 'fail-on: low\nsuppressions:\n  - policy: a\n    reason: b\n', 'sub/.gatewarden.yaml:3:5', /this suppression has no "address"; add the resource address/],
    ['a suppression without policy', 'suppressions:\n  - address: a\n', 'sub/.gatewarden.yaml:2:5', /this suppression has no "policy"; add the id of the policy/],
    ['a suppression that is a string', 'suppressions:\n  - route-requires-auth\n', 'sub/.gatewarden.yaml:2:5', /a suppression must be a mapping; found "route-requires-auth"/],
    ['a blank address', 'suppressions:\n  - policy: a\n    address: " "\n', 'sub/.gatewarden.yaml:3:14', /"address" must be a resource address/],
    ['a numeric reason', 'suppressions:\n  - policy: a\n    address: b\n    reason: 42\n', 'sub/.gatewarden.yaml:4:13', /"reason" must be a sentence .*; found the number 42/],
    ['an exclude pattern of 2,000 characters', `exclude: ["${'*a'.repeat(1000)}"]\n`, 'sub/.gatewarden.yaml:1:11', /a pattern may be at most 1,024 characters, and this one has 2,000/],
    ['an address pattern of 2,000 characters', `suppressions:\n  - policy: a\n    address: "${'*a'.repeat(1000)}"\n    reason: r\n`, 'sub/.gatewarden.yaml:3:14', /the address "\*a\*a.{36}…" has 2,000 characters; an address pattern may be at most 1,024/],
    ['a bad path glob', 'suppressions:\n  - policy: a\n    address: b\n    path: "{legacy,old"\n', 'sub/.gatewarden.yaml:4:11', /an unclosed "\{"/],
    ['a date in another format', 'suppressions:\n  - policy: a\n    address: b\n    until: 31/03/2027\n', 'sub/.gatewarden.yaml:4:12', /"until" must be a date written YYYY-MM-DD, e.g. "until: 2027-03-31"; found "31\/03\/2027"/],
    ['a date without zero padding', 'suppressions:\n  - policy: a\n    address: b\n    until: 2027-3-31\n', 'sub/.gatewarden.yaml:4:12', /YYYY-MM-DD/],
    ['a number as date', 'suppressions:\n  - policy: a\n    address: b\n    until: 20270331\n', 'sub/.gatewarden.yaml:4:12', /found the number 20270331/],
    ['an impossible date', 'suppressions:\n  - policy: a\n    address: b\n    until: 2027-02-29\n', 'sub/.gatewarden.yaml:4:12', /"until: 2027-02-29" is not a day of the calendar/],
    ['an azure section that is a list', 'azure: [apim]\n', 'sub/.gatewarden.yaml:1:8', /"azure" must be a mapping; found a list/],
    ['a misspelt apim key', 'azure:\n  apim:\n    servcies: {}\n', 'sub/.gatewarden.yaml:3:5', /unknown key "servcies" in "azure.apim"; did you mean "services"\?/],
    ['a service that says nothing', 'azure:\n  apim:\n    services:\n      platform-apim: {}\n', 'sub/.gatewarden.yaml:4:7', /"azure.apim.services.platform-apim" says nothing of the service; give the file of its global policy/],
    ['a TLS version the service cannot have', 'azure:\n  apim:\n    services:\n      platform-apim:\n        minimum-client-tls: 1.3\n', 'sub/.gatewarden.yaml:5:29', /"azure.apim.services.platform-apim.minimum-client-tls" must be one of ssl3, 1.0, 1.1, 1.2; found the number 1.3/],
    ['a network type in the wrong case', 'azure:\n  apim:\n    services:\n      platform-apim:\n        virtual-network-type: internal\n', 'sub/.gatewarden.yaml:5:31', /"azure.apim.services.platform-apim.virtual-network-type" must be one of None, External, Internal/],
    ['public network access as text', 'azure:\n  apim:\n    services:\n      platform-apim:\n        public-network-access: "yes"\n', 'sub/.gatewarden.yaml:5:32', /"azure.apim.services.platform-apim.public-network-access" must be true or false/],
    ['a diagnostic the service cannot send to', 'azure:\n  apim:\n    services:\n      platform-apim:\n        diagnostics: [application-insights, log-analytics]\n', 'sub/.gatewarden.yaml:5:45', /"azure.apim.services.platform-apim.diagnostics" lists "log-analytics".*it must be a list of application-insights, azure-monitor, or none/],
    ['an empty list of logged content', 'azure:\n  apim:\n    services:\n      platform-apim:\n        logged-content: []\n', 'sub/.gatewarden.yaml:5:25', /"azure.apim.services.platform-apim.logged-content" must be a list of request-body, response-body, credential-headers, or none/],
    ['a misspelt fact', 'azure:\n  apim:\n    services:\n      platform-apim:\n        minimum-tls: "1.2"\n', 'sub/.gatewarden.yaml:5:9', /unknown key "minimum-tls" in "azure.apim.services.platform-apim"/],
    ['a policy that is a number', 'azure:\n  apim:\n    services:\n      platform-apim:\n        policy: 42\n', 'sub/.gatewarden.yaml:5:17', /"azure.apim.services.platform-apim.policy" must be the path of the service's global policy \(XML\), relative to this file, or none; found the number 42/],
    ['services as a list', 'azure:\n  apim:\n    services: [platform-apim]\n', 'sub/.gatewarden.yaml:3:15', /"azure.apim.services" must map API Management service names to settings/],
    ['month 13', 'suppressions:\n  - policy: a\n    address: b\n    until: 2027-13-01\n', 'sub/.gatewarden.yaml:4:12', /not a day of the calendar/],
  ];

  it.each(cases)('%s is an error at its line', (_, text, at, message) => {
    const error = errorOf(text);
    expect(error.code).toBe('config');
    expect(error.message.startsWith(`${at}`)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.location?.file).toBe('sub/.gatewarden.yaml');
    expect(`sub/.gatewarden.yaml:${error.location?.startLine}:${error.location?.startColumn}`.startsWith(at)).toBe(true);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parse('suppressions:\n  - policy: a\n    address: b\n    reason: c\n    until: 2028-02-29\n').config.suppressions[0]!.until).toBe('2028-02-29');
  });

  it('reports every problem at once, in file order, pointing at the first', () => {
    const error = errorOf('policies:\n  enable: []\n  disble: [a]\nfail_on: high\nsuppressions:\n  - policy: a\n    until: 2027-02-30\n');
    expect(error.message).toBe(
      [
        'sub/.gatewarden.yaml has 5 problems:',
        '  sub/.gatewarden.yaml:2:11: "policies.enable" is empty, so nothing would run; list at least one id, or remove the key to run every policy',
        '  sub/.gatewarden.yaml:3:3: unknown key "disble" in "policies"; did you mean "disable"? (the keys are: enable, disable, severity, dirs, parameters, packs; see docs/config.md)',
        '  sub/.gatewarden.yaml:4:1: unknown key "fail_on" in the config file; did you mean "fail-on"? (the keys are: fail-on, policies, exclude, var-files, vars, parameter-files, parameters, baseline, suppressions, limits, history, sla, azure, owners; see docs/config.md)',
        '  sub/.gatewarden.yaml:6:5: this suppression has no "address"; add the resource address it applies to, e.g. "address: aws_api_gateway_method.health" (a "*" matches any characters: "module.legacy.*")',
        '  sub/.gatewarden.yaml:7:12: "until: 2027-02-30" is not a day of the calendar; write a real date as YYYY-MM-DD',
      ].join('\n'),
    );
    expect(error.location).toMatchObject({ startLine: 2, startColumn: 11 });
  });
});

describe('limits', () => {
  it('reads sizes, counts and durations in their units', () => {
    const { config } = parse('limits:\n  file-size: 512MB\n  instances: 20000\n  policy-time: 30s\n  audit-response-size: 1.5GiB\n');
    expect(config.limits).toEqual(
      new Map([
        ['file-size', 512_000_000],
        ['instances', 20_000],
        ['policy-time', 30_000],
        ['audit-response-size', 1_610_612_736],
      ]),
    );
  });

  it('warns, at its line, about a value above the default: the file can only lower a limit', () => {
    const { warnings } = parse('limits:\n  instances: 100000000\n  depth: 50\n');
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'config',
        location: expect.objectContaining({ file: 'sub/.gatewarden.yaml', startLine: 2 }),
        message: 'limits: instances is above its default (10,000) and is not raised: a config file is part of the scanned input, so it may only lower a limit. Raise it on the command line: --limit instances=100000000',
      }),
    ]);
  });

  it('rejects an unknown limit, a count with a unit and a zero, each at its line', () => {
    const error = errorOf('limits:\n  max-depth: 10\n  instances: 20k\n  depth: 0\n');
    expect(error.message).toContain('sub/.gatewarden.yaml:2:3: unknown key "max-depth" in "limits"');
    expect(error.message).toContain('sub/.gatewarden.yaml:3:14: the limit "instances"');
    expect(error.message).toContain('sub/.gatewarden.yaml:4:10: the limit "depth"');
  });
});

describe('config warnings', () => {
  it('warns about a suppression without a reason, at its entry', () => {
    const { config, warnings } = parse('suppressions:\n  - policy: a\n    address: b\n  - policy: c\n    address: d\n    reason: "  "\n');
    expect(config.suppressions).toHaveLength(2);
    expect(config.suppressions[1]!.reason).toBeUndefined();
    expect(warnings).toEqual([
      { severity: 'warning', code: 'suppression', message: 'the config suppression of a on b gives no reason; add "reason:" saying why the risk is accepted', location: { file: 'sub/.gatewarden.yaml', startLine: 2, startColumn: 5, endLine: 3, endColumn: 15 }, address: 'b' },
      { severity: 'warning', code: 'suppression', message: 'the config suppression of c on d gives no reason; add "reason:" saying why the risk is accepted', location: { file: 'sub/.gatewarden.yaml', startLine: 4, startColumn: 5, endLine: 6, endColumn: 17 }, address: 'd' },
    ]);
  });

  it('warns about an expired suppression, at its date, and keeps it (matching skips it)', () => {
    const text = 'suppressions:\n  - policy: a\n    address: b\n    reason: r\n    until: 2026-06-14\n';
    const expired = parse(text, '2026-06-15');
    expect(expired.config.suppressions).toHaveLength(1);
    expect(expired.warnings).toEqual([
      { severity: 'warning', code: 'suppression', message: 'the config suppression of a on b expired on 2026-06-14; its findings are reported again (renew "until" or remove the suppression)', location: { file: 'sub/.gatewarden.yaml', startLine: 5, startColumn: 12, endLine: 5, endColumn: 22 }, address: 'b' },
    ]);
    // In force through its last day.
    expect(parse(text, '2026-06-14').warnings).toEqual([]);
  });
});

describe('checkPolicyIds', () => {
  const known = new Set(['route-requires-auth', 'throttling-configured', 'cors-not-open', 'no-static-api-keys']);

  it('accepts known ids', () => {
    const { config } = loadConfig(path.join(root, 'valid/full.yaml'), shown);
    expect(checkPolicyIds(config, known)).toBeUndefined();
  });

  it('flags unknown ids in every place, at their lines, with the closest id', () => {
    const { config } = parse(
      [
        'policies:',
        '  enable: [route-requires-auth, cors-not-opn]',
        '  disable:',
        '    - throttling-configurd',
        '  severity:',
        '    no-static-api-key: high',
        'suppressions:',
        '  - policy: something-else-entirely',
        '    address: a',
        '    reason: r',
        '',
      ].join('\n'),
    );
    const error = checkPolicyIds(config, known)!;
    expect(error).toBeInstanceOf(GatewardenError);
    expect(error.code).toBe('config');
    expect(error.message).toBe(
      [
        'sub/.gatewarden.yaml has 4 problems:',
        '  sub/.gatewarden.yaml:2:33: policies.enable names the policy "cors-not-opn", which no loaded policy has; did you mean "cors-not-open"?',
        '  sub/.gatewarden.yaml:4:7: policies.disable names the policy "throttling-configurd", which no loaded policy has; did you mean "throttling-configured"?',
        '  sub/.gatewarden.yaml:6:5: policies.severity names the policy "no-static-api-key", which no loaded policy has; did you mean "no-static-api-keys"?',
        '  sub/.gatewarden.yaml:8:13: suppressions names the policy "something-else-entirely", which no loaded policy has; the ids are listed in docs/policies.md; a policy of your own needs its directory in "policies.dirs" or --policies',
      ].join('\n'),
    );
    expect(error.location).toMatchObject({ file: 'sub/.gatewarden.yaml', startLine: 2, startColumn: 33 });
  });

  it('gives a single problem on one line', () => {
    const { config } = parse('policies:\n  disable: [cors-not-opem]\n');
    expect(checkPolicyIds(config, known)?.message).toBe('sub/.gatewarden.yaml:2:13: policies.disable names the policy "cors-not-opem", which no loaded policy has; did you mean "cors-not-open"?');
  });
});

describe('loadConfig on a real file', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('resolves paths against the file, not the working directory', () => {
    mkdirSync(path.join(tmp, 'repo/.git'), { recursive: true });
    mkdirSync(path.join(tmp, 'repo/infra'));
    const configFile = path.join(tmp, 'repo/infra/.gatewarden.yaml');
    writeFileSync(configFile, 'baseline: base.json\npolicies:\n  dirs: [../shared/policies]\n');
    const { config } = loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
    expect(config.baseline).toBe(path.join(tmp, 'repo/infra/base.json'));
    expect(config.policies.dirs).toEqual([path.join(tmp, 'repo/shared/policies')]);
  });

  it('reads the history database next to the file and the SLAs in milliseconds', () => {
    mkdirSync(path.join(tmp, 'nightly/.git'), { recursive: true });
    const configFile = path.join(tmp, 'nightly/.gatewarden.yaml');
    writeFileSync(configFile, 'history: history/gatewarden.db\nsla: { critical: 7d, high: 48h, medium: 2w }\n');
    const { config } = loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
    expect(config.history).toBe(path.join(tmp, 'nightly/history/gatewarden.db'));
    expect([...config.sla!]).toEqual([['critical', 7 * 86_400_000], ['high', 48 * 3_600_000], ['medium', 14 * 86_400_000]]);
  });

  it('refuses a PostgreSQL history URL, which the repository scanned could point at a server that collects the job\'s credentials', () => {
    expect(errorOf('history: postgresql://gatewarden@db.internal:5432/history?sslmode=verify-full\n').message).toBe(
      'sub/.gatewarden.yaml:1:10: "history" names a PostgreSQL server: give it on the command line (--history postgres://...) instead; a server named in a file of the repository scanned could be changed by a pull request to receive this job\'s database credentials (docs/nightly.md#postgresql)',
    );
  });

  it('rejects an SLA that is not an age, at its line, and a history database outside the repository', () => {
    expect(errorOf('sla:\n  high: 1 month\n').message).toBe('sub/.gatewarden.yaml:2:9: the SLA of high findings must be a number of hours, days or weeks, e.g. 7d, 48h or 2w; found "1 month"');
    expect(errorOf('history: /tmp/elsewhere.db\n').message).toMatch(/^sub\/\.gatewarden\.yaml:1:10: "history" names \/tmp\/elsewhere\.db, which is outside the repository/);
  });

  it('refuses paths that lead outside its repository, directly or through a symbolic link, each at its line', () => {
    mkdirSync(path.join(tmp, 'app/.git'), { recursive: true });
    writeFileSync(path.join(tmp, 'secret.tfvars'), 'token = "x"\n');
    symlinkSync(path.join(tmp, 'secret.tfvars'), path.join(tmp, 'app/linked.tfvars'));
    const configFile = path.join(tmp, 'app/.gatewarden.yaml');
    writeFileSync(configFile, 'var-files:\n  - ../secret.tfvars\n  - linked.tfvars\nbaseline: /etc/passwd\n');
    const error = (() => {
      try {
        loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
      } catch (caught) {
        return caught as GatewardenError;
      }
      throw new Error('the config was accepted');
    })();
    expect(error.code).toBe('config');
    expect(error.message).toContain('app/.gatewarden.yaml:2:5: "var-files" names ../secret.tfvars, which is outside the repository;');
    expect(error.message).toContain(`app/.gatewarden.yaml:3:5: "var-files" names linked.tfvars, which is outside the repository (it leads to ${path.join(realpathSync(tmp), 'secret.tfvars')});`);
    expect(error.message).toContain('app/.gatewarden.yaml:4:11: "baseline" names /etc/passwd, which is outside the repository;');
    expect(error.message).toContain('Give the path on the command line instead (--var-file)');
  });

  it('reads the global policies of API Management services: a path inside the repository, or none', () => {
    mkdirSync(path.join(tmp, 'apis/.git'), { recursive: true });
    const configFile = path.join(tmp, 'apis/.gatewarden.yaml');
    writeFileSync(configFile, 'azure:\n  apim:\n    services:\n      platform-apim:\n        policy: platform/global.xml\n      partner-apim:\n        policy: none\n');
    const { config } = loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
    expect([...config.azure!.apimServices]).toEqual([
      ['platform-apim', { policy: { file: path.join(tmp, 'apis/platform/global.xml') }, location: expect.objectContaining({ file: 'apis/.gatewarden.yaml', startLine: 5, startColumn: 17 }), facts: {} }],
      ['partner-apim', { policy: 'none', location: expect.objectContaining({ startLine: 7 }), facts: {} }],
    ]);
  });

  it('reads the facts it states about an API Management service, each with its line, with or without a policy', () => {
    mkdirSync(path.join(tmp, 'apis/.git'), { recursive: true });
    const configFile = path.join(tmp, 'apis/.gatewarden.yaml');
    writeFileSync(
      configFile,
      [
        'azure:',
        '  apim:',
        '    services:',
        '      platform-apim:',
        '        policy: none',
        '        diagnostics: [application-insights, azure-monitor]',
        '        logged-content: none',
        '        public-network-access: true',
        '        virtual-network-type: External',
        '        minimum-client-tls: 1.0',
        "        minimum-backend-tls: '1.2'",
        '        weak-ciphers: false',
        '      partner-apim:',
        '        diagnostics: none',
        '',
      ].join('\n'),
    );
    const { config } = loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
    const services = config.azure!.apimServices;
    const facts = Object.fromEntries(Object.entries(services.get('platform-apim')!.facts).map(([name, fact]) => [name, [fact.value, fact.location.startLine]]));
    expect(facts).toEqual({
      diagnostics: [['application-insights', 'azure-monitor'], 6],
      loggedContent: [[], 7],
      publicNetworkAccess: [true, 8],
      virtualNetworkType: ['External', 9],
      // 1.0 is read as written, not as the number 1.
      minimumClientTls: ['1.0', 10],
      minimumBackendTls: ['1.2', 11],
      weakCiphersEnabled: [false, 12],
    });
    // Facts alone: no policy, the entry's line.
    expect(services.get('partner-apim')).toEqual({ location: expect.objectContaining({ startLine: 13 }), facts: { diagnostics: { value: [], location: expect.objectContaining({ startLine: 14 }) } } });
  });

  it('refuses an API Management policy outside its repository, directly or through a link, at its line', () => {
    mkdirSync(path.join(tmp, 'team/.git'), { recursive: true });
    writeFileSync(path.join(tmp, 'global.xml'), '<policies />\n');
    symlinkSync(path.join(tmp, 'global.xml'), path.join(tmp, 'team/linked.xml'));
    const configFile = path.join(tmp, 'team/.gatewarden.yaml');
    writeFileSync(configFile, 'azure:\n  apim:\n    services:\n      a:\n        policy: ../global.xml\n      b:\n        policy: linked.xml\n');
    const error = (() => {
      try {
        loadConfig(configFile, (absolute) => path.relative(tmp, absolute));
      } catch (caught) {
        return caught as GatewardenError;
      }
      throw new Error('the config was accepted');
    })();
    expect(error.code).toBe('config');
    expect(error.message).toContain('team/.gatewarden.yaml:5:17: "azure.apim.services.a.policy" names ../global.xml, which is outside the repository;');
    expect(error.message).toContain(`team/.gatewarden.yaml:7:17: "azure.apim.services.b.policy" names linked.xml, which is outside the repository (it leads to ${path.join(realpathSync(tmp), 'global.xml')});`);
    expect(error.message).toContain("Copy the service's policy into the repository and name the copy");
  });

  it('names the file as the display function renders it', () => {
    const configFile = path.join(tmp, '.gatewarden.yml');
    writeFileSync(configFile, '\n\nfail-on: nope\n');
    expect(() => loadConfig(configFile, (absolute) => `shown/${path.basename(absolute)}`)).toThrow(/^shown\/\.gatewarden\.yml:3:10: "fail-on" must be one of/);
  });
});
