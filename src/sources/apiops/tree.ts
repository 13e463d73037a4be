import path from 'node:path';
import { pushAll } from '../../arrays.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { limitDiagnostic } from '../../limits.js';
import type { ReaderLimits } from '../nesting.js';
import { isTextDocumentError, parseTextDocument } from '../openapi/document.js';

// APIOps (https://azure.github.io/apiops/) keeps one API Management instance as a folder of files,
// one folder per object, named as the extractor names them:
//   policy.xml                                          the service's (global) policy
//   apis/<api>/apiInformation.json                      the API's properties ({ "properties": {...} })
//   apis/<api>/specification.yaml|yml|json              the OpenAPI document its operations come from
//   apis/<api>/policy.xml, operations/<op>/policy.xml   API and operation policies
//   apis/<api>/diagnostics/<d>/diagnosticInformation.json
//   products/<p>/productInformation.json, policy.xml, apis.json ([{ "name": api }], older extractors)
//   products/<p>/apis/<api>/productApiInformation.json  (the product-API link, newer extractors)
//   named values/<n>/namedValueInformation.json         (`namedValues` in older extractors)
//   backends/<b>/backendInformation.json, diagnostics/<d>/diagnosticInformation.json,
//   policy fragments/<f>/policy.xml (`policyFragments`), subscriptions/<s>/subscriptionInformation.json,
//   gateways/<g>/gatewayInformation.json
// An API revision is its own folder, `apis/orders;rev=2`. This module reads such a folder into
// parsed artifacts; what they mean is the Azure adapter's business (providers/azure/apiops/).

