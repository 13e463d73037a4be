import type { RelatedLocation, Suppression } from '../../model/entities.js';
import type { Origin, SourceLocation } from '../../model/location.js';
import type { Value } from './value.js';

/** Where a variable's value came from, so a literal secret can be reported where it is written. */
export interface ValueSource {
  /** Where the value is written: the literal itself, followed through variables, locals, `each.value` and attribute access. */
  readonly location: SourceLocation;
  readonly kind: 'default' | 'tfvars' | 'cli' | 'module-input' | 'input';
  /**
   * The places the value passes through on its way from {@link location}, when that is elsewhere:
   * the attribute that reads it (`read by module.apim.azurerm_api_management_named_value.this["key"]
   * here`), module arguments that pass it on. A finding on the value carries them as `related`.
   */
  readonly related?: readonly RelatedLocation[];
}

/**
 * How the source itself names a resource, for messages to the person who wrote it: a CloudFormation
 * user knows `AWS::ApiGateway::Method MyMethod`, not the Terraform type it is translated into.
 */
export interface ResourceSource {
  /**
   * The source's type: the Terraform type, the CloudFormation or ARM type as written
   * (`AWS::ApiGateway::Method`, `Microsoft.ApiManagement/service/apis`), or AWS's resource type of a
   * live object. A view made from part of a resource (a method's `Integration`) has the type of that resource.
   */
  readonly type: string;
  /** The source's name: the Terraform address, the CloudFormation logical id, the ARM name, the live ARN. */
  readonly name: string;
}

/**
 * What a provider adapter sees of one resource: its evaluated values and where each part is written.
 * Every source is read into this shape: a Terraform resource instance as it is; a CloudFormation or ARM
 * resource, or an object read from a live account, translated into the Terraform shape of the same
 * cloud object (see `providers/shared/translate.ts`), so that one adapter per cloud holds its semantics.
 * Adapters are pure; everything here is computed before they run.
 */
export interface ResourceView {
  /** Full address, with module path and instance key: `module.api.aws_api_gateway_method.this["GET /users"]`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** `module.api`, or empty at the root. */
  readonly modulePath: string;
  /**
   * The root module the instance belongs to, relative to the scan root (`.` for the scan root itself).
   * Addresses are unique only within one root, so adapters see one root at a time.
   */
  readonly rootModule: string;
  /** `openapi`: an OpenAPI document found on its own, read as the API its gateway extensions define. */
  readonly format: 'terraform' | 'terraform-json' | 'terraform-plan' | 'cloudformation' | 'arm' | 'apiops' | 'live' | 'openapi';
  /** The resource's own type and name in its source; for Terraform, its type and address. */
  readonly source: ResourceSource;
  /** Where the resource came from, when it is not a file (a live account and region). */
  readonly origin?: Origin;
  /** The CDK (or CDK for Terraform) construct path that produced the resource (`stack/api/get-users`), if any. */
  readonly construct?: string | undefined;
  /** Findings the source accepts for this resource (inline suppressions), with reasons. */
  readonly suppressions?: readonly Suppression[] | undefined;
  /** Attributes and nested blocks (lists of objects), evaluated; unresolvable parts are Unknown. */
  readonly values: Readonly<Record<string, Value>>;
  /** The resource block. */
  readonly location: SourceLocation;
  /** The location of a field by path through {@link values}, or of its nearest enclosing part. */
  locate(path: ReadonlyArray<string | number>): SourceLocation;
  /** Where the value of an attribute is written when it comes from code (through `var.x`/`local.x`). */
  valueSource(attribute: string): ValueSource | undefined;
  /**
   * {@link valueSource} for an attribute of a nested block (`['cors_configuration', 0, 'allow_origins']`),
   * blocks made by `dynamic` included; absent or undefined where the source cannot say.
   */
  valueSourceAt?(path: ReadonlyArray<string | number>): ValueSource | undefined;
  /**
   * For an attribute read with `file(...)`, `templatefile(...)` or `filebase64(...)` (also inside
   * `base64encode(...)`), the file it was read from (relative). A path reaches into nested blocks
   * (`['openapi_documents', 0, 'document', 0, 'contents']`).
   */
  valueFile(attribute: string | ReadonlyArray<string | number>): string | undefined;
  /**
   * For a plan: whether the configuration sets a top-level attribute, or false when the provider
   * computed its value (a known `value` of an API key that exists comes from the state, not from the
   * code); undefined when this cannot be told (no configuration in the plan, other formats).
   */
  configures?(attribute: string): boolean | undefined;
  /**
   * Where line 1 of a string attribute's text is, when its lines are lines of a file: a heredoc
   * (the line after `<<EOT`), or a file read with `file()`/`templatefile()` (its line 1). Undefined for
   * a quoted string, JSON, or a computed value, whose line breaks are not the file's.
   */
  textLines(attribute: string): { readonly file: string; readonly firstLine: number } | undefined;
}
