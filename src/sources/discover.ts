import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation } from '../model/location.js';
import { FileAccess, isDirectoryPath, outsideMessage, realOrResolved } from './file-access.js';
import { displayPath } from './paths.js';

/**
 * How discovery recognises the files of one kind of input. Discovery knows no format itself: the
 * pipeline's registry of input formats (src/pipeline/input-formats.ts) hands it their detectors, tried
 * in the registry's order. Content signatures must not overlap: the first that matches wins.
 */
export interface FileDetector<K extends string = string> {
  /** The kind a matching file is given (what the format's reader is handed). */
  readonly kind: K;
  /** What the user would call such a file, for the message about a file named that is none of them. */
  readonly label: string;
  /** Recognised by its name alone, whatever its content (Terraform's `.tf`). */
  byName?(file: string): boolean;
  /** Recognised from the first bytes of a JSON, YAML or `.template` file, or of any file named on the command line. */
  byContent?(head: string): boolean;
  /**
   * Also recognised by content in files of other names met in a walk (`api.swagger`, `openapi.json.tmpl`,
   * `spec` without an extension): such a file is sniffed cheaply first (see {@link classify}).
   */
  readonly anyName?: boolean;
  /** The files of this kind a directory stands for (a CDK cloud assembly's templates), or undefined when it is not one. */
  directory?(dir: string, access: FileAccess): string[] | undefined;
}

/** One file to scan. */
export interface DiscoveredFile<K extends string = string> {
  /** Absolute path. */
  readonly path: string;
  readonly kind: K;
}

