import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, formatLimit, limitDiagnostic, parseLimitValue, withLimits } from '../src/limits.js';

describe('limits', () => {
  it('reads values in the unit of each limit', () => {
    expect(parseLimitValue('file-size', '2MiB')).toBe(2 * 1024 * 1024);
    expect(parseLimitValue('file-size', '3 kb')).toBe(3000);
    expect(parseLimitValue('policy-time', '1.5s')).toBe(1500);
    expect(parseLimitValue('policy-time', '2m')).toBe(120_000);
    expect(parseLimitValue('depth', '64')).toBe(64);
  });

  it('rejects values a limit cannot take, saying what it takes', () => {
    expect(parseLimitValue('depth', '1.5')).toEqual({ problem: expect.stringContaining('whole number') });
    expect(parseLimitValue('file-size', '30s')).toEqual({ problem: expect.stringContaining('size, e.g. 512MB') });
    expect(parseLimitValue('instances', '0')).toEqual({ problem: expect.stringContaining('"instances"') });
  });

  it('names the limit, its value and how to raise it in the diagnostic', () => {
    const diagnostic = limitDiagnostic({ name: 'file-size', limit: 1024 * 1024, found: 5 * 1024 * 1024, what: 'big.json is 5 MiB; it was not read' });
    expect(diagnostic.severity).toBe('error');
    expect(diagnostic.code).toBe('limit');
    expect(diagnostic.message).toBe(
      'big.json is 5 MiB; it was not read: over the "file-size" limit (the size of one input file: 1 MiB); if the input is trusted, raise it on the command line with --limit file-size=6MiB',
    );
    expect(formatLimit('instances', 10_000)).toBe('10,000');
  });

  it('lets the command line win over the config file, and both over the defaults', () => {
    const limits = withLimits(DEFAULT_LIMITS, new Map([['depth', 10], ['instances', 5]] as const), { depth: 20 });
    expect(limits.depth).toBe(20);
    expect(limits.instances).toBe(5);
    expect(limits['file-size']).toBe(DEFAULT_LIMITS['file-size']);
  });
});
