import { Problem } from './errors';
import { describeValue, didYouMean, isPlainObject } from './runtime-types';

/**
 * The runtime shape of what a caller passes (a JavaScript caller, or a cast, may pass anything):
 * checked before anything reads it, so that a wrong type is an error naming the field instead of
 * a TypeError, and a misspelled field is reported instead of silently ignored.
 */
export type Shape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'duration' | 'size' | 'any' }
  | { readonly kind: 'array'; readonly of: Shape }
  | { readonly kind: 'record'; readonly of: Shape }
  | { readonly kind: 'object'; readonly what: string; readonly fields: Readonly<Record<string, Field>> }
  | { readonly kind: 'instance'; readonly is: (value: unknown) => boolean; readonly use: string }
  /** An instance, or else an object of `otherwise`'s shape (a value object, or a plain reference). */
  | { readonly kind: 'instance-or-object'; readonly is: (value: unknown) => boolean; readonly use: string; readonly otherwise: Extract<Shape, { kind: 'object' }> };

/** A field of an object shape. */
export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
}

export const ANY: Shape = { kind: 'any' };
export const STRING: Shape = { kind: 'string' };
export const NUMBER: Shape = { kind: 'number' };
export const BOOLEAN: Shape = { kind: 'boolean' };
export const DURATION: Shape = { kind: 'duration' };
export const SIZE: Shape = { kind: 'size' };
export const STRINGS: Shape = { kind: 'array', of: STRING };
export const STRING_RECORD: Shape = { kind: 'record', of: STRING };
export const optional = (shape: Shape): Field => ({ shape });
export const required = (shape: Shape): Field => ({ shape, required: true });
export const object = (what: string, fields: Record<string, Field>): Extract<Shape, { kind: 'object' }> => ({ kind: 'object', what, fields });

/**
 * Every member of `value` whose runtime type is not what `shape` takes, and every member an
 * object shape does not know, each as a problem naming the member below `field`
 * (`routes[1].match.path`); `''` is the value itself, reported as `root`.
 */
export function shapeProblems(value: unknown, shape: Shape, field = '', root = 'props'): Problem[] {
  const problems: Problem[] = [];
  check(value, shape, field, problems, root);
  return problems;
}

function check(value: unknown, shape: Shape, field: string, problems: Problem[], root: string): void {
  const problem = (message: string) => problems.push({ field: field || root, message });
  switch (shape.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') problem(`is ${describeValue(value)}; use a string`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problem(`is ${describeValue(value)}; use a finite number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problem(`is ${describeValue(value)}; use true or false`);
      return;
    case 'size':
      if (!hasMethod(value, 'toKibibytes')) problem(`is ${describeValue(value)}; use a cdk8s Size, e.g. Size.mebibytes(8)`);
      return;
    case 'duration':
      if (!isDuration(value)) problem(`is ${describeValue(value)}; use a cdk8s Duration, e.g. Duration.seconds(5)`);
      return;
    case 'instance':
      if (!shape.is(value)) problem(`is ${describeValue(value)}; use ${shape.use}`);
      return;
    case 'instance-or-object':
      if (shape.is(value)) return;
      if (isPlainObject(value)) checkObject(value, shape.otherwise, field, problems, root);
      else problem(`is ${describeValue(value)}; use ${shape.use} or ${shape.otherwise.what}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problem(`is ${describeValue(value)}; use an array`);
        return;
      }
      value.forEach((item, i) => check(item, shape.of, `${field || root}[${i}]`, problems, root));
      return;
    case 'record':
      if (!isPlainObject(value)) {
        problem(`is ${describeValue(value)}; use an object of names to values`);
        return;
      }
      for (const [key, item] of Object.entries(value)) check(item, shape.of, member(field, key, root), problems, root);
      return;
    case 'object':
      checkObject(value, shape, field, problems, root);
      return;
  }
}

function checkObject(value: unknown, shape: Extract<Shape, { kind: 'object' }>, field: string, problems: Problem[], root: string): void {
  const at = (name: string) => member(field, name, root);
  if (!isPlainObject(value)) {
    problems.push({ field: field || root, message: `is ${describeValue(value)}; use ${shape.what}` });
    return;
  }
  const known = Object.keys(shape.fields);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const hint = didYouMean(key, known);
      problems.push({ field: at(key), message: `is not a field of ${shape.what}${hint ? `; did you mean ${hint}?` : `; the fields are ${known.join(', ')}`}` });
    }
  }
  for (const [name, f] of Object.entries(shape.fields)) {
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined) {
      if (f.required) problems.push({ field: at(name), message: `is missing; ${shape.what} needs it` });
      continue;
    }
    check(item, f.shape, at(name), problems, root);
  }
}

/** The field of a member: `routes[0].timeout`, or `cors[" "]` for a key that is not a name. */
function member(field: string, key: string, root: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${field || root}[${JSON.stringify(key)}]`;
  return field === '' ? key : `${field}.${key}`;
}


/** A cdk8s Duration (by shape: an app may load its own copy of cdk8s). */
export function isDuration(value: unknown): boolean {
  return hasMethod(value, 'toMilliseconds');
}

function hasMethod(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';
}
