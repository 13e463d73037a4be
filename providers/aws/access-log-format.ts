import type { AccessLogField } from '../../src/model/entities.js';

/**
 * The `$context` variables that say who called, by field. An API key only names the client a key was
 * given to (keys are shared and leak), so `$context.identity.apiKeyId` is not a caller.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
const PATTERNS: ReadonlyArray<readonly [AccessLogField, RegExp]> = [
  ['request-id', /\$context\.(?:requestId|extendedRequestId)\b/],
  ['source-ip', /\$context\.identity\.sourceIp\b/],
  [
    'caller',
    /\$context\.(?:identity\.(?:caller|user|userArn|cognitoIdentityId|clientCert\.subjectDN)|authorizer\.(?:principalId|claims\.[A-Za-z_:]+|jwt\.claims\.[A-Za-z_:]+|iam\.userArn))\b/,
  ],
];

/**
 * What an API Gateway access log format records, from the `$context` variables it names, in the
 * order of `ACCESS_LOG_FIELDS`. The format may be JSON, CLF, XML or CSV: only the variables count.
 */
export function accessLogRecords(format: string): AccessLogField[] {
  return PATTERNS.filter(([, pattern]) => pattern.test(format)).map(([field]) => field);
}
