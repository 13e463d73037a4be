import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { RegionClients } from './fetch.js';
import { BoundedHttpHandler, StoppableRetryStrategy } from './http.js';

/** Credentials as given directly (tests, or credentials a caller already holds). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

type Credentials = NonNullable<STSClientConfig['credentials']>;

/** How to reach AWS: which credentials, where, and how patiently. */
export interface SessionOptions {
  /** A profile of the shared config and credentials files (SSO profiles too). */
  readonly profile?: string;
  /** A role to assume for the audit (cross-account). */
  readonly roleArn?: string;
  /** An endpoint for every call (LocalStack, a test double); the SDK's `AWS_ENDPOINT_URL*` variables work too. */
  readonly endpointUrl?: string;
  /** Fixed credentials (tests, and credentials already resolved by a caller). */
  readonly credentials?: StaticCredentials;
  /** Attempts per call, throttling and timeouts included (the SDK backs off between them). */
  readonly maxAttempts: number;
  /** Time limit of one call, from sending the request to the last byte of the response, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** The largest response accepted, in bytes (the `audit-response-size` limit). */
  readonly maxResponseBytes: number;
  /** The region for STS calls when the configuration names none. */
  readonly defaultRegion: string;
  /** Stops every call of the session, in flight or waiting to retry (the audit's deadline, Ctrl-C). */
  readonly stop?: AbortSignal;
}

type CredentialProvider = Extract<Credentials, (...args: never[]) => unknown>;

/**
 * One assumed role for every client of the session: without this, each client's first call would
 * assume the role again. Refreshed five minutes before it expires.
 */
function shared(provider: CredentialProvider): CredentialProvider {
  let pending: ReturnType<CredentialProvider> | undefined;
  return (async () => {
    const current = await (pending ??= provider());
    if (current.expiration && current.expiration.getTime() - Date.now() < 300_000) pending = provider();
    return pending;
  }) as CredentialProvider;
}

/** An audited identity: its account and partition, and clients per region. */
export interface AwsSession {
  readonly account: string;
  readonly partition: string;
  /** Who the audit runs as, for the report (an ARN, never a secret). */
  readonly principal: string;
  clients(region: string): RegionClients;
  /** Closes the clients made so far (their sockets). */
  destroy(): void;
}

/**
 * Opens a session: credentials from the SDK's default chain (environment, shared config and SSO
 * profiles, web identity in CI, container and instance roles), a profile, or a role assumed with
 * them; then STS GetCallerIdentity, which needs no permission, for the account and partition that
 * ARNs and console links name. No other call than API Gateway `GET`s follows.
 */
export async function openAwsSession(options: SessionOptions): Promise<AwsSession> {
  // The SDK warns on stderr about Node 20's end of life at the first client; gatewarden pins Node 20 deliberately.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  // Every client of the session, the one that assumes the role included, shares these bounds. The
  // connection timeout only covers DNS and TCP connect, so it can be shorter than a call's deadline.
  const bounded = () => ({
    requestHandler: new BoundedHttpHandler({
      callTimeoutMs: options.requestTimeoutMs,
      connectionTimeoutMs: Math.min(options.requestTimeoutMs, 10_000),
      maxResponseBytes: options.maxResponseBytes,
      ...(options.stop ? { stop: options.stop } : {}),
    }),
    retryStrategy: new StoppableRetryStrategy(options.maxAttempts, options.stop),
  });
  const base: Credentials = options.credentials ?? (options.profile ? fromIni({ profile: options.profile }) : fromNodeProviderChain());
  const credentials: Credentials = options.roleArn
    ? shared(fromTemporaryCredentials({
        masterCredentials: base,
        params: { RoleArn: options.roleArn, RoleSessionName: 'gatewarden-audit', DurationSeconds: 3600 },
        clientConfig: { region: options.defaultRegion, ...endpoint, ...bounded() },
      }))
    : base;
  const common = {
    credentials,
    maxAttempts: options.maxAttempts,
    ...endpoint,
  };
  const sts = new STSClient({ ...common, ...bounded(), region: options.defaultRegion });
  let identity;
  try {
    identity = await sts.send(new GetCallerIdentityCommand({}));
  } finally {
    sts.destroy();
  }
  const arn = identity.Arn ?? '';
  const partition = /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
  const cache = new Map<string, RegionClients>();
  return {
    account: identity.Account ?? 'unknown',
    partition,
    principal: arn,
    clients(region) {
      let clients = cache.get(region);
      if (!clients) {
        clients = { v1: new APIGatewayClient({ ...common, ...bounded(), region }), v2: new ApiGatewayV2Client({ ...common, ...bounded(), region }) };
        cache.set(region, clients);
      }
      return clients;
    },
    destroy() {
      for (const clients of cache.values()) {
        clients.v1.destroy();
        clients.v2.destroy();
      }
      cache.clear();
    },
  };
}
