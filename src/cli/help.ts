import {
  POLICIES_LIST_OPTIONS,
  POLICIES_SHOW_OPTIONS,
  POLICIES_TEST_OPTIONS,
  REPORT_MERGE_OPTIONS,
  REPORT_OPTIONS,
  REPORT_RECORD_OPTIONS,
  SCAN_OPTIONS,
} from './command-options.js';
import { mergeOptions, renderOptions } from './options.js';

// The help texts. Their options sections are rendered from the lists the commands parse with
// (command-options.ts), so the help names exactly the options a command accepts.

/** `gatewarden --help`. */
export const HELP = `gatewarden: find security gaps in cloud API gateway configurations

Usage:
  gatewarden scan [PATH...] [options]   scan Terraform (.tf, .tf.json, plans), CloudFormation, SAM, CDK
                                        output (cdk.out), ARM templates, APIOps artifacts and OpenAPI
                                        documents for API gateway security gaps
  gatewarden audit aws [options]        read the API Gateway APIs of live AWS accounts (read-only)
  gatewarden audit azure [options]      read the API Management instances of live Azure subscriptions
                                        (read-only)
  gatewarden audit gcp [options]        read the API Gateway APIs, Cloud Endpoints services and API
                                        keys of live GCP projects (read-only)
  gatewarden report --history DB [options]
                                        the nightly report over the runs recorded with --history:
                                        posture, new and fixed findings, ages, SLAs
  gatewarden report merge REPORT.json... [options]
                                        the JSON reports of a run's shards made into one report
  gatewarden report record --history DB REPORT.json... [options]
                                        record JSON reports as the shards of one run
  gatewarden policies list|show ID|test DIR
                                        the policies, one in full, or test your own with fixtures
  gatewarden --version                  print the version
  gatewarden help scan                  options of scan
  gatewarden help audit [PROVIDER]      options of audit, or of one provider: help audit aws
  gatewarden help policies [COMMAND]    options of policies, or of list, show or test
  gatewarden help report [merge|record] options of report, or of report merge or record

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error or incomplete scan,
130 an audit interrupted by Ctrl-C (its report is written).
Documentation: README.md and docs/ in the gatewarden repository.
`;

/** `gatewarden scan --help`. */
export const SCAN_HELP = `gatewarden scan [PATH...] [options]

Scans files and directories (default: the current directory) for API gateway resources, evaluates
the policies and reports findings with file and line. Reads Terraform .tf and .tf.json files,
plans written by terraform show -json, CloudFormation/SAM templates (JSON or YAML), ARM templates and
OpenAPI documents (all recognised by content), CDK cloud assemblies (cdk.out, through their
manifest), and APIOps artifacts folders of API Management (scan the whole folder the extractor
writes, e.g. gatewarden scan apimartifacts/: a part of it is not checked).
.git, .terraform, .terragrunt-cache, .aws-sam and node_modules are skipped; Bicep files are
read only for the OpenAPI documents they import (not checked on their own) and reported as not
scanned. Nothing outside the PATHs (and --allow-read directories) is read, symbolic
links followed.

Options:
${renderOptions(SCAN_OPTIONS)}
Accept a finding next to the code with a comment on or above its block,
  # gatewarden:ignore route-requires-auth until=2027-03-31 -- public health check
(// in HCL, <!-- --> in policy XML), Metadata in CloudFormation, x-gatewarden-ignore in OpenAPI,
or by address in .gatewarden.yaml (docs/config.md).

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or incomplete scan
(a file that does not parse or is outside the scanned paths, work stopped by a limit, a policy
that does not load, a check that read an unknown value).
`;

/** `gatewarden policies --help`: the subcommands, and the options of list and show. */
export const POLICIES_HELP = `gatewarden policies list|show|test [options]

Lists and explains the policies gatewarden evaluates (the built-in ones and those of --policies
directories), and runs the test cases of your own policies.

Usage:
  gatewarden policies list [options]       every policy: id, severity, category, title and source
  gatewarden policies show ID [options]    one policy in full: description, remediation, references,
                                           what it matches, its assert and its variants
  gatewarden policies test DIR [options]   run the test cases of a policy folder (one holding a
                                           policy.yaml) or of every policy under DIR, with the checks
                                           the built-in policies pass: the policy loads, its
                                           test/expected.yaml lists every case, a positive and a
                                           negative case, and each case reports exactly the expected
                                           findings and unknown checks (entity, file, line, severity)

Options (gatewarden policies SUBCOMMAND --help lists those of one):
${renderOptions(mergeOptions(POLICIES_LIST_OPTIONS, POLICIES_TEST_OPTIONS))}
Exit codes: 0 success (every case passed), 1 a test case failed or a test suite is incomplete,
2 usage error, unknown policy id, no policy found, or a policy that does not load.
Writing and testing policies: docs/writing-policies.md.
`;

