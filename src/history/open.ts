import path from 'node:path';
import { GatewardenError } from '../errors.js';
import type { HistoryStore } from './model.js';

/**
 * Opens the history named by `--history` or `history:`: a SQLite file (created when absent), relative
 * to `cwd`. Throws a {@link GatewardenError} that says why when it cannot be opened.
 */
export async function openHistoryStore(location: string, cwd: string): Promise<HistoryStore> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    // TODO(#18): a PostgreSQL store behind the same HistoryStore interface.
    throw new GatewardenError('usage', '--history: PostgreSQL is not supported yet; give the path of a SQLite file (created when absent), e.g. --history gatewarden-history.db');
  }
  if (location.trim() === '') throw new GatewardenError('usage', '--history needs the path of a SQLite file, e.g. --history gatewarden-history.db');
  const { openSqliteHistory } = await import('./sqlite.js');
  return openSqliteHistory(path.resolve(cwd, location), location);
}
