/**
 * The TypeScript the importer writes, as a small tree: readers build it from manifests, one
 * writer (`write-typescript.ts`) prints it. Readers never write source text themselves, so every
 * declared string reaches the output through one encoder.
 */

/** An expression of the generated program. */
export type Expr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Expr])[] }
  /** `Backend.fromName('api', 8080)`: `module` is where the callee's first name is imported from. */
  | { readonly kind: 'call'; readonly module: 'cdk8s-expose' | 'cdk8s'; readonly callee: string; readonly args: readonly Expr[] }
  /** A name in scope of the generated function (`strategy`). */
  | { readonly kind: 'identifier'; readonly name: string };

export const str = (value: string): Expr => ({ kind: 'string', value });
export const num = (value: number): Expr => ({ kind: 'number', value });
export const bool = (value: boolean): Expr => ({ kind: 'boolean', value });
export const arr = (items: readonly Expr[]): Expr => ({ kind: 'array', items });
/** An object literal; entries whose value is `undefined` are left out. */
export const obj = (entries: Readonly<Record<string, Expr | undefined>>): Expr => ({
  kind: 'object',
  entries: Object.entries(entries).filter((e): e is [string, Expr] => e[1] !== undefined),
});
/** A call of a static factory of the library (`Backend.fromName`). */
export const lib = (callee: string, ...args: Expr[]): Expr => ({ kind: 'call', module: 'cdk8s-expose', callee, args });
/** A call of a cdk8s factory (`Duration.seconds`, `Size.mebibytes`). */
export const cdk8s = (callee: string, ...args: Expr[]): Expr => ({ kind: 'call', module: 'cdk8s', callee, args });
export const ident = (name: string): Expr => ({ kind: 'identifier', name });
