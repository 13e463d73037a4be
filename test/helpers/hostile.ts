import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, type CliIo } from '../../src/cli/cli.js';
import { OUTPUT_FORMATS } from '../../src/cli/outputs.js';

/** A fresh directory for one test's files, written from a map of relative paths to contents. */
export function workspace(files: Readonly<Record<string, string | Buffer>> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-hostile-'));
  write(dir, files);
  return dir;
}

/** Writes files under a directory, creating their folders. */
export function write(dir: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

/** What a run of the CLI printed and wrote. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every output file, by format. */
  readonly files: Readonly<Record<string, string>>;
}

/** Runs `gatewarden` with `args` from `cwd`, capturing standard output and error. */
export async function run(args: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd, env };
  const code = await cli([...args], io);
  return { code, stdout, stderr, files: {} };
}

/**
 * Runs a scan with every output format at once (text on standard output, the others to files in
 * `outDir`), so a test can look for what must not be in any of them.
 */
export async function scanAllFormats(args: readonly string[], cwd: string, outDir: string): Promise<Run> {
  const formats = OUTPUT_FORMATS.filter((format) => format !== 'text').map((format) => `${format}:${path.join(outDir, `report.${format}`)}`);
  const result = await run(['scan', ...args, '--format', 'text', ...formats.flatMap((format) => ['--format', format])], cwd);
  const files = Object.fromEntries(readdirSync(outDir).map((name) => [name, readFileSync(path.join(outDir, name), 'utf8')]));
  return { ...result, files };
}

/** Everything a run produced, as one text to search. */
export function everything(result: Run): string {
  return [result.stdout, result.stderr, ...Object.values(result.files)].join('\n');
}
