import type { SourceLocation } from '../model/location.js';
import type { ApimServiceFacts } from '../model/apim-facts.js';
import type { FailOn, Severity } from '../model/findings.js';
import type { LimitName } from '../limits.js';
import type { PackName } from '../model/packs.js';

export { APIM_NETWORK_TYPES, APIM_TLS_VERSIONS, type ApimNetworkType, type ApimServiceFacts, type ApimTlsVersion, type ConfigFact } from '../model/apim-facts.js';

/** The names gatewarden looks for, in this order, in each directory it searches. */
export const CONFIG_FILE_NAMES = ['.gatewarden.yaml', '.gatewarden.yml'] as const;

/** The name of a config file gatewarden finds on its own. */
export type ConfigFileName = (typeof CONFIG_FILE_NAMES)[number];

/**
 * The `policies` section: which policies run and at which severity. Ids are checked against the
 * loaded policies later, with {@link ConfigPolicyReference} locations, because `dirs` may add policies.
 */
export interface ConfigPolicies {
  /** The packs whose built-in policies run (`--pack` wins over it); the default pack when absent. Never empty. */
  readonly packs?: readonly PackName[];
  /** Where `packs` is written: a choice of packs that holds no policy is an error at this line. */
  readonly packsLocation?: SourceLocation;
  /** When given, only these policies run (an allow-list); never empty. */
  readonly enable?: readonly string[];
  /** These policies never run, even when `enable` lists them. */
  readonly disable?: readonly string[];
  /** Severity overrides by policy id; they replace the base severity and every variant's. */
  readonly severity?: ReadonlyMap<string, Severity>;
  /** Extra policy directories, absolute (written relative to the config file). */
  readonly dirs?: readonly string[];
  /**
   * Parameter values by policy id, then by parameter name (`maxAgeDays: 180`), each with where it is
   * written: names and types are checked once the policies are loaded (`checkPolicyParameters`).
   */
  readonly parameters?: ReadonlyMap<string, ReadonlyMap<string, ConfigParameterValue>>;
}

/** A policy parameter's value as the config file writes it. */
export interface ConfigParameterValue {
  readonly value: number | string | boolean;
  readonly location: SourceLocation;
}

/** Where in the config file a policy id is named: the key it is under. */
export type ConfigPolicyReferenceKey = 'policies.enable' | 'policies.disable' | 'policies.severity' | 'policies.parameters' | 'suppressions';

/** A policy id as written in the config file, kept so that an unknown id is reported at its line. */
export interface ConfigPolicyReference {
  readonly id: string;
  readonly key: ConfigPolicyReferenceKey;
  readonly location: SourceLocation;
}

/**
 * A suppression written in the config file: it accepts the findings of one policy on the addresses
 * it matches. Unlike an in-source suppression it needs no change to the scanned code, which is what
 * generated or vendored code needs.
 */
export interface ConfigSuppression {
  readonly policyId: string;
  /** A resource address, exact or with `*` standing for any characters (`module.legacy.*`). */
  readonly address: string;
  /** A glob (see glob.ts) over the finding's file, relative to the config file's directory. */
  readonly path?: string;
  /** Why the risk is accepted; a suppression without one is loaded with a warning. */
  readonly reason?: string;
  /** `YYYY-MM-DD`: the suppression is in force through that day, then its findings count again. */
  readonly until?: string;
  /** The suppression's entry in the config file (its file relative to the display root). */
  readonly location: SourceLocation;
}

/**
 * What the config file says of one API Management service the scan does not show (a Terraform data
 * source, an ARM `existing` resource, a service another repository deploys): its global policy,
 * which every API of the service runs, and facts about the deployed service that its APIs inherit.
 */
export interface ApimServiceConfig {
  /** The service's global policy document (absolute path), or `none`: the service has no global policy. */
  readonly policy?: { readonly file: string } | 'none';
  /** Where `policy` is written in the config file; the service's entry when it has none. */
  readonly location: SourceLocation;
  /** Facts about the deployed service, each with where it is written (see {@link ApimServiceFacts}). */
  readonly facts: ApimServiceFacts;
}

/**
 * The `azure` section. Provider sections hold only what a scan cannot read from the code it is
 * given; the pipeline hands them to that provider's adapters.
 */
export interface AzureConfig {
  /** `azure.apim.services`: API Management services by name. */
  readonly apimServices: ReadonlyMap<string, ApimServiceConfig>;
}

/** One entry of `owners.paths`: files matching a glob belong to an owner. */
export interface OwnerPath {
  /** A glob (see glob.ts) over files, relative to the config file's directory. */
  readonly glob: string;
  readonly owner: string;
}

/**
 * The `owners` section: who owns what a finding is on, for reports by owner. A finding's owner is,
 * in order: the value of the first of {@link tags} found on its resource, then on its gateway; for a
 * file, the first entry of {@link paths} (in file order) whose glob matches it; then, unless
 * {@link codeowners} is false, the repository's CODEOWNERS file.
 */
export interface OwnersConfig {
  readonly paths: readonly OwnerPath[];
  /** Tag (AWS, Azure) or label (GCP) keys naming the owner, tried in order; matched ignoring case. */
  readonly tags: readonly string[];
  /** Whether CODEOWNERS is read as the last resort for files (true unless `codeowners: false`). */
  readonly codeowners: boolean;
}

/**
 * A loaded and validated `.gatewarden.yaml`. Every file path is absolute (the file writes them
 * relative to its own directory); glob patterns stay as written and apply relative to {@link dir}.
 * Absent keys are absent here too, so a caller can tell "not set" from "set to the default" when
 * command-line flags are merged in.
 */
export interface GatewardenConfig {
  /** The config file, absolute. */
  readonly file: string;
  /** The directory of the config file, absolute: what relative paths and globs in it are relative to. */
  readonly dir: string;
  /** The `fail-on` threshold; `--fail-on` on the command line wins over it. */
  readonly failOn?: FailOn;
  readonly policies: ConfigPolicies;
  /** Glob patterns of paths not scanned, relative to {@link dir}. */
  readonly exclude: readonly string[];
  /** Terraform variable files, absolute. */
  readonly varFiles: readonly string[];
  /** Root Terraform variables; values as the text `--var` would give. */
  readonly vars: ReadonlyMap<string, string>;
  /** CloudFormation or ARM parameter files, absolute. */
  readonly parameterFiles: readonly string[];
  /** CloudFormation parameter values, as text. */
  readonly parameters: ReadonlyMap<string, string>;
  /** The baseline file, absolute. */
  readonly baseline?: string;
  /** Limits set in the file (`limits:`); `--limit` on the command line wins for the same name. */
  readonly limits?: ReadonlyMap<LimitName, number>;
  readonly suppressions: readonly ConfigSuppression[];
  /** The history database (`history:`), absolute; `--history` on the command line wins over it. */
  readonly history?: string;
  /** `sla:`: how long a finding of each severity may stay open, in milliseconds (`gatewarden report`). */
  readonly sla?: ReadonlyMap<Severity, number>;
  /** The `azure` section, when the file has one. */
  readonly azure?: AzureConfig;
  /** The `owners` section, when the file has one. */
  readonly owners?: OwnersConfig;
  /** Every policy id the file names, with where, for `checkPolicyIds` of load.ts. */
  readonly policyReferences: readonly ConfigPolicyReference[];
}