/** `gatewarden policies list --help`. */
export const POLICIES_LIST_HELP = `gatewarden policies list [options]

Lists every policy gatewarden evaluates, the built-in ones and those of --policies directories, by
category then id: id, severity, category, title and source. gatewarden policies show ID gives the
details of one.

Options:
${renderOptions(POLICIES_LIST_OPTIONS)}
Exit codes: 0 success, 2 usage error or a policy that does not load.
`;

/** `gatewarden policies show --help`. */
export const POLICIES_SHOW_HELP = `gatewarden policies show ID [options]

Shows one policy in full: description, remediation, references, what it matches, its assert and
its variants, and every compliance framework control it maps to.

Options:
${renderOptions(POLICIES_SHOW_OPTIONS)}
Exit codes: 0 success, 2 usage error, unknown policy id, or a policy that does not load.
`;

/** `gatewarden policies test --help`. */
export const POLICIES_TEST_HELP = `gatewarden policies test DIR [options]

Runs the test cases of a policy folder (one holding a policy.yaml) or of every policy under DIR,
with the checks the built-in policies pass: the policy loads, its test/expected.yaml lists every
case, a positive and a negative case, and each case reports exactly the expected findings and
unknown checks (entity, file, line, severity). The policies tested are those of DIR alone.

Options:
${renderOptions(POLICIES_TEST_OPTIONS)}
Exit codes: 0 every case passed, 1 a test case failed or a test suite is incomplete, 2 usage error,
no policy found, or a policy that does not load.
Writing and testing policies: docs/writing-policies.md.
`;

/** `gatewarden report --help`. */
export const REPORT_HELP = `gatewarden report --history DB [options]

Reads the runs that gatewarden scan and gatewarden audit recorded with --history DB and reports
the posture now (open findings by severity, provider, policy and target), what is new, fixed or
still open since the previous run and since --since, the age of open findings and the mean time to
fix per severity, findings past their SLA (sla: in .gatewarden.yaml), and the checks and targets
that were not read or decided: those are never counted as passes. A finding is fixed only when a
later run read its target again; otherwise it is "not checked".

With --notify URL, the new critical and high findings since the previous run and the findings
past their SLA are posted to a webhook once the report is written (nothing is posted when there are
none). Each attempt has 10 s; a 429, a 5xx or a network error is retried three times (1 s, 2 s, 4 s
apart); a post that still fails is a warning on standard error and the exit code stays 0. The URL
is never printed beyond its host.

Subcommands:
  gatewarden report merge REPORT.json...  the JSON reports of the shards of one run as one report
  gatewarden report record --history DB REPORT.json...
                                          record JSON reports as the shards of one run

Options:
${renderOptions(REPORT_OPTIONS)}
Exit codes: 0 the report is written (whether or not the notification went through), 2 usage error
or a history that cannot be read.
Recording runs, sharding with --run-id and the report's contents: docs/nightly.md.
`;

/** `gatewarden report merge --help`. */
export const REPORT_MERGE_HELP = `gatewarden report merge REPORT.json... [options]

Merges the JSON reports (scan or audit --format json) of the shards of one run, parallel jobs
each reading some repositories or accounts, into the report of one run: every target, finding,
undecided check and diagnostic, incomplete when any shard is. Reports of another schema version or
of another major version of gatewarden are refused. Two reports of the same target (the same scan
directory and paths, or the same accounts and regions) are one job run twice: the one that finished
last is kept, and standard error says so. Scans run in different directories are rebased onto the
directory that holds them all.

Options:
${renderOptions(REPORT_MERGE_OPTIONS)}
Exit codes: 0 the merged report is written, 2 usage error or reports that cannot be merged. The
findings do not change the exit code: gate on the shards' own scans.
Record the shards into the history with gatewarden report record: docs/nightly.md.
`;

/** `gatewarden report record --help`. */
export const REPORT_RECORD_HELP = `gatewarden report record --history DB REPORT.json... [options]

Records JSON reports (scan or audit --format json, or a report merged by gatewarden report merge)
into the history as the shards of one run, as scan --history DB --run-id ID would have: for jobs
that cannot reach the history database themselves. Every file is read and checked before anything
is recorded. A shard whose target was recorded before under the same run id replaces it.

Options:
${renderOptions(REPORT_RECORD_OPTIONS)}
Exit codes: 0 every report is recorded, 2 usage error, a file that is not a JSON report, reports of
different versions, or a history that cannot be written.
Recording runs and the report over them: docs/nightly.md.
`;
