import { BackendIntent, CorsIntent, ExposureIntent, HeaderEditsIntent, MatchIntent, RouteIntent, routeName } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/** Renders Istio names and values for one exposure (internal). */
export interface IstioNaming {
  /** The destination host of a backend: its FQDN, or its short name when no namespace is known. */
  host(backend: BackendIntent): string;
}

/** A VirtualService `http` entry, in the L1's JSON shape. */
export type IstioHttpRoute = Record<string, unknown>;

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
      httpRoute(`${name}-exact`, route, [matchOf(route.match, { exact: path.value })], rewritePath, naming),
      httpRoute(name, route, [matchOf(route.match, { prefix: path.value === '/' ? '/' : `${path.value}/` })], nested, naming),
    ];
  }
  const uri = { [path.kind]: path.value };
  return [httpRoute(name, route, [matchOf(route.match, uri)], rewritePath, naming)];
}

function httpRoute(name: string, route: RouteIntent, match: object[], rewritePath: string | undefined, naming: IstioNaming): IstioHttpRoute {
  const http: IstioHttpRoute = { name, match };
  if (route.action.kind === 'redirect') {
    const r = route.action;
    http.redirect = { scheme: r.scheme, authority: r.host, port: r.port, uri: r.path, redirectCode: r.statusCode };
  } else {
    const backends = route.action.backends;
    const weights = percentages(backends.map((b) => b.weight));
    http.route = backends.map((b, i) => ({
      destination: destination(b.backend, naming),
      weight: backends.length > 1 ? weights[i] : undefined,
    }));
  }
  if (rewritePath !== undefined || route.rewrite?.host !== undefined) http.rewrite = { uri: rewritePath, authority: route.rewrite?.host };
  if (route.timeoutMs !== undefined) http.timeout = duration(route.timeoutMs);
  if (route.retries !== undefined) {
    const r = route.retries;
    http.retries = r.attempts === 0 ? { attempts: 0 } : {
      attempts: r.attempts,
      perTryTimeout: r.perTryTimeoutMs === undefined ? undefined : duration(r.perTryTimeoutMs),
      retryOn: r.retryOn.join(','),
    };
  }
  if (route.fault !== undefined) {
    const f = route.fault;
    http.fault = {
      abort: f.abort && { httpStatus: f.abort.httpStatus, percentage: { value: f.abort.percentage } },
      delay: f.delay && { fixedDelay: duration(f.delay.fixedDelayMs), percentage: { value: f.delay.percentage } },
    };
  }
  if (route.mirror !== undefined) {
    http.mirror = destination(route.mirror.backend, naming);
    http.mirrorPercentage = { value: route.mirror.percentage };
  }
  if (route.cors !== undefined) http.corsPolicy = corsPolicy(route.cors);
  if (route.requestHeaders !== undefined || route.responseHeaders !== undefined) {
    http.headers = { request: headerEdits(route.requestHeaders), response: headerEdits(route.responseHeaders) };
  }
  return http;
}

function matchOf(match: MatchIntent, uri: object): object {
  const stringMatch = (kind: string, value: string) => ({ [kind]: value });
  return {
    uri,
    method: match.method === undefined ? undefined : { exact: match.method },
    headers: match.headers.length === 0 ? undefined
      : Object.fromEntries(match.headers.map((h) => [h.name, stringMatch(h.kind, h.value)])),
    queryParams: match.queryParams.length === 0 ? undefined
      : Object.fromEntries(match.queryParams.map((q) => [q.name, stringMatch(q.kind, q.value)])),
  };
}

function destination(backend: BackendIntent, naming: IstioNaming): object {
  return { host: naming.host(backend), subset: backend.subset?.name, port: { number: backend.port } };
}

function corsPolicy(c: CorsIntent): object {
  return {
    allowOrigins: c.allowOrigins.map((o) => (o === '*' ? { regex: '.*' } : { exact: o })),
    allowMethods: [...c.allowMethods],
    allowHeaders: c.allowHeaders.length > 0 ? [...c.allowHeaders] : undefined,
    exposeHeaders: c.exposeHeaders.length > 0 ? [...c.exposeHeaders] : undefined,
    allowCredentials: c.allowCredentials,
    maxAge: c.maxAgeSeconds === undefined ? undefined : `${c.maxAgeSeconds}s`,
  };
}

function headerEdits(e: HeaderEditsIntent | undefined): object | undefined {
  if (e === undefined) return undefined;
  const record = (entries: readonly { name: string; value: string }[]) =>
    entries.length === 0 ? undefined : Object.fromEntries(entries.map((x) => [x.name, x.value]));
  return { set: record(e.set), add: record(e.add), remove: e.remove.length === 0 ? undefined : [...e.remove] };
}

/** Istio durations: seconds with up to millisecond precision ("1.5s"). */
export function duration(ms: number): string {
  return `${ms / 1000}s`;
}

/**
 * Relative weights as whole percentages summing to 100 (Istio requires it), by the largest
 * remainder method; ties go to the earlier backend, so the result is deterministic.
 */
export function percentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const result = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const missing = 100 - result.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) result[order[k].i]++;
  return result;
}
