import { escapeControl } from '../escape.js';
import type { HistoryReport, OpenFinding, ReportedFinding } from './analyse.js';

// What `gatewarden report --notify URL` posts: the new critical and high findings since the previous
// run and the findings past their SLA, as a Slack message or a generic JSON document. Pure: building
// the payload is separate from posting it (webhook.ts), so each is tested on its own.

/** The shapes a notification is posted in. */
export type NotifyFormat = 'slack' | 'json';

/** Every format, as `--notify-format` takes them. */
export const NOTIFY_FORMATS: readonly NotifyFormat[] = ['slack', 'json'];

/** True for a name of {@link NOTIFY_FORMATS}. */
export function isNotifyFormat(name: string): name is NotifyFormat {
  return (NOTIFY_FORMATS as readonly string[]).includes(name);
}

/**
 * The format for a webhook when `--notify-format` does not say: Slack's incoming webhooks take only
 * their own shape; any other endpoint gets the generic JSON, which says more and is easier to route.
 */
export function defaultNotifyFormat(url: URL): NotifyFormat {
  return url.hostname === 'hooks.slack.com' ? 'slack' : 'json';
}

/** What a notification says; absent when there is nothing worth waking anyone for. */
export interface Notification {
  readonly run: { readonly id: string; readonly startedAt: string };
  /** The previous run the new findings are measured from. */
  readonly previous?: { readonly id: string; readonly startedAt: string };
  /** Critical and high findings open now and not open in the previous run. */
  readonly newFindings: readonly ReportedFinding[];
  readonly pastSla: readonly OpenFinding[];
}

/** Findings listed in a Slack message before "and N more": Slack caps a message's blocks and text. */
export const SLACK_LISTED = 15;

/** Findings listed in the JSON notification; the report itself has every one. */
export const JSON_LISTED = 200;

/**
 * The notification of a report, or undefined when no critical or high finding is new since the
 * previous run and none is past its SLA (a first run has no previous one: nothing is new in it).
 */
export function notificationOf(report: HistoryReport): Notification | undefined {
  if (report.latest === undefined) return undefined;
  const newFindings = (report.sincePrevious?.new ?? []).filter((finding) => finding.severity === 'critical' || finding.severity === 'high');
  if (newFindings.length === 0 && report.pastSla.length === 0) return undefined;
  return {
    run: { id: report.latest.id, startedAt: report.latest.startedAt },
    ...(report.sincePrevious ? { previous: report.sincePrevious.from } : {}),
    newFindings,
    pastSla: report.pastSla,
  };
}

/** One line: `3 new critical or high findings, 1 past its SLA`. */
export function describeNotification(notification: Notification): string {
  const parts = [];
  if (notification.newFindings.length > 0) parts.push(`${notification.newFindings.length} new critical or high finding${notification.newFindings.length === 1 ? '' : 's'}`);
  if (notification.pastSla.length > 0) parts.push(`${notification.pastSla.length} past ${notification.pastSla.length === 1 ? 'its' : 'their'} SLA`);
  return parts.join(', ');
}

/** The body to post, in `format`. */
export function notificationPayload(notification: Notification, format: NotifyFormat): unknown {
  return format === 'slack' ? slackPayload(notification) : jsonPayload(notification);
}

/**
 * Slack's `mrkdwn` reads `&`, `<` and `>` as markup (`<!channel>` pings everyone, `<url|text>` is a
 * link): values from the input are escaped as Slack documents, their control characters made
 * visible, and backticks, which would end the code span they are shown in, replaced.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
function slackText(value: string): string {
  return escapeControl(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', "'");
}

function where(finding: ReportedFinding): string {
  return finding.location ?? finding.resourceId ?? finding.address;
}

function slackLine(finding: ReportedFinding, extra = ''): string {
  const route = finding.routeKey !== undefined && !finding.address.endsWith(finding.routeKey) ? ` (${finding.routeKey})` : '';
  return `• *${finding.severity}* \`${slackText(finding.policyId)}\` ${slackText(finding.address + route)} at \`${slackText(where(finding))}\`${extra}`;
}

function slackList(title: string, lines: readonly string[]): Record<string, unknown> {
  const shown = lines.slice(0, SLACK_LISTED);
  const more = lines.length - shown.length;
  return { type: 'section', text: { type: 'mrkdwn', text: [`*${title}*`, ...shown, ...(more > 0 ? [`…and ${more} more (see the report)`] : [])].join('\n') } };
}

/** A Slack incoming-webhook message: `text` for notifications and clients without blocks, and blocks. */
function slackPayload(notification: Notification): { text: string; blocks: unknown[] } {
  const summary = `gatewarden: ${describeNotification(notification)} in run ${slackText(notification.run.id)}`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${summary}*` } }];
  if (notification.newFindings.length > 0) {
    const since = notification.previous ? ` since run ${slackText(notification.previous.id)}` : '';
    blocks.push(slackList(`New critical and high findings${since}`, notification.newFindings.map((finding) => slackLine(finding))));
  }
  if (notification.pastSla.length > 0) {
    blocks.push(slackList('Past their SLA', notification.pastSla.map((finding) => slackLine(finding, `: open ${finding.ageDays} days, SLA ${finding.slaDays ?? '?'} days`))));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Run ${slackText(notification.run.id)} started ${notification.run.startedAt}` }] });
  return { text: summary, blocks };
}

function jsonFinding(finding: ReportedFinding): Record<string, unknown> {
  return {
    fingerprint: finding.fingerprint,
    severity: finding.severity,
    policyId: finding.policyId,
    provider: finding.provider,
    address: finding.address,
    ...(finding.routeKey !== undefined ? { routeKey: finding.routeKey } : {}),
    ...(finding.location !== undefined ? { location: finding.location } : {}),
    ...(finding.resourceId !== undefined ? { resourceId: finding.resourceId } : {}),
    message: finding.message,
    scope: finding.scope,
  };
}

/** The generic JSON notification (`kind` and `schemaVersion` let a receiver route and check it). */
function jsonPayload(notification: Notification): Record<string, unknown> {
  return {
    kind: 'gatewarden-notification',
    schemaVersion: 1,
    summary: `gatewarden: ${describeNotification(notification)} in run ${notification.run.id}`,
    run: notification.run,
    ...(notification.previous ? { previous: notification.previous } : {}),
    counts: { new: notification.newFindings.length, pastSla: notification.pastSla.length },
    new: notification.newFindings.slice(0, JSON_LISTED).map(jsonFinding),
    pastSla: notification.pastSla.slice(0, JSON_LISTED).map((finding) => ({ ...jsonFinding(finding), firstSeen: finding.firstSeen, ageDays: finding.ageDays, ...(finding.slaDays !== undefined ? { slaDays: finding.slaDays } : {}) })),
  };
}
