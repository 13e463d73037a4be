/** A range in a source file. Lines and columns are 1-based; the file is relative to the scan root. */
export interface SourceLocation {
  readonly file: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  /**
   * For JSON sources whose lines say little (a Terraform plan is one line long), the JSON pointer of
   * the value inside the file, e.g. `/resource_changes/3/change/after/authorization`.
   */
  readonly pointer?: string;
  /**
   * For a resource read from a live account (where `file` is its ARN), a link to it in the cloud's
   * console.
   */
  readonly url?: string;
}

/** The formats gatewarden reads; `live` stands for a cloud account read through its SDK. */
export type SourceFormat =
  | 'terraform'
  | 'terraform-json'
  | 'terraform-plan'
  | 'cloudformation'
  | 'arm'
  | 'apiops'
  | 'openapi'
  | 'live';

/** Where an entity came from: a file of some format, or a live account and region. */
export interface Origin {
  readonly format: SourceFormat;
  readonly file?: string;
  readonly account?: string;
  readonly region?: string;
}

/** Builds a location that covers whole lines, for sources that only know line numbers. */
export function lineLocation(file: string, startLine: number, endLine = startLine): SourceLocation {
  return { file, startLine, startColumn: 1, endLine, endColumn: 1 };
}
