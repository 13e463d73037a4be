/**
 * JSON text parsed into jsonc-parser's tree, whose nodes carry offsets, for the readers that record
 * where each value is written (CloudFormation and ARM templates, Terraform `.tf.json`). jsonc-parser
 * recurses once per level, so the nesting is measured first and a text deeper than the `depth` limit
 * is never handed to it: doing both here keeps a reader from parsing without the check.
 *
 * What each reader does with the tree stays with the reader, because the readers differ on purpose:
 * the path shapes (Terraform records objects both as blocks and as attributes), which duplicate key is
 * read (ARM reads the last one and warns, as Json.NET does) and the wording of syntax errors.
 * OpenAPI documents and CloudFormation parameter files parse with `JSON.parse` and build a tree only
 * when a line is asked for, after the same nesting check.
 */

import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../model/diagnostic.js';
import { jsonNestingOverflow, nestingDiagnostic } from './nesting.js';
import { lineStarts } from './text-position.js';

/** How to parse: the syntax a format allows, and what the text is, for the limit message. */
export interface JsonTreeOptions {
  /** The file as shown to users. */
  readonly file: string;
  /** What the text is, for the depth message (`the template`, `the file`). */
  readonly what: string;
  /** The `depth` limit. */
  readonly depth: number;
  /** ARM allows comments and trailing commas; CloudFormation and Terraform do not. */
  readonly lenient: boolean;
}

/** A parsed tree with the syntax errors jsonc-parser recovered from, or the depth diagnostic. */
export type JsonTreeResult =
  | {
      /** Offsets at which each line starts (see `lineStarts`). */
      readonly starts: number[];
      /** The tree, undefined for an empty text. Trust it only when `errors` is empty. */
      readonly root: JsonNode | undefined;
      readonly errors: readonly ParseError[];
    }
  | { readonly tooDeep: Diagnostic };

/**
 * Parses JSON text into a tree with offsets, unless it nests deeper than `options.depth`: then the
 * result is the `depth` limit diagnostic and nothing is parsed.
 */
export function parseJsonTree(text: string, options: JsonTreeOptions): JsonTreeResult {
  const starts = lineStarts(text);
  const overflow = jsonNestingOverflow(text, options.depth);
  if (overflow) return { tooDeep: nestingDiagnostic(options.file, starts, overflow, options.depth, options.what) };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: !options.lenient, allowTrailingComma: options.lenient });
  return { starts, root, errors };
}
