import { randomBytes } from 'node:crypto';
import { Unknown } from '../../model/unknown.js';
import { isRecord } from '../../objects.js';

// Text built from known and unknown parts: an OpenAPI body rendered with `templatefile()` where one
// variable has no value, a CloudFormation `Fn::Sub` over a document with a `!GetAtt` of a resource
// created at deploy time. Dropping the whole text because one part is unknown would leave the CORS,
// security and extensions of the document unchecked; so each unknown part is stood in for by a token,
// the text is parsed as it would be once rendered, and the tokens are turned back into the unknowns
// they stand for. Only what depends on the missing input stays unknown.
//
// A token is letters and digits only, so that it survives YAML (a plain scalar, as a key or a value,
// quoted or not) and JSON strings unchanged; it starts with letters, so YAML never reads it as a
// number or boolean. Its middle part is random for each process: a document cannot hold it by chance,
// and a document written to forge one cannot know it.

/** The random part of every token of this process. */
const NONCE = randomBytes(8).toString('hex');
const TOKEN_PREFIX = `gwunknown${NONCE}n`;
/** Matches any token of this process. */
const TOKEN = new RegExp(`${TOKEN_PREFIX}\\d+x`, 'g');
/** Matches a token exactly where its `lastIndex` says. */
const TOKEN_AT = new RegExp(`${TOKEN_PREFIX}\\d+x`, 'y');
let nextToken = 0;

/** A fresh token, never handed out before in this process. */
function newToken(): string {
  return `${TOKEN_PREFIX}${nextToken++}x`;
}

/**
 * Text with unknown parts. `text` is the text with each unknown part replaced by a token; `holes` maps
 * each token to the {@link Unknown} it stands for. It rides as the `partial` of an Unknown string, so
 * that everything that does not know about it sees an unknown value, as before.
 */
export class PartialText {
  constructor(
    /** The text, a token in place of each unknown part. */
    readonly text: string,
    /** What each token stands for. */
    readonly holes: ReadonlyMap<string, Unknown>,
  ) {}
}

/** The text of an unknown string: its partial text, or one token standing for all of it. */
export function partialTextOf(value: Unknown): PartialText {
  if (value.partial instanceof PartialText) return value.partial;
  const token = newToken();
  return new PartialText(token, new Map([[token, value]]));
}

/** The partial text of a value, when it is an unknown string that has known parts. */
export function knownParts(value: unknown): PartialText | undefined {
  return value instanceof Unknown && value.partial instanceof PartialText ? value.partial : undefined;
}

/**
 * Which unknown a string built from several parts is, when some are unknown: `first` keeps the first
 * unknown part's reason and link (Terraform's templates, where `"${aws_x.y.id}/path"` still links to
 * `aws_x.y`); `single` keeps the link only when there is one unknown part (CloudFormation's `Fn::Sub`).
 */
export type JoinedUnknown = 'first' | 'single';

/**
 * Joins text parts. When none is unknown, the string; otherwise an {@link Unknown} whose partial is the
 * text with a token for each unknown part (an unknown part that has known parts of its own keeps them).
 */
export function joinText(parts: ReadonlyArray<string | Unknown>, which: JoinedUnknown = 'first'): string | Unknown {
  const unknowns = parts.filter((part): part is Unknown => part instanceof Unknown);
  if (unknowns.length === 0) return parts.join('');
  // `"${var.x}"` alone, or a part between empty strings, is that value itself.
  if (unknowns.length === 1 && parts.every((part) => part instanceof Unknown || part === '')) return unknowns[0]!;
  let text = '';
  const holes = new Map<string, Unknown>();
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const inner = partialTextOf(part);
    text += inner.text;
    for (const [token, unknown] of inner.holes) holes.set(token, unknown);
  }
  return unknownText(text, holes, which);
}

/**
 * Text with tokens as a value: the string when no token is left in it, otherwise an unknown string
 * with known parts, standing for the holes whose tokens it still holds.
 */
export function partialValue(text: string, holes: ReadonlyMap<string, Unknown>, which: JoinedUnknown = 'first'): string | Unknown {
  const tokens = tokensIn(text);
  if (tokens.length === 0) return text;
  return unknownText(text, new Map(tokens.map((token) => [token, holes.get(token) ?? new Unknown('a part of the text is unknown')])), which);
}

