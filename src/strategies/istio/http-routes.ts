import { destination, duration, IstioNaming, weightedDestinations } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { CorsIntent, ExposureIntent, FaultIntent, HeaderEditsIntent, MatchIntent, RetryIntent, RouteIntent, routeName } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/** A VirtualService `http` entry. */
export type IstioHttpRoute = istioNetworking.VirtualServiceSpecHttp;

/** An Istio StringMatch (of a uri, a header, a query parameter): one of exact, prefix, regex. */
type StringMatch = istioNetworking.VirtualServiceSpecHttpMatchUri;

/**
 * The VirtualService `http` list. Istio takes the first matching entry, so routes are ordered
 * most specific first (see orderBySpecificity).
 *
 * A prefix is an Istio string prefix (`/status` also matches `/statusx`), exactly as Istio
 * itself renders an Ingress `Prefix` path, so `ingress({ className: 'istio' })` and `istio()`
 * route alike. A prefix with a path rewrite is split element-wise instead (see renderRoute).
 */
export function renderHttpRoutes(intent: ExposureIntent, naming: IstioNaming): IstioHttpRoute[] {
  return orderBySpecificity(intent.routes).flatMap((route) => renderRoute(route, naming));
}

function renderRoute(route: RouteIntent, naming: IstioNaming): IstioHttpRoute[] {
  const name = routeName(route);
  const { path } = route.match;
  const rewritePath = route.rewrite?.path;
  // Istio replaces the matched prefix literally (/api -> / would turn /api/x into //x): render
  // the two element-wise halves separately, so /api/x becomes /x and /api becomes /.
  if (path.kind === 'prefix' && rewritePath !== undefined) {
    const nested = rewritePath.endsWith('/') ? rewritePath : `${rewritePath}/`;
    return [
      httpRoute(`${name}-exact`, route, matchOf(route.match, { exact: path.value }), rewritePath, naming),
      httpRoute(name, route, matchOf(route.match, { prefix: path.value === '/' ? '/' : `${path.value}/` }), nested, naming),
    ];
  }
  return [httpRoute(name, route, matchOf(route.match, stringMatch(path.kind, path.value)), rewritePath, naming)];
}

/** One `http` entry: the route's match (on `match.uri`), its action, and its policies. */
function httpRoute(name: string, route: RouteIntent, match: istioNetworking.VirtualServiceSpecHttpMatch, rewritePath: string | undefined,
  naming: IstioNaming): IstioHttpRoute {
  const action = route.action;
  const rewriteHost = route.rewrite?.host;
  return {
    name,
    match: [match],
    redirect: action.kind === 'redirect'
      ? { scheme: action.scheme, authority: action.host, port: action.port, uri: action.path, redirectCode: action.statusCode } : undefined,
    route: action.kind === 'forward' ? weightedDestinations(action, naming) : undefined,
    rewrite: rewritePath !== undefined || rewriteHost !== undefined ? { uri: rewritePath, authority: rewriteHost } : undefined,
    timeout: route.timeoutMs === undefined ? undefined : duration(route.timeoutMs),
    retries: route.retries && retriesOf(route.retries),
    fault: route.fault && faultOf(route.fault),
    mirror: route.mirror && destination(route.mirror.backend, naming),
    mirrorPercentage: route.mirror && { value: route.mirror.percentage },
    corsPolicy: route.cors && corsPolicy(route.cors),
    headers: route.requestHeaders !== undefined || route.responseHeaders !== undefined
      ? { request: headerEdits(route.requestHeaders), response: headerEdits(route.responseHeaders) } : undefined,
  };
}

function matchOf(match: MatchIntent, uri: StringMatch): istioNetworking.VirtualServiceSpecHttpMatch {
  return {
    uri,
    method: match.method === undefined ? undefined : { exact: match.method },
    headers: match.headers.length === 0 ? undefined
      : Object.fromEntries(match.headers.map((h) => [h.name, stringMatch(h.kind, h.value)])),
    queryParams: match.queryParams.length === 0 ? undefined
      : Object.fromEntries(match.queryParams.map((q) => [q.name, stringMatch(q.kind, q.value)])),
  };
}

function stringMatch(kind: 'exact' | 'prefix' | 'regex', value: string): StringMatch {
  switch (kind) {
    case 'exact': return { exact: value };
    case 'prefix': return { prefix: value };
    case 'regex': return { regex: value };
  }
}

/** `attempts: 0` alone disables retries. */
function retriesOf(r: RetryIntent): istioNetworking.VirtualServiceSpecHttpRetries {
  return r.attempts === 0 ? { attempts: 0 } : {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeoutMs === undefined ? undefined : duration(r.perTryTimeoutMs),
    retryOn: r.retryOn.join(','),
  };
}

function faultOf(f: FaultIntent): istioNetworking.VirtualServiceSpecHttpFault {
  return {
    abort: f.abort && { httpStatus: f.abort.httpStatus, percentage: { value: f.abort.percentage } },
    delay: f.delay && { fixedDelay: duration(f.delay.fixedDelayMs), percentage: { value: f.delay.percentage } },
  };
}

function corsPolicy(c: CorsIntent): istioNetworking.VirtualServiceSpecHttpCorsPolicy {
  return {
    allowOrigins: c.allowOrigins.map((o) => (o === '*' ? { regex: '.*' } : { exact: o })),
    allowMethods: [...c.allowMethods],
    allowHeaders: c.allowHeaders.length > 0 ? [...c.allowHeaders] : undefined,
    exposeHeaders: c.exposeHeaders.length > 0 ? [...c.exposeHeaders] : undefined,
    allowCredentials: c.allowCredentials,
    maxAge: c.maxAgeSeconds === undefined ? undefined : `${c.maxAgeSeconds}s`,
  };
}

/** Request or response header edits (the two L1 types have the same fields). */
function headerEdits(e: HeaderEditsIntent | undefined): istioNetworking.VirtualServiceSpecHttpHeadersRequest | undefined {
  if (e === undefined) return undefined;
  const record = (entries: readonly { name: string; value: string }[]) =>
    entries.length === 0 ? undefined : Object.fromEntries(entries.map((x) => [x.name, x.value]));
  return { set: record(e.set), add: record(e.add), remove: e.remove.length === 0 ? undefined : [...e.remove] };
}
