import { AffinityIntent, ExposureIntent, ForwardIntent, HeaderMatchIntent, PathMatchIntent, RouteIntent, routeName, translatesGrpc } from '../../../intent/model';
import { escapeRegex } from '../../shared/regex';
import { backendAddress, checkLetThrough } from '../engine';
import { PodAddresses } from '../pod-addresses';
import { headerMatchProblem } from './checks';
import { KongPlugin, KongRoute, KongService, KongUpstream } from './kong-entities';
import { grpcRouteProtocols } from './kong-grpc';
import { kongPath } from './kong-paths';

/**
 * The service of route `i` of `count` (in specificity order): its upstream, timeouts and retries,
 * its Kong route, and its plugins.
 */
export function kongService(route: RouteIntent, i: number, count: number, intent: ExposureIntent, tlsAtGateway: boolean,
  plugins: readonly KongPlugin[]): KongService {
  const retries = route.retries;
  const perTry = retries?.perTryTimeoutMs ?? route.timeoutMs;
  // Kong entity names take letters, digits and `-._~`: route names are that.
  const name = routeName(route);
  const grpc = route.protocol === 'grpc';
  return {
    name,
    host: upstreamName(i),
    port: forwarded(route).backends[0].backend.port,
    // Unverified TLS only: the checks refuse a CA (Kong's ca_certificates hold the PEM itself).
    ...(forwarded(route).backends[0].backend.tls === undefined
      ? { protocol: grpc ? 'grpc' as const : 'http' as const } : { protocol: grpc ? 'grpcs' as const : 'https' as const, tls_verify: false }),
    path: route.rewrite?.path,
    retries: retries?.attempts ?? 0,
    // Connecting gets the request's bound too, at most Kong's default of 60 s.
    ...(perTry === undefined ? {} : { connect_timeout: Math.min(perTry, 60_000), read_timeout: perTry, write_timeout: perTry }),
    // The longest silence of a WebSocket or stream: the time between two reads or writes (the checks let it through alone).
    ...(route.idleTimeoutMs === undefined ? {} : { read_timeout: route.idleTimeoutMs, write_timeout: route.idleTimeoutMs }),
    routes: [kongRoute(route, name, count - i, intent, tlsAtGateway)],
    plugins: plugins.length > 0 ? plugins : undefined,
  };
}

/**
 * The upstream of route `i`: its backends as weighted targets, the rewritten Host if any. With
 * session affinity, a consistent-hashing ring over the backend's pods: its target is their
 * headless Service, which Kong resolves to every pod address (again when the records' TTL ends).
 */
export function kongUpstream(route: RouteIntent, i: number, intent: ExposureIntent, clusterDomain: string,
  podAddresses: ReadonlyMap<string, PodAddresses>): KongUpstream {
  const backends = forwarded(route).backends;
  if (route.affinity === undefined) {
    return {
      name: upstreamName(i),
      host_header: route.rewrite?.host,
      targets: backends.map((b) => ({ target: backendAddress(b.backend, intent, clusterDomain), weight: b.weight })),
    };
  }
  // One backend: the intent refuses affinity with weighted backends.
  const { backend, weight } = backends[0];
  const pods = podAddresses.get(backend.key) ?? checkLetThrough('kong', `affinity to ${backend.key} without a headless Service`);
  return {
    name: upstreamName(i),
    host_header: route.rewrite?.host,
    algorithm: 'consistent-hashing',
    ...hashOn(route.affinity),
    targets: [{ target: backendAddress({ ...backend, name: pods.name, namespace: pods.namespace, port: pods.port }, intent, clusterDomain), weight }],
  };
}

/** What Kong hashes: a cookie it sets when the request has none (path `/` unless declared), a header, the client address. */
function hashOn(affinity: AffinityIntent): Pick<KongUpstream, 'hash_on' | 'hash_on_cookie' | 'hash_on_cookie_path' | 'hash_on_header'> {
  switch (affinity.kind) {
    case 'cookie':
      return { hash_on: 'cookie', hash_on_cookie: affinity.name, hash_on_cookie_path: affinity.path };
    case 'header':
      return { hash_on: 'header', hash_on_header: affinity.name };
    case 'client-ip':
      return { hash_on: 'ip' };
  }
}

function upstreamName(i: number): string {
  return `upstream-${i}`;
}

/** The route's forward action: Kong has no redirect plugin, and the check refuses redirects. */
function forwarded(route: RouteIntent): ForwardIntent {
  if (route.action.kind !== 'forward') checkLetThrough('kong', `the redirect of ${route.field}`);
  return route.action;
}

/** How the route matches: hosts, path, method and headers; the most specific first (`priority`). */
function kongRoute(route: RouteIntent, name: string, priority: number, intent: ExposureIntent, tlsAtGateway: boolean): KongRoute {
  // Native gRPC clients: Kong's gRPC routes take no method and no redirect (the checks refuse a method match).
  const nativeGrpc = route.protocol === 'grpc' && !translatesGrpc(route);
  return {
    name,
    hosts: intent.hosts.length > 0 ? [...intent.hosts] : undefined,
    paths: [routePath(route.match.path, route.field)],
    methods: route.match.method ? [route.match.method] : undefined,
    headers: route.match.headers.length === 0 ? undefined
      : Object.fromEntries(route.match.headers.map((h) => [h.name, [headerValue(h, route.field)]])),
    // A rewrite replaces the matched part: Kong strips it and prepends the service path.
    strip_path: route.rewrite?.path !== undefined,
    preserve_host: route.rewrite?.host === undefined,
    // Most specific first, as every strategy orders routes.
    regex_priority: priority,
    // When Kong terminates TLS, plain HTTP is redirected to HTTPS. Behind an L7 front that
    // terminates TLS, Kong gets plain HTTP and must serve it (a redirect would loop).
    protocols: nativeGrpc ? grpcRouteProtocols(tlsAtGateway) : tlsAtGateway ? ['https'] : ['http', 'https'],
    https_redirect_status_code: tlsAtGateway && !nativeGrpc ? intent.tls?.redirectCode ?? 301 : undefined,
  };
}

/**
 * Kong matches prefixes as strings (as Istio does) and regexes from the start; exact paths and
 * regexes are anchored at the end. Literal paths are written in the form Kong normalizes request
 * paths to (decoded percent-encodings): the form it accepts, and the one it compares.
 */
function routePath({ kind, value }: PathMatchIntent, field: string): string {
  if (kind === 'regex') return `~(?:${value})$`;
  const path = kongPath(value);
  if ('problem' in path) return checkLetThrough('kong', `the path of ${field}`);
  return kind === 'prefix' ? path.path : `~${escapeRegex(path.path)}$`;
}

/**
 * Kong compares a plain value whole, and searches a `~*` regex anywhere in the value: prefixes
 * and regexes are anchored, as every engine matches the whole value. Kong lowercases both sides;
 * the check refuses what that would change.
 */
function headerValue(h: HeaderMatchIntent, field: string): string {
  if (headerMatchProblem(h) !== undefined) checkLetThrough('kong', `the header match of ${field} on "${h.name}"`);
  switch (h.kind) {
    case 'exact':
      return h.value;
    case 'prefix':
      return `~*^${escapeRegex(h.value)}`;
    case 'regex':
      return `~*^(?:${h.value})$`;
  }
}
