import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GatewardenError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type ScanReport } from '../report/report.js';

// Reading back the JSON reports that `scan --format json` and `audit --format json` wrote, for
// `gatewarden report merge` and `gatewarden report record`. A file is checked for the shape those
// commands rely on; what a field means is docs/json-report.md's business.

/** The arrays every JSON report of schema version 1 has. */
const ARRAYS = ['targets', 'files', 'providers', 'findings', 'unevaluated', 'diagnostics', 'policies'] as const;

/**
 * Reads a JSON report written by gatewarden (`--format json`). A report of another schema version
 * is returned as it is, for the caller to refuse with the versions of every file in one message;
 * anything else that is not a JSON report is a usage error that says what the file seems to be.
 */
export async function readJsonReport(file: string, cwd: string): Promise<ScanReport> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new GatewardenError(code === 'ENOENT' ? 'path-not-found' : 'usage', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GatewardenError('usage', `${file} is not JSON (${error instanceof Error ? error.message : String(error)}); give the reports written by gatewarden scan or audit with --format json`);
  }
  const report = parsed as Record<string, unknown> | null;
  if (report === null || typeof report !== 'object' || Array.isArray(report)) throw notAReport(file, 'it is not a JSON object');
  if (report.kind === 'gatewarden-history-report') throw notAReport(file, 'it is a history report (gatewarden report --format json)');
  if ('runs' in report && Array.isArray(report.runs)) throw notAReport(file, 'it looks like SARIF');
  const tool = report.tool as Record<string, unknown> | undefined;
  if (typeof tool !== 'object' || tool === null || tool.name !== 'gatewarden' || typeof tool.version !== 'string') throw notAReport(file, 'it has no "tool": { "name": "gatewarden", "version": ... }');
  if (typeof report.schemaVersion !== 'number') throw notAReport(file, 'it has no schemaVersion');
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION) return report as unknown as ScanReport;
  const missing: string[] = [...(typeof report.scanRoot !== 'string' ? ['scanRoot'] : []), ...ARRAYS.filter((name) => !Array.isArray(report[name]))];
  if (typeof report.summary !== 'object' || report.summary === null) missing.push('summary');
  if (missing.length > 0) throw notAReport(file, `it lacks ${missing.join(', ')}`);
  return report as unknown as ScanReport;
}

function notAReport(file: string, why: string): GatewardenError {
  return new GatewardenError('usage', `${file} is not a gatewarden JSON report: ${why}; give the reports written by gatewarden scan or audit with --format json`);
}
