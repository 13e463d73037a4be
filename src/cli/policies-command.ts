import path from 'node:path';
import { GatewardenError } from '../errors.js';
import { escapeControl } from '../escape.js';
import { editDistance, withSuggestion } from '../suggest.js';
import type { Policy } from '../engine/policy.js';
import type { ExpectedResult, PolicySuiteResult } from '../pipeline/policy-tests.js';
import type { Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { POLICY_CATEGORIES, remediationEntries } from '../model/findings.js';
import type { ExitCode } from '../report/report.js';
import type { CliIo } from './io.js';
import { limitOptions } from './assignments.js';
import { POLICIES_LIST_OPTIONS, POLICIES_SHOW_OPTIONS, POLICIES_TEST_OPTIONS } from './command-options.js';
import { POLICIES_HELP, POLICIES_LIST_HELP, POLICIES_SHOW_HELP, POLICIES_TEST_HELP } from './help.js';
import { parseCommandLine, type OptionValues } from './options.js';
import { selectPacks, type PackName } from '../model/packs.js';
import { packsOption } from './pack-option.js';

// Only types, node built-ins and the light CLI modules (option declarations, help texts) are imported
// statically: the policy loader, the CEL compiler and the
// scanner are imported by the subcommand that needs them, so `gatewarden --help` stays light.

export { POLICIES_HELP } from './help.js';

const SUBCOMMANDS = ['list', 'show', 'test'] as const;
const CASE_CONCURRENCY = 4;
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `gatewarden policies list|show|test`: returns the exit code; usage errors are thrown as
 * {@link GatewardenError}, which the CLI prints and turns into exit code 2.
 */
export async function policiesCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    io.stdout.write(POLICIES_HELP);
    return subcommand === undefined ? 2 : 0;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(subcommand)) {
    throw new GatewardenError('usage', withSuggestion(`unknown subcommand "policies ${subcommand}" (use ${SUBCOMMANDS.join(', ')})`, subcommand, SUBCOMMANDS, 'run "gatewarden policies --help"'));
  }
  let parsed: { values: OptionValues<typeof POLICIES_TEST_OPTIONS>; positionals: string[] };
  let dirs: readonly string[] = [];
  if (subcommand === 'test') {
    // `policies test DIR` tests the policies of DIR alone: --policies would only blur what is tested.
    const refused = { policies: 'policies test takes the policies to test as its argument, not --policies: "gatewarden policies test DIR"' };
    parsed = parseCommandLine({ command: 'policies test', options: POLICIES_TEST_OPTIONS, positionals: true, refused }, rest);
  } else if (subcommand === 'show') {
    // --framework selects policies; show names its one, and prints every framework it maps to.
    const refused = {
      framework: 'policies show takes no --framework: it shows every framework the policy maps to; to list the policies of one framework, use "gatewarden policies list --framework NAME"',
      pack: 'policies show takes no --pack: it shows the policy named, whatever its pack; to list the policies of a pack, use "gatewarden policies list --pack NAME"',
    };
    const showing = parseCommandLine({ command: 'policies show', options: POLICIES_SHOW_OPTIONS, positionals: true, refused }, rest);
    parsed = showing;
    dirs = showing.values.policies ?? [];
  } else {
    const listing = parseCommandLine({ command: `policies ${subcommand}`, options: POLICIES_LIST_OPTIONS, positionals: true }, rest);
    parsed = listing;
    dirs = listing.values.policies ?? [];
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(subcommand === 'list' ? POLICIES_LIST_HELP : subcommand === 'show' ? POLICIES_SHOW_HELP : POLICIES_TEST_HELP);
    return 0;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new GatewardenError('usage', `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const limits = await limitOptions(values.limit);
  if (subcommand === 'list') {
    if (positionals.length > 0) throw new GatewardenError('usage', `policies list takes no arguments, got "${positionals[0]}"; use --policies DIR to add policies`);
    const listValues = values as { framework?: string; pack?: string[] };
    return listCommand(dirs, format, limits, io, listValues.framework, packsOption(listValues.pack).packs);
  }
  if (subcommand === 'show') {
    if (positionals.length !== 1) throw new GatewardenError('usage', 'policies show needs exactly one policy id, e.g. "gatewarden policies show route-requires-auth"');
    return showCommand(positionals[0]!, dirs, format, limits, io);
  }
  if (positionals.length !== 1) throw new GatewardenError('usage', 'policies test needs exactly one directory: a policy folder (with policy.yaml) or a directory of policies');
  return testCommand(positionals[0]!, format, limits, io);
}

/** Policies of the built-in directory and the `--policies` directories, with the directory each came from. */
interface LoadedPolicies {
  readonly policies: ReadonlyArray<{ readonly policy: Policy; readonly source: string; readonly file: string }>;
  readonly diagnostics: readonly Diagnostic[];
}

async function loadAll(dirs: readonly string[], limits: Partial<Limits>, io: CliIo): Promise<LoadedPolicies> {
  const { builtInPolicyDir, loadPolicies } = await import('../engine/load-policies.js');
  const { displayPath } = await import('../sources/paths.js');
  const builtInDir = builtInPolicyDir();
  const userDirs = dirs.map((dir) => path.resolve(io.cwd, dir));
  const inside = (file: string, dir: string): boolean => {
    const relative = path.relative(dir, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  // Built-in policy files stay absolute (they live wherever gatewarden is installed); a user's are
  // shown relative to the working directory, as scan reports show them.
  const loaded = loadPolicies(
    [{ dir: builtInDir, builtIn: true }, ...userDirs.map((dir) => ({ dir, builtIn: false }))],
    (file) => (inside(file, builtInDir) ? file : displayPath(io.cwd, file)),
    { limits },
  );
  const policies = loaded.policies.map((policy) => {
    const absolute = path.resolve(io.cwd, policy.file);
    const userDir = policy.builtIn ? undefined : userDirs.find((dir) => inside(absolute, dir));
    return { policy, file: policy.file, source: policy.builtIn ? 'built-in' : displayPath(io.cwd, userDir ?? path.dirname(absolute)) };
  });
  // Category in documentation order (as docs/policies.md lists them), then id.
  policies.sort((a, b) => POLICY_CATEGORIES.indexOf(a.policy.category) - POLICY_CATEGORIES.indexOf(b.policy.category) || a.policy.id.localeCompare(b.policy.id));
  return { policies, diagnostics: loaded.diagnostics };
}

/** Prints load errors to standard error; true when there was one (the command then exits 2). */
function reportLoadErrors(diagnostics: readonly Diagnostic[], io: CliIo): boolean {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  for (const error of errors) io.stderr.write(`gatewarden: ${formatDiagnostic(error)}\n`);
  return errors.length > 0;
}

/** A load error on one line. Policy folders of `--policies` may come from untrusted code: escaped. */
function formatDiagnostic(diagnostic: Diagnostic): string {
  return escapeControl(diagnostic.location ? `${diagnostic.location.file}:${diagnostic.location.startLine}  ${diagnostic.message}` : diagnostic.message);
}

async function listCommand(dirs: readonly string[], format: Format, limits: Partial<Limits>, io: CliIo, framework?: string, packs?: readonly PackName[]): Promise<ExitCode> {
  const loaded = await loadAll(dirs, limits, io);
  const { diagnostics } = loaded;
  let policies = loaded.policies;
  if (packs !== undefined) {
    const selected = selectPacks(
      policies.map((entry) => ({ ...entry, id: entry.policy.id, category: entry.policy.category, builtIn: entry.policy.builtIn })),
      packs,
    );
    if ('error' in selected) throw new GatewardenError('usage', `--pack: ${selected.error}`);
    policies = selected.policies;
  }
  if (framework !== undefined) {
    const { selectFramework } = await import('../engine/policy-lookup.js');
    const selected = selectFramework(
      policies.map((entry) => ({ ...entry, frameworks: entry.policy.frameworks })),
      framework,
    );
    if ('error' in selected) throw new GatewardenError('usage', `--framework: ${selected.error}`);
    policies = selected.policies;
  }
  if (format === 'json') {
    const rows = policies.map(({ policy, file }) => ({ ...metadataOf(policy), builtIn: policy.builtIn, file }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else if (framework !== undefined) {
    // Listed for an auditor: which of the framework's controls each policy checks.
    const header = ['ID', 'SEVERITY', framework.toUpperCase(), 'TITLE', 'SOURCE'];
    const rows = policies.map(({ policy, source }) => [policy.id, policy.severity, policy.frameworks[framework]!.join(', '), policy.title, source]);
    io.stdout.write(table([header, ...rows]));
    io.stdout.write(`\n${policies.length} of ${loaded.policies.length} policies map to ${framework}. Details: gatewarden policies show ID\n`);
  } else {
    const header = ['ID', 'SEVERITY', 'CATEGORY', 'TITLE', 'SOURCE'];
    const rows = policies.map(({ policy, source }) => [policy.id, policy.severity, policy.category, policy.title, source]);
    io.stdout.write(table([header, ...rows]));
    const builtIn = policies.filter(({ policy }) => policy.builtIn).length;
    io.stdout.write(`\n${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} (${builtIn} built-in, ${policies.length - builtIn} from --policies). Details: gatewarden policies show ID\n`);
  }
  return reportLoadErrors(diagnostics, io) ? 2 : 0;
}

/** What `list` and `show` print of every policy in JSON. */
function metadataOf(policy: Policy): Pick<Policy, 'id' | 'title' | 'severity' | 'category' | 'frameworks' | 'aliases' | 'description' | 'remediation' | 'remediationByProvider' | 'references'> {
  const { id, title, severity, category, frameworks, aliases, description, remediation, remediationByProvider, references } = policy;
  return { id, title, severity, category, frameworks, ...(aliases ? { aliases } : {}), description, remediation, ...(remediationByProvider ? { remediationByProvider } : {}), references };
}

/** Left-aligned columns two spaces apart; the last column is not padded. Cells are escaped (titles of `--policies`). */
function table(given: ReadonlyArray<readonly string[]>): string {
  const rows = given.map((row) => row.map(escapeControl));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}

async function showCommand(id: string, dirs: readonly string[], format: Format, limits: Partial<Limits>, io: CliIo): Promise<ExitCode> {
  const { policies, diagnostics } = await loadAll(dirs, limits, io);
  let found = policies.find(({ policy }) => policy.id === id);
  let aliasNote = '';
  if (!found) {
    // Another scanner's id (CKV_AWS_76, AVD-AWS-0001): the policy that checks the same thing.
    const { findByAlias } = await import('../engine/policy-lookup.js');
    const matches = findByAlias(
      policies.map((entry) => ({ ...entry, ...(entry.policy.aliases ? { aliases: entry.policy.aliases } : {}) })),
      id,
    );
    const first = matches[0];
    if (first) {
      found = first.policy;
      const others = matches.slice(1).map((match) => match.policy.policy.id);
      aliasNote = `${first.alias} (${first.tool}) is checked by ${first.policy.policy.id}${others.length > 0 ? `, and also by ${others.join(', ')}` : ''}.`;
    }
  }
  if (!found) {
    reportLoadErrors(diagnostics, io);
    const close = suggestions(
      id,
      policies.map(({ policy }) => policy.id),
    );
    const hint = close.length > 0 ? `; did you mean ${close.map((candidate) => `"${candidate}"`).join(' or ')}?` : '.';
    throw new GatewardenError('usage', `no policy has the id "${id}"${hint} Run "gatewarden policies list" to see every policy`);
  }
  const { policy, file } = found;
  if (format === 'json') {
    io.stdout.write(
      `${JSON.stringify(
        {
          ...metadataOf(policy),
          match: policy.match,
          assert: policy.assert,
          message: policy.message,
          ...(policy.location !== undefined ? { location: policy.location } : {}),
          variants: policy.variants,
          ...(policy.parameters ? { parameters: policy.parameters } : {}),
          builtIn: policy.builtIn,
          file,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    // The id comes from the command line and user policies' aliases from their files: escaped.
    io.stdout.write((aliasNote ? `${escapeControl(aliasNote)}\n\n` : '') + renderPolicy(policy, file));
  }
  return reportLoadErrors(diagnostics, io) ? 2 : 0;
}

function renderPolicy(policy: Policy, file: string): string {
  const lines = [`${policy.id}: ${policy.title}`, ''];
  const field = (name: string, value: string): void => void lines.push(`${name.padEnd(13)}${value}`);
  field('Severity', policy.severity);
  field('Category', policy.category);
  field('Source', policy.builtIn ? 'built-in' : file);
  const frameworks = Object.entries(policy.frameworks);
  if (frameworks.length > 0) field('Frameworks', frameworks.map(([name, ids]) => `${name}: ${ids.join(', ')}`).join('; '));
  const aliases = Object.entries(policy.aliases ?? {});
  if (aliases.length > 0) field('Aliases', aliases.map(([tool, ids]) => `${tool}: ${ids.join(', ')}`).join('; '));
  lines.push('', 'Description', ...wrap(policy.description, '  '), '', 'Remediation');
  for (const entry of remediationEntries(policy)) {
    if (entry.label !== undefined) lines.push(`  ${entry.label}`, ...wrap(entry.text, '    '));
    else lines.push(...wrap(entry.text, '  '));
  }
  if (policy.references.length > 0) lines.push('', 'References', ...policy.references.map((reference) => `  ${reference}`));
  const parameters = Object.entries(policy.parameters ?? {});
  if (parameters.length > 0) {
    lines.push('', 'Parameters (set under policies.parameters in .gatewarden.yaml)');
    for (const [name, parameter] of parameters) lines.push(`  ${name} (${parameter.type}, default ${JSON.stringify(parameter.default)})`, ...wrap(parameter.description, '    '));
  }
  lines.push('', 'Evaluation');
  field('  Matches', `every ${policy.match.kind}${policy.match.where !== undefined ? ` where ${policy.match.where}` : ''}`);
  field('  Assert', `${policy.assert}   (true means compliant)`);
  field('  Message', policy.message);
  if (policy.location !== undefined) field('  Points at', `${policy.match.kind}.${policy.location}`);
  if (policy.variants.length > 0) {
    lines.push('', 'Variants (the first whose condition holds sets the severity and message)');
    for (const variant of policy.variants) {
      lines.push(`  ${variant.severity.padEnd(9)}when ${variant.when}`);
      if (variant.message !== undefined) lines.push(`  ${''.padEnd(9)}message ${variant.message}`);
    }
  }
  // Each entry is one line; a line break or escape sequence inside one came from the policy file.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

/** Wraps prose at about 100 columns; policy descriptions are long folded YAML strings. */
function wrap(text: string, indent: string, width = 100): string[] {
  const out: string[] = [];
  text.split(/\n\s*\n/).forEach((paragraph, index) => {
    if (index > 0) out.push('');
    let current = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (current !== '' && indent.length + current.length + 1 + word.length > width) {
        out.push(indent + current);
        current = word;
      } else {
        current = current === '' ? word : `${current} ${word}`;
      }
    }
    if (current !== '') out.push(indent + current);
  });
  return out;
}

/** Ids close to a mistyped one: within an edit distance of 3, or sharing a prefix; closest first, at most 3. */
export function suggestions(wanted: string, ids: readonly string[]): string[] {
  return ids
    .map((id) => ({ id, distance: editDistance(wanted, id) }))
    .filter(({ id, distance }) => distance <= 3 || (wanted.length >= 3 && id.startsWith(wanted)) || (id.length >= 3 && wanted.startsWith(id)))
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map(({ id }) => id);
}

async function testCommand(dirArgument: string, format: Format, limits: Partial<Limits>, io: CliIo): Promise<ExitCode> {
  const { existsSync, realpathSync, statSync } = await import('node:fs');
  const { displayPath } = await import('../sources/paths.js');
  const show = (file: string): string => displayPath(io.cwd, file);
  let dir = path.resolve(io.cwd, dirArgument);
  if (!existsSync(dir)) throw new GatewardenError('path-not-found', `cannot test "${dirArgument}": no such directory`);
  // Pointing at the policy file itself is the same as pointing at its folder.
  if (statSync(dir).isFile()) {
    if (!/^policy\.ya?ml$/.test(path.basename(dir))) throw new GatewardenError('usage', `policies test needs a directory (a policy folder or a directory of policies), not the file "${dirArgument}"`);
    dir = path.dirname(dir);
  }
  const { builtInPolicyDir } = await import('../engine/load-policies.js');
  const { checkPolicyFolders, policyFoldersIn, runPolicySuites } = await import('../pipeline/policy-tests.js');
  const folders = policyFoldersIn(dir);
  if (folders.length === 0) throw new GatewardenError('usage', `no policy.yaml was found under ${show(dir)}: pass a policy folder or a directory of policies`);

  // Policies inside gatewarden's own policies/ directory are held to the built-in rules (category folder).
  const builtInDir = realpathSync(builtInPolicyDir());
  const isBuiltIn = (policyDir: string): boolean => {
    const relative = path.relative(builtInDir, realpathSync(policyDir));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  const checks = checkPolicyFolders(folders, { builtIn: isBuiltIn, displayPath: show, limits });
  const { scan } = await import('../pipeline/scan.js');
  // Each case scan starts its own HCL parser thread, whose start-up dominates a small case: a few
  // run at once. Results are printed in case order all the same.
  const suites = await runPolicySuites(checks, scan, { concurrency: CASE_CONCURRENCY, limits });

  const cases = suites.flatMap((suite) => suite.results);
  const summary = {
    policies: suites.length,
    cases: cases.length,
    passed: cases.filter((result) => result.passed).length,
    failed: cases.filter((result) => !result.passed).length,
    policiesWithProblems: suites.filter((suite) => suite.problems.length > 0).length,
    policiesNotLoaded: suites.filter((suite) => suite.loadErrors.length > 0).length,
  };
  const code: ExitCode = summary.policiesNotLoaded > 0 ? 2 : summary.failed > 0 || summary.policiesWithProblems > 0 ? 1 : 0;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ passed: code === 0, summary, policies: suites.map((suite) => suiteJson(suite, show)) }, null, 2)}\n`);
  } else {
    io.stdout.write(renderSuites(suites, summary, show));
  }
  return code;
}

function suiteJson(suite: PolicySuiteResult, show: (file: string) => string): unknown {
  return {
    id: suite.policy?.id ?? suite.id,
    dir: show(suite.policyDir),
    ...(suite.policyFile !== undefined ? { file: show(suite.policyFile) } : {}),
    builtIn: suite.builtIn,
    passed: suite.passed,
    loaded: suite.loadErrors.length === 0,
    loadErrors: suite.loadErrors.map((diagnostic) => ({
      ...(diagnostic.location ? { file: diagnostic.location.file, line: diagnostic.location.startLine } : {}),
      message: diagnostic.message,
    })),
    problems: suite.problems,
    cases: suite.results.map((result) => ({
      name: result.name,
      dir: show(result.dir),
      passed: result.passed,
      expected: result.expected,
      actual: result.actual,
      missing: result.missing,
      unexpected: result.unexpected,
    })),
  };
}

function renderSuites(suites: readonly PolicySuiteResult[], summary: { policies: number; cases: number; passed: number; failed: number; policiesWithProblems: number; policiesNotLoaded: number }, show: (file: string) => string): string {
  const lines: string[] = [];
  const result = (entry: ExpectedResult): string => `${entry.file}:${entry.line}  ${entry.entity}${entry.severity !== undefined ? ` (${entry.severity})` : ''}`;
  for (const suite of suites) {
    lines.push(`${suite.policy?.id ?? suite.id}  ${show(suite.policyDir)}`);
    for (const error of suite.loadErrors) lines.push(`  ✗ does not load: ${formatDiagnostic(error)}`);
    for (const problem of suite.problems) lines.push(`  ✗ test suite: ${problem}`);
    for (const testCase of suite.results) {
      lines.push(`  ${testCase.passed ? '✓' : '✗'} ${testCase.name}`);
      if (testCase.passed) continue;
      const rows: Array<[string, string]> = [
        ...testCase.missing.findings.map((entry): [string, string] => ['missing finding', result(entry)]),
        ...testCase.unexpected.findings.map((entry): [string, string] => ['unexpected finding', result(entry)]),
        ...testCase.missing.unknown.map((entry): [string, string] => ['missing unknown', result(entry)]),
        ...testCase.unexpected.unknown.map((entry): [string, string] => ['unexpected unknown', result(entry)]),
        ...testCase.actual.errors.map((error): [string, string] => ['error', error]),
      ];
      for (const [label, text] of rows) lines.push(`      ${`${label}:`.padEnd(20)}${text}`);
      // The usual mistake is a line or severity that moved: say so next to the two entries.
      for (const missing of testCase.missing.findings) {
        const reported = testCase.unexpected.findings.find((entry) => entry.entity === missing.entity);
        if (!reported) continue;
        const what = reported.file !== missing.file || reported.line !== missing.line ? `at ${reported.file}:${reported.line}, expected at ${missing.file}:${missing.line}` : `with severity ${reported.severity}, expected ${missing.severity}`;
        lines.push(`      ${''.padEnd(20)}${missing.entity} was reported ${what}`);
      }
    }
    lines.push('');
  }
  const extra = [
    summary.policiesWithProblems > 0 ? `${count(summary.policiesWithProblems, 'policy', 'policies')} with test-suite problems` : '',
    summary.policiesNotLoaded > 0 ? `${count(summary.policiesNotLoaded, 'policy', 'policies')} not loading` : '',
  ].filter(Boolean);
  lines.push(`${count(summary.policies, 'policy', 'policies')}, ${count(summary.cases, 'case', 'cases')}: ${summary.passed} passed, ${summary.failed} failed${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`);
  // Each entry is one line; names and messages come from the policies and their test fixtures.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
