import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Entity } from '../model/entities.js';
import type { CommentSuppression } from '../model/findings.js';
import type { Inventory } from '../model/inventory.js';
import type { ScanReport } from '../report/report.js';
import { FileAccess, isDirectoryPath } from '../sources/file-access.js';
import { displayPath } from '../sources/paths.js';
import { SourceTexts } from '../sources/source-texts.js';
import { commentSyntaxOf, findIgnoreComments } from '../sources/suppressions/comments.js';
import { readCodeowners } from '../config/codeowners.js';
import { repositoryRoot } from '../config/load.js';
import { pushAll } from '../arrays.js';
import type { Limits } from '../limits.js';
import { warmUpHclParser } from '../sources/terraform/hcl-parser.js';
import { loadPolicySet, resolveLimits } from './settings.js';
import type { PackName } from '../model/packs.js';

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
  /** `--framework NAME`: only the policies that map to this compliance framework run. */
  readonly framework?: string;
  /** `--pack NAME` (repeatable): the built-in policies that run; the config file's `policies.packs` when absent. */
  readonly packs?: readonly PackName[];
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
 * Reads the scan paths into the common model: discovers files, reads each input format of the
 * registry (src/pipeline/input-formats.ts) and runs its provider adapters. Throws
 * {@link GatewardenError} only for usage problems (a path that does not exist); every problem inside
 * the input is a diagnostic.
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

/**
 * {@link readInventory} with the config file already folded into the options. The HCL parser's
 * thread is started first, so that its WASM start-up overlaps with loading the readers, the adapters
 * and the engine, which are imported only now.
 */
async function inventoryOf(options: ScanOptions, access: FileAccess): Promise<Inventory> {
  warmUpHclParser();
  const { collectInventory } = await import('./inventory.js');
  return collectInventory(
    {
      ...options,
      targets: scanTargets(options),
      cwd: path.resolve(options.cwd),
      limits: resolveLimits(options),
    },
    access,
  );
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
 * Scans infrastructure-as-code for API gateway security gaps: reads the inventory, then checks it
 * on the path every run shares (src/pipeline/check.ts) and returns the report.
 */
export async function scan(given: ScanOptions): Promise<ScanReport> {
  const startedAt = new Date().toISOString();
  const options = withConfig(given);
  const cwd = path.resolve(options.cwd);
  const access = scanFileAccess(options);
  const inventory = await inventoryOf(options, access);
  const relative = (file: string): string => displayPath(cwd, file);
  const policies = loadPolicySet({ ...options, cwd }, relative);
  const texts = new SourceTexts(cwd, access);
  const { checkAndReport } = await import('./check.js');
  // CODEOWNERS is at the root of the repository the scan runs in, like the config file it may sit beside.
  const owners = options.config?.config.owners?.codeowners === false ? { diagnostics: [] } : readCodeowners(repositoryRoot(cwd), access);
  return checkAndReport(
    { targets: scanTargets(options), files: inventory.files, entities: inventory.entities, diagnostics: inventory.diagnostics },
    policies,
    {
      ...options,
      cwd,
      startedAt,
      texts: {
        lineText: (file, line) => texts.lineText(file, line),
        comments: ignoreComments(inventory.entities, texts),
        ...(owners.codeowners ? { codeowners: owners.codeowners } : {}),
        diagnostics: owners.diagnostics,
      },
    },
    relative,
  );
}
