import { ExposureIntent, ForwardIntent, HeaderMatchIntent, PathMatchIntent, RouteIntent, routeName } from '../../../intent/model';
import { escapeRegex } from '../../shared/regex';
import { backendAddress, checkLetThrough } from '../engine';
import { headerMatchProblem } from './checks';
import { KongPlugin, KongRoute, KongService, KongUpstream } from './kong-entities';
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
  return {
    name,
    host: upstreamName(i),
    port: forwarded(route).backends[0].backend.port,
    // Unverified TLS only: the checks refuse a CA (Kong's ca_certificates hold the PEM itself).
    ...(forwarded(route).backends[0].backend.tls === undefined ? { protocol: 'http' as const } : { protocol: 'https' as const, tls_verify: false }),
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

/** The upstream of route `i`: its backends as weighted targets, the rewritten Host if any. */
export function kongUpstream(route: RouteIntent, i: number, intent: ExposureIntent, clusterDomain: string): KongUpstream {
  return {
    name: upstreamName(i),
    host_header: route.rewrite?.host,
    targets: forwarded(route).backends.map((b) => ({ target: backendAddress(b.backend, intent, clusterDomain), weight: b.weight })),
  };
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
    protocols: tlsAtGateway ? ['https'] : ['http', 'https'],
    https_redirect_status_code: tlsAtGateway ? intent.tls?.redirectCode ?? 301 : undefined,
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
