import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import type { RawObject, RawValue, TerraformFile } from './files.js';

/** A block of a module, with the file it is in and its path in that file's position index. */
export interface BlockDefinition {
  readonly file: TerraformFile;
  readonly path: readonly string[];
  readonly body: RawObject;
}

/** A `resource` or `data` block. */
export interface ResourceDefinition extends BlockDefinition {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
}

/** One `locals` entry. */
export interface LocalDefinition {
  readonly file: TerraformFile;
  readonly path: readonly string[];
  readonly raw: RawValue;
}

/** The declarations of one Terraform module (one directory), not yet evaluated. */
export interface ModuleDefinition {
  /** Absolute directory path. */
  readonly dir: string;
  readonly files: readonly TerraformFile[];
  readonly variables: ReadonlyMap<string, BlockDefinition>;
  readonly locals: ReadonlyMap<string, LocalDefinition>;
  /** Keyed `type.name` for managed resources and `data.type.name` for data sources. */
  readonly resources: ReadonlyMap<string, ResourceDefinition>;
  readonly moduleCalls: ReadonlyMap<string, BlockDefinition>;
  readonly outputs: ReadonlyMap<string, BlockDefinition>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Normalises the forms Terraform accepts for a list of blocks (one object, or a list of objects). */
export function asBlocks(value: RawValue | undefined): RawObject[] {
  if (Array.isArray(value)) return value.filter(isRawObject);
  return isRawObject(value) ? [value] : [];
}

/** Tells whether a raw value is an object (a body or a map). */
export function isRawObject(value: RawValue | undefined): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds a module definition from the files of one directory. */
export function defineModule(dir: string, files: readonly TerraformFile[]): ModuleDefinition {
  const variables = new Map<string, BlockDefinition>();
  const locals = new Map<string, LocalDefinition>();
  const resources = new Map<string, ResourceDefinition>();
  const moduleCalls = new Map<string, BlockDefinition>();
  const outputs = new Map<string, BlockDefinition>();
  const diagnostics: Diagnostic[] = [];

  const duplicate = (what: string, file: TerraformFile, path: readonly string[]): void => {
    diagnostics.push({
      severity: 'warning',
      code: 'unsupported',
      message: `${what} is declared more than once in this module; the first declaration is used (terraform validate rejects this)`,
      location: locate(file, path),
    });
  };

  for (const file of files) {
    const body = file.body;
    for (const [kind, target] of [
      ['variable', variables],
      ['module', moduleCalls],
      ['output', outputs],
    ] as const) {
      for (const group of asBlocks(body[kind])) {
        for (const [name, value] of Object.entries(group)) {
          for (const block of asBlocks(value)) {
            const path = [kind, name];
            if (target.has(name)) duplicate(`${kind} "${name}"`, file, path);
            else target.set(name, { file, path, body: block });
          }
        }
      }
    }
    for (const group of asBlocks(body.locals)) {
      for (const [name, raw] of Object.entries(group)) {
        const path = ['locals', name];
        if (locals.has(name)) duplicate(`local.${name}`, file, path);
        else locals.set(name, { file, path, raw });
      }
    }
    for (const mode of ['resource', 'data'] as const) {
      for (const group of asBlocks(body[mode])) {
        for (const [type, byName] of Object.entries(group)) {
          for (const named of asBlocks(byName)) {
            for (const [name, value] of Object.entries(named)) {
              for (const block of asBlocks(value)) {
                const key = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
                const path = [mode, type, name];
                if (resources.has(key)) duplicate(key, file, path);
                else resources.set(key, { file, path, body: block, mode: mode === 'data' ? 'data' : 'managed', type, name });
              }
            }
          }
        }
      }
    }
  }
  return { dir, files, variables, locals, resources, moduleCalls, outputs, diagnostics };
}

/** The location of a path in a file, falling back to the file's first line. */
export function locate(file: TerraformFile, path: readonly string[]): SourceLocation {
  return file.positions.nearest(path) ?? lineLocation(file.relPath, 1);
}
