import path from 'node:path';
import { adaptOpenApiDocument, type OpenApiDocumentInput } from '../../../providers/index.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import { LARGE_DOCUMENT_BYTES, looksLikeOpenApi } from '../../sources/openapi/detect.js';
import { isTextDocumentError, parseTextWithHoles } from '../../sources/openapi/document.js';
import { templateStyleOf, withPlaceholders } from '../../sources/openapi/template-file.js';
import { limitDiagnostic, type Limits } from '../../limits.js';
import { inputFormat } from '../input-format.js';

/**
 * OpenAPI 2 and 3 documents found on their own. Read after every other format: a document a
 * configuration reads (`file()`) is scanned as part of its resource, and only documents nothing
 * reads are scanned on their own.
 */
export const OPENAPI_FORMAT = inputFormat<OpenApiDocumentInput>({
  name: 'openapi',
  description: 'OpenAPI 2 and 3 documents (JSON or YAML) with their gateway extensions',
  // Specs are often kept under other names: `api.swagger`, templates (`openapi.yaml.tpl`, `api.json.tmpl`).
  detectors: [{ kind: 'openapi', label: 'an OpenAPI document', byContent: looksLikeOpenApi, anyName: true }],
  // Entity ids already carry the file.
  adapters: [{ provider: 'openapi', adapt: (document: OpenApiDocumentInput) => adaptOpenApiDocument(document, '') }],
  async read(discovered, context, emit) {
    const documents = discovered.filter((file) => !context.embeddedFiles.has(path.resolve(file.path))).map((file) => file.path);
    for (const file of documents) {
      context.addFile(context.relative(file));
      const text = context.readText(file);
      if (text === undefined) continue;
      context.guarded({ what: 'the OpenAPI document', file }, () => {
        const result = parseOpenApiText(text, context.relative(file), context.limits);
        context.addDiagnostics(result.diagnostics);
        if (result.document) emit(result.document, { what: 'the OpenAPI document', file });
      });
    }
  },
});

/**
 * Parses an OpenAPI document found on its own; problems are diagnostics at their lines. A document
 * named as a template (`.tpl`, `.j2`, `.tmpl`...) is read with its placeholders unknown.
 */
function parseOpenApiText(text: string, rel: string, limits: Limits): { document?: OpenApiDocumentInput; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (text.length > LARGE_DOCUMENT_BYTES) {
    diagnostics.push({ severity: 'warning', code: 'unsupported', message: `the OpenAPI document is ${(text.length / 1024 / 1024).toFixed(1)} MB; it is scanned, but a document this size is usually generated: scan its source if you can`, location: lineLocation(rel, 1) });
  }
  const style = templateStyleOf(rel);
  const source = style ? withPlaceholders(text, style, rel) : text;
  const parsed = parseTextWithHoles(source, limits);
  if (isTextDocumentError(parsed) && parsed.limit) {
    return { diagnostics: [...diagnostics, limitDiagnostic({ ...parsed.limit, location: lineLocation(rel, parsed.line ?? 1) })] };
  }
  if (isTextDocumentError(parsed) && typeof source !== 'string') {
    // Placeholders that write structure (`{% for %}` blocks, `${indent(2, routes)}`): it is a document once rendered.
    const message = `the OpenAPI document is a template that is not valid JSON or YAML until it is rendered (${parsed.error}, with its placeholders stood in for); its routes are not checked. Scan the rendered document, or the configuration that renders it`;
    return { diagnostics: [...diagnostics, { severity: 'error', code: 'not-scanned', message, location: lineLocation(rel, parsed.line ?? 1) }] };
  }
  if (isTextDocumentError(parsed)) {
    return { diagnostics: [...diagnostics, { severity: 'error', code: 'parse-error', message: `the OpenAPI document is neither valid JSON nor YAML (${parsed.error}); it was not scanned`, location: lineLocation(rel, parsed.line ?? 1) }] };
  }
  if (parsed.data instanceof Unknown) {
    return { diagnostics: [...diagnostics, { severity: 'error', code: 'unresolved', message: `the OpenAPI document cannot be read as a whole: ${parsed.data.reason}; its routes are not checked`, location: lineLocation(rel, 1) }] };
  }
  return {
    document: { file: rel, data: parsed.data, locate: (pointer) => lineLocation(rel, parsed.lineOf(pointer) ?? 1) },
    diagnostics,
  };
}
