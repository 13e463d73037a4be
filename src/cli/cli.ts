import { joinWithAnd } from '../arrays.js';
import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import type { LoadedConfig } from '../config/load.js';
import type { OutputTarget } from './outputs.js';
import type { ExitCode, FailOn, ScanReport } from '../report/report.js';
import { version } from '../version.js';
import { HELP, SCAN_HELP } from './help.js';
import type { CliIo } from './io.js';
import { FAIL_ON_VALUES } from '../model/findings.js';
import { withSuggestion } from '../suggest.js';
import { assignments, limitOptions } from './assignments.js';
import { AUDIT_OPTIONS, DEFAULT_FAIL_ON, SCAN_OPTIONS } from './command-options.js';
import { parseCommandLine, type OptionValues } from './options.js';
import type { HistoryCommand, HistoryStore } from '../history/model.js';
import { readConfig } from './config-file.js';
import { packsOption } from './pack-option.js';

export type { CliIo } from './io.js';

/** What may follow `gatewarden`, for the suggestion on a mistyped command. */
const COMMANDS = ['scan', 'audit', 'report', 'policies', 'help', '--help', '--version'] as const;

/**
 * Runs gatewarden with command-line arguments (without `node` and the script) and returns the exit
 * code: 0 clean, 1 findings at or above `--fail-on`, 2 usage error or incomplete scan.
 * Nothing heavy is imported until a command needs it, so `--help` and `--version` stay fast.
 */
export async function cli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stdout.write(HELP);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      // `help audit aws` (or `--help audit aws`) is `audit aws --help`: each command prints its own.
      if (rest[0] !== undefined && !rest[0].startsWith('-')) return await cli([...rest, '--help'], io);
      io.stdout.write(HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'scan') return await scanCommand(rest, io);
    if (command === 'audit') return await auditCommand(rest, io);
    if (command === 'report') return await (await import('./report-command.js')).reportCommand(rest, io);
    if (command === 'policies') return await (await import('./policies-command.js')).policiesCommand(rest, io);
    throw new GatewardenError('usage', withSuggestion(`unknown command "${command}"`, command, COMMANDS, 'run "gatewarden --help" to see the commands'));
  } catch (error) {
    if (error instanceof GatewardenError) {
      io.stderr.write(`${errorLines(error)}\n`);
      return 2;
    }
    io.stderr.write(`gatewarden: internal error, please report it with this output:\n${internalErrorDetail(error)}\n`);
    return 2;
  }
}

/**
 * An error as it goes to standard error. Messages quote file names, options and config values, which
 * may hold control characters (a newline and `::error::` would be a workflow command in a GitHub
 * log): each line is escaped, and the only line breaks are those between the listed problems.
 */
function errorLines(error: GatewardenError): string {
  return [`gatewarden: ${escapeControl(error.summary)}`, ...error.details.map((line) => `  ${escapeControl(line)}`)].join('\n');
}

/**
 * An unexpected error with its stack. The message may quote the input, so it is escaped; the frames
 * after it (`    at file:line`) keep their lines. A stack that does not start with the message is
 * escaped whole, on one line: its line breaks cannot be told apart from the message's.
 */
function internalErrorDetail(error: unknown): string {
  if (!(error instanceof Error)) return escapeControl(String(error));
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack ?? head;
  if (!stack.startsWith(head)) return escapeControl(stack);
  const [rest = '', ...frames] = stack.slice(head.length).split('\n');
  return [escapeControl(head + rest), ...frames.map(escapeControl)].join('\n');
}

async function scanCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine({ command: 'scan', options: SCAN_OPTIONS, positionals: true }, argv);
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  const { parseOutputs } = await import('./outputs.js');
  const outputs = parseOutputs(values.format, values.output);
  const vars = assignments('--var', values.var);
  const parameters = assignments('--parameter', values.parameter);
  const limits = await limitOptions(values.limit);
  packsOption(values.pack);
  const targets = positionals.length > 0 ? positionals : ['.'];
  const config = await readConfig(values.config, targets, io);
  const failOn = failOnOf(values['fail-on'], config?.config.failOn);
  const history = await openHistory(values, config, 'scan', io);
  try {
    return await scanAndFinish(values, positionals, { vars, parameters, limits, config, failOn, outputs, history }, io);
  } finally {
    await history?.store.close();
  }
}

