/**
 * Tells an OpenAPI 2.0 or 3.x document from other JSON and YAML by its first bytes: a top-level
 * `openapi: 3.x` or `swagger: "2.0"`, as JSON or YAML.
 */
export function looksLikeOpenApi(head: string): boolean {
  const json = /^\s*\{[\s\S]*?"(openapi|swagger)"\s*:\s*"(3\.\d+(\.\d+)?|2\.0)"/.test(head);
  const yaml = /(^|\n)(openapi|swagger)\s*:\s*["']?(3\.\d+(\.\d+)?|2\.0)["']?\s*(#.*)?(\r?\n|$)/.test(head);
  return json || yaml;
}

/** Documents over this size are scanned with a warning: they are slow to read and unusual by hand. */
export const LARGE_DOCUMENT_BYTES = 10 * 1024 * 1024;
