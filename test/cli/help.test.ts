import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_OPTIONS, SCAN_OPTIONS } from '../../src/cli/command-options.js';
import { LIVE_AUDITORS } from '../../providers/live.js';
import { AUDIT_HELP, auditProviderHelp } from '../../src/cli/audit-help.js';
import { HELP, POLICIES_HELP, POLICIES_LIST_HELP, POLICIES_SHOW_HELP, POLICIES_TEST_HELP, REPORT_HELP, REPORT_MERGE_HELP, REPORT_RECORD_HELP, SCAN_HELP } from '../../src/cli/help.js';
import type { CliOption } from '../../src/cli/options.js';
import { parseOutputs } from '../../src/cli/outputs.js';
import { OUTPUT_FORMAT_REGISTRY, REPORT_FORMATS } from '../../src/reporters/formats.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';

const AWS_AUDIT_HELP = auditProviderHelp(LIVE_AUDITORS.aws);

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(argv: string[]): Promise<CliRun> {
  return runCli(argv, repo);
}

/** The long options an options section names, in order: `--format` of `  -f, --format FORMAT[:FILE]`. */
function optionsIn(help: string): string[] {
  const section = help.slice(help.indexOf('\nOptions'), help.indexOf('\n\n', help.indexOf('\nOptions') + 1));
  return [...section.matchAll(/^ {2}(?:-[a-z], | {4})--([a-z-]+)/gm)].map((match) => match[1]!);
}

/** What each command accepts, written out: a new option must be added here and shows in its help. */
const SHARED = ['format', 'output', 'fail-on', 'config', 'baseline', 'create-baseline', 'history', 'run-id', 'policies', 'pack', 'framework', 'limit', 'no-color', 'help'];
const COMMANDS: ReadonlyArray<{ words: string[]; help: string; options: string[]; flags: string[] }> = [
  {
    words: ['scan'],
    help: SCAN_HELP,
    options: ['format', 'output', 'fail-on', 'config', 'baseline', 'create-baseline', 'history', 'run-id', 'exclude', 'var', 'var-file', 'policies', 'pack', 'framework', 'source-dir', 'parameter', 'parameter-file', 'allow-read', 'limit', 'no-color', 'help'],
    flags: ['no-color', 'help'],
  },
  {
    words: ['audit', 'aws'],
    help: AWS_AUDIT_HELP,
    options: ['profile', 'role-arn', 'accounts', 'regions', 'endpoint-url', 'format', 'output', 'fail-on', 'config', 'baseline', 'create-baseline', 'history', 'run-id', 'policies', 'pack', 'framework', 'limit', 'timeout', 'no-color', 'help'],
    flags: ['no-color', 'help'],
  },
  { words: ['policies', 'list'], help: POLICIES_LIST_HELP, options: ['format', 'policies', 'pack', 'framework', 'limit', 'help'], flags: ['help'] },
  { words: ['policies', 'show'], help: POLICIES_SHOW_HELP, options: ['format', 'policies', 'limit', 'help'], flags: ['help'] },
  { words: ['policies', 'test'], help: POLICIES_TEST_HELP, options: ['format', 'limit', 'help'], flags: ['help'] },
  { words: ['report'], help: REPORT_HELP, options: ['history', 'since', 'format', 'config', 'notify', 'notify-format', 'help'], flags: ['help'] },
  { words: ['report', 'merge'], help: REPORT_MERGE_HELP, options: ['format', 'output', 'help'], flags: ['help'] },
  { words: ['report', 'record'], help: REPORT_RECORD_HELP, options: ['history', 'run-id', 'config', 'help'], flags: ['help'] },
];

