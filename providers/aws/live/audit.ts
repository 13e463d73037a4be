import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GatewardenError } from '../../../src/errors.js';
import { limitDiagnostic } from '../../../src/limits.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Entity } from '../../../src/model/entities.js';
import { pushAll } from '../../../src/arrays.js';
import type { LiveAuditContext, LiveReadResult } from '../../live-auditor.js';
import type { AwsAuditOptions } from './options.js';
import { classifyAwsError, describeSignInFailure } from './errors.js';
import { fetchRegion } from './fetch.js';
import { adaptAwsLive } from './index.js';
import { defaultRegions } from './regions.js';
import { openAwsSession } from './session.js';
import { mapLimited } from '../../shared/concurrency.js';

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

/**
 * Audits live AWS accounts: reads every REST, HTTP and WebSocket API of each region through the API
 * Gateway control plane (`GET`s only, never a key's value) and turns it into the common model. A
 * region or call that fails is a diagnostic and the rest goes on. Loaded only when an audit of AWS
 * starts: it brings the AWS SDK.
 *
 * Every call has a deadline and a size limit and every listing is bounded (`audit-items`). When the
 * context's stop fires (the deadline, Ctrl-C, the `entities` budget), the calls under way are
 * abandoned; the regions that finished are kept, and every region and account that did not is named.
 */
export async function auditAwsAccounts(options: AwsAuditOptions, context: LiveAuditContext): Promise<LiveReadResult> {
  const { limits } = context;
  const roles: ReadonlyArray<string | undefined> = options.accountsFile ? readAccounts(options.accountsFile, context.cwd) : [options.roleArn];
  const entities: Entity[] = [];
  const diagnostics: Diagnostic[] = [];
  const targets: string[] = [];
  let calls = 0;
  const defaultRegion = options.regions?.[0] ?? process.env.AWS_REGION ?? 'us-east-1';
  for (const role of roles) {
    const who = role !== undefined ? `the account of ${role}` : 'the account';
    if (context.stop.aborted) {
      diagnostics.push({ severity: 'error', code: 'not-scanned', message: `${who} was not audited: ${context.stoppedBecause()}; ${context.remedy()}`, ...(role !== undefined ? { address: role } : {}) });
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
        stop: context.stop,
      });
    } catch (error) {
      const describe = (cause: unknown) =>
        describeSignInFailure(classifyAwsError(cause), {
          ...(role !== undefined ? { role } : {}),
          ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
          region: defaultRegion,
        });
      if (context.stop.aborted) {
        // What the retries were up against, when the stop came while waiting for the next one.
        const last = error instanceof Error && error.cause !== undefined ? ` (the last attempt: ${describe(error.cause).message})` : '';
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `${who} was not audited: ${context.stoppedBecause()} while signing in${last}; ${context.remedy()}`, ...(role !== undefined ? { address: role } : {}) });
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
      if (context.stop.aborted) return { region, notStarted: true as const };
      const raw = await fetchRegion(session.clients(region), {
        account,
        region,
        partition: session.partition,
        concurrency: options.concurrency ?? 4,
        maxItems: limits['audit-items'],
        takeItems: (count: number, operation: string) => context.takeItems(count, operation),
        stop: context.stop,
        onApi: (done, total) => context.progress(`auditing ${account}: ${regionsDone}/${regions.length} regions, ${region} ${done}/${total} APIs`),
      });
      regionsDone++;
      context.progress(`auditing ${account}: ${regionsDone}/${regions.length} regions`);
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
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `region ${result.region} of account ${account} was not audited: ${context.stoppedBecause()} before it was read; ${context.remedy(`--regions ${result.region}`)}`, address: regionArn });
        continue;
      }
      const { raw } = result;
      calls += raw.calls;
      if (raw.stopped) {
        const under = raw.stopped.inFlight.length > 0 ? `; calls under way: ${raw.stopped.inFlight.slice(0, 5).join(', ')}${raw.stopped.inFlight.length > 5 ? ` and ${raw.stopped.inFlight.length - 5} more` : ''}` : '';
        diagnostics.push({ severity: 'error', code: 'not-scanned', message: `region ${raw.region} of account ${account} was not finished: ${context.stoppedBecause()}${under}. None of its APIs are in the report; ${context.remedy(`--regions ${raw.region}`)}`, address: regionArn });
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
  return { targets, entities, diagnostics, calls };
}
