import type { Diagnostic } from '../../src/model/diagnostic.js';
import { limitDiagnostic } from '../../src/limits.js';
import type { SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import { isTextDocumentError, parseTextWithHoles } from '../../src/sources/openapi/document.js';
import { knownParts, type PartialText } from '../../src/sources/view/partial-text.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import type { Value } from '../../src/sources/view/value.js';
import type { DocPath } from '../openapi/reader.js';

/** A spec read from a Terraform attribute, with locations inside it. */
export interface AttributeSpec {
  readonly data: unknown;
  /** Where a path of the spec is: a line of the spec's file when the lines map, else the attribute. */
  locate(pointer: DocPath): SourceLocation;
}

/** What a spec attribute holds: an OpenAPI document, or a gRPC service config (`google.api.Service` YAML). */
export type SpecKind = 'openapi' | 'service-config';

const WORDS: Record<SpecKind, { document: string; parts: string }> = {
  openapi: { document: 'OpenAPI document', parts: 'operations' },
  'service-config': { document: 'gRPC service config', parts: 'methods' },
};

/**
 * Reads an OpenAPI document (or, with `kind` `service-config`, a gRPC service config) from an
 * attribute: text (`openapi_config`, `grpc_config`, a heredoc or `templatefile()`), or base64
 * (`contents = filebase64(...)` or `base64encode(file(...))`), decoded. Lines map to the
 * file the text was read from when there is one. A value that is unknown, not base64 text, or not
 * JSON or YAML is reported at the attribute, never read as an empty spec.
 */
export function readAttributeSpec(resource: ResourceView, path: ReadonlyArray<string | number>, encoding: 'text' | 'base64', diagnostics: Diagnostic[], kind: SpecKind = 'openapi'): AttributeSpec | undefined {
  const { document, parts } = WORDS[kind];
  const attribute = resource.locate(path);
  let value: Value | undefined = resource.values;
  for (const segment of path) value = Array.isArray(value) ? value[Number(segment)] : typeof value === 'object' && value !== null && !(value instanceof Unknown) ? (value as Record<string, Value>)[String(segment)] : undefined;
  const report = (severity: Diagnostic['severity'], code: Diagnostic['code'], message: string, location: SourceLocation = attribute): undefined => {
    diagnostics.push({ severity, code, message, location, address: resource.address });
    return undefined;
  };
  if (value === undefined || value === null) return undefined;
  // Text with unknown parts (`templatefile()` with a variable that has no value): read with only those parts unknown.
  const partial = encoding === 'text' ? knownParts(value) : undefined;
  // An error, not a warning: the API's operations are not checked, so the result is incomplete.
  if (value instanceof Unknown && !partial) return report('error', 'unresolved', `the ${document} of ${resource.address} cannot be resolved (${value.reason}); its ${parts} are not checked`);
  if (typeof value !== 'string' && !partial) return report('error', 'parse-error', `the ${document} of ${resource.address} is not text; its ${parts} are not checked`);
  let textValue: string | PartialText = partial ?? (value as string);
  if (encoding === 'base64' && typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    // Base64 that does not round-trip, or bytes that are not UTF-8 text, cannot be a spec.
    if (bytes.toString('base64').replace(/=+$/, '') !== value.replace(/\s/g, '').replace(/=+$/, '')) return report('error', 'parse-error', `the contents of ${resource.address} are not base64; its ${parts} are not checked`);
    textValue = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (textValue.includes('\uFFFD') || /[\u0000-\u0008\u000E-\u001F]/.test(textValue)) return report('error', 'parse-error', `the contents of ${resource.address} decode to binary data, not an ${document}; its ${parts} are not checked`);
  }
  const file = resource.valueFile(path);
  const lines = path.length === 1 ? resource.textLines(String(path[0])) : file !== undefined ? { file, firstLine: 1 } : undefined;
  const at = (line: number): SourceLocation => (lines ? { file: lines.file, startLine: lines.firstLine + line - 1, startColumn: 1, endLine: lines.firstLine + line - 1, endColumn: 1 } : attribute);
  const parsed = parseTextWithHoles(textValue);
  if (isTextDocumentError(parsed) && parsed.limit) {
    diagnostics.push(limitDiagnostic({ ...parsed.limit, location: parsed.line !== undefined ? at(parsed.line) : attribute, address: resource.address }));
    return undefined;
  }
  if (isTextDocumentError(parsed)) {
    const unknownPart = partial ? `, with a stand-in for a part that is unknown: ${(value as Unknown).reason}` : '';
    return report('error', 'parse-error', `the ${document} of ${resource.address} is neither valid JSON nor YAML (${parsed.error}${unknownPart}); its ${parts} are not checked`, parsed.line !== undefined ? at(parsed.line) : attribute);
  }
  if (parsed.data instanceof Unknown) return report('error', 'unresolved', `the ${document} of ${resource.address} cannot be resolved (${parsed.data.reason}); its ${parts} are not checked`);
  const data = parsed.data as Record<string, unknown> | null;
  if (kind === 'service-config' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return report('error', 'parse-error', `the gRPC service config of ${resource.address} is not a mapping (type: google.api.Service); its methods are not checked`);
  }
  if (kind === 'openapi' && (typeof data !== 'object' || data === null || (data.swagger === undefined && data.openapi === undefined))) {
    return report('error', 'parse-error', `the document in ${resource.address} is not an OpenAPI document (no "swagger" or "openapi" version); its operations are not checked`);
  }
  return {
    data,
    locate(pointer) {
      const line = parsed.lineOf(pointer);
      return line === undefined ? attribute : at(line);
    },
  };
}
