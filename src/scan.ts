import path from 'node:path';
import { TERRAFORM_ADAPTERS } from '../providers/index.js';
import { evaluatePolicies } from './engine/evaluate.js';
import { builtInPolicyDir, loadPolicies, type PolicySource } from './engine/load-policies.js';
import { GatewardenError } from './errors.js';
import type { Diagnostic } from './model/diagnostic.js';
import type { Entity } from './model/entities.js';
import type { Inventory } from './model/inventory.js';
import { buildReport, type ScanReport } from './report.js';
import { discover } from './sources/discover.js';
import { displayPath } from './sources/paths.js';
import type { ComputedAttributeRule, ResourceInstance } from './sources/terraform/instance.js';
import { loadTerraform } from './sources/terraform/load.js';
import { version } from './version.js';

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
  /** Progress callback (the CLI shows it on a terminal). */
  readonly onProgress?: (message: string) => void;
}

/**
 * Reads the scan paths into the common model: discovers files, loads Terraform (resolving variables,
 * modules and references) and runs the provider adapters. Throws {@link GatewardenError} only for
 * usage problems (a path that does not exist); every problem inside the input is a diagnostic.
 */
export async function readInventory(options: ScanOptions): Promise<Inventory> {
  const cwd = path.resolve(options.cwd);
  const targets = scanTargets(options);
  const discovery = discover(targets, cwd);
  if (discovery.missing.length > 0) {
    throw new GatewardenError('path-not-found', `cannot scan ${discovery.missing.map((p) => `"${p}"`).join(', ')}: no such file or directory`);
  }
  const diagnostics: Diagnostic[] = discovery.unsupported.map((file) => ({
    severity: 'warning',
    code: 'not-scanned',
    message: `${file} is not a format gatewarden reads (Terraform .tf or .tf.json); it was skipped`,
  }));

  options.onProgress?.(`reading ${discovery.files.length} files`);
  const computedAttributes = new Map<string, ComputedAttributeRule>();
  for (const adapter of TERRAFORM_ADAPTERS) for (const [type, rule] of adapter.computedAttributes) computedAttributes.set(type, rule);
  const terraformFiles = discovery.files.filter((file) => file.kind === 'terraform').map((file) => file.path);
  const entities: Entity[] = [];
  // Each root module is evaluated and adapted as soon as it is parsed, while the parser thread works
  // on the next one. Addresses are unique only within a root, so adapters see one root at a time.
  const adaptRoot = (rootResources: readonly ResourceInstance[]): void => {
    const root = rootResources[0]?.rootModule;
    if (root === undefined) return;
    for (const adapter of TERRAFORM_ADAPTERS) {
      const resources = rootResources.filter((resource) => adapter.handles(resource.type));
      if (resources.length === 0) continue;
      // Evaluate before adapting: adapters are pure and must not trigger file reads through lazy values.
      for (const resource of resources) void resource.values;
      const result = adapter.adapt(resources, root === '.' ? '' : root);
      entities.push(...result.entities);
      diagnostics.push(...result.diagnostics);
    }
  };
  const terraform = await loadTerraform(
    terraformFiles,
    {
      scanRoot: cwd,
      readableRoots: targets.map((target) => path.resolve(cwd, target)),
      ...(options.vars ? { vars: options.vars } : {}),
      ...(options.varFiles ? { varFiles: options.varFiles.map((file) => path.resolve(cwd, file)) } : {}),
      computedAttributes,
    },
    adaptRoot,
  );
  // Read last: evaluation is lazy, so adapters reading values add diagnostics to the loader's list.
  diagnostics.push(...terraform.diagnostics);
  return { entities, diagnostics, files: terraform.files };
}

function scanTargets(options: ScanOptions): readonly string[] {
  return options.paths && options.paths.length > 0 ? options.paths : ['.'];
}

/**
 * Scans infrastructure-as-code for API gateway security gaps: reads the inventory, evaluates the
 * policies and returns the report.
 */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  const cwd = path.resolve(options.cwd);
  const inventory = await readInventory(options);
  const relative = (file: string): string => displayPath(cwd, file);
  const sources: PolicySource[] = [
    ...(options.builtInPolicies === false ? [] : [{ dir: builtInPolicyDir(), builtIn: true }]),
    ...(options.policyDirs ?? []).map((dir) => ({ dir: path.resolve(cwd, dir), builtIn: false })),
  ];
  const loaded = loadPolicies(sources, relative);

  options.onProgress?.(`evaluating ${loaded.policies.length} policies on ${inventory.entities.length} entities`);
  const evaluation = evaluatePolicies(inventory.entities, loaded.policies);
  return buildReport({
    version: version(),
    scanRoot: cwd,
    targets: scanTargets(options),
    files: inventory.files,
    entities: inventory.entities,
    evaluation,
    diagnostics: [...inventory.diagnostics, ...loaded.diagnostics],
    policies: loaded.policies,
  });
}
