import { lineLocation, type SourceLocation } from '../../model/location.js';
import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import { Unknown } from '../../model/unknown.js';
import { evaluate } from './expression/evaluate.js';
import { parseExpression, parseTemplateValue } from './expression/parse.js';
import { setKey, type Value, type ValueObject } from '../view/value.js';
import { startEvaluationBudget } from './expression/value.js';
import { displayPath } from '../paths.js';
import { hclErrorDiagnostics, isJsonFile, parseJsonFile, type ParsedFile, type RawObject, type RawValue, type TerraformFile } from './files.js';
import { openHclParser, type HclResult } from './hcl-parser.js';
import { scanHclPositions } from './hcl-scanner.js';
import type { PositionIndex } from '../view/positions.js';
import { ModuleInstance, sourceAt, type ComputedAttributeRule, type InputValue, type InstanceHost, type ModuleProblem, type ResourceInstance } from './instance.js';
import { outsideMessage, refusalDiagnostic, type FileAccess } from '../file-access.js';
import { internalErrorDiagnostic } from '../internal-error.js';
import { DEFAULT_LIMITS, limitDiagnostic, type Limits } from '../../limits.js';
import { pushAll } from '../../arrays.js';
import { asBlocks, defineModule, isRawObject, type ModuleDefinition } from './module-definition.js';
import { isTemplateFileRendered, renderTemplateFile } from './template-provider.js';

/** How to read a Terraform tree: where it is, and the variable values a user supplies. */
export interface TerraformLoadOptions {
  /** Paths in output are relative to this directory. */
  readonly scanRoot: string;
  /**
   * How files are read: every Terraform file, tfvars, module manifest and module directory, and what
   * `file()`, `templatefile()` and `fileexists()` name, stays inside its roots.
   */
  readonly access: FileAccess;
  /**
   * Root module directories read only to place a plan's findings on `.tf` lines (the plan has the
   * values): a module of theirs outside the roots costs locations, not results, so it is a warning.
   */
  readonly locationOnlyRoots?: ReadonlySet<string>;
  /** The limits in force (`instances`, `depth` and `hcl-parse-time` for each file); the defaults when absent. */
  readonly limits?: Pick<Limits, 'instances' | 'entities' | 'evaluation-steps' | 'depth' | 'hcl-parse-time'>;
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
  /**
   * Files the configuration reads (`file()`, `templatefile()`, `filebase64()`), absolute. Grows with
   * evaluation: a document read this way is scanned as part of its resource, not again on its own.
   */
  readonly embeddedFiles: ReadonlySet<string>;
}

const MAX_MODULE_FILES = 5_000;

/**
 * Reads Terraform files into resource instances, ready to evaluate. Directories are modules; a
 * directory called by another through a local `source` is evaluated only through its callers (with
 * their inputs), every other directory is a root module with its own tfvars.
 *
 * HCL parsing runs on a worker thread (see hcl-parser.ts). Files are handed to it root by root, the
 * modules a root calls first (found by a quick text search before anything is parsed), so that
 * `onRoot` (evaluation and adaptation) runs for one root while the parser is busy with the next. Which
 * directories are roots is then decided exactly, from the `module` blocks found by the position index.
 */
