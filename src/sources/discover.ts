import { closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { looksLikeArmTemplate } from './arm/template.js';
import { looksLikeTemplate } from './cloudformation/template.js';
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
}

/**
 * Directories never worth walking: VCS data, downloaded providers/modules, dependencies, and
 * `.aws-sam`, whose `sam build` copies of the templates would report every finding twice.
 */
const SKIPPED_DIRECTORIES = new Set(['.git', '.terraform', '.terragrunt-cache', '.aws-sam', 'node_modules', '.hg', '.svn']);

const MAX_DEPTH = 64;

/**
 * Classifies a file: Terraform configuration by name, a Terraform plan (`terraform show -json`) by
 * content, whatever its name, from the first bytes only.
 */
export function classify(file: string, named = false): SourceKind | undefined {
  if (file.endsWith('.tf') || file.endsWith('.tf.json')) return 'terraform';
  // In a directory walk only JSON, YAML and .template files are opened; a file named on the command line always is.
  if (!named && !/\.(json|ya?ml|template)$/i.test(file)) return undefined;
  const start = head(file);
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
export function cloudAssemblyTemplates(dir: string, depth = 0): string[] | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile) || depth > 8) return undefined;
  let manifest: { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; directoryName?: string } }> };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  if (!manifest.artifacts || (!existsSync(path.join(dir, 'cdk.out')) && path.basename(dir) !== 'cdk.out' && depth === 0)) return undefined;
  const templates: string[] = [];
  for (const artifact of Object.values(manifest.artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) templates.push(path.join(dir, artifact.properties.templateFile));
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) templates.push(...(cloudAssemblyTemplates(path.join(dir, artifact.properties.directoryName), depth + 1) ?? []));
  }
  return templates;
}

// Enough for a template whose first `Type: AWS::` comes after long Parameters or Globals sections.
const HEAD_BYTES = 64 * 1024;

function head(file: string): string {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const length = readSync(descriptor, buffer, 0, HEAD_BYTES, 0);
    return buffer.toString('latin1', 0, length);
  } catch {
    return '';
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** `terraform show -json` starts with `format_version` and `terraform_version`. */
function isTerraformShowOutput(text: string): boolean {
  return /^\s*\{/.test(text) && /"format_version"\s*:/.test(text) && /"terraform_version"\s*:/.test(text);
}

const BICEP_HINT = 'Bicep is not read directly; compile it to an ARM template (`az bicep build --file main.bicep` or `bicep build main.bicep`) and scan the JSON';

/** What an unsupported file seems to be, when that helps the user (a binary plan is a zip archive). */
function hintFor(file: string): string | undefined {
  if (file.endsWith('.bicep')) return BICEP_HINT;
  const start = head(file);
  if (start.startsWith('PK\u0003\u0004')) return 'this looks like a binary plan from terraform plan -out; scan the JSON that terraform show -json writes for it';
  return undefined;
}

/**
 * Walks the scan paths (files or directories) and returns the files to scan, sorted for stable output.
 * Symbolic links to directories are not followed, so a link cycle cannot hang the walk. Files and
 * directories `excluded` matches (`exclude` of the config file, `--exclude`) are skipped while walking;
 * a path given explicitly is always read.
 */
export function discover(paths: readonly string[], cwd: string, excluded: (absolutePath: string) => boolean = () => false): Discovery {
  const files = new Map<string, DiscoveredFile>();
  const missing: string[] = [];
  const unsupported: Array<{ path: string; hint?: string }> = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
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
        const assembly = cloudAssemblyTemplates(full);
        if (assembly) for (const template of assembly) files.set(template, { path: template, kind: 'cloudformation' });
        else walk(full, depth + 1);
      } else if (stat.isFile() || stat.isSymbolicLink()) {
        if (excluded(full)) continue;
        const kind = stat.isFile() || isFile(full) ? classify(full) : undefined;
        if (kind) files.set(full, { path: full, kind });
        // Bicep is not read, but an API defined in it must not look like a clean scan.
        else if (name.endsWith('.bicep')) unsupported.push({ path: displayPath(cwd, full), hint: BICEP_HINT });
      }
    }
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
      const assembly = cloudAssemblyTemplates(full);
      if (assembly) for (const template of assembly) files.set(template, { path: template, kind: 'cloudformation' });
      else walk(full, 0);
    } else if (path.basename(full) === 'manifest.json' && cloudAssemblyTemplates(path.dirname(full))) {
      // `gatewarden scan cdk.out/manifest.json` means the assembly.
      for (const template of cloudAssemblyTemplates(path.dirname(full))!) files.set(template, { path: template, kind: 'cloudformation' });
    } else {
      const kind = classify(full, true);
      const hint = kind ? undefined : hintFor(full);
      if (kind) files.set(full, { path: full, kind });
      else unsupported.push({ path: given, ...(hint ? { hint } : {}) });
    }
  }
  // A file both named and met in a walk is reported once.
  const reported = new Map(unsupported.map((file) => [path.resolve(cwd, file.path), file]));
  return { files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), missing, unsupported: [...reported.values()] };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
