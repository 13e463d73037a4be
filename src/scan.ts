import path from 'node:path';
import { ARM_ADAPTERS, CLOUDFORMATION_ADAPTERS, TERRAFORM_ADAPTERS, adaptOpenApiDocument, type OpenApiDocumentInput } from '../providers/index.js';
import { armParameters, looksLikeArmParameterFile } from './sources/arm/parameters.js';
import { loadArmTemplate } from './sources/arm/resources.js';
import { LARGE_DOCUMENT_BYTES } from './sources/openapi/detect.js';
import { isTextDocumentError, parseTextDocument } from './sources/openapi/document.js';
import { parseArmTemplate } from './sources/arm/template.js';
import { cfnParameters, readStacks } from './sources/cloudformation/read.js';
import { excludeMatcher } from './config/apply.js';
import type { LoadedConfig } from './config/load.js';
import { evaluatePolicies } from './engine/evaluate.js';
import { configSuppressions, loadPolicySet, resolveLimits, withBaseline } from './settings.js';
import { GatewardenError } from './errors.js';
import type { Diagnostic } from './model/diagnostic.js';
import { lineLocation } from './model/location.js';
import type { Entity } from './model/entities.js';
import type { Inventory } from './model/inventory.js';
import { buildReport, type ScanReport } from './report/report.js';
import { discover } from './sources/discover.js';
import { SourceTexts } from './sources/source-texts.js';
import { commentSyntaxOf, findIgnoreComments, type CommentSuppression } from './sources/suppressions/comments.js';
import { displayPath } from './sources/paths.js';
import type { ComputedAttributeRule, ResourceInstance } from './sources/terraform/instance.js';
import { loadTerraform, terraformFilesIn } from './sources/terraform/load.js';
import { internalErrorDiagnostic } from './sources/internal-error.js';
import { FileAccess, isDirectoryPath, unreadFileDiagnostic } from './sources/file-access.js';
import { pushAll } from './arrays.js';
import { limitDiagnostic } from './limits.js';
import { loadPlan } from './sources/terraform/plan.js';
import type { ResourceView } from './sources/view/resource-view.js';
import { version } from './version.js';
import type { Limits } from './limits.js';

/** What to scan and how. */
export interface ScanOptions {
  /** Files or directories; relative paths resolve against `cwd`. Defaults to `cwd`. */
  readonly paths?: readonly string[];
  /** The scan root: output paths are relative to it. */
  readonly cwd: string;
  /** `--var name=value` for root Terraform modules. */
  readonly vars?: ReadonlyMap<string, string>;
  /** `--var-file` paths. */
  readonly varFiles?: readonly string[];
  /** Extra policy directories (`--policies`). */
  readonly policyDirs?: readonly string[];
  /** Skip the built-in policies (for testing a user's own policies alone). */
  readonly builtInPolicies?: boolean;
  /**
   * The Terraform source of the plans scanned (`--source-dir`), for mapping findings back to `.tf`
   * lines. Defaults to each plan's own directory.
   */
  readonly sourceDir?: string;
  /** CloudFormation parameter values (`--parameter Name=Value`), for every template scanned. */
  readonly parameters?: ReadonlyMap<string, string>;
  /** CloudFormation parameter files (`--parameter-file`), as the AWS CLI or CodePipeline write them. */
  readonly parameterFiles?: readonly string[];
  /** The date suppressions' `until` is compared with; today by default (tests pin it). */
  readonly today?: Date;
  /**
   * A baseline file (`--baseline`): its findings are marked `baselined` and do not fail the run.
   * Relative paths resolve against `cwd`.
   */
  readonly baseline?: string;
  /**
   * A loaded `.gatewarden.yaml`: its policies, excludes, variables, parameters, suppressions and
   * baseline apply; options given here (from the command line) add to its lists and win over its values.
   */
  readonly config?: LoadedConfig;
  /** Glob patterns of paths not scanned, relative to `cwd` (`--exclude`). */
  readonly exclude?: readonly string[];
  /**
   * Directories outside the scan paths that may be read too (`--allow-read`): modules, templates and
   * files the scanned configuration names there. Only the command line can widen the boundary; the
   * config file is part of the scanned input.
   */
  readonly allowRead?: readonly string[];
  /** Limits set on the command line (`--limit`); they win over the config file's `limits:`. */
  readonly limits?: Partial<Limits>;
  /** Progress callback (the CLI shows it on a terminal). */
  readonly onProgress?: (message: string) => void;
}

