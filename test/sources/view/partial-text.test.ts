import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { joinText, knownParts, partialTextOf, quoteBareTokens, restoreUnknowns, transformKnownParts } from '../../../src/sources/view/partial-text.js';

const host = new Unknown('var.host has no value', { address: 'var.host', attribute: 'value' });
const arn = new Unknown('Fn.Arn is known only after deployment', { address: 'Fn', attribute: 'Arn' });

describe('text with unknown parts', () => {
  it('is the unknown itself when it has no known text', () => {
    expect(joinText(['', host, ''])).toBe(host);
    expect(joinText(['a', 'b'])).toBe('ab');
  });

  it('keeps the first link in Terraform templates, and a link only when it is the one unknown for Fn::Sub', () => {
    const both = ['https://', host, '/', arn];
    expect((joinText(both, 'first') as Unknown).ref).toEqual(host.ref);
    expect((joinText(both, 'single') as Unknown).ref).toBeUndefined();
    expect((joinText(both, 'single') as Unknown).reason).toBe('a string with unknown parts: var.host has no value');
    expect((joinText(['arn:', arn, '/invocations'], 'single') as Unknown).ref).toEqual(arn.ref);
  });

  it('nests: an unknown part with known parts of its own keeps them', () => {
    const inner = joinText(['https://', host]) as Unknown;
    const outer = joinText(['url: ', inner, '/pets']) as Unknown;
    const text = knownParts(outer)!;
    expect(text.text.startsWith('url: https://')).toBe(true);
    expect(text.text.endsWith('/pets')).toBe(true);
    expect([...text.holes.values()]).toEqual([host]);
  });

  it('quotes tokens that stand where a JSON value goes, and only those', () => {
    const paths = partialTextOf(new Unknown('var.paths has no value'));
    const [token] = [...paths.holes.keys()];
    const json = `{"a": "x \\" ${token} y", "paths": ${token}, "b": "\\\\"}`;
    const quoted = quoteBareTokens(json);
    expect(quoted).toBe(`{"a": "x \\" ${token} y", "paths": "${token}", "b": "\\\\"}`);
    expect(() => JSON.parse(quoted)).not.toThrow();
  });

  it('reads tokens back as the unknowns they stand for, and a token it was not given as unknown too', () => {
    const text = knownParts(joinText(['', host, '/pets']))!;
    const [token] = [...text.holes.keys()];
    const forged = token!.replace(/n\d+x$/, 'n999999x');
    const data = restoreUnknowns({ servers: [{ url: token }, { url: `${token}/pets` }], other: forged, plain: 'gwunknown-not-a-token' }, text.holes) as Record<string, unknown>;
    expect((data.servers as Array<{ url: unknown }>)[0]!.url).toBe(host);
    expect(((data.servers as Array<{ url: Unknown }>)[1]!.url).reason).toBe('var.host has no value');
    expect(data.other).toBeInstanceOf(Unknown);
    expect(data.plain).toBe('gwunknown-not-a-token');
  });

  it('transforms known parts only when the search text cannot reach into an unknown one', () => {
    const text = knownParts(joinText(['title: pets-', host, '-api']))!;
    expect(transformKnownParts(text, 'pets', (t) => t.split('pets').join('cats'))?.text).toMatch(/^title: cats-gwunknown/);
    // "-x" could begin with the "-" that ends the known part before the unknown one, and "x-" end with the "-" after it.
    expect(transformKnownParts(text, '-x', (t) => t.split('-x').join('+'))).toBeUndefined();
    expect(transformKnownParts(text, 'x-', (t) => t.split('x-').join('+'))).toBeUndefined();
    // A transformation that touches a token is not sound.
    expect(transformKnownParts(text, 'gwunknown', (t) => t.split('gwunknown').join(''))).toBeUndefined();
  });
});
