import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { LIVE_AUDITORS, type AuditStopReason, type LiveAuditContext, type LiveAuditor, type LiveOptionsOf, type LiveProviderName } from '../../providers/live.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ScanReport } from '../report/report.js';
import { displayPath } from '../sources/paths.js';
import { limitDiagnostic } from '../limits.js';
import { checkAndReport } from './check.js';
import { loadPolicySet, resolveLimits, type PipelineSettings } from './settings.js';

export type { AuditStopReason } from '../../providers/live.js';

/** How to run an audit: the settings every run shares, its bounds, and the provider's own options. */
export type AuditOptions<K extends LiveProviderName> = PipelineSettings &
  LiveOptionsOf<K> & {
    /**
     * The time limit of the whole audit (default 30 minutes): when it passes, the calls under way are
     * abandoned and the report covers what finished, naming the rest.
     */
    readonly timeoutMs?: number;
    /** Stops the audit when it fires (the CLI fires it on Ctrl-C); the report covers what finished. */
    readonly signal?: AbortSignal;
    readonly onProgress?: (message: string) => void;
  };

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

/**
 * Audits live accounts of one provider of the registry (providers/live.ts): loads the policies, reads
 * the accounts through the provider (read-only), and checks what it read on the path every run shares
 * (src/pipeline/check.ts), as a scan does for code.
 *
 * The audit is bounded in time (`timeoutMs`) and in items (`entities`, counted as they are listed),
 * and `signal` stops it: one signal reaches every call of the provider, which then reports what it
 * finished and names what it did not.
 */
export async function audit<K extends LiveProviderName>(provider: K, options: AuditOptions<K>): Promise<AuditResult> {
  const startedAt = new Date().toISOString();
  const cwd = path.resolve(options.cwd);
  const relative = (file: string): string => displayPath(cwd, file);
  const limits = resolveLimits(options);
  // Before any call: a config file naming an unknown policy stops the run before a long audit.
  const policies = loadPolicySet({ ...options, cwd }, relative);
  // The registry's type ties each name to its options; TypeScript cannot follow that through an index.
  const auditor = LIVE_AUDITORS[provider] as unknown as LiveAuditor<LiveOptionsOf<K>>;
  // The SDK loads before the clock starts: on a loaded CI machine that alone can take seconds.
  const run = await auditor.load();

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

  // Items listed count against the `entities` limit as they come, so that the audit stops reading
  // before it holds far more than the limit allows. Most items become one entity; those that make
  // several are caught by the provider when it translates them.
  let budget = limits.entities;
  let budgetSpentAt: string | undefined;
  const context: LiveAuditContext = {
    cwd,
    limits,
    stop,
    takeItems: (count, operation) => {
      budget -= count;
      if (budget >= 0) return true;
      budgetSpentAt ??= operation;
      stopWith('entities');
      return false;
    },
    stoppedBecause: () => {
      if (stopReason === 'timeout') return `the audit's time limit (--timeout ${formatDuration(timeoutMs)}) passed`;
      if (stopReason === 'interrupted') return 'the audit was interrupted (Ctrl-C)';
      return 'the audit stopped at the "entities" limit';
    },
    remedy: (narrower) =>
      stopReason === 'timeout'
        ? `run the audit again with a longer --timeout${narrower !== undefined ? `, or with ${narrower}` : ''}`
        : stopReason === 'interrupted'
          ? 'run the audit again to audit it'
          : 'raise the "entities" limit (see the limit error) to audit it',
    progress: (message) => options.onProgress?.(message),
  };
  let read;
  try {
    read = await run(options, context);
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', interrupt);
  }
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  if (budgetSpentAt !== undefined) {
    diagnostics.unshift(limitDiagnostic({ name: 'entities', limit: limits.entities, what: `${budgetSpentAt} brought the items the audit listed over the limit; the audit stopped there, and what it did not finish is named below` }));
  }
  const report = await checkAndReport({ targets: read.targets, files: [], entities: read.entities, diagnostics }, policies, { ...options, cwd, startedAt }, relative);
  return { report, calls: read.calls, ...(stopReason !== undefined ? { stopped: stopReason } : {}) };
}
