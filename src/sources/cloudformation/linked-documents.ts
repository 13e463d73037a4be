import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation, type SourceLocation } from '../../model/location.js';
import { Unknown } from '../../model/unknown.js';
import { DEFAULT_LIMITS, limitDiagnostic } from '../../limits.js';
import { isRecord } from '../../objects.js';
import { refusalDiagnostic, type FileAccess } from '../file-access.js';
import type { ReaderLimits } from '../nesting.js';
import { isTextDocumentError, parseTextDocument } from '../openapi/document.js';

// OpenAPI documents a template names by a local path instead of holding them: SAM's `DefinitionUri`,
// `BodyS3Location` as a path, and `Fn::Transform` with `AWS::Include` (which inserts a snippet where it
// stands). `sam deploy` and `aws cloudformation package` upload such files and write their S3 location
// into the template they deploy, so the file in the repository is what the API is defined by. It is
// read through the scan's file boundary, relative to the template, and findings in it point at its lines.

/** A document read from a file a template names, with the lines of its parts. */
export interface LinkedDocument {
  /** The file as reports show it. */
  readonly file: string;
  /** The file, absolute: read as part of its template, it is not scanned again on its own. */
  readonly absolute: string;
  readonly data: unknown;
  /** Where a path inside the document is written. */
  locate(pointer: ReadonlyArray<string | number>): SourceLocation;
}

/**
 * Properties that name an API's OpenAPI document by path, by resource type. Their files are read as
 * they are: SAM does not evaluate intrinsic functions in a `DefinitionUri` file, nor does
 * CloudFormation in a `BodyS3Location` one.
 */
export const DOCUMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::Serverless::Api': ['DefinitionUri'],
  'AWS::Serverless::HttpApi': ['DefinitionUri'],
  'AWS::ApiGateway::RestApi': ['BodyS3Location'],
  'AWS::ApiGatewayV2::Api': ['BodyS3Location'],
};

/** A location that is a path in the repository, not an S3 object or URL that only the deployment can read. */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? undefined : value;
}

/** One `Fn::Transform` of `AWS::Include` in a resource's properties. */
export interface IncludeSite {
  /** Its path under `Properties`. */
  readonly path: readonly string[];
  /** The `{ "Fn::Transform": ... }` object as written (the resolver replaces it by identity). */
  readonly node: object;
  /** `Parameters.Location`, when it is written as a string. */
  readonly location: unknown;
}

/** Finds `Fn::Transform: { Name: AWS::Include, ... }` anywhere in a resource's properties. */
export function findIncludes(raw: unknown, at: readonly string[] = [], depth = 0): IncludeSite[] {
  if (depth > DEFAULT_LIMITS.depth) return [];
  if (Array.isArray(raw)) return raw.flatMap((item, index) => findIncludes(item, [...at, String(index)], depth + 1));
  if (!isRecord(raw)) return [];
  const transform = raw['Fn::Transform'];
  if (Object.keys(raw).length === 1 && isRecord(transform) && transform.Name === 'AWS::Include') {
    return [{ path: at, node: raw, location: isRecord(transform.Parameters) ? transform.Parameters.Location : undefined }];
  }
  return Object.entries(raw).flatMap(([key, item]) => findIncludes(item, [...at, key], depth + 1));
}

/** How to read a linked document: the scan's boundary, and how its template is shown. */
export interface LinkedDocumentOptions {
  readonly access: FileAccess;
  readonly relative: (file: string) => string;
  /** The template that names the file (absolute): relative paths resolve against its directory. */
  readonly templatePath: string;
  readonly limits?: ReaderLimits;
}

/**
 * Reads the document a template names by a local path. When it cannot be read (outside the scan
 * roots, missing, not JSON or YAML), the diagnostic says why at the line that names it (or at the
 * line of the file where it breaks), and the document is an {@link Unknown} saying so.
 */
export function readLinkedDocument(location: string, at: SourceLocation, what: string, address: string, options: LinkedDocumentOptions, diagnostics: Diagnostic[]): LinkedDocument | Unknown {
  const absolute = path.resolve(path.dirname(options.templatePath), location);
  const shown = options.relative(absolute);
  const read = options.access.read(absolute);
  if (!read.ok) {
    // The path is input too: `DefinitionUri: ../../../etc/passwd` must not make gatewarden read outside the roots.
    diagnostics.push({ ...refusalDiagnostic(read, at, options.access, what), address });
    return new Unknown(`${what} (${shown}) was not read: see the diagnostic at ${at.file}:${at.startLine}`);
  }
  const parsed = parseTextDocument(read.text, options.limits);
  if (isTextDocumentError(parsed)) {
    const where = lineLocation(shown, parsed.line ?? 1);
    diagnostics.push(
      parsed.limit
        ? { ...limitDiagnostic({ ...parsed.limit, location: where }), address }
        : { severity: 'error', code: 'parse-error', message: `${what} is neither valid JSON nor YAML (${parsed.error}); the routes it defines are not checked`, location: where, address },
    );
    return new Unknown(`${what} (${shown}) could not be parsed: see the diagnostic at ${where.file}:${where.startLine}`);
  }
  return { file: shown, absolute, data: parsed.data, locate: (pointer) => lineLocation(shown, parsed.lineOf(pointer) ?? 1) };
}