/**
 * Reads the scan paths into the common model: discovers files, loads Terraform (resolving variables,
 * modules and references) and runs the provider adapters. Throws {@link GatewardenError} only for
 * usage problems (a path that does not exist); every problem inside the input is a diagnostic.
 */
export async function readInventory(options: ScanOptions): Promise<Inventory> {
  const merged = withConfig(options);
  return inventoryOf(merged, scanFileAccess(merged));
}

/** The file access of a scan: its roots, the `file-size` limit, paths shown relative to `cwd`. */
function scanFileAccess(options: ScanOptions): FileAccess {
  const cwd = path.resolve(options.cwd);
  return new FileAccess({ roots: scanRoots(options, cwd), limits: resolveLimits(options), display: (file) => displayPath(cwd, file) });
}

/** {@link readInventory} with the config file already folded into the options. */
async function inventoryOf(options: ScanOptions, access: FileAccess): Promise<Inventory> {
  const cwd = path.resolve(options.cwd);
  const targets = scanTargets(options);
  const config = options.config?.config;
  const limits = resolveLimits(options);
  const relative = (file: string): string => displayPath(cwd, file);
  const excludedByConfig = config ? excludeMatcher(config) : () => false;
  const excludedByFlag = excludeMatcher({ dir: cwd, exclude: options.exclude ?? [] });
  const discovery = discover(targets, cwd, (file) => excludedByConfig(file) || excludedByFlag(file), access);
  if (discovery.missing.length > 0) {
    throw new GatewardenError('path-not-found', `cannot scan ${discovery.missing.map((p) => `"${p}"`).join(', ')}: no such file or directory`);
  }
  const diagnostics: Diagnostic[] = discovery.unsupported.map((file) => ({
    severity: 'warning',
    code: 'not-scanned',
    message: `${file.path} was skipped: ${file.hint ?? 'it is not a format gatewarden reads (Terraform .tf or .tf.json, a plan from terraform show -json, a CloudFormation/SAM template, a cdk.out directory, an ARM template or an OpenAPI document)'}`,
  }));
  pushAll(diagnostics, discovery.diagnostics);

  options.onProgress?.(`reading ${discovery.files.length} files`);
  const computedAttributes = new Map<string, ComputedAttributeRule>();
  for (const adapter of TERRAFORM_ADAPTERS) for (const [type, rule] of adapter.computedAttributes) computedAttributes.set(type, rule);
  const entities = new EntityCollector(limits.entities);
  /** Runs one file's (or one root's) reading; a failure nobody foresaw costs that part only. */
  const guarded = (what: string, file: string, work: () => void): void => {
    try {
      work();
    } catch (error) {
      diagnostics.push(internalErrorDiagnostic(what, error, lineLocation(relative(file), 1)));
    }
  };
  const adapt = (resources: readonly ResourceView[], idPrefix: string): void => {
    for (const adapter of TERRAFORM_ADAPTERS) {
      const handled = resources.filter((resource) => adapter.handles(resource.type));
      if (handled.length === 0) continue;
      // Evaluate before adapting: adapters are pure and must not trigger file reads through lazy values.
      for (const resource of handled) void resource.values;
      const result = adapter.adapt(handled, idPrefix);
      entities.add(result.entities);
      pushAll(diagnostics, result.diagnostics);
    }
  };

  // A plan supersedes the Terraform root it was made from: that root is read only to map the plan's
  // findings back to .tf lines, not scanned a second time.
  const plans = discovery.files.filter((file) => file.kind === 'terraform-plan').map((file) => file.path);
  const sourceOf = (plan: string): string => (options.sourceDir ? path.resolve(cwd, options.sourceDir) : path.dirname(plan));
  const sourceRoots = new Set(plans.map((plan) => relative(sourceOf(plan))));
  const sourceInstances = new Map<string, Map<string, ResourceInstance>>();
  const terraformFiles = discovery.files.filter((file) => file.kind === 'terraform').map((file) => file.path);
  for (const plan of plans) {
    const dir = sourceOf(plan);
    if (!terraformFiles.some((file) => path.dirname(file) === dir)) pushAll(terraformFiles, terraformFilesIn(dir, access));
  }

  // Each root module is evaluated and adapted as soon as it is parsed, while the parser thread works
  // on the next one. Addresses are unique only within a root, so adapters see one root at a time.
  const onRoot = (rootResources: readonly ResourceInstance[]): void => {
    const root = rootResources[0]?.rootModule;
    if (root === undefined) return;
    if (sourceRoots.has(root)) sourceInstances.set(root, new Map(rootResources.map((resource) => [resource.address, resource])));
    else guarded(`the Terraform root module ${root}`, path.resolve(cwd, root), () => adapt(rootResources, root === '.' ? '' : root));
  };
  const terraform = await loadTerraform(
    terraformFiles,
    {
      scanRoot: cwd,
      access,
      limits,
      locationOnlyRoots: new Set(plans.map(sourceOf)),
      ...(options.vars ? { vars: options.vars } : {}),
      ...(options.varFiles ? { varFiles: options.varFiles.map((file) => path.resolve(cwd, file)) } : {}),
      computedAttributes,
    },
    onRoot,
  );

  const files = [...terraform.files];
  const plansPerRoot = new Map<string, number>();
  for (const plan of plans) plansPerRoot.set(relative(sourceOf(plan)), (plansPerRoot.get(relative(sourceOf(plan))) ?? 0) + 1);
  for (const plan of plans) {
    options.onProgress?.(`reading the plan ${relative(plan)}`);
    files.push(relative(plan));
    const read = access.read(plan);
    if (!read.ok) {
      diagnostics.push(unreadFileDiagnostic(read, plan, access));
      continue;
    }
    guarded('the plan', plan, () => {
      const root = relative(sourceOf(plan));
      const source = sourceInstances.get(root);
      const result = loadPlan(read.text, {
        relPath: relative(plan),
        rootModule: root,
        include: (type) => TERRAFORM_ADAPTERS.some((adapter) => adapter.handles(type)),
        ...(source ? { source: (address: string) => source.get(address) } : {}),
        limits,
      });
      pushAll(diagnostics, result.diagnostics);
      // Several plans of one root (one per workspace, say) keep apart by the plan's own path.
      adapt(result.resources, plansPerRoot.get(root)! > 1 ? relative(plan) : root === '.' ? '' : root);
    });
  }
  const parameterFiles = splitParameterFiles(options.parameterFiles ?? [], cwd, access);
  const templates = discovery.files.filter((file) => file.kind === 'cloudformation').map((file) => file.path);
  if (templates.length > 0) {
    options.onProgress?.(`reading ${templates.length} CloudFormation templates`);
    const stacks = readStacks(templates, relative, cfnParameters({ ...options, parameterFiles: parameterFiles.cloudformation }, cwd, diagnostics, relative, access, limits), access, limits);
    pushAll(files, stacks.files);
    pushAll(diagnostics, stacks.diagnostics);
    for (const stack of stacks.stacks) {
      guarded('the template', path.resolve(cwd, stack.file), () => {
        for (const adapter of CLOUDFORMATION_ADAPTERS) {
          const result = adapter.adapt(stack.resources, stack.file);
          entities.add(result.entities);
          pushAll(diagnostics, result.diagnostics);
        }
      });
    }
  }
  const armTemplates = discovery.files.filter((file) => file.kind === 'arm').map((file) => file.path);
  if (armTemplates.length > 0) {
    options.onProgress?.(`reading ${armTemplates.length} ARM templates`);
    const parameters = armParameters({ ...options, parameterFiles: parameterFiles.arm }, cwd, diagnostics, relative, access, limits);
    for (const file of armTemplates) {
      files.push(relative(file));
      const read = access.read(file);
      if (!read.ok) {
        diagnostics.push(unreadFileDiagnostic(read, file, access));
        continue;
      }
      guarded('the template', file, () => {
        const parsed = parseArmTemplate(relative(file), read.text, limits);
        pushAll(diagnostics, parsed.diagnostics);
        if (!parsed.template) return;
        const loaded = loadArmTemplate(parsed.template, { parameters, limits });
        pushAll(diagnostics, loaded.diagnostics);
        for (const adapter of ARM_ADAPTERS) {
          const result = adapter.adapt(loaded.resources, relative(file));
          entities.add(result.entities);
          pushAll(diagnostics, result.diagnostics);
        }
      });
    }
  }
  // After every other source: an OpenAPI document a configuration reads (`file()`) is scanned as part
  // of its resource, and only documents nothing reads are scanned on their own.
  const documents = discovery.files.filter((file) => file.kind === 'openapi' && !terraform.embeddedFiles.has(path.resolve(file.path))).map((file) => file.path);
  for (const file of documents) {
    files.push(relative(file));
    guarded('the OpenAPI document', file, () => {
      const result = readOpenApiFile(file, relative(file), access, limits);
      pushAll(diagnostics, result.diagnostics);
      if (!result.document) return;
      // Entity ids already carry the file.
      const adapted = adaptOpenApiDocument(result.document, '');
      entities.add(adapted.entities);
      pushAll(diagnostics, adapted.diagnostics);
    });
  }
  // Read last: evaluation is lazy, so adapters reading values add diagnostics to the loader's list.
  pushAll(diagnostics, terraform.diagnostics);
  if (entities.dropped > 0) {
    diagnostics.push(
      limitDiagnostic({
        name: 'entities',
        limit: limits.entities,
        found: limits.entities + entities.dropped,
        what: `the scan found ${(limits.entities + entities.dropped).toLocaleString('en-US')} entities; the last ${entities.dropped.toLocaleString('en-US')} were not checked`,
      }),
    );
  }
  return { entities: entities.list, diagnostics, files };
}

