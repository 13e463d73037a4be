import type { Unknown } from '../../../model/unknown.js';
import type { Expr } from './ast.js';
import type { Value } from '../../view/value.js';

// What an expression is evaluated in, apart from the evaluator itself, so that the built-in functions
// (functions.ts) and the evaluator (evaluate.ts) need not import each other: the evaluator hands
// itself to a function call as an {@link Evaluate}.

/** Evaluates an expression in a scope (evaluate.ts's `evaluate`, given to functions that need it). */
export type Evaluate = (expr: Expr, scope: Scope) => Value;

/** What an expression can see: root names (`var`, `local`, resource types) and a way to read files. */
export interface Scope {
  /** Returns the value of a root name, or undefined when the name does not exist. */
  lookup(name: string): Value | undefined;
  /**
   * Reads a file for `file()`/`templatefile()` (as text) or `filebase64()` (its bytes in base64);
   * returns an Unknown when it may not or cannot be read.
   */
  readFile(path: string, as?: 'text' | 'base64'): string | Unknown;
  /** Answers `fileexists()`; an Unknown for a path that may not be looked at (outside the scan roots). */
  fileExists(path: string): boolean | Unknown;
  /** The directory relative paths in `file()` resolve against (Terraform's working directory). */
  readonly baseDir: string;
}

/** A scope that adds names (for-expression variables, `each`, `count`) on top of another. */
export class ChildScope implements Scope {
  constructor(
    private readonly parent: Scope,
    private readonly names: ReadonlyMap<string, Value>,
  ) {}

  lookup(name: string): Value | undefined {
    return this.names.has(name) ? this.names.get(name) : this.parent.lookup(name);
  }

  readFile(path: string, as?: 'text' | 'base64'): string | Unknown {
    return this.parent.readFile(path, as);
  }

  fileExists(path: string): boolean | Unknown {
    return this.parent.fileExists(path);
  }

  get baseDir(): string {
    return this.parent.baseDir;
  }
}
