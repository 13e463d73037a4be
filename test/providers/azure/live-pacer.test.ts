import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readPacer } from '../../../providers/azure/live/pacer.js';
import { audit as auditLive } from '../../../src/pipeline/audit.js';
import { startFakeArm, type FakeArm, type FakeService } from '../../helpers/fake-arm.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SUB = '3c1f0a4e-8b2d-4e6f-a1c3-5d7e9f0b2a4c';
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** An instance of `apis` APIs of three operations, each API with a policy. */
function instance(name: string, apis: number): FakeService {
  return {
    resourceGroup: 'rg-paced',
    name,
    apis: Array.from({ length: apis }, (_, a) => ({
      name: `api-${a}`,
      properties: { path: `api${a}`, protocols: ['https'], subscriptionRequired: true },
      policy: '<policies><inbound><base /><rate-limit calls="10" renewal-period="60" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>',
      operations: [0, 1, 2].map((o) => ({ name: `op-${o}`, properties: { method: 'GET', urlTemplate: `/r${o}` } })),
    })),
  };
}

describe('pacing the reads of a subscription to its read limit', () => {
  it('sends a bucket of reads at once, then one per refill interval, and takes in the reads Resource Manager says are left', async () => {
    let now = 0;
    const pacer = readPacer({ bucket: 2, perSecond: 100 }, () => now);
    const stop = new AbortController().signal;
    const timed = async (subscription: string): Promise<number> => {
      const started = performance.now();
      await pacer.take(subscription, stop);
      return performance.now() - started;
    };
    expect(await timed(SUB)).toBeLessThan(5);
    expect(await timed(SUB)).toBeLessThan(5);
    // The bucket is empty: the third read waits for its token (1.5 tokens at 100/s: 15 ms).
    expect(await timed(SUB)).toBeGreaterThanOrEqual(12);
    // Another subscription has its own bucket.
    expect(await timed('other')).toBeLessThan(5);
    // A second later the bucket is full again, unless Resource Manager says other clients used it.
    now = 1000;
    pacer.observe('other', 0);
    expect(await timed('other')).toBeGreaterThanOrEqual(12);
    expect(await timed(SUB)).toBeLessThan(5);
  });

  it('stops waiting when the audit stops', async () => {
    const pacer = readPacer({ bucket: 1, perSecond: 1 }, () => 0);
    const controller = new AbortController();
    await pacer.take(SUB, controller.signal);
    const waiting = pacer.take(SUB, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });

  it('audits a subscription behind ARM read limit without one 429, at the rate the limit allows', async () => {
    const limit = { bucket: 20, perSecond: 100 };
    fake = await startFakeArm({ readLimit: limit, subscriptions: { [SUB]: { services: [instance('apim-paced', 12)] } } });
    const started = performance.now();
    const { report, calls } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, subscriptions: [SUB], readLimit: limit });
    const wallMs = performance.now() - started;
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, routes: 36 });
    expect(fake.throttledByLimit).toBe(0);
    expect(fake.requests.every((request) => request.status === 200 || request.status === 404)).toBe(true);
    // 12 APIs: each its operations and its policy; the instance's own listings.
    expect(calls).toBeGreaterThan(limit.bucket + 10);
    expect(wallMs).toBeGreaterThanOrEqual(((calls - limit.bucket) / limit.perSecond) * 1000 * 0.8);
  });

  it('still completes when the client does not know the limit: every 429 is retried after its Retry-After', async () => {
    fake = await startFakeArm({ readLimit: { bucket: 10, perSecond: 100 }, subscriptions: { [SUB]: { services: [instance('apim-unpaced', 8)] } } });
    const { report } = await auditLive('azure', { cwd: repo, endpointUrl: fake.url, credential, subscriptions: [SUB], readLimit: { bucket: 10_000, perSecond: 10_000 } });
    expect(fake.throttledByLimit).toBeGreaterThan(0);
    expect(fake.requests.filter((request) => request.status === 429).length).toBe(fake.throttledByLimit);
    expect(report.summary).toMatchObject({ incomplete: false, errors: 0, routes: 24 });
  }, 20_000);
});
