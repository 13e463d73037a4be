import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** gatewarden's version, read from its package.json (cheap: no dependency is loaded). */
export function version(): string {
  if (cached === undefined) {
    for (const relative of ['../package.json', '../../package.json']) {
      try {
        const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
        if (parsed.name === 'gatewarden' && parsed.version) {
          cached = parsed.version;
          break;
        }
      } catch {
        // Not at this level: src/ in development, dist/src/ when built.
      }
    }
    cached ??= '0.0.0';
  }
  return cached;
}
