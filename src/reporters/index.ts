import type { ScanReport } from '../report.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';

/** The output formats of `gatewarden scan --format`. */
export type ReportFormat = 'text' | 'json';

/** Options every reporter receives. */
export interface ReporterOptions {
  readonly color: boolean;
}

/** A reporter: a pure function from a report to the text to write. */
export type Reporter = (report: ScanReport, options: ReporterOptions) => string;

/** The one registry of reporters. */
export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = {
  text: renderText,
  json: (report) => renderJson(report),
};

/** The formats, for help text and validation. */
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];
