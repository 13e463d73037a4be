import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import type { ExitCode } from '../report/report.js';
import { REPORT_MERGE_OPTIONS } from './command-options.js';
import { REPORT_MERGE_HELP } from './help.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';

/**
 * `gatewarden report merge REPORT.json... [--format FORMAT[:FILE]]... [--output FILE]`: the JSON
 * reports of the shards of one run made into one report, written in any format of scan (JSON by
 * default). Exits 0 when it is written, 2 on a usage error or reports that cannot be merged. It is
 * not a gate: the merged report's findings do not change the exit code (scan the shards with
 * --fail-on for that).
 */
export async function reportMergeCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine({ command: 'report merge', options: REPORT_MERGE_OPTIONS, positionals: true }, argv);
  if (values.help) {
    io.stdout.write(REPORT_MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new GatewardenError('usage', 'gatewarden report merge needs the JSON reports of the shards: gatewarden report merge shard-*.json --output merged.json');
  const { parseOutputs, writeOutputs } = await import('./outputs.js');
  const outputs = parseOutputs(values.format && values.format.length > 0 ? values.format : ['json'], values.output);
  const { readJsonReport } = await import('./read-report.js');
  const { mergeIncompatibilities, mergeReports } = await import('../report/merge.js');
  const inputs = [];
  for (const file of positionals) inputs.push({ name: file, report: await readJsonReport(file, io.cwd) });
  const problems = mergeIncompatibilities(inputs);
  if (problems.length > 0) throw new GatewardenError('usage', 'these reports cannot be merged:', undefined, problems);
  const { report, duplicates } = mergeReports(inputs);
  for (const duplicate of duplicates) {
    io.stderr.write(`gatewarden: ${escapeControl(duplicate.dropped)} and ${escapeControl(duplicate.kept)} are the same shard (${escapeControl(duplicate.scope)}): kept ${escapeControl(duplicate.kept)}, which finished last\n`);
  }
  await writeOutputs(report, outputs, io, { noColor: true });
  io.stderr.write(
    `gatewarden: merged ${inputs.length - duplicates.length} shards (${report.summary.findings.total} findings, ${report.summary.errors} errors${report.summary.incomplete ? ', incomplete' : ''})\n`,
  );
  return 0;
}
