import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
let server: Server | undefined;

/** A webhook on 127.0.0.1 answering every post with `status`; its URL carries a token in the path. */
async function webhook(status: number): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(body));
      response.writeHead(status).end(status === 200 ? 'ok' : 'channel_not_found');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B2/t0kenV4lue`, bodies };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-notify-'));
  mkdirSync(path.join(dir, '.git'));
  // Night 1 scans the fixed API, night 2 the insecure one in the same place: everything is new.
  cpSync(path.join(repo, 'samples/aws-terraform/fixed'), path.join(dir, 'infra'), { recursive: true });
  expect((await runCli(['scan', 'infra', '--history', 'h.db', '--run-id', 'night-1', '--format', 'json:n1.json'], dir)).code).toBe(0);
  rmSync(path.join(dir, 'infra'), { recursive: true });
  cpSync(path.join(repo, 'samples/aws-terraform/insecure'), path.join(dir, 'infra'), { recursive: true });
  expect((await runCli(['scan', 'infra', '--history', 'h.db', '--run-id', 'night-2', '--format', 'json:n2.json'], dir)).code).toBe(1);
});

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('gatewarden report --notify', () => {
  it('posts the new critical and high findings to a Slack-compatible webhook after writing the report', async () => {
    const hook = await webhook(200);
    const result = await runCli(['report', '--history', 'h.db', '--format', 'html:out/nightly.html', '--notify', hook.url, '--notify-format', 'slack'], dir);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'out/nightly.html'))).toBe(true);
    const shown = `http://${new URL(hook.url).host}/[redacted]`;
    expect(result.stderr.split('\n').at(-2)).toBe(`gatewarden: notified ${shown} (slack): 6 new critical or high findings`);
    expect(result.stderr).not.toContain('t0kenV4lue');
    expect(hook.bodies).toHaveLength(1);
    const body = hook.bodies[0] as { text: string; blocks: Array<{ text?: { text: string } }> };
    expect(body.text).toBe('gatewarden: 6 new critical or high findings in run night-2');
    const lines = body.blocks[1]!.text!.text.split('\n');
    expect(lines[0]).toBe('*New critical and high findings since run night-1*');
    expect(lines[1]).toBe('• *critical* `cors-not-open` module.storefront_api.aws_apigatewayv2_api.this at `infra/terraform.tfvars:4`');
    expect(lines.slice(2).every((line) => line.startsWith('• *high* '))).toBe(true);
    expect(lines).toContain('• *high* `route-requires-auth` aws_api_gateway_method.list_orders (GET /orders) at `infra/rest-api.tf:38`');
    // The static key's value is in the sample; no secret ever reaches the webhook.
    expect(JSON.stringify(body)).not.toContain('EXAMPLEfakeKEY');
  });

  it('posts generic JSON by default to a host that is not Slack', async () => {
    const hook = await webhook(200);
    expect((await runCli(['report', '--history', 'h.db', '--format', 'json:r.json', '--notify', hook.url], dir)).code).toBe(0);
    expect(hook.bodies[0]).toMatchObject({ kind: 'gatewarden-notification', schemaVersion: 1, run: { id: 'night-2' }, previous: { id: 'night-1' }, counts: { new: 6, pastSla: 0 } });
  });

  it('warns, keeps exit 0 and never shows the token when the webhook refuses', async () => {
    const hook = await webhook(404);
    const result = await runCli(['report', '--history', 'h.db', '--format', 'markdown:r.md', '--notify', hook.url], dir);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'r.md'))).toBe(true);
    expect(result.stderr.split('\n').at(-2)).toBe(`gatewarden: warning: could not notify http://${new URL(hook.url).host}/[redacted] after 1 attempt: HTTP 404: channel_not_found; the report is written all the same`);
    expect(result.stderr).not.toContain('t0kenV4lue');
  });

  it('posts nothing on a night without anything new or late', async () => {
    const hook = await webhook(200);
    expect((await runCli(['scan', 'infra', '--history', 'h.db', '--run-id', 'night-3', '--format', 'json:n3.json'], dir)).code).toBe(1);
    const result = await runCli(['report', '--history', 'h.db', '--format', 'json:r.json', '--notify', hook.url], dir);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').at(-2)).toBe(`gatewarden: nothing to notify http://${new URL(hook.url).host}/[redacted] of: no new critical or high finding since the previous run, none past its SLA`);
    expect(hook.bodies).toEqual([]);
  });

  it('refuses a URL that is not http(s) before reading anything, without quoting it', async () => {
    expect(await runCli(['report', '--history', 'h.db', '--notify', 'hooks.slack.com/services/T/B/secret'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatewarden: --notify needs the full URL of a webhook, https://...; the value given is not a URL (not shown: it may hold a token)\n',
    });
    expect((await runCli(['report', '--history', 'h.db', '--notify', 'ftp://x/secret'], dir)).stderr).toBe('gatewarden: --notify needs an http or https URL, not ftp://...\n');
    expect((await runCli(['report', '--history', 'h.db', '--notify', 'https://x/y', '--notify-format', 'teams'], dir)).stderr).toBe('gatewarden: --notify-format must be slack or json, not "teams"\n');
    expect((await runCli(['report', '--history', 'h.db', '--notify-format', 'json'], dir)).stderr).toBe('gatewarden: --notify-format is the format of --notify URL: give --notify too\n');
  });
});
