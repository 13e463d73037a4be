import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';

// The scheduling examples of docs/nightly.md. Every gatewarden command in them is parsed by the
// CLI's own parser (the command with --help prints that command's help only when its options are
// right), and the cron script runs for real against the samples (it uses the built binary: npm test
// builds first).

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(repo, 'examples/nightly');

/** `gatewarden audit aws --help` prints a help starting `gatewarden audit aws `: the words of a command. */
function commandWords(args: readonly string[]): string[] {
  if (args[0] === 'audit') return args.slice(0, 2);
  if (args[0] === 'report' && (args[1] === 'merge' || args[1] === 'record')) return args.slice(0, 2);
  return args.slice(0, 1);
}

/** Checks that `args` (without `gatewarden`) is a command whose options the CLI accepts. */
async function expectValidCommand(args: readonly string[]): Promise<void> {
  const result = await runCli([...args, '--help'], repo);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  expect(result.stdout.startsWith(`gatewarden ${commandWords(args).join(' ')} `), args.join(' ')).toBe(true);
}

/**
 * The words of a shell command line as the shell would pass them: quotes removed, GitHub
 * expressions (`${{ ... }}`) and variables replaced by a sample value.
 */
function shellWords(line: string, sample: (name: string) => string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)|(\s+)/g;
  let current: string | undefined;
  const expand = (text: string): string => text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => sample(name)).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => sample(name));
  for (const match of line.matchAll(pattern)) {
    if (match[4] !== undefined) {
      if (current !== undefined) words.push(current);
      current = undefined;
      continue;
    }
    current = (current ?? '') + (match[1] !== undefined ? expand(match[1]) : match[2] !== undefined ? match[2] : expand(match[3]!));
  }
  if (current !== undefined) words.push(current);
  return words;
}

describe('the GitHub Actions workflow', () => {
  const workflow = parse(readFileSync(path.join(examples, 'github-actions.yml'), 'utf8')) as {
    on: { schedule: Array<{ cron: string }> };
    jobs: Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }>;
  };
  const commands = Object.values(workflow.jobs)
    .flatMap((job) => job.steps.flatMap((step) => (step.run ?? '').replace(/\\\n/g, ' ').split('\n')))
    .flatMap((line) => line.split('&&').map((part) => part.trim()))
    .filter((part) => part.startsWith('gatewarden '))
    .map((part) => shellWords(part, (name) => (name.includes('WEBHOOK') ? 'https://hooks.slack.com/services/T0/B0/x' : name.includes('job-index') ? '0' : 'sample')).slice(1));

  it('runs on a schedule', () => {
    expect(workflow.on.schedule[0]!.cron.split(' ')).toHaveLength(5);
  });

  it('scans, records the shards as one run and reports: each command valid', async () => {
    expect(commands.map((args) => commandWords(args).join(' '))).toEqual(['scan', 'report record', 'report']);
    for (const args of commands) await expectValidCommand(args);
    expect(commands[2]).toContain('--notify');
  });

  it('keeps the SQLite history between nights with actions/cache', () => {
    const steps = workflow.jobs.report!.steps;
    const restore = steps.find((step) => step.uses?.startsWith('actions/cache/restore@'));
    const save = steps.find((step) => step.uses?.startsWith('actions/cache/save@'));
    expect(restore?.with?.path).toBe('gatewarden-history.db');
    expect(save?.with?.path).toBe('gatewarden-history.db');
    expect(commands[1]).toContain('gatewarden-history.db');
    expect(steps.indexOf(restore!)).toBeLessThan(steps.indexOf(save!));
  });
});

