#!/usr/bin/env node
// Thin shim: all behaviour lives in cli(), which tests call directly.
import { runFromProcess } from '../dist/src/cli/cli.js';

// `gatewarden policies list | head -1`: a reader that stops early closes the pipe; that ends the
// output, it is not a failure to report with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runFromProcess();
process.exitCode = code;
// The work is done and the output written: a handle left open (a keep-alive socket of a cloud SDK, a
// worker) must not keep the process running. The timer is unref'd, so it only fires if something
// else still holds the process.
setTimeout(() => process.exit(code), 2000).unref();
