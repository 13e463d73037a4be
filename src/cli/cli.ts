import { parseArgs } from 'node:util';
import { GatewardenError } from '../errors.js';
import type { ExitCode, FailOn, ScanReport } from '../report.js';
import { version } from '../version.js';
import { AUDIT_HELP, HELP, SCAN_HELP } from './help.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const FAIL_ON: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'info', 'never'];
const FORMATS = ['text', 'json'] as const;

/**
 * Runs gatewarden with command-line arguments (without `node` and the script) and returns the exit
 * code: 0 clean, 1 findings at or above `--fail-on`, 2 usage error or incomplete scan.
 * Nothing heavy is imported until a command needs it, so `--help` and `--version` stay fast.
 */
export async function cli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(rest[0] === 'scan' ? SCAN_HELP : rest[0] === 'audit' ? AUDIT_HELP : HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'scan') return await scanCommand(rest, io);
    if (command === 'audit') return await auditCommand(rest, io);
    throw new GatewardenError('usage', `unknown command "${command}"; run "gatewarden --help" to see the commands`);
  } catch (error) {
    if (error instanceof GatewardenError) {
      io.stderr.write(`gatewarden: ${error.message}\n`);
      return 2;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`gatewarden: internal error, please report it with this output:\n${detail}\n`);
    return 2;
  }
}

async function scanCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string', default: 'low' },
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
        policies: { type: 'string', multiple: true },
        'source-dir': { type: 'string' },
        parameter: { type: 'string', multiple: true },
        'parameter-file': { type: 'string', multiple: true },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new GatewardenError('usage', `${error instanceof Error ? error.message : String(error)}; run "gatewarden scan --help"`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new GatewardenError('usage', `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = values['fail-on'] as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new GatewardenError('usage', `--fail-on must be one of ${FAIL_ON.join(', ')}, not "${values['fail-on']}"`);
  const vars = assignments('--var', values.var);
  const parameters = assignments('--parameter', values.parameter);

  const progress = io.stderr.isTTY ? (message: string) => io.stderr.write(`\u001b[2K\rgatewarden: ${message}…`) : undefined;
  // Start the HCL parser thread first: its WASM start-up then overlaps with loading the scanner.
  (await import('../sources/terraform/hcl-parser.js')).warmUpHclParser();
  const { scan } = await import('../scan.js');
  const report = await scan({
    paths: positionals,
    cwd: io.cwd,
    vars,
    ...(values['var-file'] ? { varFiles: values['var-file'] } : {}),
    ...(values.policies ? { policyDirs: values.policies } : {}),
    ...(values['source-dir'] ? { sourceDir: values['source-dir'] } : {}),
    parameters,
    ...(values['parameter-file'] ? { parameterFiles: values['parameter-file'] } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) io.stderr.write('\u001b[2K\r');
  return writeReport(report, { format, failOn, output: values.output, noColor: values['no-color'] }, io);
}

/** Renders a report to standard output or `--output`, and returns the exit code for `--fail-on`. */
async function writeReport(report: ScanReport, options: { format: (typeof FORMATS)[number]; failOn: FailOn; output: string | undefined; noColor: boolean }, io: CliIo): Promise<ExitCode> {
  const { format, failOn, output } = options;
  const { REPORTERS } = await import('../reporters/index.js');
  const { exitCodeFor } = await import('../report.js');
  const toFile = output !== undefined;
  const color = !toFile && Boolean(io.stdout.isTTY) && !options.noColor && io.env.NO_COLOR === undefined;
  const rendered = REPORTERS[format](report, { color });
  if (toFile) {
    const { writeFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    try {
      await writeFile(resolve(io.cwd, output), rendered);
    } catch (error) {
      throw new GatewardenError('output', `cannot write ${output}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { summary } = report;
    io.stderr.write(`gatewarden: wrote ${format} report to ${output} (${summary.findings.total} findings, ${summary.unevaluated} unknown, ${summary.errors} errors)\n`);
  } else {
    io.stdout.write(rendered);
  }
  return exitCodeFor(report, failOn);
}

const AUDIT_PROVIDERS = ['aws'] as const;

async function auditCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [provider, ...rest] = argv;
  if (provider === undefined || provider === '--help' || provider === '-h') {
    io.stdout.write(AUDIT_HELP);
    return provider === undefined ? 2 : 0;
  }
  if (!(AUDIT_PROVIDERS as readonly string[]).includes(provider)) {
    throw new GatewardenError('usage', `gatewarden audit reads ${AUDIT_PROVIDERS.join(', ')} accounts, not "${provider}"; run "gatewarden audit --help"`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: false,
      strict: true,
      options: {
        profile: { type: 'string' },
        'role-arn': { type: 'string' },
        accounts: { type: 'string' },
        regions: { type: 'string' },
        'endpoint-url': { type: 'string' },
        format: { type: 'string', short: 'f', default: 'text' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string', default: 'low' },
        policies: { type: 'string', multiple: true },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new GatewardenError('usage', `${error instanceof Error ? error.message : String(error)}; run "gatewarden audit --help"`);
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(AUDIT_HELP);
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new GatewardenError('usage', `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = values['fail-on'] as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new GatewardenError('usage', `--fail-on must be one of ${FAIL_ON.join(', ')}, not "${values['fail-on']}"`);
  if (values.accounts !== undefined && values['role-arn'] !== undefined) throw new GatewardenError('usage', '--accounts and --role-arn cannot be used together: the accounts file lists the roles');
  const regions = values.regions === undefined || values.regions.trim() === 'all' ? undefined : values.regions.split(',').map((region) => region.trim()).filter(Boolean);
  const bad = regions?.find((region) => !/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region));
  if (bad !== undefined) throw new GatewardenError('usage', `--regions: "${bad}" is not a region name (eu-west-1, us-east-1...), or use --regions all`);

  const progress = io.stderr.isTTY ? (message: string) => io.stderr.write(`\u001b[2K\rgatewarden: ${message}…`) : undefined;
  const { auditAws } = await import('../audit.js');
  const { report } = await auditAws({
    cwd: io.cwd,
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values['role-arn'] !== undefined ? { roleArn: values['role-arn'] } : {}),
    ...(values.accounts !== undefined ? { accountsFile: values.accounts } : {}),
    ...(regions !== undefined ? { regions } : {}),
    ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
    ...(values.policies ? { policyDirs: values.policies } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) io.stderr.write('\u001b[2K\r');
  return writeReport(report, { format, failOn, output: values.output, noColor: values['no-color'] }, io);
}

/** Reads repeated `NAME=VALUE` options. */
function assignments(option: string, given: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const assignment of given ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new GatewardenError('usage', `${option} needs NAME=VALUE, got "${assignment}"`);
    out.set(assignment.slice(0, equals), assignment.slice(equals + 1));
  }
  return out;
}

/** Entry point of the `gatewarden` binary. */
export async function runFromProcess(): Promise<number> {
  return cli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
}
