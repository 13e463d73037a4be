import { Unknown } from '../../model/unknown.js';
import { lineStarts, positionAt } from '../text-position.js';
import { joinText, partialTextOf, type PartialText } from '../view/partial-text.js';

// A spec kept as a template that something renders before deploying it (`openapi.yaml.tpl` for
// Terraform's templatefile(), `api.json.tmpl`, `swagger.yml.j2`), found on its own: nothing in the
// scan renders it, so its placeholders are unknown. They are stood in for (partial-text.ts) so that the
// rest of the document is read as it is written, with only what they fill in unknown.

/** Which placeholders a template engine writes, told by the file's name. */
export type TemplateStyle = 'terraform' | 'mustache' | 'generic';

/**
 * The template engine a file's name says it is for, or undefined when it is not named as a template:
 * `.tpl`/`.tftpl` (Terraform: `${...}`, `%{...}`), `.j2`/`.jinja`/`.mustache`/`.hbs`/`.gotmpl`/`.liquid`
 * (`{{ }}` and `{% %}`), `.tmpl`/`.tmp`/`.erb`/`.ejs` (either, and `<% %>`).
 */
export function templateStyleOf(file: string): TemplateStyle | undefined {
  if (/\.(tpl|tftpl)$/i.test(file)) return 'terraform';
  if (/\.(j2|jinja2?|mustache|hbs|handlebars|gotmpl|liquid)$/i.test(file)) return 'mustache';
  if (/\.(tmpl|erb|ejs)$/i.test(file)) return 'generic';
  return undefined;
}

// Terraform: `$${` and `%%{` are escapes for the literal text. API Gateway's own variables
// (`${stageVariables.url}`, `${request.path.id}`, `${context.authorizer.x}`) are not placeholders of an
// envsubst-style template: they are left as written where the engine is not known to be Terraform.
const PLACEHOLDERS: Readonly<Record<TemplateStyle, RegExp>> = {
  terraform: /(?<![$%])[$%]\{[^}\n]*\}/g,
  mustache: /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g,
  generic: /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|(?<!\$)\$\{(?!\s*(stageVariables|request|context|method|input|util|AWS::)[.:])[^}\n]*\}/g,
};

/** The longest part of a placeholder a reason quotes. */
const QUOTED = 60;

/**
 * The text of a template file with a stand-in for each placeholder (a comment tag such as `{# #}`
 * is dropped), each standing for an unknown that says which placeholder, where, and what to do.
 * Returns the text itself when it has none.
 */
export function withPlaceholders(text: string, style: TemplateStyle, file: string): string | PartialText {
  const pattern = PLACEHOLDERS[style];
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  const starts = lineStarts(text);
  const parts: Array<string | Unknown> = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[0].startsWith('{#')) continue;
    const line = positionAt(starts, match.index).line;
    const quoted = match[0].length > QUOTED ? `${match[0].slice(0, QUOTED)}…` : match[0];
    parts.push(new Unknown(`the template placeholder ${quoted.replace(/\s+/g, ' ')} (${file}:${line}) is filled in when the template is rendered; scan the rendered document, or the configuration that renders it`));
  }
  parts.push(text.slice(last));
  const joined = joinText(parts);
  return typeof joined === 'string' ? joined : partialTextOf(joined);
}
