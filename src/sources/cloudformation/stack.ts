import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Suppression } from '../../model/entities.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import type { Value, ValueObject } from '../view/value.js';
import { CloudFormationResolver } from './resolve.js';
import { readSuppressions } from './suppressions.js';
import type { Template, TemplateResult } from './template.js';
import { refusalDiagnostic, type FileAccess, type FileRefusal } from '../file-access.js';
import { pushAll } from '../../arrays.js';
import { DEFAULT_LIMITS, limitDiagnostic } from '../../limits.js';
import { isRecord } from '../../objects.js';
import type { ReaderLimits } from '../nesting.js';
import { DOCUMENT_PROPERTIES, findIncludes, localPath, readLinkedDocument, type LinkedDocument } from './linked-documents.js';

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
  /**
   * Set when the resource's `Condition` cannot be decided (it depends on the region, say): the resource
   * is read as if created, and whoever reads it reports this warning.
   */
  readonly unknownCondition?: Diagnostic;
  /** Findings accepted for this resource in `Metadata.gatewarden.ignore`. */
  readonly suppressions: readonly Suppression[];
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
  /**
   * Where line 1 of a text property is, when its lines are lines of the template: a YAML block scalar
   * (`Body: !Sub |`, or the first item of `!Sub [ |, {...} ]`). Undefined for JSON and one-line strings.
   */
  textStart(propertyPath: ReadonlyArray<string | number>): { readonly file: string; readonly firstLine: number } | undefined;
  /** Where the value of a top-level property comes from when it is a `Ref` to a parameter. */
  readonly parameterSources: Readonly<Record<string, ParameterSource>>;
  /**
   * OpenAPI documents a property names by a local path (SAM `DefinitionUri`, `BodyS3Location`; see
   * `DOCUMENT_PROPERTIES`), read from their files: the data, or an Unknown saying why it was not read.
   * `locate([property, ...pointer])` points into the file.
   */
  readonly documents?: Readonly<Record<string, unknown>>;
}

/**
 * Where a given parameter value comes from, so that a secret passed as a parameter is reported where
 * it is written: a parameter file or a parent template (written), or the command line (not written).
 */
export type ParameterOrigin =
  | { readonly kind: 'written'; readonly location: SourceLocation }
  | { readonly kind: 'command-line' }
  /** Passed by a parent stack from something known only at deploy time. */
  | { readonly kind: 'deploy-time' };

/** A parameter value given for a stack, with its origin. */
export interface GivenParameter {
  readonly value: Value;
  readonly origin: ParameterOrigin;
}

/** Where a property's parameter value is: written (a Default, a parameter file, a parent), given at deploy time, or missing. */
export interface ParameterSource {
  readonly kind: 'written' | 'given' | 'none';
  readonly location: SourceLocation;
}

/** How to read a stack. */
export interface StackOptions {
  /** Parameter values given on the command line, in a parameters file, or by a parent stack. */
  readonly parameters: ReadonlyMap<string, GivenParameter>;
  /** Reads a nested template (absolute path), or says why it was not read. */
  readTemplate(file: string): TemplateResult | FileRefusal;
  /** The scan's file access, for the diagnostic of a template that was not read. */
  readonly access: FileAccess;
  /** Renders an absolute path for users. */
  relative(file: string): string;
  /** Absolute path of the template file. */
  readonly templatePath: string;
  /** The templates of the stacks that nest this one, outermost first: one of them again is a cycle. */
  readonly ancestors?: readonly string[];
  /** The limits documents linked from the template are read within (depth, YAML aliases). */
  readonly limits?: ReaderLimits;
  /**
   * The nested stacks one top-level template may expand to (the `instances` limit), shared by the
   * whole tree: ten nested stacks each nesting ten more, eight deep, would be a hundred million.
   */
  readonly nestedBudget?: { readonly limit: number; used: number; reported: boolean };
}

/** The resources of a stack and of its nested stacks. */
export interface StackResult {
  readonly resources: readonly CfnResource[];
  readonly diagnostics: readonly Diagnostic[];
  /** Nested templates read (absolute paths), so they are not scanned again on their own. */
  readonly nestedTemplates: readonly string[];
  /** OpenAPI documents read as part of a resource (absolute paths): not scanned again on their own. */
  readonly linkedFiles: readonly string[];
}

const MAX_NESTING = 8;
const NESTED_STACK_TYPES = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