/** The scan itself, once its options are read and the history (if any) is open. */
async function scanAndFinish(
  values: OptionValues<typeof SCAN_OPTIONS>,
  positionals: readonly string[],
  read: {
    readonly vars: Awaited<ReturnType<typeof assignments>>;
    readonly parameters: Awaited<ReturnType<typeof assignments>>;
    readonly limits: Awaited<ReturnType<typeof limitOptions>>;
    readonly config: LoadedConfig | undefined;
    readonly failOn: FailOn;
    readonly outputs: readonly OutputTarget[];
    readonly history: RunHistory | undefined;
  },
  io: CliIo,
): Promise<ExitCode> {
  const { vars, parameters, limits, config, failOn, outputs, history } = read;
  const progress = progressOf(io);
  const { scan } = await import('../pipeline/scan.js');
  const report = await scan({
    paths: positionals,
    cwd: io.cwd,
    vars,
    ...(values['var-file'] ? { varFiles: values['var-file'] } : {}),
    ...(values.policies ? { policyDirs: values.policies } : {}),
    ...(values.framework !== undefined ? { framework: values.framework } : {}),
    ...packsOption(values.pack),
    ...(values['source-dir'] ? { sourceDir: values['source-dir'] } : {}),
    parameters,
    ...(values['parameter-file'] ? { parameterFiles: values['parameter-file'] } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
    ...(values['allow-read'] ? { allowRead: await allowedDirectories(values['allow-read'], io.cwd) } : {}),
    limits,
    ...baselineOptions(values, config),
    ...(progress ? { onProgress: progress } : {}),
  });
  return finish(report, { outputs, failOn, values, ...(history ? { history } : {}) }, io);
}

/** The history a run records into, opened before the run, and how the run is recorded. */
interface RunHistory {
  readonly store: HistoryStore;
  /** As the user gave it, for messages, without a PostgreSQL URL's password. */
  readonly shown: string;
  readonly command: HistoryCommand;
  readonly runId?: string;
}

/**
 * Opens the history of `--history` (else `history:` of the config file) before the run starts, so
 * that a database that cannot be opened stops the run at once rather than after a long audit.
 */
async function openHistory(
  values: { readonly history?: string; readonly 'run-id'?: string },
  config: LoadedConfig | undefined,
  command: HistoryCommand,
  io: CliIo,
): Promise<RunHistory | undefined> {
  const location = values.history ?? config?.config.history;
  const runId = values['run-id'];
  if (runId !== undefined) {
    if (location === undefined) throw new GatewardenError('usage', '--run-id names a run of the history: give --history DB too (or history: in the config file)');
    if (runId.trim() === '' || runId.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(runId)) throw new GatewardenError('usage', '--run-id needs a name of 1 to 200 printable characters, e.g. --run-id nightly-2026-12-06');
  }
  if (location === undefined) return undefined;
  const { openHistoryStore } = await import('../history/open.js');
  const { shownHistoryLocation } = await import('../history/location.js');
  const store = await openHistoryStore(location, io.cwd);
  return { store, shown: shownHistoryLocation(values.history ?? location), command, ...(runId !== undefined ? { runId } : {}) };
}

/**
 * Records a finished report. It never changes the report or the exit code; a database that fails
 * while writing is an error (exit 2), as an output file that cannot be written is.
 */
async function recordRun(report: ScanReport, history: RunHistory, io: CliIo): Promise<void> {
  const { historyShardOf } = await import('../history/record.js');
  const shard = historyShardOf(report, { command: history.command, ...(history.runId !== undefined ? { runId: history.runId } : {}) });
  try {
    await history.store.record(shard);
  } catch (error) {
    throw new GatewardenError('output', `cannot record the run in the history database ${history.shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  io.stderr.write(`gatewarden: recorded run ${escapeControl(shard.runId)} in ${escapeControl(history.shown)} (${shard.findings.length} results)\n`);
}

/** A progress line on a terminal; nothing in a CI log. The message names files, so it is escaped. */
function progressOf(io: CliIo): ((message: string) => void) | undefined {
  return io.stderr.isTTY ? (message: string) => void io.stderr.write(`\u001b[2K\rgatewarden: ${escapeControl(message)}…`) : undefined;
}

/**
 * The baseline and config options of a scan or audit. Creating a baseline records every finding: an
 * older baseline (given or in the config file) must not hide some of them.
 */
function baselineOptions(values: { readonly baseline?: string; readonly 'create-baseline'?: string }, config: LoadedConfig | undefined): { baseline?: string; config?: LoadedConfig } {
  const creating = values['create-baseline'] !== undefined;
  const withoutBaseline = (loaded: LoadedConfig): LoadedConfig => {
    const { baseline: _ignored, ...rest } = loaded.config;
    return { ...loaded, config: rest };
  };
  return {
    ...(values.baseline !== undefined && !creating ? { baseline: values.baseline } : {}),
    ...(config ? { config: creating ? withoutBaseline(config) : config } : {}),
  };
}

/** Clears the progress line, writes the outputs and the baseline, and gives the exit code. */
async function finish(
  report: ScanReport,
  options: {
    readonly outputs: readonly OutputTarget[];
    readonly failOn: FailOn;
    readonly values: { readonly 'no-color': boolean; readonly 'create-baseline'?: string };
    readonly history?: RunHistory;
  },
  io: CliIo,
): Promise<ExitCode> {
  if (io.stderr.isTTY) io.stderr.write('\u001b[2K\r');
  const { writeOutputs } = await import('./outputs.js');
  await writeOutputs(report, options.outputs, io, { noColor: options.values['no-color'] });
  if (options.history) await recordRun(report, options.history, io);
  if (options.values['create-baseline'] !== undefined) return writeBaseline(report, options.values['create-baseline'], io);
  const { exitCodeFor } = await import('../report/report.js');
  return exitCodeFor(report, options.failOn);
}

/** `--fail-on` wins over the config file's `fail-on`; `low` when neither says. */
function failOnOf(flag: string | undefined, fromConfig: FailOn | undefined): FailOn {
  if (flag === undefined) return fromConfig ?? DEFAULT_FAIL_ON;
  if (!FAIL_ON_VALUES.includes(flag as FailOn)) throw new GatewardenError('usage', `--fail-on must be one of ${FAIL_ON_VALUES.join(', ')}, not "${flag}"`);
  return flag as FailOn;
}

/**
 * Writes `--create-baseline`. Exits 0 (findings recorded are accepted, that is the point), or 2 when
 * the scan was incomplete: a baseline of a scan that could not read everything would be missing findings.
 */
async function writeBaseline(report: ScanReport, file: string, io: CliIo): Promise<ExitCode> {
  const { createBaseline, renderBaseline } = await import('../report/baseline.js');
  const { writeFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const baseline = createBaseline(report.findings);
  try {
    await writeFile(resolve(io.cwd, file), renderBaseline(baseline));
  } catch (error) {
    throw new GatewardenError('output', `cannot write the baseline ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shown = escapeControl(file);
  io.stderr.write(`gatewarden: wrote a baseline of ${baseline.findings.length} findings to ${shown}; scan with --baseline ${shown} (or baseline: in .gatewarden.yaml) to report only new findings\n`);
  if (report.summary.incomplete) {
    io.stderr.write('gatewarden: the scan was incomplete (see the diagnostics): findings in what could not be read are not in the baseline\n');
    return 2;
  }
  return 0;
}

async function auditCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [provider, ...rest] = argv;
  if (provider === undefined || provider === '--help' || provider === '-h') {
    io.stdout.write((await import('./audit-help.js')).AUDIT_HELP);
    return provider === undefined ? 2 : 0;
  }
  // The registry's descriptors are light: no cloud SDK is loaded before the audit starts.
  const { LIVE_AUDITORS, isLiveProviderName } = await import('../../providers/live.js');
  const names = Object.keys(LIVE_AUDITORS);
  if (!isLiveProviderName(provider)) {
    throw new GatewardenError('usage', withSuggestion(`gatewarden audit reads ${joinWithAnd(names)} accounts, not "${provider}"`, provider, names, 'run "gatewarden audit --help"'));
  }
  const auditor = LIVE_AUDITORS[provider];
  // The provider's own options first, as its help lists them.
  const parsed = parseCommandLine({ command: `audit ${provider}`, options: [...auditor.options, ...AUDIT_OPTIONS], positionals: false }, rest);
  // The shared options are typed by name; the provider's are its own to read (parseOptions).
  const values = parsed.values as unknown as OptionValues<typeof AUDIT_OPTIONS>;
  if (values.help) {
    io.stdout.write((await import('./audit-help.js')).auditProviderHelp(auditor));
    return 0;
  }
  const { parseOutputs } = await import('./outputs.js');
  const outputs = parseOutputs(values.format, values.output);
  const config = await readConfig(values.config, ['.'], io);
  const failOn = failOnOf(values['fail-on'], config?.config.failOn);
  const limits = await limitOptions(values.limit);
  packsOption(values.pack);
  const providerOptions = auditor.parseOptions(parsed.values);
  const timeoutMs = values.timeout !== undefined ? durationOption('--timeout', values.timeout) : undefined;
  const history = await openHistory(values, config, `audit ${provider}`, io);

  const progress = progressOf(io);
  const { audit } = await import('../pipeline/audit.js');
  // Ctrl-C stops the audit, which then reports what it finished; the listener stays until the
  // outputs are written, so that a second Ctrl-C is the one that ends the process at once.
  const interrupt = new AbortController();
  const unsubscribe = io.onInterrupt?.(() => {
    if (!interrupt.signal.aborted) io.stderr.write(`${io.stderr.isTTY ? '\u001b[2K\r' : ''}gatewarden: interrupted: stopping the audit and writing what it has read (Ctrl-C again to quit at once)\n`);
    interrupt.abort();
  });
  try {
    const { report, stopped } = await audit(provider, {
      cwd: io.cwd,
      ...providerOptions,
      ...(values.policies ? { policyDirs: values.policies } : {}),
      ...(values.framework !== undefined ? { framework: values.framework } : {}),
      ...packsOption(values.pack),
      limits,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      signal: interrupt.signal,
      ...baselineOptions(values, config),
      ...(progress ? { onProgress: progress } : {}),
    });
    const code = await finish(report, { outputs, failOn, values, ...(history ? { history } : {}) }, io);
    // 128 + SIGINT, as a shell reports a command that Ctrl-C ended: a CI step sees it was cut short.
    return stopped === 'interrupted' ? 130 : code;
  } finally {
    unsubscribe?.();
    await history?.store.close();
  }
}

/**
 * Reads a duration: a number with a unit, `500ms`, `30s`, `10m`, `1h`, or seconds alone (`90`),
 * as `timeout(1)` reads them.
 */
function durationOption(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/i.exec(text.trim());
  const scale: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
  const value = match ? Math.round(Number(match[1]) * scale[(match[2] ?? 's').toLowerCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new GatewardenError('usage', `${option} needs a duration such as 30s, 10m or 1h, not "${text}"`);
  return value;
}

/** The `--allow-read` directories, each of which must be one: a mistyped path would silently allow nothing. */
async function allowedDirectories(given: readonly string[], cwd: string): Promise<string[]> {
  const { statSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  for (const dir of given) {
    let isDirectory = false;
    try {
      isDirectory = statSync(resolve(cwd, dir)).isDirectory();
    } catch {
      throw new GatewardenError('usage', `--allow-read ${dir}: no such directory (the path is relative to the current directory)`);
    }
    if (!isDirectory) throw new GatewardenError('usage', `--allow-read ${dir}: not a directory; name the directory that holds the files to allow`);
  }
  return [...given];
}

/** Entry point of the `gatewarden` binary. */
export async function runFromProcess(): Promise<number> {
  return cli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    onInterrupt: (listener) => {
      let presses = 0;
      const onSigint = (): void => {
        // The first Ctrl-C asks the command to stop and report; a second one is impatience: obey it.
        if (++presses > 1) process.exit(130);
        listener();
      };
      process.on('SIGINT', onSigint);
      return () => process.off('SIGINT', onSigint);
    },
  });
}
