import { escapeControl } from '../escape.js';
import type { HistoryReport } from '../history/analyse.js';
import type { NotifyFormat } from '../history/notification.js';
import type { PostOptions } from '../history/webhook.js';
import type { CliIo } from './io.js';

/** Where and how `gatewarden report --notify` posts. */
export interface NotifyTarget {
  readonly url: URL;
  readonly format: NotifyFormat;
}

/**
 * Posts the report's notification, after the report is written. It never fails the command: what
 * happened is one line on standard error (a failure as a warning), with the URL shown only as its
 * scheme and host.
 */
export async function notify(report: HistoryReport, target: NotifyTarget, io: CliIo, options: PostOptions = {}): Promise<void> {
  const { describeNotification, notificationOf, notificationPayload } = await import('../history/notification.js');
  const { postWebhook, redactUrl } = await import('../history/webhook.js');
  const shown = redactUrl(target.url);
  const notification = notificationOf(report);
  if (notification === undefined) {
    io.stderr.write(`gatewarden: nothing to notify ${shown} of: no new critical or high finding since the previous run, none past its SLA\n`);
    return;
  }
  if (target.url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(target.url.hostname)) {
    io.stderr.write(`gatewarden: warning: ${shown} is plain http: the webhook's token travels unencrypted; use https\n`);
  }
  const outcome = await postWebhook(target.url, notificationPayload(notification, target.format), options);
  if (outcome.ok) {
    io.stderr.write(`gatewarden: notified ${shown} (${target.format}): ${describeNotification(notification)}\n`);
    return;
  }
  io.stderr.write(`gatewarden: warning: could not notify ${shown} after ${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}: ${escapeControl(outcome.reason)}; the report is written all the same\n`);
}
