import { lineLocation } from '../../model/location.js';
import path from 'node:path';
import { refusalDiagnostic, type FileAccess, type FileRefusal } from '../file-access.js';
import { DEFAULT_LIMITS, type Limits } from '../../limits.js';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { jsonSyntaxError } from '../json-syntax.js';
import { lineStarts, offsetLocation } from '../text-position.js';
import { jsonNestingOverflow, nestingDiagnostic } from '../nesting.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { loadStack, type CfnResource, type GivenParameter } from './stack.js';
import { parseTemplate, type TemplateResult } from './template.js';
import { pushAll } from '../../arrays.js';
import { isRecord } from '../../objects.js';

/** The stacks read from a set of templates: nested templates are read through their parents only. */
export interface StacksRead {
  readonly stacks: ReadonlyArray<{ readonly file: string; readonly resources: readonly CfnResource[] }>;
  readonly diagnostics: readonly Diagnostic[];
  /** Every template read, as shown to users. */
  readonly files: readonly string[];
  /** OpenAPI documents the templates name by a local path, read as part of their APIs (absolute). */
  readonly linkedFiles: readonly string[];
}

/**
 * Reads CloudFormation templates into stacks. A template that another one names as a nested stack is
 * read through that parent, with the parameters the parent passes, and not again on its own.
 */
export function readStacks(
  templates: readonly string[],
  relative: (file: string) => string,
  parameters: ReadonlyMap<string, GivenParameter>,
  access: FileAccess,
  limits: Pick<Limits, 'depth' | 'yaml-alias-nodes' | 'instances'> = DEFAULT_LIMITS,
): StacksRead {
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, TemplateResult>();
  const refused = new Map<string, FileRefusal>();
  const read = (file: string): TemplateResult | FileRefusal => {
    const cached = parsed.get(file) ?? refused.get(file);
    if (cached) return cached;
    const text = access.read(file);
    if (!text.ok) {
      refused.set(file, text);
      return text;
    }
    const result = parseTemplate(relative(file), text.text, limits);
    parsed.set(file, result);
    return result;
  };
  const loaded = new Map<string, { resources: readonly CfnResource[]; diagnostics: readonly Diagnostic[]; nested: readonly string[] }>();
  const linkedFiles = new Set<string>();
  for (const file of templates) {
    const result = read(file);
    if ('ok' in result) {
      diagnostics.push(refusalDiagnostic(result, lineLocation(relative(file), 1), access));
      continue;
    }
    if (!result.template) {
      pushAll(diagnostics, result.diagnostics);
      continue;
    }
    const stack = loadStack(result.template, { parameters, readTemplate: read, relative, templatePath: file, access, limits, nestedBudget: { limit: limits.instances, used: 0, reported: false } });
    for (const linked of stack.linkedFiles) linkedFiles.add(linked);
    loaded.set(file, { resources: stack.resources, diagnostics: [...result.diagnostics, ...stack.diagnostics], nested: stack.nestedTemplates });
  }
  const nested = new Set([...loaded.values()].flatMap((stack) => stack.nested));
  const stacks: Array<{ file: string; resources: readonly CfnResource[] }> = [];
  for (const [file, stack] of loaded) {
    if (nested.has(file)) continue;
    pushAll(diagnostics, stack.diagnostics);
    stacks.push({ file: relative(file), resources: stack.resources });
  }
  return { stacks, diagnostics, files: [...parsed.keys()].map(relative), linkedFiles: [...linkedFiles] };
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
  access: FileAccess,
  limits: Pick<Limits, 'depth'> = DEFAULT_LIMITS,
): Map<string, GivenParameter> {
  const values = new Map<string, GivenParameter>();
  for (const file of options.parameterFiles ?? []) {
    const absolute = path.resolve(cwd, file);
    let data: unknown;
    const read = access.read(absolute);
    if (!read.ok) {
      diagnostics.push(refusalDiagnostic(read, lineLocation(relative(absolute), 1), access, 'the parameter file was not read'));
      continue;
    }
    const text = read.text;
    // Before parsing: describing a syntax error (jsonc-parser) and reading the values recurse per level.
    const tooDeep = jsonNestingOverflow(text, limits.depth);
    if (tooDeep) {
      diagnostics.push(nestingDiagnostic(relative(absolute), lineStarts(text), tooDeep, limits.depth, 'the parameter file'));
      continue;
    }
    try {
      data = JSON.parse(text);
    } catch (error) {
      const syntax = jsonSyntaxError(text);
      diagnostics.push({
        severity: 'error',
        code: 'read-error',
        message: `could not read the parameter file (${syntax ? `it is not valid JSON: ${syntax.message}` : error instanceof Error ? error.message : String(error)}); it needs the AWS CLI's [{"ParameterKey": ..., "ParameterValue": ...}] or CodePipeline's {"Parameters": {...}}`,
        location: lineLocation(relative(absolute), syntax?.line ?? 1),
      });
      continue;
    }
    const skipped: string[] = [];
    // Each value is located in the file: a secret given there is written in the repository.
    const tree = parseTree(text);
    const starts = lineStarts(text);
    const written = (pathInFile: Array<string | number>): GivenParameter['origin'] => {
      const node = tree ? findNodeAtLocation(tree, pathInFile) : undefined;
      const location = node ? offsetLocation(relative(absolute), starts, node.offset, node.offset + node.length) : lineLocation(relative(absolute), 1);
      return { kind: 'written', location };
    };
    if (Array.isArray(data)) {
      data.forEach((entry: unknown, index) => {
        // `aws cloudformation deploy --parameter-overrides` files hold "Key=Value" strings.
        if (typeof entry === 'string' && entry.includes('=')) {
          values.set(entry.slice(0, entry.indexOf('=')), { value: entry.slice(entry.indexOf('=') + 1), origin: written([index]) });
          return;
        }
        const { ParameterKey: key, ParameterValue: value } = (entry ?? {}) as { ParameterKey?: unknown; ParameterValue?: unknown };
        if (typeof key === 'string' && value !== undefined && value !== null) values.set(key, { value: String(value), origin: written([index, 'ParameterValue']) });
        // UsePreviousValue entries name a deployed value gatewarden cannot know: left to the template.
        else if (!(typeof key === 'string' && (entry as { UsePreviousValue?: unknown }).UsePreviousValue === true)) skipped.push(`entry ${index + 1}`);
      });
    } else if (typeof data === 'object' && data !== null) {
      const nested = (data as { Parameters?: unknown }).Parameters !== undefined;
      const map = nested ? (data as { Parameters?: unknown }).Parameters : data;
      if (isRecord(map)) {
        for (const [key, value] of Object.entries(map)) {
          if (value === null || typeof value === 'object') skipped.push(key);
          else values.set(key, { value: String(value), origin: written(nested ? ['Parameters', key] : [key]) });
        }
      } else skipped.push('Parameters');
    } else skipped.push('the whole file');
    if (skipped.length > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'unsupported',
        message: `the parameter file has values gatewarden cannot read (${skipped.slice(0, 5).join(', ')}); write [{"ParameterKey": "Name", "ParameterValue": "value"}] or {"Parameters": {"Name": "value"}}`,
        location: lineLocation(relative(absolute), 1),
      });
    }
  }
  for (const [key, value] of options.parameters ?? []) values.set(key, { value, origin: { kind: 'command-line' } });
  return values;
}
