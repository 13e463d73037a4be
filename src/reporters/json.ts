import type { ScanReport } from '../report.js';

/**
 * Renders the report as JSON, in the documented format (docs/json-report.md). Unknown values
 * serialise as `{ "unknown": true, "reason": ... }`; no secret value is ever part of a report.
 */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
