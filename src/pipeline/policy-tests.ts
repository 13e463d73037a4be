import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, limitDiagnostic, withLimits, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';
import type { ScanReport } from '../report/report.js';
import { findPolicyFiles, parsePolicy, policyProblem } from '../engine/load-policies.js';
import type { Policy } from '../engine/policy.js';
import { readTextWithin, readYamlWithin, type YamlLimits, type YamlProblem } from '../engine/policy-yaml.js';
import { SEVERITIES, type Severity } from '../model/findings.js';
import { FileAccess } from '../sources/file-access.js';

// The test harness of policies, shared by the table test of the built-in policies
// (test/policies/policies.test.ts) and `gatewarden policies test DIR`, so that a user's policy is held
// to exactly the checks the built-in ones pass.

/** One expected finding or unknown check: entity id, file (relative to the case folder) and line. */
export interface ExpectedResult {
  readonly entity: string;
  readonly file: string;
  readonly line: number;
  readonly severity?: Severity;
  /**
   * For a finding on a setting several routes share (`group: { by: setting }`): the entity ids of the
   * routes it lists, in any order. Required for such a finding, absent for any other.
   */
  readonly routes?: readonly string[];
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
 * Reads `test/expected.yaml` of a policy folder (within the `file-size`, `depth` and
 * `yaml-alias-nodes` limits, the defaults when not given). Every case folder must be listed and every listed
 * case must exist; a suite needs at least one case with a finding and one without (a positive and a
 * negative), so a policy that always or never fires cannot pass its own tests. Problems name paths
 * relative to the policy folder (`test/expected.yaml`), which is how a policy author sees them.
 */
export function readPolicyTests(policyDir: string, limits: YamlLimits = DEFAULT_LIMITS): PolicyTestSuite {
  const testDir = path.join(policyDir, 'test');
  const expectedFile = path.join(testDir, 'expected.yaml');
  const problems: string[] = [];
  if (!existsSync(expectedFile)) return { policyDir, cases: [], problems: ['test/expected.yaml is missing: list the test cases there (see docs/writing-policies.md)'] };
  const describe = (problem: YamlProblem): string =>
    `test/expected.yaml:${problem.line}: ${'hit' in problem ? limitDiagnostic(problem.hit).message : `not valid YAML: ${problem.message}`}`;
  const text = readTextWithin(expectedFile, limits['file-size'], 'test/expected.yaml', policyDir);
  if ('problem' in text) return { policyDir, cases: [], problems: [describe(text.problem)] };
  const read = readYamlWithin(text.text, limits, 'test/expected.yaml');
  if ('problems' in read) return { policyDir, cases: [], problems: read.problems.map(describe) };
  const data = read.data;
  const casesData = (data as { cases?: unknown } | null)?.cases;
  if (!casesData || typeof casesData !== 'object' || Array.isArray(casesData)) {
    return { policyDir, cases: [], problems: ['test/expected.yaml needs a "cases" mapping of folder name to expectations'] };
  }
  const cases: PolicyTestCase[] = [];
  // A case is scanned as a root of its own, so it must be a folder of test/ itself: a name with a
  // "/" or "..", or a link out of test/, would make `policies test` scan (and print) any directory.
  const inTests = new FileAccess({ roots: [testDir], display: (file) => file });
  for (const [name, expectation] of Object.entries(casesData as Record<string, unknown>)) {
    const dir = path.join(testDir, name);
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
      problems.push(`case "${name}" is not a folder name: each case is a folder directly inside test/`);
      continue;
    }
    const located = inTests.locate(dir);
    if (!located.ok && located.refusal === 'outside-roots') {
      problems.push(`case "${name}": test/${name} is a symbolic link that leads outside test/; it was not read`);
      continue;
    }
    if (!located.ok || !inTests.isDirectory(dir)) {
      problems.push(`case "${name}" has no folder test/${name}`);
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
        if (entry.routes !== undefined && (!Array.isArray(entry.routes) || !entry.routes.every((route) => typeof route === 'string'))) {
          problems.push(`case "${name}": ${key}[${index}].routes must be a list of route entity ids`);
          return [];
        }
        return [{ entity: entry.entity, file: entry.file, line: entry.line, ...(entry.severity ? { severity: entry.severity } : {}), ...(entry.routes ? { routes: [...entry.routes].sort() } : {}) }];
      });
    };
    if (!expectation || typeof expectation !== 'object' || !('findings' in expectation)) {
      problems.push(`case "${name}" must list its findings (use "findings: []" for a case that must pass)`);
      continue;
    }
    cases.push({ name, dir, findings: readList('findings'), unknown: readList('unknown') });
  }
  for (const entry of readdirSync(testDir).sort()) {
    // lstat: a dangling link must not stop the run, nor a link be taken for a folder of test/.
    if (lstatSync(path.join(testDir, entry)).isDirectory() && !Object.hasOwn(casesData, entry)) problems.push(`folder test/${entry} is not listed in test/expected.yaml`);
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

// Severity is part of the key so that two sorted lists holding the same results are always in the
// same order, and toEqual agrees with the multiset comparison of runPolicyCase.
const sortKey = (result: ExpectedResult): string =>
  `${result.file}:${String(result.line).padStart(6, '0')}:${result.entity}:${result.severity ?? ''}${result.routes ? `:${JSON.stringify(result.routes)}` : ''}`;
const byKey = (a: ExpectedResult, b: ExpectedResult): number => sortKey(a).localeCompare(sortKey(b));

/** Extracts one policy's findings, unknown checks and errors from a report of a case folder. */
export function resultsFor(report: ScanReport, policyId: string): ActualResults {
  const findings = report.findings
    .filter((finding) => finding.policyId === policyId)
    .map((finding) => ({
      entity: finding.entityId,
      file: finding.location.file,
      line: finding.location.startLine,
      severity: finding.severity,
      ...(finding.routes ? { routes: finding.routes.map((route) => route.entityId).sort() } : {}),
    }))
    .sort(byKey);
  const unknown = report.unevaluated
    .filter((check) => check.policyId === policyId)
    .map((check) => ({ entity: check.entityId, file: check.location.file, line: check.location.startLine, ...(check.routes ? { routes: check.routes.map((route) => route.entityId).sort() } : {}) }))
    .sort(byKey);
  const errors = report.diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => (diagnostic.location ? `${diagnostic.location.file}:${diagnostic.location.startLine}  ${diagnostic.message}` : diagnostic.message));
  return { findings, unknown, errors };
}

