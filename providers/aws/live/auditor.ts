import { GatewardenError } from '../../../src/errors.js';
import type { LiveAuditor } from '../../live-auditor.js';
import type { AwsAuditOptions } from './options.js';

export type { AwsAuditOptions } from './options.js';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * `gatewarden audit aws`: every REST, HTTP and WebSocket API of AWS accounts, through the API Gateway
 * control plane (GET calls only). The AWS SDK is loaded when the audit starts, never before.
 */
export const AWS_AUDITOR: LiveAuditor<AwsAuditOptions> = {
  name: 'aws',
  summary: 'the REST, HTTP and WebSocket APIs of AWS accounts, through the API Gateway control plane',
  options: [
    { name: 'profile', type: 'string', value: 'NAME', description: 'a profile of ~/.aws/config and ~/.aws/credentials' },
    { name: 'role-arn', type: 'string', value: 'ARN', description: 'assume this role for the audit (cross-account)' },
    { name: 'accounts', type: 'string', value: 'FILE', description: 'audit several accounts: one role ARN per line, # for comments' },
    { name: 'regions', type: 'string', value: 'LIST', description: 'comma-separated regions, or all (default: every region enabled for the account)' },
    { name: 'endpoint-url', type: 'string', value: 'URL', description: 'send every call there (LocalStack); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_API_GATEWAY work too' },
  ],
  notes: `Reads every REST, HTTP and WebSocket API of AWS accounts through the API Gateway control plane
(GET calls only; API key values are never requested), evaluates the policies, and reports findings
by ARN, region and account with a console link. Credentials come from the AWS SDK's default chain
(environment, shared config and SSO profiles, web identity, container and instance roles). The IAM
permissions needed are in docs/audit-aws.md (apigateway:GET on the account's API Gateway resources).`,
  parseOptions(values) {
    const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const profile = text('profile');
    const roleArn = text('role-arn');
    const accountsFile = text('accounts');
    const endpointUrl = text('endpoint-url');
    const given = text('regions');
    if (accountsFile !== undefined && roleArn !== undefined) throw new GatewardenError('usage', '--accounts and --role-arn cannot be used together: the accounts file lists the roles');
    const regions = given === undefined || given.trim() === 'all' ? undefined : given.split(',').map((region) => region.trim()).filter(Boolean);
    const bad = regions?.find((region) => !REGION.test(region));
    if (bad !== undefined) throw new GatewardenError('usage', `--regions: "${bad}" is not a region name (eu-west-1, us-east-1...), or use --regions all`);
    return {
      ...(profile !== undefined ? { profile } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(accountsFile !== undefined ? { accountsFile } : {}),
      ...(regions !== undefined ? { regions } : {}),
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    };
  },
  load: async () => (await import('./audit.js')).auditAwsAccounts,
};
