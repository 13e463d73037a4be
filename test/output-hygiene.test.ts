import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../src/cli/cli.js';
import type { ScanReport } from '../src/report/report.js';
import { REPORT_FORMATS } from '../src/reporters/formats.js';
import { everything, scanAllFormats, workspace } from './helpers/hostile.js';

// gatewarden scans untrusted code (pull requests from forks) in CI, with secrets in its environment,
// and publishes what it writes: terminal logs, GitHub annotations, PR comments, JUnit and SARIF.
// test/fixtures/hostile plants control characters (a newline then a workflow command, ANSI escape
// sequences, C1 controls, DEL, CR and bidi overrides) in the names, keys, paths, descriptions and
// suppression reasons of every input format, and a canary secret in API key values. Copied to a
// temporary directory, the folder also gets a directory and files whose names are hostile.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CANARY = 'CANARYsecret';
const ENV_SECRET = `${CANARY}Environment000001`;
const VAR_SECRET = `${CANARY}CommandLineVar0001`;

/** What must never reach a terminal raw: C0 but LF, DEL, C1, bidi controls and marks, U+2028/U+2029. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** The value planted in each input format, after `::error file=evil.tf::`, with what follows it there. */
const MARKERS = {
  terraform: 'rest-api-name\\u001b[31m\\u009b2J\\u202e\\u2066\\u007f\\r',
  forEachKey: 'for_each-key\\u001b[2J\\u202e\\r',
  apimXml: 'xml-fragment-id\\u001b[2J\\u202e\\u0085\\r',
  tfJson: 'tfjson-resource-name\\u001b[2J\\u202e',
  plan: 'plan-address\\u001b[2J\\u202e',
  cloudFormation: 'cfn-path-part\\u001b[2J\\u202e\\u009b2J\\u007f',
  cfnParameter: 'cfn-parameter-default\\u001b[2J\\u202e\\r',
  cfnJson: 'cfn-json-route\\u001b[2J\\u202e',
  sam: 'sam-event-path\\u001b[2J\\u202e',
  arm: 'arm-url-template\\u001b[2J\\u202e',
  openapi: 'openapi-path\\u001b[2J\\u202e\\u009b2J',
  gcp: 'gcp-path\\u001b[2J\\u202e',
  apiopsDisplayName: 'apiops-display-name\\u001b[2J\\u202e\\r',
  apiopsOperationId: 'apiops-operation-id\\u001b[2J\\u202e',
  apiopsFolder: 'apiops-folder\\u001b[2J\\u202e',
  directoryName: 'dir-name\\u001b[2J\\u202e',
  fileName: 'file-name\\u001b[2J\\u202e\\r',
  suppressionReason: 'suppression-reason\\u001b[2J\\u202e',
  configReason: 'config-suppression\\u001b[2J\\u202e',
  policyTitle: 'policy-title\\u001b[2J\\u202e',
  policyMessage: 'policy-message\\u001b[2J\\u202e',
} as const;
type Marker = keyof typeof MARKERS;

/** Markers of values that only a suppressed finding carries: formats that leave suppressed findings out lack them. */
const SUPPRESSED_ONLY: readonly Marker[] = ['suppressionReason', 'configReason'];

/** The escaped form of a marker as it follows a value's escaped line break. */
function escaped(marker: Marker): string {
  return `\\n::error file=evil.tf::${MARKERS[marker]}`;
}

