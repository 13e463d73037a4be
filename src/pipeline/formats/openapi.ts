import path from 'node:path';
import { adaptOpenApiDocument, apiOpsApiOf, APIOPS_DECIDES, APIOPS_HINT, type OpenApiDocumentInput } from '../../../providers/index.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import { LARGE_DOCUMENT_BYTES, looksLikeOpenApi } from '../../sources/openapi/detect.js';
import { isTextDocumentError, parseTextWithHoles } from '../../sources/openapi/document.js';
import { templateStyleOf, withPlaceholders } from '../../sources/openapi/template-file.js';
import { limitDiagnostic, type Limits } from '../../limits.js';
import { inputFormat, type ReadContext, type UnreadImport } from '../input-format.js';

/**
 * OpenAPI 2 and 3 documents found on their own. Read after every other format: a document a
 * configuration reads (`file()`) is scanned as part of its resource, and only documents nothing
 * reads are scanned on their own. A document that is not a gateway's is reported (an `info`
 * diagnostic, code `not-a-gateway`) and not checked: one a resource uses for something else (a
 * Bedrock agent's action-group schema), and a test fixture nothing in the scan deploys. A document a
 * Bicep file imports (into API Management) is not checked either, nor the specification of an API kept
 * as APIOps artifacts that the APIOps format did not read: the gateway decides, and it is not read (an
 * error, code `gateway-not-read`, at each import). One it read is checked through its API.
 */
