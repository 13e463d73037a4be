import { ARM_ADAPTERS } from '../../../providers/index.js';
import { armParameters } from '../../sources/arm/parameters.js';
import { loadArmTemplate, type ArmResource } from '../../sources/arm/resources.js';
import { looksLikeArmTemplate, parseArmTemplate } from '../../sources/arm/template.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { inputFormat } from '../input-format.js';

/** What the ARM format hands its adapters: one template's resources, nested deployments included. */
export interface ArmUnit {
  readonly resources: readonly ArmResource[];
  /** The template (relative): entity ids carry it. */
  readonly file: string;
}

/** Azure Resource Manager templates (Bicep compiled to JSON included) and their parameter files. */
export const ARM_FORMAT = inputFormat<ArmUnit>({
  name: 'arm',
  description: 'Azure Resource Manager templates (compile Bicep to JSON first) and their parameter files',
  detectors: [{ kind: 'arm', label: 'an ARM template', byContent: looksLikeArmTemplate }],
  adapters: ARM_ADAPTERS.map((adapter) => ({ provider: adapter.provider, adapt: (unit: ArmUnit, settings) => adapter.adapt(unit.resources, unit.file, settings) })),
  async read(discovered, context, emit) {
    const templates = discovered.map((file) => file.path);
    if (templates.length === 0) return;
    const { cwd, limits, relative } = context;
    context.progress(`reading ${templates.length} ARM templates`);
    const diagnostics: Diagnostic[] = [];
    const parameters = armParameters({ ...context.inputs, parameterFiles: context.parameterFiles.arm }, cwd, diagnostics, relative, context.access, limits);
    context.addDiagnostics(diagnostics);
    for (const file of templates) {
      context.addFile(relative(file));
      const text = context.readText(file);
      if (text === undefined) continue;
      context.guarded({ what: 'the template', file }, () => {
        const parsed = parseArmTemplate(relative(file), text, limits);
        context.addDiagnostics(parsed.diagnostics);
        if (!parsed.template) return;
        const loaded = loadArmTemplate(parsed.template, { parameters, limits });
        context.addDiagnostics(loaded.diagnostics);
        emit({ resources: loaded.resources, file: relative(file) }, { what: 'the template', file });
      });
    }
  },
});
