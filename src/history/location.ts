// What `--history` names, told apart without loading a database driver, and how it is shown: a
// PostgreSQL URL may hold a password (`postgres://user:secret@host/db`), which no message, progress
// line or report may ever print.

/** Whether `--history` (or `history:`) names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The password of a PostgreSQL URL: `user:password@` or `?password=`. */
const URL_PASSWORD = /^(postgres(?:ql)?:\/\/[^:/?#@]*):[^/?#]*@/i;
const QUERY_PASSWORD = /([?&]password=)[^&#]*/gi;

/**
 * `location` as messages show it: a PostgreSQL URL with its password replaced by `***`
 * (`postgres://gatewarden:***@db/history`); a file path as given.
 */
export function shownHistoryLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  return location.replace(URL_PASSWORD, '$1:***@').replace(QUERY_PASSWORD, '$1***');
}

/**
 * `text` (an error message of the driver or the server) without the password of `location`,
 * in any form it may appear in: raw, percent-decoded, or inside a quoted copy of the URL.
 */
export function withoutPassword(text: string, location: string): string {
  let result = text.split(location).join(shownHistoryLocation(location));
  for (const password of passwordsOf(location)) {
    // A one-character password would blank out every occurrence of that letter: still safer.
    result = result.split(password).join('***');
  }
  return result;
}

/** The password in `location`, as written and percent-decoded (empty when there is none). */
function passwordsOf(location: string): string[] {
  const written: string[] = [];
  const user = URL_PASSWORD.exec(location);
  if (user) written.push(location.slice(user[1]!.length + 1, user[0].length - 1));
  for (const match of location.matchAll(QUERY_PASSWORD)) written.push(location.slice(match.index + match[1]!.length, match.index + match[0].length));
  const all = new Set<string>();
  for (const password of written) {
    if (password === '') continue;
    all.add(password);
    try {
      all.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the driver would not decode it either.
    }
  }
  // Longest first, so that a password that contains another is replaced whole.
  return [...all].filter((password) => password !== '').sort((a, b) => b.length - a.length);
}