export async function loadTerraform(
  filePaths: readonly string[],
  options: TerraformLoadOptions,
  onRoot?: (resources: readonly ResourceInstance[], isRejected: () => boolean) => void,
): Promise<TerraformConfiguration> {
  const diagnostics: Diagnostic[] = [];
  const relative = (file: string): string => displayPath(options.scanRoot, file);
  const readFiles: string[] = [];
  const access = options.access;
  const stepLimit = options.limits?.['evaluation-steps'] ?? DEFAULT_LIMITS['evaluation-steps'];
  const parser = await openHclParser();
  try {
    const jobs = new Map<string, FileJob[]>();
    const readDirectory = (dir: string, files: readonly string[]): void => {
      jobs.set(dir, files.map((file) => readJob(file, relative(file), readFiles, access, options.limits)));
    };
    const byDir = new Map<string, string[]>();
    for (const file of filePaths) {
      const absolute = path.resolve(file);
      const list = byDir.get(path.dirname(absolute));
      if (list) list.push(absolute);
      else byDir.set(path.dirname(absolute), [absolute]);
    }
    for (const [dir, files] of byDir) readDirectory(dir, files.sort());

    // Modules first: a cheap guess at the call graph orders the parser's queue, so that each root's
    // modules are parsed before it and the parser starts before positions are indexed.
    const manifests = new Map<string, Map<string, string>>();
    const graph = (exact: boolean): { calls: Map<string, string[]>; called: Set<string> } => {
      const calls = new Map<string, string[]>();
      const called = new Set<string>();
      const queue = [...jobs.keys()];
      while (queue.length > 0) {
        const dir = queue.shift()!;
        const targets: string[] = [];
        for (const source of (jobs.get(dir) ?? []).flatMap((job) => (exact ? moduleSources(job) : job.guessedSources))) {
          const target = localModuleDir(dir, source) ?? manifestDirFor(manifests, dir, source, access);
          if (!target || target === dir) continue;
          targets.push(target);
          called.add(target);
          // A module outside the roots is not read (the call reports it); nor is one that does not exist.
          if (!jobs.has(target) && access.isDirectory(target)) {
            readDirectory(target, terraformFilesIn(target, access));
            queue.push(target);
          }
        }
        calls.set(dir, targets);
      }
      return { calls, called };
    };
    const closureOf = (root: string, calls: ReadonlyMap<string, readonly string[]>): string[] => {
      const order: string[] = [];
      const visit = (dir: string): void => {
        if (order.includes(dir)) return;
        order.push(dir);
        for (const target of calls.get(dir) ?? []) visit(target);
      };
      visit(root);
      return order.reverse();
    };
    const submit = (job: FileJob): void => {
      if (job.text !== undefined && job.format === 'hcl' && job.parsing === undefined) job.parsing = parser.parse(job.rel, job.text, { ...options.limits, ...(job.depthLimit !== undefined ? { depth: job.depthLimit } : {}) });
    };
    const guess = graph(false);
    const varFiles = (options.varFiles ?? []).map((file) => readJob(path.resolve(file), relative(path.resolve(file)), readFiles, access, options.limits));
    const tfvarsByRoot = new Map<string, FileJob[]>();
    const tfvarsOf = (root: string): FileJob[] => {
      let tfvars = tfvarsByRoot.get(root);
      if (!tfvars) {
        tfvars = listTfvars(root, access).map((file) => readJob(file, relative(file), readFiles, access, options.limits));
        tfvarsByRoot.set(root, tfvars);
      }
      return tfvars;
    };
    for (const root of [...byDir.keys()].filter((dir) => !guess.called.has(dir))) {
      for (const dir of closureOf(root, guess.calls)) (jobs.get(dir) ?? []).forEach(submit);
      tfvarsOf(root).forEach(submit);
      varFiles.forEach(submit);
    }
    for (const dirJobs of jobs.values()) dirJobs.forEach(submit);
    varFiles.forEach(submit);

    // While the parser works: positions, and from them the exact call graph.
    const exact = graph(true);
    for (const dirJobs of jobs.values()) {
      dirJobs.forEach(indexPositions);
      dirJobs.forEach(submit);
    }
    const roots = [...byDir.keys()].filter((dir) => !exact.called.has(dir));
    const closures = new Map(roots.map((root) => [root, closureOf(root, exact.calls)] as const));
    for (const root of roots) tfvarsOf(root).forEach(submit);

    const definitions = new Map<string, ModuleDefinition>();
    const define = async (dir: string): Promise<void> => {
      if (definitions.has(dir)) return;
      const parsed: TerraformFile[] = [];
      for (const job of jobs.get(dir) ?? []) {
        const result = await finishJob(job);
        pushAll(diagnostics, result.diagnostics);
        if (result.file) parsed.push(result.file);
      }
      const definition = defineModule(dir, parsed);
      pushAll(diagnostics, definition.diagnostics);
      definitions.set(dir, definition);
    };

    const host = new LoaderHost(definitions, manifests, options, diagnostics, options.limits?.instances ?? DEFAULT_LIMITS.instances, options.limits?.entities ?? DEFAULT_LIMITS.entities);
    const resources: ResourceInstance[] = [];
    const parsedVarFiles: ParsedFile[] = [];
    for (const job of varFiles) parsedVarFiles.push(await finishJob(job));
    parsedVarFiles.forEach((parsed) => pushAll(diagnostics, parsed.diagnostics));
    for (const root of roots) {
      for (const dir of closures.get(root)!) await define(dir);
      const tfvars: ParsedFile[] = [];
      for (const job of tfvarsByRoot.get(root) ?? []) {
        const parsed = await finishJob(job);
        pushAll(diagnostics, parsed.diagnostics);
        tfvars.push(parsed);
      }
      const definition = definitions.get(root)!;
      // One root that makes the evaluator fail in a way nobody foresaw must not lose the others.
      try {
        startEvaluationBudget(stepLimit);
        const rootValues = readRootValues(definition, [...tfvars, ...parsedVarFiles], options);
        const instance = new ModuleInstance(host, definition, '', new Map(), new Map(), rootValues, root, '');
        const rootResources: ResourceInstance[] = [];
        instance.collectResources(rootResources);
        pushAll(resources, rootResources);
        onRoot?.(rootResources, () => host.rejectedRoots.has(root));
      } catch (error) {
        diagnostics.push(internalErrorDiagnostic(`the Terraform root module ${relative(root)}`, error, lineLocation(relative(root), 1)));
      }
    }
    for (const dir of jobs.keys()) await define(dir);
    return { resources, diagnostics, files: readFiles, embeddedFiles: host.embeddedFiles };
  } finally {
    // Values evaluated later (lazily, by whoever reads them) get a budget of their own.
    startEvaluationBudget(stepLimit);
    await parser.close();
  }
}

