/**
 * An OpenAPI document a resource uses for something other than an API gateway, named by the file it
 * reads (`payload = file("schema.yaml")`) or by the S3 object it reads at deployment, whose copy in
 * the repository is the stand-alone document of the same file name under the configuration's directory.
 */
export interface NonGatewayDocument {
  /** The document: a file read from the configuration (relative to the scan root, as reports show it), or an S3 object key. */
  readonly source: { readonly file: string } | { readonly s3Key: string; readonly under: string };
  /** The resource and attribute that use it, as the source names them: `aws_bedrockagent_agent_action_group.orders (api_schema)`. */
  readonly usedBy: string;
  /** What the resource uses it as: `the OpenAPI schema of a Bedrock agent action group`. */
  readonly usedAs: string;
}
