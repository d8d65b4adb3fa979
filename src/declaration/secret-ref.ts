import * as kplus from 'cdk8s-plus-27';

/**
 * A Secret the library refers to by name. Secret values are never read or written by the
 * library: only the name reaches the YAML.
 */
export type SecretRef = kplus.ISecret | string;

/** The Secret's name. */
export function secretName(secret: SecretRef): string {
  return typeof secret === 'string' ? secret : secret.name;
}