/** An unknown string with known parts, its reason taken from its holes. */
function unknownText(text: string, holes: ReadonlyMap<string, Unknown>, which: JoinedUnknown): Unknown {
  const distinct = [...new Set(holes.values())];
  const first = distinct[0] ?? new Unknown('a part of the text is unknown');
  const partial = new PartialText(text, holes);
  if (which === 'first' || distinct.length === 1) return new Unknown(first.reason, first.ref, partial);
  return new Unknown(`a string with unknown parts: ${first.reason}`, undefined, partial);
}

/** The tokens of this process found in a text, in order. */
function tokensIn(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Whether a text holds a token of this process. */
export function hasToken(text: string): boolean {
  TOKEN.lastIndex = 0;
  return TOKEN.test(text);
}

/**
 * Applies a text transformation (a `replace()` whose search text is known) to a partial text, when
 * that is sound: the transformation must leave every token as it was, and the search text must not be
 * able to match across an unknown part (its value may end or begin with part of the search text).
 * Returns undefined when it is not sound, and the value is then unknown as a whole.
 */
export function transformKnownParts(partial: PartialText, search: string, transform: (text: string) => string): PartialText | undefined {
  const before = tokensIn(partial.text);
  if (search === '' || hasToken(search)) return undefined;
  // A match could start in the known text before a hole and end in the hole (or the other way round)
  // when some proper prefix of the search text ends a known part that precedes a hole, or some proper
  // suffix begins a known part that follows one.
  const segments = partial.text.split(TOKEN);
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    for (let length = 1; length < search.length; length++) {
      if (index < segments.length - 1 && segment.endsWith(search.slice(0, length))) return undefined;
      if (index > 0 && segment.startsWith(search.slice(search.length - length))) return undefined;
    }
  }
  const text = transform(partial.text);
  const after = tokensIn(text);
  if (after.length !== before.length || after.some((token, index) => token !== before[index])) return undefined;
  return new PartialText(text, partial.holes);
}

/**
 * Turns the tokens of a parsed document back into the unknowns they stand for: a string that is one
 * token is that unknown (its link kept); a string with a token inside is unknown with the same reason
 * (and keeps its known parts); an object with a token in a key is unknown as a whole, since which key
 * it has is not known. A token that is not in `holes` still makes the value unknown.
 */
export function restoreUnknowns(data: unknown, holes: ReadonlyMap<string, Unknown>, which: JoinedUnknown = 'first'): unknown {
  const lost = (token: string): Unknown => holes.get(token) ?? new Unknown('a part of the text is unknown');
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const tokens = tokensIn(value);
      if (tokens.length === 0) return value;
      if (tokens.length === 1 && tokens[0] === value) return lost(value);
      return unknownText(value, new Map(tokens.map((token) => [token, lost(token)])), which);
    }
    if (Array.isArray(value)) return value.map(walk);
    if (isRecord(value)) {
      const keyToken = Object.keys(value).flatMap(tokensIn)[0];
      if (keyToken !== undefined) {
        const cause = lost(keyToken);
        return new Unknown(`a key of this object is unknown: ${cause.reason}`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: walk(item), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return value;
  };
  return walk(data);
}

/**
 * Quotes the tokens of a JSON text that stand where a value goes (`"paths": TOKEN`, from
 * `${jsonencode(var.paths)}`), so that the text parses and they read as unknown values. Tokens inside
 * strings are left as they are.
 */
export function quoteBareTokens(json: string): string {
  if (!hasToken(json)) return json;
  let out = '';
  let inString = false;
  let last = 0;
  for (let index = 0; index < json.length; index++) {
    const char = json[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (json.startsWith(TOKEN_PREFIX, index)) {
      TOKEN_AT.lastIndex = index;
      const match = TOKEN_AT.exec(json);
      if (!match) continue;
      out += `${json.slice(last, index)}"${match[0]}"`;
      last = index + match[0].length;
      index = last - 1;
    }
  }
  return out + json.slice(last);
}