/** Normalises expectations for comparison: sorted, severity only where the expectation gives one. */
export function normaliseExpected(expected: readonly ExpectedResult[], actual: readonly ExpectedResult[]): ExpectedResult[] {
  return [...expected]
    .map((entry) => {
      if (entry.severity !== undefined) return entry;
      const match = actual.find((candidate) => candidate.entity === entry.entity && candidate.file === entry.file && candidate.line === entry.line);
      return match?.severity !== undefined ? { ...entry, severity: match.severity } : entry;
    })
    .sort(byKey);
}

/** The policy folders of a directory: the directory itself when it holds a `policy.yaml`, else every policy under it. */
export function policyFoldersIn(dir: string): string[] {
  if (policyFileIn(dir) !== undefined) return [dir];
  return findPolicyFiles(dir).map((file) => path.dirname(file));
}

function policyFileIn(dir: string): string | undefined {
  return ['policy.yaml', 'policy.yml'].map((name) => path.join(dir, name)).find((file) => existsSync(file) && statSync(file).isFile());
}

/** How {@link checkPolicyFolders} reads policy folders. */
export interface PolicyFolderOptions {
  /**
   * Whether a folder holds a built-in policy. Built-in policies must also sit in a folder named after
   * their category (`policies/<category>/<id>/`); a user's policies may be laid out freely, as
   * `--policies DIR` loads them from any depth. Defaults to false.
   */
  readonly builtIn?: boolean | ((policyDir: string) => boolean);
  /** How file paths appear in diagnostics (relative to the working directory in the CLI). Defaults to as given. */
  readonly displayPath?: (file: string) => string;
  /** The limits policy files and `test/expected.yaml` are read within; the defaults for those not given. */
  readonly limits?: Partial<Limits>;
}

/** A policy folder checked before any case runs: the policy loaded, its layout and its test suite read. */
export interface PolicyFolderCheck {
  readonly policyDir: string;
  /** The `policy.yaml` (or `policy.yml`) of the folder; absent when there is none. */
  readonly policyFile?: string;
  /** The id the policy must have: its folder name. */
  readonly id: string;
  readonly builtIn: boolean;
  /** The loaded policy; absent when it does not load. */
  readonly policy?: Policy;
  /** Why the policy does not load, each naming the file and line at fault. Non-empty means `policy` is absent or unusable. */
  readonly loadErrors: readonly Diagnostic[];
  /** What is wrong with the folder or its test suite although the policy loads (a missing negative case, say). */
  readonly problems: readonly string[];
  /** The cases of `test/expected.yaml` that have a folder. */
  readonly cases: readonly PolicyTestCase[];
}

/**
 * Checks one policy folder the way `--policies` would load it: the policy parses and type-checks
 * (its id must equal the folder name, which {@link parsePolicy} enforces for every policy), a built-in
 * one sits under its category folder, and its test suite is usable.
 */
