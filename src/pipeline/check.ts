import { evaluatePolicies } from '../engine/evaluate.js';
import type { PolicyLoadResult } from '../engine/load-policies.js';
import type { CommentSuppression } from '../model/findings.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity } from '../model/entities.js';
import { buildReport, type ScanReport } from '../report/report.js';
import { ownerResolver } from './owners.js';
import type { Codeowners } from '../config/codeowners.js';
import { version } from '../version.js';
import { configSuppressions, resolveLimits, withBaseline, type PipelineSettings } from './settings.js';

/**
 * What a reading stage (a scan of files, or a live audit) hands to the checking stage: the entities of
 * the common model and everything it could not read.
 */
export interface ReadResult {
  /** What was read, as the report names it: scan paths, or `aws:ACCOUNT/REGION`. */
  readonly targets: readonly string[];
  /** Files read (relative to the scan root); empty for a live audit. */
  readonly files: readonly string[];
  readonly entities: readonly Entity[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Where the checking stage finds the text behind the entities (a scan's files); absent for live resources. */
export interface SourceTextAccess {
  /** The text of one line of a scanned file, for fingerprints. */
  readonly lineText: (file: string, line: number) => string | undefined;
  /** The `gatewarden:ignore` comments of the files the entities come from. */
  readonly comments: readonly CommentSuppression[];
  /** The repository's CODEOWNERS, the last resort for the owner of a finding in a file. */
  readonly codeowners?: Codeowners;
  /** Problems met reading CODEOWNERS (warnings). */
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * The one finishing path of scan and audit: evaluates the policies on what was read, applies the
 * suppressions (inline, comments, the config file's) and the baseline, and assembles the report. The
 * policies are loaded by the caller, before it reads, so that a config file naming an unknown policy
 * stops the run before a long read rather than after it.
 */
export async function checkAndReport(
  read: ReadResult,
  policies: PolicyLoadResult,
  settings: PipelineSettings & { readonly startedAt: string; readonly texts?: SourceTextAccess; readonly onProgress?: (message: string) => void },
  relative: (file: string) => string,
): Promise<ScanReport> {
  const config = settings.config?.config;
  const today = (settings.today ?? new Date()).toISOString().slice(0, 10);
  settings.onProgress?.(`evaluating ${policies.policies.length} policies on ${read.entities.length} entities`);
  const comments = settings.texts?.comments;
  const evaluation = await evaluatePolicies(read.entities, policies.policies, {
    ...(settings.today ? { today: settings.today } : {}),
    limits: resolveLimits(settings),
    ...(settings.texts ? { lineText: settings.texts.lineText } : {}),
    ...(comments !== undefined || config
      ? { suppressions: { ...(comments !== undefined ? { comments } : {}), ...(config ? { external: configSuppressions(config, settings.cwd, today) } : {}) } }
      : {}),
  });
  const baselined = withBaseline(evaluation, settings, relative);
  const ownerOf = ownerResolver({
    ...(config?.owners ? { owners: config.owners, configDir: config.dir } : {}),
    ...(settings.texts?.codeowners ? { codeowners: settings.texts.codeowners } : {}),
    scanRoot: settings.cwd,
    entities: read.entities,
  });
  const owned = baselined.evaluation.findings.map((finding) => {
    const owner = ownerOf(finding);
    return owner ? { ...finding, owner } : finding;
  });
  return buildReport({
    version: version(),
    scanRoot: settings.cwd,
    targets: read.targets,
    files: read.files,
    entities: read.entities,
    evaluation: { ...baselined.evaluation, findings: owned },
    diagnostics: [...(settings.config?.warnings ?? []), ...(settings.texts?.diagnostics ?? []), ...read.diagnostics, ...policies.diagnostics, ...baselined.diagnostics],
    policies: policies.policies,
    timing: { startedAt: settings.startedAt, finishedAt: new Date().toISOString() },
  });
}
