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

  // Terraform rejects a module that declares a name twice ("Duplicate resource configuration",
  // terraform validate and plan alike): it deploys nothing, so none of its resources is checked (a
  // finding on either declaration would describe a gateway that cannot exist), and the error makes
  // the scan incomplete.
  let rejected = false;
  const duplicate = (what: string, file: TerraformFile, path: readonly string[]): void => {
    rejected = true;
    diagnostics.push({
      severity: 'error',
      code: 'unsupported',
      message: `${what} is declared more than once in this module: Terraform rejects the module (terraform validate: "Duplicate ... configuration"), so it deploys nothing and none of its resources and module calls is checked. Remove or rename one of the declarations`,
      location: locate(file, path),
    });
  };
  /**
   * A block of an override file merges into the block it names, as Terraform does: its arguments
   * replace the original's, and its nested blocks replace all the original's of that type, which is
   * a merge of the two bodies key by key. Left out, `allow_origins = ["*"]` in main_override.tf went
   * unseen over a safe main.tf.
   * @see https://developer.hashicorp.com/terraform/language/files/override
   */
  const override = <T extends BlockDefinition>(target: Map<string, T>, key: string, what: string, file: TerraformFile, path: readonly string[], body: RawObject): void => {
    const original = target.get(key);
    if (!original) {
      diagnostics.push({ severity: 'error', code: 'unsupported', message: `the override file overrides ${what}, which this module does not declare (Terraform rejects this); it is not checked`, location: locate(file, path) });
      return;
    }
    target.set(key, { ...original, body: { ...original.body, ...body } });
    diagnostics.push({
      severity: 'info',
      code: 'unsupported',
      message: `${what} is overridden here, as Terraform merges override files: the merged settings are checked, and findings on a setting of the override point at the block in ${original.file.relPath}`,
      location: locate(file, path),
    });
  };

  // Override files (override.tf, *_override.tf and their .json forms) apply after all the others.
  const ordered = [...files.filter((file) => !isOverrideFile(file.path)), ...files.filter((file) => isOverrideFile(file.path))];
  for (const file of ordered) {
    const overriding = isOverrideFile(file.path);
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
            if (overriding) override(target, name, `${kind} "${name}"`, file, path, block);
            else if (target.has(name)) duplicate(`${kind} "${name}"`, file, path);
            else target.set(name, { file, path, body: block });
          }
        }
      }
    }
    for (const group of asBlocks(body.locals)) {
      for (const [name, raw] of Object.entries(group)) {
        const path = ['locals', name];
        // An override file's local replaces the original (no merge: a local is one value).
        if (overriding && locals.has(name)) locals.set(name, { file, path, raw });
        else if (locals.has(name)) duplicate(`local.${name}`, file, path);
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
                if (overriding) override(resources, key, key, file, path, block);
                else if (resources.has(key)) duplicate(key, file, path);
                else resources.set(key, { file, path, body: block, mode: mode === 'data' ? 'data' : 'managed', type, name });
              }
            }
          }
        }
      }
    }
  }
  if (rejected) return { dir, files, variables, locals, resources: new Map(), moduleCalls: new Map(), outputs, diagnostics };
  return { dir, files, variables, locals, resources, moduleCalls, outputs, diagnostics };
}

/** Whether a file is an override file, whose blocks merge into those of the other files. */
export function isOverrideFile(file: string): boolean {
  const name = file.split(/[\\/]/).pop() ?? file;
  return /^(.*_)?override\.tf(\.json)?$/.test(name);
}

/** The location of a path in a file, falling back to the file's first line. */
export function locate(file: TerraformFile, path: readonly string[]): SourceLocation {
  return file.positions.nearest(path) ?? lineLocation(file.relPath, 1);
}
