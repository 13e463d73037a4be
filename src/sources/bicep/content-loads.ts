// A light textual reading of Bicep, for one purpose: finding the files a Bicep file loads at compile
// time (`loadTextContent('specs/api.json')`, `loadJsonContent`, `loadYamlContent`) and what it loads
// them into (the resource, module parameter or variable around the call). Bicep's full grammar is not
// parsed, and nothing else is read from it: its resources are not checked (compile Bicep to an ARM
// template for that). The scanner knows enough of the lexical grammar not to be fooled by comments
// and strings: `//` and `/* */` comments, `'...'` strings with `\` escapes and `${...}` interpolations,
// and `'''...'''` multi-line strings (no escapes, no interpolation).
// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files

/** The Bicep functions that read a file when the Bicep file is compiled. */
export type ContentLoadFunction = 'loadTextContent' | 'loadJsonContent' | 'loadYamlContent';

const LOAD_FUNCTIONS: ReadonlySet<string> = new Set<ContentLoadFunction>(['loadTextContent', 'loadJsonContent', 'loadYamlContent']);

/** What encloses a call: a resource or module declaration, or a top-level `var`/`param`/`output`. */
export type LoadSite =
  | {
      readonly kind: 'resource';
      /** The symbolic name (`api`). */
      readonly name: string;
      /** The full type without its API version, a nested child's joined to its parent's (`Microsoft.ApiManagement/service/apis`). */
      readonly type: string;
    }
  | {
      readonly kind: 'module';
      readonly name: string;
      /** The module's path or registry reference, as written (`./api.bicep`, `br/public:...`). */
      readonly source: string;
      /** The parameter the loaded text is passed as (`params: { openApiSpec: loadTextContent(...) }`), when it is one. */
      readonly param?: string;
    }
  | { readonly kind: 'var' | 'param' | 'output'; readonly name: string }
  | { readonly kind: 'other' };

/** One `load*Content` call whose path is a literal. */
export interface ContentLoad {
  readonly function: ContentLoadFunction;
  /** The path as written, relative to the Bicep file's directory. */
  readonly path: string;
  /** The line of the call (1-based). */
  readonly line: number;
  readonly site: LoadSite;
}

/** What a Bicep file declares that the reader of another file may ask about. */
export interface BicepOutline {
  readonly loads: readonly ContentLoad[];
  /** The types of the resources it declares (full types, without API versions). */
  readonly resourceTypes: ReadonlySet<string>;
}

type BareToken =
  | { readonly t: 'ident'; readonly text: string; readonly line: number }
  | { readonly t: 'string'; readonly text: string; readonly literal: boolean; readonly line: number }
  | { readonly t: 'punct'; readonly text: string; readonly line: number };

/** A token, and whether it is the first of its line (where statements and object keys start). */
type Token = BareToken & { readonly firstOnLine: boolean };

/**
 * Splits Bicep text into identifiers, strings and punctuation; comments and whitespace are dropped.
 * A string's `literal` is false when it holds an interpolation (its text is then the raw text).
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineOfLastToken = 0;
  const push = (token: BareToken): void => {
    tokens.push({ ...token, firstOnLine: token.line !== lineOfLastToken });
    lineOfLastToken = line;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      line += countLines(text, i, stop);
      i = stop;
    } else if (text.startsWith("'''", i)) {
      const start = line;
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      const body = text.slice(i + 3, end < 0 ? text.length : end);
      line += countLines(text, i, stop);
      push({ t: 'string', text: body, literal: true, line: start });
      i = stop;
    } else if (c === "'") {
      const start = line;
      const read = readString(text, i + 1);
      line += countLines(text, i, read.end);
      push({ t: 'string', text: read.value, literal: read.literal, line: start });
      i = read.end;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[\w]/.test(text[end]!)) end++;
      push({ t: 'ident', text: text.slice(i, end), line });
      i = end;
    } else {
      push({ t: 'punct', text: c, line });
      i++;
    }
  }
  return tokens;
}

/**
 * Reads a `'...'` string from just after its opening quote: its value with escapes applied, whether it
 * is free of interpolations, and the index after its closing quote. An interpolation's expression may
 * hold strings and braces of its own, nested to any depth: they are tracked on a stack, not by
 * recursion, so that no input can exhaust the call stack.
 */
function readString(text: string, from: number): { value: string; literal: boolean; end: number } {
  let value = '';
  let literal = true;
  // The open strings and interpolations, innermost last; an interpolation counts its open braces.
  const stack: Array<{ kind: 'string' } | { kind: 'interpolation'; braces: number }> = [{ kind: 'string' }];
  let i = from;
  while (i < text.length) {
    const top = stack.at(-1)!;
    const c = text[i]!;
    const outer = stack.length === 1;
    if (top.kind === 'string') {
      if (c === "'") {
        stack.pop();
        i++;
        if (stack.length === 0) return { value, literal, end: i };
      } else if (c === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!;
        if (outer) value += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
        i += 2;
      } else if (c === '$' && text[i + 1] === '{') {
        if (outer) literal = false;
        stack.push({ kind: 'interpolation', braces: 1 });
        i += 2;
      } else if (c === '\n' && outer) {
        // Unterminated on its line: Bicep rejects it; stop here so the rest is still read.
        return { value, literal, end: i };
      } else {
        if (outer) value += c;
        i++;
      }
    } else {
      if (c === "'") stack.push({ kind: 'string' });
      else if (c === '{') top.braces++;
      else if (c === '}' && --top.braces === 0) stack.pop();
      i++;
    }
  }
  return { value, literal, end: i };
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') lines++;
  return lines;
}

