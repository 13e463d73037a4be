import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_SCOPES, readPolicyDocument, type PolicySection } from '../../providers/azure/policy/document.js';
import { effectiveSection } from '../../providers/azure/policy/effective.js';
import { ipFilterAllowsAll, policyAuth, policyBackendUrl, policyCors, policyRateLimit } from '../../providers/azure/policy/semantics.js';
import { credentialUses } from '../../providers/azure/policy/credentials.js';
import { lineLocation } from '../../src/model/location.js';
import { parseXml, textContent, type XmlElement } from '../../src/sources/apim-policy/xml.js';
import { arbitraryText, expectDiagnosticsInside, lineCount, mutatedSeed, runs, seeds } from '../helpers/fuzz.js';

const TOKENS = ['<policies>', '</policies>', '<inbound>', '</inbound>', '<backend>', '<outbound>', '<on-error>', '<base />', '<base/>', '<choose>', '</choose>', '<when condition="@(context.Request.Method == &quot;GET&quot;)">', '</when>', '<otherwise>', '</otherwise>', '<validate-jwt header-name="Authorization">', '</validate-jwt>', '<rate-limit calls="10" renewal-period="60" />', '<quota calls="{{calls}}" renewal-period="3600"/>', '<cors allow-credentials="true">', '<allowed-origins><origin>*</origin></allowed-origins>', '<ip-filter action="allow">', '<address-range from="0.0.0.0" to="255.255.255.255" />', '<set-backend-service base-url="https://x" />', '<include-fragment fragment-id="f" />', '<check-header name="x" failed-check-httpcode="401" />', '<set-header name="x-api-key"><value>{{calls}}</value></set-header>', '<authentication-basic username="u" password="{{calls}}" />', '@(', '@{', ')', '}', '"', "'", '&amp;', '&#x10FFFF;', '&#0;', '&lt;', '&', '<!--', '-->', '<![CDATA[', ']]>', '<?xml version="1.0"?>', '<', '>', '/>', '=', ' ', '\n', 'x'];

const xmlSeeds = seeds((file) => file.endsWith('.xml'));

/** Lines and columns of every element, attribute and text of a tree, without recursion. */
function positionsOf(root: XmlElement): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  const pending: XmlElement[] = [root];
  for (let element = pending.pop(); element; element = pending.pop()) {
    out.push(element.start, element.end, ...element.attributes.flatMap((attribute) => [attribute.start, attribute.valueStart]));
    for (const child of element.children) {
      if (child.kind === 'element') pending.push(child);
      else out.push(child.start);
    }
  }
  return out;
}

/** Reads a policy as the Azure adapters do: the document, each section's effective policy, and every setting read from it. */
function readPolicy(xml: string): void {
  const { document, diagnostics } = readPolicyDocument('api', 'the API', { xml, location: lineLocation('p.xml', 1), lines: { file: 'p.xml', firstLine: 1 } }, 'api');
  expectDiagnosticsInside(diagnostics, 'p.xml', xml);
  const namedValues = new Map([['calls', '5']]);
  for (const section of ['inbound', 'backend', 'outbound', 'on-error'] as PolicySection[]) {
    const { items } = effectiveSection([undefined, undefined, document, undefined], section, new Map([['f', document]]));
    policyAuth(items, { method: 'GET' });
    policyAuth(items);
    policyRateLimit(items, namedValues);
    policyCors(items, namedValues);
    ipFilterAllowsAll(items);
    policyBackendUrl(items, namedValues);
  }
  credentialUses([document], namedValues);
}

describe('the APIM policy reader on arbitrary and mutated input', () => {
  it('finds realistic policies to mutate', () => {
    expect(xmlSeeds.length).toBeGreaterThan(3);
    expect(POLICY_SCOPES).toContain('api');
  });

  it('reads any text into a tree or problems inside it, and the policy semantics read any tree', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryText(TOKENS).map((text) => ({ file: 'p.xml', text })), mutatedSeed(xmlSeeds, TOKENS)), ({ text }) => {
        const parsed = parseXml(text);
        const lines = lineCount(text);
        for (const problem of parsed.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lines);
          expect(problem.column).toBeGreaterThanOrEqual(1);
        }
        if (parsed.root) {
          for (const position of positionsOf(parsed.root)) {
            expect(position.line).toBeGreaterThanOrEqual(1);
            expect(position.line).toBeLessThanOrEqual(lines);
          }
          textContent(parsed.root);
        }
        readPolicy(text);
      }),
      { numRuns: runs(150) },
    );
  });

  it('reads a policy the same after a comment line above it, every position one line lower', () => {
    fc.assert(
      fc.property(fc.constantFrom(...xmlSeeds.filter((seed) => parseXml(seed.text).root && !seed.text.startsWith('<?xml'))), ({ text }) => {
        const before = parseXml(text).root!;
        const after = parseXml(`<!-- a comment -->\n${text}`).root!;
        expect(positionsOf(after).map((position) => position.line)).toEqual(positionsOf(before).map((position) => position.line + 1));
      }),
      { numRuns: runs(10) },
    );
  });
});

describe('policies nested deeply', () => {
  it('reads a policy with <choose> nested 5,000 levels without overflowing the stack', () => {
    const xml = `<policies><inbound>${'<choose><when condition="@(true)">'.repeat(5_000)}<validate-jwt header-name="a" />${'</when></choose>'.repeat(5_000)}</inbound></policies>`;
    readPolicy(xml);
  });
});
