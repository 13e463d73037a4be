import type { AzureCallFailure } from './raw.js';

/** What to do about a failed call, for the diagnostic that reports it. */
export function adviceFor(failure: Pick<AzureCallFailure, 'errorClass' | 'code'>, endpoint: string): string {
  switch (failure.errorClass) {
    case 'unauthenticated':
      return 'the token was refused: sign in again (az login), or check AZURE_TENANT_ID and that --cloud names the cloud of the credentials';
    case 'denied':
      return 'give the principal the "API Management Service Reader Role" (or Reader) on the subscription or the instance; docs/audit-azure.md lists the exact read actions';
    case 'not-found':
      return 'it was deleted or moved while the audit ran; run the audit again to audit what is there now';
    case 'throttled':
      return 'Resource Manager kept throttling the reads after every retry; run the audit again later, or on fewer subscriptions or instances at a time (--subscription, --resource-group, --service)';
    case 'server':
      return 'Resource Manager failed; run the audit again';
    case 'malformed':
      return `the response is not what Resource Manager sends; check --endpoint-url or --cloud (${endpoint})`;
    case 'network':
      return `check the network and the endpoint (${endpoint}), the proxy (HTTPS_PROXY) and its certificates (NODE_EXTRA_CA_CERTS)`;
    default:
      return 'run the audit again; if it fails again, report the error code';
  }
}
