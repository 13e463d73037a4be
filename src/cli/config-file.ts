import { escapeControl } from '../escape.js';
import type { LoadedConfig } from '../config/load.js';
import type { CliIo } from './io.js';

/**
 * Finds and loads the config file: `--config`, or `.gatewarden.yaml` from the first scan path upwards
 * (to the repository root). The file used is named on standard error, so a CI log shows which one.
 */
export async function readConfig(given: string | undefined, targets: readonly string[], io: CliIo): Promise<LoadedConfig | undefined> {
  const { findConfigFile, loadConfig } = await import('../config/load.js');
  const { resolve } = await import('node:path');
  const { displayPath } = await import('../sources/paths.js');
  const file = given !== undefined ? resolve(io.cwd, given) : findConfigFile(targets.map((target) => resolve(io.cwd, target)));
  if (file === undefined) return undefined;
  const loaded = loadConfig(file, (absolute) => displayPath(io.cwd, absolute));
  io.stderr.write(`gatewarden: using the config file ${escapeControl(displayPath(io.cwd, file))}\n`);
  return loaded;
}