describe('the help of each command', () => {
  it.each(COMMANDS.map((command) => [command.words.join(' '), command] as const))('gatewarden %s --help lists exactly the options it accepts', async (_, command) => {
    const result = await run([...command.words, '--help']);
    expect(result).toEqual({ code: 0, stdout: command.help, stderr: '' });
    expect(result.stdout.startsWith(`gatewarden ${command.words.join(' ')} `)).toBe(true);
    expect(optionsIn(result.stdout)).toEqual(command.options);
    // Each option is accepted: parsing succeeds and --help then prints the help instead of running.
    for (const option of command.options) {
      const given = command.flags.includes(option) ? [`--${option}`] : [`--${option}`, 'x'];
      expect(await run([...command.words, ...given, '--help']), `--${option}`).toEqual({ code: 0, stdout: command.help, stderr: '' });
    }
  });

  it.each(COMMANDS.map((command) => [command.words.join(' '), command] as const))('gatewarden %s rejects an option its help does not list', async (_, command) => {
    for (const option of ['timeout', 'exclude', 'profile', 'policies'].filter((name) => !command.options.includes(name))) {
      const result = await run([...command.words, `--${option}`, 'x', '--help']);
      expect(result.code, `--${option}`).toBe(2);
      expect(result.stdout).toBe('');
    }
  });

  it('gatewarden audit --help lists the providers and the options every provider accepts, with Ctrl-C and exit code 130', async () => {
    const result = await run(['audit', '--help']);
    expect(result).toEqual({ code: 0, stdout: AUDIT_HELP, stderr: '' });
    expect(result.stdout).toContain('\n  aws     the REST, HTTP and WebSocket APIs of AWS accounts, through the API Gateway control plane\n');
    expect(optionsIn(result.stdout)).toEqual(['format', 'output', 'fail-on', 'config', 'baseline', 'create-baseline', 'history', 'run-id', 'policies', 'pack', 'framework', 'limit', 'timeout', 'no-color', 'help']);
    expect(result.stdout).toMatch(/--timeout DURATION +stop the audit after DURATION [\s\S]*\(default 30m\)/);
    expect(result.stdout).toContain('Ctrl-C');
    expect(result.stdout).toContain('130');
  });

  it('gatewarden policies --help lists the subcommands and the options of list and show', async () => {
    expect(await run(['policies', '--help'])).toEqual({ code: 0, stdout: POLICIES_HELP, stderr: '' });
    expect(optionsIn(POLICIES_HELP)).toEqual(['format', 'policies', 'pack', 'framework', 'limit', 'help']);
    expect(POLICIES_HELP).toContain('      --policies DIR      list and show: also load the policies in DIR (repeatable)\n');
  });

  it('keeps the wording of the options, one column for descriptions, wrapped at 100 characters', () => {
    expect(SCAN_HELP).toContain(
      [
        '  -o, --output FILE       write the format given without a file to FILE',
        '      --fail-on LEVEL     exit 1 when a finding is at or above LEVEL (default low): critical, high,',
        '                          medium, low, info, or never',
      ].join('\n'),
    );
    expect(SCAN_HELP).toContain('      --parameter NAME=VALUE\n                          a CloudFormation or ARM parameter value (repeatable)\n');
    expect(SCAN_HELP).toContain('  -h, --help              show this help\n\nAccept a finding next to the code');
    expect(AWS_AUDIT_HELP).toContain('      --profile NAME      a profile of ~/.aws/config and ~/.aws/credentials\n');
    expect(POLICIES_TEST_HELP).toContain('  -f, --format FORMAT     text (default) or json\n');
    for (const help of [HELP, SCAN_HELP, AUDIT_HELP, AWS_AUDIT_HELP, POLICIES_LIST_HELP, POLICIES_SHOW_HELP, POLICIES_TEST_HELP]) {
      const options = help.slice(help.indexOf('\nOptions'), help.indexOf('\n\n', help.indexOf('\nOptions') + 1));
      expect(options.split('\n').filter((line) => line.length > 100)).toEqual([]);
    }
  });

  it('declares the options scan and audit share once: the same declaration, only --limit says which limits', () => {
    const byName = (options: readonly CliOption[]) => new Map(options.map((option) => [option.name, option]));
    const scan = byName(SCAN_OPTIONS);
    const audit = byName(AUDIT_OPTIONS);
    for (const name of SHARED) {
      if (name === 'limit') {
        const { description: _scan, ...scanLimit } = scan.get(name)!;
        const { description: _audit, ...auditLimit } = audit.get(name)!;
        expect(scanLimit).toEqual(auditLimit);
      } else {
        expect(scan.get(name), name).toBe(audit.get(name));
      }
    }
    expect(LIVE_AUDITORS.aws.options.map((option) => option.name)).toEqual(['profile', 'role-arn', 'accounts', 'regions', 'endpoint-url']);
  });

  it.each([
    [['help', 'scan'], SCAN_HELP],
    [['help', 'audit'], AUDIT_HELP],
    [['help', 'audit', 'aws'], AWS_AUDIT_HELP],
    [['--help', 'audit', 'aws'], AWS_AUDIT_HELP],
    [['help', 'policies'], POLICIES_HELP],
    [['help', 'policies', 'show'], POLICIES_SHOW_HELP],
    [['audit', 'aws', '-h'], AWS_AUDIT_HELP],
    [['help'], HELP],
    [['help', '--help'], HELP],
  ])('gatewarden %j prints the help of what it names', async (argv, help) => {
    expect(await run(argv)).toEqual({ code: 0, stdout: help, stderr: '' });
  });

  it('names in the main help how to reach the help of a provider and of a policies subcommand', () => {
    expect(HELP).toContain('  gatewarden help audit [PROVIDER]      options of audit, or of one provider: help audit aws\n');
    expect(HELP).toContain('  gatewarden help policies [COMMAND]    options of policies, or of list, show or test\n');
  });
});