/** The forms a marker may take in one output format: Markdown escapes backslashes and brackets outside code spans; a GitHub property escapes colons. */
function escapedForms(marker: Marker, format: string): string[] {
  const plain = escaped(marker);
  if (format === 'markdown') return [plain, plain.replace(/[\\`*_[\]|~]/g, '\\$&')];
  if (format === 'github') return [plain, plain.replace(/:/g, '%3A')];
  return [plain];
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files written under `out/`, by name. */
  readonly files: ReadonlyMap<string, string>;
}

let root: string;
const savedEnv = { ...process.env };

async function run(argv: readonly string[], tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: tty },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: tty },
    cwd: root,
    env: { ...process.env },
  };
  const out = path.join(root, 'out');
  rmSync(out, { recursive: true, force: true });
  const code = await cli(argv, io);
  const files = new Map<string, string>();
  try {
    for (const name of readdirSync(out)) files.set(name, readFileSync(path.join(out, name), 'utf8'));
  } catch {
    // No file output.
  }
  return { code, stdout, stderr, files };
}

/** One line per entry; a line that starts a workflow command once the runner trims it. */
function commandLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trimStart().startsWith('::'));
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gatewarden-hostile-'));
  const hostile = path.join(root, 'hostile');
  cpSync(path.join(repo, 'test/fixtures/hostile'), hostile, { recursive: true });
  // A directory and files whose names are themselves hostile.
  const directory = path.join(hostile, 'dir\n::error file=evil.tf::dir-name\u001b[2J\u202e');
  mkdirSync(directory);
  writeFileSync(
    path.join(directory, 'main.tf'),
    'resource "aws_api_gateway_rest_api" "dir" {\n  name = "dir-api"\n  body = jsonencode({ openapi = "3.0.1", info = { title = "t", version = "1" }, paths = { "/dir" = { get = {} } } })\n}\n',
  );
  writeFileSync(path.join(hostile, 'broken\n::error file=evil.tf::file-name\u001b[2J\u202e\r.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Broken: [\u001b[2J\u202e\n    Type: AWS::ApiGateway::RestApi\n');
  // An APIOps API folder whose name is hostile: the extractor names folders after the API.
  renameSync(path.join(hostile, 'apiops/apis/orders'), path.join(hostile, 'apiops/apis/evil\n::error file=evil.tf::apiops-folder\u001b[2J\u202e'));
  renameSync(path.join(hostile, 'plan/plan.json'), path.join(hostile, 'plan/plan\n::error file=evil.tf::plan-file\u001b[2J\u202e.json'));
  // gatewarden reads no environment variable during a scan; a secret there must stay there all the same.
  process.env.GATEWARDEN_CANARY = ENV_SECRET;
  process.env.TF_VAR_passed_key = ENV_SECRET;
});

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  rmSync(root, { recursive: true, force: true });
});

const ALL_FORMATS = ['--format', 'text', '--format', 'json:out/report.json', '--format', 'sarif:out/report.sarif', '--format', 'junit:out/junit.xml', '--format', 'markdown:out/comment.md', '--format', 'github:out/annotations.txt', '--format', 'gitlab-sast:out/gl-sast.json'];

describe('output of a scan of hostile input', () => {
  let result: Run;
  let report: ScanReport;
  const file = (name: string): string => result.files.get(name)!;

  beforeAll(async () => {
    result = await run(['scan', 'hostile', '--policies', 'hostile/custom-policies', ...ALL_FORMATS, '--var', `passed_key=${VAR_SECRET}`]);
    report = JSON.parse(file('report.json')) as ScanReport;
  });

  it('scanned every input format and wrote every output', () => {
    // Every format of the registry is rendered here: a new one is held to the canaries too.
    expect(ALL_FORMATS.filter((_, index) => index % 2 === 1).map((entry) => entry.split(':')[0]).sort()).toEqual([...REPORT_FORMATS].sort());
    expect(result.code).toBe(2);
    expect([...result.files.keys()].sort()).toEqual(['annotations.txt', 'comment.md', 'gl-sast.json', 'junit.xml', 'report.json', 'report.sarif']);
    const formats = new Set(report.findings.map((finding) => finding.origin.format));
    expect([...formats].sort()).toEqual(expect.arrayContaining(['apiops', 'arm', 'cloudformation', 'openapi', 'terraform']));
    // The APIOps named value (secret: false) and the backend with a password in its URL are reported, by location only.
    expect(report.findings.filter((finding) => finding.origin.format === 'apiops' && ['no-static-api-keys', 'backend-entity-https'].includes(finding.policyId)).map((finding) => `${finding.policyId} ${finding.location.file}:${finding.location.startLine}`).sort()).toEqual([
      'backend-entity-https hostile/apiops/backends/legacy/backendInformation.json:3',
      'no-static-api-keys hostile/apiops/named values/partner-key/namedValueInformation.json:5',
    ]);
    expect(report.findings.filter((finding) => finding.policyId === 'no-static-api-keys').length).toBeGreaterThanOrEqual(9);
    expect(report.diagnostics.some((diagnostic) => diagnostic.code === 'parse-error' && diagnostic.location?.file.includes('file-name'))).toBe(true);
  });

  it('keeps the exact values in the JSON report, with the raw controls JSON allows written as \\u escapes', () => {
    expect(report.findings.some((finding) => finding.message.includes('rest-api-name\u001b[31m\u009b2J\u202e\u2066\u007f\r'))).toBe(true);
    for (const name of ['report.json', 'report.sarif', 'gl-sast.json']) {
      expect(file(name)).not.toMatch(RAW_CONTROL);
      expect(() => JSON.parse(file(name))).not.toThrow();
    }
    expect(file('report.json')).toContain('rest-api-name\\u001b[31m\\u009b2J\\u202e\\u2066\\u007f\\r');
  });

  it('shows control characters as escapes in the SARIF and GitLab texts meant for people', () => {
    const sarif = JSON.parse(file('report.sarif'));
    const [sarifRun] = sarif.runs;
    const texts: string[] = [
      ...sarifRun.results.map((result: { message: { text: string } }) => result.message.text),
      ...sarifRun.invocations[0].toolExecutionNotifications.map((notification: { message: { text: string } }) => notification.message.text),
    ];
    for (const text of texts) expect(text).not.toMatch(/[\n]|[^\P{Cc}]|[\u202a-\u202e\u2066-\u2069]/u);
    expect(texts.some((text) => text.includes(escaped('terraform')))).toBe(true);
    const gitlab = JSON.parse(file('gl-sast.json'));
    for (const vulnerability of gitlab.vulnerabilities) {
      expect(vulnerability.name).not.toMatch(RAW_CONTROL);
      expect(vulnerability.description).not.toMatch(RAW_CONTROL);
    }
    expect(gitlab.vulnerabilities.some((vulnerability: { description: string }) => vulnerability.description.includes(escaped('terraform')))).toBe(true);
    for (const message of gitlab.scan.messages) expect(message.value).not.toMatch(/[\n]|[^\P{Cc}]/u);
  });

  it('never contains a secret value: in no output, file or log line', () => {
    for (const text of [result.stdout, result.stderr, ...result.files.values()]) expect(text).not.toContain(CANARY);
  });

  it.each([
    ['text', (): string => result.stdout],
    ['junit', (): string => file('junit.xml')],
    ['markdown', (): string => file('comment.md')],
    ['github', (): string => file('annotations.txt')],
  ])('shows every control character of the input escaped in %s output', (format, output) => {
    expect(output()).not.toMatch(RAW_CONTROL);
    const shown = (marker: Marker): boolean => escapedForms(marker, format).some((form) => output().includes(form));
    const expected = (Object.keys(MARKERS) as Marker[]).filter((marker) => format !== 'github' || !SUPPRESSED_ONLY.includes(marker));
    expect(expected.filter((marker) => !shown(marker))).toEqual([]);
  });

  it.each([
    ['text', (): string => result.stdout],
    ['junit', (): string => file('junit.xml')],
    ['markdown', (): string => file('comment.md')],
    ['stderr', (): string => result.stderr],
  ])('starts no workflow command in %s output', (_, output) => {
    expect(output().length).toBeGreaterThan(0);
    expect(commandLines(output())).toEqual([]);
  });

  it('writes one GitHub command per finding, diagnostic and undecided check, and nothing else', () => {
    const lines = file('annotations.txt').trimEnd().split('\n');
    const active = report.findings.filter((finding) => !finding.suppressed && !finding.baselined).length;
    const diagnostics = report.diagnostics.filter((diagnostic) => diagnostic.severity !== 'info').length;
    expect(lines).toHaveLength(active + diagnostics + report.unevaluated.length + 1);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice)( [a-zA-Z]+=[^,:]*(,[a-zA-Z]+=[^,:]*)*)?::/);
    expect(lines.filter((line) => line.includes('file=hostile/dir\\n%3A%3Aerror file=evil.tf%3A%3Adir-name\\u001b[2J\\u202e/main.tf')).length).toBeGreaterThan(0);
  });

  it('keeps Markdown values inside their table cells and code spans, without HTML', () => {
    const markdown = file('comment.md');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && /\| `/.test(line));
    expect(rows.length).toBeGreaterThan(5);
    // Four cells: a `|` from a value is escaped, as GitHub splits cells on every other `|`.
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(4);
    expect(markdown).not.toMatch(/<(?!\/?(details|summary|br|sub)>)/);
  });

  it('writes JUnit XML that the schema accepts', async () => {
    const xsd = readFileSync(path.join(repo, 'test/fixtures/schemas/junit-jenkins.xsd'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: file('junit.xml') }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
    expect(validation.errors.map((error) => error.rawMessage)).toEqual([]);
  });

  it('writes SARIF that the schema accepts', () => {
    const schema = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new ajvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false }).compile(schema);
    expect(validate(JSON.parse(file('report.sarif')))).toBe(true);
  });
});

