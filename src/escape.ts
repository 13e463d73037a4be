/**
 * Escaping of values read from input (names, keys, paths, file names, messages built from them) on
 * their way to a terminal, a CI log or a rendered page. gatewarden scans untrusted code and its output
 * is published: a resource named `"x\n::error::pwned"` or `"\u001b[2J"` must show as written, never act
 * as a workflow command, a terminal escape sequence or a right-to-left override ("Trojan Source",
 * CVE-2021-42574). Kept free of imports so that the CLI can use it for its first line of output.
 */

/**
 * The characters shown as escapes: C0 controls (line breaks and tab included: a value is one line, and
 * any line structure is the format's own), DEL, C1 controls (U+0080 to U+009F, which some terminals read
 * as CSI and OSC), the Unicode bidi controls (embeddings and overrides U+202A to U+202E, isolates U+2066
 * to U+2069, and the marks U+061C, U+200E, U+200F) and the line and paragraph separators U+2028 and
 * U+2029, which editors and viewers break lines at.
 */
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes that read better than a code point, as JSON and JavaScript write them. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\u001b` for ESC: the JSON and JavaScript form, which the JSON report also uses. */
function codePoint(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Shows every {@link UNSAFE_CHARACTERS unsafe character} of a value as a visible escape (`\n`, `\r`,
 * `\t`, `\u001b`, `\u202e`), so that it reaches a terminal or a log as one inert line. Everything else,
 * backslashes included, is left as it is: the escape is for people reading, not a reversible encoding
 * (the JSON report has the exact values).
 */
export function escapeControl(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, (character) => NAMED[character] ?? codePoint(character));
}

// Only what JSON.stringify leaves raw; C0 controls it already escapes. These characters cannot occur
// outside a string in JSON text, so replacing them there keeps the document and its values the same.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `JSON.stringify` with the unsafe characters it leaves raw (DEL, C1, bidi controls, U+2028/U+2029)
 * written as `\uXXXX` escapes: the same values for a JSON reader, but nothing that acts on a terminal
 * when someone prints the file or a CI log shows it.
 */
export function stringifyJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON, codePoint);
}
