import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

// The libpq password file (~/.pgpass or PGPASSFILE), read here rather than by pg: pg's own reading
// prints a deprecation warning on every run that uses it (it goes away in pg 9), and the file is
// where docs/nightly.md tells users to keep the password.

/** What a password is looked up for: the connection's parameters, as pg resolved them. */
export interface PasswordFor {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** The password file's answer: the password found (if any) and, when the file was ignored, why. */
export interface PasswordFileAnswer {
  readonly password?: string;
  /** Why an existing file was not read (group or world access, not a plain file): for the error message. */
  readonly ignored?: string;
}

/** The password file libpq reads: PGPASSFILE, else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on Windows). */
export function passwordFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PGPASSFILE']) return env['PGPASSFILE'];
  if (process.platform === 'win32') return path.join(env['APPDATA'] ?? homedir(), 'postgresql', 'pgpass.conf');
  return path.join(env['HOME'] ?? homedir(), '.pgpass');
}

/**
 * The password of the first line of the password file that matches `target`, as libpq reads it:
 * `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped, `#` lines
 * skipped; a Unix-socket or empty host matches `localhost`. A file others may read is ignored
 * (libpq does the same), and so is a missing or unreadable one.
 */
export async function passwordFromFile(target: PasswordFor, file = passwordFilePath()): Promise<PasswordFileAnswer> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ignored: `the password file ${file} is not a plain file` };
    // Group or world access: someone else could read the passwords, so libpq refuses the file.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) return { ignored: `the password file ${file} was ignored because others may read it (chmod 600 ${file})` };
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  const host = target.host === '' || target.host.startsWith('/') ? 'localhost' : target.host;
  const wanted = [host, String(target.port), target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitLine(line);
    if (fields === undefined) continue;
    if (wanted.every((value, index) => fields[index] === '*' || fields[index] === value)) return fields[4] === '' ? {} : { password: fields[4]! };
  }
  return {};
}

/** The five fields of a password file line, unescaped; undefined for a line with fewer. */
function splitLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let current = '';
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (char === '\\' && index + 1 < line.length) {
      current += line[++index];
    } else if (char === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields.length === 5 ? fields : undefined;
}
