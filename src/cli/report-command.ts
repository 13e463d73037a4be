import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAge } from '../age.js';
import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import type { HistoryFormat } from '../history/formats.js';
import type { ExitCode } from '../report/report.js';
import { readConfig } from './config-file.js';
import { REPORT_HELP } from './help.js';
import type { CliIo } from './io.js';
import type { NotifyTarget } from './notify.js';
import { parseCommandLine } from './options.js';
import { REPORT_OPTIONS } from './command-options.js';

/** One rendering of the nightly report: a format, and its file (standard output when absent). */
interface HistoryOutput {
  readonly format: HistoryFormat;
  readonly file?: string;
}

/**
 * `gatewarden report --history DB [--since AGE] [--format FORMAT[:FILE]]...`: the nightly report over
 * the runs recorded with `--history`. Exits 0 when the report is written, 2 on a usage error or a
 * history that cannot be read; the findings themselves are the recorded runs' exit codes' business.
 */
export async function reportCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (argv[0] === 'merge') return (await import('./report-merge-command.js')).reportMergeCommand(argv.slice(1), io);
  if (argv[0] === 'record') return (await import('./report-record-command.js')).reportRecordCommand(argv.slice(1), io);
  const { values } = parseCommandLine({ command: 'report', options: REPORT_OPTIONS, positionals: false }, argv);
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  const outputs = await historyOutputs(values.format);
  const notify = await notifyTarget(values.notify, values['notify-format']);
  const config = await readConfig(values.config, ['.'], io);
  const location = values.history ?? config?.config.history;
  if (location === undefined) throw new GatewardenError('usage', 'gatewarden report needs the history to read: --history DB (the SQLite file or postgres:// URL scan and audit recorded into with --history), or history: in the config file');
  const now = new Date();
  let since: Date | undefined;
  if (values.since !== undefined) {
    const age = parseAge(values.since);
    if (age === undefined) throw new GatewardenError('usage', `--since needs an age such as 30d, 12w or 48h, not "${values.since}"`);
    since = new Date(now.getTime() - age);
  }
  // Reading must not create an empty database where a path was mistyped.
  if (!/^postgres(ql)?:\/\//i.test(location) && !existsSync(path.resolve(io.cwd, location))) {
    throw new GatewardenError('usage', `no history at ${location}; record runs into it first with gatewarden scan --history ${location} (or audit PROVIDER --history ${location})`);
  }
  const { openHistoryStore } = await import('../history/open.js');
  const { analyseDigest, analyseHistory } = await import('../history/analyse.js');
  const store = await openHistoryStore(location, io.cwd);
  const sla = config?.config.sla;
  const options = { now, ...(since ? { since } : {}), ...(sla ? { sla: Object.fromEntries(sla) } : {}) };
  let report;
  try {
    // A store with a digest answers without loading every finding of every run, nor the runs before
    // the window that its walk state covers: the same report, faster.
    report = store.digest ? analyseDigest(await store.digest(since ? { since: since.toISOString() } : {}), options) : analyseHistory(await store.runs(), options);
  } finally {
    await store.close();
  }
  const { loadHistoryRenderer } = await import('../history/formats.js');
  for (const output of outputs) {
    const rendered = (await loadHistoryRenderer(output.format))(report);
    if (output.file === undefined) {
      io.stdout.write(rendered);
      continue;
    }
    const full = path.resolve(io.cwd, output.file);
    try {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, rendered);
    } catch (error) {
      throw new GatewardenError('output', `cannot write ${output.file}: ${error instanceof Error ? error.message : String(error)}; check the directory exists and is writable`);
    }
    io.stderr.write(`gatewarden: wrote the ${output.format} history report to ${escapeControl(output.file)} (${report.runs} runs, ${report.posture.open} open findings, ${report.pastSla.length} past their SLA)\n`);
  }
  if (notify) await (await import('./notify.js')).notify(report, notify, io);
  return 0;
}

/**
 * Reads `--notify URL` and `--notify-format` before anything is read, so that a mistyped URL stops
 * the command at once. The URL is a credential: messages never quote it.
 */
async function notifyTarget(given: string | undefined, format: string | undefined): Promise<NotifyTarget | undefined> {
  if (given === undefined) {
    if (format !== undefined) throw new GatewardenError('usage', '--notify-format is the format of --notify URL: give --notify too');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new GatewardenError('usage', '--notify needs the full URL of a webhook, https://...; the value given is not a URL (not shown: it may hold a token)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GatewardenError('usage', `--notify needs an http or https URL, not ${url.protocol}//...`);
  const { defaultNotifyFormat, isNotifyFormat, NOTIFY_FORMATS } = await import('../history/notification.js');
  if (format !== undefined && !isNotifyFormat(format)) throw new GatewardenError('usage', `--notify-format must be ${NOTIFY_FORMATS.join(' or ')}, not "${format}"`);
  return { url, format: format ?? defaultNotifyFormat(url) };
}

/** Reads `--format FORMAT[:FILE]` (repeatable); at most one format goes to standard output. */
async function historyOutputs(given: readonly string[] | undefined): Promise<HistoryOutput[]> {
  const { HISTORY_FORMATS, isHistoryFormat } = await import('../history/formats.js');
  const outputs = (given && given.length > 0 ? given : ['markdown']).map((entry): HistoryOutput => {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const file = colon < 0 ? undefined : entry.slice(colon + 1);
    if (!isHistoryFormat(name)) throw new GatewardenError('usage', `--format: "${name}" is not a format of gatewarden report; use ${HISTORY_FORMATS.join(' or ')}, optionally with a file: --format json:nightly.json`);
    if (file === '') throw new GatewardenError('usage', `--format ${entry}: the file name is missing after the colon`);
    return { format: name, ...(file !== undefined ? { file } : {}) };
  });
  const toStdout = outputs.filter((output) => output.file === undefined);
  if (toStdout.length > 1) throw new GatewardenError('usage', `only one format can go to standard output, but ${toStdout.map((output) => output.format).join(' and ')} would; give the others a file: --format ${toStdout[1]!.format}:FILE`);
  return outputs;
}
