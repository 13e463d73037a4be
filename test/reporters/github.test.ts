import { describe, expect, it } from 'vitest';
import { escapeGithubData, escapeGithubProperty, renderGithub } from '../../src/reporters/github.js';
import { REPORTERS } from '../../src/reporters/index.js';
import type { ScanReport } from '../../src/report/report.js';
import { FIXED_REPORT } from '../fixtures/reports/fixed-report.js';

const output = renderGithub(FIXED_REPORT);
const lines = output.trimEnd().split('\n');

/** Reads a workflow command back the way the Actions runner does, unescaping properties and data. */
function parse(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (value: string): string => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, value] = pair.split('=') as [string, string];
        return [key, unescape(value)];
      }),
  );
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

describe('the GitHub Actions reporter', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(output).toMatchFileSnapshot('__snapshots__/fixed-report.github.txt');
  });

  it('is registered as --format github, without colours', () => {
    expect(REPORTERS.github(FIXED_REPORT, { color: true })).toBe(output);
    expect(output).not.toContain('\u001b[');
  });

  it('writes one command a line, every line a workflow command', () => {
    expect(lines.every((line) => line.startsWith('::'))).toBe(true);
    for (const line of lines) expect(() => parse(line)).not.toThrow();
  });

  it('annotates each active finding, most severe first, leaving out suppressed and baselined ones', () => {
    // Finding titles are `<policy id>: <policy title>`; the rest are diagnostics, undecided checks and the summary.
    const policyIds = new Set(FIXED_REPORT.policies.map((policy) => policy.id));
    const findings = lines.map(parse).filter((command) => policyIds.has(command.properties.title?.split(':')[0] ?? '') && !command.properties.title!.endsWith('could not be decided'));
    expect(findings.map((command) => [command.command, command.properties.title?.split(':')[0], command.properties.file, command.properties.line])).toEqual([
      ['error', 'cors-not-open', 'aws/main.tf', '41'],
      ['error', 'route-requires-auth', undefined, undefined],
      ['error', 'route-requires-auth', 'aws/main.tf', '12'],
      ['error', 'no-static-api-keys', 'plans/tfplan.json', '1'],
      ['warning', 'throttling-configured', 'azure/apim.tf', '20'],
      ['notice', 'stage-access-logging', 'gcp/main.tf', '8'],
      ['notice', 'waf-attached', 'gcp/openapi.yaml', '3'],
    ]);
    expect(output).not.toContain('aws_api_gateway_api_key.partner');
    expect(output).not.toContain('HealthFunction.Health');
    expect(output).not.toContain('azurerm_api_management_api_operation.legacy');
  });

  it('gives lines and columns: columns only on a one-line range, never line 0', () => {
    expect(lines).toContain('::error file=aws/main.tf,line=12,endLine=12,col=3,endColumn=27,title=route-requires-auth%3A Routes require authentication::GET /orders on shop-api accepts unauthenticated calls (aws_api_gateway_method.get_orders [GET /orders])');
    expect(parse(lines.find((line) => line.includes('file=azure/apim.tf'))!).properties).toEqual({ file: 'azure/apim.tf', line: '20', endLine: '33', title: 'throttling-configured: Routes have an explicit rate limit' });
    expect(output).not.toMatch(/line=0\b/);
  });

  it('gives a live finding no file or line, and its console link in the message', () => {
    const live = parse(lines.find((line) => line.includes('DELETE /orders/{id}'))!);
    expect(live.properties).toEqual({ title: 'route-requires-auth: Routes require authentication' });
    expect(live.message).toBe(
      'DELETE /orders/{id} on shop-api accepts unauthenticated calls (arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/r7s8t9/methods/DELETE [DELETE /orders/{id}])\nconsole: https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/resources?api=a1b2c3d4e5&region=eu-west-1',
    );
  });

  it('escapes %, CR and LF in messages, and also : and , in properties; a line break of a value shows as \\n', () => {
    const line = lines.find((candidate) => candidate.includes('file=azure/apim.tf'))!;
    expect(line).toBe(
      '::warning file=azure/apim.tf,line=20,endLine=33,title=throttling-configured%3A Routes have an explicit rate limit::POST /export on orders|billing <v2> has no rate limit: 100%25 of calls, from any key & any IP\\nset rate-limit-by-key in the API policy (azurerm_api_management_api_operation.export [POST /export])',
    );
    expect(parse(line).message).toBe(`${FIXED_REPORT.findings.find((finding) => finding.routeKey === 'POST /export')!.message.replace('\n', '\\n')} (azurerm_api_management_api_operation.export [POST /export])`);
    expect(escapeGithubData('50%\r\n:,')).toBe('50%25%0D%0A:,');
    expect(escapeGithubProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const odd: ScanReport = { ...FIXED_REPORT, findings: [{ ...FIXED_REPORT.findings[1]!, location: { file: 'dir,with:odd%chars/main.tf', startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 } }] };
    const first = renderGithub(odd).split('\n')[0]!;
    expect(first.startsWith('::error file=dir%2Cwith%3Aodd%25chars/main.tf,line=2,endLine=2,title=')).toBe(true);
    expect(parse(first).properties.file).toBe('dir,with:odd%chars/main.tf');
  });

  it('reports error diagnostics as errors, undecided checks and warnings as warnings, and ends with a summary notice', () => {
    const commands = lines.map(parse);
    const parseError = commands.find((command) => command.properties.title === 'gatewarden: parse-error')!;
    expect(parseError.command).toBe('error');
    expect(parseError.properties).toMatchObject({ file: 'azure/broken.tf', line: '14' });
    const undecided = commands.filter((command) => command.properties.title?.endsWith('could not be decided'));
    expect(undecided.map((command) => [command.command, command.properties.title, command.properties.file, command.properties.line])).toEqual([
      ['warning', 'throttling-configured: could not be decided', 'aws/main.tf', '20'],
      ['warning', 'cors-not-open: could not be decided', 'aws/main.tf', '70'],
    ]);
    const notScanned = commands.find((command) => command.properties.title === 'gatewarden: not-scanned')!;
    expect(notScanned).toEqual({ command: 'warning', properties: { title: 'gatewarden: not-scanned' }, message: 'docs/openapi.md was skipped: it is not a format gatewarden reads' });
    expect(commands.at(-1)).toEqual({
      command: 'notice',
      properties: { title: 'gatewarden' },
      message: 'gatewarden 0.1.0: 7 findings (1 critical, 3 high, 1 medium, 1 low, 1 info), 2 suppressed, 1 in the baseline, 2 undecided, 1 error; incomplete: the result does not cover everything',
    });
  });
});
