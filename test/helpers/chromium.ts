import { accessSync, constants } from 'node:fs';

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set, else Debian's `/usr/bin/chromium`.
 * playwright-core downloads no browser, so a missing one is an error that says how to install it,
 * never a skipped test: a report nobody loaded in a browser is not tested.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidate = env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(candidate, constants.X_OK);
  } catch {
    const origin = env.CHROMIUM_PATH ? `CHROMIUM_PATH (${candidate})` : candidate;
    throw new Error(`The HTML report's browser tests need Chromium, and ${origin} is not an executable. Install Debian's: sudo apt-get install chromium (.ci/run does), or set CHROMIUM_PATH to a Chromium or Chrome binary.`);
  }
  return candidate;
}
