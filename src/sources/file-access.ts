import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, formatLimit, limitDiagnostic, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../model/location.js';

// The scan roots are a trust boundary. gatewarden reads untrusted code (pull requests from forks,
// third-party modules) in CI jobs whose environment holds secrets, and it publishes its output. Every
// file the input makes it read (a scanned file, a symlink, `file()`, a module source, a var file, a
// nested template, a linked spec) goes through this one layer: the path is resolved with symbolic
// links followed and must stay inside the roots; special files (FIFOs, devices) are never opened for
// reading; size is bounded; the bytes are decoded the same way for every reader (BOMs, UTF-16).

/** Why a file was not read. */
export type ReadRefusal = 'outside-roots' | 'not-found' | 'not-a-file' | 'too-large' | 'not-text' | 'unreadable';

/** A file read as text: its content (BOM removed) and where it really is. */
export interface TextFile {
  readonly ok: true;
  readonly text: string;
  /** The absolute path with symbolic links resolved. */
  readonly realPath: string;
}

/** A file that was not read, and why, in words a person can act on. */
export interface FileRefusal {
  readonly ok: false;
  readonly refusal: ReadRefusal;
  /** What happened and what to do, naming the file as reports show it. */
  readonly message: string;
  /** For `too-large`: the file's size, so the limit diagnostic can suggest a value that is enough. */
  readonly size?: number;
  /** For `outside-roots`: where the path really leads, symbolic links followed. */
  readonly realPath?: string;
}

/**
 * Says that a path leads outside the scan roots, where it really leads, and how to allow it when it
 * is legitimate (a monorepo's shared modules): never suggesting to allow system directories.
 */
export function outsideMessage(shown: string, absolute: string, real: string, verb: 'read' | 'followed' | 'looked at', display: (absolutePath: string) => string = (file) => file): string {
  // Where a link leads, as an absolute path: relative to the scan root it would be a run of "../".
  const through = real === absolute ? '' : ` (it leads to ${real})`;
  const head = `${shown} is outside the scanned paths${through} and was not ${verb}: gatewarden reads only under the paths it scans`;
  // Links to directories are never walked, wherever they lead: allowing the target reads nothing more.
  if (verb === 'followed') return `${head}. To scan what it leads to, give that directory as a scan path too (gatewarden scan . ${display(real)})`;
  // The narrowest directory that makes it readable: a module's own directory, a file's parent. Never
  // a suggestion to open a system directory, the filesystem root or the home directory (where the
  // cloud credentials are).
  const target = isDirectoryPath(real) ? real : path.dirname(real);
  const unsafe = target === path.parse(target).root || target === os.homedir() || /^\/(proc|sys|dev|etc|run|var\/run)(\/|$)/.test(real);
  const allow = unsafe ? `${ALLOW_READ_FLAG} with a directory that holds it (not this one: it would open far more)` : `${ALLOW_READ_FLAG} ${display(target)}`;
  return `${head}. If it is yours and meant to be ${verb}, scan a directory that contains it or add ${allow}`;
}

/** The outcome of {@link FileAccess.read}. */
export type FileRead = TextFile | FileRefusal;

/** What {@link FileAccess} is built from. */
export interface FileAccessOptions {
  /**
   * Directories (and files) that may be read, with everything under them: the scan paths (a file
   * stands for its directory), `--allow-read` directories, and files named on the command line.
   */
  readonly roots: readonly string[];
  /** The limits in force (`file-size` is used here). */
  readonly limits?: Pick<Limits, 'file-size'>;
  /** Renders an absolute path as reports show it (relative to the scan root). */
  readonly display: (absolutePath: string) => string;
}

/** The flag that widens the boundary, named in every refusal. */
export const ALLOW_READ_FLAG = '--allow-read';

/**
 * The one way gatewarden reads input files. Construct it once per scan with the roots; readers call
 * {@link read}, {@link locate}, {@link exists} and {@link list}, never `node:fs` directly.
 */
