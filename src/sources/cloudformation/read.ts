import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Value } from '../terraform/expression/value.js';
import { loadStack, type CfnResource } from './stack.js';
import { parseTemplate, type TemplateResult } from './template.js';

/** The stacks read from a set of templates: nested templates are read through their parents only. */
export interface StacksRead {
  readonly stacks: ReadonlyArray<{ readonly file: string; readonly resources: readonly CfnResource[] }>;
  readonly diagnostics: readonly Diagnostic[];
  /** Every template read, as shown to users. */
  readonly files: readonly string[];
}

/**
 * Reads CloudFormation templates into stacks. A template that another one names as a nested stack is
 * read through that parent, with the parameters the parent passes, and not again on its own.
 */
export function readStacks(templates: readonly string[], relative: (file: string) => string, parameters: ReadonlyMap<string, Value>): StacksRead {
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, TemplateResult>();
  const read = (file: string): TemplateResult | undefined => {
    const cached = parsed.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const result = parseTemplate(relative(file), text);
    parsed.set(file, result);
    return result;
  };
  const loaded = new Map<string, { resources: readonly CfnResource[]; diagnostics: readonly Diagnostic[]; nested: readonly string[] }>();
  for (const file of templates) {
    const result = read(file);
    if (!result) {
      diagnostics.push({ severity: 'error', code: 'read-error', message: 'could not read the template', location: { file: relative(file), startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } });
      continue;
    }
    if (!result.template) {
      diagnostics.push(...result.diagnostics);
      continue;
    }
    const stack = loadStack(result.template, { parameters, readTemplate: read, relative, templatePath: file });
    loaded.set(file, { resources: stack.resources, diagnostics: [...result.diagnostics, ...stack.diagnostics], nested: stack.nestedTemplates });
  }
  const nested = new Set([...loaded.values()].flatMap((stack) => stack.nested));
  const stacks: Array<{ file: string; resources: readonly CfnResource[] }> = [];
  for (const [file, stack] of loaded) {
    if (nested.has(file)) continue;
    diagnostics.push(...stack.diagnostics);
    stacks.push({ file: relative(file), resources: stack.resources });
  }
  return { stacks, diagnostics, files: [...parsed.keys()].map(relative) };
}

/**
 * Parameter values from `--parameter-file` files (the AWS CLI's `[{ ParameterKey, ParameterValue }]`,
 * CodePipeline's `{ Parameters: { ... } }`, or a plain map), then `--parameter Name=Value`.
 */
export function cfnParameters(
  options: { readonly parameters?: ReadonlyMap<string, string>; readonly parameterFiles?: readonly string[] },
  cwd: string,
  diagnostics: Diagnostic[],
  relative: (file: string) => string,
): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const file of options.parameterFiles ?? []) {
    const absolute = path.resolve(cwd, file);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(absolute, 'utf8'));
    } catch (error) {
      diagnostics.push({
        severity: 'error',
        code: 'read-error',
        message: `could not read the parameter file (${error instanceof Error ? error.message : String(error)}); it needs the AWS CLI's [{"ParameterKey": ..., "ParameterValue": ...}] or CodePipeline's {"Parameters": {...}}`,
        location: { file: relative(absolute), startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      });
      continue;
    }
    if (Array.isArray(data)) {
      for (const entry of data) {
        const { ParameterKey: key, ParameterValue: value } = (entry ?? {}) as { ParameterKey?: unknown; ParameterValue?: unknown };
        if (typeof key === 'string' && value !== undefined) values.set(key, String(value));
      }
    } else if (typeof data === 'object' && data !== null) {
      const map = (data as { Parameters?: unknown }).Parameters ?? data;
      if (typeof map === 'object' && map !== null) for (const [key, value] of Object.entries(map)) values.set(key, String(value));
    }
  }
  for (const [key, value] of options.parameters ?? []) values.set(key, value);
  return values;
}
