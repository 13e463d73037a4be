import type { ScanReport } from '../report/report.js';
import { stringifyJson } from '../escape.js';

/**
 * Renders the report as JSON, in the documented format (docs/json-report.md). Unknown values
 * serialise as `{ "unknown": true, "reason": ... }`; no secret value is ever part of a report. Values are
 * exact; the control characters JSON would leave raw are written as `\u` escapes (src/escape.ts).
 */
export function renderJson(report: ScanReport): string {
  return `${stringifyJson(report)}\n`;
}
