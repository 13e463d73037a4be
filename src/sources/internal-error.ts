import type { Diagnostic } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/location.js';

/**
 * The diagnostic for a failure nobody foresaw while reading part of the input: that part is not
 * checked (an error: the result is incomplete), and the message asks for a report.
 */
export function internalErrorDiagnostic(what: string, error: unknown, location: SourceLocation): Diagnostic {
  const reason = error instanceof RangeError && /call stack/i.test(error.message) ? 'it is nested too deeply to evaluate' : error instanceof Error ? error.message : String(error);
  return {
    severity: 'error',
    code: 'internal-error',
    message: `${what} could not be read (${reason}); it was not checked, the rest of the scan went on. Please report this with the input that caused it`,
    location,
  };
}
