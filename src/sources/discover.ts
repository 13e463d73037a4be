import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';
import { looksLikeArmTemplate } from './arm/template.js';
import { looksLikeTemplate } from './cloudformation/template.js';
import { FileAccess, isDirectoryPath, outsideMessage, realOrResolved } from './file-access.js';
import { looksLikeOpenApi } from './openapi/detect.js';
import { displayPath } from './paths.js';

/** Kinds of input file gatewarden recognises. */
export type SourceKind = 'terraform' | 'terraform-plan' | 'cloudformation' | 'arm' | 'openapi';

/** One file to scan. */
export interface DiscoveredFile {
  /** Absolute path. */
  readonly path: string;
  readonly kind: SourceKind;
}

/** The files found under the scan paths, and what could not be walked. */
export interface Discovery {
  readonly files: readonly DiscoveredFile[];
  /** Paths given that do not exist. */
  readonly missing: readonly string[];
  /** Explicitly named files that are not a supported format, with what they seem to be. */
  readonly unsupported: ReadonlyArray<{ readonly path: string; readonly hint?: string }>;
  /** Symbolic links that lead outside the scan roots and special files met in the walk: not read. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Directories never worth walking: VCS data, downloaded providers/modules, dependencies, and
 * `.aws-sam`, whose `sam build` copies of the templates would report every finding twice.
 */
const SKIPPED_DIRECTORIES = new Set(['.git', '.terraform', '.terragrunt-cache', '.aws-sam', 'node_modules', '.hg', '.svn']);

const MAX_DEPTH = 64;

/** Names a directory walk opens to recognise by content: JSON, YAML and `.template` files. */
const CONTENT_CHECKED = /\.(json|ya?ml|template)$/i;

/** Whether a file name is one gatewarden reads in a directory walk (by name, or to recognise by content). */
function isCandidate(name: string): boolean {
  return isTerraformName(name) || CONTENT_CHECKED.test(name);
}

function isTerraformName(name: string): boolean {
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

/**
 * Classifies a file: Terraform configuration by name, a Terraform plan (`terraform show -json`) by
 * content, whatever its name, from the first bytes only (decoded as every reader decodes them, so a
 * UTF-16 template is recognised too). Reads through `access` when given (the scan's boundary).
 */
export function classify(file: string, named = false, access: FileAccess = unbounded(file)): SourceKind | undefined {
  if (isTerraformName(file)) return 'terraform';
  // In a directory walk only JSON, YAML and .template files are opened; a file named on the command line always is.
  if (!named && !CONTENT_CHECKED.test(file)) return undefined;
  const start = access.head(file, HEAD_BYTES) ?? '';
  const kind = kindOf(start);
  // A template can hold more than 64 KB of Parameters or Metadata before its Resources: a larger file
  // that is not recognised from its head is looked at up to ARM's 4 MB template limit, so that such a
  // template is not skipped without a word.
  if (kind !== undefined || start.length < HEAD_BYTES) return kind;
  return kindOf(access.head(file, LONG_HEAD_BYTES) ?? '');
}

/** Tells a kind of input from the beginning of a file. */
function kindOf(start: string): SourceKind | undefined {
  if (isTerraformShowOutput(start)) return 'terraform-plan';
  if (looksLikeArmTemplate(start)) return 'arm';
  if (looksLikeTemplate(start)) return 'cloudformation';
  if (looksLikeOpenApi(start)) return 'openapi';
  return undefined;
}

/**
 * The stack templates of a CDK cloud assembly (`cdk.out`), from its manifest, nested assemblies
 * (stages) included. Undefined when the directory is not an assembly.
 */
export function cloudAssemblyTemplates(dir: string, depth = 0, access: FileAccess = unbounded(dir), visited = new Set<string>()): string[] | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (depth > 8 || access.exists(manifestFile) !== true) return undefined;
  // Each assembly once: nested assemblies naming "." (or each other) would otherwise fan out as
  // (artifacts)^depth, twelve of them to nine levels.
  const real = realOrResolved(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const read = access.read(manifestFile);
  if (!read.ok) return undefined;
  let manifest: { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; directoryName?: string } }> };
  try {
    manifest = JSON.parse(read.text) as typeof manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.artifacts !== 'object' || manifest.artifacts === null) return undefined;
  if (access.exists(path.join(dir, 'cdk.out')) !== true && path.basename(dir) !== 'cdk.out' && depth === 0) return undefined;
  const templates: string[] = [];
  for (const artifact of Object.values(manifest.artifacts)) {
    // The paths are the manifest's: reading them goes through the boundary like any other file.
    if (artifact?.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string') templates.push(path.join(dir, artifact.properties.templateFile));
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      for (const template of cloudAssemblyTemplates(path.join(dir, artifact.properties.directoryName), depth + 1, access, visited) ?? []) templates.push(template);
    }
  }
  return templates;
}

