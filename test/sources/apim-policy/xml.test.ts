import { describe, expect, it } from 'vitest';
import {
  attribute,
  childElements,
  parseXml,
  textContent,
  type XmlDocument,
  type XmlElement,
  type XmlNode,
  type XmlText,
} from '../../../src/sources/apim-policy/xml.js';

/** The root of a document that must parse, failing the test with the problems otherwise. */
function rootOf(text: string): XmlElement {
  const document = parseXml(text);
  expect(document.problems).toEqual([]);
  expect(document.root).toBeDefined();
  return document.root!;
}

/** Elements in document order (pre-order), without recursion so deep trees are fine. */
function elements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const pending: XmlElement[] = [root];
  for (let element = pending.pop(); element; element = pending.pop()) {
    out.push(element);
    pending.push(...childElements(element).reverse());
  }
  return out;
}

/** The first element with a name, anywhere under (or at) root. */
function find(root: XmlElement, name: string): XmlElement {
  const found = elements(root).find((element) => element.name === name);
  expect(found, `<${name}>`).toBeDefined();
  return found!;
}

/** The single text child of an element. */
function onlyText(element: XmlElement): XmlText {
  const texts = element.children.filter((child): child is XmlText => child.kind === 'text');
  expect(texts).toHaveLength(1);
  return texts[0]!;
}

/** The problems' line, column and nothing else, plus the root's absence. */
function problemsOf(text: string): Array<[number, number]> {
  const document: XmlDocument = parseXml(text);
  expect(document.root).toBeUndefined();
  expect(document.problems.length).toBeGreaterThan(0);
  return document.problems.map((problem) => [problem.line, problem.column]);
}

const TYPICAL = `<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://orders</audience>
      </audiences>
    </validate-jwt>
    <cors allow-credentials="true">
      <allowed-origins>
        <origin>*</origin>
      </allowed-origins>
    </cors>
    <rate-limit-by-key calls="100" renewal-period="60" counter-key="@(context.Subscription.Id)" />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
`;