export function checkPolicyFolder(policyDir: string, options: PolicyFolderOptions = {}): PolicyFolderCheck {
  const id = path.basename(policyDir);
  const builtIn = typeof options.builtIn === 'function' ? options.builtIn(policyDir) : (options.builtIn ?? false);
  const show = options.displayPath ?? ((file: string) => file);
  const limits = withLimits(DEFAULT_LIMITS, options.limits);
  const policyFile = policyFileIn(policyDir);
  const suite = readPolicyTests(policyDir, limits);
  const base = { policyDir, id, builtIn, cases: suite.cases };
  if (policyFile === undefined) {
    const loadError: Diagnostic = { severity: 'error', code: 'policy-error', message: `${show(policyDir)} has no policy.yaml` };
    return { ...base, loadErrors: [loadError], problems: suite.problems };
  }
  const read = readTextWithin(policyFile, limits['file-size'], 'the policy file', policyDir);
  if ('problem' in read) return { ...base, policyFile, loadErrors: [policyProblem(read.problem, show(policyFile))], problems: suite.problems };
  let parsed: ReturnType<typeof parsePolicy>;
  try {
    parsed = parsePolicy(read.text, show(policyFile), id, builtIn, limits);
  } catch (error) {
    // As loadPolicies does: the unforeseen costs this policy, not the other folders.
    parsed = { diagnostics: [{ severity: 'error', code: 'policy-error', message: `the policy could not be loaded: ${error instanceof Error ? error.message : String(error)}`, location: lineLocation(show(policyFile), 1) }] };
  }
  const loadErrors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const problems: string[] = [];
  const categoryFolder = path.basename(path.dirname(policyDir));
  if (builtIn && parsed.policy && categoryFolder !== parsed.policy.category) {
    problems.push(`the policy is in the folder "${categoryFolder}" but its category is "${parsed.policy.category}": built-in policies live in policies/<category>/<id>/`);
  }
  problems.push(...suite.problems);
  return { ...base, policyFile, ...(parsed.policy && loadErrors.length === 0 ? { policy: parsed.policy } : {}), loadErrors, problems };
}

/**
 * Checks several policy folders ({@link checkPolicyFolder}) and, as `--policies` would, rejects an id
 * used twice: the later folder gets a load error naming the earlier one.
 */
export function checkPolicyFolders(policyDirs: readonly string[], options: PolicyFolderOptions = {}): PolicyFolderCheck[] {
  const show = options.displayPath ?? ((file: string) => file);
  const seen = new Map<string, string>();
  const seenReal = new Set<string>();
  const checks: PolicyFolderCheck[] = [];
  for (const policyDir of policyDirs) {
    // The same folder reached twice is one policy, as loadPolicies treats it.
    const real = existsSync(policyDir) ? realpathSync(policyDir) : policyDir;
    if (seenReal.has(real)) continue;
    seenReal.add(real);
    const check = checkPolicyFolder(policyDir, options);
    const previous = seen.get(check.id);
    if (previous !== undefined) {
      const duplicate: Diagnostic = {
        severity: 'error',
        code: 'policy-error',
        message: `policy id "${check.id}" is already used by ${previous}; ids must be unique`,
        location: lineLocation(show(check.policyFile ?? policyDir), 1),
      };
      const { policy: _dropped, ...rest } = check;
      checks.push({ ...rest, loadErrors: [...check.loadErrors, duplicate] });
      continue;
    }
    seen.set(check.id, show(check.policyFile ?? policyDir));
    checks.push(check);
  }
  return checks;
}

/** The options a case scan is run with: the case folder alone, with only the policy under test. */
export interface PolicyCaseScanOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly builtInPolicies: false;
  readonly policyDirs: readonly string[];
  /** The limits of the run (`policy-time` bounds the policy under test as it bounds it in a scan). */
  readonly limits?: Partial<Limits>;
}

/**
 * Scans a case folder. `scan` from src/pipeline/scan.ts fits; it is passed in rather than imported so that this
 * module stays light for the CLI and a test can substitute it.
 */
export type PolicyCaseScan = (options: PolicyCaseScanOptions) => Promise<ScanReport>;

/** Expected or actual findings and unknown checks of a case. */
export interface CaseResults {
  readonly findings: readonly ExpectedResult[];
  readonly unknown: readonly ExpectedResult[];
}

