import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/model/entities.js';
import { Unknown } from '../../../src/model/unknown.js';
import { readInventory } from '../../../src/pipeline/scan.js';
import { awsMethodSecurity } from '../../../providers/aws/openapi.js';

const cases = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../policies/authentication/route-requires-auth/test');

// Security schemes as API Gateway exports them: a Cognito and a Lambda authorizer, IAM, the API key,
// an HTTP API JWT authorizer, and a scheme without API Gateway's extensions.
const schemes = {
  members: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Members'] } },
  partner_token: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:partner/invocations' } },
  sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
  api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
  okta: { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': { type: 'jwt', jwtConfiguration: { issuer: 'https://example.okta.com/oauth2/default', audience: ['api://notes'] } } },
  docs_oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: {} } } },
};

describe('awsMethodSecurity: how API Gateway imports a security list into one method', () => {
  const kindOf = (value: unknown): string => (value instanceof Unknown ? 'unknown' : String(value));
  it.each([
    // [protocol, security, kind, apiKeyRequired, authorizer]
    ['rest', [{ members: [] }, { api_key: [] }], 'cognito', 'true', 'members'],
    ['rest', [{ api_key: [] }, { partner_token: [] }], 'lambda', 'true', 'partner_token'],
    ['rest', [{ members: [], api_key: [] }], 'cognito', 'true', 'members'],
    ['rest', [{ api_key: [] }], 'api-key', 'true', undefined],
    ['rest', [{ api_key: [] }, {}], 'api-key', 'true', undefined],
    ['rest', [{ members: [] }, {}], 'cognito', 'false', 'members'],
    ['rest', [{}], 'none', 'false', undefined],
    ['rest', [], 'none', 'false', undefined],
    // Two authorizers that both identify the caller: authenticated whichever the import keeps.
    ['rest', [{ sigv4: [] }, { members: [] }], 'iam', 'false', 'sigv4'],
    // A scheme without an authorizer beside one: the authorizer is the method's.
    ['rest', [{ docs_oauth: [] }, { members: [] }], 'cognito', 'false', 'members'],
    // ... and alone: what it leaves the method with is unknown.
    ['rest', [{ docs_oauth: [] }], 'unknown', 'false', undefined],
    // An authorizer or an undefined scheme: which one the method gets is unknown.
    ['rest', [{ members: [] }, { missing: [] }], 'unknown', 'false', undefined],
    ['http', [{ okta: ['notes.read'] }, { api_key: [] }], 'jwt', 'false', 'okta'],
    ['http', [{ api_key: [] }], 'unknown', 'false', undefined],
  ] as const)('%s %j: %s, key %s, authorizer %s', (protocol, security, kind, key, authorizer) => {
    const { security: result } = awsMethodSecurity(security, schemes, protocol, 'GET /x');
    expect(kindOf(result.kind)).toBe(kind);
    expect(kindOf(result.apiKeyRequired)).toBe(key);
    expect(result.schemeName).toBe(authorizer);
  });

  it('says when the list names several authorizers, which a method cannot have', () => {
    expect(awsMethodSecurity([{ sigv4: [] }, { members: [] }], schemes, 'rest', 'GET /x').problem).toMatch(/GET \/x names 2 authorizers \("sigv4", "members"\).*reads the first/);
    expect(awsMethodSecurity([{ members: [] }, { api_key: [] }], schemes, 'rest', 'GET /x').problem).toBeUndefined();
  });

  it('keeps an unknown list or requirement unknown', () => {
    const unknown = new Unknown('var.security has no value');
    expect(awsMethodSecurity(unknown, schemes, 'rest', 'GET /x').security.kind).toBe(unknown);
    const { security } = awsMethodSecurity([unknown, { api_key: [] }], schemes, 'rest', 'GET /x');
    expect(security.kind).toBe(unknown);
    expect(security.apiKeyRequired).toBe(true);
  });
});

describe('SAM and CloudFormation bodies', () => {
  const routes = async (folder: string): Promise<Record<string, string>> => {
    const inventory = await readInventory({ cwd: path.join(cases, folder) });
    return Object.fromEntries(
      inventory.entities
        .filter((entity): entity is Route => entity.kind === 'route')
        .map((route) => [`${route.address} ${route.key}`, `${route.auth.kind} key=${String(route.auth.apiKeyRequired)} ${route.auth.authorizerId ?? '-'}`]),
    );
  };

  it('give a SAM authorizer plus a key both, and append the default authorizer as SAM does', async () => {
    expect(await routes('sam-key-and-authorizer')).toEqual({
      'PointsApi GET /balance': 'cognito key=true template.yaml:PointsApi/authorizer/MembersPool',
      'PointsApi GET /offers': 'api-key key=true -',
      'RedeemApi POST /redemptions': 'cognito key=true template.yaml:RedeemApi/authorizer/MembersPool',
      'RedeemApi GET /catalog': 'cognito key=false template.yaml:RedeemApi/authorizer/MembersPool',
    });
  });

  it('give a CloudFormation Body method the authorizer and the key it names, {} making neither optional', async () => {
    expect(await routes('cloudformation-body-alternatives')).toEqual({
      'TrackingApi GET /shipments/{id}': 'lambda key=true template.yaml:TrackingApi/authorizer/carrier_token',
      'TrackingApi GET /shipments/{id}/events': 'lambda key=false template.yaml:TrackingApi/authorizer/carrier_token',
      'TrackingApi GET /shipments/{id}/label': 'api-key key=true -',
    });
  });
});
