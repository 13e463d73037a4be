/** What an audit of AWS accounts reads, and how. */
export interface AwsAuditOptions {
  /** A profile of ~/.aws/config and ~/.aws/credentials. */
  readonly profile?: string;
  /** A role to assume for the audit (cross-account). */
  readonly roleArn?: string;
  /** A file with one role ARN per line (`#` comments), relative to the audit's directory: each account is audited through its role. */
  readonly accountsFile?: string;
  /** Regions to read; default: every region enabled for the account. */
  readonly regions?: readonly string[];
  readonly endpointUrl?: string;
  /** Fixed credentials instead of the default chain (tests). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Calls in flight per region (default 4) and regions read at once (default 4). */
  readonly concurrency?: number;
  readonly regionConcurrency?: number;
  /** Attempts per call, throttling and timeouts included (default 8). */
  readonly maxAttempts?: number;
  /** The time limit of one call, from the request to the last byte of the response (default 30 s). */
  readonly requestTimeoutMs?: number;
}
