import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';

// These run the built binary (npm test builds first): it parses HCL on a worker thread, which the
// in-process tests (running TypeScript sources) do not exercise.
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'bin/gatewarden.js');

function gatewarden(args: string[], options: { cwd?: string; trace?: boolean } = {}) {
  const result = spawnSync(process.execPath, [...(options.trace ? ['--import', path.join(repo, 'test/helpers/trace-imports.mjs')] : []), bin, ...args], {
    cwd: options.cwd ?? repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    // A hang must fail the test, not the suite.
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

describe('the gatewarden binary', () => {
  it('answers --version and --help without loading any dependency, parser, SDK, scanner or reporter module', () => {
    const helps = [['--help'], ['scan', '--help'], ['audit', '--help'], ['audit', 'aws', '--help'], ['help', 'audit', 'aws'], ['audit', 'azure', '--help'], ['audit', 'gcp', '--help'], ['policies', '--help'], ['policies', 'test', '--help'], ['report', '--help'], ['help', 'report'], ['scan', '--formt', 'sarif']];
    for (const args of [['--version'], ...helps]) {
      const result = gatewarden(args, { trace: true });
      expect(result.code, args.join(' ')).toBe(args.includes('--formt') ? 2 : 0);
      const imports = result.stderr.split('\n').filter((line) => line.startsWith('import:'));
      expect(imports.length).toBeGreaterThan(0);
      // The format names come from the registry (reporters/formats.js), which imports no reporter; the
      // audit help from the live providers' descriptors (providers/live.js), which import no SDK.
      const descriptors = /providers\/(live|live-auditor)\.js|providers\/[a-z]+\/live\/(auditor|options|clouds)\.js/;
      expect(imports.filter((line) => line.includes('node_modules') || (/sources|engine|providers|reporters\/(?!formats\.js)|scan\.js|audit\.js/.test(line) && !descriptors.test(line))), args.join(' ')).toEqual([]);
      if (!args.includes('audit')) expect(imports.filter((line) => line.includes('providers')), args.join(' ')).toEqual([]);
    }
  });

  it('never loads the Google libraries for a scan, GCP Terraform included', () => {
    const result = gatewarden(['scan', 'test/fixtures/gcp/api-gateway', '--format', 'json', '--fail-on', 'never'], { trace: true });
    expect(result.code).toBe(0);
    const imports = result.stderr.split('\n').filter((line) => line.startsWith('import:'));
    expect(imports.some((line) => line.includes('providers/gcp/terraform'))).toBe(true);
    expect(imports.filter((line) => /google-gax|google-auth-library|@google-cloud|providers\/gcp\/live\/(?!auditor|options)/.test(line))).toEqual([]);
  });

  it('loads the native SQLite module only when a scan records into a history, and the PostgreSQL driver never for a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-bin-'));
    writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_apigatewayv2_api" "open" {\n  name          = "open"\n  protocol_type = "HTTP"\n  cors_configuration {\n    allow_origins = ["*"]\n  }\n}\n');
    const sqlite = (result: { stderr: string }) => result.stderr.split('\n').filter((line) => line.startsWith('import:') && line.includes('better-sqlite3'));
    const plain = gatewarden(['scan', '.'], { cwd: dir, trace: true });
    expect(plain.code).toBe(1);
    expect(sqlite(plain)).toEqual([]);
    const recorded = gatewarden(['scan', '.', '--history', 'history.db'], { cwd: dir, trace: true });
    expect(recorded.code).toBe(1);
    expect(sqlite(recorded).length).toBeGreaterThan(0);
    const postgres = (result: { stderr: string }) => result.stderr.split('\n').filter((line) => line.startsWith('import:') && /node_modules\/pg[-/]|history\/postgres\.js/.test(line));
    expect([...postgres(plain), ...postgres(recorded)]).toEqual([]);
    expect(recorded.stderr).toMatch(/gatewarden: recorded run [0-9a-f-]{36} in history\.db \(1 results\)/);
  });

  it('loses no shard when eight processes record into one history at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-history-concurrent-'));
    for (let shard = 0; shard < 8; shard++) {
      mkdirSync(path.join(dir, `repo-${shard}`));
      writeFileSync(path.join(dir, `repo-${shard}`, 'main.tf'), `resource "aws_apigatewayv2_api" "open_${shard}" {\n  name          = "open-${shard}"\n  protocol_type = "HTTP"\n  cors_configuration {\n    allow_origins = ["*"]\n  }\n}\n`);
    }
    const { spawn } = await import('node:child_process');
    const codes = await Promise.all(
      Array.from({ length: 8 }, (_, shard) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [bin, 'scan', `repo-${shard}`, '--history', 'history.db', '--run-id', 'night-1', '--format', 'json:out-' + shard + '.json'], { cwd: dir, stdio: 'ignore' });
          child.on('exit', resolve);
        }),
      ),
    );
    expect(codes).toEqual(Array(8).fill(1));
    const report = gatewarden(['report', '--history', 'history.db', '--format', 'json'], { cwd: dir });
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout) as { runs: number; latest: { scopes: string[] }; open: Array<{ address: string }> };
    expect(parsed.runs).toBe(1);
    expect(parsed.latest.scopes).toHaveLength(8);
    expect(parsed.open.map((finding) => finding.address).sort()).toEqual(Array.from({ length: 8 }, (_, shard) => `aws_apigatewayv2_api.open_${shard}`));
  }, 120_000);

  it('reports the same findings and diagnostics through the parser thread as in process', async () => {
    const cwd = path.join(repo, 'test/fixtures');
    const threaded = gatewarden(['scan', 'terraform', 'conformance', 'secrets', '--format', 'json'], { cwd });
    expect(threaded.code).toBe(2);
    const fromBinary = JSON.parse(threaded.stdout);
    const inProcess = JSON.parse(JSON.stringify(await scan({ cwd, paths: ['terraform', 'conformance', 'secrets'] })));
    expect(fromBinary.findings).toEqual(inProcess.findings);
    expect(fromBinary.unevaluated).toEqual(inProcess.unevaluated);
    expect(fromBinary.diagnostics).toEqual(inProcess.diagnostics);
    expect(fromBinary.summary).toEqual(inProcess.summary);
    expect(fromBinary.findings.length).toBeGreaterThan(3);
    expect(fromBinary.diagnostics.some((d: { code: string }) => d.code === 'parse-error')).toBe(true);
  });

  it('exits with code 2 at once when a path does not exist, instead of waiting on the parser thread forever', () => {
    const started = Date.now();
    const result = gatewarden(['scan', 'no/such/dir']);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gatewarden: cannot scan "no/such/dir": no such file or directory');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('stops the HCL parser on a file over hcl-parse-time (a heredoc of 60,000 lines) and scans the files queued behind it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-slow-parse-'));
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${i}`).join('\n');
    writeFileSync(path.join(dir, 'a-slow.tf'), `locals {\n  big = <<EOT\n${lines}\nEOT\n}\n`);
    mkdirSync(path.join(dir, 'api'));
    writeFileSync(path.join(dir, 'api/main.tf'), 'resource "aws_apigatewayv2_api" "open" {\n  name          = "open"\n  protocol_type = "HTTP"\n  cors_configuration {\n    allow_origins = ["*"]\n  }\n}\n');
    const result = gatewarden(['scan', '.', '--limit', 'hcl-parse-time=1s', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { findings: Array<{ policyId: string; location: { file: string; startLine: number } }>; diagnostics: Array<{ code: string; message: string; location: { file: string } }> };
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'limit', location: expect.objectContaining({ file: 'a-slow.tf' }), message: expect.stringMatching(/^the HCL parser took too long on the file .*over the "hcl-parse-time" limit \(the time the HCL parser may take on one file: 1 s\)/) })]);
    expect(report.findings.map((f) => `${f.policyId} ${f.location.file}:${f.location.startLine}`)).toEqual(['cors-not-open api/main.tf:5']);
  });

  it('runs the quick start: npm start scans the complete samples and exits 0; start:split scans the partial ones and exits 2', () => {
    // The arguments are the package.json scripts' own, so the test follows what `npm start` runs.
    const scripts = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const argsOf = (script: string): string[] => [...script.replace(/^node bin\/gatewarden\.js /, '').matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
    const result = gatewarden(argsOf(scripts.start!));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/38 files · 14 gateways · 43 routes · 61 findings \(2 critical, 17 high, 31 medium, 11 low, 0 info\) · 2 suppressed · 0 unknown · 0 parse errors/);
    const split = gatewarden(argsOf(scripts['start:split']!));
    expect(split.code).toBe(2);
    expect(split.stdout).toMatch(/9 files · 4 gateways · 6 routes · 4 findings \(1 critical, 2 high, 1 medium, 0 low, 0 info\) · 17 unknown · 0 parse errors\nIncomplete: 17 checks with unknown values/);
  });
});
