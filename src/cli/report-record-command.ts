import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import type { HistoryCommand } from '../history/model.js';
import type { ExitCode, ScanReport } from '../report/report.js';
import { REPORT_RECORD_OPTIONS } from './command-options.js';
import { readConfig } from './config-file.js';
import { REPORT_RECORD_HELP } from './help.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';

/**
 * `gatewarden report record --history DB [--run-id ID] REPORT.json...`: records JSON reports written
 * elsewhere (jobs that could not reach the history database) as the shards of one run, exactly as
 * `scan --history DB --run-id ID` would have recorded each. Exits 0 when recorded, 2 otherwise.
 */
export async function reportRecordCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine({ command: 'report record', options: REPORT_RECORD_OPTIONS, positionals: true }, argv);
  if (values.help) {
    io.stdout.write(REPORT_RECORD_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new GatewardenError('usage', 'gatewarden report record needs the JSON reports to record: gatewarden report record --history history.db --run-id nightly-1 shard-*.json');
  const config = await readConfig(values.config, ['.'], io);
  const location = values.history ?? config?.config.history;
  if (location === undefined) throw new GatewardenError('usage', 'gatewarden report record needs the history to record into: --history DB, or history: in the config file');
  const runId = values['run-id'];
  if (runId !== undefined && (runId.trim() === '' || runId.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(runId))) {
    throw new GatewardenError('usage', '--run-id needs a name of 1 to 200 printable characters, e.g. --run-id nightly-2026-12-06');
  }
  // Every file is read and checked before anything is recorded: half a run is worse than none.
  const { readJsonReport } = await import('./read-report.js');
  const { mergeIncompatibilities } = await import('../report/merge.js');
  const inputs = [];
  for (const file of positionals) inputs.push({ name: file, report: await readJsonReport(file, io.cwd) });
  const problems = mergeIncompatibilities(inputs);
  if (problems.length > 0) throw new GatewardenError('usage', 'these reports cannot be recorded as one run:', undefined, problems);

  const { randomUUID } = await import('node:crypto');
  const { historyShardOf } = await import('../history/record.js');
  const { openHistoryStore } = await import('../history/open.js');
  const id = runId ?? randomUUID();
  const store = await openHistoryStore(location, io.cwd);
  try {
    for (const input of inputs) {
      const shard = historyShardOf(input.report, { command: await commandOf(input.report), runId: id });
      try {
        await store.record(shard);
      } catch (error) {
        throw new GatewardenError('output', `cannot record ${input.name} in the history database ${location}: ${error instanceof Error ? error.message : String(error)}`);
      }
      io.stderr.write(`gatewarden: recorded ${escapeControl(input.name)} (${escapeControl(shard.command)}, ${shard.findings.length} results) as a shard of run ${escapeControl(id)} in ${escapeControl(location)}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * The command that wrote a report, which the JSON report does not say: an audit of one provider
 * when its targets are that provider's accounts (`aws:123456789012/eu-west-1`), a scan otherwise (a
 * merged report of scans and audits included: its findings keep their own targets).
 */
async function commandOf(report: ScanReport): Promise<HistoryCommand> {
  const { isAuditReport } = await import('../report/merge.js');
  if (!isAuditReport(report)) return 'scan';
  const providers = new Set(report.targets.map((target) => target.slice(0, target.indexOf(':'))));
  return providers.size === 1 ? `audit ${[...providers][0]!}` : 'scan';
}
