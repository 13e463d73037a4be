import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/report/report.js';
import { OUTPUT_FORMAT_REGISTRY } from '../../src/reporters/formats.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'docs/report.schema.json'), 'utf8'));

const ROUTES_NOTE = "stands for the API's routes, which are not in the scanned configuration";
const API_NOTE = 'its API is not in the scanned configuration';
const MODULE_LINE = { file: 'modules/api/main.tf', startLine: 9, startColumn: 3, endLine: 9, endColumn: 30 };

/**
 * The fixed report with three changes a partial configuration brings: the CORS finding stands for
 * an API's unseen routes, the API-key finding has a related module line, and an undecided check is
 * on a stage whose API is outside the scan.
 */
const REPORT: ScanReport = {
  ...FIXED_REPORT,
  findings: FIXED_REPORT.findings.map((finding) => {
    if (finding.policyId === 'cors-not-open') return { ...finding, standIn: 'routes-outside-scan' as const };
    if (finding.policyId === 'no-static-api-keys' && !finding.suppressed) return { ...finding, related: [{ location: MODULE_LINE, message: 'read by module.api.aws_api_gateway_api_key.this here' }] };
    return finding;
  }),
  unevaluated: FIXED_REPORT.unevaluated.map((check, index) => (index === 0 ? { ...check, standIn: 'api-outside-scan' as const } : check)),
};

describe('entities that stand in, and related locations, in every output format', () => {
  it.each(OUTPUT_FORMAT_REGISTRY.map((format) => format.name))('%s says which findings stand for what the scan does not show', async (name) => {
    const format = OUTPUT_FORMAT_REGISTRY.find((candidate) => candidate.name === name)!;
    const output = (await format.load())(REPORT, { color: false });
    // JSON carries the value itself (`standIn`, documented in docs/json-report.md); the others say it in words.
    const [routes, api] = name === 'json' ? ['"routes-outside-scan"', '"api-outside-scan"'] : [ROUTES_NOTE, API_NOTE];
    expect(output).toContain(routes);
    // GitLab's report lists findings only; every other format lists undecided checks too.
    if (name !== 'gitlab-sast') expect(output).toContain(api);
    expect(output).toContain('modules/api/main.tf');
  });

  it('text: the note follows the entity, the related line follows the location', async () => {
    const text = (await OUTPUT_FORMAT_REGISTRY.find((format) => format.name === 'text')!.load())(REPORT, { color: false });
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.includes('at aws/main.tf:41'));
    expect(lines[at]).toBe(`           at aws/main.tf:41  aws_apigatewayv2_api.shop (${ROUTES_NOTE})`);
    expect(lines).toContain('           also at modules/api/main.tf:9: read by module.api.aws_api_gateway_api_key.this here');
    expect(lines.find((line) => line.includes('throttling-configured  aws_api_gateway_method.post_orders'))).toContain(`(POST /orders) (${API_NOTE})`);
  });

  it('SARIF: relatedLocations with a region and a message, standIn as a property', async () => {
    const sarif = JSON.parse((await OUTPUT_FORMAT_REGISTRY.find((format) => format.name === 'sarif')!.load())(REPORT, { color: false }));
    const results = sarif.runs[0].results as Array<Record<string, any>>;
    const key = results.find((result) => result.ruleId === 'no-static-api-keys' && result.relatedLocations)!;
    expect(key.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: expect.objectContaining({ uri: 'modules/api/main.tf' }), region: { startLine: 9, startColumn: 3, endLine: 9, endColumn: 30 } },
        message: { text: 'read by module.api.aws_api_gateway_api_key.this here' },
      },
    ]);
    const cors = results.find((result) => result.ruleId === 'cors-not-open')!;
    expect(cors.properties.standIn).toBe('routes-outside-scan');
  });

  it('JSON: standIn and related are fields the schema documents', async () => {
    const json = JSON.parse((await OUTPUT_FORMAT_REGISTRY.find((format) => format.name === 'json')!.load())(REPORT, { color: false }));
    // The fixed report is not a whole scan report (no timing etc. is checked here): validate the parts.
    const validateFinding = new Ajv2020({ strict: true }).addSchema(schema).getSchema(`${schema.$id}#/$defs/finding`);
    const validateCheck = new Ajv2020({ strict: true }).addSchema(schema).getSchema(`${schema.$id}#/$defs/unevaluated`);
    for (const finding of json.findings) expect(validateFinding!(finding), JSON.stringify(validateFinding!.errors)).toBe(true);
    for (const check of json.unevaluated) expect(validateCheck!(check), JSON.stringify(validateCheck!.errors)).toBe(true);
    expect(json.findings.find((finding: any) => finding.policyId === 'cors-not-open').standIn).toBe('routes-outside-scan');
    expect(json.unevaluated[0].standIn).toBe('api-outside-scan');
  });
});
