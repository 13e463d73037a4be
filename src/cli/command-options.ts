import { DEFAULT_PACK, PACK_NAMES } from '../model/packs.js';
import { FAIL_ON_VALUES, KNOWN_FRAMEWORKS, type FailOn } from '../model/findings.js';
import { describeReportFormats, REPORT_FORMATS } from '../reporters/formats.js';
import type { CliOption } from './options.js';

// The options of every command, declared once each: the commands parse with these lists and the
// help texts (help.ts) render them. Only light modules are imported: `--help` loads this one.

/** The `--fail-on` level when neither the command line nor the config file names one. */
export const DEFAULT_FAIL_ON: FailOn = 'low';

/** `-f, --format FORMAT[:FILE]` of scan and audit; the formats are those of src/reporters/formats.ts. */
export const FORMAT_OPTION = {
  name: 'format',
  short: 'f',
  type: 'string',
  value: 'FORMAT[:FILE]',
  multiple: true,
  description: `${describeReportFormats()}; repeat for several outputs, each to its FILE or one to standard output: --format text --format sarif:gatewarden.sarif`,
} as const satisfies CliOption;

/** `-o, --output FILE`. */
export const OUTPUT_OPTION = { name: 'output', short: 'o', type: 'string', value: 'FILE', description: 'write the format given without a file to FILE' } as const satisfies CliOption;

/** `--fail-on LEVEL`: the levels are the model's. */
export const FAIL_ON_OPTION = {
  name: 'fail-on',
  type: 'string',
  value: 'LEVEL',
  description: `exit 1 when a finding is at or above LEVEL (default ${DEFAULT_FAIL_ON}): ${FAIL_ON_VALUES.slice(0, -1).join(', ')}, or ${FAIL_ON_VALUES.at(-1)}`,
} as const satisfies CliOption;

/** `-c, --config FILE`. */
export const CONFIG_OPTION = {
  name: 'config',
  short: 'c',
  type: 'string',
  value: 'FILE',
  description: 'the config file, whose policies, suppressions, fail-on and baseline apply (default: .gatewarden.yaml or .gatewarden.yml from the first PATH, or the current directory for an audit, upwards to the repository root)',
} as const satisfies CliOption;

/** `--baseline FILE`. */
export const BASELINE_OPTION = { name: 'baseline', type: 'string', value: 'FILE', description: 'report only findings not in FILE; baselined ones are counted, never fail' } as const satisfies CliOption;

/** `--create-baseline FILE`. */
export const CREATE_BASELINE_OPTION = {
  name: 'create-baseline',
  type: 'string',
  value: 'FILE',
  description: "record today's findings in FILE (exit 0 unless the scan or audit is incomplete)",
} as const satisfies CliOption;

/** `--history DB` of scan and audit, and of `gatewarden report`. */
export const HISTORY_OPTION = {
  name: 'history',
  type: 'string',
  value: 'DB',
  description: 'record this run in the history database DB: a SQLite file created when absent, or a postgres:// URL (default: history: in the config file); the report and exit code stay the same (docs/nightly.md)',
} as const satisfies CliOption;

/** `--run-id ID` of scan and audit. */
export const RUN_ID_OPTION = {
  name: 'run-id',
  type: 'string',
  value: 'ID',
  description: 'with --history: record under run ID, so that the shards of one nightly run (parallel jobs) make one run; a new id when absent',
} as const satisfies CliOption;

/** `--framework NAME` of scan, audit and `policies list`. */
export const FRAMEWORK_OPTION = {
  name: 'framework',
  type: 'string',
  value: 'NAME',
  // Listed from KNOWN_FRAMEWORKS so that a framework the built-in policies gain shows in --help by itself.
  description: `run only the policies that map to the compliance framework NAME: ${Object.keys(KNOWN_FRAMEWORKS).join(', ')} (docs/policies.md)`,
} as const satisfies CliOption;

/** `--pack NAME` of scan, audit and `policies list`; the names are those of src/engine/packs.ts. */
export const PACK_OPTION = {
  name: 'pack',
  type: 'string',
  value: 'NAME',
  multiple: true,
  description: `run only the built-in policies of the pack NAME (repeatable; default ${DEFAULT_PACK}; policies of --policies always run): ${PACK_NAMES.join(', ')} (docs/policies.md#packs)`,
} as const satisfies CliOption;

/** `--policies DIR` of scan and audit. */
export const POLICIES_OPTION = { name: 'policies', type: 'string', value: 'DIR', multiple: true, description: 'also load the policies in DIR (repeatable)' } as const satisfies CliOption;