/**
 * A file read from disk: for HCL, the parse under way once handed to the parser and the positions
 * indexed meanwhile; `.tf.json` is parsed on reading.
 */
interface FileJob {
  readonly file: string;
  readonly rel: string;
  readonly format: 'hcl' | 'json';
  readonly text?: string;
  /** Why the file was not read. */
  readonly error?: Diagnostic;
  positions?: PositionIndex;
  readonly json?: ParsedFile;
  /** Module sources found by a quick text search, for ordering the parser's queue only. */
  readonly guessedSources: readonly string[];
  parsing?: Promise<HclResult>;
  /** The `depth` limit the file is read within. */
  readonly depthLimit?: number;
}

function readJob(file: string, rel: string, readFiles: string[], access: FileAccess, limits: Pick<Limits, 'depth'> = DEFAULT_LIMITS): FileJob {
  readFiles.push(rel);
  const format = isJsonFile(file) ? 'json' : 'hcl';
  const read = access.read(file);
  if (!read.ok) return { file, rel, format, error: refusalDiagnostic(read, lineLocation(rel, 1), access), guessedSources: [] };
  const text = read.text;
  // Each reader measures the nesting before it recurses: parseJsonFile here, the HCL parser thread and
  // the position scanner for HCL (both given the limit).
  if (format === 'json') {
    const json = parseJsonFile(file, rel, text, limits);
    return { file, rel, format, text, json, guessedSources: json.file ? moduleSourcesOfBody(json.file.body) : [], depthLimit: limits.depth };
  }
  return { file, rel, format, text, guessedSources: guessModuleSources(text), depthLimit: limits.depth };
}

/** Indexes an HCL file's positions (once). */
function indexPositions(job: FileJob): void {
  if (job.format === 'hcl' && job.text !== undefined && job.positions === undefined) job.positions = scanHclPositions(job.rel, job.text, job.depthLimit);
}

/** The exact module sources of a file: from its positions (HCL) or its parsed body (JSON). */
function moduleSources(job: FileJob): readonly string[] {
  if (job.json) return job.json.file ? moduleSourcesOfBody(job.json.file.body) : [];
  indexPositions(job);
  return job.text !== undefined && job.positions ? moduleSourcesOfText(job.text, job.positions) : [];
}

// Only orders the parser's queue; a wrong guess costs time, never correctness.
const MODULE_SOURCE_GUESS = /\bmodule\s+"[^"\n]*"\s*\{[\s\S]*?\bsource\s*=\s*"([^"\n]+)"/g;

function guessModuleSources(text: string): string[] {
  return [...text.matchAll(MODULE_SOURCE_GUESS)].map((match) => match[1]!);
}

async function finishJob(job: FileJob): Promise<ParsedFile> {
  if (job.text === undefined) return { diagnostics: job.error ? [job.error] : [] };
  if (job.json) return job.json;
  indexPositions(job);
  const result = await (job.parsing ?? Promise.resolve<HclResult>({ error: 'the file was never handed to the parser' }));
  if ('error' in result) return { diagnostics: hclErrorDiagnostics(job.rel, result.error) };
  return { file: { path: job.file, relPath: job.rel, format: 'hcl', body: result.body, positions: job.positions! }, diagnostics: [] };
}

/** `source = "..."` of every `module` block, read through the position index (literal strings only). */
function moduleSourcesOfText(text: string, positions: PositionIndex): string[] {
  const sources: string[] = [];
  for (const path of positions.paths()) {
    if (path.length !== 3 || path[0] !== 'module' || path[2] !== 'source') continue;
    const range = positions.rangeOf(path);
    const literal = range ? /=\s*"([^"$%]*)"/.exec(text.slice(range[0], range[1])) : null;
    if (literal) sources.push(literal[1]!);
  }
  return sources;
}