export class FileAccess {
  private readonly roots: readonly string[];
  private readonly maxBytes: number;
  readonly display: (absolutePath: string) => string;
  /**
   * The real paths of directories met so far. A scan reads each file about twice (the reader, then
   * the line texts of its findings) and thousands of files in few directories: resolving a file as
   * its directory's real path plus its name when it is not itself a link costs one lstat instead of
   * a realpath's walk over every component. Shared with {@link withRoots}; the tree does not change
   * during a scan.
   */
  private readonly realDirs: Map<string, string>;

  /** `realDirs` is shared by {@link withRoots}; leave it out. */
  constructor(options: FileAccessOptions, realDirs = new Map<string, string>()) {
    // Roots are compared by their real paths, so a root reached through a link (a /tmp that is
    // /private/tmp) still contains the files under it.
    this.roots = [...new Set(options.roots.map((root) => realOrResolved(root)))];
    this.maxBytes = options.limits?.['file-size'] ?? DEFAULT_LIMITS['file-size'];
    this.display = options.display;
    this.realDirs = realDirs;
  }

  /** A file access with more roots (for paths a config file names, relative to its own directory). */
  withRoots(roots: readonly string[]): FileAccess {
    return new FileAccess({ roots: [...this.roots, ...roots], limits: { 'file-size': this.maxBytes }, display: this.display }, this.realDirs);
  }

  /** The real path of an absolute path (links followed); throws as realpath does when it does not resolve. */
  private realPathOf(absolute: string): string {
    const dir = path.dirname(absolute);
    if (dir !== absolute && !lstatSync(absolute).isSymbolicLink()) {
      let realDir = this.realDirs.get(dir);
      if (realDir === undefined) {
        realDir = realpathSync.native(dir);
        this.realDirs.set(dir, realDir);
      }
      return path.join(realDir, path.basename(absolute));
    }
    return realpathSync.native(absolute);
  }

  /** Tells whether an absolute real path is one of the roots or under one. */
  contains(realPath: string): boolean {
    return this.roots.some((root) => within(realPath, root));
  }

