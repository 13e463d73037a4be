import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeSecret } from '../../../providers/shared/secret-shape.js';

describe('a value shaped like a generated secret', () => {
  it.each([
    ['a random base62 key', 'q7Zk2LmP9xVt4RbN8cWf1YhJ3sDg6AeU'],
    ['an API Management subscription key (32 hexadecimal)', '3f9a2c7e1b8d4056a9e3c2f17d8b6a40'],
    ['a prefixed key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['base64 of random bytes', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg=='],
    ['a JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ])('%s is a secret', (_, value) => {
    expect(looksLikeSecret(value)).toBe(true);
  });

  it.each([
    ['a header name', 'X-Provider-Key'],
    ['a name with a version and a year', 'orders-v2-backend-2024'],
    ['camel-case words', 'MyCompanyProductionBackend2024'],
    ['a readable placeholder', 'secret-key-value-12345'],
    ['a GUID (a tenant or client id)', '8f14e45f-ceea-467a-9575-3f7a4b2c1d0e'],
    ['a URL', 'https://orders.internal.example.com/v1'],
    ['a word', 'production'],
    ['a version', 'v1.2.3-release-candidate'],
    ['a SKU', 'Developer_1-Consumption_0'],
    ['a connection string', 'Server=tcp:db.example.com;Password=abc123XYZ'],
    ['short', 'aB3dE9fG'],
    ['digits only', '12345678901234567890'],
  ])('%s is not', (_, value) => {
    expect(looksLikeSecret(value)).toBe(false);
  });

  it('recognises nearly every random 32-character key', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let missed = 0;
    for (let run = 0; run < 2000; run++) {
      const key = [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('');
      if (!looksLikeSecret(key)) missed++;
    }
    // 0.3% expected (docs: 99.7%); the bound leaves room for chance.
    expect(missed).toBeLessThan(30);
  });
});
