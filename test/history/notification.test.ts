import { describe, expect, it } from 'vitest';
import { analyseHistory } from '../../src/history/analyse.js';
import type { HistoryFinding, HistoryRun, HistoryShard } from '../../src/history/model.js';
import { defaultNotifyFormat, describeNotification, notificationOf, notificationPayload, SLACK_LISTED } from '../../src/history/notification.js';

// Runs written by hand, as in analyse.test.ts: ages and SLAs pinned to the day.

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T02:00:00.000Z');
const at = (day: number): string => new Date(start + day * DAY).toISOString();

function finding(fingerprint: string, severity: HistoryFinding['severity'], extra: Partial<HistoryFinding> & { live?: true } = {}): HistoryFinding {
  const { live, ...rest } = extra;
  const made: HistoryFinding = { fingerprint, state: 'open', policyId: `policy-${fingerprint}`, severity, provider: 'aws', frameworks: {}, entityKind: 'route', entityId: `entity-${fingerprint}`, address: `aws_api_gateway_method.${fingerprint}`, location: `main.tf:${fingerprint.length}`, file: 'main.tf', message: `message ${fingerprint}`, ...rest };
  if (!live) return made;
  // A live resource has a resource id, no file and line.
  const { location: _location, file: _file, ...withoutFile } = made;
  return withoutFile;
}

function run(day: number, findings: HistoryFinding[]): HistoryRun {
  const shard: HistoryShard = { runId: `day-${day}`, command: 'scan', startedAt: at(day), finishedAt: at(day), toolVersion: '0.1.0', scope: 'scan /repo: .', targets: ['.'], incomplete: false, unreadFiles: [], unscopedErrors: 0, findings };
  return { id: shard.runId, startedAt: shard.startedAt, finishedAt: shard.finishedAt, commands: ['scan'], incomplete: false, shards: [shard] };
}

const runs = [
  run(0, [finding('old', 'critical'), finding('m', 'medium')]),
  run(9, [
    finding('old', 'critical'),
    finding('m', 'medium'),
    // New tonight: a critical, a high, and a medium that is not worth a message.
    finding('new-critical', 'critical', { routeKey: 'GET /orders', address: 'aws_api_gateway_method.orders' }),
    finding('new-high', 'high', { address: 'evil <!channel> & `code`', live: true, resourceId: 'arn:aws:apigateway:eu-west-1::/restapis/abc' }),
    finding('new-medium', 'medium'),
  ]),
];
const report = analyseHistory(runs, { now: new Date(start + 9 * DAY), sla: { critical: 7 * DAY } });

describe('the notification of a nightly report', () => {
  it('holds the new critical and high findings and those past their SLA, nothing else', () => {
    const notification = notificationOf(report)!;
    expect(notification.run).toEqual({ id: 'day-9', startedAt: at(9) });
    expect(notification.previous).toEqual({ id: 'day-0', startedAt: at(0) });
    expect(notification.newFindings.map((f) => f.fingerprint)).toEqual(['new-critical', 'new-high']);
    expect(notification.pastSla.map((f) => [f.fingerprint, f.ageDays, f.slaDays])).toEqual([['old', 9, 7]]);
    expect(describeNotification(notification)).toBe('2 new critical or high findings, 1 past its SLA');
  });

  it('is absent when nothing is new or late, and in a first run', () => {
    expect(notificationOf(analyseHistory([runs[0]!, run(1, [finding('old', 'critical'), finding('x', 'medium')])], { now: new Date(start + DAY), sla: { critical: 7 * DAY } }))).toBeUndefined();
    expect(notificationOf(analyseHistory(runs.slice(0, 1), { now: new Date(start) }))).toBeUndefined();
    expect(notificationOf(analyseHistory([], { now: new Date(start) }))).toBeUndefined();
  });

  it('posts Slack text and blocks, with values from the input escaped for mrkdwn', () => {
    const payload = notificationPayload(notificationOf(report)!, 'slack') as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(payload.text).toBe('gatewarden: 2 new critical or high findings, 1 past its SLA in run day-9');
    expect(payload.blocks.map((block) => block.type)).toEqual(['section', 'section', 'section', 'context']);
    expect(payload.blocks[1]!.text!.text).toBe(
      [
        '*New critical and high findings since run day-0*',
        '• *critical* `policy-new-critical` aws_api_gateway_method.orders (GET /orders) at `main.tf:12`',
        "• *high* `policy-new-high` evil &lt;!channel&gt; &amp; 'code' at `arn:aws:apigateway:eu-west-1::/restapis/abc`",
      ].join('\n'),
    );
    expect(payload.blocks[2]!.text!.text).toBe('*Past their SLA*\n• *critical* `policy-old` aws_api_gateway_method.old at `main.tf:3`: open 9 days, SLA 7 days');
    expect(payload.blocks[3]!.elements![0]!.text).toBe(`Run day-9 started ${at(9)}`);
  });

  it('lists a few findings in Slack and says how many more', () => {
    const many = Array.from({ length: SLACK_LISTED + 3 }, (_, index) => finding(`n${String(index).padStart(2, '0')}`, 'high'));
    const payload = notificationPayload(notificationOf(analyseHistory([run(0, []), run(1, many)], { now: new Date(start + DAY) }))!, 'slack') as { blocks: Array<{ text?: { text: string } }> };
    const lines = payload.blocks[1]!.text!.text.split('\n');
    expect(lines).toHaveLength(1 + SLACK_LISTED + 1);
    expect(lines.at(-1)).toBe('…and 3 more (see the report)');
  });

  it('posts generic JSON with every field a receiver routes on', () => {
    const payload = notificationPayload(notificationOf(report)!, 'json');
    expect(payload).toEqual({
      kind: 'gatewarden-notification',
      schemaVersion: 1,
      summary: 'gatewarden: 2 new critical or high findings, 1 past its SLA in run day-9',
      run: { id: 'day-9', startedAt: at(9) },
      previous: { id: 'day-0', startedAt: at(0) },
      counts: { new: 2, pastSla: 1 },
      new: [
        { fingerprint: 'new-critical', severity: 'critical', policyId: 'policy-new-critical', provider: 'aws', address: 'aws_api_gateway_method.orders', routeKey: 'GET /orders', location: 'main.tf:12', message: 'message new-critical', scope: 'scan /repo: .' },
        { fingerprint: 'new-high', severity: 'high', policyId: 'policy-new-high', provider: 'aws', address: 'evil <!channel> & `code`', resourceId: 'arn:aws:apigateway:eu-west-1::/restapis/abc', message: 'message new-high', scope: 'scan /repo: .' },
      ],
      pastSla: [{ fingerprint: 'old', severity: 'critical', policyId: 'policy-old', provider: 'aws', address: 'aws_api_gateway_method.old', location: 'main.tf:3', message: 'message old', scope: 'scan /repo: .', firstSeen: at(0), ageDays: 9, slaDays: 7 }],
    });
  });

  it('chooses Slack for hooks.slack.com and JSON elsewhere', () => {
    expect(defaultNotifyFormat(new URL('https://hooks.slack.com/services/T0/B0/x'))).toBe('slack');
    expect(defaultNotifyFormat(new URL('https://hooks.slack.com.example.net/x'))).toBe('json');
    expect(defaultNotifyFormat(new URL('https://alerts.example.com/gatewarden'))).toBe('json');
  });
});