export const OPENAPI_FORMAT = inputFormat<OpenApiDocumentInput>({
  name: 'openapi',
  description: 'OpenAPI 2 and 3 documents (JSON or YAML) with their gateway extensions',
  // Specs are often kept under other names: `api.swagger`, templates (`openapi.yaml.tpl`, `api.json.tmpl`).
  detectors: [{ kind: 'openapi', label: 'an OpenAPI document', byContent: looksLikeOpenApi, anyName: true }],
  // Entity ids already carry the file.
  adapters: [{ provider: 'openapi', adapt: (document: OpenApiDocumentInput) => adaptOpenApiDocument(document, '') }],
  async read(discovered, context, emit) {
    const documents: string[] = [];
    for (const { path: file } of discovered) {
      const unread = unreadImportDiagnostics(file, context);
      if (unread.length > 0) {
        context.addFile(context.relative(file));
        context.addDiagnostics(unread);
        continue;
      }
      // Before the linked files: evaluating `payload = file("schema.yaml")` reads the file too.
      const notGateway = notAGatewayDiagnostic(file, context);
      if (notGateway) {
        context.addFile(context.relative(file));
        context.addDiagnostics([notGateway]);
      } else if (!context.embeddedFiles.has(path.resolve(file))) {
        documents.push(file);
      }
    }
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
 * The imports of a document by configurations gatewarden does not read (see `UnreadImport`), one error
 * each at the import (each is a gateway that is not checked): such a document is not checked as a
 * stand-alone gateway, since its security section is not what the gateway that imports it enforces.
 */
function unreadImportDiagnostics(file: string, context: ReadContext): Diagnostic[] {
  const rel = context.relative(file);
  const apiOps = apiOpsImport(file, context);
  if (apiOps !== undefined) return [gatewayNotRead(rel, apiOps)];
  if (context.unreadImports.length === 0) return [];
  const located = context.access.locate(file);
  const real = located.ok ? located.realPath : path.resolve(file);
  return context.unreadImports.filter((use) => use.file === real).map((use) => gatewayNotRead(rel, use));
}

/** The error for one import of the document `rel` by a configuration gatewarden does not read. */
function gatewayNotRead(rel: string, use: UnreadImport): Diagnostic {
  return {
    severity: 'error',
    code: 'gateway-not-read',
    message: `${rel} is not checked as a stand-alone gateway: it is ${use.how}; ${use.decides}. To check that API, ${use.hint}`,
    location: use.location,
    ...(use.address !== undefined ? { address: use.address } : {}),
  };
}

/**
 * The APIOps API whose specification `file` is (an `apiInformation.json` beside it), as an import at
 * that file; undefined otherwise, and for a document named on the command line, which is checked as
 * written (as test fixtures are).
 */
function apiOpsImport(file: string, context: ReadContext): UnreadImport | undefined {
  const absolute = path.resolve(file);
  // Read with its API by the APIOps format: checked through the API, not on its own.
  if (context.targets.includes(absolute) || context.embeddedFiles.has(absolute)) return undefined;
  const api = apiOpsApiOf(absolute, (candidate) => context.access.exists(candidate) === true);
  if (api === undefined) return undefined;
  const information = context.relative(api.informationFile);
  return {
    file: absolute,
    location: lineLocation(information, 1),
    how: `the specification of the API Management API ${api.name} kept as APIOps artifacts (${information})`,
    decides: APIOPS_DECIDES,
    hint: APIOPS_HINT,
    address: api.name,
  };
}

/**
 * Directory names that hold tests and their data, by the conventions of the common test runners
 * (`__tests__` and `__mocks__` of Jest, Go's `testdata`, `fixtures` of most). A document below one of
 * them that nothing in the scan deploys is a fixture: what a test feeds the code under test, not an
 * API anyone serves.
 */
const TEST_DIRECTORIES = new Set(['test', 'tests', '__tests__', '__mocks__', '__fixtures__', 'fixtures', 'mocks', 'testdata', 'test-data', 'test_data']);

/**
 * Why a document found on its own is not checked as a gateway, as an `info` diagnostic at its first
 * line, or undefined when it is checked:
 * - a resource uses it for something else (see `NonGatewayDocument`); a resource that names it by
 *   S3 key names the stand-alone document of that file name under the configuration's directory;
 * - it is under a test directory below every scan path that holds it, and no gateway reads it (a
 *   document a gateway reads is checked through that gateway). Naming the file or a directory at or
 *   below the test directory on the command line checks it (`gatewarden scan tests/fixtures`).
 */
function notAGatewayDiagnostic(file: string, context: ReadContext): Diagnostic | undefined {
  const absolute = path.resolve(file);
  const rel = context.relative(absolute);
  const uses = context.nonGatewayDocuments.filter(({ source }) =>
    'file' in source
      ? path.resolve(context.cwd, source.file) === absolute
      : path.basename(source.s3Key) === path.basename(absolute) && isUnder(absolute, path.resolve(context.cwd, source.under)),
  );
  if (uses.length > 0) {
    const named = uses.map((use) => `${use.usedBy}, as ${use.usedAs}${'s3Key' in use.source ? ` (from S3, key ${use.source.s3Key}, whose copy this is taken to be by its file name)` : ''}`);
    return {
      severity: 'info',
      code: 'not-a-gateway',
      message: `${rel} is not checked as an API gateway: it is used by ${[...new Set(named)].join('; and by ')}. A document a gateway deploys is checked through that gateway's resource; scan this one alone (gatewarden scan ${rel}) to check it anyway`,
      location: lineLocation(rel, 1),
    };
  }
  if (context.embeddedFiles.has(absolute)) return undefined;
  const testDirectory = testDirectoryOf(absolute, context.targets);
  if (testDirectory === undefined) return undefined;
  return {
    severity: 'info',
    code: 'not-a-gateway',
    message: `${rel} is not checked as an API gateway: it is under the test directory ${context.relative(testDirectory)} and nothing in the scan deploys it (a test fixture). Scan that directory or the file itself (gatewarden scan ${context.relative(testDirectory)}) to check it`,
    location: lineLocation(rel, 1),
  };
}

/**
 * The test directory a file is under, below every scan path that holds it; undefined when a scan
 * path that holds it has none between it and the file, or names the file itself.
 */
function testDirectoryOf(file: string, targets: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const target of targets) {
    if (target !== file && !isUnder(file, target)) continue;
    const segments = path.relative(target, file).split(path.sep).slice(0, -1);
    // The innermost one: scanning it (as the message suggests) checks the document.
    const index = segments.findLastIndex((segment) => TEST_DIRECTORIES.has(segment.toLowerCase()));
    if (index < 0) return undefined;
    found ??= path.join(target, ...segments.slice(0, index + 1));
  }
  return found;
}

function isUnder(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

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
