import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from './config/load.js';
import { evaluatePolicies } from './engine/evaluate.js';
import { configSuppressions, loadPolicySet, resolveLimits, withBaseline } from './settings.js';
import { GatewardenError } from './errors.js';
import type { Diagnostic } from './model/diagnostic.js';
import type { Entity } from './model/entities.js';
import { buildReport, type ScanReport } from './report/report.js';
import { displayPath } from './sources/paths.js';
import { version } from './version.js';
import { pushAll } from './arrays.js';
import { limitDiagnostic, type Limits } from './limits.js';

/** What to audit and how. */
export interface AuditAwsOptions {
  /** Directory policy paths resolve against. */
  readonly cwd: string;
  readonly profile?: string;
  readonly roleArn?: string;
  /** A file with one role ARN per line (`#` comments): each account is audited through its role. */
  readonly accountsFile?: string;
  /** Regions to read; default: every region enabled for the account. */
  readonly regions?: readonly string[];
  readonly endpointUrl?: string;
  /** Fixed credentials instead of the default chain (tests). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly policyDirs?: readonly string[];
  readonly builtInPolicies?: boolean;
  /** Calls in flight per region (default 4) and regions read at once (default 4). */
  readonly concurrency?: number;
  readonly regionConcurrency?: number;
  /** Attempts per call, throttling and timeouts included (default 8). */
  readonly maxAttempts?: number;
  /** The time limit of one call, from the request to the last byte of the response (default 30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * The time limit of the whole audit (default 30 minutes): when it passes, the calls under way are
   * abandoned and the report covers the regions that finished, naming the others.
   */
  readonly timeoutMs?: number;
  /** Stops the audit when it fires (the CLI fires it on Ctrl-C); the report covers the regions that finished. */
  readonly signal?: AbortSignal;
  /** The date suppressions are compared with (tests pin it). */
  readonly today?: Date;
  /** A loaded `.gatewarden.yaml`: its policies section, suppressions (by ARN) and baseline apply. */
  readonly config?: LoadedConfig;
  /** A baseline file (`--baseline`), relative to `cwd`; the config file's when absent. */
  readonly baseline?: string;
  /** Limits set on the command line (`--limit`); they win over the config file's `limits:`. */
  readonly limits?: Partial<Limits>;
  readonly onProgress?: (message: string) => void;
}

/** Why an audit stopped before it read everything it was asked to. */
export type AuditStopReason =
  /** Its time limit (`timeoutMs`, `--timeout`) passed. */
  | 'timeout'
  /** `signal` fired (Ctrl-C). */
  | 'interrupted'
  /** It listed more items than the `entities` limit allows. */
  | 'entities';

/** The result of an audit: the report, the number of API calls it took, and why it stopped early, if it did. */
export interface AuditResult {
  readonly report: ScanReport;
  readonly calls: number;
  readonly stopped?: AuditStopReason;
}

/** The default time limit of a whole audit: an account with thousands of APIs, throttled, fits in it. */
export const DEFAULT_AUDIT_TIMEOUT_MS = 30 * 60_000;

/** A duration as a person reads it: `30 min`, `10 s`, `1.5 s`, `250 ms`. */
function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms} ms`;
}

const NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'OptInRequired']);

/** Reads the role ARNs of an accounts file. */
function readAccounts(file: string, cwd: string): string[] {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new GatewardenError('usage', `cannot read --accounts ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roles = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
  const bad = roles.find((role) => !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(role));
  if (bad) throw new GatewardenError('usage', `--accounts ${file}: "${bad}" is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)`);
  if (roles.length === 0) throw new GatewardenError('usage', `--accounts ${file} lists no role ARN`);
  return roles;
}

/** Runs tasks with at most `limit` in flight, keeping their order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}

/**
 * Audits live AWS accounts: reads every REST, HTTP and WebSocket API of each region through the API
 * Gateway control plane (`GET`s only, never a key's value), turns it into the common model and
 * evaluates the policies, as a scan does for code. A region or call that fails is a diagnostic and
 * the rest goes on; the report then says the audit is incomplete. The AWS SDK is loaded here, never
 * by other commands.
 *
 * Every call has a deadline and a size limit, every listing is bounded (`audit-items`), and so is the
 * whole audit, in time (`timeoutMs`) and in items (`entities`). When the audit stops early (its
 * deadline, `signal`, the `entities` limit), the calls under way are abandoned, and the report holds
 * the regions that finished and names every region and account that did not, as errors.
 */