describe('did you mean', () => {
  it.each([
    [['scan', '--formt', 'sarif'], 'unknown option "--formt" for scan; did you mean --format? Run "gatewarden scan --help" to see its options'],
    [['scan', '--formt=sarif'], 'unknown option "--formt" for scan; did you mean --format? Run "gatewarden scan --help" to see its options'],
    [['scan', '--fail-of', 'high'], 'unknown option "--fail-of" for scan; did you mean --fail-on? Run "gatewarden scan --help" to see its options'],
    [['scan', '--nocolor'], 'unknown option "--nocolor" for scan; did you mean --no-color? Run "gatewarden scan --help" to see its options'],
    [['scan', '--var-files', 'a.tfvars'], 'unknown option "--var-files" for scan; did you mean --var-file? Run "gatewarden scan --help" to see its options'],
    [['scan', '--timeout', '1m'], 'unknown option "--timeout" for scan; run "gatewarden scan --help" to see its options'],
    [['scan', '-x'], 'unknown option "-x" for scan; run "gatewarden scan --help" to see its options'],
    [['audit', 'aws', '--regoins', 'all'], 'unknown option "--regoins" for audit aws; did you mean --regions? Run "gatewarden audit aws --help" to see its options'],
    [['audit', 'aws', '--role-ar', 'arn'], 'unknown option "--role-ar" for audit aws; did you mean --role-arn? Run "gatewarden audit aws --help" to see its options'],
    [['policies', 'show', '--polices', 'dir', 'x'], 'unknown option "--polices" for policies show; did you mean --policies? Run "gatewarden policies show --help" to see its options'],
    [['policies', 'test', '--policies', 'dir', 'x'], 'policies test takes the policies to test as its argument, not --policies: "gatewarden policies test DIR"'],
    [['scna'], 'unknown command "scna"; did you mean "scan"? Run "gatewarden --help" to see the commands'],
    [['polices', 'list'], 'unknown command "polices"; did you mean "policies"? Run "gatewarden --help" to see the commands'],
    [['--verison'], 'unknown command "--verison"; did you mean "--version"? Run "gatewarden --help" to see the commands'],
    [['help', 'adit'], 'unknown command "adit"; did you mean "audit"? Run "gatewarden --help" to see the commands'],
    [['deploy'], 'unknown command "deploy"; run "gatewarden --help" to see the commands'],
    [['audit', 'asw'], 'gatewarden audit reads aws, azure and gcp accounts, not "asw"; did you mean "aws"? Run "gatewarden audit --help"'],
    [['audit', 'oracle'], 'gatewarden audit reads aws, azure and gcp accounts, not "oracle"; run "gatewarden audit --help"'],
    [['policies', 'lsit'], 'unknown subcommand "policies lsit" (use list, show, test); did you mean "list"? Run "gatewarden policies --help"'],
  ])('gatewarden %j is a usage error that names the closest option or command', async (argv, message) => {
    expect(await run(argv)).toEqual({ code: 2, stdout: '', stderr: `gatewarden: ${message}\n` });
  });

  it('keeps the message of parseArgs for a value that is missing or an argument not taken', async () => {
    expect((await run(['scan', '--format'])).stderr).toBe(`gatewarden: Option '-f, --format <value>' argument missing; run "gatewarden scan --help"\n`);
    expect((await run(['audit', 'aws', 'eu-west-1'])).stderr).toMatch(/^gatewarden: Unexpected argument 'eu-west-1'.*; run "gatewarden audit aws --help"\n$/);
  });
});

describe('the output formats in the help', () => {
  it('lists every format of the registry in the --format help of scan and audit', () => {
    const formatHelp = (help: string): string => {
      const start = help.indexOf('  -f, --format FORMAT[:FILE]');
      return help.slice(start, help.indexOf('\n  -o, --output', start));
    };
    for (const help of [SCAN_HELP, AUDIT_HELP, AWS_AUDIT_HELP]) {
      const text = formatHelp(help).replace(/\s+/g, ' ');
      expect(text).toContain('text (default), json, sarif, junit, markdown, github (workflow annotations) or gitlab-sast;');
      for (const format of REPORT_FORMATS) expect(text, format).toMatch(new RegExp(`[ ,]${format}[ ,;]`));
    }
  });

  it('accepts every format of the registry and no other', () => {
    expect(REPORT_FORMATS).toEqual(OUTPUT_FORMAT_REGISTRY.map((format) => format.name));
    for (const format of REPORT_FORMATS) expect(parseOutputs([`${format}:out.${format}`], undefined)).toEqual([{ format, file: `out.${format}` }]);
    expect(() => parseOutputs(['html'], undefined)).toThrow(`--format: "html" is not a format; use one of ${REPORT_FORMATS.join(', ')}`);
  });

  it('loads the reporter of each format from the registry', async () => {
    for (const format of OUTPUT_FORMAT_REGISTRY) expect(typeof (await format.load()), format.name).toBe('function');
  });
});
