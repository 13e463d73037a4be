import path from 'node:path';
import { TERRAFORM_ADAPTERS } from '../../../providers/index.js';
import type { ComputedAttributeRule, ResourceInstance } from '../../sources/terraform/instance.js';
import { isTerraformFileName, loadTerraform, terraformFilesIn } from '../../sources/terraform/load.js';
import { loadPlan, looksLikeTerraformPlan } from '../../sources/terraform/plan.js';
import type { ResourceView } from '../../sources/view/resource-view.js';
import { inputFormat, type InputAdapter } from '../input-format.js';

/** What the Terraform format hands its adapters: the resources of one root module (or one plan). */
export interface TerraformUnit {
  readonly resources: readonly ResourceView[];
  /** Prepended to entity ids: addresses are unique only within one root. */
  readonly idPrefix: string;
}

const EMPTY = { entities: [], diagnostics: [] } as const;

/**
 * Each cloud's Terraform adapter, given only the resource types it reads: the others are never
 * evaluated (no file read, no diagnostic for a resource no adapter looks at).
 */
const ADAPTERS: readonly InputAdapter<TerraformUnit>[] = TERRAFORM_ADAPTERS.map((adapter) => ({
  provider: adapter.provider,
  adapt: ({ resources, idPrefix }: TerraformUnit, settings) => {
    const handled = resources.filter((resource) => adapter.handles(resource.type));
    if (handled.length === 0) return EMPTY;
    // Evaluate before adapting: adapters are pure and must not trigger file reads through lazy values.
    for (const resource of handled) void resource.values;
    return adapter.adapt(handled, idPrefix, settings);
  },
}));

/**
 * Terraform configuration (`.tf`, `.tf.json`, cdktf's `cdk.tf.json`) and plans (`terraform show
 * -json`). A plan supersedes the Terraform root it was made from: that root is read only to map the
 * plan's findings back to `.tf` lines, not scanned a second time.
 */
export const TERRAFORM_FORMAT = inputFormat<TerraformUnit>({
  name: 'terraform',
  description: 'Terraform .tf and .tf.json (cdktf cdk.tf.json included), and plans from terraform show -json',
  detectors: [
    { kind: 'terraform', label: 'Terraform .tf or .tf.json', byName: isTerraformFileName },
    { kind: 'terraform-plan', label: 'a plan from terraform show -json', byContent: looksLikeTerraformPlan },
  ],
  adapters: ADAPTERS,
  async read(discovered, context, emit) {
    const { cwd, access, limits, relative, inputs } = context;
    const plans = discovered.filter((file) => file.kind === 'terraform-plan').map((file) => file.path);
    const sourceOf = (plan: string): string => (inputs.sourceDir ? path.resolve(cwd, inputs.sourceDir) : path.dirname(plan));
    const sourceRoots = new Set(plans.map((plan) => relative(sourceOf(plan))));
    const sourceInstances = new Map<string, Map<string, ResourceInstance>>();
    const terraformFiles = discovered.filter((file) => file.kind === 'terraform').map((file) => file.path);
    for (const plan of plans) {
      const dir = sourceOf(plan);
      if (!terraformFiles.some((file) => path.dirname(file) === dir)) terraformFiles.push(...terraformFilesIn(dir, access));
    }
    const computedAttributes = new Map<string, ComputedAttributeRule>();
    for (const adapter of TERRAFORM_ADAPTERS) for (const [type, rule] of adapter.computedAttributes) computedAttributes.set(type, rule);

    // Each root module is evaluated and adapted as soon as it is parsed, while the parser thread works
    // on the next one. Addresses are unique only within a root, so adapters see one root at a time.
    const onRoot = (rootResources: readonly ResourceInstance[], isRejected: () => boolean): void => {
      const root = rootResources[0]?.rootModule;
      if (root === undefined) return;
      if (sourceRoots.has(root)) {
        sourceInstances.set(root, new Map(rootResources.map((resource) => [resource.address, resource])));
        return;
      }
      // Evaluating is what finds a reference to something undeclared, which makes Terraform reject
      // the whole root module: then none of it is checked (the loader reports why, at each reference).
      for (const resource of rootResources) if (TERRAFORM_ADAPTERS.some((adapter) => adapter.handles(resource.type))) void resource.values;
      if (isRejected()) return;
      emit({ resources: rootResources, idPrefix: root === '.' ? '' : root }, { what: `the Terraform root module ${root}`, file: path.resolve(cwd, root) });
    };
    const terraform = await loadTerraform(
      terraformFiles,
      {
        scanRoot: cwd,
        access,
        limits,
        locationOnlyRoots: new Set(plans.map(sourceOf)),
        ...(inputs.vars ? { vars: inputs.vars } : {}),
        ...(inputs.varFiles ? { varFiles: inputs.varFiles.map((file) => path.resolve(cwd, file)) } : {}),
        computedAttributes,
      },
      onRoot,
    );
    for (const file of terraform.files) context.addFile(file);
    for (const file of terraform.embeddedFiles) context.embeddedFiles.add(file);

    const plansPerRoot = new Map<string, number>();
    for (const plan of plans) plansPerRoot.set(relative(sourceOf(plan)), (plansPerRoot.get(relative(sourceOf(plan))) ?? 0) + 1);
    for (const plan of plans) {
      context.progress(`reading the plan ${relative(plan)}`);
      context.addFile(relative(plan));
      const text = context.readText(plan);
      if (text === undefined) continue;
      context.guarded({ what: 'the plan', file: plan }, () => {
        const root = relative(sourceOf(plan));
        const source = sourceInstances.get(root);
        const result = loadPlan(text, {
          relPath: relative(plan),
          rootModule: root,
          include: (type) => TERRAFORM_ADAPTERS.some((adapter) => adapter.handles(type)),
          ...(source ? { source: (address: string) => source.get(address) } : {}),
          limits,
        });
        context.addDiagnostics(result.diagnostics);
        // Several plans of one root (one per workspace, say) keep apart by the plan's own path.
        emit({ resources: result.resources, idPrefix: plansPerRoot.get(root)! > 1 ? relative(plan) : root === '.' ? '' : root }, { what: 'the plan', file: plan });
      });
    }
    // Read last: evaluation is lazy, so adapters reading values add diagnostics to the loader's list.
    return { late: () => terraform.diagnostics };
  },
});
