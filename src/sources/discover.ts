import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Kinds of input file gatewarden recognises. */
export type SourceKind = 'terraform';

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
  /** Explicitly named files that are not a supported format. */
  readonly unsupported: readonly string[];
}

/** Directories never worth walking: VCS data, downloaded providers/modules, dependencies. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.terraform', '.terragrunt-cache', 'node_modules', '.hg', '.svn']);

const MAX_DEPTH = 64;

/** Classifies a file by name. Terraform plans and other formats are recognised by later issues. */
export function classify(file: string): SourceKind | undefined {
  if (file.endsWith('.tf') || file.endsWith('.tf.json')) return 'terraform';
  return undefined;
}

/**
 * Walks the scan paths (files or directories) and returns the files to scan, sorted for stable output.
 * Symbolic links to directories are not followed, so a link cycle cannot hang the walk.
 */
export function discover(paths: readonly string[], cwd: string): Discovery {
  const files = new Map<string, DiscoveredFile>();
  const missing: string[] = [];
  const unsupported: string[] = [];
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
        if (!SKIPPED_DIRECTORIES.has(name)) walk(full, depth + 1);
      } else if (stat.isFile() || stat.isSymbolicLink()) {
        const kind = classify(name);
        if (kind && (stat.isFile() || isFile(full))) files.set(full, { path: full, kind });
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
      walk(full, 0);
    } else {
      const kind = classify(full);
      if (kind) files.set(full, { path: full, kind });
      else unsupported.push(given);
    }
  }
  return { files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), missing, unsupported };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
