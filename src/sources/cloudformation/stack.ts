import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import type { Value, ValueObject } from '../terraform/expression/value.js';
import { CloudFormationResolver } from './resolve.js';
import type { Template, TemplateResult } from './template.js';

/** One resource of a (possibly nested) stack, with its properties resolved. */
export interface CfnResource {
  /** The logical id, prefixed with the nested stacks it is in (`Storage/Bucket`). */
  readonly address: string;
  readonly logicalId: string;
  readonly type: string;
  /** Properties with intrinsic functions resolved; Unknown where they depend on deployment. */
  readonly properties: ValueObject;
  /** Properties as written, for the few decisions that depend on how a value was written. */
  readonly rawProperties: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly template: Template;
  /** The nested-stack path (`Storage/`), empty for the top stack. */
  readonly stackPrefix: string;
  /** The template's Transform (`AWS::Serverless-2016-10-31` for SAM), for the stack this resource is in. */
  readonly transforms: readonly string[];
  /** SAM `Globals` of the template, resolved. */
  readonly globals: ValueObject;
  readonly location: SourceLocation;
  /** Where a property (a path under `Properties`) is written, or the nearest enclosing part. */
  locate(propertyPath: ReadonlyArray<string | number>): SourceLocation;
  /** Where the value of a top-level property comes from when it is a parameter default or given value. */
  readonly parameterSources: Readonly<Record<string, { readonly kind: 'default' | 'given' | 'none'; readonly location: SourceLocation }>>;
}

/** How to read a stack. */
export interface StackOptions {
  /** Parameter values given on the command line or in a parameters file. */
  readonly parameters: ReadonlyMap<string, Value>;
  /** Reads a nested template (path relative to the scan root as shown to users). */
  readTemplate(file: string): TemplateResult | undefined;
  /** Renders an absolute path for users. */
  relative(file: string): string;
  /** Absolute path of the template file. */
  readonly templatePath: string;
}

