import type { Finding, UnevaluatedCheck } from '../model/findings.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { escapeControl } from '../escape.js';
import { isActive, type ReportPolicy, type ScanReport } from '../report/report.js';
import { entityLabel, isFileLocation, policiesOf, relatedLines, routeLines, standInNote, standInSuffix, where } from './common.js';

/** The name of the suite that holds the scan's own errors (files that do not parse, policies that do not load). */
export const JUNIT_TOOL_SUITE = 'gatewarden';

// XML 1.0 allows tab, LF, CR and the ranges below; anything else makes the whole document unreadable.
// Values from the input reach here with their control characters already shown as escapes
// (escapeControl), so this only drops what is left: lone surrogates.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes character data. `>` too, so that a `]]>` in a message cannot end anything. */
function text(value: string): string {
  return value.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value; whitespace as references, or attribute normalisation turns newlines into spaces. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attributes(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${attribute(String(value))}"`)
    .join('');
}

interface TestCase {
  readonly name: string;
  readonly classname: string;
  /** `failure`: a finding; `error`: something that could not be checked; `skipped`: accepted. */
  readonly outcome?: { readonly kind: 'failure' | 'error'; readonly type: string; readonly message: string; readonly body: string } | { readonly kind: 'skipped'; readonly body: string };
}

interface TestSuite {
  readonly name: string;
  readonly properties: ReadonlyArray<readonly [string, string]>;
  readonly cases: readonly TestCase[];
  readonly systemOut?: string;
}

/**
 * Renders the report as JUnit XML (the Jenkins/GitLab dialect, `junit-4.xsd`), so that CI test views
 * list what gatewarden checked.
 *
 * One suite per policy, one test case per finding (`<address> [<route>]`), failing with the severity as
 * its type and the location and remediation in its body. Suppressed and baselined findings are
 * skipped cases, undecided checks are errors. The report has no per-entity passes (only counts), so a
 * policy without failing or undecided cases gets one passing case named after it: the CI view shows
 * the policy ran. Error diagnostics are error cases of a last suite, `gatewarden`, so an incomplete
 * scan cannot look green; warnings are its `system-out`. No timestamps or durations: the output
 * depends on the report alone. Values from the input are shown with their control characters escaped
 * (`\n`, `\u001b`): line breaks in a body are the reporter's own.
 */
export function renderJunit(report: ScanReport): string {
  const suites: TestSuite[] = policiesOf(report).map((policy) => policySuite(policy, report));
  const toolSuite = diagnosticSuite(report.diagnostics);
  if (toolSuite) suites.push(toolSuite);

  const count = (suite: TestSuite, kind: 'failure' | 'error' | 'skipped'): number => suite.cases.filter((testCase) => testCase.outcome?.kind === kind).length;
  const total = (kind: 'failure' | 'error'): number => suites.reduce((sum, suite) => sum + count(suite, kind), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: report.tool.name, tests: suites.reduce((sum, suite) => sum + suite.cases.length, 0), failures: total('failure'), errors: total('error') })}>`,
  ];
  for (const suite of suites) {
    lines.push(`  <testsuite${attributes({ name: suite.name, tests: suite.cases.length, failures: count(suite, 'failure'), errors: count(suite, 'error'), skipped: count(suite, 'skipped') })}>`);
    if (suite.properties.length > 0) {
      lines.push('    <properties>');
      for (const [name, value] of suite.properties) lines.push(`      <property${attributes({ name, value })}/>`);
      lines.push('    </properties>');
    }
    for (const testCase of suite.cases) lines.push(...caseLines(testCase));
    if (suite.systemOut !== undefined) lines.push(`    <system-out>${text(suite.systemOut)}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function caseLines(testCase: TestCase): string[] {
  const open = `    <testcase${attributes({ name: testCase.name, classname: testCase.classname })}`;
  const { outcome } = testCase;
  if (!outcome) return [`${open}/>`];
  // junit-4.xsd types <skipped> as a plain string: no attributes, the reason is its text.
  const child =
    outcome.kind === 'skipped'
      ? `      <skipped>${text(outcome.body)}</skipped>`
      : `      <${outcome.kind}${attributes({ type: outcome.type, message: outcome.message })}>${text(outcome.body)}</${outcome.kind}>`;
  return [`${open}>`, child, '    </testcase>'];
}

