import { accessOf, accessRoutes, oneAccessForEveryRoute } from './access-routes';
import { matchesBeyondPathAndMethod, routesTakingFirst } from './jwt-routes';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/**
 * What an Istio AuthorizationPolicy cannot express of the routes' own client IP lists (none when
 * one list covers every route): a route it cannot scope by host, path and method.
 */
export function accessRouteProblems(intent: ExposureIntent): Problem[] {
  if (oneAccessForEveryRoute(intent)) return [];
  const ordered = orderBySpecificity(intent.routes);
  return accessRoutes(intent).flatMap((route) => routeProblems(route, ordered));
}

function routeProblems(route: RouteIntent, ordered: readonly RouteIntent[]): Problem[] {
  const field = route.sources.access!;
  if (route.match.path.kind === 'regex') {
    return [{ field, message: 'AuthorizationPolicy paths are exact or prefix: a route with its own client IP list cannot have a regex path; declare the list for the exposure, or use a prefix' }];
  }
  if (route.match.headers.length > 0 || route.match.queryParams.length > 0) {
    return [{ field, message: 'AuthorizationPolicy cannot scope a client IP list to header or query matches; declare the list for the exposure, or drop those matches' }];
  }
  return routesTakingFirst(route, ordered, accessOf).filter(matchesBeyondPathAndMethod).map((other) => ({
    field,
    message: `${other.field} matches some of this route's requests first (by a regex, header or query match) with another client IP list; `
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same list',
  }));
}