/** The outcome of one case: what was expected, what the policy reported, and the difference. */
export interface PolicyCaseResult {
  readonly name: string;
  readonly dir: string;
  /** True when the findings and unknown checks are exactly the expected ones and no error occurred. */
  readonly passed: boolean;
  /** The expectations, sorted as `actual` is; a finding's severity is filled in where the expectation leaves it out and the policy reported that finding. */
  readonly expected: CaseResults;
  /** What the policy reported, plus every error diagnostic of the scan (a file that did not parse, an evaluation error). */
  readonly actual: ActualResults;
  /** Expected but not reported. */
  readonly missing: CaseResults;
  /** Reported but not expected. */
  readonly unexpected: CaseResults;
}

/**
 * Runs one case: scans its folder with only the policy under test (no built-in policies) and compares
 * findings and unknown checks by entity, file, line and severity, never by message text. The scan
 * evaluates the policy as any user policy, within the `policy-time` and `policy-memory` limits (the
 * defaults, or `limits`): one over them fails its case with the evaluation error.
 */
export async function runPolicyCase(check: PolicyFolderCheck, testCase: PolicyTestCase, scan: PolicyCaseScan, limits?: Partial<Limits>): Promise<PolicyCaseResult> {
  let actual: ActualResults;
  try {
    const report = await scan({ paths: ['.'], cwd: testCase.dir, builtInPolicies: false, policyDirs: [check.policyDir], ...(limits ? { limits } : {}) });
    actual = resultsFor(report, check.policy?.id ?? check.id);
  } catch (error) {
    // A case that cannot be scanned at all fails on its own instead of stopping the other cases.
    actual = { findings: [], unknown: [], errors: [`the scan failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const expected: CaseResults = { findings: normaliseExpected(testCase.findings, actual.findings), unknown: normaliseExpected(testCase.unknown, []) };
  const missing: CaseResults = { findings: difference(expected.findings, actual.findings), unknown: difference(expected.unknown, actual.unknown) };
  const unexpected: CaseResults = { findings: difference(actual.findings, expected.findings), unknown: difference(actual.unknown, expected.unknown) };
  const passed = actual.errors.length === 0 && [missing, unexpected].every((diff) => diff.findings.length === 0 && diff.unknown.length === 0);
  return { name: testCase.name, dir: testCase.dir, passed, expected, actual, missing, unexpected };
}

/** The entries of `from` not matched one-for-one in `other` (a multiset difference). */
function difference(from: readonly ExpectedResult[], other: readonly ExpectedResult[]): ExpectedResult[] {
  const remaining = other.map(sortKey);
  return from.filter((entry) => {
    const index = remaining.indexOf(sortKey(entry));
    if (index < 0) return true;
    remaining.splice(index, 1);
    return false;
  });
}

/** A policy folder checked and its cases run. */
export interface PolicySuiteResult extends PolicyFolderCheck {
  /** One result per case, in the order of `test/expected.yaml`; empty when the policy does not load. */
  readonly results: readonly PolicyCaseResult[];
  /** True when the policy loads, has no problem and passes every case. */
  readonly passed: boolean;
}

/** How {@link runPolicySuites} runs cases. */
export interface PolicyRunOptions {
  /**
   * How many cases are scanned at once (default 1). Each scan of Terraform starts its own parser, so
   * the CLI overlaps a few; results keep the order of the cases whatever this is.
   */
  readonly concurrency?: number;
  /** The limits each case is scanned within (see {@link runPolicyCase}). */
  readonly limits?: Partial<Limits>;
}

/**
 * Runs the cases of checked policy folders (see {@link checkPolicyFolders}). A policy that does not
 * load runs no case: each would only fail with the same load error.
 */
export async function runPolicySuites(checks: readonly PolicyFolderCheck[], scan: PolicyCaseScan, options: PolicyRunOptions = {}): Promise<PolicySuiteResult[]> {
  const jobs = checks.flatMap((check, suite) => (check.loadErrors.length === 0 ? check.cases.map((testCase, index) => ({ check, testCase, suite, index })) : []));
  const results = checks.map((check) => new Array<PolicyCaseResult>(check.loadErrors.length === 0 ? check.cases.length : 0));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      results[job.suite]![job.index] = await runPolicyCase(job.check, job.testCase, scan, options.limits);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, jobs.length)) }, worker));
  return checks.map((check, suite) => {
    const caseResults = results[suite]!;
    const passed = check.loadErrors.length === 0 && check.problems.length === 0 && caseResults.every((result) => result.passed);
    return { ...check, results: caseResults, passed };
  });
}

/** Checks one policy folder ({@link checkPolicyFolder}) and runs its cases. */
export async function runPolicySuite(policyDir: string, scan: PolicyCaseScan, options: PolicyFolderOptions & PolicyRunOptions = {}): Promise<PolicySuiteResult> {
  const [result] = await runPolicySuites([checkPolicyFolder(policyDir, options)], scan, options);
  return result!;
}
