import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import type { ScanReport } from '../report/report.js';
import { DEFAULT_REPORT_FORMAT, isReportFormat, loadReporter, REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';
import type { CliIo } from './io.js';

/**
 * The formats `--format` accepts: the names of the registry in src/reporters/formats.ts, which
 * lists them without loading any reporter.
 */
export const OUTPUT_FORMATS: readonly ReportFormat[] = REPORT_FORMATS;

/** One rendering of the report: a format, and the file it goes to (standard output when absent). */
export interface OutputTarget {
  readonly format: ReportFormat;
  readonly file?: string;
}

/**
 * Reads `--format FORMAT[:FILE]` (repeatable) and `--output FILE`, as Trivy and KICS users expect
 * several outputs from one run: `--format text --format sarif:gatewarden.sarif`. `--output` is the file
 * of the one format given without a file. At most one format may go to standard output, or the
 * streams would interleave.
 */
export function parseOutputs(formats: readonly string[] | undefined, output: string | undefined): OutputTarget[] {
  const given = formats && formats.length > 0 ? formats : [DEFAULT_REPORT_FORMAT];
  const targets: OutputTarget[] = given.map((entry) => {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const file = colon < 0 ? undefined : entry.slice(colon + 1);
    if (!isReportFormat(name)) {
      throw new GatewardenError('usage', `--format: "${name}" is not a format; use one of ${OUTPUT_FORMATS.join(', ')}, optionally with a file: --format sarif:results.sarif`);
    }
    if (file === '') throw new GatewardenError('usage', `--format ${entry}: the file name is missing after the colon`);
    return { format: name, ...(file !== undefined ? { file } : {}) };
  });
  const toStdout = targets.filter((target) => target.file === undefined);
  if (output !== undefined) {
    if (toStdout.length !== 1) {
      throw new GatewardenError('usage', `--output ${output} is the file of the one format given without a file, but ${toStdout.length === 0 ? 'every format names its file' : `${toStdout.length} formats name none (${toStdout.map((t) => t.format).join(', ')})`}; write --format FORMAT:FILE instead`);
    }
    return targets.map((target) => (target === toStdout[0] ? { ...target, file: output } : target));
  }
  if (toStdout.length > 1) {
    throw new GatewardenError('usage', `only one format can go to standard output, but ${toStdout.map((t) => t.format).join(' and ')} would; give the others a file: --format ${toStdout[1]!.format}:FILE`);
  }
  const files = targets.flatMap((target) => (target.file !== undefined ? [target.file] : []));
  const repeated = files.find((file, index) => files.indexOf(file) !== index);
  if (repeated !== undefined) throw new GatewardenError('usage', `two formats would write ${repeated}; give each its own file`);
  return targets;
}

/**
 * Renders the report once per target. Colours only for text on a terminal. When nothing goes to
 * standard output, a one-line summary per file goes to standard error, so a CI log still shows what
 * happened.
 */
export async function writeOutputs(report: ScanReport, targets: readonly OutputTarget[], io: CliIo, options: { readonly noColor: boolean }): Promise<void> {
  for (const target of targets) {
    const color = target.file === undefined && target.format === 'text' && Boolean(io.stdout.isTTY) && !options.noColor && io.env.NO_COLOR === undefined;
    const rendered = (await loadReporter(target.format))(report, { color });
    if (target.file === undefined) {
      io.stdout.write(rendered);
      continue;
    }
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dirname, resolve } = await import('node:path');
    const full = resolve(io.cwd, target.file);
    try {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, rendered);
    } catch (error) {
      throw new GatewardenError('output', `cannot write ${target.file}: ${error instanceof Error ? error.message : String(error)}; check the directory exists and is writable`);
    }
    const { summary } = report;
    io.stderr.write(
      `gatewarden: wrote the ${target.format} report to ${escapeControl(target.file)} (${summary.findings.total} findings${summary.baselined > 0 ? `, ${summary.baselined} in the baseline` : ''}, ${summary.suppressed} suppressed, ${summary.unevaluated} unknown, ${summary.errors} errors)\n`,
    );
  }
}
