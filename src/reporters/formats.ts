import type { ScanReport } from '../report/report.js';

// The one list of output formats. Only types are imported statically: `--help` and option parsing
// read the names from here without loading any reporter; each reporter module is imported by
// `load()` when a report is rendered in its format.

/** Options every reporter receives. */
export interface ReporterOptions {
  readonly color: boolean;
}

/** A reporter: a pure function from a report to the text to write. */
export type Reporter = (report: ScanReport, options: ReporterOptions) => string;

/** One output format of `--format`: how it is named, described and rendered. */
export interface OutputFormat {
  /** The value of `--format` (and the file name suffix in examples). */
  readonly name: string;
  /** Who reads it: the "For" column of the table in docs/output-formats.md, checked by a test. */
  readonly description: string;
  /** Said in brackets after the name in the `--format` help, when the name alone does not tell. */
  readonly hint?: string;
  /** Imports the reporter module and returns its renderer. */
  readonly load: () => Promise<Reporter>;
}

/**
 * The output formats, in the order help and docs list them. Adding a format is a reporter file,
 * one line here and a row in docs/output-formats.md. Only text has colours: the machine formats are
 * wrapped so that they never receive the options (markdown reads options of its own).
 */
export const OUTPUT_FORMAT_REGISTRY = [
  { name: 'text', description: 'people, at a terminal or in a CI log', load: async () => (await import('./text.js')).renderText },
  { name: 'json', description: 'tools: the full report ([JSON report](json-report.md))', load: async () => only((await import('./json.js')).renderJson) },
  { name: 'sarif', description: 'GitHub code scanning and any SARIF 2.1.0 viewer', load: async () => only((await import('./sarif.js')).renderSarif) },
  { name: 'junit', description: 'the test views of Jenkins, GitLab, Azure Pipelines, CircleCI', load: async () => only((await import('./junit.js')).renderJunit) },
  { name: 'markdown', description: 'a pull request comment (or `$GITHUB_STEP_SUMMARY`)', load: async () => only((await import('./markdown.js')).renderMarkdown) },
  { name: 'github', description: 'annotations on the files of a GitHub Actions run', hint: 'workflow annotations', load: async () => only((await import('./github.js')).renderGithub) },
  { name: 'gitlab-sast', description: "GitLab's merge request security widget and vulnerability report", load: async () => only((await import('./gitlab-sast.js')).renderGitlabSast) },
] as const satisfies readonly OutputFormat[];

/** The output formats of `gatewarden scan --format` (docs/output-formats.md). */
export type ReportFormat = (typeof OUTPUT_FORMAT_REGISTRY)[number]['name'];

/** The format names, in registry order, for help text and validation. */
export const REPORT_FORMATS: readonly ReportFormat[] = OUTPUT_FORMAT_REGISTRY.map((format) => format.name);

/** The format written when `--format` is not given. */
export const DEFAULT_REPORT_FORMAT: ReportFormat = 'text';

/** True when `name` is a format of the registry. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** Loads the reporter of a format (imports its module on first use). */
export async function loadReporter(format: ReportFormat): Promise<Reporter> {
  return OUTPUT_FORMAT_REGISTRY.find((entry) => entry.name === format)!.load();
}

/**
 * The formats as the `--format` help says them: `text (default), json, ..., github (workflow
 * annotations) or gitlab-sast`.
 */
export function describeReportFormats(): string {
  const names = OUTPUT_FORMAT_REGISTRY.map((format: OutputFormat) => {
    const notes = [format.name === DEFAULT_REPORT_FORMAT ? 'default' : undefined, format.hint].filter((note) => note !== undefined);
    return notes.length > 0 ? `${format.name} (${notes.join(', ')})` : format.name;
  });
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}

/** A renderer of the report alone, as a {@link Reporter}: it is never handed the reporter options. */
function only(render: (report: ScanReport) => string): Reporter {
  return (report) => render(report);
}
