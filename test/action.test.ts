import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

// The GitHub Action's scan step, run the way the runner runs it: the composite step's env holds the
// inputs, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are files, the workspace is the checkout (here, the repository).
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const action = parseYaml(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; env?: Record<string, string>; run?: string; uses?: string; if?: string }> };
};
const scanStep = action.runs.steps.find((step) => step.id === 'scan')!;
const sarifSchema = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const validateSarif = new ajvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false }).compile(sarifSchema);

/** The env the runner gives the scan step for these inputs (defaults from action.yml filled in). */
function stepEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, expression] of Object.entries(scanStep.env ?? {})) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)![1]!;
    env[name] = inputs[input] ?? action.inputs[input]?.default ?? '';
  }
  return env;
}

async function runStep(inputs: Record<string, string>): Promise<{ code: number; stdout: string; outputs: Record<string, string>; summary: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-action-'));
  const outputFile = path.join(dir, 'github-output');
  const summaryFile = path.join(dir, 'step-summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // The SARIF file goes to the temporary directory unless a test names one: never into the repository.
  const env = { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo, GITHUB_ACTION_PATH: repo, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...stepEnv({ 'sarif-file': path.join(dir, 'gatewarden.sarif'), ...inputs }) };
  const script = scanStep.run!.replace(/^node "\$GITHUB_ACTION_PATH\/(.+)"$/, '$1');
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [path.join(repo, script)], { cwd: repo, env, maxBuffer: 32 * 1024 * 1024 }, (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }));
  });
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return { code, stdout, outputs, summary: readFileSync(summaryFile, 'utf8'), dir };
}

describe('action.yml', () => {
  it('passes every input to the scan step as an environment variable, and nothing else', () => {
    expect(action.runs.using).toBe('composite');
    expect(scanStep.run).toBe('node "$GITHUB_ACTION_PATH/scripts/github-action.mjs"');
    const passed = Object.values(scanStep.env ?? {}).map((expression) => /inputs\.([a-z-]+)/.exec(expression)![1]);
    expect(passed.sort()).toEqual(Object.keys(action.inputs).filter((name) => name !== 'upload-sarif').sort());
    // Inputs never reach a shell command line: a path with `$(...)` must stay a path.
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('inputs.');
  });

  it('uploads SARIF even when the scan failed, then fails the job with the exit code', () => {
    const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toMatch(/^always\(\) && inputs\.upload-sarif == 'true'/);
    const verdict = action.runs.steps.at(-1)!;
    expect(verdict.run).toBe('exit "$EXIT_CODE"');
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'findings', 'sarif-file']);
  });
});

describe('the action\'s scan step on samples/', () => {
  it('writes valid SARIF, annotations, a job summary and its outputs, and exits 0 so the upload runs', async () => {
    const sarifFile = path.join(mkdtempSync(path.join(tmpdir(), 'gatewarden-sarif-')), 'results.sarif');
    const result = await runStep({ path: 'samples', 'sarif-file': sarifFile });
    expect(result.code).toBe(0);
    // 65 findings (as test/samples.test.ts lists them: a stage without throttling is one, whatever
    // its routes, and a service setting is one on the service), and checks the split-repository
    // samples leave unknown: gatewarden's own exit code is 2.
    expect(result.outputs).toEqual({ 'sarif-file': sarifFile, findings: '65', 'exit-code': '2' });
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(validateSarif(sarif) ? [] : validateSarif.errors).toEqual([]);
    expect(sarif.runs[0].results).toContainEqual(
      expect.objectContaining({
        ruleId: 'route-requires-auth',
        locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ artifactLocation: expect.objectContaining({ uri: 'samples/aws-terraform/insecure/rest-api.tf' }), region: expect.objectContaining({ startLine: 38 }) }) })],
      }),
    );
    expect(result.stdout).toContain('at samples/aws-terraform/insecure/rest-api.tf:38  aws_api_gateway_method.list_orders (GET /orders)');
    expect(result.stdout).toMatch(/^::error file=samples\/aws-terraform\/insecure\/rest-api\.tf,line=38,.*::/m);
    expect(result.summary).toContain("| `aws_api_gateway_method.list_orders [GET /orders]` | `samples/aws-terraform/insecure/rest-api.tf:38` |");
  });

  it('honours fail-on, and reports a usage error as a failed step', async () => {
    const never = await runStep({ path: 'samples/aws-terraform/fixed', 'fail-on': 'never', annotations: 'false', 'step-summary': 'false' });
    expect(never).toMatchObject({ code: 0, outputs: { findings: '0', 'exit-code': '0' }, summary: '' });
    expect(never.stdout).not.toContain('::');
    const wrong = await runStep({ path: 'samples', 'fail-on': 'urgent' });
    expect(wrong.code).toBe(2);
    expect(wrong.outputs).toEqual({ 'exit-code': '2' });
  });
});
