import { describe, expect, it } from 'vitest';
import { evaluateResourcePolicy, globsIntersect, type PolicyRequest } from '../../../providers/aws/resource-policy.js';
import { Unknown } from '../../../src/model/unknown.js';
import { joinText } from '../../../src/sources/view/partial-text.js';

const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', ...extra });
const deny = (extra: Record<string, unknown> = {}) => ({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', ...extra });
const policy = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const route = (method: string, path: string, stages: PolicyRequest['stages'] = ['prod']): PolicyRequest => ({ method: method as PolicyRequest['method'], path, stages });

const accessOf = (document: unknown, request: PolicyRequest = route('GET', '/orders')) => {
  const { access } = evaluateResourcePolicy(document, request);
  return access instanceof Unknown ? 'unknown' : access;
};

describe('evaluateResourcePolicy', () => {
  const cases: Array<[string, unknown, PolicyRequest | undefined, string]> = [
    ['an unconditional Allow to everyone is public', policy(allow()), undefined, 'public'],
    ['{"AWS": "*"} is everyone', policy(allow({ Principal: { AWS: ['*'] } })), undefined, 'public'],
    ['no statement at all denies (implicit deny)', policy(), undefined, 'denied'],
    ['an Allow for another path leaves the route denied', policy(allow({ Resource: 'execute-api:/*/GET/health' })), undefined, 'denied'],
    ['an Allow for another stage leaves the route denied', policy(allow({ Resource: 'execute-api:/test/*' })), undefined, 'denied'],
    ['an Allow for another method leaves the route denied', policy(allow({ Resource: 'execute-api:/*/POST/orders' })), undefined, 'denied'],
    ['a full ARN with wildcards for region, account and id', policy(allow({ Resource: 'arn:aws:execute-api:*:*:*/prod/GET/orders' })), undefined, 'public'],
    ['arn:aws:execute-api:*:*:* covers everything', policy(allow({ Resource: 'arn:aws:execute-api:*:*:*' })), undefined, 'public'],
    ['an ARN of another service covers nothing', policy(allow({ Resource: 'arn:aws:s3:::bucket/*' })), undefined, 'denied'],
    ['an explicit Deny to everyone wins over the Allow', policy(allow(), deny({ Action: 'execute-api:*', Resource: '*' })), undefined, 'denied'],
    ['a Deny of another route does not touch this one', policy(allow(), deny({ Resource: 'execute-api:/*/DELETE/*' })), undefined, 'public'],
    ['NotAction naming Invoke does not allow invoking', policy(allow({ Action: undefined, NotAction: 'execute-api:Invoke' })), undefined, 'denied'],
    ['Action "*" includes Invoke', policy(allow({ Action: '*' })), undefined, 'public'],
    ['a Deny with NotResource of this route leaves it allowed', policy(allow(), deny({ Resource: undefined, NotResource: 'execute-api:/*/GET/orders' })), undefined, 'public'],
    ['a Deny with NotResource of another route covers this one', policy(allow(), deny({ Resource: undefined, NotResource: 'execute-api:/*/GET/health' })), undefined, 'denied'],
    ['an Allow with NotResource of this route only does not reach it', policy(allow({ Resource: undefined, NotResource: 'execute-api:/*/GET/orders' })), undefined, 'denied'],
    ['a Deny with NotPrincipal applies to anonymous callers', policy(allow(), deny({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } })), undefined, 'denied'],
    ['an Allow only to an account is principal-restricted', policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })), undefined, 'restricted-principal'],
    ['an Allow to a service principal is principal-restricted', policy(allow({ Principal: { Service: 'events.amazonaws.com' } })), undefined, 'restricted-principal'],
    ['Allow with aws:SourceVpce is network-restricted', policy(allow({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })), undefined, 'restricted-network'],
    ['Allow everyone plus Deny StringNotEquals aws:SourceVpc is network-restricted', policy(allow(), deny({ Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } })), undefined, 'restricted-network'],
    ['Allow everyone plus Deny NotIpAddress is network-restricted', policy(allow(), deny({ Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } })), undefined, 'restricted-network'],
    ['Allow with IpAddress of a range is network-restricted', policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })), undefined, 'restricted-network'],
    ['Allow with IpAddress 0.0.0.0/0 is public', policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } } })), undefined, 'public'],
    ['a block list (Deny IpAddress) leaves everyone else in', policy(allow(), deny({ Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } })), undefined, 'public'],
    ['StringEqualsIfExists on aws:SourceVpce lets internet callers in', policy(allow({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })), undefined, 'public'],
    ['Allow with StringNotEquals aws:SourceVpce lets internet callers in', policy(allow({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })), undefined, 'public'],
    ['a date window is not evaluated against today', policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })), undefined, 'unknown'],
    ['an unknown condition on a Deny is unknown', policy(allow(), deny({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })), undefined, 'unknown'],
    ['an unknown condition on a statement of another route does not matter', policy(allow(), deny({ Resource: 'execute-api:/*/DELETE/*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })), undefined, 'public'],
    ['an unknown Allow beside a public one does not matter', policy(allow(), allow({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } })), undefined, 'public'],
    ['a wholly unknown Resource is unknown', policy(allow({ Resource: new Unknown('var.resource has no value') })), undefined, 'unknown'],
    ['a route with a path parameter matches a literal Allow for one value', policy(allow({ Resource: 'execute-api:/prod/GET/orders/42' })), route('GET', '/orders/{id}'), 'public'],
    ['a literal Deny for one value does not cover the parameter route', policy(allow(), deny({ Resource: 'execute-api:/prod/GET/orders/42' })), route('GET', '/orders/{id}'), 'public'],
    ['a wildcard Deny covers the parameter route', policy(allow(), deny({ Resource: 'execute-api:/prod/GET/orders/*' })), route('GET', '/orders/{id}'), 'denied'],
    ['an ANY route is public when one method is', policy(allow({ Resource: 'execute-api:/*/POST/*' })), route('ANY', '/{proxy+}'), 'public'],
    ['the most open stage decides', policy(allow({ Resource: 'execute-api:/dev/*' })), route('GET', '/orders', ['prod', 'dev']), 'public'],
    ['unknown stages with a stage-specific Allow are unknown', policy(allow({ Resource: 'execute-api:/prod/*' })), route('GET', '/orders', new Unknown('no stage')), 'unknown'],
    ['unknown stages with a stage wildcard are decided', policy(allow({ Resource: 'execute-api:/*/GET/orders' })), route('GET', '/orders', new Unknown('no stage')), 'public'],
    ['an unknown path is unknown', policy(allow({ Resource: 'execute-api:/*/GET/orders' })), { method: 'GET', path: new Unknown('no path'), stages: ['prod'] }, 'unknown'],
    ['a policy given as JSON text is read', JSON.stringify(policy(allow())), undefined, 'public'],
    ['a policy that is not JSON is unknown', '{"Version": ', undefined, 'unknown'],
    ['an Effect that is neither Allow nor Deny is unknown', policy({ ...allow(), Effect: 'allow' }), undefined, 'unknown'],
  ];
  it.each(cases)('%s', (_name, document, request, expected) => {
    expect(accessOf(document, request)).toBe(expected);
  });

  it('treats a placeholder in the region, account or API id as harmless', () => {
    const resource = joinText(['arn:aws:execute-api:', new Unknown('AWS::Region is known at deploy time'), ':', new Unknown('AWS::AccountId is known at deploy time'), ':*/prod/GET/orders'], 'single');
    expect(accessOf(policy(allow({ Resource: resource })))).toBe('public');
  });

  it('treats a placeholder in the stage, method or path as unknown', () => {
    const resource = joinText(['execute-api:/', new Unknown('var.stage has no value'), '/GET/orders']);
    expect(accessOf(policy(allow({ Resource: resource })))).toBe('unknown');
  });

  it("reads `${aws_api_gateway_rest_api.x.execution_arn}/*` as the API's own ARN", () => {
    const arn = new Unknown('known after apply', { address: 'aws_api_gateway_rest_api.x', attribute: 'execution_arn' });
    expect(accessOf(policy(allow({ Resource: joinText([arn, '/prod/GET/*']) })))).toBe('public');
    const other = new Unknown('known after apply', { address: 'aws_s3_bucket.x', attribute: 'arn' });
    expect(accessOf(policy(allow({ Resource: joinText([other, '/prod/GET/*']) })))).toBe('unknown');
  });

  it('names the statement that decided', () => {
    expect(evaluateResourcePolicy(policy(allow({ Resource: 'execute-api:/*/GET/health' }), allow()), route('GET', '/orders')).statement).toBe(1);
  });
});

describe('globsIntersect', () => {
  it.each([
    ['prod/GET/orders/*', 'prod/GET/orders/*', true],
    ['prod/GET/orders/42', 'prod/GET/orders/*', true],
    ['prod/GET/users/*', 'prod/GET/orders/*', false],
    ['*/GET/*', 'prod/GET/a', true],
    ['prod/?ET/a', 'prod/GET/a', true],
    ['prod/POST/a', 'prod/GET/*', false],
  ])('%s and %s: %s', (pattern, routeGlob, expected) => {
    expect(globsIntersect(pattern, routeGlob)).toBe(expected);
  });
});