/**
 * Reads a CloudFormation stack: parameters, mappings and conditions resolved, resources under a false
 * condition left out, nested stacks with a local template followed (their parameters passed in, their
 * resources prefixed with the stack's logical id). Remote nested templates are reported as not scanned.
 */
export function loadStack(template: Template, options: StackOptions, stackPrefix = '', depth = 0): StackResult {
  const diagnostics: Diagnostic[] = [];
  const data = template.data;
  const resourcesData = isRecord(data.Resources) ? data.Resources : {};
  const parameters = isRecord(data.Parameters) ? data.Parameters : {};
  const included = new Map<object, unknown>();
  const resolver = new CloudFormationResolver({
    included,
    parameters,
    mappings: isRecord(data.Mappings) ? data.Mappings : {},
    conditions: isRecord(data.Conditions) ? data.Conditions : {},
    resourceIds: new Set(Object.keys(resourcesData)),
    overrides: new Map([...options.parameters].map(([name, given]) => [name, given.value])),
    idPrefix: stackPrefix,
  });
  const transforms = (Array.isArray(data.Transform) ? data.Transform : data.Transform === undefined ? [] : [data.Transform]).map(String);
  const globalsValue = isRecord(data.Globals) ? resolver.resolve(data.Globals) : {};
  const globals = isRecord(globalsValue) ? (globalsValue as ValueObject) : {};
  const resources: CfnResource[] = [];
  const nestedTemplates: string[] = [];
  const linkedFiles: string[] = [];
  const linkOptions = { access: options.access, relative: options.relative, templatePath: options.templatePath, ...(options.limits ? { limits: options.limits } : {}) };
  const fallback = (resourcePath: readonly string[]): SourceLocation =>
    template.positions.nearest(resourcePath) ?? lineLocation(template.file, 1);

  const parameterSource = (name: string, where: SourceLocation): ParameterSource => {
    const given = options.parameters.get(name);
    if (given?.origin.kind === 'written') return { kind: 'written', location: given.origin.location };
    if (given) return { kind: 'given', location: where };
    const declaration = parameters[name];
    return isRecord(declaration) && declaration.Default !== undefined ? { kind: 'written', location: fallback(['Parameters', name, 'Default']) } : { kind: 'none', location: where };
  };

  for (const [logicalId, definition] of Object.entries(resourcesData)) {
    if (!isRecord(definition) || typeof definition.Type !== 'string') {
      diagnostics.push({ severity: 'warning', code: 'unsupported', message: `resource ${stackPrefix}${logicalId} has no Type; it is skipped`, location: fallback(['Resources', logicalId]) });
      continue;
    }
    const resourcePath = ['Resources', logicalId];
    let unknownCondition: Diagnostic | undefined;
    if (typeof definition.Condition === 'string') {
      const holds = resolver.condition(definition.Condition);
      if (holds === false) continue;
      if (holds instanceof Unknown) {
        unknownCondition = {
          severity: 'warning',
          code: 'unresolved',
          message: `the condition ${definition.Condition} of ${stackPrefix}${logicalId} is unknown (${holds.reason}); the resource is checked as if it were created`,
          location: fallback([...resourcePath, 'Condition']),
          address: `${stackPrefix}${logicalId}`,
        };
        // A nested stack's resources are all affected: say so here. For other resources the adapter
        // says so only if it reads the resource (CDK's CDKMetadata condition is unknown in every app).
        if (NESTED_STACK_TYPES.has(definition.Type)) diagnostics.push(unknownCondition);
      }
    }
    const rawProperties = isRecord(definition.Properties) ? definition.Properties : {};
    const address = `${stackPrefix}${logicalId}`;
    // Parts of the properties read from other files; findings in them point at those files' lines.
    const regions: Array<{ readonly path: readonly string[]; readonly document: LinkedDocument }> = [];
    for (const site of findIncludes(rawProperties)) {
      const local = localPath(site.location);
      if (local === undefined) {
        const from = typeof site.location === 'string' ? `from ${site.location} ` : '';
        included.set(site.node, new Unknown(`the snippet AWS::Include inserts ${from}is read at deploy time; scan the file it is made from too (a local Location is read)`));
        continue;
      }
      const at = fallback([...resourcePath, 'Properties', ...site.path, 'Fn::Transform', 'Parameters', 'Location']);
      const document = readLinkedDocument(local, at, `the file AWS::Include inserts into ${address}`, address, linkOptions, diagnostics);
      included.set(site.node, document instanceof Unknown ? document : document.data);
      if (document instanceof Unknown) continue;
      regions.push({ path: site.path, document });
      linkedFiles.push(document.absolute);
    }
    const resolved = resolver.resolve(rawProperties);
    const properties = isRecord(resolved) ? (resolved as ValueObject) : {};
    const documents: Record<string, unknown> = {};
    for (const property of DOCUMENT_PROPERTIES[definition.Type] ?? []) {
      const local = localPath(properties[property]);
      if (local === undefined) continue;
      const document = readLinkedDocument(local, fallback([...resourcePath, 'Properties', property]), `the OpenAPI definition that ${property} of ${address} names`, address, linkOptions, diagnostics);
      documents[property] = document instanceof Unknown ? document : document.data;
      if (document instanceof Unknown) continue;
      regions.push({ path: [property], document });
      linkedFiles.push(document.absolute);
    }
    const parameterSources: Record<string, ParameterSource> = {};
    for (const [property, raw] of Object.entries(rawProperties)) {
      const name = isRecord(raw) && typeof raw.Ref === 'string' ? raw.Ref : undefined;
      if (!name || !(name in parameters)) continue;
      parameterSources[property] = parameterSource(name, fallback([...resourcePath, 'Properties', property]));
    }
    const metadata = isRecord(definition.Metadata) ? definition.Metadata : {};
    const suppressed = readSuppressions(metadata, `${stackPrefix}${logicalId}`, (at) => fallback([...resourcePath, ...at]));
    pushAll(diagnostics, suppressed.diagnostics);
    const resource: CfnResource = {
      address: `${stackPrefix}${logicalId}`,
      logicalId,
      type: definition.Type,
      properties,
      rawProperties,
      metadata,
      suppressions: suppressed.suppressions,
      ...(unknownCondition ? { unknownCondition } : {}),
      template,
      stackPrefix,
      transforms,
      globals,
      location: fallback(resourcePath),
      locate: (propertyPath) => {
        // Inside a linked document: its own lines. The property itself is where the template names it.
        const region = regions.find((candidate) => propertyPath.length > candidate.path.length && candidate.path.every((segment, index) => String(propertyPath[index]) === segment));
        if (region) return region.document.locate(propertyPath.slice(region.path.length));
        return fallback([...resourcePath, 'Properties', ...propertyPath.map(String)]);
      },
      textStart: (propertyPath) => blockScalarStart(template, rawProperties, [...resourcePath, 'Properties'], propertyPath.map(String)),
      parameterSources,
      ...(Object.keys(documents).length > 0 ? { documents } : {}),
    };
    resources.push(resource);
    if (NESTED_STACK_TYPES.has(definition.Type)) {
      const nested = nestedStack(resource, definition, options, stackPrefix, depth, diagnostics, parameterSource);
      if (nested) {
        pushAll(resources, nested.resources);
        pushAll(diagnostics, nested.diagnostics);
        pushAll(nestedTemplates, nested.nestedTemplates);
        pushAll(linkedFiles, nested.linkedFiles);
      }
    }
  }
  return { resources, diagnostics, nestedTemplates, linkedFiles };
}

