import { cli, type CliIo } from '../../src/cli/cli.js';

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process with `argv`, in `cwd`, with an empty environment, and collects what it
 * writes: the quickest way to test help and usage errors, which need no child process.
 */
export async function runCli(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd,
    env: {},
  };
  const code = await cli(argv, io);
  return { code, stdout, stderr };
}
