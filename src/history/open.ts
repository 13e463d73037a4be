import path from 'node:path';
import { GatewardenError } from '../errors.js';
import { isPostgresUrl } from './location.js';
import type { HistoryStore } from './model.js';

/**
 * Opens the history named by `--history` or `history:`: a PostgreSQL database (`postgres://` or
 * `postgresql://` URL; its tables are created on first use), else a SQLite file (created when
 * absent), relative to `cwd`. Throws a {@link GatewardenError} that says why when it cannot be
 * opened; no message holds the URL's password.
 */
export async function openHistoryStore(location: string, cwd: string): Promise<HistoryStore> {
  if (isPostgresUrl(location)) {
    const { openPostgresHistory } = await import('./postgres.js');
    return openPostgresHistory(location);
  }
  if (location.trim() === '') throw new GatewardenError('usage', '--history needs the path of a SQLite file or a postgres:// URL, e.g. --history gatewarden-history.db');
  const { openSqliteHistory } = await import('./sqlite.js');
  return openSqliteHistory(path.resolve(cwd, location), location);
}