function moduleSourcesOfBody(body: RawObject): string[] {
  return asBlocks(body.module).flatMap((group) => Object.values(group).flatMap((call) => asBlocks(call).map((block) => block.source))).filter((source): source is string => typeof source === 'string');
}

/** Whether a file is Terraform configuration by its name: `.tf` or `.tf.json`. */
export function isTerraformFileName(file: string): boolean {
  return file.endsWith('.tf') || file.endsWith('.tf.json');
}

/** The `.tf` and `.tf.json` files directly inside a directory (files that lead outside the roots included: reading them reports it). */
export function terraformFilesIn(dir: string, access: FileAccess): string[] {
  return access
    .list(dir)
    .filter(isTerraformFileName)
    .slice(0, MAX_MODULE_FILES)
    .map((name) => path.join(dir, name))
    .filter((file) => !access.isDirectory(file));
}

function localModuleDir(callerDir: string, source: string): string | undefined {
  if (!source.startsWith('./') && !source.startsWith('../')) return undefined;
  return path.resolve(callerDir, source);
}

/**
 * Finds a downloaded module through `.terraform/modules/modules.json` of the caller's directory or
 * its ancestors (root modules own the manifest). Matching is by source; keys differ per call path.
 */
function manifestDirFor(manifests: Map<string, Map<string, string>>, callerDir: string, source: string, access: FileAccess): string | undefined {
  for (let dir = callerDir; ; dir = path.dirname(dir)) {
    // Above the roots there is nothing gatewarden may read, manifests included.
    if (!access.locate(dir).ok) return undefined;
    const manifest = readManifest(manifests, dir, access);
    const found = manifest.get(source);
    if (found) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readManifest(manifests: Map<string, Map<string, string>>, dir: string, access: FileAccess): Map<string, string> {
  const cached = manifests.get(dir);
  if (cached) return cached;
  const bySource = new Map<string, string>();
  const file = path.join(dir, '.terraform', 'modules', 'modules.json');
  try {
    const read = access.exists(file) === true ? access.read(file) : undefined;
    const parsed = (read?.ok ? JSON.parse(read.text) : {}) as { Modules?: Array<{ Key?: string; Source?: string; Dir?: string }> };
    for (const entry of Array.isArray(parsed?.Modules) ? parsed.Modules : []) {
      if (typeof entry?.Key === 'string' && typeof entry.Source === 'string' && typeof entry.Dir === 'string' && entry.Key && entry.Source && entry.Dir) {
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
    readonly instanceLimit: number,
    private readonly entityLimit: number,
  ) {}

  private instancesMade = 0;
  private instancesReported = false;

  takeInstances(wanted: number, location: SourceLocation, address: string): number {
    const allowed = Math.max(0, Math.min(wanted, this.entityLimit - this.instancesMade));
    this.instancesMade += allowed;
    if (allowed < wanted && !this.instancesReported) {
      this.instancesReported = true;
      this.report(
        limitDiagnostic({
          name: 'entities',
          limit: this.entityLimit,
          what: `the configuration expands to more than ${this.entityLimit.toLocaleString('en-US')} resource and module instances (counts multiplied through modules); ${address} and what comes after it were not checked`,
          location,
          address,
        }),
      );
    }
    return allowed;
  }

  resolveModule(caller: ModuleInstance, _name: string, source: string): ModuleDefinition | ModuleProblem {
    const dir = localModuleDir(caller.definition.dir, source) ?? manifestDirFor(this.manifests, caller.definition.dir, source, this.options.access);
    if (!dir) {
      return {
        severity: 'warning',
        code: 'not-scanned',
        message: `module source "${source}" is remote and was not downloaded; run terraform init (gatewarden reads .terraform/modules) or scan a plan, otherwise its resources are not checked`,
      };
    }
    const located = this.options.access.locate(dir);
    if (!located.ok && located.refusal === 'outside-roots') {
      if (this.options.locationOnlyRoots?.has(caller.rootDir)) {
        return { severity: 'warning', code: 'outside-roots', message: `module ${located.message}; the plan's findings in it point at the plan rather than at .tf lines` };
      }
      return { severity: 'error', code: 'outside-roots', message: `module ${located.message}; its resources are not checked` };
    }
    const definition = this.definitions.get(dir);
    if (!definition || definition.files.length === 0) {
      return { severity: 'warning', code: 'not-scanned', message: `module directory ${displayPath(this.options.scanRoot, dir)} has no readable Terraform files; its resources are not checked` };
    }
    return definition;
  }

  /** Files read with `file()`, `templatefile()` and the like (absolute), as evaluation meets them. */
  readonly embeddedFiles = new Set<string>();

  readFile(file: string, at?: SourceLocation, as: 'text' | 'base64' = 'text'): string | Unknown {
    const absolute = path.resolve(file);
    const rel = displayPath(this.options.scanRoot, absolute);
    // The scanned paths are a trust boundary: configuration may not make gatewarden read other files.
    const read = this.options.access.read(absolute, { as });
    if (!read.ok) {
      if (read.refusal !== 'not-found') this.report(refusalDiagnostic(read, at ?? lineLocation(rel, 1), this.options.access, 'a file the configuration reads'));
      return new Unknown(read.refusal === 'not-found' ? `file ${rel} does not exist` : read.refusal === 'outside-roots' ? `file ${rel} is outside the scanned paths and was not read` : `file ${rel} could not be read`);
    }
    this.embeddedFiles.add(absolute);
    return read.text;
  }

  fileExists(file: string, at?: SourceLocation): boolean | Unknown {
    const absolute = path.resolve(file);
    const exists = this.options.access.exists(absolute);
    if (typeof exists === 'boolean') return exists;
    const shown = displayPath(this.options.scanRoot, absolute);
    const refusal = exists.refusal === 'outside-roots' ? { ...exists, message: outsideMessage(shown, absolute, exists.realPath ?? absolute, 'looked at', (file) => displayPath(this.options.scanRoot, file)) } : exists;
    this.report(refusalDiagnostic(refusal, at ?? lineLocation(shown, 1), this.options.access, 'fileexists() asks about a file'));
    return new Unknown(`whether ${displayPath(this.options.scanRoot, absolute)} exists is not looked at: it is outside the scanned paths`);
  }

  registerInstance(instance: ResourceInstance): void {
    this.instances.set(instance.address, instance);
  }

  computedAttribute(instance: ResourceInstance, name: string): Value | undefined {
    if (isTemplateFileRendered(instance.mode, instance.type, name)) return renderTemplateFile(instance.attribute('template'), instance.attribute('vars'), instance.module);
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

  private readonly completeness = new Map<string, boolean>();

  isModuleComplete(dir: string): boolean {
    let complete = this.completeness.get(dir);
    if (complete === undefined) {
      const read = new Set((this.definitions.get(dir)?.files ?? []).map((file) => path.resolve(file.path)));
      complete = read.size > 0 && terraformFilesIn(dir, this.options.access).every((file) => read.has(path.resolve(file)));
      this.completeness.set(dir, complete);
    }
    return complete;
  }

  /** Root module directories Terraform rejects (an undeclared reference): none of their resources is checked. */
  readonly rejectedRoots = new Set<string>();

  rejectRoot(rootDir: string, diagnostic: Diagnostic): void {
    this.rejectedRoots.add(rootDir);
    this.report(diagnostic);
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
function readRootValues(definition: ModuleDefinition, tfvarsFiles: readonly ParsedFile[], options: TerraformLoadOptions): Map<string, InputValue> {
  const values = new Map<string, InputValue>();
  for (const parsed of tfvarsFiles) {
    if (!parsed.file) continue;
    const tfvars = parsed.file;
    for (const [name, raw] of Object.entries(tfvars.body)) {
      if (!definition.variables.has(name)) continue;
      const value = tfvars.format === 'json' ? literalJson(raw) : evaluateStandalone(raw);
      values.set(name, { value, source: sourceAt('tfvars', tfvars, [name]), written: { raw, file: tfvars, path: [name] } });
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
        value = evaluate(parseExpression(text), { lookup: () => undefined, readFile: () => new Unknown('not readable'), fileExists: () => new Unknown('not looked at'), baseDir: definition.dir });
      } catch {
        value = text;
      }
    }
    values.set(name, { value, source: { kind: 'cli', location: lineLocation('(command line)', 1) } });
  }
  return values;
}

/** terraform.tfvars(.json) first, then *.auto.tfvars(.json) in lexical order, as Terraform loads them. */
function listTfvars(dir: string, access: FileAccess): string[] {
  const names = access.list(dir);
  const auto = names.filter((name) => name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json')).sort();
  const fixed = ['terraform.tfvars', 'terraform.tfvars.json'].filter((name) => names.includes(name));
  return [...fixed, ...auto].map((name) => path.join(dir, name));
}

function literalJson(raw: RawValue): Value {
  return raw as Value;
}

/** Evaluates a tfvars value: constants only, so no names are in scope. */
function evaluateStandalone(raw: RawValue): Value {
  const scope = { lookup: () => undefined, readFile: () => new Unknown('files are not read from tfvars'), fileExists: () => new Unknown('files are not looked at from tfvars'), baseDir: '.' };
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
