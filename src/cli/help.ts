/** `gatewarden --help`. */
export const HELP = `gatewarden: find security gaps in cloud API gateway configurations

Usage:
  gatewarden scan [PATH...] [options]   scan Terraform (.tf, .tf.json, plans), CloudFormation, SAM, CDK
                                        output (cdk.out), ARM templates and OpenAPI documents for API
                                        gateway security gaps
  gatewarden audit aws [options]        read the API Gateway APIs of live AWS accounts (read-only)
  gatewarden policies list|show ID|test DIR
                                        the policies, one in full, or test your own with fixtures
  gatewarden --version                  print the version
  gatewarden help scan                  options of scan
  gatewarden help audit                 options of audit
  gatewarden help policies              options of policies

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error or incomplete scan,
130 an audit interrupted by Ctrl-C (its report is written).
Documentation: README.md and docs/ in the gatewarden repository.
`;

/** `gatewarden scan --help`. */
export const SCAN_HELP = `gatewarden scan [PATH...] [options]

Scans files and directories (default: the current directory) for API gateway resources, evaluates
the policies and reports findings with file and line. Reads Terraform .tf and .tf.json files,
plans written by terraform show -json, CloudFormation/SAM templates (JSON or YAML), ARM templates and
OpenAPI documents (all recognised by content), and CDK cloud assemblies (cdk.out, through their
manifest).
.git, .terraform, .terragrunt-cache, .aws-sam and node_modules are skipped; Bicep files are
reported as not scanned. Nothing outside the PATHs (and --allow-read directories) is read, symbolic
links followed.

Options:
  -f, --format FORMAT[:FILE]
                          text (default), json, sarif, junit, markdown, github (workflow
                          annotations) or gitlab-sast; repeat for several outputs, each to its FILE or one to
                          standard output: --format text --format sarif:gatewarden.sarif
  -o, --output FILE       write the format given without a file to FILE
      --fail-on LEVEL     exit 1 when a finding is at or above LEVEL: critical, high, medium,
                          low (default), info, or never
  -c, --config FILE       the config file (default: .gatewarden.yaml or .gatewarden.yml from the
                          first PATH upwards to the repository root)
      --baseline FILE     report only findings not in FILE; baselined ones are counted, never fail
      --create-baseline FILE
                          record today's findings in FILE (exit 0 unless the scan is incomplete)
      --exclude GLOB      do not scan paths matching GLOB, relative to the current directory
                          (repeatable; "examples/**", "**/test/**")
      --var NAME=VALUE    set a root Terraform variable (repeatable)
      --var-file FILE     read Terraform variables from a .tfvars file (repeatable)
      --policies DIR      also load the policies in DIR (repeatable)
      --source-dir DIR    the Terraform source of the plans scanned, to report .tf lines
                          (default: each plan's own directory)
      --parameter NAME=VALUE     a CloudFormation or ARM parameter value (repeatable)
      --parameter-file FILE      parameter values: CloudFormation files as the AWS CLI or
                                 CodePipeline write them, ARM parameter files (repeatable)
      --allow-read DIR    also read files under DIR (relative to the current directory), outside
                          the scanned paths: modules, templates and files the configuration names
                          there (repeatable; command line only; docs/security.md)
      --limit NAME=VALUE  raise or lower a limit (repeatable): file-size, depth, hcl-parse-time,
                          yaml-alias-nodes, instances, evaluation-steps, entities, policy-time,
                          policy-memory (docs/config.md#limits)
      --no-color          no colours in text output (also when NO_COLOR is set)
  -h, --help              show this help

Accept a finding next to the code with a comment on or above its block,
  # gatewarden:ignore route-requires-auth until=2027-03-31 -- public health check
(// in HCL, <!-- --> in policy XML), Metadata in CloudFormation, x-gatewarden-ignore in OpenAPI,
or by address in .gatewarden.yaml (docs/config.md).

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or incomplete scan
(a file that does not parse or is outside the scanned paths, work stopped by a limit, a policy
that does not load, a check that read an unknown value).
`;

/** `gatewarden audit --help`. */
export const AUDIT_HELP = `gatewarden audit aws [options]

Reads every REST, HTTP and WebSocket API of AWS accounts through the API Gateway control plane
(GET calls only; API key values are never requested), evaluates the policies, and reports findings
by ARN, region and account with a console link. Credentials come from the AWS SDK's default chain
(environment, shared config and SSO profiles, web identity, container and instance roles).

Options:
      --profile NAME      a profile of ~/.aws/config and ~/.aws/credentials
      --role-arn ARN      assume this role for the audit (cross-account)
      --accounts FILE     audit several accounts: one role ARN per line, # for comments
      --regions LIST      comma-separated regions, or all (default: every region enabled for the account)
      --endpoint-url URL  send every call there (LocalStack); AWS_ENDPOINT_URL and
                          AWS_ENDPOINT_URL_API_GATEWAY work too
  -f, --format FORMAT[:FILE]
                          text (default), json, sarif, junit, markdown, github or gitlab-sast;
                          repeatable
  -o, --output FILE       write the format given without a file to FILE
      --fail-on LEVEL     exit 1 when a finding is at or above LEVEL (default low), or never
  -c, --config FILE       the config file (default: .gatewarden.yaml from the current directory
                          upwards): its policies, suppressions by ARN, fail-on and baseline apply
      --baseline FILE     report only findings not in FILE
      --create-baseline FILE     record this audit's findings in FILE
      --policies DIR      also load the policies in DIR (repeatable)
      --limit NAME=VALUE  raise or lower a limit (repeatable): audit-items (items of one listing),
                          audit-response-size (one response), entities, policy-time, policy-memory
                          (docs/config.md#limits)
      --timeout DURATION  stop the audit after DURATION (30s, 10m, 1h) and report the regions
                          that finished (default 30m); each call also has its own 30 s limit
      --no-color          no colours in text output (also when NO_COLOR is set)
  -h, --help              show this help

When the audit stops early (--timeout, a limit, Ctrl-C), the report is still written, in every
--format, with the regions that finished; each region or call that did not is named as an error.
A second Ctrl-C quits at once. The IAM permissions needed are in docs/audit-aws.md (apigateway:GET
on the account's API Gateway resources).

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or incomplete audit (a region
or call that failed or timed out, a limit reached, a check that read an unknown value), 130
interrupted by Ctrl-C (the report of what finished is written).
`;
