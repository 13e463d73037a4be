import { describe, expect, it } from 'vitest';
import { readPolicyDocument, type PolicyDocument, type PolicySection } from '../../../providers/azure/policy/document.js';
import { effectiveSection } from '../../../providers/azure/policy/effective.js';
import { disclosureHeadersKept, errorDetailsReturned, inboundRestriction } from '../../../providers/azure/policy/exposure.js';
import { Unknown } from '../../../src/model/unknown.js';

/** An API policy with one section, written from line 1 of `api.xml` (the section's content starts on line 3). */
function policy(section: PolicySection, content: string): PolicyDocument {
  const xml = `<policies>\n  <${section}>\n${content}\n  </${section}>\n</policies>\n`;
  const { document, diagnostics } = readPolicyDocument('api', 'API orders', { xml, location: { file: 'api.xml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, lines: { file: 'api.xml', firstLine: 1 } }, 'api');
  expect(diagnostics).toEqual([]);
  return document;
}

const items = (section: PolicySection, content: string) => effectiveSection([undefined, undefined, policy(section, content), undefined], section, new Map()).items;

describe('what an APIM policy lets in', () => {
  it('restricts callers with an allow-list ip-filter or a Front Door id check, at that element', () => {
    expect(inboundRestriction(items('inbound', '<base />\n<ip-filter action="allow"><address>203.0.113.7</address></ip-filter>'))).toMatchObject({ value: true, location: { file: 'api.xml', startLine: 4 } });
    expect(inboundRestriction(items('inbound', '<check-header name="X-Azure-FDID" failed-check-httpcode="403" failed-check-error-message="Forbidden"><value>id</value></check-header>'))?.value).toBe(true);
  });

  it('does not count an ip-filter that admits everyone, one that forbids some addresses, or none', () => {
    expect(inboundRestriction(items('inbound', '<ip-filter action="allow"><address-range from="0.0.0.0" to="255.255.255.255" /></ip-filter>'))).toBeUndefined();
    expect(inboundRestriction(items('inbound', '<ip-filter action="forbid"><address>198.51.100.1</address></ip-filter>'))).toBeUndefined();
    expect(inboundRestriction(items('inbound', '<rate-limit calls="10" renewal-period="60" />'))).toBeUndefined();
  });

  it('is unknown when a fragment it includes is not in the scan', () => {
    expect(inboundRestriction(items('inbound', '<include-fragment fragment-id="network" />'))?.value).toBeInstanceOf(Unknown);
  });
});

describe('what an APIM policy lets out', () => {
  it('finds context.LastError details written into the response, at the innermost element', () => {
    expect(errorDetailsReturned(items('on-error', '<set-body>@(context.LastError.Message)</set-body>'))).toMatchObject({ value: true, location: { startLine: 3 } });
    const nested = '<choose>\n<when condition="@(context.LastError.Source == &quot;validate-jwt&quot;)">\n<return-response>\n<set-header name="X-Error" exists-action="override">\n<value>@(context.LastError.Reason)</value>\n</set-header>\n</return-response>\n</when>\n</choose>';
    expect(errorDetailsReturned(items('on-error', nested))).toMatchObject({ value: true, location: { startLine: 7 } });
  });

  it('does not count the status code alone, a condition on the error, or details sent to a trace or a side request', () => {
    expect(errorDetailsReturned(items('on-error', '<set-body>@(context.LastError.StatusCode.ToString())</set-body>'))).toBeUndefined();
    expect(errorDetailsReturned(items('on-error', '<choose><when condition="@(context.LastError.Source == &quot;rate-limit&quot;)"><set-status code="429" reason="Slow down" /></when></choose>'))).toBeUndefined();
    expect(errorDetailsReturned(items('on-error', '<trace source="api"><message>@(context.LastError.Message)</message></trace>'))).toBeUndefined();
    expect(errorDetailsReturned(items('on-error', '<send-one-way-request mode="new"><set-url>https://log.example.com</set-url><set-body>@(context.LastError.Message)</set-body></send-one-way-request>'))).toBeUndefined();
  });

  it('lists the software headers an outbound section keeps, and is unknown when part of it cannot be read', () => {
    expect(disclosureHeadersKept(items('outbound', '<base />'))).toEqual(['X-Powered-By', 'X-AspNet-Version']);
    expect(disclosureHeadersKept(items('outbound', '<set-header name="x-powered-by" exists-action="delete" />'))).toEqual(['X-AspNet-Version']);
    expect(disclosureHeadersKept(items('outbound', '<set-header name="X-Powered-By" exists-action="delete" />\n<set-header name="X-AspNet-Version" exists-action="delete" />'))).toEqual([]);
    // Overriding the value is not removing it.
    expect(disclosureHeadersKept(items('outbound', '<set-header name="X-Powered-By" exists-action="override"><value>gateway</value></set-header>'))).toEqual(['X-Powered-By', 'X-AspNet-Version']);
    expect(disclosureHeadersKept(items('outbound', '<include-fragment fragment-id="strip-headers" />'))).toBeInstanceOf(Unknown);
  });
});
