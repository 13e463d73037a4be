// The CLI's view of its process, in a module of its own so that the CLI's parts (outputs.ts) can
// name it without importing cli.ts, which imports them.

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Subscribes to Ctrl-C (SIGINT) for a command that stops cleanly on it (`audit`: it writes what it
   * has read); returns the unsubscription. Absent, Ctrl-C does what it does by default.
   */
  readonly onInterrupt?: (listener: () => void) => () => void;
}
