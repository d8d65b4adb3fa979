import { AccessIntent, CorsIntent, RateLimitIntent } from '../../intent/model';

/*
 * The configuration of Kong's bundled plugins, shared by the Kong engine (its declarative
 * kong.yml) and Gateway API on Kong (KongPlugins of the Kong Ingress Controller): both write
 * the same plugin for the same declaration.
 */

/** ip-restriction: Kong checks the deny list first, then the allow list: a denied range wins, as declared. */
export function ipRestrictionPlugin(a: AccessIntent) {
  return {
    name: 'ip-restriction' as const,
    config: { allow: a.allow === undefined ? undefined : [...a.allow], deny: a.deny.length > 0 ? [...a.deny] : undefined, status: 403, message: 'forbidden' },
  };
}

/** rate-limiting: a counter per window of a second or a minute, in each Kong node's memory, per client address or per consumer. */
export function rateLimitingPlugin(r: RateLimitIntent) {
  const window = r.per === 'second' ? { second: r.requests } : { minute: r.requests };
  return {
    name: 'rate-limiting' as const,
    config: { ...window, policy: 'local' as const, limit_by: r.key === 'api-key' ? 'consumer' as const : 'ip' as const, error_code: 429 },
  };
}

/**
 * request-size-limiting: the limit in the largest of Kong's units it is a whole number of
 * (kilobytes and megabytes are powers of 1024 in the plugin); `allowed_payload_size` is an integer.
 */
export function requestSizeLimitingPlugin(bytes: number) {
  const [unit, per] = ([['megabytes', 1024 ** 2], ['kilobytes', 1024], ['bytes', 1]] as const).find(([, p]) => bytes % p === 0)!;
  return { name: 'request-size-limiting' as const, config: { allowed_payload_size: bytes / per, size_unit: unit } };
}

export function corsPlugin(c: CorsIntent) {
  return {
    name: 'cors' as const,
    config: {
      origins: [...c.allowOrigins],
      methods: [...c.allowMethods],
      headers: c.allowHeaders.length > 0 ? [...c.allowHeaders] : undefined,
      exposed_headers: c.exposeHeaders.length > 0 ? [...c.exposeHeaders] : undefined,
      credentials: c.allowCredentials,
      max_age: c.maxAgeSeconds,
      preflight_continue: false,
    },
  };
}

/** key-auth: the API key in the declared header, not passed on to the backend. */
export function keyAuthPlugin(header: string) {
  return { name: 'key-auth' as const, config: { key_names: [header], hide_credentials: true } };
}

/** basic-auth: the credentials not passed on to the backend, the declared realm announced. */
export function basicAuthPlugin(realm: string) {
  return { name: 'basic-auth' as const, config: { hide_credentials: true, realm } };
}

/** jwt: the consumer is the one whose jwt credential's key is the token's `iss`; the signature and `exp` are verified. */
export function jwtPlugin() {
  return { name: 'jwt' as const, config: { key_claim_name: 'iss', claims_to_verify: ['exp'], header_names: ['authorization'] } };
}

/** acl: admits the consumers of one group only (the consumers of the route's Secret), the group not passed on. */
export function aclPlugin(group: string) {
  return { name: 'acl' as const, config: { allow: [group], hide_groups_header: true } };
}
