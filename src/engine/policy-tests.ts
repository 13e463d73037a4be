import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ScanReport } from '../report.js';
import { SEVERITIES, type Severity } from './types.js';

/** One expected finding or unknown check: entity id, file (relative to the case folder) and line. */
export interface ExpectedResult {
  readonly entity: string;
  readonly file: string;
  readonly line: number;
  readonly severity?: Severity;
}

/** A test case of a policy: a folder under `test/` and what the policy must report on it. */
export interface PolicyTestCase {
  readonly name: string;
  readonly dir: string;
  readonly findings: readonly ExpectedResult[];
  readonly unknown: readonly ExpectedResult[];
}

/** The cases of one policy, or the problems that make its test folder unusable. */
export interface PolicyTestSuite {
  readonly policyDir: string;
  readonly cases: readonly PolicyTestCase[];
  readonly problems: readonly string[];
}

/**
 * Reads `test/expected.yaml` of a policy folder. Every case folder must be listed and every listed
 * case must exist; a suite needs at least one case with a finding and one without (a positive and a
 * negative), so a policy that always or never fires cannot pass its own tests.
 */
export function readPolicyTests(policyDir: string): PolicyTestSuite {
  const testDir = path.join(policyDir, 'test');
  const expectedFile = path.join(testDir, 'expected.yaml');
  const problems: string[] = [];
  if (!existsSync(expectedFile)) return { policyDir, cases: [], problems: [`${expectedFile} is missing`] };
  let data: unknown;
  try {
    data = parseYaml(readFileSync(expectedFile, 'utf8'));
  } catch (error) {
    return { policyDir, cases: [], problems: [`${expectedFile} is not valid YAML: ${String(error)}`] };
  }
  const casesData = (data as { cases?: unknown } | null)?.cases;
  if (!casesData || typeof casesData !== 'object' || Array.isArray(casesData)) {
    return { policyDir, cases: [], problems: [`${expectedFile} needs a "cases" mapping of folder name to expectations`] };
  }
  const cases: PolicyTestCase[] = [];
  for (const [name, expectation] of Object.entries(casesData as Record<string, unknown>)) {
    const dir = path.join(testDir, name);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(`case "${name}" has no folder ${dir}`);
      continue;
    }
    const readList = (key: 'findings' | 'unknown'): ExpectedResult[] => {
      const list = (expectation as Record<string, unknown> | null)?.[key] ?? [];
      if (!Array.isArray(list)) {
        problems.push(`case "${name}": ${key} must be a list`);
        return [];
      }
      return list.flatMap((item: unknown, index) => {
        const entry = item as Partial<ExpectedResult> | null;
        if (!entry || typeof entry.entity !== 'string' || typeof entry.file !== 'string' || typeof entry.line !== 'number') {
          problems.push(`case "${name}": ${key}[${index}] needs entity, file and line`);
          return [];
        }
        if (entry.severity !== undefined && !SEVERITIES.includes(entry.severity)) {
          problems.push(`case "${name}": ${key}[${index}] has an unknown severity "${String(entry.severity)}"`);
        }
        return [{ entity: entry.entity, file: entry.file, line: entry.line, ...(entry.severity ? { severity: entry.severity } : {}) }];
      });
    };
    if (!expectation || typeof expectation !== 'object' || !('findings' in expectation)) {
      problems.push(`case "${name}" must list its findings (use "findings: []" for a case that must pass)`);
      continue;
    }
    cases.push({ name, dir, findings: readList('findings'), unknown: readList('unknown') });
  }
  for (const entry of readdirSync(testDir)) {
    const full = path.join(testDir, entry);
    if (statSync(full).isDirectory() && !Object.hasOwn(casesData, entry)) problems.push(`folder test/${entry} is not listed in expected.yaml`);
  }
  if (!cases.some((testCase) => testCase.findings.length > 0)) problems.push('no case expects a finding: add a failing (positive) case');
  if (!cases.some((testCase) => testCase.findings.length === 0 && testCase.unknown.length === 0)) problems.push('no case expects a clean pass: add a passing (negative) case');
  return { policyDir, cases, problems };
}

/** What a policy actually reported on a case, in the same shape as the expectations. */
export interface ActualResults {
  readonly findings: ExpectedResult[];
  readonly unknown: ExpectedResult[];
  readonly errors: string[];
}

/** Extracts one policy's findings, unknown checks and errors from a report of a case folder. */
export function resultsFor(report: ScanReport, policyId: string): ActualResults {
  const sortKey = (result: ExpectedResult): string => `${result.file}:${String(result.line).padStart(6, '0')}:${result.entity}`;
  const findings = report.findings
    .filter((finding) => finding.policyId === policyId)
    .map((finding) => ({ entity: finding.entityId, file: finding.location.file, line: finding.location.startLine, severity: finding.severity }))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const unknown = report.unevaluated
    .filter((check) => check.policyId === policyId)
    .map((check) => ({ entity: check.entityId, file: check.location.file, line: check.location.startLine }))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.message);
  return { findings, unknown, errors };
}

/** Normalises expectations for comparison: sorted, severity only where the expectation gives one. */
export function normaliseExpected(expected: readonly ExpectedResult[], actual: readonly ExpectedResult[]): ExpectedResult[] {
  const sortKey = (result: ExpectedResult): string => `${result.file}:${String(result.line).padStart(6, '0')}:${result.entity}`;
  return [...expected]
    .map((entry) => {
      if (entry.severity !== undefined) return entry;
      const match = actual.find((candidate) => candidate.entity === entry.entity && candidate.file === entry.file && candidate.line === entry.line);
      return match?.severity !== undefined ? { ...entry, severity: match.severity } : entry;
    })
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}
