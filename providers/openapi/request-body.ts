import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { deref, isData, type Data, type DocPath, type OperationView } from './reader.js';

/** What an OpenAPI operation declares of its request body, and where. */
export interface RequestBodyShape {
  /** An OpenAPI 3 `requestBody`, or an OpenAPI 2 `in: body` or `in: formData` parameter. */
  readonly declaresBody: Maybe<boolean>;
  /** A schema for it: a `requestBody` media type with a `schema`, a body parameter with one (form fields are typed one by one). */
  readonly bodySchema: Maybe<boolean>;
  /** Where the body is declared (the requestBody, the body parameter); absent when it is not. */
  readonly pointer?: DocPath;
}

/**
 * Reads what an operation declares of its body. A `requestBody` `$ref` that cannot be followed
 * (another file, a loop) leaves its schema unknown; a parameter `$ref` that cannot be followed is not
 * taken for a body. A `requestBody` with no `content` at all declares a body whose media types (and
 * so schemas) are not stated: no schema. A binary media type (`image/png`, `application/octet-stream`)
 * counts as described: its bytes have no structure for a schema to check.
 * @see https://spec.openapis.org/oas/v3.1.0#request-body-object
 * @see https://swagger.io/specification/v2/#parameter-object
 */
export function requestBodyShape(doc: Data, view: OperationView, problems: Set<string>): RequestBodyShape {
  if (view.operation.requestBody !== undefined && view.operation.requestBody !== null) {
    const pointer: DocPath = [...view.pointer, 'requestBody'];
    const body = deref(view.operation.requestBody, doc, problems);
    if (body instanceof Unknown) return { declaresBody: true, bodySchema: body, pointer };
    const content = isData(body) ? body.content : undefined;
    // Raw bytes (an image, a file) have nothing a schema would add: the media type is their contract.
    const schema = isData(content) && Object.entries(content).some(([type, media]) => {
      if (isBinaryMediaType(type)) return true;
      const resolved = deref(media, doc, problems);
      return isData(resolved) && resolved.schema !== undefined && resolved.schema !== null;
    });
    return { declaresBody: true, bodySchema: schema, pointer };
  }
  const lists: Array<[unknown, DocPath]> = [
    [view.operation.parameters, [...view.pointer, 'parameters']],
    [view.pathItem.parameters, [...view.pathItemPointer, 'parameters']],
  ];
  // A parameter reference that cannot be followed (another file) is taken for what nearly all are, a
  // path, query or header parameter, and not reported again here: the readers of security and
  // parameters report what they follow.
  const quiet = new Set<string>();
  for (const [list, listPointer] of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, item] of list.entries()) {
      const parameter = deref(item, doc, quiet);
      if (!isData(parameter)) continue;
      if (parameter.in === 'body') return { declaresBody: true, bodySchema: parameter.schema !== undefined && parameter.schema !== null, pointer: [...listPointer, index] };
      if (parameter.in === 'formData') return { declaresBody: true, bodySchema: true, pointer: [...listPointer, index] };
    }
  }
  return { declaresBody: false, bodySchema: false };
}

/** Media types whose bodies are raw bytes, not structured data a schema describes. */
const BINARY_MEDIA = /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip)$/i;

/**
 * Whether a body of this media type is raw bytes (`image/png`, `application/octet-stream`): its
 * media type is its whole contract, so it needs no schema. Parameters (`; charset=...`) are ignored.
 * Shared by every reader of request contracts (OpenAPI documents, API Management representations).
 */
export function isBinaryMediaType(type: string): boolean {
  return BINARY_MEDIA.test(type.split(';')[0]!.trim());
}
