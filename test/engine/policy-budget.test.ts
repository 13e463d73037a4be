import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/engine/evaluate.js';
import { loadPolicies } from '../../src/engine/load-policies.js';
import type { Policy } from '../../src/engine/policy.js';
import { readInventory, scan } from '../../src/pipeline/scan.js';
import type { ScanReport } from '../../src/report/report.js';
import { routeLine, writeManyRoutes } from '../helpers/many-routes.js';

// Each policy has a budget: the `policy-time` limit over all its entities and, for the user's
// policies (run in a child process of their own), the `policy-memory` limit. The limits here are small so
// that the tests are fast; the hostile policies would run for minutes or take gigabytes without them.
// A run that also holds well-behaved policies gives them 1 s: the limit is wall-clock time, and a
// loaded machine can hold a process back for tens of milliseconds.

const hostile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/hostile-policies');

let dir: string;
beforeAll(() => {
  dir = writeManyRoutes(200);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const routes = (report: ScanReport, policyId: string): Array<[string, number]> =>
  report.findings.filter((finding) => finding.policyId === policyId).map((finding) => [finding.entityId, finding.location.startLine]);

const budgetErrors = (report: ScanReport) =>
  report.diagnostics
    .filter((diagnostic) => diagnostic.code === 'evaluation-error')
    .map((diagnostic) => ({ file: diagnostic.location?.file, line: diagnostic.location?.startLine, message: diagnostic.message }));

const ADMIN_ROUTES = [0, 50, 100, 150].map((index): [string, number] => [`aws_apigatewayv2_route.r${index}`, routeLine(index)]);

describe('the budget of a policy', () => {
  it("stops a user's policy stuck in one evaluation and keeps every other policy's findings", async () => {
    const started = Date.now();
    const report = await scan({
      cwd: dir,
      policyDirs: [path.join(hostile, 'bad/nested-comprehension'), path.join(hostile, 'good')],
      limits: { 'policy-time': 1000 },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(budgetErrors(report)).toEqual([
      {
        file: expect.stringMatching(/hostile-policies\/bad\/nested-comprehension\/policy\.yaml$/),
        line: 1,
        message: expect.stringMatching(/^policy nested-comprehension was stopped after 1 s on aws_apigatewayv2_route\.r\d+ .*over the "policy-time" limit .*--limit policy-time=2s/),
      },
    ]);
    // The built-in policies (before it) and the user's policy after it (in a new process) report as usual.
    expect(routes(report, 'route-requires-auth')).toHaveLength(200);
    expect(routes(report, 'route-requires-auth')).toContainEqual(['aws_apigatewayv2_route.r199', routeLine(199)]);
    expect(routes(report, 'admin-routes-need-iam')).toEqual(ADMIN_ROUTES);
    expect(routes(report, 'nested-comprehension')).toEqual([]);
    expect(report.summary.incomplete).toBe(true);
    expect(report.summary.checks).toMatchObject({ errors: 200 });
  });

  it("stops a user's policy that is a little slow on each of many entities, and lets it finish within a larger budget", async () => {
    const report = await scan({ cwd: dir, builtInPolicies: false, policyDirs: [path.join(hostile, 'slow')], limits: { 'policy-time': 50 } });
    expect(budgetErrors(report)).toEqual([
      { file: expect.stringMatching(/slow-everywhere\/policy\.yaml$/), line: 1, message: expect.stringMatching(/^policy slow-everywhere was stopped after 50 ms .*"policy-time"/) },
    ]);
    expect(report.summary.incomplete).toBe(true);

    const generous = await scan({ cwd: dir, policyDirs: [path.join(hostile, 'slow')], limits: { 'policy-time': 60_000 } });
    expect(budgetErrors(generous)).toEqual([]);
    // 200 throttled routes, 200 passes of the slow policy, and the HTTP API, which maps no custom
    // domain, passes execute-api-endpoint-disabled.
    expect(generous.summary.checks).toMatchObject({ errors: 0, passed: 401 });
  });

  it("turns a user's policy that fills its memory into an evaluation error, not a crashed process", async () => {
    const report = await scan({
      cwd: dir,
      policyDirs: [path.join(hostile, 'memory'), path.join(hostile, 'good')],
      limits: { 'policy-memory': 64 * 1024 * 1024, 'policy-time': 60_000 },
    });
    expect(budgetErrors(report)).toEqual([
      {
        file: expect.stringMatching(/memory-hungry\/policy\.yaml$/),
        line: 1,
        message: expect.stringMatching(/^policy memory-hungry ran out of memory on aws_apigatewayv2_route\.r\d+ .*over the "policy-memory" limit .*: 64 MiB\).*--limit policy-memory=128MiB/),
      },
    ]);
    expect(routes(report, 'admin-routes-need-iam')).toEqual(ADMIN_ROUTES);
    expect(routes(report, 'route-requires-auth')).toHaveLength(200);
  });

  it('stops a built-in policy over its time between two entities, on the main thread', async () => {
    const inventory = await readInventory({ cwd: dir });
    const { policies, diagnostics } = loadPolicies([{ dir: path.join(hostile, 'slow'), builtIn: false }]);
    expect(diagnostics).toEqual([]);
    // Marked as built in, the slow policy runs where the built-in ones do.
    const asBuiltIn: Policy[] = policies.map((policy) => ({ ...policy, builtIn: true }));
    const result = await evaluatePolicies(inventory.entities, asBuiltIn, { limits: { 'policy-time': 50 } });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message.match(/^policy [\w-]+ was stopped after 50 ms on aws_apigatewayv2_route\.r\d+/) !== null])).toEqual([['evaluation-error', true]]);
    expect(result.findings).toEqual([]);
    expect(result.counts).toMatchObject({ checks: 200, errors: 200 });
  });
});
