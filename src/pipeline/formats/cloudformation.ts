import path from 'node:path';
import { CLOUDFORMATION_ADAPTERS } from '../../../providers/index.js';
import { cloudAssemblyTemplates } from '../../sources/cloudformation/assembly.js';
import { cfnParameters, readStacks } from '../../sources/cloudformation/read.js';
import type { CfnResource } from '../../sources/cloudformation/stack.js';
import { looksLikeTemplate } from '../../sources/cloudformation/template.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { inputFormat } from '../input-format.js';

/** What the CloudFormation format hands its adapters: one template's resources, nested stacks included. */
export interface CloudFormationUnit {
  readonly resources: readonly CfnResource[];
  /** The template (relative): entity ids carry it, so templates scanned together cannot collide. */
  readonly file: string;
}

/**
 * CloudFormation and SAM templates (JSON or YAML, short tags included), CDK output (`cdk.out`, read
 * through its manifest), nested stacks and parameter files.
 */
export const CLOUDFORMATION_FORMAT = inputFormat<CloudFormationUnit>({
  name: 'cloudformation',
  description: 'CloudFormation and SAM templates (JSON or YAML), and CDK output (a cdk.out directory)',
  detectors: [
    {
      kind: 'cloudformation',
      label: 'a CloudFormation/SAM template, a cdk.out directory',
      byContent: looksLikeTemplate,
      directory: (dir, access) => cloudAssemblyTemplates(dir, 0, access),
    },
  ],
  adapters: CLOUDFORMATION_ADAPTERS.map((adapter) => ({ provider: adapter.provider, adapt: (unit: CloudFormationUnit) => adapter.adapt(unit.resources, unit.file) })),
  async read(discovered, context, emit) {
    const templates = discovered.map((file) => file.path);
    if (templates.length === 0) return;
    const { cwd, access, limits, relative } = context;
    context.progress(`reading ${templates.length} CloudFormation templates`);
    const diagnostics: Diagnostic[] = [];
    const parameters = cfnParameters({ ...context.inputs, parameterFiles: context.parameterFiles.cloudformation }, cwd, diagnostics, relative, access, limits);
    context.addDiagnostics(diagnostics);
    const stacks = readStacks(templates, relative, parameters, access, limits);
    for (const file of stacks.files) context.addFile(file);
    // An OpenAPI document a template names (DefinitionUri, AWS::Include) is read as its API's definition.
    for (const file of stacks.linkedFiles) context.embeddedFiles.add(file);
    context.addDiagnostics(stacks.diagnostics);
    for (const stack of stacks.stacks) emit({ resources: stack.resources, file: stack.file }, { what: 'the template', file: path.resolve(cwd, stack.file) });
  },
});
