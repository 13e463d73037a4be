// Types of bench/corpus/peers.mjs, for test/bench/corpus.test.ts (the harness itself is plain JavaScript).

/** A labelled resource: what a peer's test expects of one resource (or one example file). */
export interface PeerCase {
  readonly peer: 'checkov' | 'cfn-nag' | 'trivy';
  readonly check: string;
  readonly group: string;
  readonly file?: string;
  readonly resource: { readonly kind: 'terraform' | 'cloudformation' | 'arm' | 'file'; readonly type?: string; readonly name?: string };
  readonly label: 'positive' | 'negative';
  readonly shown: string;
}

/** A folder of fixture files scanned together, by path. */
export interface PeerGroup {
  readonly dir: string;
  readonly files: Readonly<Record<string, string>>;
}

/** What a reader returns. */
export interface PeerReading {
  readonly groups: PeerGroup[];
  readonly cases: PeerCase[];
  readonly skipped: string[];
}

/** A git copy at a commit, as the readers see one. */
export interface PeerGit {
  list(prefix: string): string[];
  read(file: string): string | undefined;
}

export const CONCERN_ORDER: readonly string[];
export const CONCERNS: Readonly<Record<string, string>>;
export const OUT_OF_SCOPE: Readonly<Record<string, string>>;
export const CFN_NAG_AUDITED_TYPES: Readonly<Record<string, readonly string[]>>;
export const DELIBERATE: Readonly<Record<string, string>>;
export const PEERS: ReadonlyArray<{ readonly name: string; readonly repo: string; readonly commit: string }>;
export function readCheckov(git: PeerGit): PeerReading;
export function readCfnNag(git: PeerGit): PeerReading;
export function readTrivy(git: PeerGit, parseYaml: (text: string) => unknown): PeerReading;
export function cloudFormationResources(text: string, file: string): Array<[string, string]>;
export function terraformStubs(files: Readonly<Record<string, string>>): string | undefined;
