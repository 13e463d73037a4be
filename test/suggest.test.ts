import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from '../src/suggest.js';

const PACKS = ['all', 'headline', 'authentication', 'rate-limiting', 'cors', 'secrets', 'logging', 'tls', 'traffic-filtering', 'request-validation', 'caching', 'exposure'];

describe('did-you-mean suggestions', () => {
  it('suggest the name one edit away', () => {
    expect(closestMatch('scna', ['scan', 'audit', 'report'])).toBe('scan');
    expect(closestMatch('severty', ['severity', 'suppressions'])).toBe('severity');
    expect(closestMatch('throttling-configurd', ['throttling-configured', 'cors-not-open'])).toBe('throttling-configured');
    expect(closestMatch('FAIL_ON', ['fail-on', 'exclude'])).toBe('fail-on');
  });

  it('prefer the only name that starts like the word over a short unrelated one as many edits away', () => {
    // Two edits from cors, four from logging: the start of the word says which was meant.
    expect(closestMatch('logs', PACKS)).toBe('logging');
    expect(closestMatch('secret', PACKS)).toBe('secrets');
    expect(didYouMean('cach', PACKS)).toBe('; did you mean "caching"?');
  });

  it('keep a name one edit away even when another starts like the word', () => {
    expect(closestMatch('cor', ['cors', 'core-logging'])).toBe('cors');
  });

  it('suggest nothing for a word like no name', () => {
    expect(closestMatch('xyz', PACKS)).toBeUndefined();
    expect(didYouMean('zzzz', PACKS)).toBe('');
  });
});
