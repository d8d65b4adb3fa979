import { Shape, shapeProblems } from '../../core/runtime-shape';
import { describeValue, isPlainObject } from '../../core/runtime-types';

/**
 * The problems of a factory's options whose runtime types are not what the factory takes (a
 * JavaScript caller, or a cast, may pass anything), as sentences naming the option:
 * `options.port is a string ("80"); use a finite number`. Reported under `strategy`.
 */
export function optionProblems(options: unknown, shape: Shape, what = 'options'): string[] {
  if (options === undefined) return [];
  return shapeProblems(options, shape, '', what)
    .map((p) => `${p.field === what || p.field.startsWith(`${what}[`) ? p.field : `${what}.${p.field}`} ${p.message}`);
}

/** The problem of a required options object that is missing or not an object, or undefined. */
export function requiredOptionsProblem(options: unknown, what = 'options'): string | undefined {
  return isPlainObject(options) ? undefined : `${what} is ${describeValue(options)}; use an object`;
}
