#!/usr/bin/env node
// Thin shim: all behaviour lives in cli(), which tests call directly.
import { runFromProcess } from '../dist/src/cli/cli.js';

process.exitCode = await runFromProcess();
