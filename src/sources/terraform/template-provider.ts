import { Unknown } from '../../model/unknown.js';
import { evaluate, type Scope } from './expression/evaluate.js';
import { renderTemplate } from './expression/functions.js';
import type { Value } from '../view/value.js';

// The `template_file` data source of the hashicorp/template provider, which older configurations use
// where newer ones call templatefile(): `body = data.template_file.spec.rendered`, with
// `template = file("openapi.yaml")` and `vars = { lambda_arn = ... }`. Its `rendered` attribute is
// computed when the plan is made, from configuration alone, so it is known wherever its template is;
// left unknown, the OpenAPI body of the API it feeds could not be read at all.
// https://registry.terraform.io/providers/hashicorp/template/latest/docs/data-sources/file

/** Whether a resource's attribute is one the template provider computes from configuration. */
export function isTemplateFileRendered(mode: 'managed' | 'data', type: string, name: string): boolean {
  return mode === 'data' && type === 'template_file' && name === 'rendered';
}

/**
 * The `rendered` attribute of a `data "template_file"`: its `template` text rendered with its `vars`,
 * as templatefile() renders a file (a variable without a value leaves a hole in the text). Unknown
 * when the template is; undefined (known only after apply) when it is not text.
 */
export function renderTemplateFile(template: Value | undefined, vars: Value | undefined, scope: Scope): Value | undefined {
  if (template instanceof Unknown) return template;
  if (typeof template !== 'string') return undefined;
  return renderTemplate(template, vars ?? {}, scope, evaluate);
}