/**
 * Collects the entities of a scan up to the `entities` limit; the ones past it are counted, so the
 * report can say how many were not checked.
 */
class EntityCollector {
  readonly list: Entity[] = [];
  dropped = 0;

  constructor(private readonly limit: number) {}

  add(entities: readonly Entity[]): void {
    for (const entity of entities) {
      if (this.list.length < this.limit) this.list.push(entity);
      else this.dropped++;
    }
  }
}

/**
 * The directories (and files) a scan may read under: each scan path (a file stands for its
 * directory, so that its modules and templates beside it resolve), `--allow-read` directories, the
 * plans' source directory, and the variable and parameter files named on the command line or in the
 * config file (whose own paths the config loader keeps inside the repository).
 */
function scanRoots(options: ScanOptions, cwd: string): string[] {
  const roots: string[] = [];
  for (const target of scanTargets(options)) {
    const full = path.resolve(cwd, target);
    roots.push(isDirectoryPath(full) ? full : path.dirname(full));
  }
  for (const dir of options.allowRead ?? []) roots.push(path.resolve(cwd, dir));
  if (options.sourceDir !== undefined) roots.push(path.resolve(cwd, options.sourceDir));
  for (const file of [...(options.varFiles ?? []), ...(options.parameterFiles ?? [])]) roots.push(path.resolve(cwd, file));
  return roots;
}


