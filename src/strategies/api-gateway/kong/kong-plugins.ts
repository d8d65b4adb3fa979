import { AccessIntent, CorsIntent, ExposureIntent, HeaderEditsIntent, RateLimitIntent, RouteIntent } from '../../../intent/model';
import { checkLetThrough, HSTS_POLICY } from '../engine';
import { KongPlugin, KongTransformerConfig } from './kong-entities';

/**
 * The plugins of a route's service, in the order Kong's configuration lists them: ip-restriction, authentication
 * (key-auth, basic-auth or jwt, each with an acl of its Secret's consumers), rate-limiting, cors,
 * request- and response-transformer (HSTS with TLS), request-size-limiting, proxy-cache.
 */
export function routePlugins(route: RouteIntent, intent: ExposureIntent, cacheTtlSeconds: number | undefined): KongPlugin[] {
  const plugins: KongPlugin[] = [...(route.access ? [ipRestriction(route.access)] : []), ...authPlugins(route)];
  if (route.rateLimit) plugins.push(rateLimiting(route.rateLimit));
  if (route.cors) plugins.push(cors(route.cors));
  if (route.requestHeaders) plugins.push({ name: 'request-transformer', config: transformer(route.requestHeaders) });
  // With TLS every response carries HSTS; a route's own transformer would shadow a global one.
  const responseEdits = route.responseHeaders ?? (intent.tls ? { set: [], add: [], remove: [] } : undefined);
  if (responseEdits) plugins.push({ name: 'response-transformer', config: transformer(responseEdits, intent.tls ? [HSTS] : []) });
  // On the route's service, it takes the place of the global one for this route.
  if (route.maxRequestBodyBytes !== undefined) plugins.push(requestSizeLimiting(route.maxRequestBodyBytes));
  if (cacheTtlSeconds !== undefined) {
    plugins.push({ name: 'proxy-cache', config: { strategy: 'memory', cache_ttl: cacheTtlSeconds, request_method: ['GET', 'HEAD'], response_code: [200, 301, 404] } });
  }
  return plugins;
}

/** The plugins of every request: metrics per consumer, the usage log, the body limit. */
export function globalPlugins(maxBodyKb: number): KongPlugin[] {
  return [
    { name: 'prometheus', config: { per_consumer: true, status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true } },
    // One JSON line per request on stdout: consumer, route, status, latencies, sizes.
    { name: 'file-log', config: { path: '/dev/stdout', reopen: false } },
    { name: 'request-size-limiting', config: { allowed_payload_size: maxBodyKb, size_unit: 'kilobytes' } },
  ];
}

/**
 * A body limit in the largest of Kong's units it is a whole number of (kilobytes and megabytes
 * are powers of 1024 in the plugin); `allowed_payload_size` is an integer.
 */
function requestSizeLimiting(bytes: number): KongPlugin {
  const unit = ([['megabytes', 1024 ** 2], ['kilobytes', 1024], ['bytes', 1]] as const).find(([, per]) => bytes % per === 0)!;
  return { name: 'request-size-limiting', config: { allowed_payload_size: bytes / unit[1], size_unit: unit[0] } };
}

/** The credentials plugin, and an acl that admits the consumers of its Secret only. */
function authPlugins(route: RouteIntent): KongPlugin[] {
  const auth = route.auth;
  switch (auth?.kind) {
    case undefined:
      return [];
    case 'api-key':
      return [{ name: 'key-auth', config: { key_names: [auth.header], hide_credentials: true } }, acl(auth.secretName)];
    case 'basic':
      return [{ name: 'basic-auth', config: { hide_credentials: true, realm: auth.realm } }, acl(auth.secretName)];
    case 'jwt':
      if (auth.publicKeySecret === undefined) checkLetThrough('kong', 'a JWT without a public key');
      return [{ name: 'jwt', config: { key_claim_name: 'iss', claims_to_verify: ['exp'], header_names: ['authorization'] } }, acl(auth.publicKeySecret)];
    case 'external':
      return checkLetThrough('kong', 'external authentication, which no bundled plugin of Kong OSS does');
  }
}

function acl(group: string): KongPlugin {
  return { name: 'acl', config: { allow: [group], hide_groups_header: true } };
}

/** Kong checks the deny list first, then the allow list: a denied range wins, as declared. */
function ipRestriction(a: AccessIntent): KongPlugin {
  return {
    name: 'ip-restriction',
    config: { allow: a.allow === undefined ? undefined : [...a.allow], deny: a.deny.length > 0 ? [...a.deny] : undefined, status: 403, message: 'forbidden' },
  };
}

function rateLimiting(r: RateLimitIntent): KongPlugin {
  const window = r.per === 'second' ? { second: r.requests } : { minute: r.requests };
  return { name: 'rate-limiting', config: { ...window, policy: 'local', limit_by: r.key === 'api-key' ? 'consumer' : 'ip', error_code: 429 } };
}

function cors(c: CorsIntent): KongPlugin {
  return {
    name: 'cors',
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

type Header = { readonly name: string; readonly value: string };

const HSTS: Header = { name: 'Strict-Transport-Security', value: HSTS_POLICY };

/** request-/response-transformer: set = replace if present and add if absent. */
function transformer(e: HeaderEditsIntent, extra: readonly Header[] = []): KongTransformerConfig {
  const pairs = (list: readonly Header[]) => list.map((h) => `${h.name}:${h.value}`);
  return {
    remove: { headers: [...e.remove] },
    replace: { headers: pairs(e.set) },
    add: { headers: pairs([...e.set, ...extra]) },
    append: { headers: pairs(e.add) },
  };
}
