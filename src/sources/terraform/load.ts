import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import { Unknown } from '../../model/unknown.js';
import { evaluate } from './expression/evaluate.js';
import { parseExpression, parseTemplateValue } from './expression/parse.js';
import { setKey, type Value, type ValueObject } from './expression/value.js';
import { displayPath } from '../paths.js';
import { parseTerraformFile, type RawValue, type TerraformFile } from './files.js';
import { ModuleInstance, sourceAt, type ComputedAttributeRule, type InputValue, type InstanceHost, type ResourceInstance } from './instance.js';
import { defineModule, isRawObject, type ModuleDefinition } from './module-definition.js';

/** How to read a Terraform tree: where it is, and the variable values a user supplies. */
export interface TerraformLoadOptions {
  /** Paths in output are relative to this directory. */
  readonly scanRoot: string;
  /** Directories `file()` and `templatefile()` may read from (the scanned paths). */
  readonly readableRoots: readonly string[];
  /** `--var name=value`, applied to every root module, after tfvars files. */
  readonly vars?: ReadonlyMap<string, string>;
  /** `--var-file` paths, applied in order after `terraform.tfvars` and `*.auto.tfvars`. */
  readonly varFiles?: readonly string[];
  /** Provider rules for attributes computed at apply time that follow from configuration, by resource type. */
  readonly computedAttributes?: ReadonlyMap<string, ComputedAttributeRule>;
}

/** Every resource instance found in a Terraform tree, with what could not be read. */
export interface TerraformConfiguration {
  readonly resources: readonly ResourceInstance[];
  /** Grows as values are evaluated (evaluation is lazy): read it after using the resources. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every Terraform file read, relative to the scan root. */
  readonly files: readonly string[];
}

const MAX_MODULE_FILES = 5_000;

/**
 * Reads Terraform files into evaluated resource instances. Directories are modules; a directory
 * called by another through a local `source` is evaluated only through its callers (with their
 * inputs), every other directory is a root module with its own tfvars.
 */
export async function loadTerraform(filePaths: readonly string[], options: TerraformLoadOptions): Promise<TerraformConfiguration> {
  const diagnostics: Diagnostic[] = [];
  const relative = (file: string): string => displayPath(options.scanRoot, file);
  const definitions = new Map<string, ModuleDefinition>();
  const readFiles: string[] = [];

  const loadDirectory = async (dir: string, files: readonly string[]): Promise<ModuleDefinition> => {
    const parsed: TerraformFile[] = [];
    for (const file of files) {
      readFiles.push(relative(file));
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        diagnostics.push(readError(relative(file), error));
        continue;
      }
      const result = await parseTerraformFile(file, relative(file), text);
      diagnostics.push(...result.diagnostics);
      if (result.file) parsed.push(result.file);
    }
    const definition = defineModule(dir, parsed);
    diagnostics.push(...definition.diagnostics);
    definitions.set(dir, definition);
    return definition;
  };

  const byDir = new Map<string, string[]>();
  for (const file of filePaths) {
    const dir = path.dirname(path.resolve(file));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path.resolve(file)]);
  }
  for (const [dir, files] of byDir) await loadDirectory(dir, files.sort());

  // Follow module calls to directories that were not among the scanned files, and to modules
  // `terraform init` downloaded into .terraform/modules.
  const called = new Set<string>();
  const manifests = new Map<string, Map<string, string>>();
  const pending = [...definitions.keys()];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const definition = definitions.get(dir)!;
    for (const call of definition.moduleCalls.values()) {
      const source = call.body.source;
      if (typeof source !== 'string') continue;
      const target = localModuleDir(dir, source) ?? manifestDirFor(manifests, dir, source);
      if (!target) continue;
      if (target !== dir) called.add(target);
      if (!definitions.has(target) && existsSync(target)) {
        await loadDirectory(target, terraformFilesIn(target));
        pending.push(target);
      }
    }
  }

  const host = new LoaderHost(definitions, manifests, options, diagnostics);
  const resources: ResourceInstance[] = [];
  for (const dir of byDir.keys()) {
    if (called.has(dir)) continue;
    const definition = definitions.get(dir)!;
    const rootValues = await readRootValues(definition, options, diagnostics, relative);
    const root = new ModuleInstance(host, definition, '', new Map(), new Map(), rootValues, dir, '');
    root.collectResources(resources);
  }
  return { resources, diagnostics, files: readFiles };
}


