import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// scripts/test-node.sh runs the suite under a Node.js fetched from npm and names it here: a leg that
// silently ran the machine's Node.js would prove nothing. Without it, the suite runs under the
// machine's Node.js, which must be one the engines range supports.
const expected = process.env.GATEWARDEN_TEST_NODE_VERSION;

describe('the Node.js the suite runs under', () => {
  it('is the one asked for (scripts/test-node.sh), in the test workers and as node on PATH, and one engines supports', () => {
    const onPath = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
    expect(onPath).toBe(process.version);
    if (expected !== undefined) expect(process.version).toBe(`v${expected}`);
    const range = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(range).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
    const [major, minor] = process.version.slice(1).split('.').map(Number) as [number, number];
    expect((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24).toBe(true);
  });
});
