import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from './config/load.js';
import { evaluatePolicies } from './engine/evaluate.js';
import { configSuppressions, loadPolicySet, resolveLimits, withBaseline } from './settings.js';
import { GatewardenError } from './errors.js';
import type { Diagnostic } from './model/diagnostic.js';
import type { Entity } from './model/entities.js';
import { buildReport, type ScanReport } from './report.js';
import { displayPath } from './sources/paths.js';
import { version } from './version.js';
import type { Limits } from './limits.js';

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
  /** Attempts per call, throttling included (default 8), and the time limit of one request (default 30 s). */
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
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

/** The result of an audit: the report, and the number of API calls it took. */
export interface AuditResult {
  readonly report: ScanReport;
  readonly calls: number;
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
 */
export async function auditAws(options: AuditAwsOptions): Promise<AuditResult> {
  const startedAt = new Date().toISOString();
  const cwd = path.resolve(options.cwd);
  const relative = (file: string): string => displayPath(cwd, file);
  const config = options.config?.config;
  const loaded = loadPolicySet({ ...options, cwd }, relative);
  const roles: ReadonlyArray<string | undefined> = options.accountsFile ? readAccounts(options.accountsFile, cwd) : [options.roleArn];

  const [{ openAwsSession }, { fetchRegion }, { adaptAwsLive }, { defaultRegions }] = await Promise.all([
    import('../providers/aws/live/session.js'),
    import('../providers/aws/live/fetch.js'),
    import('../providers/aws/live/index.js'),
    import('../providers/aws/live/regions.js'),
  ]);
  const entities: Entity[] = [];
  const diagnostics: Diagnostic[] = [];
  const targets: string[] = [];
  let calls = 0;
  for (const role of roles) {
    let session;
    try {
      session = await openAwsSession({
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...(role !== undefined ? { roleArn: role } : {}),
        ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
        ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
        maxAttempts: options.maxAttempts ?? 8,
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        defaultRegion: options.regions?.[0] ?? process.env.AWS_REGION ?? 'us-east-1',
      });
    } catch (error) {
      const reason = `${(error as { name?: string }).name ?? 'Error'}: ${error instanceof Error ? error.message : String(error)}`;
      // With several accounts, one that cannot be entered is a gap in the audit; alone, nothing can be done.
      if (roles.length === 1) throw new GatewardenError('credentials', `cannot sign in to AWS${role ? ` as ${role}` : ''} (${reason}); check the credentials, --profile or --role-arn`);
      diagnostics.push({ severity: 'error', code: 'read-error', message: `cannot sign in as ${role}: ${reason}; that account is not audited` });
      continue;
    }
    const explicit = options.regions !== undefined && options.regions.length > 0;
    const regions = explicit ? options.regions!.map((region) => ({ region, optIn: false })) : defaultRegions(session.partition);
    let regionsDone = 0;
    const raws = await mapLimited(regions, options.regionConcurrency ?? 4, async ({ region, optIn }) => {
      const raw = await fetchRegion(session.clients(region), {
        account: session.account,
        region,
        partition: session.partition,
        concurrency: options.concurrency ?? 4,
        onApi: (done, total) => options.onProgress?.(`auditing ${session.account}: ${regionsDone}/${regions.length} regions, ${region} ${done}/${total} APIs`),
      });
      regionsDone++;
      options.onProgress?.(`auditing ${session.account}: ${regionsDone}/${regions.length} regions`);
      const refused = raw.problems.find((problem) => problem.operation === 'GetRestApis');
      // An opt-in region the account has not enabled rejects the credentials: not a gap in the audit.
      if (!explicit && optIn && refused && NOT_ENABLED.has(refused.error)) {
        return { ...raw, problems: [], notEnabled: true };
      }
      return { ...raw, notEnabled: false };
    });
    for (const raw of raws) {
      calls += raw.calls;
      if (raw.notEnabled) {
        diagnostics.push({ severity: 'info', code: 'not-scanned', message: `region ${raw.region} is not enabled for account ${raw.account}; it was skipped` });
        continue;
      }
      targets.push(`aws:${raw.account}/${raw.region}`);
      const adapted = adaptAwsLive(raw);
      entities.push(...adapted.entities);
      diagnostics.push(...adapted.diagnostics);
    }
    for (const { region } of regions) {
      const clients = session.clients(region);
      clients.v1.destroy();
      clients.v2.destroy();
    }
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
  return { report, calls };
}
