import path from 'node:path';
import { refusalDiagnostic, type FileAccess } from '../file-access.js';
import { DEFAULT_LIMITS, type Limits } from '../../limits.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import type { Value } from '../view/value.js';
import { jsonToValue } from './functions.js';
import { parseArmJson } from './template.js';
import type { ReaderLimits } from '../nesting.js';
import { isRecord } from '../../objects.js';

/**
 * Where a parameter value given for a deployment comes from, so that a secret is reported where it is
 * written: a parameter file or a parent template (written in the repository), Key Vault or the command
 * line (not written), or a value a parent template computes at deployment.
 */
export type ArmParameterOrigin =
  | { readonly kind: 'file'; readonly location: SourceLocation }
  /** A Key Vault reference in a parameter file: the value is read from Key Vault at deployment. */
  | { readonly kind: 'key-vault'; readonly location: SourceLocation }
  | { readonly kind: 'command-line' }
  /** Written in a template: a literal a parent deployment passes to a nested template. */
  | { readonly kind: 'template'; readonly location: SourceLocation }
  /** Computed by a parent deployment from something known only at deployment. */
  | { readonly kind: 'deploy-time' };

/** A parameter value given for a deployment, with its origin. */
export interface GivenArmParameter {
  /** The value; a string when given on the command line (the template's declared type converts it). */
  readonly value: Value;
  readonly origin: ArmParameterOrigin;
}

/** What a parameter file gives. */
export interface ArmParameterFileResult {
  readonly parameters: Map<string, GivenArmParameter>;
  readonly diagnostics: readonly Diagnostic[];
}

const PARAMETERS_SCHEMA = /"\$schema"\s*:\s*"[^"]*\/(?:subscription|managementGroup|tenant)?deploymentParameters\.json/i;

/** Tells an ARM parameter file from other JSON by its first bytes (its `$schema`). */
export function looksLikeArmParameterFile(head: string): boolean {
  return PARAMETERS_SCHEMA.test(head);
}

/**
 * Reads an ARM parameter file: `{"parameters": {"name": {"value": ...}}}`, or a Key Vault reference
 * (`{"reference": {"keyVault": {"id": ...}, "secretName": ...}}`), which is Unknown: Azure reads it at
 * deployment. Values are literal (ARM does not evaluate expressions in parameter files), and each is
 * located, since a secret given here is written in the repository. A file nested deeper than
 * `limits.depth` is not read.
 */
export function parseArmParameterFile(relPath: string, text: string, limits: Pick<ReaderLimits, 'depth'> = DEFAULT_LIMITS): ArmParameterFileResult {
  const parameters = new Map<string, GivenArmParameter>();
  const parsed = parseArmJson(relPath, text, 'parameter file', limits);
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((diagnostic) =>
    diagnostic.code === 'parse-error' ? { ...diagnostic, message: diagnostic.message.replace('it was not scanned', 'its values are not used') } : diagnostic,
  );
  if (!parsed.document) return { parameters, diagnostics };
  const { data, positions } = parsed.document;
  const where = (pathInFile: readonly string[]): SourceLocation => positions.nearest(pathInFile) ?? lineLocation(relPath, 1);
  const entries = data.parameters;
  if (!isRecord(entries)) {
    diagnostics.push({
      severity: 'error',
      code: 'read-error',
      message: 'the parameter file has no "parameters" object; it needs {"parameters": {"name": {"value": ...}}}',
      location: lineLocation(relPath, 1),
    });
    return { parameters, diagnostics };
  }
  const skipped: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (isRecord(entry) && Object.hasOwn(entry, 'value')) {
      parameters.set(name, { value: jsonToValue(entry.value), origin: { kind: 'file', location: where(['parameters', name, 'value']) } });
    } else if (isRecord(entry) && isRecord(entry.reference)) {
      const secret = typeof entry.reference.secretName === 'string' ? ` (secret ${entry.reference.secretName})` : '';
      parameters.set(name, {
        value: new Unknown(`parameter ${name} is read from Key Vault at deployment${secret}`),
        origin: { kind: 'key-vault', location: where(['parameters', name, 'reference']) },
      });
    } else {
      skipped.push(name);
    }
  }
  if (skipped.length > 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'unsupported',
      message: `the parameter file has entries without a value or a Key Vault reference (${skipped.slice(0, 5).join(', ')}); they are not used`,
      location: where(['parameters', skipped[0]!]),
    });
  }
  return { parameters, diagnostics };
}

/**
 * Parameter values for ARM templates from `--parameter-file` files, then `--parameter Name=Value`
 * (later ones win, as with `az deployment group create`). Command-line values stay strings here: the
 * template's declared type converts them (`int`, `bool`, `object`, `array`).
 */
export function armParameters(
  options: { readonly parameters?: ReadonlyMap<string, string>; readonly parameterFiles?: readonly string[] },
  cwd: string,
  diagnostics: Diagnostic[],
  relative: (file: string) => string,
  access: FileAccess,
  limits: Pick<Limits, 'depth'> = DEFAULT_LIMITS,
): Map<string, GivenArmParameter> {
  const values = new Map<string, GivenArmParameter>();
  for (const file of options.parameterFiles ?? []) {
    const absolute = path.resolve(cwd, file);
    if (absolute.endsWith('.bicepparam')) {
      diagnostics.push({
        severity: 'warning',
        code: 'unsupported',
        message: 'Bicep parameter files are not read; build a JSON parameter file with `bicep build-params` and give that',
        location: lineLocation(relative(absolute), 1),
      });
      continue;
    }
    const read = access.read(absolute);
    if (!read.ok) {
      diagnostics.push(refusalDiagnostic(read, lineLocation(relative(absolute), 1), access, 'the parameter file was not read'));
      continue;
    }
    const result = parseArmParameterFile(relative(absolute), read.text, limits);
    diagnostics.push(...result.diagnostics);
    for (const [name, given] of result.parameters) values.set(name, given);
  }
  for (const [name, value] of options.parameters ?? []) values.set(name, { value, origin: { kind: 'command-line' } });
  return values;
}
