import { enumValue } from './enum-value';
import { parseGrpcPath } from './grpc-path';
import { BackendRefOf, extensionRefFilters, ExtensionRefsOf, headerAndMirrorFilters, HeaderMatchTypes, headerMatches, HeaderOrMirrorFilterTypes, weightedBackendRefs } from './rule-parts';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { RouteIntent, routeName } from '../../intent/model';

/** The policies of a route that GRPCRoute has no field for. */
export const GRPC_ROUTE_LACKS = ['rewrite', 'cors', 'timeout', 'retries', 'auth'] as const;

/**
 * The policies the gRPC route declares that GRPCRoute has no field for. Its auth is lacking only
 * when external (the ExternalAuth filter is HTTPRoute's): basic auth and JWT are an
 * implementation's policies, attached to the GRPCRoute, and the capability row refuses them
 * without one.
 */
export function grpcRouteLacks(route: RouteIntent): (typeof GRPC_ROUTE_LACKS)[number][] {
  return GRPC_ROUTE_LACKS.filter((key) => route.sources[key] !== undefined && (key !== 'auth' || route.auth?.kind === 'external'));
}

const FILTER_TYPES: HeaderOrMirrorFilterTypes<gatewayApi.GrpcRouteSpecRulesFiltersType> = {
  requestHeaderModifier: enumValue('RequestHeaderModifier'),
  responseHeaderModifier: enumValue('ResponseHeaderModifier'),
  requestMirror: enumValue('RequestMirror'),
};
const HEADER_MATCH_TYPES: HeaderMatchTypes<gatewayApi.GrpcRouteSpecRulesMatchesHeadersType> = {
  exact: enumValue('Exact'),
  regex: enumValue('RegularExpression'),
};

/**
 * The GRPCRoute rules of gRPC routes: a method match (see parseGrpcPath) and header matches, the
 * backends, header edits and mirroring. GRPCRoute has no rewrites, redirects, CORS, timeouts or
 * retries, and gRPC requests no query parameters or methods: the check refuses them. The
 * implementation's filter objects (`extensionRefs`) come first, as on HTTPRoute rules.
 */
export function renderGrpcRouteRules(
  routes: readonly RouteIntent[], backendRef: BackendRefOf, extensionRefs: ExtensionRefsOf = () => [],
  externalAuthByPolicy = false): gatewayApi.GrpcRouteSpecRules[] {
  return routes.map((route) => {
    // External authentication by an implementation's policy (on the Gateway) is not the rule's.
    const lacking = grpcRouteLacks(route).filter((key) => !(key === 'auth' && externalAuthByPolicy))[0];
    if (lacking !== undefined) unexpected(`${route.field}: ${lacking} on a gRPC route`);
    if (route.match.queryParams.length > 0 || route.match.method !== undefined) unexpected(`${route.field}.match: a query or method match on a gRPC route`);
    const filters = [
      ...extensionRefFilters(route, extensionRefs, enumValue<gatewayApi.GrpcRouteSpecRulesFiltersType>('ExtensionRef')),
      ...headerAndMirrorFilters(route, backendRef, FILTER_TYPES),
    ];
    const method = methodMatch(route);
    const headers = headerMatches(route.match, HEADER_MATCH_TYPES);
    return {
      name: routeName(route),
      matches: method === undefined && headers === undefined ? undefined : [{ method, headers }],
      backendRefs: weightedBackendRefs(route, backendRef),
      filters: filters.length === 0 ? undefined : filters,
    };
  });
}

/** The service or method the route's path names; none for prefix `/`, which matches every request. */
function methodMatch(route: RouteIntent): gatewayApi.GrpcRouteSpecRulesMatchesMethod | undefined {
  const path = parseGrpcPath(route.match.path);
  if ('problem' in path) return unexpected(`${route.field}.match.path: ${path.problem}`);
  return path.service === undefined ? undefined : { type: enumValue('Exact'), service: path.service, method: path.method };
}
