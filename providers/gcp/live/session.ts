import { ApiGatewayServiceClient } from '@google-cloud/api-gateway';
import { GoogleAuth, type AuthClient } from 'google-auth-library';
import * as gaxFallback from 'google-gax/fallback';
import { MalformedResponseError } from './errors.js';

/** The Google APIs the audit calls, by their default base URLs. */
export const GOOGLE_APIS = {
  apigateway: 'https://apigateway.googleapis.com',
  servicemanagement: 'https://servicemanagement.googleapis.com',
  apikeys: 'https://apikeys.googleapis.com',
  cloudresourcemanager: 'https://cloudresourcemanager.googleapis.com',
} as const;

/** One of {@link GOOGLE_APIS}. */
export type GoogleApi = keyof typeof GOOGLE_APIS;

/** The clients of an audit: API Gateway's own, and GETs on the other APIs through the same credentials. */
export interface GcpSession {
  readonly apigateway: ApiGatewayServiceClient;
  /** A GET on a Google API (`/v1/services?...`), its JSON body parsed; throws gaxios errors as the client does. */
  get(api: GoogleApi, pathAndQuery: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Opens the clients. Credentials are Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * gcloud's ADC file, workload identity federation, the metadata server), read-only scope, unless a
 * client is given. The API Gateway client uses its REST transport (`fallback`): with `endpointUrl`
 * every call goes there, plain http included, which the gRPC transport cannot do. Service Management,
 * API Keys and Resource Manager have no client installed; their GETs go through the auth client.
 */
export async function openGcpSession(options: { readonly authClient?: unknown; readonly endpointUrl?: string }): Promise<GcpSession> {
  const authClient = (options.authClient as AuthClient | undefined) ?? (await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform.read-only'] }).getClient());
  const endpoint = options.endpointUrl !== undefined ? new URL(options.endpointUrl) : undefined;
  const apigateway = new ApiGatewayServiceClient(
    {
      fallback: true,
      authClient,
      ...(endpoint
        ? { apiEndpoint: endpoint.hostname, port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)), protocol: endpoint.protocol.replace(':', '') }
        : {}),
    },
    gaxFallback,
  );
  const base = (api: GoogleApi): string => (endpoint ? endpoint.origin + endpoint.pathname.replace(/\/$/, '') : GOOGLE_APIS[api]);
  return {
    apigateway,
    async get(api, pathAndQuery, { signal, timeoutMs }) {
      // Our retry, not gaxios's: one policy for every call (callWithRetry).
      const response = await authClient.request<string>({ url: base(api) + pathAndQuery, method: 'GET', responseType: 'text', retry: false, timeout: timeoutMs, signal });
      try {
        return JSON.parse(response.data) as unknown;
      } catch {
        throw new MalformedResponseError(`the answer of GET ${pathAndQuery} is not JSON`);
      }
    },
    close: () => apigateway.close(),
  };
}
