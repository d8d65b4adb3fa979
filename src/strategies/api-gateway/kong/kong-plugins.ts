import { ExposureIntent, HeaderEditsIntent, RouteIntent } from '../../../intent/model';
import {
  aclPlugin, basicAuthPlugin, corsPlugin, ipRestrictionPlugin, jwtPlugin, keyAuthPlugin, rateLimitingPlugin, requestSizeLimitingPlugin,
} from '../../shared/kong-plugin-config';
import { checkLetThrough, HSTS_POLICY } from '../engine';
import { KongPlugin, KongTransformerConfig } from './kong-entities';
import { grpcTranslationPlugins } from './kong-grpc';

/**
 * The plugins of a route's service, in the order Kong's configuration lists them: ip-restriction, authentication
 * (key-auth, basic-auth or jwt, each with an acl of its Secret's consumers), rate-limiting, cors,
 * request- and response-transformer (HSTS with TLS), request-size-limiting, proxy-cache.
 */
export function routePlugins(route: RouteIntent, intent: ExposureIntent, cacheTtlSeconds: number | undefined): KongPlugin[] {
  const plugins: KongPlugin[] = [
    ...(route.deprecation?.retire ? [retirePlugin(route.deprecation.sunsetSeconds)] : []),
    ...(route.access ? [ipRestrictionPlugin(route.access)] : []),
    ...authPlugins(route),
  ];
  if (route.rateLimit) plugins.push(rateLimitingPlugin(route.rateLimit));
  if (route.cors) plugins.push(corsPlugin(route.cors));
  if (route.requestHeaders) plugins.push({ name: 'request-transformer', config: transformer(route.requestHeaders) });
  // With TLS every response carries HSTS; a route's own transformer would shadow a global one.
  const responseEdits = route.responseHeaders ?? (intent.tls ? { set: [], add: [], remove: [] } : undefined);
  if (responseEdits) plugins.push({ name: 'response-transformer', config: transformer(responseEdits, intent.tls ? [HSTS] : []) });
  // On the route's service, it takes the place of the global one for this route.
  if (route.maxRequestBodyBytes !== undefined) plugins.push(requestSizeLimitingPlugin(route.maxRequestBodyBytes));
  plugins.push(...grpcTranslationPlugins(route));
  // gRPC calls are POSTs: nothing to cache.
  if (cacheTtlSeconds !== undefined && route.protocol !== 'grpc') {
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

/** The credentials plugin, and an acl that admits the consumers of its Secret only. */
function authPlugins(route: RouteIntent): KongPlugin[] {
  const auth = route.auth;
  switch (auth?.kind) {
    case undefined:
      return [];
    case 'api-key':
      return [keyAuthPlugin(auth.header), aclPlugin(auth.secretName)];
    case 'basic':
      return [basicAuthPlugin(auth.realm), aclPlugin(auth.secretName)];
    case 'jwt':
      if (auth.publicKeySecret === undefined) checkLetThrough('kong', 'a JWT without a public key');
      return [jwtPlugin(), aclPlugin(auth.publicKeySecret)];
    case 'external':
      return checkLetThrough('kong', 'external authentication, which no bundled plugin of Kong OSS does');
  }
}

/**
 * 410 Gone from the sunset on, by Kong's clock at each request (`ngx.time()`, whole seconds),
 * with Kong's JSON error (`kong.response.error`). No bundled plugin answers by date: the
 * serverless `pre-function` runs this Lua, whose only input is the sunset's number of seconds.
 * Both of Kong's sandboxes (`untrusted_lua = sandbox`, set by the engine) give it `ngx` and `kong`.
 */
export function retirePlugin(sunsetSeconds: number): KongPlugin {
  if (!Number.isSafeInteger(sunsetSeconds)) throw new Error(`${sunsetSeconds} is not a whole number of seconds`);
  return {
    name: 'pre-function',
    config: { access: [`return function() if ngx.time() >= ${sunsetSeconds} then return kong.response.error(410, "Gone") end end`] },
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
