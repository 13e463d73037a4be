import { parseArgs } from 'node:util';
import { GatewardenError } from '../errors.js';
import type { ExitCode, FailOn } from '../report.js';
import { version } from '../version.js';
import { HELP, SCAN_HELP } from './help.js';

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
      io.stdout.write(rest[0] === 'scan' ? SCAN_HELP : HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'scan') return await scanCommand(rest, io);
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

  const { REPORTERS } = await import('../reporters/index.js');
  const { exitCodeFor } = await import('../report.js');
  const toFile = values.output !== undefined;
  const color = !toFile && Boolean(io.stdout.isTTY) && !values['no-color'] && io.env.NO_COLOR === undefined;
  const rendered = REPORTERS[format](report, { color });
  if (toFile) {
    const { writeFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    try {
      await writeFile(resolve(io.cwd, values.output!), rendered);
    } catch (error) {
      throw new GatewardenError('output', `cannot write ${values.output}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { summary } = report;
    io.stderr.write(`gatewarden: wrote ${format} report to ${values.output} (${summary.findings.total} findings, ${summary.unevaluated} unknown, ${summary.errors} errors)\n`);
  } else {
    io.stdout.write(rendered);
  }
  return exitCodeFor(report, failOn);
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
