import { OUTPUT_FORMAT_REGISTRY, type Reporter, type ReportFormat } from './formats.js';

export { DEFAULT_REPORT_FORMAT, OUTPUT_FORMAT_REGISTRY, REPORT_FORMATS, isReportFormat, loadReporter, type OutputFormat, type Reporter, type ReporterOptions, type ReportFormat } from './formats.js';

/**
 * Every reporter, loaded, by format: for code that embeds gatewarden and renders a report itself.
 * Built from the registry in formats.ts, so a new format needs no line here; the CLI loads only the
 * reporters of the formats asked for, through `loadReporter`.
 */
export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = Object.fromEntries(
  await Promise.all(OUTPUT_FORMAT_REGISTRY.map(async (format) => [format.name, await format.load()] as const)),
) as Record<ReportFormat, Reporter>;
