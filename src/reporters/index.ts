import type { ScanReport } from '../report/report.js';
import { renderGithub } from './github.js';
import { renderGitlabSast } from './gitlab-sast.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** The output formats of `gatewarden scan --format` (docs/output-formats.md). */
export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'github' | 'gitlab-sast';

/** Options every reporter receives. */
export interface ReporterOptions {
  readonly color: boolean;
}

/** A reporter: a pure function from a report to the text to write. */
export type Reporter = (report: ScanReport, options: ReporterOptions) => string;

/** The one registry of reporters. Only text has colours; the machine formats ignore the options. */
export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = {
  text: renderText,
  json: (report) => renderJson(report),
  sarif: (report) => renderSarif(report),
  junit: (report) => renderJunit(report),
  markdown: (report) => renderMarkdown(report),
  github: (report) => renderGithub(report),
  'gitlab-sast': (report) => renderGitlabSast(report),
};

/** The formats, for help text and validation. */
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];
