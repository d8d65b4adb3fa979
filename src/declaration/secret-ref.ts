import { ISecretLike } from './cdk8s-plus-objects';
import { describeValue } from '../core/runtime-types';

/**
 * A Secret the library refers to by name. Secret values are never read or written by the
 * library: only the name reaches the YAML.
 */
export type SecretRef = ISecretLike | string;

/** The Secret's name; `''` for a value that is not a SecretRef (see `secretRefProblem`). */
export function secretName(secret: SecretRef): string {
  if (typeof secret === 'string') return secret;
  const name = (secret as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

/**
 * The `type` of a Secret this app declares (`kubernetes.io/tls`, ...), when cdk8s-plus tells it;
 * undefined for a name or an Opaque Secret.
 */
function secretTypeOf(secret: unknown): string | undefined {
  try {
    const json = (secret as { apiObject?: { toJson?: () => { type?: unknown } } } | null)?.apiObject?.toJson?.();
    return typeof json?.type === 'string' ? json.type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The problem when a Secret of this app has a type whose keys the reader does not read: `expected`
 * is the one type it reads (`kubernetes.io/tls` for TLS), or undefined for Opaque Secrets only.
 */
export function secretTypeProblem(secret: unknown, reader: string, expected?: string): string | undefined {
  const type = secretTypeOf(secret);
  if (type === undefined || type === expected || (expected === undefined && type === 'Opaque')) return undefined;
  return `Secret "${secretName(secret as SecretRef)}" is of type ${type}, whose keys ${reader} does not read; use ${expected === undefined ? 'an Opaque Secret (see its docs for the keys)' : `a ${expected} Secret`}`;
}

/** The problem when `secret` is neither a Secret's name nor a cdk8s-plus Secret, or undefined. */
export function secretRefProblem(secret: unknown, what = 'secret'): string | undefined {
  if (typeof secret === 'string') return undefined;
  if (typeof secret === 'object' && secret !== null && typeof (secret as { name?: unknown }).name === 'string') return undefined;
  return `${what} is ${describeValue(secret)}; use the Secret's name or a cdk8s-plus Secret`;
}
