// Posting a notification to a webhook (`gatewarden report --notify URL`). A webhook URL is a
// credential: Slack's carries its token in the path, others in the query or the user part. It is
// never printed beyond its scheme and host, in messages of our own or in errors from below.

/** How hard to try. The defaults bound a post to about 47 s: 4 attempts of 10 s, 7 s of waits. */
export interface PostOptions {
  /** Each attempt's limit, in milliseconds. */
  readonly timeoutMs?: number;
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  /** The wait before the second attempt; it doubles before each further one. */
  readonly backoffMs?: number;
  /** The longest wait a `Retry-After` header is honoured for; longer ones wait this long. */
  readonly maxRetryAfterMs?: number;
  /** Waits; tests pass their own clock. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How a post ended. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  /** `reason` names the last failure, with the URL redacted. */
  | { readonly ok: false; readonly reason: string; readonly attempts: number };

/** The defaults of {@link PostOptions}. */
export const POST_DEFAULTS = { timeoutMs: 10_000, attempts: 4, backoffMs: 1_000, maxRetryAfterMs: 30_000 } as const;

/** `https://hooks.slack.com/[redacted]`: the scheme and host of a URL, what may be shown of it. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}/[redacted]`;
}

/** `text` with every secret part of `url` (its whole text, user, password, path, query) replaced. */
export function redactIn(text: string, url: URL): string {
  const decoded = safeDecode(url.href);
  const secrets = [url.href, decoded, url.username, url.password, url.pathname.length > 1 ? url.pathname : '', url.search, url.hash]
    .filter((part) => part !== '' && part !== '/')
    .sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const secret of secrets) redacted = redacted.split(secret).join(secret === url.href || secret === decoded ? redactUrl(url) : '[redacted]');
  return redacted;
}

function safeDecode(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/** Statuses worth another attempt: rate limited, or the server's own trouble. */
function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** What went wrong with an attempt that threw (timeout, refused, DNS), in a few words. */
function failureOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** A `Retry-After` of seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
function retryAfterOf(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * POSTs `body` as JSON to `url` with Node's own fetch: each attempt limited to `timeoutMs`; a 429, a
 * 5xx or a network error (timeouts included) retried after a doubling wait (or the server's
 * `Retry-After`, up to a bound); any other status answered at once. Never throws: the outcome says
 * what happened, and no text in it holds the URL's secret parts.
 */
export async function postWebhook(url: URL, body: unknown, options: PostOptions = {}): Promise<PostOutcome> {
  const timeoutMs = options.timeoutMs ?? POST_DEFAULTS.timeoutMs;
  const attempts = Math.max(1, options.attempts ?? POST_DEFAULTS.attempts);
  const backoffMs = options.backoffMs ?? POST_DEFAULTS.backoffMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? POST_DEFAULTS.maxRetryAfterMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const payload = JSON.stringify(body);
  let reason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = backoffMs * 2 ** (attempt - 1);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'gatewarden' },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      // The body is not needed, but reading it frees the connection.
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true, status: response.status, attempts: attempt };
      reason = `HTTP ${response.status}${text.trim() !== '' ? `: ${text.trim().slice(0, 200)}` : ''}`;
      if (!isRetryable(response.status)) return { ok: false, reason: redactIn(reason, url), attempts: attempt };
      const retryAfter = retryAfterOf(response.headers.get('retry-after'), Date.now());
      if (retryAfter !== undefined) wait = Math.min(retryAfter, maxRetryAfterMs);
    } catch (error) {
      reason = failureOf(error, timeoutMs);
    }
    if (attempt < attempts) await sleep(wait);
  }
  return { ok: false, reason: redactIn(reason, url), attempts };
}
