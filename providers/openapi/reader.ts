import type { AuthKind, HttpMethod } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';

/** A path inside an OpenAPI document, for pointing findings at the right line. */
export type DocPath = ReadonlyArray<string | number>;

/** A JSON object of the document. */
export type Data = Record<string, unknown>;

/** Whether a document value is an object (not a list, not an Unknown). */
export function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** A string value (numbers and booleans as text); Unknown stays Unknown. */
export function text(value: unknown): Maybe<string> | undefined {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A boolean value (`"true"`/`"false"` strings too). */
export function flag(value: unknown): Maybe<boolean> | undefined {
  if (value instanceof Unknown || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** A list of strings (a comma-separated string too); unknown when an element is. */
export function texts(value: unknown): Maybe<string[]> | undefined {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter(Boolean);
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const entry = text(item);
    if (entry instanceof Unknown) return entry;
    if (entry !== undefined) out.push(entry);
  }
  return out;
}

const MAX_REF_HOPS = 32;

/**
 * Follows a local `$ref` (`#/components/securitySchemes/oauth`) to what it names, hop after hop. A
 * reference to another file or URL is not followed, and a loop is stopped: both become an Unknown
 * that says so, and the problem is recorded once.
 */
export function deref(value: unknown, root: Data, problems: Set<string>): unknown {
  return resolveRef(value, root, problems).value;
}

/** Like {@link deref}, with the pointer of what the reference led to (undefined when it was not one). */
export function resolveRef(value: unknown, root: Data, problems: Set<string>): { value: unknown; pointer?: DocPath } {
  const seen = new Set<string>();
  let current = value;
  let pointer: DocPath | undefined;
  const result = (found: unknown): { value: unknown; pointer?: DocPath } => (pointer ? { value: found, pointer } : { value: found });
  for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
    if (!isData(current) || typeof current.$ref !== 'string') return result(current);
    const ref = current.$ref;
    if (!ref.startsWith('#')) {
      problems.add(`$ref "${ref}" points outside the document and is not followed`);
      return result(new Unknown(`defined in ${ref}, which gatewarden does not read (only references inside the document are followed)`));
    }
    if (seen.has(ref)) {
      problems.add(`$ref "${ref}" refers back to itself through a loop`);
      return result(new Unknown(`$ref ${ref} loops`));
    }
    seen.add(ref);
    pointer = refPath(ref);
    current = pointerTarget(root, ref);
    if (current === undefined) {
      problems.add(`$ref "${ref}" names nothing in the document`);
      return result(new Unknown(`$ref ${ref} names nothing in the document`));
    }
  }
  problems.add(`a $ref chain is longer than ${MAX_REF_HOPS} hops`);
  return result(new Unknown('a $ref chain is too long'));
}

/** The path segments of a local reference (`#/components/pathItems/Pets` → `components, pathItems, Pets`). */
function refPath(ref: string): string[] {
  return ref.slice(1).split('/').slice(1).map((part) => decodePercent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Undoes %-escapes; a malformed one (`%E0`, `%zz`) is kept as written (decodeURIComponent throws on it). */
function decodePercent(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The value at a JSON pointer fragment (`#/a/b~1c`), or undefined. */
function pointerTarget(root: Data, ref: string): unknown {
  let current: unknown = root;
  for (const part of refPath(ref)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isData(current)) current = Object.hasOwn(current, part) ? current[part] : undefined;
    else return undefined;
  }
  return current;
}

const STANDARD_METHODS: Readonly<Record<string, HttpMethod>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
};

/** A problem of the document itself, with where it is. */
export interface LocatedProblem {
  readonly message: string;
  readonly pointer: DocPath;
  /** `invalid-value` for a value of a shape the gateway's import rejects; `not-scanned` for a part not read (a gRPC service's methods only a descriptor set lists); else a limit of gatewarden's reading. */
  readonly code?: 'invalid-value' | 'not-scanned';
  /** Set when API Gateway refuses to deploy the API because of this value (not only ignores it). */
  readonly refusesDeployment?: true;
}

/** What is wrong with the shape of a `security` value, or undefined when it is a list of requirement objects. */
export function securityShapeProblem(security: unknown): string | undefined {
  if (security === undefined || security instanceof Unknown) return undefined;
  if (!Array.isArray(security)) return `security must be a list of requirement objects (it is ${describeShape(security)})`;
  for (const requirement of security) {
    if (requirement instanceof Unknown) continue;
    if (!isData(requirement)) return `security must be a list of requirement objects (an item is ${describeShape(requirement)})`;
    for (const [name, scopes] of Object.entries(requirement)) {
      if (!Array.isArray(scopes) && !(scopes instanceof Unknown)) return `security must be a list of requirement objects, each naming schemes with a list of scopes ("${name}" has ${describeShape(scopes)})`;
    }
  }
  return undefined;
}

function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isData(value)) return 'a map';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** One operation of a document: where it is, and its own and inherited security. */
export interface OperationView {
  readonly method: HttpMethod;
  readonly path: string;
  /** The document's method key (`get`, `x-amazon-apigateway-any-method`). */
  readonly methodKey: string;
  /** The operation object, `$ref`s of its path item followed. */
  readonly operation: Data;
  /** The path item, for extensions that apply to every method (`x-google-backend`...). */
  readonly pathItem: Data;
  readonly pathItemPointer: DocPath;
  readonly pointer: DocPath;
  /** Whether the operation has its own `security` (which replaces the document's). */
  readonly hasOwnSecurity: boolean;
  /**
   * The security that applies; an Unknown when it is malformed (a map where OpenAPI wants a list):
   * bad input is neither open nor protected.
   */
  readonly security: unknown;
  /** Set when the security that applies is malformed: what is wrong with it, at `securityPointer`. */
  readonly securityProblem?: LocatedProblem;
  /** Where the security that applies is written. */
  readonly securityPointer: DocPath;
  /** The `x-gatewarden-ignore` extensions that apply: the document's, the path item's, the operation's. */
  readonly ignore: readonly IgnoreExtension[];
}

/** The extension that accepts findings in an OpenAPI document, on the document, a path or an operation. */
export const IGNORE_EXTENSION = 'x-gatewarden-ignore';

/** An `x-gatewarden-ignore` value as found, with where it is written. */
export interface IgnoreExtension {
  readonly value: unknown;
  readonly pointer: DocPath;
}

/**
 * Lists the operations of an OpenAPI 2.0 or 3.x document. A path item may be a `$ref` (3.1
 * `components/pathItems`); `extraMethods` adds vendor method keys (`x-amazon-apigateway-any-method`).
 */
export function listOperations(doc: Data, problems: Set<string>, extraMethods: Readonly<Record<string, HttpMethod>> = {}): OperationView[] {
  const methods = { ...STANDARD_METHODS, ...extraMethods };
  const out: OperationView[] = [];
  const paths = isData(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    // Pointers follow references, so that findings point where the operation is really written.
    const resolvedItem = resolveRef(rawItem, doc, problems);
    const item = resolvedItem.value;
    if (!isData(item)) continue;
    const itemPointer: DocPath = resolvedItem.pointer ?? ['paths', path];
    for (const [key, rawOperation] of Object.entries(item)) {
      const method = methods[key.toLowerCase()];
      if (!method) continue;
      const resolvedOperation = resolveRef(rawOperation, doc, problems);
      const operation = resolvedOperation.value;
      if (!isData(operation)) continue;
      const pointer: DocPath = resolvedOperation.pointer ?? [...itemPointer, key];
      const hasOwnSecurity = Object.hasOwn(operation, 'security');
      const security = hasOwnSecurity ? operation.security : doc.security;
      const securityPointer: DocPath = hasOwnSecurity ? [...pointer, 'security'] : Object.hasOwn(doc, 'security') ? ['security'] : pointer;
      // A gateway's import rejects a `security` that is not a list of requirement objects (SAM too:
      // "Type of security ... must be a list"); reading it as "no security" would report a route
      // that never deploys as open.
      const shapeProblem = securityShapeProblem(security);
      out.push({
        method,
        path,
        methodKey: key,
        operation,
        pathItem: item,
        pathItemPointer: itemPointer,
        pointer,
        hasOwnSecurity,
        security: shapeProblem === undefined ? security : new Unknown(`the security of ${method} ${path} is malformed: ${shapeProblem}`),
        securityPointer,
        ...(shapeProblem !== undefined ? { securityProblem: { message: `${shapeProblem}; tools that read the document reject or ignore it, so the authentication of the operations it applies to is unknown`, pointer: securityPointer, code: 'invalid-value' as const } } : {}),
        // JSON documents have no comments, so an extension is their way to accept a finding.
        ignore: [
          ...(doc[IGNORE_EXTENSION] !== undefined ? [{ value: doc[IGNORE_EXTENSION], pointer: [IGNORE_EXTENSION] }] : []),
          ...(item[IGNORE_EXTENSION] !== undefined ? [{ value: item[IGNORE_EXTENSION], pointer: [...itemPointer, IGNORE_EXTENSION] }] : []),
          ...(operation[IGNORE_EXTENSION] !== undefined ? [{ value: operation[IGNORE_EXTENSION], pointer: [...pointer, IGNORE_EXTENSION] }] : []),
        ],
      });
    }
  }
  return out;
}

/** The security schemes of a document (3.x `components.securitySchemes`, 2.0 `securityDefinitions`), `$ref`s followed. */
export function securitySchemes(doc: Data, problems: Set<string>): { readonly schemes: Data; readonly pointer: DocPath } {
  const components = isData(doc.components) ? doc.components : {};
  const isV3 = isData(components.securitySchemes);
  const raw = isV3 ? (components.securitySchemes as Data) : isData(doc.securityDefinitions) ? doc.securityDefinitions : {};
  const schemes: Data = {};
  for (const [name, scheme] of Object.entries(raw)) schemes[name] = deref(scheme, doc, problems);
  return { schemes, pointer: isV3 ? ['components', 'securitySchemes'] : ['securityDefinitions'] };
}

/** How one security scheme authenticates, as a provider reads it. */
export interface SchemeKind {
  readonly kind: Maybe<AuthKind>;
  /** A static key (`apiKey`): an alternative with nothing else is key-only. */
  readonly isApiKey: boolean;
}

/** The security of one operation, as a gateway (or OpenAPI's own reading) combines its requirement list. */
export interface EffectiveSecurity {
  readonly kind: Maybe<AuthKind>;
  readonly apiKeyRequired: Maybe<boolean>;
  /** The scheme that authenticates (the authorizer, or the provider of the weakest alternative). */
  readonly schemeName?: string;
  readonly scopes: Maybe<string[]>;
}

/**
 * Evaluates a `security` requirement list as OpenAPI defines it, for documents no gateway serves
 * (gateways combine the list their own way: `awsMethodSecurity`, `googleSecurity`). The alternatives
 * are OR-ed, so a caller can pick the
 * weakest: an empty requirement (`{}`) or an empty list (`[]`) means no authentication; an
 * alternative whose schemes are all keys is key-only. Schemes within one alternative are AND-ed: the
 * strongest of them authenticates it.
 */
export function effectiveSecurity(requirements: unknown, schemes: Data, readScheme: (name: string, scheme: unknown) => SchemeKind): EffectiveSecurity {
  if (requirements instanceof Unknown) return { kind: requirements, apiKeyRequired: requirements, scopes: requirements };
  if (!Array.isArray(requirements) || requirements.length === 0) return { kind: 'none', apiKeyRequired: false, scopes: [] };
  const alternatives = requirements.map((requirement) => {
    if (!isData(requirement)) return { kind: new Unknown('a security requirement is unknown') as Maybe<AuthKind>, apiKey: false, name: undefined as string | undefined, scopes: [] as Maybe<string[]> };
    let kind: Maybe<AuthKind> = 'none';
    let apiKey = false;
    let schemeName: string | undefined;
    let scopes: Maybe<string[]> = [];
    for (const [name, requested] of Object.entries(requirement)) {
      const scheme = readScheme(name, schemes[name]);
      if (scheme.isApiKey) {
        apiKey = true;
        continue;
      }
      // Within one alternative every scheme is required: the strongest decides.
      if (kind === 'none' || kind === 'api-key' || kind === 'basic') {
        kind = scheme.kind;
        schemeName = name;
        scopes = texts(requested) ?? [];
      }
    }
    if (kind === 'none' && apiKey) kind = 'api-key';
    return { kind, apiKey, name: schemeName, scopes };
  });
  const rank = (kind: Maybe<AuthKind>): number => (kind === 'none' ? 0 : kind === 'api-key' || kind === 'basic' ? 1 : kind instanceof Unknown ? 2 : 3);
  const weakest = alternatives.reduce((a, b) => (rank(b.kind) < rank(a.kind) ? b : a));
  return { kind: weakest.kind, apiKeyRequired: weakest.apiKey, ...(weakest.name !== undefined ? { schemeName: weakest.name } : {}), scopes: weakest.scopes };
}