// Enough for a template whose first `Type: AWS::` comes after long Parameters or Globals sections.
const HEAD_BYTES = 64 * 1024;
/** How far a large file not recognised from its head is read again: ARM's template size limit. */
const LONG_HEAD_BYTES = 4 * 1024 * 1024;

/** For callers outside a scan (tests, tools): a boundary that is the file's own directory. */
function unbounded(file: string): FileAccess {
  const dir = path.dirname(path.resolve(file));
  return new FileAccess({ roots: [dir, path.resolve(file)], display: (absolute) => absolute });
}

/** `terraform show -json` starts with `format_version` and `terraform_version`. */
function isTerraformShowOutput(text: string): boolean {
  return /^\s*\{/.test(text) && /"format_version"\s*:/.test(text) && /"terraform_version"\s*:/.test(text);
}

const BICEP_HINT = 'Bicep is not read directly; compile it to an ARM template (`az bicep build --file main.bicep` or `bicep build main.bicep`) and scan the JSON';

/** What an unsupported file seems to be, when that helps the user (a binary plan is a zip archive). */
function hintFor(file: string, access: FileAccess): string | undefined {
  if (file.endsWith('.bicep')) return BICEP_HINT;
  const start = access.head(file, HEAD_BYTES) ?? '';
  if (start.startsWith('PK\u0003\u0004')) return 'this looks like a binary plan from terraform plan -out; scan the JSON that terraform show -json writes for it';
  return undefined;
}

/**
 * Walks the scan paths (files or directories) and returns the files to scan, sorted for stable output.
 * Symbolic links to directories are not followed, so a link cycle cannot hang the walk; a link to a
 * file is read when it leads to a file inside the scan roots, and reported otherwise (a link out of
 * the repository is how a pull request would make gatewarden read `/proc/self/environ`). FIFOs,
 * sockets and devices are never opened. Files and directories `excluded` matches (`exclude` of the
 * config file, `--exclude`) are skipped while walking; a path given explicitly is always read.
 */
export function discover(paths: readonly string[], cwd: string, excluded: (absolutePath: string) => boolean = () => false, access?: FileAccess): Discovery {
  const boundary = access ?? new FileAccess({ roots: paths.map((given) => path.resolve(cwd, given)), display: (absolute) => displayPath(cwd, absolute) });
  const files = new Map<string, DiscoveredFile>();
  const missing: string[] = [];
  const unsupported: Array<{ path: string; hint?: string }> = [];
  const diagnostics: Diagnostic[] = [];
  const add = (file: string, kind: SourceKind): void => {
    files.set(file, { path: file, kind });
  };
  const addAssembly = (templates: readonly string[]): void => {
    for (const template of templates) add(template, 'cloudformation');
  };
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `${displayPath(cwd, dir)} is more than ${MAX_DEPTH} directories deep; it was not walked (scan it on its own)`, location: lineLocation(displayPath(cwd, dir), 1) });
      return;
    }
    for (const name of boundary.list(dir)) {
      const full = path.join(dir, name);
      let stat;
      try {
        stat = lstatSync(full);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (SKIPPED_DIRECTORIES.has(name) || excluded(`${full}${path.sep}`)) continue;
        // A CDK cloud assembly is read through its manifest; its asset folders hold code, not templates.
        const assembly = cloudAssemblyTemplates(full, 0, boundary);
        if (assembly) addAssembly(assembly);
        else walk(full, depth + 1);
      } else if (stat.isSymbolicLink()) {
        if (excluded(full)) continue;
        walkLink(full, name);
      } else if (stat.isFile()) {
        if (excluded(full)) continue;
        const kind = classify(full, false, boundary);
        if (kind) add(full, kind);
        // Bicep is not read, but an API defined in it must not look like a clean scan.
        else if (name.endsWith('.bicep')) unsupported.push({ path: displayPath(cwd, full), hint: BICEP_HINT });
      } else if (isCandidate(name)) {
        diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `${displayPath(cwd, full)} is not a regular file (a pipe, socket or device) and was not read`, location: lineLocation(displayPath(cwd, full), 1) });
      }
    }
  };
  // A link to a directory is never followed (its target is walked where it is, if it is in the roots);
  // a link to a file is read as the file it leads to, when that is inside the roots.
  const walkLink = (full: string, name: string): void => {
    const located = boundary.locate(full);
    if (!located.ok) {
      if (located.refusal !== 'outside-roots') {
        // A link to nothing: worth a word when it has the name of a file gatewarden would read.
        if (isCandidate(name)) diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `the symbolic link ${displayPath(cwd, full)} leads to nothing that can be read (${located.message}); it was not read`, location: lineLocation(displayPath(cwd, full), 1) });
        return;
      }
      const pointsToDirectory = isDirectoryPath(full);
      if (!pointsToDirectory && !isCandidate(name)) return;
      const shown = displayPath(cwd, full);
      diagnostics.push({
        // A Terraform file of the module is certainly part of the configuration; a JSON or YAML file or
        // a directory may or may not hold gateway configuration.
        severity: !pointsToDirectory && isTerraformName(name) ? 'error' : 'warning',
        code: 'outside-roots',
        message: `the symbolic link ${outsideMessage(shown, full, located.realPath ?? full, pointsToDirectory ? 'followed' : 'read', (file) => displayPath(cwd, file))}`,
        location: lineLocation(shown, 1),
      });
      return;
    }
    if (isDirectoryPath(located.realPath)) return;
    const kind = classify(full, false, boundary);
    if (kind) add(full, kind);
  };
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      missing.push(given);
      continue;
    }
    if (stat.isDirectory()) {
      const assembly = cloudAssemblyTemplates(full, 0, boundary);
      if (assembly) addAssembly(assembly);
      else walk(full, 0);
    } else if (path.basename(full) === 'manifest.json' && cloudAssemblyTemplates(path.dirname(full), 0, boundary)) {
      // `gatewarden scan cdk.out/manifest.json` means the assembly.
      addAssembly(cloudAssemblyTemplates(path.dirname(full), 0, boundary)!);
    } else {
      const kind = classify(full, true, boundary);
      const hint = kind ? undefined : hintFor(full, boundary);
      if (kind) add(full, kind);
      else unsupported.push({ path: given, ...(hint ? { hint } : {}) });
    }
  }
  // A file both named and met in a walk is reported once; a file reached both directly and through a
  // link inside the roots is read once, under its own name.
  const reported = new Map(unsupported.map((file) => [path.resolve(cwd, file.path), file]));
  return { files: [...dedupeLinked(files, boundary).values()].sort((a, b) => a.path.localeCompare(b.path)), missing, unsupported: [...reported.values()], diagnostics };
}

/** Drops files that are links to another file of the list. */
function dedupeLinked(files: ReadonlyMap<string, DiscoveredFile>, access: FileAccess): Map<string, DiscoveredFile> {
  const byReal = new Map<string, DiscoveredFile>();
  const links = new Set([...files.keys()].filter(isLink));
  for (const file of [...files.values()].sort((a, b) => Number(links.has(a.path)) - Number(links.has(b.path)) || a.path.localeCompare(b.path))) {
    const located = access.locate(file.path);
    const real = located.ok ? located.realPath : realOrResolved(file.path);
    if (!byReal.has(real)) byReal.set(real, file);
  }
  return new Map([...byReal.values()].map((file) => [file.path, file]));
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