/** The files found under the scan paths, and what could not be walked. */
export interface Discovery<K extends string = string> {
  readonly files: readonly DiscoveredFile<K>[];
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

/**
 * Names never sniffed for {@link FileDetector.anyName} detectors: source code, documentation, media,
 * archives, binaries, Terraform's own files (read by name) and key material, which are never a JSON or
 * YAML document and would cost a read each in a large tree.
 */
const NEVER_SNIFFED =
  /\.(md|markdown|mdx|rst|adoc|txt|html?|css|s[ac]ss|less|m?[jt]sx?|cjs|cts|mts|py[cdiwo]?|rb|go|java|kts?|scala|groovy|gradle|cs|fs|vb|c|cc|cpp|cxx|h|hh|hpp|rs|swift|m|mm|php|pl|pm|lua|r|dart|ex|exs|erl|clj|sh|bash|zsh|fish|ps1|psm1|bat|cmd|sql|xml|xsd|xsl|wsdl|csv|tsv|log|lock|sum|mod|tf|tfvars|tfstate|tfplan|hcl|bicep|proto|pb|ipynb|map|svg|png|jpe?g|gif|ico|icns|webp|bmp|tiff?|psd|pdf|docx?|xlsx?|pptx?|odt|zip|gz|tgz|bz2|xz|zst|7z|rar|tar|jar|war|ear|whl|egg|deb|rpm|apk|dmg|iso|class|exe|dll|so|dylib|o|a|lib|obj|wasm|bin|dat|db|sqlite3?|woff2?|ttf|otf|eot|mp[34]|m4a|mov|avi|mkv|wav|ogg|flac|pem|key|crt|cer|der|csr|p7b|p12|pfx|jks|keystore|gpg|pgp|asc|sig|env|pub|ppk|kdbx)$/i;

/** How much of a file of another name is read to tell whether it may be a document at all. */
const SNIFF_BYTES = 1024;

/** Files of other names larger than this are not sniffed: hand-written specs are far smaller. */
const SNIFF_MAX_SIZE = 16 * 1024 * 1024;

/**
 * Whether the beginning of a file of another name reads as a JSON object or a YAML mapping, the
 * shape of every document a detector recognises: after blank lines, comments, `---`, `%YAML`
 * directives and lines that are only template tags (`{{- if .Cors }}`, `{% set %}`, `%{ if }`), the
 * first line opens a JSON object or is a `key:`. Source code, prose and logs do not.
 */
function looksLikeDocument(head: string): boolean | undefined {
  const lines = head.split(/\r?\n/);
  // The last line may be cut: it decides nothing.
  if (head.length >= SNIFF_BYTES) lines.pop();
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '---' || line.startsWith('%YAML') || /^(\{\{.*\}\}|\{%.*%\}|\{#.*#\}|%\{.*\})$/.test(line)) continue;
    return line.startsWith('{') || /^["']?[A-Za-z_$][\w$.-]*["']?\s*:(\s|$)/.test(line);
  }
  // Only comments so far (a long licence header): undecided.
  return head.length >= SNIFF_BYTES ? undefined : false;
}

/** Whether a file of another name may be sniffed (see {@link FileDetector.anyName}). */
function sniffable(file: string, size: number | undefined): boolean {
  return !NEVER_SNIFFED.test(file) && (size === undefined || (size > 0 && size <= SNIFF_MAX_SIZE));
}

/** Whether a file name is one gatewarden reads in a directory walk (by name, or to recognise by content). */
function isCandidate(name: string, detectors: readonly FileDetector[]): boolean {
  return byName(name, detectors) !== undefined || CONTENT_CHECKED.test(name);
}

function byName<K extends string>(file: string, detectors: readonly FileDetector<K>[]): K | undefined {
  return detectors.find((detector) => detector.byName?.(file) === true)?.kind;
}

/**
 * Classifies a file with the detectors: by name first, then by content, from the first bytes only
 * (decoded as every reader decodes them, so a UTF-16 template is recognised too). Reads through
 * `access` when given (the scan's boundary). In a directory walk, JSON, YAML and `.template` files
 * are recognised by every detector; a file of another name only by the detectors that ask for it
 * (`anyName`), and only when its first kilobyte is text shaped like a document, so that a tree of
 * source code costs no more than a look at its names (`size`, when known, skips large files unread).
 */
export function classify<K extends string>(file: string, detectors: readonly FileDetector<K>[], named = false, access: FileAccess = unbounded(file), size?: number): K | undefined {
  const named_ = byName(file, detectors);
  if (named_ !== undefined) return named_;
  if (!named && !CONTENT_CHECKED.test(file)) {
    const anyName = detectors.filter((detector) => detector.anyName === true);
    if (anyName.length === 0 || !sniffable(path.basename(file), size)) return undefined;
    // Binary and undecodable files come back undefined here.
    const sniff = access.head(file, SNIFF_BYTES);
    if (sniff === undefined) return undefined;
    const shaped = looksLikeDocument(sniff);
    if (shaped === false) return undefined;
    const head = access.head(file, HEAD_BYTES) ?? '';
    // A head of comments only: decided on the longer head (its first meaningful line must open a document).
    if (shaped === undefined && looksLikeDocument(head.slice(0, head.length >= HEAD_BYTES ? head.lastIndexOf('\n') : head.length)) !== true) return undefined;
    return kindOf(head, anyName);
  }
  const start = access.head(file, HEAD_BYTES) ?? '';
  const kind = kindOf(start, detectors);
  // A template can hold more than 64 KB of Parameters or Metadata before its Resources: a larger file
  // that is not recognised from its head is looked at up to ARM's 4 MB template limit, so that such a
  // template is not skipped without a word.
  if (kind !== undefined || start.length < HEAD_BYTES) return kind;
  return kindOf(access.head(file, LONG_HEAD_BYTES) ?? '', detectors);
}

/** Tells a kind of input from the beginning of a file. */
function kindOf<K extends string>(start: string, detectors: readonly FileDetector<K>[]): K | undefined {
  return detectors.find((detector) => detector.byContent?.(start) === true)?.kind;
}

/** The files of one kind a directory stands for, through the first detector that claims it. */
function directoryFiles<K extends string>(dir: string, detectors: readonly FileDetector<K>[], access: FileAccess): { kind: K; files: string[] } | undefined {
  for (const detector of detectors) {
    const files = detector.directory?.(dir, access);
    if (files !== undefined) return { kind: detector.kind, files };
  }
  return undefined;
}

/**
 * The message for a file named on the command line that no detector recognises: what gatewarden
 * reads, from the detectors' labels.
 */
export function notAFormatMessage(detectors: readonly FileDetector[]): string {
  const labels = detectors.map((detector) => detector.label);
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? '');
  return `it is not a format gatewarden reads (${list})`;
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

/** What an unsupported file seems to be, when that helps the user (a binary plan is a zip archive). */
function hintFor(file: string, access: FileAccess): string | undefined {
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
export function discover<K extends string>(
  paths: readonly string[],
  cwd: string,
  detectors: readonly FileDetector<K>[],
  excluded: (absolutePath: string) => boolean = () => false,
  access?: FileAccess,
): Discovery<K> {
  const boundary = access ?? new FileAccess({ roots: paths.map((given) => path.resolve(cwd, given)), display: (absolute) => displayPath(cwd, absolute) });
  const files = new Map<string, DiscoveredFile<K>>();
  const missing: string[] = [];
  const unsupported: Array<{ path: string; hint?: string }> = [];
  const diagnostics: Diagnostic[] = [];
  const add = (file: string, kind: K): void => {
    files.set(file, { path: file, kind });
  };
  /** Adds the files a directory stands for (a CDK cloud assembly); false when it stands for none. */
  const addDirectory = (dir: string): boolean => {
    const found = directoryFiles(dir, detectors, boundary);
    if (found === undefined) return false;
    for (const file of found.files) add(file, found.kind);
    return true;
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
        if (!addDirectory(full)) walk(full, depth + 1);
      } else if (stat.isSymbolicLink()) {
        if (excluded(full)) continue;
        walkLink(full, name);
      } else if (stat.isFile()) {
        if (excluded(full)) continue;
        const kind = classify(full, detectors, false, boundary, stat.size);
        if (kind) add(full, kind);
      } else if (isCandidate(name, detectors)) {
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
        if (isCandidate(name, detectors)) diagnostics.push({ severity: 'warning', code: 'not-scanned', message: `the symbolic link ${displayPath(cwd, full)} leads to nothing that can be read (${located.message}); it was not read`, location: lineLocation(displayPath(cwd, full), 1) });
        return;
      }
      const pointsToDirectory = isDirectoryPath(full);
      if (!pointsToDirectory && !isCandidate(name, detectors)) return;
      const shown = displayPath(cwd, full);
      diagnostics.push({
        // A Terraform file of the module is certainly part of the configuration; a JSON or YAML file or
        // a directory may or may not hold gateway configuration.
        severity: !pointsToDirectory && byName(name, detectors) !== undefined ? 'error' : 'warning',
        code: 'outside-roots',
        message: `the symbolic link ${outsideMessage(shown, full, located.realPath ?? full, pointsToDirectory ? 'followed' : 'read', (file) => displayPath(cwd, file))}`,
        location: lineLocation(shown, 1),
      });
      return;
    }
    if (isDirectoryPath(located.realPath)) return;
    const kind = classify(full, detectors, false, boundary);
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
      if (!addDirectory(full)) walk(full, 0);
    } else if (path.basename(full) === 'manifest.json' && addDirectory(path.dirname(full))) {
      // `gatewarden scan cdk.out/manifest.json` means the assembly.
    } else {
      const kind = classify(full, detectors, true, boundary);
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
function dedupeLinked<K extends string>(files: ReadonlyMap<string, DiscoveredFile<K>>, access: FileAccess): Map<string, DiscoveredFile<K>> {
  const byReal = new Map<string, DiscoveredFile<K>>();
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

