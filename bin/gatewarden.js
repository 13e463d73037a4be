#!/usr/bin/env node
// Thin shim: all behaviour lives in cli(), which tests call directly.
import { runFromProcess } from '../dist/src/cli/cli.js';

const code = await runFromProcess();
process.exitCode = code;
// The work is done and the output written: a handle left open (a keep-alive socket of a cloud SDK, a
// worker) must not keep the process running. The timer is unref'd, so it only fires if something
// else still holds the process.
setTimeout(() => process.exit(code), 2000).unref();
