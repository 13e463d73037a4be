import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, redactIn, redactUrl } from '../../src/history/webhook.js';

// A webhook on 127.0.0.1 that answers each request as the test says, and keeps what it was sent.

interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

let server: Server | undefined;

async function webhook(answer: (index: number, request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method ?? '', path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body });
      answer(received.length - 1, request, response);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T0001/B0002/s3cr3tT0ken`, received };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Waits recorded instead of slept: the retries' schedule is checked, the test stays fast. */
function clock(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('posting to a webhook', () => {
  it('posts the body as JSON once when the webhook accepts it', async () => {
    const hook = await webhook((_, __, response) => response.writeHead(200).end('ok'));
    const outcome = await postWebhook(new URL(hook.url), { text: 'hello' });
    expect(outcome).toEqual({ ok: true, status: 200, attempts: 1 });
    expect(hook.received).toEqual([{ method: 'POST', path: '/services/T0001/B0002/s3cr3tT0ken', contentType: 'application/json; charset=utf-8', body: '{"text":"hello"}' }]);
  });

  it('retries after a 500 and a 429, waiting longer each time or as Retry-After says, then succeeds', async () => {
    const hook = await webhook((index, _, response) => {
      if (index === 0) response.writeHead(500).end('busy');
      else if (index === 1) response.writeHead(429, { 'retry-after': '3' }).end();
      else response.writeHead(204).end();
    });
    const { waits, sleep } = clock();
    const outcome = await postWebhook(new URL(hook.url), { text: 'x' }, { backoffMs: 100, sleep });
    expect(outcome).toEqual({ ok: true, status: 204, attempts: 3 });
    expect(waits).toEqual([100, 3000]);
    expect(hook.received.map((request) => request.body)).toEqual(['{"text":"x"}', '{"text":"x"}', '{"text":"x"}']);
  });

  it('gives up after its attempts on a webhook that keeps failing, naming the last status', async () => {
    const hook = await webhook((_, __, response) => response.writeHead(503).end('down for maintenance'));
    const { waits, sleep } = clock();
    const outcome = await postWebhook(new URL(hook.url), {}, { attempts: 4, backoffMs: 50, sleep });
    expect(outcome).toEqual({ ok: false, reason: 'HTTP 503: down for maintenance', attempts: 4 });
    expect(waits).toEqual([50, 100, 200]);
    expect(hook.received).toHaveLength(4);
  });

  it('does not retry a 4xx other than 429: the request itself is wrong', async () => {
    const hook = await webhook((_, __, response) => response.writeHead(404).end('no_team'));
    const { waits, sleep } = clock();
    expect(await postWebhook(new URL(hook.url), {}, { sleep })).toEqual({ ok: false, reason: 'HTTP 404: no_team', attempts: 1 });
    expect(waits).toEqual([]);
    expect(hook.received).toHaveLength(1);
  });

  it('stops an attempt that gets no answer in time, and retries it', async () => {
    const hook = await webhook((index, _, response) => {
      // The first request is never answered.
      if (index > 0) response.writeHead(200).end();
    });
    const { sleep } = clock();
    const started = Date.now();
    const outcome = await postWebhook(new URL(hook.url), {}, { timeoutMs: 200, sleep });
    expect(outcome).toEqual({ ok: true, status: 200, attempts: 2 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says a timeout in words when every attempt times out', async () => {
    const hook = await webhook(() => undefined);
    const { sleep } = clock();
    expect(await postWebhook(new URL(hook.url), {}, { timeoutMs: 100, attempts: 2, sleep })).toEqual({ ok: false, reason: 'no answer within 0.1 s', attempts: 2 });
  });

  it('never puts the URL path, query or user in what it reports, even when the server echoes them', async () => {
    const hook = await webhook((_, request, response) => response.writeHead(400).end(`invalid_token for ${request.url} at http://${request.headers.host}${request.url}`));
    const url = new URL(hook.url);
    const outcome = await postWebhook(url, {}, {});
    expect(outcome).toEqual({ ok: false, reason: `HTTP 400: invalid_token for [redacted] at ${redactUrl(url)}`, attempts: 1 });
    expect(JSON.stringify(outcome)).not.toContain('s3cr3tT0ken');
  });

  it('reports a refused connection without the URL', async () => {
    const hook = await webhook(() => undefined);
    const url = new URL(hook.url);
    server!.close();
    server = undefined;
    const { sleep } = clock();
    const outcome = await postWebhook(url, {}, { attempts: 2, sleep });
    expect(outcome).toMatchObject({ ok: false, attempts: 2 });
    expect(outcome.ok ? '' : outcome.reason).toMatch(/^ECONNREFUSED/);
    expect(JSON.stringify(outcome)).not.toContain('s3cr3tT0ken');
  });

  it('shows only the scheme and host of a URL', () => {
    const url = new URL('https://alice:pa55@hooks.example.com:8443/services/T/B/tok?key=k3y#frag');
    expect(redactUrl(url)).toBe('https://hooks.example.com:8443/[redacted]');
    expect(redactIn(`failed ${url.href}; user alice:pa55 path /services/T/B/tok query ?key=k3y`, url)).toBe(
      'failed https://hooks.example.com:8443/[redacted]; user [redacted]:[redacted] path [redacted] query [redacted]',
    );
  });
});