describe('the Kubernetes CronJob', () => {
  const documents = parseAllDocuments(readFileSync(path.join(examples, 'k8s-cronjob.yaml'), 'utf8')).map((document) => document.toJS() as Record<string, any>);
  const cronJob = documents.find((document) => document.kind === 'CronJob')!;
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const containers: Array<{ name: string; image: string; command?: string[]; args: string[]; env?: Array<{ name: string }> }> = [...pod.initContainers, ...pod.containers];

  it('runs each command as the image entrypoint (gatewarden), without root', async () => {
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(containers.map((container) => container.name)).toEqual(['audit-aws', 'audit-gcp', 'report']);
    for (const container of containers) {
      expect(container.command).toBeUndefined();
      // $(NAME) is Kubernetes' expansion of the container's environment: each one is declared.
      for (const [, name] of container.args.join(' ').matchAll(/\$\(([A-Z_]+)\)/g)) expect(container.env?.map((variable) => variable.name)).toContain(name);
      await expectValidCommand(container.args.map((arg) => arg.replace(/\$\(([A-Z_]+)\)/g, (_, name: string) => (name.includes('WEBHOOK') ? 'https://hooks.slack.com/services/T0/B0/x' : 'gatewarden-nightly-29123456'))));
    }
  });

  it('records the audits into one run of the history on the volume, then reports it', () => {
    const [aws, gcp, report] = containers;
    for (const audit of [aws!, gcp!]) expect(audit.args.join(' ')).toContain('--history /data/history.db --run-id $(RUN_ID)');
    expect(report!.args.slice(0, 3)).toEqual(['report', '--history', '/data/history.db']);
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe(documents.find((document) => document.kind === 'PersistentVolumeClaim')!.metadata.name);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(path.join(repo, 'Dockerfile'), 'utf8');
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const finalStage = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));

  it('builds on node:20-slim, installs production dependencies only, and runs gatewarden as a user without privileges', () => {
    expect(finalStage[0]).toBe('FROM node:20-slim');
    expect(finalStage.some((line) => line.startsWith('RUN npm ci --omit=dev'))).toBe(true);
    const user = finalStage.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBe('USER 10001');
    expect(finalStage.at(-2)).toBe('ENTRYPOINT ["gatewarden"]');
    expect(finalStage.some((line) => line.includes('ln -s /opt/gatewarden/bin/gatewarden.js /usr/local/bin/gatewarden'))).toBe(true);
    // What the binary loads at run time is in the image.
    for (const needed of ['bin', 'policies', 'package.json']) expect(finalStage.some((line) => line.startsWith('COPY ') && line.split(' ').includes(needed))).toBe(true);
    expect(finalStage).toContain('COPY --from=build /build/dist dist');
  });
});

describe('the cron script', () => {
  let dir: string | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scans every repository as a shard of one run, reports, and notifies what got worse', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-cron-'));
    const repos = path.join(dir, 'repos');
    const home = path.join(dir, 'home');
    mkdirSync(path.join(repos, '.git'), { recursive: true });
    cpSync(path.join(repo, 'samples/aws-terraform/fixed'), path.join(repos, 'payments'), { recursive: true });
    cpSync(path.join(repo, 'samples/gcp-terraform/insecure'), path.join(repos, 'delivery'), { recursive: true });
    const posts: Array<{ counts: { new: number } }> = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        posts.push(JSON.parse(body));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const env = {
      PATH: process.env.PATH ?? '',
      GATEWARDEN_REPOS: repos,
      GATEWARDEN_HOME: home,
      GATEWARDEN: `${process.execPath} ${path.join(repo, 'bin/gatewarden.js')}`,
      GATEWARDEN_NOTIFY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/t0ken`,
    };
    const night = (id: string) => promisify(execFile)('bash', [path.join(examples, 'cron.sh')], { env: { ...env, GATEWARDEN_RUN_ID: id }, cwd: dir });

    const first = await night('night-1');
    expect(first.stderr).toContain('gatewarden: nothing to notify http://127.0.0.1');
    for (const file of ['nightly.html', 'nightly.md', 'nightly.json', 'payments.json', 'delivery.json']) expect(existsSync(path.join(home, 'reports', file)), file).toBe(true);

    // Overnight the payments API loses its fixes.
    rmSync(path.join(repos, 'payments'), { recursive: true });
    cpSync(path.join(repo, 'samples/aws-terraform/insecure'), path.join(repos, 'payments'), { recursive: true });
    const second = await night('night-2');
    expect(second.stderr).toContain('(json): 6 new critical or high findings');
    expect(second.stderr).not.toContain('t0ken');
    expect(posts.map((post) => post.counts.new)).toEqual([6]);

    const report = JSON.parse(readFileSync(path.join(home, 'reports/nightly.json'), 'utf8')) as { runs: number; latest: { scopes: string[] } };
    expect(report).toMatchObject({ runs: 2, latest: { id: 'night-2' } });
    expect(report.latest.scopes).toEqual([`scan ${repos}: delivery`, `scan ${repos}: payments`]);
  }, 120_000);
});
