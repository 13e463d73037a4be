import { describe, expect, it } from 'vitest';
import { accessLogRecords } from '../../../providers/aws/access-log-format.js';

describe('accessLogRecords', () => {
  it('reads the request id, source address and caller from a JSON format', () => {
    const format = JSON.stringify({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', principal: '$context.authorizer.principalId', status: '$context.status' });
    expect(accessLogRecords(format)).toEqual(['request-id', 'source-ip', 'caller']);
  });

  it('accepts the extended request id and JWT or Cognito claims as the caller', () => {
    expect(accessLogRecords('$context.extendedRequestId $context.authorizer.jwt.claims.sub')).toEqual(['request-id', 'caller']);
    expect(accessLogRecords('$context.requestId,$context.authorizer.claims.email')).toEqual(['request-id', 'caller']);
    expect(accessLogRecords('<id>$context.requestId</id><who>$context.identity.userArn</who>')).toEqual(['request-id', 'caller']);
  });

  it('does not take look-alike variables for the request id or the caller', () => {
    // requestTime is not requestId; the API key id names a key that callers share, not a caller;
    // the integration's request id is the backend's, not API Gateway's.
    expect(accessLogRecords('$context.requestTime $context.identity.apiKeyId $context.integration.requestId $context.identity.sourceIpX')).toEqual([]);
  });

  it('records nothing from a format without $context variables', () => {
    expect(accessLogRecords('static text')).toEqual([]);
  });
});