  /**
   * The real path of a file or directory, when it exists and is inside the roots once symbolic links
   * are followed; otherwise the refusal (`not-found` or `outside-roots`).
   */
  locate(file: string): { readonly ok: true; readonly realPath: string } | FileRefusal {
    const absolute = path.resolve(file);
    let real: string;
    try {
      real = this.realPathOf(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return this.refuse('unreadable', `${this.display(absolute)} could not be resolved (${code ?? 'error'})`);
      // A path that does not exist is "not found" only inside the roots: outside them, answering
      // "does not exist" where an existing file is refused would tell the configuration which files
      // exist anywhere (fileexists() as an oracle). Where it would be is judged by its deepest
      // existing directory, links followed.
      const would = wouldBeAt(absolute);
      if (!this.contains(would)) return { ...this.refuse('outside-roots', outsideMessage(this.display(absolute), absolute, absolute, 'read', this.display)) };
      return this.refuse('not-found', `${this.display(absolute)} does not exist`);
    }
    if (!this.contains(real)) return { ...this.refuse('outside-roots', outsideMessage(this.display(absolute), absolute, real, 'read', this.display)), realPath: real };
    return { ok: true, realPath: real };
  }

  /**
   * Reads a text file inside the roots: regular files only, within the `file-size` limit (or a lower
   * `maxBytes` of the caller's), decoded; or, `as: 'base64'`, its bytes as they are, in base64
   * (Terraform's `filebase64()` reads images and binary descriptors).
   */
  read(file: string, options: { readonly maxBytes?: number; readonly as?: 'text' | 'base64' } = {}): FileRead {
    const located = this.locate(file);
    if (!located.ok) return located;
    const shown = this.display(path.resolve(file));
    let descriptor: number | undefined;
    try {
      // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
      descriptor = openSync(located.realPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      const stat = fstatSync(descriptor);
      if (!stat.isFile()) return this.refuse('not-a-file', `${shown} is not a regular file (${stat.isDirectory() ? 'a directory' : 'a device, pipe or socket'}) and was not read`);
      if (stat.size > Math.min(this.maxBytes, options.maxBytes ?? Infinity)) {
        return { ...this.refuse('too-large', `${shown} is ${formatBytes(stat.size)}; it was not read`), size: stat.size };
      }
      const bytes = Buffer.allocUnsafe(stat.size);
      let length = 0;
      while (length < bytes.length) {
        const read = readSync(descriptor, bytes, length, bytes.length - length, length);
        if (read === 0) break;
        length += read;
      }
      if (options.as === 'base64') return { ok: true, text: bytes.subarray(0, length).toString('base64'), realPath: located.realPath };
      const decoded = decodeText(bytes.subarray(0, length));
      if ('problem' in decoded) return this.refuse('not-text', `${shown} ${decoded.problem}; it was not read`);
      return { ok: true, text: decoded.text, realPath: located.realPath };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return this.refuse('unreadable', `${shown} could not be read (${code ?? (error instanceof Error ? error.message : String(error))})`);
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
  }

  /**
   * The first bytes of a file, decoded, for recognising its format; undefined when it cannot be read
   * (the reader that gets it reports why).
   */
  head(file: string, bytes: number): string | undefined {
    const located = this.locate(file);
    if (!located.ok) return undefined;
    let descriptor: number | undefined;
    try {
      descriptor = openSync(located.realPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      if (!fstatSync(descriptor).isFile()) return undefined;
      const buffer = Buffer.alloc(bytes);
      const length = readSync(descriptor, buffer, 0, bytes, 0);
      const decoded = decodeText(buffer.subarray(0, length), { partial: true });
      return 'problem' in decoded ? undefined : decoded.text;
    } catch {
      return undefined;
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
  }

  /**
   * Whether a file exists, for Terraform's `fileexists()`: a path outside the roots is neither
   * (`outside-roots`), since answering would tell the configuration about files it may not read.
   */
  exists(file: string): boolean | FileRefusal {
    const located = this.locate(file);
    if (located.ok) return true;
    return located.refusal === 'not-found' ? false : located;
  }

  /** The names in a directory inside the roots, sorted; empty when it cannot be listed. */
  list(dir: string): string[] {
    const located = this.locate(dir);
    if (!located.ok) return [];
    try {
      return readdirSync(located.realPath).sort();
    } catch {
      return [];
    }
  }

  /** Whether a path is a directory inside the roots. */
  isDirectory(dir: string): boolean {
    const located = this.locate(dir);
    if (!located.ok) return false;
    try {
      return statSync(located.realPath).isDirectory();
    } catch {
      return false;
    }
  }

  private refuse(refusal: ReadRefusal, message: string): FileRefusal {
    return { ok: false, refusal, message };
  }

  /** The limit in force for file sizes. */
  get fileSizeLimit(): number {
    return this.maxBytes;
  }
}

/**
 * The diagnostic for a file that was not read: `outside-roots`, `limit` (too large) or `read-error`,
 * always an error (part of the input was not checked), at `location` (the file's first line when the
 * file itself was to be scanned, or the place in another file that names it).
 */
export function refusalDiagnostic(refusal: FileRefusal, location: SourceLocation, access: FileAccess, context = ''): Diagnostic {
  const what = context ? `${context}: ${refusal.message}` : refusal.message;
  if (refusal.refusal === 'too-large') {
    return limitDiagnostic({ name: 'file-size', limit: access.fileSizeLimit, what, location, ...(refusal.size !== undefined ? { found: refusal.size } : {}) });
  }
  return { severity: 'error', code: refusal.refusal === 'outside-roots' ? 'outside-roots' : 'read-error', message: what, location };
}

/** The diagnostic for a file to be scanned that could not be read, at its first line. */
export function unreadFileDiagnostic(refusal: FileRefusal, file: string, access: FileAccess): Diagnostic {
  return refusalDiagnostic(refusal, lineLocation(access.display(path.resolve(file)), 1), access);
}

/**
 * Where a path that does not exist would be: its deepest existing ancestor's real path, and the rest;
 * a dangling symbolic link on the way counts where it points (links to links followed, at most 40).
 */
function wouldBeAt(absolute: string, hops = 0): string {
  let dir = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(dir), ...rest);
    } catch {
      // The entry exists but leads nowhere: where it leads decides, not where it is.
      const target = hops < 40 ? danglingTarget(dir) : undefined;
      if (target !== undefined) return wouldBeAt(path.join(target, ...rest), hops + 1);
      const parent = path.dirname(dir);
      if (parent === dir) return absolute;
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

/** The absolute target of a symbolic link, or undefined when the path is not one. */
function danglingTarget(file: string): string | undefined {
  try {
    if (!lstatSync(file).isSymbolicLink()) return undefined;
    return path.resolve(path.dirname(file), readlinkSync(file));
  } catch {
    return undefined;
  }
}

/** A path with symbolic links resolved, or just made absolute when it does not exist. */
export function realOrResolved(file: string): string {
  try {
    return realpathSync.native(path.resolve(file));
  } catch {
    return path.resolve(file);
  }
}

/** Whether a real path is `dir` (compared by its real path) or under it. */
export function isUnder(realPath: string, dir: string): boolean {
  return within(realPath, realOrResolved(dir));
}

function within(realPath: string, realRoot: string): boolean {
  return realPath === realRoot || realPath.startsWith(realRoot.endsWith(path.sep) ? realRoot : `${realRoot}${path.sep}`);
}

/** Whether a path is a directory, symbolic links followed; false when it does not exist. */
export function isDirectoryPath(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function formatBytes(size: number): string {
  return formatLimit('file-size', size);
}

/** How many bytes are looked at to tell text from binary and UTF-16 without a BOM. */
const SNIFF_BYTES = 4096;

/**
 * Decodes a file's bytes as gatewarden's readers expect text: a UTF-8 BOM is removed (so it does not
 * shift columns or break JSON), UTF-16 with a BOM (as Windows tools write it) or recognisably without
 * one is decoded, UTF-32 and binary data (NUL bytes) are refused with the reason. `partial` is for
 * the head of a file, whose last character may be cut.
 */
export function decodeText(bytes: Uint8Array, options: { readonly partial?: boolean } = {}): { readonly text: string } | { readonly problem: string } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe && buffer[2] === 0 && buffer[3] === 0 && buffer.length >= 4) return { problem: 'is UTF-32 text, which gatewarden does not read (save it as UTF-8)' };
  if (buffer[0] === 0 && buffer[1] === 0 && buffer[2] === 0xfe && buffer[3] === 0xff) return { problem: 'is UTF-32 text, which gatewarden does not read (save it as UTF-8)' };
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return utf8(buffer.subarray(3), options);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return utf16(buffer.subarray(2), 'le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return utf16(buffer.subarray(2), 'be');
  const nul = buffer.indexOf(0);
  if (nul === -1) return utf8(buffer, options);
  const order = utf16WithoutBom(buffer.subarray(0, SNIFF_BYTES));
  if (order) return utf16(buffer, order);
  return { problem: `is binary, not text (it holds a NUL byte at offset ${nul})` };
}

function utf8(buffer: Buffer, options: { readonly partial?: boolean }): { readonly text: string } | { readonly problem: string } {
  const text = buffer.toString('utf8');
  // Invalid UTF-8 becomes U+FFFD. A few are a stray Latin-1 character in a comment, worth reading
  // on; many mean the file is not text at all, and its parse errors would be noise.
  let replaced = 0;
  for (let at = text.indexOf('\uFFFD'); at !== -1 && replaced <= 64; at = text.indexOf('\uFFFD', at + 1)) replaced++;
  const cut = options.partial ? 1 : 0;
  if (replaced - cut > 8 && replaced > text.length / 100) return { problem: 'is not UTF-8 text (it holds many invalid byte sequences)' };
  return { text };
}

function utf16(buffer: Buffer, order: 'le' | 'be'): { readonly text: string } | { readonly problem: string } {
  const even = buffer.subarray(0, buffer.length - (buffer.length % 2));
  const text = order === 'le' ? even.toString('utf16le') : Buffer.from(even).swap16().toString('utf16le');
  if (text.includes('\u0000')) return { problem: 'is binary, not text (it holds NUL characters)' };
  return { text };
}

/**
 * Recognises UTF-16 without a BOM from its first bytes: text in the Latin range has a zero byte in
 * every other position (the high byte), which binary data does not.
 */
function utf16WithoutBom(sample: Buffer): 'le' | 'be' | undefined {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) zeroEven++;
    if (sample[i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.9 && zeroEven === 0) return 'le';
  if (zeroEven >= pairs * 0.9 && zeroOdd === 0) return 'be';
  return undefined;
}
