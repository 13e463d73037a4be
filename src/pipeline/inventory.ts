import path from 'node:path';
import { excludeMatcher } from '../config/apply.js';
import type { LoadedConfig } from '../config/load.js';
import { GatewardenError } from '../errors.js';
import { limitDiagnostic, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Entity } from '../model/entities.js';
import type { Inventory } from '../model/inventory.js';
import { lineLocation } from '../model/location.js';
import { looksLikeArmParameterFile } from '../sources/arm/parameters.js';
import { discover, notAFormatMessage, type DiscoveredFile } from '../sources/discover.js';
import { unreadFileDiagnostic, type FileAccess } from '../sources/file-access.js';
import { internalErrorDiagnostic } from '../sources/internal-error.js';
import { displayPath } from '../sources/paths.js';
import { pushAll } from '../arrays.js';
import { INPUT_DETECTORS, INPUT_FORMATS } from './input-formats.js';
import type { AnyInputFormat, ReadContext, ScanInputs } from './input-format.js';
import { adapterSettingsOf } from './adapter-settings.js';

/** What the inventory of a scan reads: the paths, the excludes and the inputs of every format. */
export interface InventoryOptions extends ScanInputs {
  /** Files or directories; relative paths resolve against `cwd`. */
  readonly targets: readonly string[];
  /** The scan root (absolute). */
  readonly cwd: string;
  readonly config?: LoadedConfig;
  /** Glob patterns of paths not scanned, relative to `cwd` (`--exclude`). */
  readonly exclude?: readonly string[];
  /** `--parameter-file` files (relative to `cwd`), for CloudFormation or ARM. */
  readonly parameterFiles?: readonly string[];
  readonly limits: Limits;
  readonly onProgress?: (message: string) => void;
}

/**
 * Reads the scan paths into the common model: discovers the files with every format's detectors, then
 * runs each format of the registry in order, and each unit it reads through the format's adapters.
 * Throws {@link GatewardenError} only for usage problems (a path that does not exist); every problem
 * inside the input is a diagnostic.
 */
export async function collectInventory(options: InventoryOptions, access: FileAccess): Promise<Inventory> {
  const { cwd, limits } = options;
  const relative = (file: string): string => displayPath(cwd, file);
  const config = options.config?.config;
  const excludedByConfig = config ? excludeMatcher(config) : () => false;
  const excludedByFlag = excludeMatcher({ dir: cwd, exclude: options.exclude ?? [] });
  const discovery = discover(options.targets, cwd, INPUT_DETECTORS, (file) => excludedByConfig(file) || excludedByFlag(file), access);
  if (discovery.missing.length > 0) {
    throw new GatewardenError('path-not-found', `cannot scan ${discovery.missing.map((p) => `"${p}"`).join(', ')}: no such file or directory`);
  }
  const diagnostics: Diagnostic[] = discovery.unsupported.map((file) => ({
    severity: 'warning',
    code: 'not-scanned',
    message: `${file.path} was skipped: ${file.hint ?? notAFormatMessage(INPUT_DETECTORS)}`,
  }));
  pushAll(diagnostics, discovery.diagnostics);

  options.onProgress?.(`reading ${discovery.files.length} files`);
  const entities = new EntityCollector(limits.entities);
  const files: string[] = [];
  const adapterSettings = adapterSettingsOf(config, access, (file) => files.push(file), diagnostics);
  const context: ReadContext = {
    cwd,
    inputs: options,
    access,
    limits,
    adapterSettings,
    relative,
    parameterFiles: splitParameterFiles(options.parameterFiles ?? [], cwd, access),
    embeddedFiles: new Set(),
    nonGatewayDocuments: [],
    unreadImports: [],
    targets: options.targets.map((target) => path.resolve(cwd, target)),
    addFile: (file) => files.push(file),
    addDiagnostics: (more) => pushAll(diagnostics, more),
    readText: (file) => {
      const read = access.read(file);
      if (read.ok) return read.text;
      const unread = unreadFileDiagnostic(read, file, access);
      // The directory walk may have warned about this very file (a link out of the roots, a pipe)
      // before a reader that finds files on its own (an APIOps folder) tried it: one file, one
      // diagnostic, the reader's, which says what was not checked.
      const walked = diagnostics.findIndex((d) => d.severity === 'warning' && d.location?.file === unread.location?.file && discovery.diagnostics.includes(d));
      if (walked >= 0) diagnostics.splice(walked, 1);
      diagnostics.push(unread);
      return undefined;
    },
    guarded: (origin, work) => {
      try {
        work();
      } catch (error) {
        diagnostics.push(internalErrorDiagnostic(origin.what, error, lineLocation(relative(origin.file), 1)));
      }
    },
    progress: (message) => options.onProgress?.(message),
  };
  const late: Array<() => readonly Diagnostic[]> = [];
  for (const format of INPUT_FORMATS) {
    const outcome = await readFormat(format, discovery.files, context, entities);
    if (outcome?.late) late.push(outcome.late);
  }
  for (const collect of late) pushAll(diagnostics, collect());
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

/** Runs one format over the files its detectors found, and its adapters over every unit it reads. */
async function readFormat(format: AnyInputFormat, discovered: readonly DiscoveredFile[], context: ReadContext, entities: EntityCollector): ReturnType<AnyInputFormat['read']> {
  const kinds = new Set(format.detectors.map((detector) => detector.kind));
  return format.read(
    discovered.filter((file) => kinds.has(file.kind)),
    context,
    (unit, origin) =>
      context.guarded(origin, () => {
        for (const adapter of format.adapters) {
          const result = adapter.adapt(unit, context.adapterSettings);
          entities.add(result.entities);
          context.addDiagnostics(result.diagnostics);
          if (result.nonGatewayDocuments) pushAll(context.nonGatewayDocuments, result.nonGatewayDocuments);
        }
      }),
  );
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
