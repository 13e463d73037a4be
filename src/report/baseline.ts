import type { Finding } from '../model/findings.js';
import { FINGERPRINT_VERSION } from '../engine/fingerprint.js';
import { GatewardenError } from '../errors.js';
import { jsonSyntaxError } from '../sources/json-syntax.js';

/** The format version of baseline files. */
export const BASELINE_FORMAT = 1;

/** One accepted finding of a baseline: the fingerprint decides, the rest is for the person reading the file. */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly policyId: string;
  readonly address: string;
  readonly routeKey?: string;
  readonly file: string;
}

/** A baseline file, as `--create-baseline` writes it and `--baseline` reads it. */
export interface Baseline {
  readonly gatewardenBaseline: typeof BASELINE_FORMAT;
  readonly fingerprintVersion: number;
  readonly findings: readonly BaselineEntry[];
}

/**
 * The baseline of a scan: every finding no suppression accepts. Sorted, and without dates or line
 * numbers, so that a baseline committed to the repository changes only when findings do.
 */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => ({
      fingerprint: finding.fingerprint,
      policyId: finding.policyId,
      address: finding.address,
      ...(finding.routeKey !== undefined ? { routeKey: finding.routeKey } : {}),
      file: finding.location.file,
    }))
    .sort((a, b) => a.policyId.localeCompare(b.policyId) || a.file.localeCompare(b.file) || a.address.localeCompare(b.address) || a.fingerprint.localeCompare(b.fingerprint));
  return { gatewardenBaseline: BASELINE_FORMAT, fingerprintVersion: FINGERPRINT_VERSION, findings: entries };
}

/** Serialises a baseline for writing. */
export function renderBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/**
 * Reads a baseline file's text. Throws {@link GatewardenError} naming the file and what to do when it
 * is not one: a baseline that silently matched nothing would report every old finding as new, and one
 * that silently matched everything would hide new ones.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new GatewardenError('baseline', `${file} is not a gatewarden baseline: it is not valid JSON (${jsonSyntaxError(text).message}); recreate it with --create-baseline ${file}`);
  }
  const record = data as Partial<Baseline> | null;
  if (!record || typeof record !== 'object' || record.gatewardenBaseline === undefined || !Array.isArray(record.findings)) {
    throw new GatewardenError('baseline', `${file} is not a gatewarden baseline (no "gatewardenBaseline" and "findings"); create one with --create-baseline ${file}`);
  }
  if (record.gatewardenBaseline !== BASELINE_FORMAT || record.fingerprintVersion !== FINGERPRINT_VERSION) {
    throw new GatewardenError('baseline', `${file} was written by another version of gatewarden (baseline format ${String(record.gatewardenBaseline)}, fingerprints v${String(record.fingerprintVersion)}; this version uses ${BASELINE_FORMAT} and v${FINGERPRINT_VERSION}); recreate it with --create-baseline ${file}`);
  }
  record.findings.forEach((entry: unknown, index) => {
    if (!entry || typeof entry !== 'object' || typeof (entry as BaselineEntry).fingerprint !== 'string') {
      throw new GatewardenError('baseline', `${file}: findings[${index}] has no fingerprint; recreate the baseline with --create-baseline ${file}`);
    }
  });
  return record as Baseline;
}

/** The findings with those of the baseline marked, and how many baseline entries matched nothing (fixed since). */
export interface BaselineResult {
  readonly findings: readonly Finding[];
  readonly stale: number;
  /**
   * How many findings matched through the per-route entries of a baseline written before findings
   * were grouped by the setting at fault (see {@link applyBaseline}): the baseline works, but wants
   * refreshing with `--create-baseline`.
   */
  readonly matchedByRoutes: number;
}

/**
 * Marks the findings the baseline holds. Fingerprints are counted, not just looked up: when a resource
 * had one finding in the baseline and now has two identical ones, one of them is new.
 *
 * A finding that stands for several routes (`routes`, one finding per setting at fault) matches by
 * its own fingerprint, or, for a baseline written when each route had a finding of its own, when the
 * baseline holds the fingerprint of every one of its routes: a route added since is new, so the group
 * is. Own fingerprints are matched first, so a refreshed baseline never loses its entries to old ones.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineResult {
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  const take = (fingerprint: string): boolean => {
    const left = remaining.get(fingerprint) ?? 0;
    if (left === 0) return false;
    remaining.set(fingerprint, left - 1);
    return true;
  };
  const byOwn = findings.map((finding) => !finding.suppressed && take(finding.fingerprint));
  let matchedByRoutes = 0;
  const marked = findings.map((finding, index) => {
    if (byOwn[index]) return { ...finding, baselined: true as const };
    if (finding.suppressed || !finding.routes || finding.routes.length === 0) return finding;
    const needed = new Map<string, number>();
    for (const route of finding.routes) needed.set(route.fingerprint, (needed.get(route.fingerprint) ?? 0) + 1);
    if (![...needed].every(([fingerprint, count]) => (remaining.get(fingerprint) ?? 0) >= count)) return finding;
    for (const route of finding.routes) take(route.fingerprint);
    matchedByRoutes++;
    return { ...finding, baselined: true as const };
  });
  let stale = 0;
  for (const left of remaining.values()) stale += left;
  return { findings: marked, stale, matchedByRoutes };
}
