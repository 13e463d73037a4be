import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { holdsCredential } from '../../../providers/shared/secret-setting.js';

describe('holdsCredential', () => {
  it.each([
    ['db_password', 'hunter2-but-longer', true],
    ['Authorization', 'Bearer abc.def.ghi', true],
    ['x-api-key', 'partner-static-key', true],
    ['partner', 'q7Rk2Lm9Xz4Tb8Wn3Vc6Hy5J', true],
    ['auth_mode', 'cognito', false],
    ['cache_key_prefix', 'orders', false],
    ['token_url', 'https://login.example.com/oauth2/token', false],
    ['api_key', 'true', false],
    ['api_key', '', false],
    ['secret_arn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partner', false],
    ['region', 'eu-west-1', false],
  ])('%s = %s holds a credential: %s', (name, value, expected) => {
    expect(holdsCredential(name, value)).toBe(expected);
  });

  it('counts a value read elsewhere, or unknown, by its name only', () => {
    expect(holdsCredential('Authorization', '$stageVariables.partnerToken')).toBe(true);
    expect(holdsCredential('x-trace', '{{trace-flag}}')).toBe(false);
    expect(holdsCredential('client_secret', new Unknown('var.client_secret has no value'))).toBe(true);
    expect(holdsCredential('region', new Unknown('var.region has no value'))).toBe(false);
  });
});