/**
 * `--limit NAME=VALUE`. Each command reads other limits, so each says which: the declaration is
 * shared, the description is the command's (see {@link describedAs}).
 */
export const LIMIT_OPTION = { name: 'limit', type: 'string', value: 'NAME=VALUE', multiple: true, description: 'raise or lower a limit (repeatable; docs/config.md#limits)' } as const satisfies CliOption;

/** `--no-color`. */
export const NO_COLOR_OPTION = { name: 'no-color', type: 'boolean', description: 'no colours in text output (also when NO_COLOR is set)' } as const satisfies CliOption;

/** `-h, --help`, which every command and subcommand accepts. */
export const HELP_OPTION = { name: 'help', short: 'h', type: 'boolean', description: 'show this help' } as const satisfies CliOption;

/**
 * A shared option with the description one command gives it. Name, type, short flag and value stay
 * those of the shared declaration; only what the help says changes.
 */
export function describedAs<const O extends CliOption>(option: O, description: string): O {
  return { ...option, description };
}

/** What every command that produces a report takes first: its outputs, exit code, config and baseline. */
const REPORTING_OPTIONS = [
  FORMAT_OPTION,
  OUTPUT_OPTION,
  FAIL_ON_OPTION,
  CONFIG_OPTION,
  BASELINE_OPTION,
  CREATE_BASELINE_OPTION,
  HISTORY_OPTION,
  RUN_ID_OPTION,
] as const satisfies readonly CliOption[];

/** `gatewarden scan`: every option, in the order of its help. */
export const SCAN_OPTIONS = [
  ...REPORTING_OPTIONS,
  { name: 'exclude', type: 'string', value: 'GLOB', multiple: true, description: 'do not scan paths matching GLOB, relative to the current directory (repeatable; "examples/**", "**/test/**")' },
  { name: 'var', type: 'string', value: 'NAME=VALUE', multiple: true, description: 'set a root Terraform variable (repeatable)' },
  { name: 'var-file', type: 'string', value: 'FILE', multiple: true, description: 'read Terraform variables from a .tfvars file (repeatable)' },
  POLICIES_OPTION,
  PACK_OPTION,
  FRAMEWORK_OPTION,
  { name: 'source-dir', type: 'string', value: 'DIR', description: "the Terraform source of the plans scanned, to report .tf lines (default: each plan's own directory)" },
  { name: 'parameter', type: 'string', value: 'NAME=VALUE', multiple: true, description: 'a CloudFormation or ARM parameter value (repeatable)' },
  { name: 'parameter-file', type: 'string', value: 'FILE', multiple: true, description: 'parameter values: CloudFormation files as the AWS CLI or CodePipeline write them, ARM parameter files (repeatable)' },
  {
    name: 'allow-read',
    type: 'string',
    value: 'DIR',
    multiple: true,
    description: 'also read files under DIR (relative to the current directory), outside the scanned paths: modules, templates and files the configuration names there (repeatable; command line only; docs/security.md)',
  },
  describedAs(LIMIT_OPTION, 'raise or lower a limit (repeatable): file-size, depth, hcl-parse-time, yaml-alias-nodes, instances, evaluation-steps, entities, policy-time, policy-memory (docs/config.md#limits)'),
  NO_COLOR_OPTION,
  HELP_OPTION,
] as const satisfies readonly CliOption[];

/**
 * The options of `gatewarden audit PROVIDER` whatever the provider; a provider adds its own
 * (`options` of its descriptor in providers/<cloud>/live/auditor.ts), listed before these in its help.
 */
export const AUDIT_OPTIONS = [
  ...REPORTING_OPTIONS,
  POLICIES_OPTION,
  PACK_OPTION,
  FRAMEWORK_OPTION,
  describedAs(LIMIT_OPTION, 'raise or lower a limit (repeatable): audit-items (items of one listing), audit-response-size (one response), entities, policy-time, policy-memory (docs/config.md#limits)'),
  { name: 'timeout', type: 'string', value: 'DURATION', description: 'stop the audit after DURATION (30s, 10m, 1h) and report what finished (default 30m); each call also has its own 30 s limit' },
  NO_COLOR_OPTION,
  HELP_OPTION,
] as const satisfies readonly CliOption[];

/** `--format` of `gatewarden policies`: text or JSON only, to the standard output. */
const POLICIES_FORMAT_OPTION = { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'text (default) or json' } as const satisfies CliOption;