export async function auditAws(options: AuditAwsOptions): Promise<AuditResult> {
  const startedAt = new Date().toISOString();
  const cwd = path.resolve(options.cwd);
  const relative = (file: string): string => displayPath(cwd, file);
  const config = options.config?.config;
  const limits = resolveLimits(options);
  const loaded = loadPolicySet({ ...options, cwd }, relative);
  const roles: ReadonlyArray<string | undefined> = options.accountsFile ? readAccounts(options.accountsFile, cwd) : [options.roleArn];

  const [{ openAwsSession }, { fetchRegion }, { adaptAwsLive }, { defaultRegions }, { classifyAwsError, describeSignInFailure }] = await Promise.all([
    import('../providers/aws/live/session.js'),
    import('../providers/aws/live/fetch.js'),
    import('../providers/aws/live/index.js'),
    import('../providers/aws/live/regions.js'),
    import('../providers/aws/live/errors.js'),
  ]);

  // One signal stops everything: the deadline, the caller's signal (Ctrl-C), the entities budget.
  const controller = new AbortController();
  const stop = controller.signal;
  // Every call in flight, and every retry waiting, listens to it: thousands at once are expected.
  setMaxListeners(0, stop);
  let stopReason: AuditStopReason | undefined;
  const stopWith = (reason: AuditStopReason): void => {
    if (stop.aborted) return;
    stopReason = reason;
    controller.abort(reason);
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
  const deadline = setTimeout(() => stopWith('timeout'), timeoutMs);
  const interrupt = (): void => stopWith('interrupted');
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const why = (): string => {
    if (stopReason === 'timeout') return `the audit's time limit (--timeout ${formatDuration(timeoutMs)}) passed`;
    if (stopReason === 'interrupted') return 'the audit was interrupted (Ctrl-C)';
    return 'the audit stopped at the "entities" limit';
  };
  const again = (region?: string): string =>
    stopReason === 'timeout'
      ? `run the audit again with a longer --timeout${region !== undefined ? `, or with --regions ${region}` : ''}`
      : stopReason === 'interrupted'
        ? 'run the audit again to audit it'
        : 'raise the "entities" limit (see the limit error) to audit it';

  // Items listed count against the `entities` limit as they come, so that the audit stops reading
  // before it holds far more than the limit allows. Most items become one entity; those that make
  // several (a resource's methods are routes) are caught when each region is translated.
  let budget = limits.entities;
  let budgetSpentAt: string | undefined;
  const takeItems = (count: number, operation: string): boolean => {
    budget -= count;
    if (budget >= 0) return true;
    budgetSpentAt ??= operation;
    stopWith('entities');
    return false;
  };

  const entities: Entity[] = [];
  const diagnostics: Diagnostic[] = [];
  const targets: string[] = [];
  let calls = 0;
  const defaultRegion = options.regions?.[0] ?? process.env.AWS_REGION ?? 'us-east-1';
  try {
    for (const role of roles) {
      const who = role !== undefined ? `the account of ${role}` : 'the account';
      if (stop.aborted) {
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `${who} was not audited: ${why()}; ${again()}`, ...(role !== undefined ? { address: role } : {}) });
        continue;
      }
      let session;
      try {
        session = await openAwsSession({
          ...(options.profile !== undefined ? { profile: options.profile } : {}),
          ...(role !== undefined ? { roleArn: role } : {}),
          ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
          ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
          maxAttempts: options.maxAttempts ?? 8,
          requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
          maxResponseBytes: limits['audit-response-size'],
          defaultRegion,
          stop,
        });
      } catch (error) {
        const describe = (cause: unknown) =>
          describeSignInFailure(classifyAwsError(cause), {
            ...(role !== undefined ? { role } : {}),
            ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
            region: defaultRegion,
          });
        if (stop.aborted) {
          // What the retries were up against, when the stop came while waiting for the next one.
          const last = error instanceof Error && error.cause !== undefined ? ` (the last attempt: ${describe(error.cause).message})` : '';
          diagnostics.push({ severity: 'error', code: 'not-scanned', message: `${who} was not audited: ${why()} while signing in${last}; ${again()}`, ...(role !== undefined ? { address: role } : {}) });
          continue;
        }
        // A gap in the audit, reported like any other: the outputs are written (a CI step uploading
        // SARIF finds its file), and the exit code says the audit is incomplete.
        const failure = describe(error);
        diagnostics.push({ severity: 'error', code: 'read-error', message: roles.length === 1 ? failure.message : `${failure.message}; that account is not audited`, ...(role !== undefined ? { address: role } : {}) });
        continue;
      }
      const account = session.account;
      const explicit = options.regions !== undefined && options.regions.length > 0;
      const regions = explicit ? options.regions!.map((region) => ({ region, optIn: false })) : defaultRegions(session.partition);
      let regionsDone = 0;
      const raws = await mapLimited(regions, options.regionConcurrency ?? 4, async ({ region, optIn }) => {
        if (stop.aborted) return { region, notStarted: true as const };
        const raw = await fetchRegion(session.clients(region), {
          account,
          region,
          partition: session.partition,
          concurrency: options.concurrency ?? 4,
          maxItems: limits['audit-items'],
          takeItems,
          stop,
          onApi: (done, total) => options.onProgress?.(`auditing ${account}: ${regionsDone}/${regions.length} regions, ${region} ${done}/${total} APIs`),
        });
        regionsDone++;
        options.onProgress?.(`auditing ${account}: ${regionsDone}/${regions.length} regions`);
        const refused = raw.problems.find((problem) => problem.kind === 'call-failed' && problem.operation === 'GetRestApis');
        // An opt-in region the account has not enabled rejects the credentials: not a gap in the audit.
        if (!explicit && optIn && refused?.kind === 'call-failed' && NOT_ENABLED.has(refused.error)) {
          return { region, raw: { ...raw, problems: [] }, notEnabled: true };
        }
        return { region, raw, notEnabled: false };
      });
      for (const result of raws) {
        const regionArn = `arn:${session.partition}:apigateway:${result.region}::/`;
        if ('notStarted' in result) {
          diagnostics.push({ severity: 'error', code: 'not-scanned', message: `region ${result.region} of account ${account} was not audited: ${why()} before it was read; ${again(result.region)}`, address: regionArn });
          continue;
        }
        const { raw } = result;
        calls += raw.calls;
        if (raw.stopped) {
          const under = raw.stopped.inFlight.length > 0 ? `; calls under way: ${raw.stopped.inFlight.slice(0, 5).join(', ')}${raw.stopped.inFlight.length > 5 ? ` and ${raw.stopped.inFlight.length - 5} more` : ''}` : '';
          diagnostics.push({ severity: 'error', code: 'not-scanned', message: `region ${raw.region} of account ${account} was not finished: ${why()}${under}. None of its APIs are in the report; ${again(raw.region)}`, address: regionArn });
          continue;
        }
        if (result.notEnabled) {
          diagnostics.push({ severity: 'info', code: 'not-scanned', message: `region ${raw.region} is not enabled for account ${raw.account}; it was skipped` });
          continue;
        }
        const adapted = adaptAwsLive(raw);
        if (entities.length + adapted.entities.length > limits.entities) {
          // Items were counted as they were listed, but one item can make several entities.
          diagnostics.push(limitDiagnostic({ name: 'entities', limit: limits.entities, found: entities.length + adapted.entities.length, what: `region ${raw.region} of account ${account} would bring the audit to ${entities.length + adapted.entities.length} entities; its APIs are not in the report`, address: regionArn }));
          continue;
        }
        targets.push(`aws:${raw.account}/${raw.region}`);
        pushAll(entities, adapted.entities);
        pushAll(diagnostics, adapted.diagnostics);
      }
      session.destroy();
    }
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', interrupt);
  }
  if (budgetSpentAt !== undefined) {
    diagnostics.unshift(limitDiagnostic({ name: 'entities', limit: limits.entities, what: `${budgetSpentAt} brought the items the audit listed over the limit; the audit stopped there, and the regions not finished are named below` }));
  }
  options.onProgress?.(`evaluating ${loaded.policies.length} policies on ${entities.length} entities`);
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  const evaluation = await evaluatePolicies(entities, loaded.policies, {
    ...(options.today ? { today: options.today } : {}),
    limits: resolveLimits(options),
    ...(config ? { suppressions: { external: configSuppressions(config, cwd, today) } } : {}),
  });
  const baselined = withBaseline(evaluation, { ...options, cwd }, relative);
  const report = buildReport({
    version: version(),
    scanRoot: cwd,
    targets,
    files: [],
    entities,
    evaluation: baselined.evaluation,
    diagnostics: [...(options.config?.warnings ?? []), ...diagnostics, ...loaded.diagnostics, ...baselined.diagnostics],
    policies: loaded.policies,
    timing: { startedAt, finishedAt: new Date().toISOString() },
  });
  return { report, calls, ...(stopReason !== undefined ? { stopped: stopReason } : {}) };
}
