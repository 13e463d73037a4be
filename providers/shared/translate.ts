import type { Suppression } from '../../src/model/entities.js';
import type { Origin, SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import type { ResourceSource, ResourceView, ValueSource } from '../../src/sources/view/resource-view.js';
import type { Value, ValueObject } from '../../src/sources/view/value.js';

/**
 * CloudFormation, ARM and the live APIs describe the same cloud objects as the Terraform providers,
 * under other names (`AuthorizationType` and `authorization`, `properties.displayName` and
 * `display_name`). Their resources are translated into the Terraform shape of the same object and
 * handed to the one adapter of their cloud, so that every format gets the same defaults and effective
 * settings by construction. This module is what those translations share: one way to say where each
 * field of the view is written in the source, to rename a source object by it, and to locate a path.
 */

/** A path through a value or a source document: object keys and list indexes. */
export type Path = ReadonlyArray<string | number>;

/**
 * Where one field of a view is written in its source.
 * - A string or a path: that property (or path) of the source object. Below it, the rest of the view's
 *   path is appended unchanged: map keys and list indexes are the same in both shapes
 *   (`response_parameters["method.response.header.X"]` is `ResponseParameters/method.response.header.X`).
 * - A {@link NestedMapping}: a nested block whose own fields are renamed too.
 * - A function, for shapes that differ below the field: given the rest of the view's path, the source path.
 */
export type FieldMapping = string | Path | NestedMapping | ((rest: Path) => Path);

/**
 * A nested block of the view (a list of objects in Terraform) and where it is in the source: a list of
 * objects there too (its entries keep their index), or one object (`single`).
 */
export interface NestedMapping {
  /** The block's path in the source; empty when the block's fields are written on the source object itself. */
  readonly at: Path;
  /**
   * The source holds one object where the view has a one-element list (Terraform's blocks): the view's
   * index `0` has no counterpart in the source path.
   */
  readonly single?: boolean;
  /** The block's fields; a field not listed here is located at the block. */
  readonly fields?: FieldMap;
}

/** Where each field of a view (by its name in the view) is written in the source. */
export type FieldMap = Readonly<Record<string, FieldMapping>>;

function isNested(mapping: FieldMapping): mapping is NestedMapping {
  return typeof mapping === 'object' && !Array.isArray(mapping);
}

function mappingOf(fields: FieldMap | undefined, name: string | number): FieldMapping | undefined {
  // Own keys only: a view path segment such as `constructor` must not find Object's members.
  return fields && Object.hasOwn(fields, String(name)) ? fields[String(name)] : undefined;
}

/**
 * Maps a path through the view's values (`['settings', 0, 'throttling_rate_limit']`) to the source path
 * it is written at (`['ThrottlingRateLimit']`). Undefined when the path is empty or its first field has no
 * mapping; a deeper field without one maps to its enclosing block (the entry, in a list of blocks:
 * `['domain_name_configuration', 1, 'security_policy']` is `['DomainNameConfigurations', 1, 'SecurityPolicy']`).
 */
export function sourcePathOf(fields: FieldMap, path: Path): Path | undefined {
  if (path.length === 0 || mappingOf(fields, path[0]!) === undefined) return undefined;
  const out: Array<string | number> = [];
  let current: FieldMap | undefined = fields;
  for (let i = 0; i < path.length; i++) {
    const mapping = mappingOf(current, path[i]!);
    if (mapping === undefined) break;
    if (typeof mapping === 'function') {
      out.push(...mapping(path.slice(i + 1)));
      break;
    }
    if (!isNested(mapping)) {
      out.push(...(typeof mapping === 'string' ? [mapping] : mapping), ...path.slice(i + 1));
      break;
    }
    out.push(...mapping.at);
    if (typeof path[i + 1] === 'number') {
      // A list of blocks is a list in the source too: its entry keeps its index, so that a field of
      // `DomainNameConfigurations[1]` is located at that entry, not at the list. A single block is
      // one object in the source: the view's index 0 has no counterpart there.
      if (!mapping.single) out.push(path[i + 1]!);
      i++;
    }
    current = mapping.fields;
  }
  return out;
}

/** The source path of one top-level field, when it is a fixed one (not computed by a function). */
export function fieldPathOf(fields: FieldMap, field: string): Path | undefined {
  const mapping = mappingOf(fields, field);
  if (mapping === undefined || typeof mapping === 'function') return undefined;
  if (typeof mapping === 'string') return [mapping];
  return isNested(mapping) ? mapping.at : mapping;
}

function isObject(value: Value | undefined): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

function valueAt(source: ValueObject, path: Path): { value: Value } | undefined {
  let value: Value = source;
  for (const segment of path) {
    if (isObject(value) && Object.hasOwn(value, String(segment))) value = value[String(segment)]!;
    else if (Array.isArray(value) && typeof segment === 'number' && segment < value.length) value = value[segment]!;
    else return undefined;
  }
  return { value };
}

/**
 * Reads a source object into the view's field names, following a field map: fields absent from the
 * source stay absent; nested blocks become lists of renamed objects (one object for a `single` block,
 * an unknown stays unknown). Function mappings only locate and are skipped here.
 */
export function renameFields(source: ValueObject, fields: FieldMap): ValueObject {
  const out: ValueObject = {};
  for (const [name, mapping] of Object.entries(fields)) {
    if (typeof mapping === 'function') continue;
    const found = valueAt(source, typeof mapping === 'string' ? [mapping] : isNested(mapping) ? mapping.at : mapping);
    if (!found) continue;
    const value = found.value;
    if (!isNested(mapping) || !mapping.fields) {
      out[name] = value;
    } else if (mapping.single) {
      out[name] = isObject(value) ? [renameFields(value, mapping.fields)] : value instanceof Unknown ? value : [];
    } else {
      const inner = mapping.fields;
      out[name] = Array.isArray(value) ? value.map((item) => (isObject(item) ? renameFields(item, inner) : item)) : value;
    }
  }
  return out;
}

/** What a translation knows of one resource it makes: its values and how to locate its fields. */
export interface TranslatedViewInit {
  readonly format: 'cloudformation' | 'arm' | 'apiops' | 'live' | 'openapi';
  /** The Terraform type of the same cloud object, which the adapter reads. */
  readonly type: string;
  readonly address: string;
  readonly name: string;
  /** How the source names the resource it is made from (see {@link ResourceSource}). */
  readonly source: ResourceSource;
  readonly modulePath: string;
  readonly rootModule: string;
  readonly values: ValueObject;
  /** The resource (or the part of it this view is made from). */
  readonly location: SourceLocation;
  /** Where each field of {@link values} is written in the source. */
  readonly fields: FieldMap;
  /** Locates a path in the source (for CloudFormation, a path under the resource's Properties). */
  readonly locateSource: (path: Path) => SourceLocation;
  /** Where a path that {@link fields} does not map is; by default `locateSource(base)`. */
  readonly locateUnmapped?: () => SourceLocation;
  /** Where this view's fields start in the source, when it is made from part of a resource. */
  readonly base?: Path;
  readonly origin?: Origin;
  readonly construct?: string;
  readonly suppressions?: readonly Suppression[];
  /** Where the value of a field comes from, given the field's source path when it is a fixed one. */
  readonly valueSource?: (field: string, sourcePath: Path | undefined, view: ResourceView) => ValueSource | undefined;
  /**
   * Where line 1 of a text field is, given the field's source path, when its lines are lines of the
   * source file (a YAML block scalar, `Body: !Sub |`); see {@link ResourceView.textLines}.
   */
  readonly textLines?: (sourcePath: Path) => { readonly file: string; readonly firstLine: number } | undefined;
}

/**
 * A resource view made by translation from a CloudFormation, ARM or live resource. Its strings are
 * the source's own strings or API values: lines of the file only where the translation says so (a
 * YAML block scalar), and never files read with `file()`.
 */
export class TranslatedView implements ResourceView {
  readonly format: TranslatedViewInit['format'];
  readonly type: string;
  readonly address: string;
  readonly name: string;
  readonly source: ResourceSource;
  readonly modulePath: string;
  readonly rootModule: string;
  readonly values: ValueObject;
  readonly location: SourceLocation;
  // Declared, not initialised: a class field would exist as undefined even where the source has none.
  declare readonly origin?: Origin;
  declare readonly construct?: string;
  declare readonly suppressions?: readonly Suppression[];
  private readonly init: TranslatedViewInit;

  constructor(init: TranslatedViewInit) {
    this.init = init;
    this.format = init.format;
    this.type = init.type;
    this.address = init.address;
    this.name = init.name;
    this.source = init.source;
    this.modulePath = init.modulePath;
    this.rootModule = init.rootModule;
    this.values = init.values;
    this.location = init.location;
    // Absent rather than undefined, so that spreading or serialising a view adds nothing it does not have.
    if (init.origin !== undefined) this.origin = init.origin;
    if (init.construct !== undefined) this.construct = init.construct;
    if (init.suppressions !== undefined) this.suppressions = init.suppressions;
  }

  locate(path: Path): SourceLocation {
    const { fields, base = [], locateSource, locateUnmapped } = this.init;
    const mapped = sourcePathOf(fields, path);
    if (mapped === undefined) return locateUnmapped ? locateUnmapped() : locateSource(base);
    return locateSource([...base, ...mapped]);
  }

  valueSource(attribute: string): ValueSource | undefined {
    return this.init.valueSource?.(attribute, fieldPathOf(this.init.fields, attribute), this);
  }

  valueFile(): undefined {
    return undefined;
  }

  textLines(attribute: string): { readonly file: string; readonly firstLine: number } | undefined {
    const sourcePath = this.init.textLines ? sourcePathOf(this.init.fields, [attribute]) : undefined;
    return sourcePath ? this.init.textLines!([...(this.init.base ?? []), ...sourcePath]) : undefined;
  }
}
