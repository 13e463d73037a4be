import { printParseErrorCode, visit } from 'jsonc-parser';
import { lineStarts, positionAt } from './text-position.js';

/** The first syntax error of a text that is not JSON. */
export interface JsonSyntaxError {
  /** What is wrong and where, in words: `unterminated string at line 1, column 4981`. */
  readonly message: string;
  /** 1-based line and column of the error. */
  readonly line: number;
  readonly column: number;
}

/**
 * Describes why `text` is not JSON, for a text `JSON.parse` rejected. The words come from
 * jsonc-parser, not from the `JSON.parse` error: V8's messages change between Node.js versions
 * (Node 22 added "(line 1 column 5001)", so a report differed between Node 20 and 24) and some of them
 * quote the text around the error, which may be a secret.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError {
  let first: { code: string; offset: number } | undefined;
  visit(
    text,
    {
      onError(error, offset) {
        first ??= { code: printParseErrorCode(error), offset };
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  // jsonc-parser and JSON.parse agree on what JSON is; if they ever do not, say so without guessing where.
  if (!first) return { message: 'a syntax error', line: 1, column: 1 };
  const { line, column } = positionAt(lineStarts(text), first.offset);
  return { message: `${describe(first.code)} at line ${line}, column ${column}`, line, column };
}

function describe(code: string): string {
  switch (code) {
    case 'UnexpectedEndOfString':
      return 'unterminated string';
    case 'UnexpectedEndOfNumber':
      return 'unterminated number';
    case 'InvalidCommentToken':
      return 'a comment (JSON has none)';
    default:
      return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  }
}
