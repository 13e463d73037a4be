/**
 * The syntax tree of HCL native expressions and templates, as gatewarden evaluates them.
 * `@cdktf/hcl2json` hands over every expression as source text inside `${...}`; this is what that
 * text parses to.
 */
export type Expr =
  | { readonly t: 'literal'; readonly value: string | number | boolean | null }
  | { readonly t: 'template'; readonly parts: readonly TemplatePart[] }
  | { readonly t: 'variable'; readonly name: string }
  | { readonly t: 'attr'; readonly object: Expr; readonly name: string }
  | { readonly t: 'index'; readonly object: Expr; readonly key: Expr }
  | { readonly t: 'splat'; readonly object: Expr; readonly each: Expr }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly expandLast: boolean }
  | { readonly t: 'tuple'; readonly items: readonly Expr[] }
  | { readonly t: 'object'; readonly items: readonly ObjectItem[] }
  | { readonly t: 'conditional'; readonly condition: Expr; readonly then: Expr; readonly otherwise: Expr }
  | { readonly t: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'unary'; readonly op: '!' | '-'; readonly operand: Expr }
  | { readonly t: 'for'; readonly spec: ForSpec }
  /** Placeholder for the element inside a splat (`x[*].id` evaluates `.id` on each element). */
  | { readonly t: 'splatItem' };

/** A `[for ...]` or `{for ...}` expression. */
export interface ForSpec {
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: Expr;
  /** For object results, the key expression; absent for tuple results. */
  readonly keyExpr?: Expr;
  readonly valueExpr: Expr;
  readonly condition?: Expr;
  /** `...` after the value: group values by key into lists. */
  readonly group: boolean;
}

/** One `key = value` of an object constructor. A bare identifier key is a literal string. */
export interface ObjectItem {
  readonly key: Expr;
  readonly value: Expr;
}

/** Binary operators in HCL. */
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

/** A piece of a template: literal text, an interpolation, or an `%{if}` / `%{for}` directive. */
export type TemplatePart =
  | string
  | { readonly t: 'interp'; readonly expr: Expr }
  | { readonly t: 'if'; readonly condition: Expr; readonly then: readonly TemplatePart[]; readonly otherwise: readonly TemplatePart[] }
  | {
      readonly t: 'for';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Expr;
      readonly body: readonly TemplatePart[];
    };