/** `--limit` of `gatewarden policies`: reading policy files and evaluating test cases. */
const POLICIES_LIMIT_OPTION = describedAs(
  LIMIT_OPTION,
  "raise or lower a limit (repeatable): file-size, depth, yaml-alias-nodes bound reading policy files; policy-time, policy-memory bound each test case's evaluation (docs/config.md#limits)",
);

/** `gatewarden policies list` and `gatewarden policies show ID`. */
export const POLICIES_LIST_OPTIONS = [
  POLICIES_FORMAT_OPTION,
  describedAs(POLICIES_OPTION, 'list and show: also load the policies in DIR (repeatable)'),
  describedAs(PACK_OPTION, `list only: only the built-in policies of the pack NAME (repeatable): ${PACK_NAMES.join(', ')} (docs/policies.md#packs)`),
  describedAs(FRAMEWORK_OPTION, `list only: only the policies that map to the compliance framework NAME (${Object.keys(KNOWN_FRAMEWORKS).join(', ')}), with their controls`),
  POLICIES_LIMIT_OPTION,
  HELP_OPTION,
] as const satisfies readonly CliOption[];

/**
 * `gatewarden policies show ID`: the options of list but `--framework` and `--pack`, which select
 * policies; show names its one policy, and prints every framework it maps to.
 */
export const POLICIES_SHOW_OPTIONS = POLICIES_LIST_OPTIONS.filter((option) => option.name !== 'framework' && option.name !== 'pack');

/** `gatewarden policies test DIR`: the policies tested are the argument, so there is no `--policies`. */
export const POLICIES_TEST_OPTIONS = [POLICIES_FORMAT_OPTION, POLICIES_LIMIT_OPTION, HELP_OPTION] as const satisfies readonly CliOption[];

/** `gatewarden report`: the nightly report over the recorded history. */
export const REPORT_OPTIONS = [
  describedAs(HISTORY_OPTION, 'the history database that scan and audit recorded into with --history (default: history: in the config file)'),
  { name: 'since', type: 'string', value: 'AGE', description: 'the window: changes since, fixes in and the trend over the last AGE (30d, 12w, 48h; default: every recorded run)' },
  {
    name: 'format',
    short: 'f',
    type: 'string',
    value: 'FORMAT[:FILE]',
    multiple: true,
    description: 'markdown (default), json or html (one self-contained file), to standard output or FILE; repeat for several: --format html:nightly.html --format json:nightly.json',
  },
  describedAs(CONFIG_OPTION, 'the config file, for history: and sla: (default: .gatewarden.yaml or .gatewarden.yml in the current directory, upwards to the repository root)'),
  {
    name: 'notify',
    type: 'string',
    value: 'URL',
    description: 'after writing the report, post the new critical and high findings and those past their SLA to the webhook URL (Slack or generic JSON); a failed post is a warning, never a failed report (docs/nightly.md#notifications)',
  },
  { name: 'notify-format', type: 'string', value: 'FORMAT', description: 'slack ({"text", "blocks"}; the default for hooks.slack.com) or json (the default for any other URL)' },
  HELP_OPTION,
] as const satisfies readonly CliOption[];

/** `gatewarden report merge REPORT.json...`: the merged report's outputs, as scan writes them. */
export const REPORT_MERGE_OPTIONS = [
  describedAs(FORMAT_OPTION, `json (the default here) or another format of scan: ${REPORT_FORMATS.filter((name) => name !== 'json').join(', ')}; repeat for several outputs, each to its FILE or one to standard output: --format json:merged.json --format sarif:merged.sarif`),
  describedAs(OUTPUT_OPTION, 'write the format given without a file (json by default) to FILE'),
  HELP_OPTION,
] as const satisfies readonly CliOption[];

/** `gatewarden report record --history DB REPORT.json...`: JSON reports recorded as the shards of one run. */
export const REPORT_RECORD_OPTIONS = [
  describedAs(HISTORY_OPTION, 'the history database to record into, a SQLite file created when absent (default: history: in the config file)'),
  describedAs(RUN_ID_OPTION, 'record the reports as the shards of run ID (a run recorded earlier under ID gains them); a new id when absent'),
  describedAs(CONFIG_OPTION, 'the config file, for history: (default: .gatewarden.yaml or .gatewarden.yml in the current directory, upwards to the repository root)'),
  HELP_OPTION,
] as const satisfies readonly CliOption[];