/** Reads and parses an OpenAPI document found on its own; problems are diagnostics at their lines. */
function readOpenApiFile(file: string, rel: string, access: FileAccess, limits: Limits): { document?: OpenApiDocumentInput; diagnostics: Diagnostic[] } {
  const read = access.read(file);
  if (!read.ok) return { diagnostics: [unreadFileDiagnostic(read, file, access)] };
  const text = read.text;
  const diagnostics: Diagnostic[] = [];
  if (text.length > LARGE_DOCUMENT_BYTES) {
    diagnostics.push({ severity: 'warning', code: 'unsupported', message: `the OpenAPI document is ${(text.length / 1024 / 1024).toFixed(1)} MB; it is scanned, but a document this size is usually generated: scan its source if you can`, location: lineLocation(rel, 1) });
  }
  const parsed = parseTextDocument(text, limits);
  if (isTextDocumentError(parsed) && parsed.limit) {
    return { diagnostics: [...diagnostics, limitDiagnostic({ ...parsed.limit, location: lineLocation(rel, parsed.line ?? 1) })] };
  }
  if (isTextDocumentError(parsed)) {
    return { diagnostics: [...diagnostics, { severity: 'error', code: 'parse-error', message: `the OpenAPI document is neither valid JSON nor YAML (${parsed.error}); it was not scanned`, location: lineLocation(rel, parsed.line ?? 1) }] };
  }
  return {
    document: { file: rel, data: parsed.data, locate: (pointer) => lineLocation(rel, parsed.lineOf(pointer) ?? 1) },
    diagnostics,
  };
}

