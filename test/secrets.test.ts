import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../src/cli/cli.js';

// Hard-coded API keys are reported by location, never by value: in no output format, message,
// unknown-value reason or diagnostic.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['policies/secrets/no-static-api-keys/test', 'policies/secrets/secrets-in-config/test', 'test/fixtures/secrets', 'test/fixtures/conformance', 'test/fixtures/cloudformation/parameters', 'test/fixtures/azure', 'samples'];
const SECRET = /(FAKE|EXAMPLEfake)[A-Za-z0-9]{8,}/g;

function secretsIn(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else for (const match of readFileSync(full, 'utf8').matchAll(SECRET)) found.add(match[0]);
    }
  };
  walk(path.join(repo, dir));
  return found;
}

async function output(argv: string[]): Promise<string> {
  let text = '';
  const io: CliIo = { stdout: { write: (chunk: string) => (text += chunk) }, stderr: { write: (chunk: string) => (text += chunk) }, cwd: repo, env: {} };
  await cli(argv, io);
  return text;
}

describe('secret values', () => {
  const secrets = new Set(targets.flatMap((target) => [...secretsIn(target)]));

  it('are present in the inputs (so the test can fail)', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(8);
  });

  it.each(['text', 'json'])('never appear in %s output, even when passed with --var or in a parameter file', async (format) => {
    const text = await output([
      'scan',
      ...targets,
      '--format',
      format,
      '--var',
      'ci_key=FAKEpassedONtheCOMMANDline01',
      '--parameter-file',
      'test/fixtures/cloudformation/parameters/secret-parameters.json',
    ]);
    expect(text).toMatch(format === 'text' ? /secret-parameters\.json:4/ : /"file": "test\/fixtures\/cloudformation\/parameters\/secret-parameters\.json"/);
    expect(text).toContain('no-static-api-keys');
    for (const secret of [...secrets, 'FAKEpassedONtheCOMMANDline01']) expect(text).not.toContain(secret);
  });
});