/** The resources of a stack and of its nested stacks. */
export interface StackResult {
  readonly resources: readonly CfnResource[];
  readonly diagnostics: readonly Diagnostic[];
  /** Nested templates read (absolute paths), so they are not scanned again on their own. */
  readonly nestedTemplates: readonly string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

const MAX_NESTING = 8;

/**
 * Reads a CloudFormation stack: parameters, mappings and conditions resolved, resources under a false
 * condition left out, nested stacks with a local template followed (their parameters passed in, their
 * resources prefixed with the stack's logical id). Remote nested templates are reported as not scanned.
 */
export function loadStack(template: Template, options: StackOptions, stackPrefix = '', depth = 0): StackResult {
  const diagnostics: Diagnostic[] = [];
  const data = template.data;
  const resourcesData = isObject(data.Resources) ? data.Resources : {};
  const parameters = isObject(data.Parameters) ? data.Parameters : {};
  const resolver = new CloudFormationResolver({
    parameters,
    mappings: isObject(data.Mappings) ? data.Mappings : {},
    conditions: isObject(data.Conditions) ? data.Conditions : {},
    resourceIds: new Set(Object.keys(resourcesData)),
    overrides: options.parameters,
    idPrefix: stackPrefix,
  });
  const transforms = (Array.isArray(data.Transform) ? data.Transform : data.Transform === undefined ? [] : [data.Transform]).map(String);
  const globalsValue = isObject(data.Globals) ? resolver.resolve(data.Globals) : {};
  const globals = isObject(globalsValue) ? (globalsValue as ValueObject) : {};
  const resources: CfnResource[] = [];
  const nestedTemplates: string[] = [];
  const fallback = (resourcePath: readonly string[]): SourceLocation =>
    template.positions.nearest(resourcePath) ?? { file: template.file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

  for (const [logicalId, definition] of Object.entries(resourcesData)) {
    if (!isObject(definition) || typeof definition.Type !== 'string') {
      diagnostics.push({ severity: 'warning', code: 'unsupported', message: `resource ${stackPrefix}${logicalId} has no Type; it is skipped`, location: fallback(['Resources', logicalId]) });
      continue;
    }
    const resourcePath = ['Resources', logicalId];
    if (typeof definition.Condition === 'string') {
      const holds = resolver.condition(definition.Condition);
      if (holds === false) continue;
      if (holds instanceof Unknown) {
        diagnostics.push({
          severity: 'warning',
          code: 'unresolved',
          message: `the condition ${definition.Condition} of ${stackPrefix}${logicalId} is unknown (${holds.reason}); the resource is checked as if it were created`,
          location: fallback([...resourcePath, 'Condition']),
          address: `${stackPrefix}${logicalId}`,
        });
      }
    }
    const rawProperties = isObject(definition.Properties) ? definition.Properties : {};
    const resolved = resolver.resolve(rawProperties);
    const properties = isObject(resolved) ? (resolved as ValueObject) : {};
    const parameterSources: Record<string, { kind: 'default' | 'given' | 'none'; location: SourceLocation }> = {};
    for (const [property, raw] of Object.entries(rawProperties)) {
      const name = isObject(raw) && typeof raw.Ref === 'string' ? raw.Ref : undefined;
      if (!name || !(name in parameters)) continue;
      const declaration = parameters[name];
      const kind = options.parameters.has(name) ? 'given' : isObject(declaration) && declaration.Default !== undefined ? 'default' : 'none';
      parameterSources[property] = { kind, location: kind === 'default' ? fallback(['Parameters', name, 'Default']) : fallback([...resourcePath, 'Properties', property]) };
    }
    const resource: CfnResource = {
      address: `${stackPrefix}${logicalId}`,
      logicalId,
      type: definition.Type,
      properties,
      rawProperties,
      metadata: isObject(definition.Metadata) ? definition.Metadata : {},
      template,
      stackPrefix,
      transforms,
      globals,
      location: fallback(resourcePath),
      locate: (propertyPath) => fallback([...resourcePath, 'Properties', ...propertyPath.map(String)]),
      parameterSources,
    };
    resources.push(resource);
    if (definition.Type === 'AWS::CloudFormation::Stack' || definition.Type === 'AWS::Serverless::Application') {
      const nested = nestedStack(resource, options, stackPrefix, depth, diagnostics);
      if (nested) {
        resources.push(...nested.resources);
        diagnostics.push(...nested.diagnostics);
        nestedTemplates.push(...nested.nestedTemplates);
      }
    }
  }
  return { resources, diagnostics, nestedTemplates };
}

/**
 * Follows a nested stack whose template is a local file: `TemplateURL` (or SAM's `Location`) as a
 * relative path, or the `aws:asset:path` metadata the CDK writes next to a TemplateURL it builds
 * from asset parameters.
 */
function nestedStack(resource: CfnResource, options: StackOptions, stackPrefix: string, depth: number, diagnostics: Diagnostic[]): StackResult | undefined {
  const url = resource.properties.TemplateURL ?? resource.properties.Location;
  const assetPath = resource.metadata['aws:asset:path'];
  const local = typeof assetPath === 'string' ? assetPath : typeof url === 'string' && !/^(https?|s3):\/\//.test(url) ? url : undefined;
  if (local === undefined) {
    diagnostics.push({
      severity: 'warning',
      code: 'not-scanned',
      message: `nested stack ${resource.address} has a remote template (${typeof url === 'string' ? url : 'its TemplateURL is built at deploy time'}); its resources are not scanned. Scan that template too, with its parameters`,
      location: resource.locate(['TemplateURL']),
      address: resource.address,
    });
    return undefined;
  }
  if (depth >= MAX_NESTING) {
    diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `nested stack ${resource.address} is nested more than ${MAX_NESTING} deep; it is not scanned`, location: resource.location, address: resource.address });
    return undefined;
  }
  const file = path.resolve(path.dirname(options.templatePath), local);
  const nested = options.readTemplate(file);
  if (!nested?.template) {
    diagnostics.push(
      ...(nested?.diagnostics ?? [
        { severity: 'error' as const, code: 'read-error' as const, message: `the template ${options.relative(file)} of nested stack ${resource.address} could not be read`, location: resource.location, address: resource.address },
      ]),
    );
    return undefined;
  }
  const given = new Map<string, Value>();
  const parameters = resource.properties.Parameters;
  if (isObject(parameters)) for (const [name, value] of Object.entries(parameters)) given.set(name, value as Value);
  const result = loadStack(nested.template, { ...options, parameters: given, templatePath: file }, `${stackPrefix}${resource.logicalId}/`, depth + 1);
  return { ...result, diagnostics: [...nested.diagnostics, ...result.diagnostics], nestedTemplates: [file, ...result.nestedTemplates] };
}