/**
 * Sorts `--parameter-file` files by the template language they are for: ARM parameter files
 * (`deploymentParameters.json` schema, `.bicepparam`) and CloudFormation ones (everything else), so
 * that neither reader misreads the other's format.
 */
function splitParameterFiles(files: readonly string[], cwd: string, access: FileAccess): { arm: string[]; cloudformation: string[] } {
  const arm: string[] = [];
  const cloudformation: string[] = [];
  for (const file of files) {
    // Unreadable files are reported by the reader they are given to.
    const head = access.head(path.resolve(cwd, file), 4096) ?? '';
    (file.endsWith('.bicepparam') || looksLikeArmParameterFile(head) ? arm : cloudformation).push(file);
  }
  return { arm, cloudformation };
}

/**
 * The `gatewarden:ignore` comments of the files entities and their fields are read from: a comment can
 * only ever cover a finding in one of those. JSON files have no comments and are not read again.
 */
function ignoreComments(entities: readonly Entity[], texts: SourceTexts): CommentSuppression[] {
  const files = new Set<string>();
  for (const entity of entities) {
    files.add(entity.location.file);
    for (const location of Object.values(entity.fieldLocations)) files.add(location.file);
  }
  const comments: CommentSuppression[] = [];
  for (const file of [...files].sort()) {
    if (commentSyntaxOf(file) === undefined) continue;
    const text = texts.text(file);
    if (text !== undefined) pushAll(comments, findIgnoreComments(file, text));
  }
  return comments;
}

/**
 * Folds the config file's inputs into the options: its lists come first and the options' are added,
 * its maps are overridden by the options' entries. Paths of the config file are absolute already, so
 * they resolve the same from any `cwd`. Policies and the baseline are taken from the config where
 * scan and audit share them (settings.ts).
 */
function withConfig(options: ScanOptions): ScanOptions {
  const config = options.config?.config;
  if (!config) return options;
  return {
    ...options,
    vars: new Map([...config.vars, ...(options.vars ?? [])]),
    varFiles: [...config.varFiles, ...(options.varFiles ?? [])],
    parameters: new Map([...config.parameters, ...(options.parameters ?? [])]),
    parameterFiles: [...config.parameterFiles, ...(options.parameterFiles ?? [])],
  };
}

function scanTargets(options: ScanOptions): readonly string[] {
  return options.paths && options.paths.length > 0 ? options.paths : ['.'];
}

/**
 * Scans infrastructure-as-code for API gateway security gaps: reads the inventory, evaluates the
 * policies and returns the report.
 */
export async function scan(given: ScanOptions): Promise<ScanReport> {
  const startedAt = new Date().toISOString();
  const options = withConfig(given);
  const cwd = path.resolve(options.cwd);
  const access = scanFileAccess(options);
  const inventory = await inventoryOf(options, access);
  const relative = (file: string): string => displayPath(cwd, file);
  const config = options.config?.config;
  const loaded = loadPolicySet({ ...options, cwd }, relative);
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);

  options.onProgress?.(`evaluating ${loaded.policies.length} policies on ${inventory.entities.length} entities`);
  const texts = new SourceTexts(cwd, access);
  const evaluation = await evaluatePolicies(inventory.entities, loaded.policies, {
    ...(options.today ? { today: options.today } : {}),
    limits: resolveLimits(options),
    lineText: (file, line) => texts.lineText(file, line),
    suppressions: {
      comments: ignoreComments(inventory.entities, texts),
      ...(config ? { external: configSuppressions(config, cwd, today) } : {}),
    },
  });
  const baselined = withBaseline(evaluation, { ...options, cwd }, relative);
  return buildReport({
    version: version(),
    scanRoot: cwd,
    targets: scanTargets(options),
    files: inventory.files,
    entities: inventory.entities,
    evaluation: baselined.evaluation,
    diagnostics: [...(options.config?.warnings ?? []), ...inventory.diagnostics, ...loaded.diagnostics, ...baselined.diagnostics],
    policies: loaded.policies,
    timing: { startedAt, finishedAt: new Date().toISOString() },
  });
}
