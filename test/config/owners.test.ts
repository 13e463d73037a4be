import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { codeownersOf, parseCodeowners, readCodeowners } from '../../src/config/codeowners.js';
import { GatewardenError } from '../../src/errors.js';
import { FileAccess } from '../../src/sources/file-access.js';
import { ownerResolver } from '../../src/pipeline/owners.js';
import type { Entity } from '../../src/model/entities.js';
import type { Finding } from '../../src/model/findings.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = path.join(repo, 'test/fixtures/config');
const file = path.join(root, 'sub/.gatewarden.yaml');
const shown = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');
const parse = (text: string) => parseConfig(text, file, shown, { today: '2026-06-15' }).config;

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof GatewardenError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('owners: in the config file', () => {
  it('reads path globs in file order, one tag key or several, and codeowners on by default', () => {
    expect(parse('owners:\n  paths:\n    "infra/payments/**": team-payments\n    "infra/**": platform\n  tag: owner\n').owners).toEqual({
      paths: [
        { glob: 'infra/payments/**', owner: 'team-payments' },
        { glob: 'infra/**', owner: 'platform' },
      ],
      tags: ['owner'],
      codeowners: true,
    });
    expect(parse('owners: { tag: [Owner, team], codeowners: false }').owners).toEqual({ paths: [], tags: ['Owner', 'team'], codeowners: false });
    expect(parse('fail-on: high').owners).toBeUndefined();
  });

  it('reports a bad glob, an owner that is not text, an unknown key and a codeowners that is not a boolean, each at its line', () => {
    expect(errorOf('owners:\n  paths:\n    "infra/[z-a]": x\n    "ok/**": [a, b]\n  tags: owner\n  codeowners: maybe\n')).toBe(
      [
        'sub/.gatewarden.yaml has 4 problems:',
        '  sub/.gatewarden.yaml:3:5: an invalid character range in the glob pattern "infra/[z-a]" (at character 7); see docs/config.md#globs',
        '  sub/.gatewarden.yaml:4:14: the owner of "ok/**" must be a team or person, e.g. team-payments; found a list',
        '  sub/.gatewarden.yaml:5:3: unknown key "tags" in "owners"; did you mean "tag"? (the keys are: paths, tag, codeowners; see docs/config.md)',
        '  sub/.gatewarden.yaml:6:15: "owners.codeowners" must be true or false; found "maybe"',
      ].join('\n'),
    );
  });
});

describe('CODEOWNERS', () => {
  const rules = parseCodeowners(['# owners', '*  @org/platform', '/infra/payments/  @org/payments @alice  # money', 'docs/** docs@example.com', '*.md', '!negated @x', '[Section] @org/section'].join('\n'), 'CODEOWNERS');

  it('lets the last matching rule win, anchors a leading slash, and gives no owner to a rule without one', () => {
    const of = (relative: string) => codeownersOf({ root: '/repo', file: 'CODEOWNERS', rules: rules.rules }, path.join('/repo', relative));
    expect(of('infra/payments/api.tf')).toEqual(['@org/payments', '@alice']);
    expect(of('other/infra/payments/api.tf')).toEqual(['@org/platform']);
    expect(of('docs/a/b.yaml')).toEqual(['docs@example.com']);
    expect(of('README.md')).toBeUndefined();
    expect(codeownersOf({ root: '/repo', file: 'CODEOWNERS', rules: rules.rules }, '/elsewhere/main.tf')).toBeUndefined();
  });

  it('warns about a pattern it cannot read, at its line, and skips section headers', () => {
    expect(rules.rules.map((rule) => rule.pattern)).toEqual(['*', '/infra/payments/', 'docs/**', '*.md']);
    expect(rules.diagnostics.map((diagnostic) => [diagnostic.location?.startLine, diagnostic.severity])).toEqual([[6, 'warning']]);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-codeowners-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .github/CODEOWNERS before the root one, inside the repository only', () => {
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, 'CODEOWNERS'), '* @root\n');
    writeFileSync(path.join(dir, '.github/CODEOWNERS'), '* @github\n');
    const access = new FileAccess({ roots: [path.join(dir, 'infra')], display: (absolute) => path.relative(dir, absolute) });
    const read = readCodeowners(dir, access);
    expect(read.codeowners?.file).toBe('.github/CODEOWNERS');
    expect(codeownersOf(read.codeowners!, path.join(dir, 'infra/main.tf'))).toEqual(['@github']);
  });
});

describe('the owner of a finding', () => {
  const base = { provider: 'aws', parentId: null, modulePath: '', fieldLocations: {}, location: { file: 'x', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } } as const;
  const entities = [
    { ...base, kind: 'gateway', id: 'api', address: 'api', origin: { format: 'terraform' }, tags: { Owner: 'team-api' } },
    { ...base, kind: 'route', id: 'route', address: 'route', origin: { format: 'terraform' } },
    { ...base, kind: 'route', id: 'tagged', address: 'tagged', origin: { format: 'terraform' }, tags: { owner: 'team-route' } },
  ] as unknown as Entity[];
  const findingOn = (entityId: string, file: string, extra: Partial<Finding> = {}): Finding =>
    ({ policyId: 'p', entityId, address: entityId, location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, origin: { format: 'terraform' }, ...extra }) as Finding;
  const resolve = ownerResolver({
    owners: { paths: [{ glob: 'infra/payments/**', owner: 'team-payments' }], tags: ['owner'], codeowners: true },
    configDir: '/repo',
    codeowners: { root: '/repo', file: 'CODEOWNERS', rules: parseCodeowners('* @org/platform\n', 'CODEOWNERS').rules },
    scanRoot: '/repo/infra',
    entities,
  });

  it('takes the resource tag, then its gateway tag (keys ignoring case), then the config glob, then CODEOWNERS', () => {
    expect(resolve(findingOn('tagged', 'payments/main.tf', { gateway: { id: 'api' } }))).toEqual({ name: 'team-route', source: 'tag' });
    expect(resolve(findingOn('route', 'payments/main.tf', { gateway: { id: 'api' } }))).toEqual({ name: 'team-api', source: 'tag' });
    expect(resolve(findingOn('route', 'payments/main.tf'))).toEqual({ name: 'team-payments', source: 'config' });
    expect(resolve(findingOn('route', 'orders/main.tf'))).toEqual({ name: '@org/platform', source: 'codeowners' });
  });

  it('gives a live resource an owner only from tags', () => {
    expect(resolve(findingOn('route', 'arn:aws:apigateway:eu-west-1::/restapis/a', { origin: { format: 'live', account: '1' } }))).toBeUndefined();
  });
});
