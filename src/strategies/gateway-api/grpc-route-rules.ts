import { BackendRefOf, Fail, headerAndMirrorFilters, headerMatches, weightedBackendRefs } from './http-route-rules';
import { RouteIntent, routeName } from '../../intent/model';

/** One GRPCRoute rule, in the JSON shape of the L1 props (see HttpRouteRule). */
export type GrpcRouteRule = Record<string, unknown>;

// gRPC paths are /package.Service/Method; GRPCRoute matches the two names (its CEL patterns).
const SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/**
 * The GRPCRoute rules of gRPC routes. A prefix `/pkg.Service` matches the service, an exact
 * `/pkg.Service/Method` the method, prefix `/` everything. GRPCRoute has header edits and
 * mirroring but no rewrites, redirects, CORS or timeouts: those are errors.
 */
export function renderGrpcRouteRules(routes: readonly RouteIntent[], backendRef: BackendRefOf, fail: Fail): GrpcRouteRule[] {
  return routes.map((route) => {
    for (const key of ['rewrite', 'cors', 'timeout', 'retries'] as const) {
      if (route.sources[key] !== undefined) fail(route.sources[key]!, `GRPCRoute has no ${key === 'timeout' ? 'timeouts' : key}; remove it from the gRPC route, or use istio`);
    }
    if (route.match.queryParams.length > 0) fail(`${route.field}.match.queryParams`, 'gRPC requests have no query parameters; match headers instead');
    if (route.match.method !== undefined) fail(`${route.field}.match.method`, 'gRPC requests are all POST; match the gRPC method with the path /package.Service/Method');
    const filters = headerAndMirrorFilters(route, backendRef, fail);
    const method = methodMatch(route, fail);
    const headers = headerMatches(route);
    return {
      name: routeName(route),
      matches: method === undefined && headers === undefined ? undefined : [{ method, headers }],
      backendRefs: weightedBackendRefs(route, backendRef),
      filters: filters.length === 0 ? undefined : filters,
    };
  });
}

function methodMatch(route: RouteIntent, fail: Fail): Record<string, string> | undefined {
  const { kind, value } = route.match.path;
  const field = `${route.field}.match.path`;
  const usage = 'gRPC routes match /package.Service (PathMatch.prefix) or /package.Service/Method (PathMatch.exact)';
  if (kind === 'prefix' && value === '/') return undefined;
  const [service, method, ...rest] = value.slice(1).split('/');
  if (kind === 'regex' || rest.length > 0 || !SERVICE.test(service)) fail(field, `${usage}; got ${kind} "${value}"`);
  if (kind === 'prefix') {
    if (method !== undefined && method !== '') fail(field, `${usage}; a prefix with a method is an exact match`);
    return { type: 'Exact', service };
  }
  if (method === undefined || !METHOD.test(method)) fail(field, `${usage}; got exact "${value}"`);
  return { type: 'Exact', service, method };
}