function readError(file: string, error: unknown): Diagnostic {
  return {
    severity: 'error',
    code: 'read-error',
    message: `could not read the file: ${error instanceof Error ? error.message : String(error)}`,
    location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
  };
}

/** The `.tf` and `.tf.json` files directly inside a directory. */
export function terraformFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))
      .slice(0, MAX_MODULE_FILES)
      .map((name) => path.join(dir, name))
      .filter((file) => statSync(file).isFile())
      .sort();
  } catch {
    return [];
  }
}

function localModuleDir(callerDir: string, source: string): string | undefined {
  if (!source.startsWith('./') && !source.startsWith('../')) return undefined;
  return path.resolve(callerDir, source);
}

/**
 * Finds a downloaded module through `.terraform/modules/modules.json` of the caller's directory or
 * its ancestors (root modules own the manifest). Matching is by source; keys differ per call path.
 */
function manifestDirFor(manifests: Map<string, Map<string, string>>, callerDir: string, source: string): string | undefined {
  for (let dir = callerDir; ; dir = path.dirname(dir)) {
    const manifest = readManifest(manifests, dir);
    const found = manifest.get(source);
    if (found) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readManifest(manifests: Map<string, Map<string, string>>, dir: string): Map<string, string> {
  const cached = manifests.get(dir);
  if (cached) return cached;
  const bySource = new Map<string, string>();
  const file = path.join(dir, '.terraform', 'modules', 'modules.json');
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Modules?: Array<{ Key?: string; Source?: string; Dir?: string }> };
    for (const entry of parsed.Modules ?? []) {
      if (entry.Key && entry.Source && entry.Dir) {
        const source = entry.Source.replace(/^registry\.terraform\.io\//, '');
        bySource.set(entry.Source, path.resolve(dir, entry.Dir));
        bySource.set(source, path.resolve(dir, entry.Dir));
      }
    }
  } catch {
    // No manifest (terraform init not run here), or unreadable: remote modules stay unresolved.
  }
  manifests.set(dir, bySource);
  return bySource;
}

class LoaderHost implements InstanceHost {
  private readonly instances = new Map<string, ResourceInstance>();

  constructor(
    private readonly definitions: ReadonlyMap<string, ModuleDefinition>,
    private readonly manifests: Map<string, Map<string, string>>,
    private readonly options: TerraformLoadOptions,
    private readonly diagnostics: Diagnostic[],
  ) {}

  resolveModule(caller: ModuleInstance, _name: string, source: string): ModuleDefinition | string {
    const dir = localModuleDir(caller.definition.dir, source) ?? manifestDirFor(this.manifests, caller.definition.dir, source);
    if (!dir) {
      return `module source "${source}" is remote and was not downloaded; run terraform init (gatewarden reads .terraform/modules) or scan a plan, otherwise its resources are not checked`;
    }
    const definition = this.definitions.get(dir);
    if (!definition || definition.files.length === 0) {
      return `module directory ${displayPath(this.options.scanRoot, dir)} has no readable Terraform files; its resources are not checked`;
    }
    return definition;
  }

  readFile(file: string): string | Unknown {
    const absolute = path.resolve(file);
    const rel = displayPath(this.options.scanRoot, absolute);
    const inside = this.options.readableRoots.some((root) => {
      const fromRoot = path.relative(path.resolve(root), absolute);
      return !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot);
    });
    // The scanned paths are a trust boundary: configuration may not make gatewarden read other files.
    if (!inside) return new Unknown(`file ${rel} is outside the scanned paths and was not read`);
    try {
      return readFileSync(absolute, 'utf8');
    } catch {
      return new Unknown(`file ${rel} could not be read`);
    }
  }

  registerInstance(instance: ResourceInstance): void {
    this.instances.set(instance.address, instance);
  }

  computedAttribute(instance: ResourceInstance, name: string): Value | undefined {
    const rule = this.options.computedAttributes?.get(instance.type);
    if (!rule) return undefined;
    return rule(name, {
      configured: (attribute) => instance.attribute(attribute),
      referenced: (value, attribute) => {
        if (!(value instanceof Unknown) || !value.ref) return undefined;
        return this.instances.get(value.ref.address)?.reference().get(attribute);
      },
    });
  }

  relativePath(file: string): string {
    return displayPath(this.options.scanRoot, file);
  }

  private readonly reported = new Set<string>();

  report(diagnostic: Diagnostic): void {
    // An attribute can be evaluated more than once (alone for a reference, then with its block).
    const key = `${diagnostic.code}|${diagnostic.message}|${diagnostic.location?.file}:${diagnostic.location?.startLine}:${diagnostic.location?.startColumn}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diagnostic);
  }
}

/** Collects root variable values: terraform.tfvars, *.auto.tfvars, then --var-file and --var. */
async function readRootValues(
  definition: ModuleDefinition,
  options: TerraformLoadOptions,
  diagnostics: Diagnostic[],
  relative: (file: string) => string,
): Promise<Map<string, InputValue>> {
  const values = new Map<string, InputValue>();
  const automatic = listTfvars(definition.dir);
  for (const file of [...automatic, ...(options.varFiles ?? []).map((f) => path.resolve(f))]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      diagnostics.push(readError(relative(file), error));
      continue;
    }
    const parsed = await parseTerraformFile(file, relative(file), text);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.file) continue;
    const tfvars = parsed.file;
    for (const [name, raw] of Object.entries(tfvars.body)) {
      if (!definition.variables.has(name)) continue;
      const value = tfvars.format === 'json' ? literalJson(raw) : evaluateStandalone(raw);
      values.set(name, { value, source: sourceAt('tfvars', tfvars, [name]) });
    }
  }
  for (const [name, text] of options.vars ?? []) {
    const variable = definition.variables.get(name);
    if (!variable) continue;
    const type = variable.body.type;
    const isString = type === undefined || type === '${string}';
    let value: Value = text;
    if (!isString) {
      try {
        value = evaluate(parseExpression(text), { lookup: () => undefined, readFile: () => new Unknown('not readable'), baseDir: definition.dir });
      } catch {
        value = text;
      }
    }
    values.set(name, { value, source: { kind: 'cli', location: { file: '(command line)', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } } });
  }
  return values;
}

/** terraform.tfvars(.json) first, then *.auto.tfvars(.json) in lexical order, as Terraform loads them. */
function listTfvars(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const auto = names.filter((name) => name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json')).sort();
  const fixed = ['terraform.tfvars', 'terraform.tfvars.json'].filter((name) => names.includes(name));
  return [...fixed, ...auto].map((name) => path.join(dir, name));
}

function literalJson(raw: RawValue): Value {
  return raw as Value;
}

/** Evaluates a tfvars value: constants only, so no names are in scope. */
function evaluateStandalone(raw: RawValue): Value {
  const scope = { lookup: () => undefined, readFile: () => new Unknown('files are not read from tfvars'), baseDir: '.' };
  const convert = (value: RawValue): Value => {
    if (typeof value === 'string') {
      try {
        return evaluate(parseTemplateValue(value), scope);
      } catch {
        return new Unknown('a tfvars value could not be evaluated');
      }
    }
    if (Array.isArray(value)) return value.map(convert);
    if (isRawObject(value)) {
      const out: ValueObject = {};
      for (const [key, item] of Object.entries(value)) setKey(out, key, convert(item));
      return out;
    }
    return value;
  };
  return convert(raw);
}
