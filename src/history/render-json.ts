import { stringifyJson } from '../escape.js';
import type { HistoryReport } from './analyse.js';

/** The version of the JSON history report; bumped only for incompatible changes. */
export const HISTORY_REPORT_SCHEMA_VERSION = 1;

/** The nightly report as JSON: every list in full, values as recorded (docs/nightly.md). */
export function renderHistoryJson(report: HistoryReport): string {
  return `${stringifyJson({ schemaVersion: HISTORY_REPORT_SCHEMA_VERSION, kind: 'gatewarden-history-report', ...report })}\n`;
}