/** A JSON or YAML artifact, parsed, with the line of each value. */
export interface ApiOpsDocument {
  /** The file, relative to the scan root. */
  readonly file: string;
  readonly data: unknown;
  /** 1-based line of the value at a path, or of its nearest ancestor. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** A policy document (`policy.xml`), as text: the adapter parses it with positions. */
export interface ApiOpsPolicyFile {
  readonly file: string;
  readonly xml: string;
}

/** What one artifact is: an object of the instance, by the ARM type it is a resource of. */
export type ApiOpsArtifactKind =
  | 'service-policy'
  | 'api'
  | 'api-policy'
  | 'operation-policy'
  | 'api-diagnostic'
  | 'product'
  | 'product-policy'
  | 'product-api'
  | 'named-value'
  | 'backend'
  | 'diagnostic'
  | 'policy-fragment'
  | 'subscription'
  | 'gateway';

/** One object of the instance, read from its files. */
export interface ApiOpsArtifact {
  readonly kind: ApiOpsArtifactKind;
  /** Its names below the service (`['orders-api', 'listOrders']` for an operation policy). */
  readonly names: readonly string[];
  /** Its information file (`apiInformation.json`...), when it has one. */
  readonly information?: ApiOpsDocument;
  /** Its policy (`policy.xml`), for policy kinds and fragments. */
  readonly policy?: ApiOpsPolicyFile;
  /** An API's specification, when the folder holds one. */
  readonly specification?: ApiOpsDocument;
  /**
   * The file name of a specification that was not read: one in another language
   * (`specification.graphql`, `.wsdl`, `.wadl`), or one that could not be read or parsed (reported at it).
   */
  readonly unreadSpecification?: { readonly file: string; readonly why: 'other-language' | 'unreadable' };
  /** Where a product-API link is written: the entry of `apis.json`, or its own file. */
  readonly line?: { readonly file: string; readonly line: number };
}

/** One artifacts folder: the instance it stands for and its objects. */
export interface ApiOpsTree {
  /** The folder, relative to the scan root (`''` for the root itself). */
  readonly root: string;
  /** The name the instance is given: the artifacts do not name it, so the folder's name. */
  readonly service: string;
  readonly artifacts: readonly ApiOpsArtifact[];
}

/** How the reader reaches files: the scan's boundary (absolute paths in, relative paths out). */
export interface ApiOpsFiles {
  /** The names in a directory, sorted; empty when it cannot be listed. */
  list(dir: string): string[];
  isDirectory(dir: string): boolean;
  /** The text of a file, or undefined (the caller has reported why). */
  readText(file: string): string | undefined;
  relative(file: string): string;
  readonly limits: ReaderLimits;
}

/** The information file of each collection, by folder name (both spellings extractors have used). */
const INFORMATION_FILES: ReadonlyArray<{ readonly folders: readonly string[]; readonly file: string; readonly kind: ApiOpsArtifactKind }> = [
  { folders: ['apis'], file: 'apiInformation.json', kind: 'api' },
  { folders: ['products'], file: 'productInformation.json', kind: 'product' },
  { folders: ['named values', 'namedValues'], file: 'namedValueInformation.json', kind: 'named-value' },
  { folders: ['backends'], file: 'backendInformation.json', kind: 'backend' },
  { folders: ['diagnostics'], file: 'diagnosticInformation.json', kind: 'diagnostic' },
  { folders: ['subscriptions'], file: 'subscriptionInformation.json', kind: 'subscription' },
  { folders: ['gateways'], file: 'gatewayInformation.json', kind: 'gateway' },
];

const FRAGMENT_FOLDERS = ['policy fragments', 'policyFragments'];
const SPECIFICATION = /^specification\.(?:ya?ml|json)$/i;

/**
 * The artifacts folder an information file belongs to (`<root>/apis/<name>/apiInformation.json`
 * gives `<root>`), or undefined when the file is not one of the extractor's information files in
 * its collection's folder.
 */
export function apiOpsRootOf(file: string): string | undefined {
  const name = path.basename(file).toLowerCase();
  const collection = path.basename(path.dirname(path.dirname(file))).toLowerCase();
  const match = INFORMATION_FILES.find((entry) => entry.file.toLowerCase() === name && entry.folders.some((folder) => folder.toLowerCase() === collection));
  return match ? path.dirname(path.dirname(path.dirname(file))) : undefined;
}

/** A name in `names` equal to `wanted` ignoring case: extractors and people differ on `Policy.xml`. */
function find(names: readonly string[], wanted: string | RegExp): string | undefined {
  return names.find((name) => (typeof wanted === 'string' ? name.toLowerCase() === wanted.toLowerCase() : wanted.test(name)));
}

/**
 * Reads one artifacts folder. Files that cannot be read or parsed are reported (a diagnostic at their
 * line) and left out; the objects they describe are then not checked. `specifications` lists the
 * specification files read (absolute), which the OpenAPI format must not check again on their own.
 */
export function readApiOpsTree(root: string, files: ApiOpsFiles): { tree: ApiOpsTree; read: string[]; specifications: string[]; diagnostics: Diagnostic[] } {
  const artifacts: ApiOpsArtifact[] = [];
  const read: string[] = [];
  const specifications: string[] = [];
  const diagnostics: Diagnostic[] = [];

  const text = (file: string): string | undefined => {
    read.push(file);
    return files.readText(file);
  };
  const documentAt = (file: string, what: string): ApiOpsDocument | undefined => {
    const content = text(file);
    if (content === undefined) return undefined;
    const rel = files.relative(file);
    const parsed = parseTextDocument(content, files.limits);
    if (isTextDocumentError(parsed)) {
      const location = lineLocation(rel, parsed.line ?? 1);
      diagnostics.push(
        parsed.limit
          ? limitDiagnostic({ ...parsed.limit, location })
          : { severity: 'error', code: 'parse-error', message: `${what} ${rel} is neither valid JSON nor YAML (${parsed.error}); what it describes is not checked`, location },
      );
      return undefined;
    }
    return { file: rel, data: parsed.data, lineOf: (at) => parsed.lineOf(at) };
  };
  const policyAt = (dir: string, names: readonly string[]): ApiOpsPolicyFile | undefined => {
    const name = find(names, 'policy.xml');
    if (name === undefined) return undefined;
    const file = path.join(dir, name);
    const xml = text(file);
    return xml === undefined ? undefined : { file: files.relative(file), xml };
  };
  const folders = (collection: readonly string[]): Array<{ dir: string; name: string; entries: string[] }> => {
    const rootNames = files.list(root);
    return collection.flatMap((folder) => {
      const found = find(rootNames, folder);
      if (found === undefined) return [];
      const dir = path.join(root, found);
      return files
        .list(dir)
        .filter((name) => files.isDirectory(path.join(dir, name)))
        .map((name) => ({ dir: path.join(dir, name), name, entries: files.list(path.join(dir, name)) }));
    });
  };

  const rootPolicy = policyAt(root, files.list(root));
  if (rootPolicy) artifacts.push({ kind: 'service-policy', names: [], policy: rootPolicy });

  for (const collection of INFORMATION_FILES) {
    for (const { dir, name, entries } of folders(collection.folders)) {
      const informationName = find(entries, collection.file);
      const information = informationName ? documentAt(path.join(dir, informationName), 'the APIOps artifact') : undefined;
      if (collection.kind === 'api') {
        // Without its information file the API's path and subscription setting are unknown: not an API to check.
        if (!information) {
          if (informationName === undefined) diagnostics.push(missingInformation(files.relative(dir), collection.file));
          continue;
        }
        const specName = find(entries, SPECIFICATION);
        const specification = specName ? documentAt(path.join(dir, specName), 'the specification') : undefined;
        if (specName) specifications.push(path.join(dir, specName));
        const other = specName === undefined ? find(entries, /^specification\.[^.]+$/i) : undefined;
        const unread = specName !== undefined && !specification ? { file: specName, why: 'unreadable' as const } : other !== undefined ? { file: other, why: 'other-language' as const } : undefined;
        artifacts.push({ kind: 'api', names: [name], information, ...(specification ? { specification } : {}), ...(unread ? { unreadSpecification: unread } : {}) });
        const policy = policyAt(dir, entries);
        if (policy) artifacts.push({ kind: 'api-policy', names: [name], policy });
        const operations = find(entries, 'operations');
        if (operations !== undefined) {
          for (const operation of files.list(path.join(dir, operations))) {
            const operationDir = path.join(dir, operations, operation);
            if (!files.isDirectory(operationDir)) continue;
            const operationPolicy = policyAt(operationDir, files.list(operationDir));
            if (operationPolicy) artifacts.push({ kind: 'operation-policy', names: [name, operation], policy: operationPolicy });
          }
        }
        const apiDiagnostics = find(entries, 'diagnostics');
        if (apiDiagnostics !== undefined) {
          for (const diagnostic of files.list(path.join(dir, apiDiagnostics))) {
            const diagnosticDir = path.join(dir, apiDiagnostics, diagnostic);
            const file = find(files.list(diagnosticDir), 'diagnosticInformation.json');
            const found = file ? documentAt(path.join(diagnosticDir, file), 'the APIOps artifact') : undefined;
            if (found) artifacts.push({ kind: 'api-diagnostic', names: [name, diagnostic], information: found });
          }
        }
        continue;
      }
      if (collection.kind === 'product') {
        // A product folder without its information file still links APIs and holds a policy.
        if (information) artifacts.push({ kind: 'product', names: [name], information });
        const policy = policyAt(dir, entries);
        if (policy) artifacts.push({ kind: 'product-policy', names: [name], policy });
        pushAll(artifacts, productApis(dir, name, entries));
        continue;
      }
      if (information) artifacts.push({ kind: collection.kind, names: [name], information });
    }
  }
  for (const { dir, name, entries } of folders(FRAGMENT_FOLDERS)) {
    const policy = policyAt(dir, entries);
    if (policy) artifacts.push({ kind: 'policy-fragment', names: [name], policy });
  }

  // The product-API links of a product folder: `apis.json` or `apis/<api>/productApiInformation.json`.
  function productApis(dir: string, product: string, entries: readonly string[]): ApiOpsArtifact[] {
    const links: ApiOpsArtifact[] = [];
    const list = find(entries, 'apis.json');
    const document = list ? documentAt(path.join(dir, list), 'the APIOps artifact') : undefined;
    if (document && Array.isArray(document.data)) {
      document.data.forEach((entry: unknown, index) => {
        const api = typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
        if (typeof api === 'string') links.push({ kind: 'product-api', names: [product, api], line: { file: document.file, line: document.lineOf([index, 'name']) ?? 1 } });
      });
    }
    const folder = find(entries, 'apis');
    if (folder !== undefined) {
      for (const api of files.list(path.join(dir, folder))) {
        const linkDir = path.join(dir, folder, api);
        const file = find(files.list(linkDir), 'productApiInformation.json');
        if (file !== undefined) read.push(path.join(linkDir, file));
        if (file !== undefined) links.push({ kind: 'product-api', names: [product, api], line: { file: files.relative(path.join(linkDir, file)), line: 1 } });
      }
    }
    return links;
  }

  const rel = files.relative(root);
  const service = path.basename(path.resolve(root));
  return { tree: { root: rel === '.' ? '' : rel, service, artifacts }, read, specifications, diagnostics };
}

function missingInformation(dir: string, file: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'not-scanned',
    message: `${dir} has no ${file}: the APIOps publisher needs it to create the API, and without it the API's path and subscription setting are unknown; the API is not checked`,
    location: lineLocation(dir, 1),
  };
}
