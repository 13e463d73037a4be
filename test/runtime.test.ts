import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// scripts/test-node.sh runs the suite under a Node.js fetched from npm and names it here: a leg that
// silently ran the machine's Node.js would prove nothing.
const expected = process.env.GATEWARDEN_TEST_NODE_VERSION;

describe('the Node.js the suite runs under', () => {
  it.runIf(expected)('is the version scripts/test-node.sh asked for, in the test workers and as node on PATH', () => {
    expect(process.version).toBe(`v${expected}`);
    expect(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${expected}`);
  });
});
