import { LIVE_AUDITORS, type LiveAuditor } from '../../providers/live.js';
import { AUDIT_OPTIONS } from './command-options.js';
import { renderOptions } from './options.js';

// The help of `gatewarden audit`, generated from the registry of live providers (providers/live.ts).
// Apart from help.ts so that `--version` and the other helps do not load the providers' descriptors.

/** `gatewarden audit --help`: the providers, and the options every provider accepts. */
export const AUDIT_HELP = `gatewarden audit PROVIDER [options]

Reads the API gateways of live cloud accounts with read-only calls, evaluates the policies, and
reports findings by resource, account and region. The providers:
${Object.values(LIVE_AUDITORS).map((provider) => `  ${provider.name.padEnd(8)}${provider.summary}`).join('\n')}
Run "gatewarden audit PROVIDER --help" for the options of one; these are those of every provider:

Options:
${renderOptions(AUDIT_OPTIONS)}
When the audit stops early (--timeout, a limit, Ctrl-C), the report is still written, in every
--format, with what finished; each region or call that did not is named as an error. A second
Ctrl-C quits at once.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or incomplete audit (a region
or call that failed or timed out, a limit reached, a check that read an unknown value), 130
interrupted by Ctrl-C (the report of what finished is written).
`;

/**
 * `gatewarden audit PROVIDER --help`, from the provider's descriptor (providers/live.ts): what it
 * reads, its own options, then those every provider shares.
 */
export function auditProviderHelp(auditor: Pick<LiveAuditor<never>, 'name' | 'notes' | 'options'>): string {
  return `gatewarden audit ${auditor.name} [options]

${auditor.notes}

Options:
${renderOptions([...auditor.options, ...AUDIT_OPTIONS])}
When the audit stops early (--timeout, a limit, Ctrl-C), the report is still written, in every
--format, with what finished; each part that did not is named as an error. A second Ctrl-C quits at
once.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or incomplete audit (a region
or call that failed or timed out, a limit reached, a check that read an unknown value), 130
interrupted by Ctrl-C (the report of what finished is written).
`;
}

