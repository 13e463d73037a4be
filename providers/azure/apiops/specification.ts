import path from 'node:path';

// APIOps (https://github.com/Azure/apiops) keeps an API Management instance as files: the extractor
// writes each API into `apis/<name>/` as `apiInformation.json` (the API resource's properties, among
// them `subscriptionRequired`), `specification.yaml|json` (the OpenAPI document the API was imported
// from), `policy.xml` and `operations/<id>/policy.xml`; the publisher deploys them back.
// https://azure.github.io/apiops/apiops/3-apimTools/
// API Management does not enforce an imported document's `security` section: the API's subscription
// setting and its policies decide who may call it. So the specification is not the gateway, and
// checking it on its own would report what API Management does not do.
// https://learn.microsoft.com/azure/api-management/api-management-api-import-restrictions

/** The file names the APIOps extractor gives an API's OpenAPI specification. */
const SPECIFICATION = /^specification\.(?:ya?ml|json)$/i;

/** The file the APIOps extractor writes beside it, holding the API resource's properties. */
const API_INFORMATION = 'apiInformation.json';

/**
 * An OpenAPI document that is the specification of an API kept as APIOps artifacts. The APIOps format
 * reads it with its API when the artifacts folder is scanned; this is for a specification it did not
 * read (an `apiInformation.json` outside an `apis/` folder, a folder only part of which is scanned).
 */
export interface ApiOpsApi {
  /** The API's `apiInformation.json` (absolute). */
  readonly informationFile: string;
  /** The API's folder name (`orders-api`, `orders-api;rev=2` for a revision). */
  readonly name: string;
}

/**
 * The APIOps API whose specification `file` is, or undefined: a `specification.yaml|yml|json` with an
 * `apiInformation.json` beside it. `isFile` answers through the scan's file access (inside the roots).
 */
export function apiOpsApiOf(file: string, isFile: (candidate: string) => boolean): ApiOpsApi | undefined {
  if (!SPECIFICATION.test(path.basename(file))) return undefined;
  const informationFile = path.join(path.dirname(file), API_INFORMATION);
  return isFile(informationFile) ? { informationFile, name: path.basename(path.dirname(file)) } : undefined;
}

/** What decides who may call an API kept as APIOps artifacts, as a message continues "...: ...". */
export const APIOPS_DECIDES =
  "API Management enforces the API's subscriptionRequired (apiInformation.json) and its policies (policy.xml of the API, its operations, its products and the instance), not the document's security section";

/** How to check such an API, as a message continues "To check that API, ...". */
export const APIOPS_HINT =
  "scan the whole artifacts folder in the extractor's layout (the folder that holds apis/<name>/, products/ and the global policy.xml), or the ARM template or Terraform that deploys the instance; or scan the specification alone (gatewarden scan FILE) to check the document as written";