describe('gatewarden policies', () => {
  it.each([
    ['list', ['policies', 'list', '--policies', 'hostile/custom-policies']],
    ['show', ['policies', 'show', 'evil-policy', '--policies', 'hostile/custom-policies']],
  ])('escapes the texts of a policy from --policies (%s)', async (_, argv) => {
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    expect(stdout).toContain(escaped('policyTitle'));
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(commandLines(stdout)).toEqual([]);
  });
});

describe('on a terminal', () => {
  it('escapes values in coloured text and in the progress line, keeping only its own escape sequences', async () => {
    const { stdout, stderr } = await run(['scan', 'hostile', '--var', `passed_key=${VAR_SECRET}`], true);
    // gatewarden's own: SGR colours on stdout, "erase line, carriage return" before each progress message.
    const own = /\u001b\[(?:0|1|2|33|36|1;31|1;35)m|\u001b\[2K\r/g;
    expect(stdout).toMatch(own);
    expect(stderr).toContain('plan\\n::error file=evil.tf::plan-file\\u001b[2J\\u202e.json');
    for (const text of [stdout, stderr]) {
      expect(text.replace(own, '')).not.toMatch(RAW_CONTROL);
      expect(commandLines(text)).toEqual([]);
      expect(text).not.toContain(CANARY);
    }
    expect(stdout).toContain(escaped('terraform'));
  });
});

describe('error messages on standard error', () => {
  const HOSTILE = 'x\n::error file=evil.tf::argument\u001b[2J\u202e\r';
  const SHOWN = 'x\\n::error file=evil.tf::argument\\u001b[2J\\u202e\\r';
  // `--format` splits at a colon and options at `=`: these keep their line break and escapes only.
  const SHORT = 'y\n\u001b[2J\u202e\r';
  const SHORT_SHOWN = 'y\\n\\u001b[2J\\u202e\\r';

  it.each([
    ['a path that does not exist', ['scan', `hostile/${HOSTILE}`], SHOWN],
    ['an unknown format', ['scan', 'hostile', '--format', SHORT], SHORT_SHOWN],
    ['a bad --fail-on', ['scan', 'hostile', '--fail-on', HOSTILE], SHOWN],
    ['an unknown option', ['scan', 'hostile', `--${SHORT}`], SHORT_SHOWN],
    ['an unknown command', [HOSTILE], SHOWN],
  ])('escape the input they quote: %s', async (_, argv, shown) => {
    const { code, stdout, stderr } = await run([...argv, '--var', `passed_key=${VAR_SECRET}`]);
    expect(code).toBe(2);
    expect(stderr).toContain(shown);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(commandLines(stderr)).toEqual([]);
    for (const text of [stdout, stderr]) expect(text).not.toContain(CANARY);
  });

  it('escape the message of an unexpected error and keep the frames of its stack', async () => {
    let stderr = '';
    const io: CliIo = {
      stdout: {
        write: () => {
          throw new Error(HOSTILE);
        },
      },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      cwd: root,
      env: {},
    };
    expect(await cli(['scan', 'hostile/openapi'], io)).toBe(2);
    expect(stderr).toContain(`Error: ${SHOWN}\n    at `);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(commandLines(stderr)).toEqual([]);
  });

  it('escape a config file problem, and list several problems one per line', async () => {
    const config = path.join(root, 'hostile-config.yaml');
    writeFileSync(config, `"${'key\\n::error file=evil.tf::config-key\\e[2J\\u202e'}": 1\n`);
    const one = await run(['scan', 'hostile', '--config', 'hostile-config.yaml']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('key\\n::error file=evil.tf::config-key\\u001b[2J\\u202e');
    expect(one.stderr).not.toMatch(RAW_CONTROL);
    expect(commandLines(one.stderr)).toEqual([]);

    writeFileSync(config, `"${'first\\n::error::one\\e[2J'}": 1\n"${'second\\n::error::two\\u202e'}": 2\nvars:\n  key: ${CANARY}ConfigProblem0001\n  other: [1]\n`);
    const several = await run(['scan', 'hostile', '--config', 'hostile-config.yaml']);
    expect(several.code).toBe(2);
    const lines = several.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^gatewarden: hostile-config\.yaml has \d problems:$/);
    expect(lines.slice(1).every((line) => line.startsWith('  hostile-config.yaml:'))).toBe(true);
    expect(several.stderr).toContain('first\\n::error::one\\u001b[2J');
    expect(several.stderr).toContain('second\\n::error::two\\u202e');
    expect(several.stderr).not.toMatch(RAW_CONTROL);
    expect(commandLines(several.stderr)).toEqual([]);
    expect(several.stderr).not.toContain(CANARY);
  });
});

describe('URLs that carry credentials', () => {
  const service = `resource "azurerm_api_management" "apim" {
  name                = "apim"
  location            = "westeurope"
  resource_group_name = "rg"
  publisher_name      = "p"
  publisher_email     = "p@example.com"
  sku_name            = "Developer_1"
}
resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  resource_group_name = "rg"
  api_management_name = azurerm_api_management.apim.name
  revision            = "1"
  display_name        = "Orders"
  path                = "orders"
  protocols           = ["https"]
  service_url         = "http://svc:${CANARY}ServiceUrlPw01@orders.example.com"
}
resource "azurerm_api_management_backend" "legacy" {
  name                = "legacy"
  resource_group_name = "rg"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "http://admin:${CANARY}BackendPw0001@legacy.example.com"
}
`;

  it('never show a backend password, nor a policy link SAS token or password: in no output format', async () => {
    const dir = workspace({
      'main.tf': `${service}resource "azurerm_api_management_api_policy" "orders" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.apim.name
  resource_group_name = "rg"
  xml_link            = "https://u:${CANARY}LinkPw0001@acct.blob.core.windows.net/policies/orders.xml?sv=2022-11-02&sig=${CANARY}Sas00001"
}
`,
    });
    mkdirSync(path.join(dir, 'out'));
    const result = await scanAllFormats(['main.tf'], dir, path.join(dir, 'out'));
    expect(everything(result)).not.toContain(CANARY);
    const report = JSON.parse(result.files['report.json']!) as ScanReport;
    // Still reported, by where the URL is written; the link is named without its credentials and query.
    expect(report.findings.filter((f) => f.policyId === 'backend-https' || f.policyId === 'backend-entity-https').map((f) => `${f.policyId} ${f.location.file}:${f.location.startLine}`).sort()).toEqual([
      'backend-entity-https main.tf:24',
      'backend-https main.tf:17',
    ]);
    expect(report.diagnostics.map((d) => d.message)).toContain(
      'the policy of API orders is linked (https://acct.blob.core.windows.net/policies/orders.xml?[redacted]), so gatewarden cannot read it; what it enforces is unknown. Put the XML in the configuration (xml_content, format rawxml) to have it checked',
    );
  });
});
