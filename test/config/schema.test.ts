import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkPolicyIds, parseConfig } from '../../src/config/load.js';
import { FAIL_ON_VALUES } from '../../src/model/findings.js';
import { builtInPolicyDir, loadPolicies } from '../../src/engine/load-policies.js';
import { SEVERITIES } from '../../src/model/findings.js';
import { PACK_NAMES } from '../../src/model/packs.js';
import { GatewardenError } from '../../src/errors.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repo, 'test/fixtures/config');
const schema = JSON.parse(readFileSync(path.join(repo, 'docs/config.schema.json'), 'utf8')) as Record<string, unknown>;

/** The calendar check of `format: "date"`, which Ajv leaves to the caller (ajv-formats is not a dependency). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// Union types (`["string", "number", "boolean"]`) are standard JSON Schema; Ajv's strict mode only asks to opt in.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
const validate = ajv.compile(schema);

/** The schema's verdict on YAML text, as an editor with the schema would give it. */
function schemaAccepts(text: string): boolean {
  const doc = parseDocument(text);
  // An empty document (or a lone "~") is an empty config for the loader; the schema sees an object.
  return validate(doc.toJS() ?? {}) === true;
}

/** The loader's verdict; anything but a config error fails the test. */
function loaderAccepts(text: string): boolean {
  try {
    parseConfig(text, path.join(fixtures, '.gatewarden.yaml'), (file) => path.relative(fixtures, file), { today: '2026-01-01' });
    return true;
  } catch (error) {
    if (error instanceof GatewardenError && error.code === 'config') return false;
    throw error;
  }
}

const casesIn = (dir: string): Array<[string, string]> =>
  readdirSync(path.join(fixtures, dir))
    .sort()
    .map((name) => [`${dir}/${name}`, readFileSync(path.join(fixtures, dir, name), 'utf8')]);

describe('docs/config.schema.json and the loader agree', () => {
  it.each(casesIn('valid'))('%s: both accept it', (_, text) => {
    expect(schemaAccepts(text), JSON.stringify(validate.errors)).toBe(true);
    expect(loaderAccepts(text)).toBe(true);
  });

  it.each(casesIn('invalid'))('%s: both reject it', (_, text) => {
    expect(schemaAccepts(text)).toBe(false);
    expect(loaderAccepts(text)).toBe(false);
  });

  it.each(casesIn('loader-only'))('%s: only the loader rejects it (beyond JSON Schema)', (_, text) => {
    expect(schemaAccepts(text)).toBe(true);
    expect(loaderAccepts(text)).toBe(false);
  });

  it('has the enums of the code', () => {
    const defs = schema.$defs as Record<string, { enum?: unknown }>;
    const properties = schema.properties as Record<string, { enum?: unknown }>;
    expect(defs.severity!.enum).toEqual(SEVERITIES);
    expect(properties['fail-on']!.enum).toEqual(FAIL_ON_VALUES);
    const policies = properties.policies as { properties: Record<string, { items: { enum?: unknown } }> };
    expect(policies.properties.packs!.items.enum).toEqual(PACK_NAMES);
  });

  it('describes every property, for editor hover text', () => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const object = node as Record<string, unknown>;
      for (const [name, child] of Object.entries((object.properties ?? {}) as Record<string, unknown>)) {
        if (typeof (child as { description?: unknown }).description !== 'string') missing.push(`${at}.${name}`);
        walk(child, `${at}.${name}`);
      }
      for (const [name, child] of Object.entries((object.$defs ?? {}) as Record<string, unknown>)) walk(child, `$defs.${name}`);
      if (object.items) walk(object.items, `${at}[]`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
    expect(schema.$id).toMatch(/^https:\/\/.+\/docs\/config\.schema\.json$/);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('docs/config.md', () => {
  const text = readFileSync(path.join(repo, 'docs/config.md'), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match, index): [string, string] => [`example #${index + 1}`, match[1]!]);
  const knownIds = new Set(loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]).policies.map((policy) => policy.id));

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks[0]![1]).toContain('suppressions:');
  });

  it.each(blocks)('%s is valid for the schema and the loader, and names built-in policies only', (_, yaml) => {
    expect(schemaAccepts(yaml), JSON.stringify(validate.errors)).toBe(true);
    const { config } = parseConfig(yaml, path.join(repo, '.gatewarden.yaml'), (file) => path.relative(repo, file), { today: '2026-01-01' });
    expect(checkPolicyIds(config, knownIds)).toBeUndefined();
  });

  it('points editors at the published schema, where it is served as JSON', () => {
    // $id follows the convention of docs/report.schema.json (the page on GitHub); editors need the raw file.
    const raw = (schema.$id as string).replace('https://github.com/', 'https://raw.githubusercontent.com/').replace('/blob/', '/');
    expect(raw).toBe('https://raw.githubusercontent.com/gatewarden/gatewarden/main/docs/config.schema.json');
    expect(text).toContain(`# yaml-language-server: $schema=${raw}`);
    expect(text).not.toContain('$schema=https://github.com/');
  });
});