/**
 * Where the text of a string property starts, when it is a YAML block scalar, written as it is or as
 * the template of `Fn::Sub`. A block scalar's node starts at its `|` or `>` header and spans a line for
 * each line of its text after that; a quoted or JSON string spans fewer, and its lines are not the file's.
 */
function blockScalarStart(template: Template, raw: Readonly<Record<string, unknown>>, base: readonly string[], propertyPath: readonly string[]): { file: string; firstLine: number } | undefined {
  if (template.format !== 'yaml') return undefined;
  let value: unknown = raw;
  for (const segment of propertyPath) value = isRecord(value) ? value[segment] : Array.isArray(value) ? value[Number(segment)] : undefined;
  let at = [propertyPath];
  if (isRecord(value) && Object.keys(value).length === 1 && value['Fn::Sub'] !== undefined) {
    const sub = value['Fn::Sub'];
    // The short form `!Sub |` has no position of its own (the key's line holds the header), and the
    // items of `!Sub [...]` are recorded under the key itself; the long form has `Fn::Sub` in between.
    if (Array.isArray(sub)) at = [[...propertyPath, 'Fn::Sub', '0'], [...propertyPath, '0']];
    else at = [[...propertyPath, 'Fn::Sub'], propertyPath];
    value = Array.isArray(sub) ? sub[0] : sub;
  }
  if (typeof value !== 'string') return undefined;
  const location = at.map((candidate) => template.positions.get([...base, ...candidate])).find((found) => found !== undefined);
  if (!location) return undefined;
  const lines = value.split('\n').length - (value.endsWith('\n') ? 1 : 0);
  return location.endLine - location.startLine >= lines ? { file: location.file, firstLine: location.startLine + 1 } : undefined;
}

