import type { Diagnostic } from '../model/diagnostic.js';
import type { Provider } from '../model/entities.js';
import type { AdapterResult, AdapterSettings, NonGatewayDocument } from '../../providers/index.js';
import type { DiscoveredFile, FileDetector } from '../sources/discover.js';
import type { FileAccess } from '../sources/file-access.js';
import type { Limits } from '../limits.js';
import type { SourceLocation } from '../model/location.js';

// The contract between the scan pipeline and one input format. A format is one file under
// src/pipeline/formats/ and one line in src/pipeline/input-formats.ts; its parsing lives in
// src/sources/<format>/ and its translation to the model in providers/<cloud>/<format>/.

/** An adapter of one cloud for the units a format reads (a Terraform root, a template, a document). */
export interface InputAdapter<Unit> {
  readonly provider: Provider;
  /** `settings`: what the configuration tells adapters beyond the unit (see {@link AdapterSettings}). */
  adapt(unit: Unit, settings: AdapterSettings): AdapterResult;
}

/** Where a unit was read from, for the diagnostic of an internal error while adapting it. */
export interface UnitOrigin {
  /** What the unit is, as a message names it: `the template`, `the Terraform root module envs/prod`. */
  readonly what: string;
  /** The file it comes from (absolute). */
  readonly file: string;
}

/** The inputs of a scan that every format may read (command-line options folded with the config file's). */
export interface ScanInputs {
  /** `--var name=value` for root Terraform modules. */
  readonly vars?: ReadonlyMap<string, string>;
  /** `--var-file` paths, relative to the scan root. */
  readonly varFiles?: readonly string[];
  /** The Terraform source of the plans scanned (`--source-dir`), relative to the scan root. */
  readonly sourceDir?: string;
  /** Template parameter values (`--parameter Name=Value`). */
  readonly parameters?: ReadonlyMap<string, string>;
}

/** What a format's reader is given besides its files. */
export interface ReadContext {
  /** The scan root (absolute). */
  readonly cwd: string;
  readonly inputs: ScanInputs;
  /** The one way input files are read: the scan roots are a trust boundary. */
  readonly access: FileAccess;
  readonly limits: Limits;
  /** What the configuration tells adapters beyond the files (the config file's provider sections). */
  readonly adapterSettings: AdapterSettings;
  /** A path as reports show it: relative to the scan root. */
  readonly relative: (file: string) => string;
  /** `--parameter-file` files, sorted by the template language they are written for. */
  readonly parameterFiles: { readonly arm: readonly string[]; readonly cloudformation: readonly string[] };
  /**
   * Files a format already read as part of one of its resources (an OpenAPI body read with `file()`):
   * a later format does not scan them a second time on their own. Formats run in registry order.
   */
  readonly embeddedFiles: Set<string>;
  /**
   * OpenAPI documents resources use for something other than a gateway (see `NonGatewayDocument`),
   * recorded from adapters' results: the OpenAPI format, which runs last, reports them and does not
   * check them on their own.
   */
  readonly nonGatewayDocuments: NonGatewayDocument[];
  /**
   * OpenAPI documents that a configuration gatewarden does not read deploys (a Bicep file that imports
   * them into API Management): the OpenAPI format, which runs last, does not check them as stand-alone
   * gateways and reports each import (`gateway-not-read`).
   */
  readonly unreadImports: UnreadImport[];
  /** The scan paths (absolute): a document named on the command line is checked whatever its directory. */
  readonly targets: readonly string[];
  /** Records a file as read (relative), in the order of the report's `files`. */
  addFile(file: string): void;
  addDiagnostics(diagnostics: readonly Diagnostic[]): void;
  /**
   * Reads a file through the boundary; when it cannot be read, records why (a diagnostic at the file)
   * and returns undefined.
   */
  readText(file: string): string | undefined;
  /** Runs one part of the reading; a failure nobody foresaw becomes an internal-error diagnostic and costs that part only. */
  guarded(origin: UnitOrigin, work: () => void): void;
  progress(message: string): void;
}

/** An OpenAPI document imported by a configuration that gatewarden does not read (see {@link ReadContext.unreadImports}). */
export interface UnreadImport {
  /** The document's real path (absolute, symbolic links followed). */
  readonly file: string;
  /** Where it is imported: the call that loads it (`main.bicep:31`, relative to the scan root). */
  readonly location: SourceLocation;
  /**
   * How it is imported, as a message continues "it is ...": `imported into API Management by
   * api.bicep:31 (resource weatherApi)`.
   */
  readonly how: string;
  /** What decides who may call the API, as a message continues "...: ...". */
  readonly decides: string;
  /** How to check that API, as a message continues "To check that API, ...". */
  readonly hint: string;
  /** The declaration that imports it (a resource or module's symbolic name), when there is one. */
  readonly address?: string;
}

/** What a format's reader may leave for the end of the reading. */
export interface ReadOutcome {
  /**
   * Diagnostics to collect after every format has run: Terraform values are evaluated lazily, so
   * adapters reading them add diagnostics to the loader's list until the last one has run.
   */
  readonly late?: () => readonly Diagnostic[];
}

/**
 * One input format: how discovery recognises its files, how they are read into units of resource
 * views, and the adapters (one per cloud) that turn each unit into entities of the model.
 */
export interface InputFormat<Unit> {
  /** The format's name, as docs and help name it. */
  readonly name: string;
  /** What it reads, for help and docs: `Terraform .tf, .tf.json and plans (terraform show -json)`. */
  readonly description: string;
  /** How its files are recognised; their kinds are what {@link read} is handed. */
  readonly detectors: readonly FileDetector[];
  readonly adapters: readonly InputAdapter<Unit>[];
  /**
   * Reads the files discovery gave this format's detectors, handing each unit to `emit` as soon as it
   * is read (the pipeline runs the adapters on it, guarded). Problems in the input are diagnostics.
   */
  read(files: readonly DiscoveredFile[], context: ReadContext, emit: (unit: Unit, origin: UnitOrigin) => void): Promise<ReadOutcome | void>;
}

/** An input format whose unit type is hidden, as the registry holds them. */
export type AnyInputFormat = InputFormat<unknown>;

/** Hides a format's unit type for the registry (its reader and adapters agree on it, checked here). */
export function inputFormat<Unit>(format: InputFormat<Unit>): AnyInputFormat {
  return format as unknown as AnyInputFormat;
}
