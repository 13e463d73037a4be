import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GatewardenError } from '../errors.js';
import { withSuggestion } from '../suggest.js';

// Each command-line option is declared once, as a CliOption: the same declaration is handed to
// node:util parseArgs and rendered into the command's help, so an option cannot be accepted but
// undocumented, or documented but rejected. Light on purpose: `--help` loads this module.

/** What every option declares. */
interface CliOptionBase {
  /** The long name, without the dashes: `fail-on` for `--fail-on`. */
  readonly name: string;
  /** A one-letter alias, without the dash: `f` for `-f`. */
  readonly short?: string;
  /** One sentence for the help; the help wraps it. */
  readonly description: string;
}

/** An option that takes a value: `--format FORMAT[:FILE]`. */
export interface CliValueOption extends CliOptionBase {
  readonly type: 'string';
  /** The value's name in the help: `FILE`, `NAME=VALUE`. */
  readonly value: string;
  /** Repeatable: the values are collected in order (`--policies A --policies B`). */
  readonly multiple?: boolean;
}

/** An option without a value: `--no-color`. It reads false when absent. */
export interface CliFlagOption extends CliOptionBase {
  readonly type: 'boolean';
}

/**
 * One command-line option. A module that adds options to a command (an audit provider) exports
 * them as `readonly CliOption[]`; declared `as const satisfies readonly CliOption[]`, the parsed
 * values are typed by name (see {@link OptionValues}).
 */
export type CliOption = CliValueOption | CliFlagOption;

/**
 * The values parseArgs gives for a list of options: flags are booleans, options with a value are
 * strings (arrays when repeatable), absent when not given. Options whose names are only known as
 * `string` give an index signature instead.
 */
export type OptionValues<T extends readonly CliOption[]> = string extends T[number]['name']
  ? { readonly [name: string]: string | boolean | string[] | undefined }
  : { readonly [O in T[number] as O extends CliFlagOption ? O['name'] : never]: boolean } & {
      readonly [O in T[number] as O extends CliValueOption ? O['name'] : never]?: O extends { readonly multiple: true } ? string[] : string;
    };

/** A command (or subcommand) as parsing needs it. */
export interface CommandLine<T extends readonly CliOption[]> {
  /** The words after `gatewarden`, as the usage hint names them: `scan`, `policies list`, `audit aws`. */
  readonly command: string;
  readonly options: T;
  /** Whether the command takes arguments besides its options (`scan PATH...`). */
  readonly positionals: boolean;
  /**
   * Options the command refuses with a message of its own, by name, instead of "unknown option":
   * `policies test` says why it has no `--policies`.
   */
  readonly refused?: Readonly<Record<string, string>>;
}

/**
 * Parses a command's arguments with node:util parseArgs, strictly. Usage errors become a
 * {@link GatewardenError} that names the command's help; an unknown option suggests the closest one.
 */
export function parseCommandLine<const T extends readonly CliOption[]>(line: CommandLine<T>, argv: readonly string[]): { values: OptionValues<T>; positionals: string[] } {
  const config = Object.fromEntries(
    line.options.map((option) => [
      option.name,
      option.type === 'boolean'
        ? { type: 'boolean' as const, default: false, ...(option.short !== undefined ? { short: option.short } : {}) }
        : { type: 'string' as const, ...(option.multiple === true ? { multiple: true } : {}), ...(option.short !== undefined ? { short: option.short } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: line.positionals });
    return { values: values as OptionValues<T>, positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOption(argv, config) : undefined;
    if (unknown !== undefined) throw unknownOptionError(line, unknown);
    throw new GatewardenError('usage', `${error instanceof Error ? error.message : String(error)}; run "gatewarden ${line.command} --help"`);
  }
}

/**
 * The first option written that is not declared, as written (`--formt`, `-x`). parseArgs names it
 * only inside its message, quoted, where a name holding a quote could not be told apart: the
 * arguments are read again, leniently, for their tokens.
 */
function unknownOption(argv: readonly string[], config: NonNullable<ParseArgsConfig['options']>): { name: string; rawName: string } | undefined {
  const known = new Set(Object.keys(config));
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const token = tokens.find((entry) => entry.kind === 'option' && !known.has(entry.name));
  return token?.kind === 'option' ? { name: token.name, rawName: token.rawName } : undefined;
}

/** `unknown option "--formt"; did you mean --format? Run "gatewarden scan --help"`. */
function unknownOptionError(line: CommandLine<readonly CliOption[]>, unknown: { name: string; rawName: string }): GatewardenError {
  const refused = Object.hasOwn(line.refused ?? {}, unknown.name) ? line.refused![unknown.name] : undefined;
  if (refused !== undefined) return new GatewardenError('usage', refused);
  // A single dash is a short option: one letter has no useful neighbour, so only long names are compared.
  const candidates = unknown.rawName.startsWith('--') ? line.options.map((option) => option.name) : [];
  return new GatewardenError('usage', withSuggestion(`unknown option "${unknown.rawName}" for ${line.command}`, unknown.name, candidates, `run "gatewarden ${line.command} --help" to see its options`, (name) => `--${name}`));
}

/** Where descriptions start in the help, and the width they are wrapped to. */
const DESCRIPTION_COLUMN = 26;
const HELP_WIDTH = 100;

/**
 * The options section of a help: one entry per option, `  -f, --format FORMAT[:FILE]` then its
 * description at column 26 (on the next line when the name is too long), wrapped at 100 columns.
 */
export function renderOptions(options: readonly CliOption[]): string {
  const lines: string[] = [];
  for (const option of options) {
    const name = `  ${option.short !== undefined ? `-${option.short}, ` : '    '}--${option.name}${option.type === 'string' ? ` ${option.value}` : ''}`;
    const description = wrapWords(option.description, HELP_WIDTH - DESCRIPTION_COLUMN);
    if (name.length + 2 > DESCRIPTION_COLUMN) lines.push(name);
    else lines.push(name.padEnd(DESCRIPTION_COLUMN) + description.shift());
    lines.push(...description.map((line) => ' '.repeat(DESCRIPTION_COLUMN) + line));
  }
  return `${lines.join('\n')}\n`;
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/** The options of several lists, each name once (the first declaration wins), in order. */
export function mergeOptions(...lists: ReadonlyArray<readonly CliOption[]>): CliOption[] {
  const seen = new Set<string>();
  return lists.flat().filter((option) => !seen.has(option.name) && Boolean(seen.add(option.name)));
}