/**
 * Follows a nested stack whose template is a local file: `TemplateURL` (or SAM's `Location`) as a
 * relative path, or the `aws:asset:path` metadata the CDK writes next to a TemplateURL it builds
 * from asset parameters.
 */
function nestedStack(
  resource: CfnResource,
  definition: Record<string, unknown>,
  options: StackOptions,
  stackPrefix: string,
  depth: number,
  diagnostics: Diagnostic[],
  parameterSource: (name: string, where: SourceLocation) => ParameterSource,
): StackResult | undefined {
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
  const chain = [...(options.ancestors ?? []), options.templatePath];
  if (chain.includes(file)) {
    // CloudFormation rejects a stack that nests itself; expanding it would never end.
    diagnostics.push({
      severity: 'error',
      code: 'unresolved',
      message: `nested stack ${resource.address} nests a template that is already nesting it (${[...chain.slice(chain.indexOf(file)), file].map((each) => options.relative(each)).join(' -> ')}); CloudFormation rejects such a cycle, and it is not followed`,
      location: resource.locate(typeof assetPath === 'string' ? ['Metadata'] : ['TemplateURL']),
      address: resource.address,
    });
    return undefined;
  }
  const budget = options.nestedBudget ?? { limit: DEFAULT_LIMITS.instances, used: 0, reported: false };
  if (++budget.used > budget.limit) {
    if (!budget.reported) {
      budget.reported = true;
      diagnostics.push({
        ...limitDiagnostic({
          name: 'instances',
          limit: budget.limit,
          what: `the template expands to more than ${budget.limit.toLocaleString('en-US')} nested stacks; ${resource.address} and the ones after it were not read`,
          location: resource.location,
        }),
        address: resource.address,
      });
    }
    return undefined;
  }
  const nested = options.readTemplate(file);
  if ('ok' in nested) {
    // A template path is input too: `TemplateURL: ../../../etc/...` must not make gatewarden read outside the roots.
    const refusal = { ...nested, message: `the template of nested stack ${resource.address}: ${nested.message}` };
    diagnostics.push({ ...refusalDiagnostic(refusal, resource.locate(typeof assetPath === 'string' ? ['Metadata'] : ['TemplateURL']), options.access), address: resource.address });
    return undefined;
  }
  if (!nested.template) {
    pushAll(diagnostics, nested.diagnostics);
    return undefined;
  }
  // Pseudo parameters given for the scan (AWS::Region) hold in nested stacks too; others are per stack.
  const given = new Map<string, GivenParameter>([...options.parameters].filter(([name]) => name.startsWith('AWS::')));
  const parameters = resource.properties.Parameters;
  const rawParameters = isRecord(definition.Properties) && isRecord(definition.Properties.Parameters) ? definition.Properties.Parameters : {};
  if (isRecord(parameters)) {
    for (const [name, value] of Object.entries(parameters)) {
      given.set(name, { value: value as Value, origin: passedOrigin(rawParameters[name], resource.locate(['Parameters', name]), parameterSource) });
    }
  }
  const result = loadStack(nested.template, { ...options, parameters: given, templatePath: file, ancestors: chain, nestedBudget: budget }, `${stackPrefix}${resource.logicalId}/`, depth + 1);
  return { ...result, diagnostics: [...nested.diagnostics, ...result.diagnostics], nestedTemplates: [file, ...result.nestedTemplates] };
}

/**
 * Where a value a parent passes to a nested stack is written: a literal in the parent, or the parent
 * parameter it refers to (wherever that one is written); anything else is known at deploy time.
 */
function passedOrigin(raw: unknown, where: SourceLocation, parentSource: (name: string, where: SourceLocation) => ParameterSource): ParameterOrigin {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { kind: 'written', location: where };
  if (isRecord(raw) && typeof raw.Ref === 'string' && Object.keys(raw).length === 1) {
    const source = parentSource(raw.Ref, where);
    return source.kind === 'written' ? { kind: 'written', location: source.location } : { kind: 'deploy-time' };
  }
  return { kind: 'deploy-time' };
}
