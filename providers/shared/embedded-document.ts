import type { LimitHit } from '../../src/limits.js';
import { lineLocation, type SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import { isTextDocumentError, parseTextWithHoles } from '../../src/sources/openapi/document.js';
import { knownParts, PartialText } from '../../src/sources/view/partial-text.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import { writtenElsewhere } from './written-at.js';

/** A JSON/YAML document embedded in a Terraform attribute (an OpenAPI `body`, a policy). */
export interface EmbeddedDocument {
  readonly data: unknown;
  /** Where a path inside the document is written, in whichever file holds it. */
  locate(path: ReadonlyArray<string | number>): SourceLocation;
}

/** Why an embedded document could not be read. */
export type EmbeddedDocumentProblem =
  | { readonly kind: 'unknown'; readonly reason: string }
  /** `limit` is set when the document was not read because it is over a limit (see `TextDocumentError`). */
  | { readonly kind: 'invalid'; readonly message: string; readonly location: SourceLocation; readonly limit?: Omit<LimitHit, 'location' | 'address'> };

/**
 * Reads a document from an attribute, however it was written: `jsonencode({...})` (positions from
 * the HCL object literal), a heredoc or string (positions counted from the attribute), or
 * `file(...)`/`templatefile(...)` (positions in that file). Returns undefined when the attribute is absent.
 */
export function readEmbeddedDocument(resource: ResourceView, attribute: string): EmbeddedDocument | EmbeddedDocumentProblem | undefined {
  const value = resource.values[attribute];
  if (value === undefined || value === null) return undefined;
  const attributeLocation = resource.locate([attribute]);
  // Text with unknown parts (a template rendered with a variable that has no value, `Fn::Sub` with an
  // attribute known after deployment): read with only those parts unknown.
  const text = knownParts(value) ?? value;
  if (text instanceof Unknown) {
    // A structure with unknown leaves (`Fn::ToJsonString` of one): read the known parts.
    if (text.partial !== undefined) return { data: text.partial, locate: (path) => resource.locate([attribute, ...path]) };
    return { kind: 'unknown', reason: text.reason };
  }
  if (typeof text !== 'string' && !(text instanceof PartialText)) return { data: text, locate: (path) => resource.locate([attribute, ...path]) };
  const parsed = parseTextWithHoles(text);
  const raw = typeof text === 'string' ? text : text.text;
  // A heredoc's text ends with a line break, which starts no line of its own.
  const textLineCount = raw.split('\n').length - (raw.endsWith('\n') ? 1 : 0);
  const file = resource.valueFile(attribute);
  const lines = resource.textLines(attribute);
  // Text the attribute reads from elsewhere (`body = local.spec`, a variable's default): its lines
  // are where that literal is written, never counted from the attribute, which would point into
  // whatever follows it in the file.
  const elsewhere = lines || file ? undefined : writtenElsewhere(resource, [attribute]);
  const locateLine = (line: number): SourceLocation => {
    if (lines) return lineLocation(lines.file, lines.firstLine + line - 1);
    if (file) return lineLocation(file, line);
    if (elsewhere) {
      const at = elsewhere.location;
      // A heredoc's text starts on the line after its opening marker and ends on the line before its
      // closing one. Anything else written there (a one-line literal, a `templatefile(...)` call passed
      // to a module) does not hold the text line by line: its own place stands for every line.
      return at.endLine - at.startLine === textLineCount + 1 ? lineLocation(at.file, at.startLine + line) : lineLocation(at.file, at.startLine);
    }
    // A one-line attribute does not hold the text's lines (they come from a reference that cannot be
    // followed): its own line stands for all of them. An expression over several lines (a heredoc
    // inside `replace(...)`) holds them from the next line on.
    if (isInline(attributeLocation)) return attributeLocation;
    return lineLocation(attributeLocation.file, attributeLocation.startLine + line);
  };
  if (isTextDocumentError(parsed)) {
    return {
      kind: 'invalid',
      // Where an unknown part stands can decide the structure (`${indent(2, var.paths)}`): then the text
      // around it does not parse, and the reason for the unknown is what to act on.
      message: text instanceof PartialText && !parsed.limit ? `${parsed.error}, with a stand-in for a part that is unknown: ${(value as Unknown).reason}` : parsed.error,
      location: parsed.line !== undefined ? locateLine(parsed.line) : attributeLocation,
      ...(parsed.limit ? { limit: parsed.limit } : {}),
    };
  }
  // The whole document stood for by an unknown part (a key at its top is unknown).
  if (parsed.data instanceof Unknown) return { kind: 'unknown', reason: parsed.data.reason };
  const objectKeysIndexed = (path: ReadonlyArray<string | number>): boolean => {
    const found = resource.locate([attribute, ...path.slice(0, 1)]);
    return found.startLine !== attributeLocation.startLine || found.startColumn !== attributeLocation.startColumn;
  };
  return {
    data: parsed.data,
    locate(path) {
      // jsonencode({...}) of an HCL object literal: tree-sitter indexed its keys.
      if (!file && path.length > 0 && objectKeysIndexed(path)) return resource.locate([attribute, ...path]);
      // jsonencode() of an object written elsewhere (a module's caller, a variable default): the key
      // where it is written, or the nearest enclosing one that is.
      if (!file && !lines && typeof text === 'string') {
        for (let depth = path.length; depth > 0; depth--) {
          const found = resource.valueSourceAt?.([attribute, ...path.slice(0, depth)]);
          const written = found && found.kind !== 'cli' && found.kind !== 'input' ? found.location : undefined;
          if (written && (written.file !== attributeLocation.file || written.startLine !== attributeLocation.startLine)) return written;
        }
      }
      const line = parsed.lineOf(path);
      return line === undefined ? attributeLocation : locateLine(line);
    },
  };
}

/** A one-line attribute holds its text on the same line; a heredoc starts on the next one. */
function isInline(location: SourceLocation): boolean {
  return location.startLine === location.endLine;
}
