import { RouteIntent } from '../../../intent/model';
import { forEachConsumer, shellLiteral, yamlStringBody } from '../credentials';
import { KONG_PATHS } from './kong-layout';

/** The Secrets whose consumers the routes admit, by kind of credential, each sorted. */
export interface ConsumerSecrets {
  readonly apiKey: readonly string[];
  readonly basic: readonly string[];
  /** A JWT public key's Secret, and the issuer whose key it holds. */
  readonly jwt: readonly (readonly [string, string])[];
}

export function consumerSecrets(routes: readonly RouteIntent[]): ConsumerSecrets {
  const apiKey = new Set<string>();
  const basic = new Set<string>();
  const jwt = new Map<string, string>();
  for (const { auth } of routes) {
    if (auth?.kind === 'api-key') apiKey.add(auth.secretName);
    if (auth?.kind === 'basic') basic.add(auth.secretName);
    // The check made each Secret the key of one issuer.
    if (auth?.kind === 'jwt' && auth.publicKeySecret !== undefined) jwt.set(auth.publicKeySecret, auth.issuer);
  }
  return { apiKey: [...apiKey].sort(), basic: [...basic].sort(), jwt: [...jwt.entries()].sort() };
}

/** Every Secret the gateway mounts for its consumers, once, sorted. */
export function mountedSecrets(secrets: ConsumerSecrets): string[] {
  return [...new Set([...secrets.apiKey, ...secrets.basic, ...secrets.jwt.map(([secret]) => secret)])].sort();
}

/**
 * The init container's script: copies the declarative configuration and appends the consumers,
 * as YAML, from the mounted Secrets: the key material never reaches the YAML of the app.
 */
export function consumersScript(secrets: ConsumerSecrets): string {
  const dir = (secret: string) => `${KONG_PATHS.secrets}/${secret}`;
  const out = `${KONG_PATHS.generated}/kong.yml`;
  const consumers = [
    ...secrets.apiKey.map((s) => forEachConsumer(dir(s), `printf '  - username: "%s"\\n    keyauth_credentials:\\n      - key: "%s"\\n    acls:\\n      - group: "${s}"\\n' "$consumer" "$value"`)),
    ...secrets.basic.map((s) => forEachConsumer(dir(s), `printf '  - username: "%s"\\n    basicauth_credentials:\\n      - username: "%s"\\n        password: "%s"\\n    acls:\\n      - group: "${s}"\\n' "$consumer" "$consumer" "$value"`)),
    // A JWT issuer is a consumer whose jwt secret holds the issuer's public key (PEM, one line with \n).
    // The issuer is declared data: a single-quoted shell literal, escaped for the YAML string.
    ...secrets.jwt.map(([s, issuer]) => [
      `pem=$(sed 's/$/\\\\n/' ${dir(s)}/public-key.pem | tr -d '\\n')`,
      `printf '  - username: "%s"\\n    jwt_secrets:\\n      - key: "%s"\\n        algorithm: RS256\\n        rsa_public_key: "%s"\\n    acls:\\n      - group: "${s}"\\n' ${shellLiteral(`jwt-${s}`)} ${shellLiteral(yamlStringBody(issuer))} "$pem"`,
    ].join('\n')),
  ];
  return [
    'set -eu',
    `cp ${KONG_PATHS.config}/kong.yml ${out}`,
    ...(consumers.length === 0 ? [] : [`{\necho 'consumers:'\n${consumers.join('\n')}\n} >> ${out}`]),
  ].join('\n');
}