describe('parseXml on a typical APIM policy', () => {
  it('reads every element in document order with its line', () => {
    const root = rootOf(TYPICAL);
    expect(elements(root).map((element) => [element.name, element.start.line])).toEqual([
      ['policies', 1],
      ['inbound', 2],
      ['base', 3],
      ['validate-jwt', 4],
      ['openid-config', 5],
      ['audiences', 6],
      ['audience', 7],
      ['cors', 10],
      ['allowed-origins', 11],
      ['origin', 12],
      ['rate-limit-by-key', 15],
      ['backend', 17],
      ['base', 18],
      ['outbound', 20],
      ['base', 21],
      ['on-error', 23],
      ['base', 24],
    ]);
  });

  it('reads attributes, their positions and which are expressions', () => {
    const root = rootOf(TYPICAL);
    const jwt = find(root, 'validate-jwt');
    expect(jwt.attributes.map((a) => [a.name, a.value, a.start.line, a.start.column, a.valueStart.column, a.isExpression])).toEqual([
      ['header-name', 'Authorization', 4, 19, 32, false],
      ['failed-validation-httpcode', '401', 4, 47, 75, false],
    ]);
    const rateLimit = find(root, 'rate-limit-by-key');
    expect(attribute(rateLimit, 'calls')).toBe('100');
    expect(attribute(rateLimit, 'renewal-period')).toBe('60');
    expect(attribute(rateLimit, 'counter-key')).toBe('@(context.Subscription.Id)');
    expect(rateLimit.attributes.find((a) => a.name === 'counter-key')?.isExpression).toBe(true);
    expect(attribute(rateLimit, 'missing')).toBeUndefined();
  });

  it('gives element start, end and self-closing flags', () => {
    const root = rootOf(TYPICAL);
    expect(root.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(root.end).toEqual({ offset: TYPICAL.length - 1, line: 26, column: 12 });
    const base = find(root, 'base');
    expect([base.selfClosing, base.start.line, base.start.column, base.end.line, base.end.column]).toEqual([true, 3, 5, 3, 13]);
    const origin = find(root, 'origin');
    expect([origin.selfClosing, origin.start.column, origin.end.column]).toEqual([false, 9, 27]);
  });

  it('offers child elements by name and trimmed text content', () => {
    const root = rootOf(TYPICAL);
    expect(childElements(root).map((element) => element.name)).toEqual(['inbound', 'backend', 'outbound', 'on-error']);
    expect(childElements(root, 'backend')).toHaveLength(1);
    expect(childElements(root, 'nothing')).toEqual([]);
    expect(textContent(find(root, 'origin'))).toBe('*');
    expect(textContent(find(root, 'audiences'))).toBe('api://orders');
    expect(textContent(find(root, 'base'))).toBe('');
  });

  it('drops whitespace-only text between elements', () => {
    const root = rootOf(TYPICAL);
    expect(root.children.every((child) => child.kind === 'element')).toBe(true);
  });
});

describe('parseXml on policy expressions', () => {
  it('reads an attribute expression with raw double quotes inside a double-quoted value', () => {
    const root = rootOf(`<set-variable name="auth" value="@(context.Request.Headers.GetValueOrDefault("Authorization",""))" />`);
    expect(root.name).toBe('set-variable');
    expect(root.selfClosing).toBe(true);
    expect(attribute(root, 'name')).toBe('auth');
    expect(attribute(root, 'value')).toBe('@(context.Request.Headers.GetValueOrDefault("Authorization",""))');
    expect(root.attributes.map((a) => a.isExpression)).toEqual([false, true]);
  });

  it('reads a text expression with generics and "<b>" in a string', () => {
    const root = rootOf(`<set-header name="x" exists-action="override"><value>@(context.Variables.GetValueOrDefault<string>("a") + "<b>")</value></set-header>`);
    const value = childElements(root, 'value')[0]!;
    const text = onlyText(value);
    expect(text.text).toBe('@(context.Variables.GetValueOrDefault<string>("a") + "<b>")');
    expect([text.isExpression, text.cdata, text.start.column]).toEqual([true, false, 54]);
    expect(childElements(value)).toEqual([]);
  });

  it('reads a condition with quotes and && in an attribute', () => {
    const root = rootOf(`<choose><when condition="@(context.Request.Method == "POST" && context.User != null)"><base/></when></choose>`);
    const when = childElements(root, 'when')[0]!;
    expect(attribute(when, 'condition')).toBe('@(context.Request.Method == "POST" && context.User != null)');
    expect(when.attributes[0]?.isExpression).toBe(true);
    expect(childElements(when).map((element) => element.name)).toEqual(['base']);
  });

  it('reads a statement block with braces, generics and indexers as text', () => {
    const root = rootOf(`<set-body>@{ var body = context.Request.Body.As<JObject>(); body["x"] = "y"; return body.ToString(); }</set-body>`);
    expect(textContent(root)).toBe('@{ var body = context.Request.Body.As<JObject>(); body["x"] = "y"; return body.ToString(); }');
    expect(onlyText(root).isExpression).toBe(true);
  });

  it('reads a multi-line block with nested braces and literals that contain closers', () => {
    const block = [
      '@{',
      '    var parts = new List<string>();',
      '    if (context.Request.Method == "POST") {',
      '        parts.Add("close ) and } and \\" quote");',
      '        parts.Add(@"C:\\path with ""quoted"" ) }");',
      "        var quoteChar = '\"';",
      "        var braceChar = '}';",
      "        var apostrophe = '\\'';",
      '        parts.Add($"{parts.Count} items");',
      '        // a comment with an unbalanced ) and a " quote',
      '        /* and } here */',
      '    }',
      '    return string.Join(",", parts) + (1 < 2 ? "<a>" : "</b>");',
      '}',
    ].join('\n');
    const root = rootOf(`<policies>\n  <set-body>${block}</set-body>\n  <base />\n</policies>`);
    const setBody = childElements(root, 'set-body')[0]!;
    expect(onlyText(setBody).text).toBe(block);
    expect(onlyText(setBody).isExpression).toBe(true);
    const base = childElements(root, 'base')[0]!;
    expect(base.start.line).toBe(16);
  });

  it('reads an expression that uses entities, decoding them as APIM does', () => {
    const root = rootOf(
      `<when condition="@(context.Request.Headers.GetValueOrDefault(&quot;a)&quot;, &quot;&quot;).Length &lt; 3 &amp;&amp; true)"><value>@(1 &lt; 2 ? "x" : "y")</value></when>`,
    );
    expect(attribute(root, 'condition')).toBe('@(context.Request.Headers.GetValueOrDefault("a)", "").Length < 3 && true)');
    expect(root.attributes[0]?.isExpression).toBe(true);
    expect(textContent(childElements(root, 'value')[0]!)).toBe('@(1 < 2 ? "x" : "y")');
  });

  it('reads expressions in single-quoted values and after leading whitespace', () => {
    const root = rootOf(`<set-variable name='n' value='  @(context.Variables["a\\'b"] + "it\\'s")' />`);
    expect(attribute(root, 'value')).toBe(`  @(context.Variables["a\\'b"] + "it\\'s")`);
    expect(root.attributes[1]?.isExpression).toBe(true);
  });

  it('skips interpolated and verbatim interpolated strings', () => {
    const value = '@($"{a})" + @$"{b}) ""}""" + $@"c)" + "d")';
    const root = rootOf(`<a v='${value}'><b/></a>`);
    expect(attribute(root, 'v')).toBe(value);
    expect(childElements(root).map((element) => element.name)).toEqual(['b']);
  });

  it('leaves references that are not entities inside expressions alone', () => {
    const root = rootOf(`<a v="@(x &constructor; y &amp;&amp; z &#xZZ; w)"/>`);
    expect(attribute(root, 'v')).toBe('@(x &constructor; y && z &#xZZ; w)');
  });

  it('keeps text after a closed expression up to the next tag', () => {
    const root = rootOf(`<value>@("a") trailing</value>`);
    expect(onlyText(root).text).toBe('@("a") trailing');
  });

  it('treats a value that merely contains "@(" later on as plain', () => {
    const root = rootOf(`<a b="mail me @(here)"><value>x @(y)</value></a>`);
    expect(root.attributes[0]?.isExpression).toBe(false);
    expect(onlyText(childElements(root, 'value')[0]!).isExpression).toBe(false);
  });

  it('leaves named values as plain text', () => {
    const root = rootOf(`<policies><check-header name="{{header-name}}"><value>{{my-named-value}}</value></check-header></policies>`);
    const check = childElements(root)[0]!;
    expect(attribute(check, 'name')).toBe('{{header-name}}');
    expect(check.attributes[0]?.isExpression).toBe(false);
    expect(textContent(check)).toBe('{{my-named-value}}');
    expect(onlyText(childElements(check)[0]!).isExpression).toBe(false);
  });

  it('reports an attribute expression that never closes at its start', () => {
    const text = '<policies>\n  <set-variable name="a" value="@(context.Request.Headers.GetValueOrDefault("x")" />\n</policies>';
    expect(problemsOf(text)).toEqual([[2, 33]]);
  });

  it('reports a text expression that never closes at its start', () => {
    const text = '<policies>\n  <set-body>\n    @{ return "x";\n  </set-body>\n</policies>';
    expect(problemsOf(text)).toEqual([[3, 5]]);
  });
});

describe('parseXml on ordinary XML', () => {
  it('decodes entities in attribute values and text, leaving unknown ones as written', () => {
    const root = rootOf(`<a v="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;"><b>&lt;x&gt; &copy; &#0; &amp;amp; AT&amp;T & co</b></a>`);
    expect(attribute(root, 'v')).toBe(`<>&"'AB\u{1F600}`);
    expect(textContent(root)).toBe('<x> &copy; &#0; &amp; AT&T & co');
  });

  it('keeps comments as children and takes CDATA literally', () => {
    const root = rootOf(`<policies><!-- a <comment> & more --><set-body><![CDATA[<x>&amp;</x>]]></set-body><value><![CDATA[ @(1 < 2) ]]></value></policies>`);
    const comment = root.children[0] as XmlNode;
    expect(comment).toEqual({ kind: 'comment', text: ' a <comment> & more ', start: { offset: 10, line: 1, column: 11 } });
    const body = onlyText(childElements(root, 'set-body')[0]!);
    expect([body.text, body.cdata, body.isExpression, body.start.column]).toEqual(['<x>&amp;</x>', true, false, 48]);
    const value = onlyText(childElements(root, 'value')[0]!);
    expect([value.text, value.cdata, value.isExpression]).toEqual([' @(1 < 2) ', true, true]);
  });

  it('excludes comments from text content and joins text around them', () => {
    const root = rootOf(`<origin> https://a<!-- c -->.example </origin>`);
    expect(textContent(root)).toBe('https://a.example');
  });

  it('reads single-quoted attributes containing double quotes', () => {
    const root = rootOf(`<a x='say "hi"' y="it's"/>`);
    expect(root.attributes.map((a) => [a.name, a.value, a.valueStart.column])).toEqual([
      ['x', 'say "hi"', 7],
      ['y', "it's", 20],
    ]);
  });

  it('allows an XML declaration, processing instructions, comments, a BOM and whitespace around the root', () => {
    const root = rootOf(`\uFEFF\n  <?xml version="1.0" encoding="utf-8"?>\n<!-- header -->\n<?pi data?>\n<policies/>\n<!-- trailer -->\n`);
    expect([root.name, root.start.line, root.start.column, root.start.offset]).toEqual(['policies', 5, 1, 71]);
  });

  it('counts columns after a BOM from the first visible character', () => {
    const root = rootOf(`\uFEFF<a b="1"/>`);
    expect([root.start.offset, root.start.column, root.attributes[0]?.start.column]).toEqual([1, 1, 4]);
  });

  it('accepts names with dots, colons and digits and whitespace around "="', () => {
    const root = rootOf(`<ns:a.b-c x.y = "1" z:w\n= '2'></ns:a.b-c >`);
    expect(root.name).toBe('ns:a.b-c');
    expect(root.attributes.map((a) => [a.name, a.value])).toEqual([
      ['x.y', '1'],
      ['z:w', '2'],
    ]);
  });

  it('counts lines from a leading newline', () => {
    const root = rootOf('\n<policies>\n  <inbound x="1"/>\n</policies>');
    const inbound = childElements(root)[0]!;
    expect(root.start).toEqual({ offset: 1, line: 2, column: 1 });
    expect(inbound.start).toEqual({ offset: 14, line: 3, column: 3 });
    expect(inbound.attributes[0]?.start).toEqual({ offset: 23, line: 3, column: 12 });
    expect(inbound.attributes[0]?.valueStart).toEqual({ offset: 26, line: 3, column: 15 });
  });

  it('counts CRLF as one line break', () => {
    const root = rootOf('\r\n<policies>\r\n  <inbound>\r\n    <base x="1" />\r\n  </inbound>\r\n</policies>\r\n');
    const inbound = childElements(root)[0]!;
    const base = childElements(inbound)[0]!;
    expect([root.start.line, root.start.column]).toEqual([2, 1]);
    expect([inbound.start.line, inbound.start.column]).toEqual([3, 3]);
    expect([base.start.line, base.start.column, base.attributes[0]?.start.column]).toEqual([4, 5, 11]);
    expect([inbound.end.line, inbound.end.column]).toEqual([5, 13]);
    expect([root.end.line, root.end.column]).toEqual([6, 12]);
  });

  it('reports a problem on a CRLF document at the right line', () => {
    expect(problemsOf('<policies>\r\n  <inbound>\r\n  </outbound>\r\n</policies>')).toEqual([[3, 3]]);
  });
});

describe('parseXml problems', () => {
  const cases: Array<[string, string, Array<[number, number]>]> = [
    ['an empty document', '', [[1, 1]]],
    ['a blank document', ' \n\t\n', [[1, 1]]],
    ['a document with only a comment', '<!-- nothing -->', [[1, 1]]],
    ['a mismatched closing tag', '<policies>\n  <inbound>\n    <cors>\n  </inbound>\n</policies>', [[4, 3]]],
    ['a closing tag with no opening tag', '<a/>\n</b>', [[2, 1]]],
    ['an element never closed at end of input', '<policies>\n  <inbound>\n    <base/>\n', [[2, 3]]],
    ['a start tag cut off at end of input', '<policies>\n  <inbound x="1"', [[2, 3]]],
    ['a closing tag without ">"', '<a>\n</a', [[2, 1]]],
    ['text after the root element', '<policies/>\n  oops', [[2, 3]]],
    ['text before the root element', '\n  oops <policies/>', [[2, 3]]],
    ['a second root element', '<policies/>\n<policies/>', [[2, 1]]],
    ['CDATA outside the root element', '<a/><![CDATA[x]]>', [[1, 5]]],
    ['a "<" that starts nothing', '<a>\n  1 < 2\n</a>', [[2, 5]]],
    ['a "<!" that is not a comment or CDATA', '<!DOCTYPE a>\n<a/>', [[1, 1]]],
    ['an empty closing tag name', '<a></>', [[1, 4]]],
    ['an unexpected character in a tag', '<a x="1" ,>', [[1, 10]]],
    ['an attribute without a value', '<a>\n  <b flag other="1"/>\n</a>', [[2, 6]]],
    ['an attribute without a value and a duplicate', '<a>\n  <b flag x="1" x="2"/>\n</a>', [[2, 6], [2, 17]]],
    ['a duplicate attribute', '<a x="1"\n   x="2"/>', [[2, 4]]],
    ['an unquoted attribute value', '<a x=1/>', [[1, 4]]],
    ['an unterminated attribute value', '<a>\n  <b x="1/>\n</a>', [[2, 6]]],
    ['an attribute value never closed at end of input', '<a x="1', [[1, 4]]],
    ['an unterminated comment', '<a>\n  <!-- no end\n</a>', [[2, 3]]],
    ['an unterminated CDATA section', '<a>\n  <![CDATA[ no end\n</a>', [[2, 3]]],
    ['an unterminated processing instruction', '<?xml version="1.0"\n<a/>', [[1, 1]]],
  ];
  for (const [name, text, expected] of cases) {
    it(`reports ${name} at its line and column`, () => {
      expect(problemsOf(text)).toEqual(expected);
    });
  }

  it('names the mismatched tags and where the open one started', () => {
    const { problems } = parseXml('<policies>\n  <inbound>\n    <cors>\n  </inbound>\n</policies>');
    expect(problems[0]?.message).toContain('</inbound>');
    expect(problems[0]?.message).toContain('<cors>');
    expect(problems[0]?.message).toContain('line 3');
  });

  it('says an empty document is empty', () => {
    expect(parseXml('').problems[0]?.message).toBe('the policy document is empty');
  });
});

describe('parseXml limits', () => {
  it('parses 10,000 nested elements without overflowing the stack', () => {
    const depth = 10_000;
    const text = '<e>'.repeat(depth) + 'deep' + '</e>'.repeat(depth);
    const root = rootOf(text);
    let element = root;
    let levels = 1;
    for (let child = childElements(element)[0]; child; child = childElements(element)[0]) {
      element = child;
      levels++;
    }
    expect(levels).toBe(depth);
    expect(textContent(element)).toBe('deep');
    expect(textContent(root)).toBe('deep');
    expect(element.start.offset).toBe(3 * (depth - 1));
  });

  it('reports an unclosed element 10,000 levels deep', () => {
    expect(problemsOf('<e>'.repeat(10_000))).toEqual([[1, 3 * 9_999 + 1]]);
  });

  it('scans a 1 MB expression full of && without looking ahead for entities', () => {
    const value = `@(${'a && '.repeat(200_000)}b)`;
    const started = performance.now();
    const root = rootOf(`<a v="${value}"/>`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(attribute(root, 'v')).toBe(value);
  });

  it('finds a duplicate among many attributes', () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `a${i}="${i}"`);
    const { problems } = parseXml(`<a ${names.join(' ')} a17="x"/>`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.column).toBe(3 + names.join(' ').length + 2);
    expect(rootOf(`<a ${names.join(' ')}/>`).attributes).toHaveLength(5_000);
  });

  it('parses a 1 MB document quickly', () => {
    const operation = [
      '  <operation>',
      '    <inbound>',
      '      <base />',
      '      <set-variable name="auth" value="@(context.Request.Headers.GetValueOrDefault("Authorization",""))" />',
      '      <choose><when condition="@(context.Request.Method == "POST" &amp;&amp; context.User != null)"><base /></when></choose>',
      '      <set-body>@{ var body = context.Request.Body.As<JObject>(); body["x"] = "y"; return body.ToString(); }</set-body>',
      '      <cors allow-credentials="true"><allowed-origins><origin>https://a.example</origin></allowed-origins></cors>',
      '      <!-- a comment -->',
      '    </inbound>',
      '  </operation>',
      '',
    ].join('\n');
    const count = Math.ceil(1_000_000 / operation.length);
    const text = `<policies>\n${operation.repeat(count)}</policies>\n`;
    expect(text.length).toBeGreaterThan(1_000_000);
    parseXml(text); // warm up the JIT so the timing measures the parser, not compilation
    const started = performance.now();
    const document = parseXml(text);
    const elapsed = performance.now() - started;
    expect(document.problems).toEqual([]);
    expect(childElements(document.root!, 'operation')).toHaveLength(count);
    const last = childElements(document.root!, 'operation')[count - 1]!;
    expect(last.start.line).toBe(2 + (count - 1) * 10);
    // Typically ~20 ms; the bound leaves room for a loaded CI machine while still catching anything quadratic.
    expect(elapsed).toBeLessThan(500);
  });
});