function policySuite(policy: ReportPolicy, report: ScanReport): TestSuite {
  const id = escapeControl(policy.id);
  const cases: TestCase[] = [
    ...report.findings.filter((finding) => finding.policyId === policy.id).map(findingCase),
    ...report.unevaluated.filter((check) => check.policyId === policy.id).map(uncheckedCase),
  ];
  if (!cases.some((testCase) => testCase.outcome?.kind === 'failure' || testCase.outcome?.kind === 'error')) {
    cases.push({ name: id, classname: id });
  }
  return {
    name: id,
    properties: [
      ['title', escapeControl(policy.title)],
      ['severity', policy.severity],
      ['category', policy.category],
    ],
    cases,
  };
}

function findingCase(finding: Finding): TestCase {
  const name = escapeControl(entityLabel(finding));
  const classname = escapeControl(finding.policyId);
  if (finding.suppressed) {
    const { reason, until } = finding.suppressed;
    return { name, classname, outcome: { kind: 'skipped', body: escapeControl(`suppressed: ${reason ?? '(no reason given)'}${until !== undefined ? ` (until ${until})` : ''}`) } };
  }
  if (!isActive(finding)) return { name, classname, outcome: { kind: 'skipped', body: 'in the baseline' } };
  const { location } = finding;
  const body = [
    finding.message,
    `at ${where(location)}${location.pointer !== undefined ? ` (${location.pointer})` : ''}`,
    ...relatedLines(finding),
    ...routeLines(finding),
    ...(finding.standIn !== undefined ? [`note: ${standInNote(finding)}`] : []),
    ...(location.url !== undefined ? [`console: ${location.url}`] : []),
    `remediation: ${finding.remediation}`,
  ]
    .map(escapeControl)
    .join('\n');
  return { name, classname, outcome: { kind: 'failure', type: finding.severity, message: escapeControl(finding.message), body } };
}

function uncheckedCase(check: UnevaluatedCheck): TestCase {
  const reason = escapeControl(check.reason);
  return {
    name: escapeControl(entityLabel(check)),
    classname: escapeControl(check.policyId),
    outcome: { kind: 'error', type: 'unknown', message: `could not be decided: ${reason}`, body: `${reason}\nat ${escapeControl(where(check.location))}${escapeControl(standInSuffix(check))}` },
  };
}

function diagnosticSuite(diagnostics: readonly Diagnostic[]): TestSuite | undefined {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
  if (errors.length === 0 && warnings.length === 0) return undefined;
  const place = (diagnostic: Diagnostic): string => escapeControl(diagnostic.location ? where(diagnostic.location) : (diagnostic.address ?? ''));
  return {
    name: JUNIT_TOOL_SUITE,
    properties: [],
    cases: errors.map((diagnostic) => ({
      name: [diagnostic.code, place(diagnostic)].filter(Boolean).join(' '),
      classname: JUNIT_TOOL_SUITE,
      outcome: {
        kind: 'error',
        type: diagnostic.code,
        message: escapeControl(diagnostic.message),
        body: [escapeControl(diagnostic.message), ...(diagnostic.location && isFileLocation(diagnostic.location) ? [`at ${place(diagnostic)}`] : [])].join('\n'),
      },
    })),
    ...(warnings.length > 0 ? { systemOut: warnings.map((diagnostic) => `warning ${place(diagnostic) ? `${place(diagnostic)} ` : ''}${escapeControl(diagnostic.message)}`).join('\n') } : {}),
  };
}
