import * as kplus from 'cdk8s-plus-27';
import { describeValue } from '../core/runtime-types';

/**
 * A Secret the library refers to by name. Secret values are never read or written by the
 * library: only the name reaches the YAML.
 */
export type SecretRef = kplus.ISecret | string;

/** The Secret's name; `''` for a value that is not a SecretRef (see `secretRefProblem`). */
export function secretName(secret: SecretRef): string {
  if (typeof secret === 'string') return secret;
  const name = (secret as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

/** The problem when `secret` is neither a Secret's name nor a cdk8s-plus Secret, or undefined. */
export function secretRefProblem(secret: unknown, what = 'secret'): string | undefined {
  if (typeof secret === 'string') return undefined;
  if (typeof secret === 'object' && secret !== null && typeof (secret as { name?: unknown }).name === 'string') return undefined;
  return `${what} is ${describeValue(secret)}; use the Secret's name or a cdk8s-plus Secret`;
}