/** A declaration whose body is the next `{`: `resource api '...' = {`, `module m '...' = [for ...: {`. */
type Declaration = { readonly kind: 'resource'; readonly name: string; readonly type: string } | { readonly kind: 'module'; readonly name: string; readonly source: string };

interface Frame {
  /** The bracket that opened it. */
  readonly open: string;
  readonly declaration?: Declaration;
  /** The last object key met directly in this frame. */
  key?: string;
}

/** `Microsoft.ApiManagement/service/apis@2023-05-01` without its version; a nested child's type is relative (`apis@...`). */
function typeOf(written: string, parent: string | undefined): string {
  const type = written.split('@')[0] ?? written;
  return parent !== undefined && !type.includes('/') ? `${parent}/${type}` : type;
}

/**
 * Finds the `load*Content` calls of a Bicep file whose path is a literal string, with what encloses
 * each, and the types of the resources it declares. A path built with an interpolation cannot be
 * compiled by Bicep either (it wants a compile-time constant) and is left out, as is a call inside
 * an interpolation.
 */
export function outlineBicep(text: string): BicepOutline {
  const tokens = tokenize(text);
  const loads: ContentLoad[] = [];
  const resourceTypes = new Set<string>();
  const frames: Frame[] = [];
  let pending: Declaration | undefined;
  let topLevel: LoadSite = { kind: 'other' };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const next = tokens[index + 1];
    const after = tokens[index + 2];
    if (token.t === 'ident' && frames.length === 0 && token.firstOnLine) {
      // A top-level statement starts: `var x = ...`, `resource r '...' = ...`, `@decorator()`...
      if ((token.text === 'var' || token.text === 'param' || token.text === 'output') && next?.t === 'ident') topLevel = { kind: token.text, name: next.text };
      else topLevel = { kind: 'other' };
    }
    if (token.t === 'ident' && (token.text === 'resource' || token.text === 'module') && token.firstOnLine && next?.t === 'ident' && after?.t === 'string' && after.literal) {
      if (token.text === 'resource') {
        const parent = enclosingResource(frames);
        const type = typeOf(after.text, parent?.type);
        resourceTypes.add(type);
        pending = { kind: 'resource', name: next.text, type };
      } else {
        pending = { kind: 'module', name: next.text, source: after.text };
      }
      index += 2;
      continue;
    }
    if (token.t === 'punct' && (token.text === '{' || token.text === '[' || token.text === '(')) {
      if (token.text === '{' && pending) {
        frames.push({ open: '{', declaration: pending });
        pending = undefined;
      } else {
        frames.push({ open: token.text });
      }
      continue;
    }
    if (token.t === 'punct' && (token.text === '}' || token.text === ']' || token.text === ')')) {
      frames.pop();
      continue;
    }
    // An object key: first on its line (or after `{`/`,`) and followed by a colon. A ternary's `:`
    // follows an expression in the middle of a line, so it is not taken for one.
    const previous = tokens[index - 1];
    const startsEntry = token.firstOnLine || (previous?.t === 'punct' && (previous.text === '{' || previous.text === ','));
    if ((token.t === 'ident' || (token.t === 'string' && token.literal)) && startsEntry && next?.t === 'punct' && next.text === ':' && frames.at(-1)?.open === '{') {
      frames.at(-1)!.key = token.text;
      continue;
    }
    if (token.t === 'ident' && LOAD_FUNCTIONS.has(token.text) && next?.t === 'punct' && next.text === '(' && after?.t === 'string' && after.literal) {
      // `sys.loadTextContent(...)` names the same function.
      loads.push({ function: token.text as ContentLoadFunction, path: after.text, line: token.line, site: siteOf(frames, topLevel) });
    }
  }
  return { loads, resourceTypes };
}

/** The innermost resource declaration the frames are in. */
function enclosingResource(frames: readonly Frame[]): { type: string } | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const declaration = frames[i]!.declaration;
    if (declaration?.kind === 'resource') return declaration;
  }
  return undefined;
}

/** What encloses a call: the innermost declaration, or the top-level statement. */
function siteOf(frames: readonly Frame[], topLevel: LoadSite): LoadSite {
  for (let i = frames.length - 1; i >= 0; i--) {
    const declaration = frames[i]!.declaration;
    if (!declaration) continue;
    if (declaration.kind === 'resource') return declaration;
    // `params: { openApiSpec: ... }`: the key of the object that `params` opens, in the module's body.
    const keys = frames.slice(i).map((frame) => frame.key);
    const param = keys[0] === 'params' ? keys[1] : undefined;
    return { kind: 'module', name: declaration.name, source: declaration.source, ...(param !== undefined ? { param } : {}) };
  }
  return topLevel;
}
